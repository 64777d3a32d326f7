"""Reports, imports and exports as jobs through the API (docs/api.md): each started, polled and downloaded with the
page's services, access rules, messages and audit events; refused to a role or credential the page refuses; bad
input a clear 400; another person's or another council's job not found."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from opencomplaints.accounts.tests.personas import member
from opencomplaints.api.services import api_token_create
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.models import CouncilMembership, Role
from opencomplaints.interchange.models import ExportFile, ImportRun
from opencomplaints.reporting.models import ReportFile

pytestmark = pytest.mark.django_db

HEADER = (
    "council,ref,case_ref,kind,procedure,stage,received,stage2_start,extended,extended_due,responded,outcome,"
    "service_area,teams,issues,complainant_type,received_via,summary"
)
GOOD = f"{HEADER}\n,API1,,complaint,,1,2025-05-06,,,,2025-05-20,upheld,,,,parent_relative,email,Late visit\n"
# Line 3 has a date that is no date, and line 4 a stage no complaint can have.
BAD = (
    f"{HEADER}\n,API1,,complaint,,1,2025-05-06,,,,,,,,,parent_relative,email,Late visit\n"
    ",API2,,complaint,,1,6th May,,,,,,,,,parent_relative,email,Late visit\n"
    ",API3,,complaint,,9,2025-05-06,,,,,,,,,parent_relative,email,Late visit\n"
)


def _client(user, scope="write", **kwargs) -> APIClient:
    token = api_token_create(user=user, acting_user=user, name="Jobs", scope=scope, **kwargs)[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _on_commit(django_capture_on_commit_callbacks):
    """Run the commit's callbacks (the job, on the test's immediate backend) as a real commit would."""
    return django_capture_on_commit_callbacks(execute=True)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def reporting_world(council, complaints_manager):
    f.accepted(council, complaints_manager, received_date=timezone.localdate() - timedelta(days=10))


# -- reports --------------------------------------------------------------------------------------------------------


def _year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def test_a_report_is_started_polled_and_downloaded(
    reporting_world, complaints_manager, django_capture_on_commit_callbacks
):
    api = _client(complaints_manager)
    with _on_commit(django_capture_on_commit_callbacks):
        started = api.post("/api/v1/reports/", {"year": _year(), "format": "json"}, format="json")
    assert started.status_code == 202, started.content
    assert started["Location"] == f"/api/v1/reports/{started.json()['id']}/"
    assert started.json()["status"] == "queued"
    polled = api.get(started["Location"])
    assert polled.status_code == 200
    job = polled.json()
    assert job["status"] == "ready"
    assert job["councils"] == ["exampleton"]
    assert job["file_url"] == f"/api/v1/reports/{job['id']}/file/"
    download = api.get(job["file_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    figures = json.loads(_body(download))
    assert figures  # the report's own JSON, as the page's file
    # The page's audit events: the file asked for (a report generated) and its download.
    events = AuditEvent.objects.filter(acting_user=complaints_manager)
    assert events.filter(event_type=AuditEventType.REPORT_GENERATED).exists()
    assert events.filter(event_type=AuditEventType.REPORT_FILE_DOWNLOADED).count() == 1


def test_a_report_for_a_quarter_or_any_period_uses_the_page_s_periods(reporting_world, complaints_manager):
    api = _client(complaints_manager)
    quarter = api.post("/api/v1/reports/", {"year": _year(), "quarter": "Q1", "format": "pdf"}, format="json")
    assert quarter.status_code == 202
    assert quarter.json()["period_label"].startswith("Q1")
    period = {"year": _year(), "start": "2025-04-01", "end": "2025-06-30", "format": "docx"}
    custom = api.post("/api/v1/reports/", period, format="json")
    assert custom.status_code == 202
    assert (custom.json()["period_start"], custom.json()["period_end"]) == ("2025-04-01", "2025-06-30")


def test_a_report_file_not_made_yet_cannot_be_downloaded(reporting_world, complaints_manager):
    api = _client(complaints_manager)
    started = api.post("/api/v1/reports/", {"year": _year(), "format": "json"}, format="json")  # job held back
    assert api.get(started["Location"]).json()["status"] == "queued"
    refused = api.get(f"{started['Location']}file/")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_ready"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"format": "json"}, "year", "Select the reporting year"),
        ({"year": 1999, "format": "json"}, "year", "Select a valid choice"),
        ({"year": "this year", "format": "pdf"}, "year", "Select a valid choice"),
        ({"year": 2025}, "format", "Choose the format of the file"),
        ({"year": 2025, "format": "html"}, "format", "Choose the format of the file"),
        ({"year": 2025, "format": "pdf", "start": "2025-06-01"}, "end", "Enter both the first and the last day"),
        ({"year": 2025, "format": "pdf", "start": "1 June"}, "start", "Enter the first day as a date"),
        ({"year": 2025, "format": "pdf", "start": "2025-06-01", "end": "2025-05-01"}, "end", "on or after"),
        ({"year": 2025, "format": "pdf", "council": "northby"}, "council", "Select a valid choice"),
    ],
)
def test_a_report_asked_for_wrongly_is_a_400_naming_the_field(complaints_manager, body, field, message):
    answer = _client(complaints_manager).post("/api/v1/reports/", body, format="json")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid"
    assert message in " ".join(error["fields"][field])
    assert not ReportFile.objects.exists()


def test_a_report_body_that_is_not_an_object_is_a_400(complaints_manager):
    answer = _client(complaints_manager).post("/api/v1/reports/", [1, 2], format="json")
    assert answer.status_code == 400


def test_reports_are_refused_to_a_role_without_them_and_to_a_read_only_token(
    council, investigating_officer, report_viewer
):
    refused = _client(investigating_officer).post("/api/v1/reports/", {"year": 2025, "format": "json"}, format="json")
    assert refused.status_code == 403
    assert "reports" in refused.json()["error"]["message"]
    read_only = _client(report_viewer, scope="read").post("/api/v1/reports/", {"year": 2025, "format": "json"})
    assert read_only.status_code == 403
    assert "may only read" in read_only.json()["error"]["message"]
    # A report viewer's own write token may: reports are theirs on the page too.
    assert _client(report_viewer).post("/api/v1/reports/", {"year": 2025, "format": "json"}).status_code == 202


def test_another_person_s_or_another_council_s_report_is_not_found(
    council, other_council, complaints_manager, complaints_officer
):
    mine = _client(complaints_manager).post("/api/v1/reports/", {"year": 2025, "format": "json"}, format="json")
    location = mine["Location"]
    assert _client(complaints_officer).get(location).status_code == 404
    CouncilMembership.objects.create(council=other_council, user=complaints_manager, role=Role.COMPLAINTS_MANAGER)
    elsewhere = _client(complaints_manager, councils=[other_council])
    for url in (location, f"{location}file/"):
        answer = elsewhere.get(url)
        assert answer.status_code == 404
        assert answer.json()["error"]["message"] == "Report file not found"
    assert _client(complaints_manager).get("/api/v1/reports/99999999999999999999999/").status_code == 404


# -- imports --------------------------------------------------------------------------------------------------------


def _upload(api, data: str | bytes, name="records.csv", **fields):
    content = data.encode() if isinstance(data, str) else data
    return api.post("/api/v1/imports/", {"file": SimpleUploadedFile(name, content), **fields}, format="multipart")


def test_an_import_is_checked_run_in_the_background_and_polled(
    council, complaints_manager, django_capture_on_commit_callbacks
):
    api = _client(complaints_manager)
    with _on_commit(django_capture_on_commit_callbacks):
        started = _upload(api, GOOD)
    assert started.status_code == 201, started.content
    assert started.json()["status"] == "running"
    polled = api.get(started["Location"]).json()
    assert polled["status"] == "completed", polled
    assert (polled["rows"], polled["created"], polled["updated"], polled["problem_count"]) == (1, 1, 0, 0)
    assert polled["council"] == "exampleton"
    assert Case.objects.filter(council=council).count() == 1
    imported = AuditEvent.objects.filter(acting_user=complaints_manager, event_type=AuditEventType.IMPORT_COMPLETED)
    assert imported.exists()


def test_a_file_with_problems_imports_nothing_and_lists_them_by_line(council, complaints_manager):
    api = _client(complaints_manager)
    checked = _upload(api, BAD)
    assert checked.status_code == 201
    run = checked.json()
    assert run["status"] == "invalid"
    lines = {problem["line"] for problem in run["problems"]}
    assert {3, 4} <= lines
    assert run["problem_count"] == len(run["problems"])
    assert all(problem["reason"] for problem in run["problems"])
    assert not Case.objects.exists()
    # The same words as the import page's list of problems.
    web = ImportRun.objects.get(pk=run["id"])
    assert [[p["line"], p["column"], p["reason"]] for p in run["problems"]] == web.errors
    refused = api.post(f"{checked['Location']}confirm/")
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "This import cannot run: has errors."


def test_a_dry_run_only_checks_and_confirm_starts_it(council, complaints_manager, django_capture_on_commit_callbacks):
    api = _client(complaints_manager)
    checked = _upload(api, GOOD, dry_run="true")
    assert checked.json()["status"] == "ready"
    assert not Case.objects.exists()
    with _on_commit(django_capture_on_commit_callbacks):
        confirmed = api.post(f"{checked['Location']}confirm/")
    assert confirmed.status_code == 202
    assert api.get(checked["Location"]).json()["status"] == "completed"
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"data": b"", "name": "empty.csv"}, "file", "The selected file is empty"),
        ({"data": GOOD, "council": "northby"}, "council", "Select a valid choice"),
        ({"data": GOOD, "dry_run": "perhaps"}, "dry_run", "Enter true or false"),
    ],
)
def test_an_upload_that_is_wrong_is_a_400_naming_the_field(council, complaints_manager, kwargs, field, message):
    answer = _upload(_client(complaints_manager), **kwargs)
    assert answer.status_code == 400
    assert message in " ".join(answer.json()["error"]["fields"][field])
    assert not ImportRun.objects.exists()


def test_an_upload_without_a_file_or_over_the_limit_is_a_400(council, complaints_manager, settings):
    api = _client(complaints_manager)
    missing = api.post("/api/v1/imports/", {"council": "exampleton"}, format="multipart")
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"]["file"] == ["Select a file"]
    settings.OPENCOMPLAINTS = {**settings.OPENCOMPLAINTS, "MAX_IMPORT_BYTES": 100}
    large = _upload(api, GOOD)
    assert large.status_code == 400
    assert large.json()["error"]["message"].startswith("The selected file must be smaller than")
    assert large.json()["error"]["field"] == "file"


def test_imports_are_refused_to_a_role_without_them_and_to_a_read_only_token(
    council, complaints_officer, complaints_manager
):
    refused = _upload(_client(complaints_officer), GOOD)
    assert refused.status_code == 403
    assert "importing or exporting" in refused.json()["error"]["message"]
    assert _upload(_client(complaints_manager, scope="read"), GOOD).status_code == 403
    assert not ImportRun.objects.exists()


def test_another_council_s_import_is_not_found(council, other_council, complaints_manager, other_council_officer):
    run = _upload(_client(complaints_manager), BAD)
    location = run["Location"]
    CouncilMembership.objects.filter(user=other_council_officer).update(role=Role.COMPLAINTS_MANAGER)
    for url in (location, f"{location}confirm/"):
        answer = getattr(_client(other_council_officer), "post" if "confirm" in url else "get")(url)
        assert answer.status_code == 404
        assert answer.json()["error"]["message"] == "Import not found"
    CouncilMembership.objects.create(council=other_council, user=complaints_manager, role=Role.COMPLAINTS_MANAGER)
    assert _client(complaints_manager, councils=[other_council]).get(location).status_code == 404


def test_an_import_whose_process_died_is_polled_as_failed(council, complaints_manager):
    api = _client(complaints_manager)
    started = _upload(api, GOOD)  # the job is held back: the run stays "running"
    finished = subprocess.Popen(["true"])  # noqa: S607
    finished.wait()
    ImportRun.objects.filter(pk=started.json()["id"]).update(worker=f"{socket.gethostname()}:{finished.pid}")
    polled = api.get(started["Location"]).json()
    assert polled["status"] == "failed"
    assert "stopped" in polled["failure_reason"]
    assert not Case.objects.exists()


# -- exports --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "jsonl", "zip"])
def test_an_export_is_started_polled_and_downloaded(
    council, complaints_manager, django_capture_on_commit_callbacks, file_format
):
    case = f.accepted(council, complaints_manager)
    api = _client(complaints_manager)
    with _on_commit(django_capture_on_commit_callbacks):
        started = api.post("/api/v1/exports/", {"format": file_format}, format="json")
    assert started.status_code == 202, started.content
    job = api.get(started["Location"]).json()
    assert job["status"] == "ready", job
    download = api.get(job["file_url"])
    assert download.status_code == 200
    content = _body(download)
    if file_format == "zip":
        assert "manifest.json" in zipfile.ZipFile(io.BytesIO(content)).namelist()
        assert AuditEvent.objects.filter(event_type=AuditEventType.ARCHIVE_EXPORTED).count() == 1
    else:
        assert case.reference.encode() in content or b"ref" in content
        assert AuditEvent.objects.filter(event_type=AuditEventType.EXPORT_CREATED).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.EXPORT_FILE_REQUESTED).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.EXPORT_DOWNLOADED).count() == 1


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "format", "Select the format"),
        ({"format": "pdf"}, "format", "Select a valid choice"),
        ({"format": "csv", "council": "northby"}, "council", "Select a valid choice"),
    ],
)
def test_an_export_asked_for_wrongly_is_a_400(council, complaints_manager, body, field, message):
    answer = _client(complaints_manager).post("/api/v1/exports/", body, format="json")
    assert answer.status_code == 400
    assert message in " ".join(answer.json()["error"]["fields"][field])
    assert not ExportFile.objects.exists()


def test_exports_are_refused_to_a_role_without_them_and_to_a_read_only_token(
    council, complaints_officer, complaints_manager
):
    assert _client(complaints_officer).post("/api/v1/exports/", {"format": "csv"}).status_code == 403
    assert _client(complaints_manager, scope="read").post("/api/v1/exports/", {"format": "csv"}).status_code == 403
    assert not ExportFile.objects.exists()


def test_another_person_s_or_another_council_s_export_is_not_found(
    council, other_council, complaints_manager, django_capture_on_commit_callbacks
):
    with _on_commit(django_capture_on_commit_callbacks):
        started = _client(complaints_manager).post("/api/v1/exports/", {"format": "csv"}, format="json")
    location = started["Location"]
    colleague = member(council, "manager.two", "Sam", "Threlfall", Role.COMPLAINTS_MANAGER)
    assert _client(colleague).get(location).status_code == 404
    CouncilMembership.objects.create(council=other_council, user=complaints_manager, role=Role.COMPLAINTS_MANAGER)
    elsewhere = _client(complaints_manager, councils=[other_council])
    for url in (location, f"{location}file/"):
        assert elsewhere.get(url).status_code == 404
    # Once they no longer manage the council, not even its requester sees it.
    CouncilMembership.objects.filter(user=complaints_manager, council=council).update(role=Role.COMPLAINTS_OFFICER)
    assert _client(complaints_manager).get(location).status_code == 404


def test_an_export_past_its_time_is_deleted_and_one_that_stalled_fails(
    council, complaints_manager, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from opencomplaints.interchange.export_files import STALLED, export_files_expire

    api = _client(complaints_manager)
    with _on_commit(django_capture_on_commit_callbacks):
        made = api.post("/api/v1/exports/", {"format": "csv"}, format="json")
    stalled = api.post("/api/v1/exports/", {"format": "jsonl"}, format="json")  # its job held back
    ready = ExportFile.objects.get(pk=made.json()["id"])
    stored = ready.stored_file
    assert default_storage.exists(stored)
    ExportFile.objects.filter(pk=stalled.json()["id"]).update(updated_at=timezone.now() - timedelta(hours=1))
    assert export_files_expire(now=timezone.now() + timedelta(days=8)) == 2
    assert not default_storage.exists(stored)
    assert api.get(made["Location"]).json()["status"] == "expired"
    assert api.get(f"{made['Location']}file/").status_code == 409
    assert ExportFile.objects.get(pk=stalled.json()["id"]).error_message == STALLED
