"""Backup and restore round trip: after restoring into an empty installation, the annual report JSON and every
document's checksum are what they were. On SQLite here, and on PostgreSQL when the suite runs there (pg_dump)."""

import hashlib
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from opencomplaints.cases.tests import factories as f
from opencomplaints.casework.services import document_upload
from opencomplaints.jobs.models import RunStatus
from opencomplaints.jobs.scheduler import scheduled_jobs_run

pytestmark = pytest.mark.django_db(transaction=True)


def _report(council) -> str:
    out = io.StringIO()
    call_command("report", "--year", "2022", "--council", council.slug, "--format", "json", stdout=out)
    return out.getvalue()


def _documents() -> dict[str, str]:
    media = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in media.rglob("*")
        if path.is_file()
    }


def _empty_the_installation() -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()


@pytest.fixture
def backups(tmp_path_factory):
    """A folder outside MEDIA_ROOT (which is the test's tmp_path)."""
    return tmp_path_factory.mktemp("backups")


@pytest.fixture
def installation(council, complaints_manager):
    case = f.accepted(council, complaints_manager)
    for n in range(3):
        content = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n" + f"letter {n}".encode() + b"\n%%EOF\n"
        upload = SimpleUploadedFile(f"letter-{n}.pdf", content, content_type="application/pdf")
        document_upload(case=case, acting_user=complaints_manager, file=upload, kind="letter")
    return council


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_restore_gives_back_the_same_reports_and_documents(installation, backups, settings, encrypted):
    report, documents = _report(installation), _documents()
    assert len(documents) == 3
    backup = backups / "backup.tar.gz"
    options = ["--encrypt"] if encrypted else []
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"BACKUP_PASSPHRASE": "correct horse battery staple"}
    out = io.StringIO()
    call_command("backup", "--out", str(backup), *options, stdout=out)
    assert "and 3 documents to" in out.getvalue()
    assert backup.stat().st_mode & 0o077 == 0
    if encrypted:
        assert b"letter-0" not in backup.read_bytes()

    _empty_the_installation()
    assert _documents() == {}

    call_command("restore", str(backup), stdout=io.StringIO())
    assert _documents() == documents
    assert _report(installation) == report


def test_restore_refuses_an_installation_that_holds_data(installation, backups):
    backup = backups / "backup.tar.gz"
    call_command("backup", "--out", str(backup), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(backup))


def test_a_wrong_passphrase_or_a_damaged_file_changes_nothing(installation, backups, settings):
    backup = backups / "backup.tar.gz"
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"BACKUP_PASSPHRASE": "correct horse battery staple"}
    call_command("backup", "--out", str(backup), "--encrypt", stdout=io.StringIO())
    _empty_the_installation()
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"BACKUP_PASSPHRASE": "wrong passphrase"}
    with pytest.raises(CommandError, match="The passphrase is wrong"):
        call_command("restore", str(backup))
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"BACKUP_PASSPHRASE": ""}
    with pytest.raises(CommandError, match="This backup is encrypted"):
        call_command("restore", str(backup))
    damaged = backups / "damaged.tar.gz"
    damaged.write_bytes(b"not a backup")
    with pytest.raises(CommandError, match="is not an OpenComplaints backup"):
        call_command("restore", str(damaged))
    assert _documents() == {}


def test_the_schedule_backs_up_daily_and_keeps_the_newest(installation, backups, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"BACKUP_DIR": str(backups), "BACKUP_KEEP": 2}
    for day in (1, 2, 3):
        now = datetime(2026, 3, day, 1, 45, tzinfo=ZoneInfo("Europe/London"))
        runs = {run.name: run for run in scheduled_jobs_run(now=now)}
        assert runs["backup"].status == RunStatus.SUCCEEDED, runs["backup"].last_error
    assert sorted(path.name for path in backups.iterdir()) == [
        "opencomplaints-backup-2026-03-02.tar.gz",
        "opencomplaints-backup-2026-03-03.tar.gz",
    ]
