"""Reads of case data are on the audit trail: searches, exports, reports and subject access exports (the case page
and downloads are tested with the pages themselves, in ``casework/tests/test_access_pages.py``)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.audit.services import audit_read_record
from opencomplaints.cases.services import ComplainantInput, PersonInput
from opencomplaints.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def test_audit_read_record_keeps_who_what_and_why(council, complaints_manager):
    complaint = f.accepted(council, complaints_manager)
    event = audit_read_record(
        acting_user=complaints_manager,
        event_type=AuditEventType.BREAK_GLASS,
        subject=complaint,
        case_id=complaint.pk,
        summary="Emergency access",
        reason="Ombudsman deadline",
        details={"until": complaint.received_date},
    )
    event.refresh_from_db()
    assert (event.acting_user, event.case, event.event_type) == (complaints_manager, complaint, 705)
    assert (event.subject_type, event.subject_id) == ("cases.case", str(complaint.pk))
    # The reason is free text: the row keeps its length, and the words are kept beside it for the case's pages.
    assert event.after == {"until": "2022-05-26", "reason": {"free_text": True, "characters": 18}}
    assert [(t.side, t.path, t.text) for t in event.texts.all()] == [("after", "reason", "Ombudsman deadline")]


def test_a_search_is_recorded_with_what_it_showed(client, council, complaints_officer):
    case = f.register(council, complaints_officer, complainants=[f.complainant(first_name="Sam", last_name="Hale")])
    client.force_login(complaints_officer)
    client.get(reverse("tracker:search"), {"q": "Hale"})
    event = AuditEvent.objects.get(event_type=AuditEventType.SEARCH_PERFORMED)
    assert event.acting_user == complaints_officer
    # The words searched for (a surname here) are not kept, anywhere: a search is on no case, so nothing would
    # ever remove them. What it showed is.
    assert event.after == {"text": {"free_text": True, "characters": 4}, "page": 1, "found": 1, "shown": [case.pk]}
    assert "Hale" not in event.summary
    assert not event.texts.exists()


def test_the_tracker_export_is_recorded(client, council, complaints_officer):
    case = f.register(council, complaints_officer)
    client.force_login(complaints_officer)
    response = client.get(reverse("tracker:case-export"))
    assert response.status_code == 200
    event = AuditEvent.objects.get(event_type=AuditEventType.EXPORT_DOWNLOADED)
    assert event.after["references"] == [case.reference]
    assert event.after["file_name"].endswith(".csv")


def test_a_report_is_recorded(client, council, report_viewer):
    client.force_login(report_viewer)
    query = {"council": "exampleton", "year": "2022", "procedure": "children_statutory", "basis": "received"}
    assert client.get(reverse("reporting:report"), query).status_code == 200
    asked = client.post(reverse("reporting:report-file-request"), {"query": urlencode(query), "format": "json"})
    assert asked.status_code == 302
    events = AuditEvent.objects.filter(event_type=AuditEventType.REPORT_GENERATED).order_by("id")
    assert [e.after["format"] for e in events] == ["page", "json"]
    assert all(e.acting_user == report_viewer for e in events)


def test_a_subject_access_export_is_on_each_cases_read_trail(client, council, complaints_manager):
    person = f.complainant(first_name="Ria", last_name="Moss")
    first = f.register(council, complaints_manager, complainants=[person])
    existing = first.complainants.get().person
    second = f.register(
        council,
        complaints_manager,
        complainants=[ComplainantInput(person=PersonInput(person=existing), eligibility_basis="parent")],
    )
    client.force_login(complaints_manager)
    response = client.post(reverse("interchange:subject-access-export"), {"person": existing.pk})
    assert response.status_code == 200
    events = AuditEvent.objects.filter(event_type=AuditEventType.EXPORT_DOWNLOADED).order_by("case_id")
    assert [e.case_id for e in events] == [first.pk, second.pk]
    assert AuditEvent.objects.filter(event_type=AuditEventType.SUBJECT_ACCESS_EXPORT).count() == 1
