"""Stage and case actions, notes, documents, the Ombudsman, learning actions and registering through the API: the
workspace's declarations, services, rules and audit events, with If-Match on the case's version."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from opencomplaints.api.services import api_token_create
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case
from opencomplaints.cases.services import learning_action_create
from opencomplaints.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def client_for(user, scope="write", **kwargs) -> APIClient:
    client = APIClient()
    token = api_token_create(user=user, acting_user=user, name="Tests", scope=scope, **kwargs)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def stage_url(case: Case, verb: str, number: int = 1) -> str:
    return f"/api/v1/cases/{case.pk}/stages/{number}/{verb}/"


def etag(client: APIClient, case: Case) -> str:
    return client.get(reverse("api:v1:case-detail", args=[case.pk]))["ETag"]


@pytest.fixture
def case(council, complaints_manager):
    return f.accepted(council, complaints_manager, received_date=timezone.localdate() - timedelta(days=3))


def test_acknowledging_a_stage_calls_the_service_and_moves_the_etag_on(complaints_manager, case):
    client = client_for(complaints_manager)
    before = etag(client, case)
    today = timezone.localdate().isoformat()
    response = client.post(stage_url(case, "acknowledge"), {"acknowledged_date": today}, format="json",
                           HTTP_IF_MATCH=before)  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["stages"][0]["acknowledged_date"] == today
    assert response["ETag"] != before
    assert AuditEvent.objects.filter(event_type=AuditEventType.STAGE_ACKNOWLEDGED, case=case).count() == 1


def test_a_stale_or_missing_etag_changes_nothing(complaints_manager, case):
    client = client_for(complaints_manager)
    old = etag(client, case)
    body = {"acknowledged_date": timezone.localdate().isoformat()}
    assert client.post(stage_url(case, "acknowledge"), body, format="json").status_code == 428
    assert client.post(stage_url(case, "acknowledge"), body, format="json", HTTP_IF_MATCH=old).status_code == 200
    stale = client.post(
        stage_url(case, "hold"),
        {"start_date": timezone.localdate().isoformat(), "reason": c.HoldReason.choices[0][0]},
        format="json",
        HTTP_IF_MATCH=old,
    )
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "stale"
    assert not AuditEvent.objects.filter(event_type=AuditEventType.STAGE_HELD).exists()
    other = client.post(stage_url(case, "acknowledge"), body, format="json", HTTP_IF_MATCH='"case-999-v1"')
    assert other.status_code == 412


def test_the_form_s_messages_and_the_service_s_rules_answer_400(complaints_manager, case):
    client = client_for(complaints_manager)
    bad_date = client.post(
        stage_url(case, "extend"), {"extended_due_date": "next week"}, format="json", HTTP_IF_MATCH=etag(client, case)
    )
    assert bad_date.status_code == 400
    assert bad_date.json()["error"]["fields"]["extended_due_date"] == ["Enter the date as YYYY-MM-DD, for example "
                                                                       "2026-03-27."]  # fmt: skip
    missing = client.post(stage_url(case, "resume"), {}, format="json", HTTP_IF_MATCH=etag(client, case))
    assert missing.status_code == 400
    assert "Enter the date work resumed" in str(missing.json())
    # No hold to resume: the service refuses, naming why.
    refused = client.post(stage_url(case, "resume"), {"end_date": timezone.localdate().isoformat()}, format="json",
                          HTTP_IF_MATCH=etag(client, case))  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["error"]["message"]


def test_a_stage_that_does_not_exist_or_a_case_of_another_council_is_not_found(
    complaints_manager, other_council_officer, case
):
    client = client_for(complaints_manager)
    assert client.post(stage_url(case, "acknowledge", 3), {}, format="json").status_code == 404
    outsider = client_for(other_council_officer)
    assert outsider.post(stage_url(case, "acknowledge"), {}, format="json", HTTP_IF_MATCH="x").status_code == 404


def test_a_read_only_token_or_a_role_without_the_action_is_refused(complaints_manager, report_viewer, case):
    reader = client_for(complaints_manager, scope="read")
    body = {"acknowledged_date": timezone.localdate().isoformat()}
    assert reader.post(stage_url(case, "acknowledge"), body, format="json", HTTP_IF_MATCH="x").status_code == 403


def test_respond_then_escalate(complaints_manager, case):
    client = client_for(complaints_manager)
    today = timezone.localdate().isoformat()
    responded = client.post(stage_url(case, "respond"), {"response_date": today, "outcome": c.Outcome.NOT_UPHELD},
                            format="json", HTTP_IF_MATCH=etag(client, case))  # fmt: skip
    assert responded.status_code == 200, responded.json()
    escalated = client.post(f"/api/v1/cases/{case.pk}/escalate/", {"request_received_date": today}, format="json",
                            HTTP_IF_MATCH=responded["ETag"])  # fmt: skip
    assert escalated.status_code == 200, escalated.json()
    assert [s["number"] for s in escalated.json()["stages"]] == [1, 2]


def test_notes_are_listed_and_added_with_the_audit_trail(complaints_manager, case):
    client = client_for(complaints_manager)
    url = f"/api/v1/cases/{case.pk}/notes/"
    listed = client.get(url)
    assert listed.status_code == 200
    # Yesterday: a call at 10:30 today is still in the future when the suite runs before then.
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = {"kind": c.NoteKind.CALL, "occurred_on": yesterday, "occurred_time": "10:30",
            "direction": c.NoteDirection.IN, "summary": "Mother rang about the meeting date"}  # fmt: skip
    added = client.post(url, body, format="json", HTTP_IF_MATCH=listed["ETag"])
    assert added.status_code == 201, added.json()
    assert added.json()["summary"] == "Mother rang about the meeting date"
    assert [n["kind"] for n in client.get(url).json()] == ["call"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_NOTE_ADDED, case=case).exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED, case=case).count() >= 2


def test_documents_upload_through_the_same_checks_and_download(complaints_manager, case):
    client = client_for(complaints_manager)
    url = f"/api/v1/cases/{case.pk}/documents/"
    fake = SimpleUploadedFile("letter.pdf", b"not really a pdf", content_type="application/pdf")
    refused = client.post(url, {"file": fake, "kind": "other"}, format="multipart", HTTP_IF_MATCH=etag(client, case))
    assert refused.status_code == 400
    assert "The selected file must be a" in refused.json()["error"]["message"]
    text = SimpleUploadedFile("call-notes.txt", b"Notes of the call.\n", content_type="text/plain")
    uploaded = client.post(url, {"file": text, "kind": "other", "description": "Call"}, format="multipart",
                           HTTP_IF_MATCH=etag(client, case))  # fmt: skip
    assert uploaded.status_code == 201, uploaded.json()
    document = uploaded.json()
    assert [d["id"] for d in client.get(url).json()] == [document["id"]]
    downloaded = client.get(f"{url}{document['id']}/file/")
    assert downloaded.status_code == 200
    assert downloaded.getvalue() == b"Notes of the call.\n"
    assert AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_DOWNLOADED, case=case).exists()
    assert client.get(f"{url}999999/file/").status_code == 404


def test_the_ombudsman_and_learning_actions(complaints_manager, case):
    client = client_for(complaints_manager)
    assert client.get(f"/api/v1/cases/{case.pk}/ombudsman/").status_code == 404
    action = learning_action_create(
        council=case.council, acting_user=complaints_manager, finding="Letters were late", action="Weekly check",
        cases=[case],
    )  # fmt: skip
    listed = client.get(f"/api/v1/cases/{case.pk}/learning-actions/")
    assert [a["id"] for a in listed.json()] == [action.pk]
    one = client.get(f"/api/v1/cases/{case.pk}/learning-actions/{action.pk}/")
    assert one.json()["action"] == "Weekly check"
    assert client.get(f"/api/v1/cases/{case.pk}/learning-actions/0/").status_code == 404


def test_enquiries_and_compliments_are_kinds_of_case(complaints_officer, case):
    client = client_for(complaints_officer, scope="read")
    assert client.get("/api/v1/cases/", {"kind": "mp_enquiry,compliment"}).json()["results"] == []
    assert len(client.get("/api/v1/cases/", {"kind": "complaint"}).json()["results"]) == 1
    assert client.get("/api/v1/cases/", {"kind": "complaint,sideways"}).status_code == 400


def test_registering_a_complaint(complaints_officer, council, other_council):
    client = client_for(complaints_officer)
    body = {"council": council.slug, "received_date": timezone.localdate().isoformat(), "received_via": "email",
            "summary": "Not told about the review meeting",
            "complainants": [{"first_name": "Avery", "last_name": "Testperson",
                              "complainant_type": "parent_relative"}]}  # fmt: skip
    made = client.post("/api/v1/cases/", body, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["kind"] == "complaint"
    assert made["ETag"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.COMPLAINT_REGISTERED).count() == 1
    elsewhere = client.post("/api/v1/cases/", {**body, "council": other_council.slug}, format="json")
    assert elsewhere.status_code == 400
    assert client.post("/api/v1/cases/", {**body, "complainants": []}, format="json").status_code == 400


def test_a_credential_past_the_rate_limit_gets_429(complaints_officer, case, settings):
    settings.OPENCOMPLAINTS = {**settings.OPENCOMPLAINTS, "API_RATE_LIMIT": 2}
    cache.clear()
    client = client_for(complaints_officer, scope="read")
    assert [client.get("/api/v1/cases/").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/cases/")["Retry-After"]
    # Another credential has its own count.
    assert client_for(complaints_officer, scope="read").get("/api/v1/cases/").status_code == 200


@pytest.mark.parametrize("case_id", ["%C2%B3", "٣x", "1" * 19])
def test_an_id_that_is_not_a_plain_number_is_not_found(complaints_manager, case_id):
    client = client_for(complaints_manager)
    assert client.get(f"/api/v1/cases/{case_id}/").status_code == 404
    assert client.post(f"/api/v1/cases/{case_id}/notes/", {}, format="json").status_code == 404
    assert client.post("/api/v1/cases/1/stages/%C2%B3/acknowledge/", {}, format="json").status_code == 404
