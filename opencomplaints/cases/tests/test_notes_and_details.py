"""Notes and contacts, details corrected after registration, and the version check every edit uses."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.access import case_permissions
from opencomplaints.cases.concurrency import check_version
from opencomplaints.cases.errors import ProcedureError, StaleVersion
from opencomplaints.cases.notes import notes_for_case
from opencomplaints.cases.services import (
    ChildInput,
    PersonInput,
    case_details_change,
    case_note_add,
    case_note_change,
    case_owner_change,
    child_details_change,
    complainant_details_change,
)
from opencomplaints.cases.tests import factories as f

pytestmark = pytest.mark.django_db

CALLED = datetime(2022, 5, 12, 10, 30, tzinfo=UTC)


def _call(case, user, **extra):
    values = {"kind": c.NoteKind.CALL, "occurred_at": CALLED, "summary": "Mother rang about the visit",
              "with_whom": "Mrs Jones", "direction": c.NoteDirection.IN, **extra}  # fmt: skip
    return case_note_add(case=case, acting_user=user, **values)


def test_a_note_is_added_and_audited_without_its_words(council, complaints_officer):
    case = f.register(council, complaints_officer)
    note = _call(case, complaints_officer)
    assert note.author == complaints_officer
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_NOTE_ADDED)
    assert event.case_id == case.pk
    assert "Mother rang" not in str(event.after)


def test_a_note_needs_words_and_cannot_be_in_the_future(council, complaints_officer):
    case = f.register(council, complaints_officer)
    with pytest.raises(ProcedureError, match=errors.NOTE_NEEDS_SUMMARY):
        _call(case, complaints_officer, summary="   ")
    with pytest.raises(ProcedureError, match="cannot be in the future"):
        _call(case, complaints_officer, occurred_at=timezone.now() + timedelta(days=1))


def test_only_the_author_changes_a_note(council, complaints_officer, complaints_manager):
    case = f.register(council, complaints_officer)
    note = _call(case, complaints_officer)
    with pytest.raises(ProcedureError, match=errors.NOTE_NOT_YOURS):
        case_note_change(note=note, acting_user=complaints_manager, kind="call", occurred_at=CALLED, summary="X")
    case_note_change(note=note, acting_user=complaints_officer, kind="meeting", occurred_at=CALLED, summary="Met")
    note.refresh_from_db()
    assert (note.kind, note.summary) == ("meeting", "Met")
    changed = AuditEvent.objects.get(event_type=AuditEventType.CASE_NOTE_CHANGED)
    assert changed.before["kind"] == "call"
    assert changed.after["kind"] == "meeting"


def test_restricted_notes_are_for_managers_and_their_author(council, complaints_officer, complaints_manager, db):
    from opencomplaints.accounts.tests.personas import member
    from opencomplaints.councils.models import Role

    colleague = member(council, "colleague", "Sam", "Reed", Role.COMPLAINTS_OFFICER)
    case = f.register(council, complaints_officer)
    open_note = _call(case, complaints_officer)
    secret = _call(case, complaints_officer, restricted=True, summary="Safeguarding concern")

    def seen(user):
        return set(notes_for_case(case=case, user=user, permissions=case_permissions(user=user, case=case)))

    assert seen(complaints_manager) == {open_note, secret}
    assert seen(complaints_officer) == {open_note, secret}
    assert seen(colleague) == {open_note}


def test_a_mistyped_name_is_corrected_with_before_and_after(council, complaints_officer):
    case = f.register(council, complaints_officer, complainants=[f.complainant(first_name="Jhon", last_name="Smith")])
    complainant = case.complainants.get()
    complainant_details_change(
        complainant=complainant, acting_user=complaints_officer, values={"first_name": "John", "last_name": "Smith"}
    )
    complainant.person.refresh_from_db()
    assert complainant.person.first_name == "John"
    event = AuditEvent.objects.get(event_type=AuditEventType.COMPLAINANT_DETAILS_CHANGED)
    assert list(event.after) == ["person.first_name"]
    assert list(event.before) == ["person.first_name"]


def test_nothing_changed_is_refused(council, complaints_officer):
    case = f.register(council, complaints_officer, summary="About the visit")
    with pytest.raises(ProcedureError, match=errors.DETAILS_UNCHANGED):
        case_details_change(case=case, acting_user=complaints_officer, values={"summary": "About the visit"})


def test_how_received_is_corrected_on_the_case_and_its_open_stage(council, complaints_officer):
    case = f.accepted(council, complaints_officer)
    case_details_change(case=case, acting_user=complaints_officer, values={"received_via": c.ReceivedVia.PHONE})
    case.refresh_from_db()
    assert case.received_via == c.ReceivedVia.PHONE
    assert case.stages.get(number=1).received_via == c.ReceivedVia.PHONE
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_DETAILS_CHANGED)
    assert event.after == {"case.received_via": "phone"}


def test_an_unknown_detail_is_refused(council, complaints_officer):
    case = f.register(council, complaints_officer)
    with pytest.raises(ProcedureError, match="cannot be changed"):
        case_details_change(case=case, acting_user=complaints_officer, values={"reference": "X"})


def test_a_childs_details_are_corrected(council, complaints_officer):
    child = ChildInput(person=PersonInput(first_name="Amy", last_name="Lee", date_of_birth=date(2012, 1, 1)))
    case = f.register(council, complaints_officer, children=[child])
    record = case.children.select_related("person").get()
    child_details_change(
        child=record, acting_user=complaints_officer,
        values={"date_of_birth": date(2012, 2, 1), "support_category": c.SupportCategory.CARE_LEAVER},
    )  # fmt: skip
    record.refresh_from_db()
    record.person.refresh_from_db()
    assert record.person.date_of_birth == date(2012, 2, 1)
    assert record.support_category == c.SupportCategory.CARE_LEAVER


def test_every_change_is_a_new_version_and_a_stale_one_is_refused(council, complaints_officer, complaints_manager):
    case = f.register(council, complaints_officer)
    opened = case.version
    case_owner_change(case=case, acting_user=complaints_officer, owner=complaints_manager, reason="Manager leads")
    case.refresh_from_db()
    assert case.version > opened
    check_version(case, case.version)
    check_version(case, None)
    with pytest.raises(StaleVersion) as refused:
        check_version(case, opened)
    assert refused.value.current == case.version
    assert "Someone else changed this case" in refused.value.message
