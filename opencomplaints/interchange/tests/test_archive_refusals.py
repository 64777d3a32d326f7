"""Archives that cannot be imported are refused with a message saying why, and nothing is imported: not a zip, no
manifest, another format, a newer version, a changed entry, an entry added, a row that names nothing, a row the
database refuses, and an installation that already holds the council (docs/archive.md)."""

import hashlib
import io
import json
import shutil
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opencomplaints.accounts.models import User
from opencomplaints.cases.models import Case, Stage
from opencomplaints.casework.models import Document
from opencomplaints.councils.models import Council
from opencomplaints.interchange.archive import ArchiveError, archive_export, archive_import
from opencomplaints.interchange.importer import records_import
from opencomplaints.interchange.tests.archive_world import PDF, empty_installation
from opencomplaints.interchange.tests.conftest import HAND_BUILT, TODAY


@pytest.fixture
def archive(structured_council, complaints_manager, settings):
    """The archive of a council with the hand-built file's records and a document, then an empty installation."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from opencomplaints.casework.services import document_upload

    assert records_import(data=HAND_BUILT.encode(), filename="hand.csv", acting_user=None, today=TODAY).errors == []
    case = Case.objects.order_by("pk")[0]
    document_upload(case=case, acting_user=complaints_manager, file=SimpleUploadedFile("a.pdf", PDF), kind="letter")
    data, _counts = archive_export(councils=list(Council.objects.all()), acting_user=None)
    empty_installation()
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "cases", ignore_errors=True)
    return data


def _rebuilt(data: bytes, *, change=None, add=None, manifest=None, checksums: bool = False) -> bytes:
    """``data`` with entries changed (``change``: name → function of the bytes), added, or its manifest edited;
    with ``checksums`` the manifest is brought up to date, as someone who meant to deceive would."""
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {name: source.read(name) for name in source.namelist()}
    for name, function in (change or {}).items():
        entries[name] = function(entries[name])
    entries.update(add or {})
    if "manifest.json" not in (change or {}):
        body = json.loads(entries["manifest.json"])
        if checksums:
            for entry in body["entries"]:
                entry["sha256"] = hashlib.sha256(entries[entry["path"]]).hexdigest()
        if manifest:
            manifest(body)
        entries["manifest.json"] = json.dumps(body).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in entries.items():
            target.writestr(name, content)
    return out.getvalue()


def _nothing_imported(media: Path) -> None:
    assert not Council.objects.exists()
    assert not Case.objects.exists()
    assert not User.objects.exists()
    assert not Document.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file() and "cases" in p.parts]


def _refused(data: bytes, message: str, media: Path) -> None:
    with pytest.raises(ArchiveError) as raised:
        archive_import(data=data, acting_user=None, file_name="camden.zip")
    assert message in raised.value.message
    _nothing_imported(media)


def _second_line_wrong(data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    row = json.loads(lines[0])
    row["case"] = 9999
    return json.dumps(row).encode() + b"\n" + b"".join(lines[1:])


def _stage_without_response(data: bytes) -> bytes:
    rows = [json.loads(line) for line in data.splitlines()]
    rows[0]["response_date"] = None  # an outcome without a response date: the database refuses it
    return b"".join(json.dumps(row).encode() + b"\n" for row in rows)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda data: b"PK\x03\x04 not really a zip", "camden.zip is not a zip file"),
        (lambda data: _rebuilt(data, manifest=lambda m: m.update(format="something.else")), "not an OpenComplaints"),
        (lambda data: _rebuilt(data, manifest=lambda m: m.update(version=2)), "format version 2, made by a newer"),
        (lambda data: _rebuilt(data, manifest=lambda m: m.update(version="one")), "not a whole number"),
        (lambda data: _rebuilt(data, change={"manifest.json": lambda b: b"{"}), "cannot be read: it is not JSON"),
        (
            lambda data: _rebuilt(data, change={"data/cases.case.jsonl": lambda b: b.replace(b"C1", b"C9", 1)}),
            "has been changed or damaged since it was exported: the checksum of data/cases.case.jsonl",
        ),
        (lambda data: _rebuilt(data, add={"data/extra.jsonl": b"{}\n"}), "holds data/extra.jsonl, which the manifest"),
        (
            lambda data: _rebuilt(data, add={"data/cases.unknown.jsonl": b""}, checksums=True, manifest=lambda m: m[
                "entries"].append({"path": "data/cases.unknown.jsonl", "sha256": hashlib.sha256(b"").hexdigest()})),
            "holds data/cases.unknown.jsonl, which this version of OpenComplaints does not know",
        ),
        (
            lambda data: _rebuilt(data, change={"data/cases.stage.jsonl": _second_line_wrong}, checksums=True),
            "data/cases.stage.jsonl, line 1: case names cases.case 9999, which the archive does not hold",
        ),
        (
            lambda data: _rebuilt(data, change={"data/cases.stage.jsonl": _stage_without_response}, checksums=True),
            "could not be written",
        ),
    ],
    ids=["not-a-zip", "format", "newer", "version", "manifest", "tampered", "unlisted", "unknown", "row", "database"],
)  # fmt: skip
def test_a_broken_archive_is_refused_and_nothing_is_imported(archive, build, message, settings):
    _refused(build(archive), message, Path(settings.MEDIA_ROOT))


def test_an_archive_without_a_manifest_is_refused(archive, settings):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("data/cases.case.jsonl", b"")
    _refused(out.getvalue(), "has no manifest.json", Path(settings.MEDIA_ROOT))


def test_an_installation_that_holds_the_council_refuses_its_archive(archive):
    archive_import(data=archive, acting_user=None)
    cases = Case.objects.count()
    with pytest.raises(ArchiveError) as raised:
        archive_import(data=archive, acting_user=None)
    assert raised.value.message.startswith("This installation already holds Borough of Exampleton (exampleton).")
    assert Case.objects.count() == cases


def test_a_dry_run_checks_everything_and_writes_nothing(archive, settings):
    outcome = archive_import(data=archive, acting_user=None, dry_run=True)
    assert outcome.dry_run
    assert outcome.councils == ["exampleton"]
    assert outcome.rows["cases.stage"] == 4
    _nothing_imported(Path(settings.MEDIA_ROOT))


def test_the_commands_write_and_read_an_archive_and_say_why_one_is_refused(archive, tmp_path, settings):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(_rebuilt(archive, change={"data/cases.case.jsonl": lambda b: b[:-2] + b"x\n"}))
    with pytest.raises(CommandError, match="has been changed or damaged since it was exported"):
        call_command("import", str(broken))
    _nothing_imported(Path(settings.MEDIA_ROOT))

    good = tmp_path / "camden.zip"
    good.write_bytes(archive)
    out = StringIO()
    call_command("import", str(good), stdout=out)
    assert "Imported the archive camden.zip: exampleton," in out.getvalue()
    assert Stage.objects.count() == 4

    again = tmp_path / "again.zip"
    out = StringIO()
    call_command("export", "--out", str(again), stdout=out)
    assert "Wrote the archive of Borough of Exampleton to" in out.getvalue()
    assert again.read_bytes() == archive
    with pytest.raises(CommandError, match="already holds Borough of Exampleton"):
        call_command("import", str(good))


def _without_field(data: bytes, field: str) -> bytes:
    rows = [json.loads(line) for line in data.splitlines()]
    for row in rows:
        row.pop(field)
    return b"".join(json.dumps(row).encode() + b"\n" for row in rows)


def test_an_older_archive_without_a_field_gets_the_fields_default(archive):
    def manifest(body):
        body["fields"]["data/cases.case.jsonl"].remove("restricted")

    older = _rebuilt(
        archive, change={"data/cases.case.jsonl": lambda b: _without_field(b, "restricted")}, checksums=True,
        manifest=manifest,
    )  # fmt: skip
    archive_import(data=older, acting_user=None)
    assert Case.objects.count() == 6
    assert not Case.objects.filter(restricted=True).exists()


def test_an_archive_naming_a_field_this_version_does_not_know_is_refused(archive, settings):
    def manifest(body):
        body["fields"]["data/cases.case.jsonl"].append("colour")

    newer = _rebuilt(archive, manifest=manifest)
    _refused(newer, "data/cases.case.jsonl has the field colour, which this version", Path(settings.MEDIA_ROOT))


def test_the_export_command_writes_an_archive_with_archive_and_refuses_one_of_a_person(archive, tmp_path):
    archive_import(data=archive, acting_user=None)
    out = tmp_path / "everything.bin"
    call_command("export", "--out", str(out), "--archive", "--council", "exampleton", stdout=StringIO())
    assert out.read_bytes() == archive
    with pytest.raises(CommandError, match="A subject access export is JSON Lines"):
        call_command("export", "--out", str(tmp_path / "p.zip"), "--person", "1")
