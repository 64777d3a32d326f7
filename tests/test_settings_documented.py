"""Every environment variable the settings read is listed in .env.example, and nothing there is stale."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "opencomplaints" / "config"
ENV_READ = re.compile(r"""env(?:\.(?:str|int|bool|list|float|db_url|email_url|json))?\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def read_by_settings() -> set[str]:
    names = {"OPENCOMPLAINTS_DATA_DIR"}  # read by config/env.py through env.str as well, listed for clarity
    for path in SETTINGS.rglob("*.py"):
        names.update(ENV_READ.findall(path.read_text()))
    return names


def documented() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if line and not line.startswith("#") and "=" in line}


def test_env_example_lists_every_setting():
    assert read_by_settings() - documented() == set()


def test_env_example_lists_nothing_the_settings_do_not_read():
    assert documented() - read_by_settings() == set()
