"""Who owns a case and its stages: at registration, changed with a reason, and many cases at once from the tracker
(``case_allocate_bulk``: all or nothing, one audit event per case, version checks)."""

from datetime import date

import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, Stage
from opencomplaints.cases.services import (
    case_allocate_bulk,
    case_owner_change,
    complaint_escalate,
    complaint_withdraw,
    stage_respond,
)
from opencomplaints.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_complaint_registered_with_an_owner_gives_its_first_stage_to_them(council, complaints_officer):
    case = f.register(council, complaints_officer, owner=complaints_officer)
    assert case.owner == complaints_officer
    assert Stage.objects.get(case=case).owner == complaints_officer


def test_someone_whose_role_may_not_own_cases_is_refused(council, complaints_officer, investigating_officer):
    with pytest.raises(ProcedureError) as raised:
        f.register(council, complaints_officer, owner=investigating_officer)
    assert raised.value.field == "owner"
    assert "cannot own cases" in raised.value.message
    case = f.accepted(council, complaints_officer)
    with pytest.raises(ProcedureError):
        case_owner_change(case=case, acting_user=complaints_officer, owner=investigating_officer, reason="Help")


def test_an_investigating_manager_may_own_a_case(council, complaints_manager, investigating_manager):
    case = f.accepted(council, complaints_manager)
    case_owner_change(case=case, acting_user=complaints_manager, owner=investigating_manager, reason="Their team")
    assert Stage.objects.get(case=case).owner == investigating_manager


def test_a_change_of_owner_moves_the_open_stage_and_keeps_the_answered_one(
    council, complaints_manager, complaints_officer
):
    stage2 = f.at_stage2(council, complaints_manager)
    case = stage2.case
    stage1 = Stage.objects.get(case=case, number=1)
    case_owner_change(case=case, acting_user=complaints_manager, owner=complaints_officer, reason="Back from leave")
    stage1.refresh_from_db()
    stage2.refresh_from_db()
    assert stage2.owner == complaints_officer
    assert stage1.owner is None


def test_a_new_stage_starts_with_the_cases_owner(council, complaints_manager, complaints_officer):
    case = f.accepted(council, complaints_manager, owner=complaints_officer)
    stage_respond(
        stage=f.stage(case, 1), acting_user=complaints_manager, response_date=date(2022, 6, 10), outcome="not_upheld"
    )
    stage2 = complaint_escalate(case=case, acting_user=complaints_manager, request_received_date=date(2022, 6, 20))
    assert stage2.owner == complaints_officer


def test_bulk_allocation_gives_every_case_with_an_event_each(council, complaints_manager, complaints_officer):
    cases = [f.accepted(council, complaints_manager) for _ in range(3)]
    result = case_allocate_bulk(
        cases=cases, owner=complaints_officer, reason="Sharing the week's cases", acting_user=complaints_manager
    )
    assert len(result.changed) == 3
    assert set(Case.objects.values_list("owner", flat=True)) == {complaints_officer.pk}
    assert set(Stage.objects.values_list("owner", flat=True)) == {complaints_officer.pk}
    events = AuditEvent.objects.filter(event_type=AuditEventType.CASE_ALLOCATED)
    assert {e.case_id for e in events} == {x.pk for x in cases}
    assert all(e.after["case.owner"] == complaints_officer.pk for e in events)
    assert all(e.acting_user == complaints_manager for e in events)
    # Free text is never kept in the audit row itself.
    assert "Sharing" not in str(events[0].after)


def test_a_case_already_the_owners_is_left_as_it_is(council, complaints_manager, complaints_officer):
    theirs = f.accepted(council, complaints_manager, owner=complaints_officer)
    other = f.accepted(council, complaints_manager)
    result = case_allocate_bulk(
        cases=[theirs, other], owner=complaints_officer, reason="Even out", acting_user=complaints_manager
    )
    assert [x.pk for x in result.changed] == [other.pk]
    assert [x.pk for x in result.unchanged] == [theirs.pk]
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_ALLOCATED).count() == 1


def test_one_refusal_changes_nothing(council, complaints_manager, complaints_officer):
    open_case = f.accepted(council, complaints_manager)
    closed = f.accepted(council, complaints_manager)
    complaint_withdraw(case=closed, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 1))
    with pytest.raises(ProcedureError) as raised:
        case_allocate_bulk(
            cases=[open_case, closed], owner=complaints_officer, reason="Even out", acting_user=complaints_manager
        )
    assert raised.value.message == errors.ALLOCATE_CLOSED.format(reference=closed.reference)
    open_case.refresh_from_db()
    assert open_case.owner is None
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASE_ALLOCATED).exists()


def test_a_case_changed_since_the_tracker_was_read_refuses_the_allocation(
    council, complaints_manager, complaints_officer
):
    first, second = f.accepted(council, complaints_manager), f.accepted(council, complaints_manager)
    versions = {first.pk: first.version, second.pk: second.version - 1}
    with pytest.raises(ProcedureError) as raised:
        case_allocate_bulk(
            cases=[first, second],
            owner=complaints_officer,
            reason="Even out",
            acting_user=complaints_manager,
            versions=versions,
        )
    assert second.reference in raised.value.message
    assert not Case.objects.filter(owner=complaints_officer).exists()


@pytest.mark.parametrize(
    ("reason", "owner_role", "count", "message"),
    [
        ("", "officer", 1, errors.ALLOCATE_NEEDS_REASON),
        ("  ", "officer", 1, errors.ALLOCATE_NEEDS_REASON),
        ("Even out", "officer", 0, errors.ALLOCATE_NOTHING_CHOSEN),
        ("Even out", "investigator", 1, "cannot own cases"),
    ],
)
def test_bulk_allocation_refusals(
    council, complaints_manager, complaints_officer, investigating_officer, reason, owner_role, count, message
):
    cases = [f.accepted(council, complaints_manager) for _ in range(count)]
    owner = complaints_officer if owner_role == "officer" else investigating_officer
    with pytest.raises(ProcedureError) as raised:
        case_allocate_bulk(cases=cases, owner=owner, reason=reason, acting_user=complaints_manager)
    assert message in raised.value.message


def test_unallocating_gives_the_cases_to_no_one(council, complaints_manager, complaints_officer):
    case = f.accepted(council, complaints_manager, owner=complaints_officer)
    case_allocate_bulk(cases=[case], owner=None, reason="Leaving", acting_user=complaints_manager)
    case.refresh_from_db()
    assert case.owner is None
    assert case.status == c.CaseStatus.OPEN
