"""The console command a newcomer uses, run as a real process against a fresh data folder."""

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, data_dir: Path, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env |= {"OPENCOMPLAINTS_DATA_DIR": str(data_dir), **(extra_env or {})}
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-m", "opencomplaints", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=data_dir.parent,
        timeout=120,
        check=False,
    )


def test_deadline_command_on_a_fresh_machine_prints_the_due_dates(tmp_path):
    result = run_cli(
        "deadline",
        "--procedure",
        "children",
        "--stage",
        "1",
        "--received",
        "2022-05-26",
        data_dir=tmp_path / "data",
    )
    assert result.returncode == 0, result.stderr
    assert "due 2022-06-13" in result.stdout
    assert "extended due 2022-06-27" in result.stdout
    # Not yet migrated: said plainly, not a traceback.
    assert "Traceback" not in result.stderr


def test_default_database_is_sqlite_in_the_visible_data_folder(tmp_path):
    data = tmp_path / "data"
    result = run_cli("migrate", "--verbosity", "0", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert (data / "opencomplaints.sqlite3").is_file()
    # The generated secret key stays on this machine, readable only by its owner.
    assert (data / "secret_key").stat().st_mode & 0o077 == 0


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = run_cli(
        "check",
        data_dir=tmp_path / "data",
        extra_env={
            "DJANGO_SETTINGS_MODULE": "opencomplaints.config.settings.production",
            "ALLOWED_HOSTS": "complaints.example.org",
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
