"""The whole-history archive over the demonstration data (docs/archive.md): export, import into an empty
installation, and every annual report, every document and the archive itself come out the same."""

import io
import json
import os
import zipfile

import pytest

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case, Stage
from opencomplaints.councils.models import Council, CouncilMembership
from opencomplaints.interchange.archive import archive_export, archive_import
from opencomplaints.interchange.tests.archive_world import (
    build_world,
    document_checksums,
    empty_installation,
    every_report,
)
from opencomplaints.notifications.models import Message


def _export() -> bytes:
    data, _counts = archive_export(councils=list(Council.objects.order_by("slug")), acting_user=None)
    return data


@pytest.fixture
def world(db):
    # One year of the two-council demonstration (the shared service), the smallest that has every kind of record;
    # OPENCOMPLAINTS_ARCHIVE_TEST_YEARS=3 runs the full three years (about two minutes more), as
    # benchmarks/archive.py does.
    build_world(years=int(os.environ.get("OPENCOMPLAINTS_ARCHIVE_TEST_YEARS", "1")), councils=2)


def test_the_archive_round_trips_reports_documents_and_bytes(world):
    reports = every_report()
    documents = document_checksums()
    users = sorted(User.objects.values_list("username", "email", "first_name", "last_name", "is_active"))
    memberships = sorted(CouncilMembership.objects.values_list("council__slug", "user__username", "role"))
    first = _export()

    empty_installation()
    assert not Council.objects.exists()
    assert not User.objects.exists()
    outcome = archive_import(data=first, acting_user=None)

    assert outcome.councils == sorted(Council.objects.values_list("slug", flat=True))
    assert len(outcome.councils) == 2
    assert outcome.documents == len(documents) == 4
    assert every_report() == reports
    assert document_checksums() == documents
    assert sorted(User.objects.values_list("username", "email", "first_name", "last_name", "is_active")) == users
    assert sorted(CouncilMembership.objects.values_list("council__slug", "user__username", "role")) == memberships
    assert _export() == first
    # Each message has an idempotency key of this installation's, never one made of the old one's ids.
    keys = list(Message.objects.values_list("idempotency_key", flat=True))
    assert keys
    assert all(key.startswith("archive:") for key in keys)
    # Both moves are in the audit trail (the export's own event went with the installation it was made in).
    imported = AuditEvent.objects.get(event_type=AuditEventType.ARCHIVE_IMPORTED)
    assert imported.after["councils"] == outcome.councils
    assert AuditEvent.objects.filter(event_type=AuditEventType.ARCHIVE_EXPORTED).count() == 1


def test_the_archive_holds_a_manifest_with_counts_and_checksums_and_no_secrets(world):
    data = _export()
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names[0] == "manifest.json"
    manifest = json.loads(archive.read("manifest.json"))
    assert (manifest["format"], manifest["version"]) == ("opencomplaints.archive", 1)
    entries = {entry["path"]: entry for entry in manifest["entries"]}
    assert set(entries) == set(names[1:])
    assert entries["data/cases.case.jsonl"]["rows"] == Case.objects.count()
    assert entries["data/cases.stage.jsonl"]["rows"] == Stage.objects.count()
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
    users = archive.read("data/accounts.user.jsonl").decode()
    assert "password" not in users
    assert "pbkdf2" not in users
    # A queued message's follow link (a secret) is not in the archive, nor its idempotency key.
    messages = archive.read("data/notifications.message.jsonl").decode()
    assert "follow/secret" not in messages
    assert "idempotency_key" not in messages
    # Foreign keys are references, not database ids: a stage names its case by the case's number in its entry.
    stage = json.loads(archive.read("data/cases.stage.jsonl").splitlines()[0])
    assert stage["id"] == 1
    assert stage["case"] >= 1
    case = json.loads(archive.read("data/cases.case.jsonl").splitlines()[0])
    assert case["council"] in manifest["councils"]
    assert isinstance(case["owner"], str | None)  # a username
    assert any(name.startswith("documents/casework.document/file/") for name in names)


def test_each_council_of_a_shared_service_moves_alone_and_the_staff_they_share_are_not_duplicated(world):
    first, second = Council.objects.order_by("slug")
    cases = {council.slug: Case.objects.filter(council=council).count() for council in (first, second)}
    memberships = sorted(CouncilMembership.objects.values_list("council__slug", "user__username", "role"))
    shared = set(CouncilMembership.objects.filter(council=first).values_list("user__username", flat=True)) & set(
        CouncilMembership.objects.filter(council=second).values_list("user__username", flat=True)
    )
    assert shared
    one, counts = archive_export(councils=[first], acting_user=None)
    other, _counts = archive_export(councils=[second], acting_user=None)
    assert json.loads(zipfile.ZipFile(io.BytesIO(one)).read("manifest.json"))["councils"] == [first.slug]
    assert counts["cases.case"] == cases[first.slug]

    empty_installation()
    archive_import(data=other, acting_user=None)
    outcome = archive_import(data=one, acting_user=None)
    assert set(outcome.users_reused) >= shared
    assert {council.slug: Case.objects.filter(council=council).count() for council in Council.objects.all()} == cases
    assert sorted(CouncilMembership.objects.values_list("council__slug", "user__username", "role")) == memberships
