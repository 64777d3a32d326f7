"""case_restrict / case_unrestrict / case_access_grant / case_access_revoke / case_break_glass: who may see a
restricted case, each change one audited transaction (ADR 0005)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.audit.selectors import event_text
from opencomplaints.cases import errors
from opencomplaints.cases.access import case_queryset_for_user
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import CaseAccessGrant
from opencomplaints.cases.services import (
    case_access_grant,
    case_access_revoke,
    case_break_glass,
    case_restrict,
    case_unrestrict,
)
from opencomplaints.cases.services.restrictions import BREAK_GLASS_HOURS

pytestmark = pytest.mark.django_db

REASON = "About a member of the complaints team"


def visible_to(user, case):
    return case_queryset_for_user(user=user).filter(pk=case.pk).exists()


def events(case, event_type):
    return list(AuditEvent.objects.filter(case=case, event_type=event_type))


def test_restrict_names_the_manager_and_the_people_given(
    complaint, complaints_manager, complaints_officer, adjudicator
):
    case_restrict(case=complaint, acting_user=complaints_manager, reason=REASON, named_users=[complaints_officer])

    complaint.refresh_from_db()
    assert complaint.restricted
    assert set(complaint.access_grants.values_list("user__username", flat=True)) == {"manager.mo", "officer.ola"}
    assert visible_to(complaints_manager, complaint)
    assert visible_to(complaints_officer, complaint)
    [event] = events(complaint, AuditEventType.CASE_RESTRICTED)
    assert event.acting_user == complaints_manager
    assert event.after["reason"] == {"free_text": True, "characters": len(REASON)}
    assert event_text(event, "reason") == REASON
    assert REASON not in event.summary
    assert event.before == {"case.restricted": False}


def test_only_a_complaints_manager_restricts(complaint, complaints_officer):
    with pytest.raises(ProcedureError) as raised:
        case_restrict(case=complaint, acting_user=complaints_officer, reason=REASON)
    assert raised.value.message == errors.ACCESS_NEEDS_MANAGER.format(council="Borough of Exampleton")
    complaint.refresh_from_db()
    assert not complaint.restricted


def test_restrict_needs_a_reason(complaint, complaints_manager):
    with pytest.raises(ProcedureError) as raised:
        case_restrict(case=complaint, acting_user=complaints_manager, reason="  ")
    assert (raised.value.message, raised.value.field) == (errors.RESTRICT_NEEDS_REASON, "reason")


def test_restrict_refuses_someone_who_cannot_be_named(
    complaint, complaints_manager, report_viewer, other_council_officer
):
    with pytest.raises(ProcedureError) as raised:
        case_restrict(case=complaint, acting_user=complaints_manager, reason=REASON, named_users=[report_viewer])
    assert raised.value.message == errors.GRANT_ROLE_SEES_NO_CASES.format(
        user=report_viewer, role="report viewer (aggregate reports only)", council="Borough of Exampleton"
    )
    with pytest.raises(ProcedureError) as raised:
        case_restrict(
            case=complaint, acting_user=complaints_manager, reason=REASON, named_users=[other_council_officer]
        )
    assert raised.value.message == errors.GRANT_NOT_A_MEMBER.format(
        user=other_council_officer, council="Borough of Exampleton"
    )
    assert not CaseAccessGrant.objects.exists()


def test_restricting_twice_is_refused(complaint, complaints_manager):
    case_restrict(case=complaint, acting_user=complaints_manager, reason=REASON)
    with pytest.raises(ProcedureError) as raised:
        case_restrict(case=complaint, acting_user=complaints_manager, reason=REASON)
    assert raised.value.message == errors.ALREADY_RESTRICTED.format(reference=complaint.reference)


def test_grant_and_revoke(complaint, complaints_manager, complaints_officer):
    case_restrict(case=complaint, acting_user=complaints_manager, reason=REASON)
    assert not visible_to(complaints_officer, complaint)

    grant = case_access_grant(
        case=complaint, user=complaints_officer, acting_user=complaints_manager, reason="Handles the complaint"
    )
    assert visible_to(complaints_officer, complaint)
    with pytest.raises(ProcedureError) as raised:
        case_access_grant(case=complaint, user=complaints_officer, acting_user=complaints_manager, reason="Again")
    assert raised.value.message == errors.GRANT_ALREADY.format(user=complaints_officer, reference=complaint.reference)

    case_access_revoke(grant=grant, acting_user=complaints_manager)
    assert not visible_to(complaints_officer, complaint)
    grant.refresh_from_db()
    assert (grant.revoked_by, grant.revoked_at is not None) == (complaints_manager, True)
    with pytest.raises(ProcedureError):
        case_access_revoke(grant=grant, acting_user=complaints_manager)
    assert [e.event_type for e in AuditEvent.objects.filter(case=complaint, event_type__gte=711)] == [
        AuditEventType.CASE_RESTRICTED,
        AuditEventType.CASE_ACCESS_GRANTED,
        AuditEventType.CASE_ACCESS_REVOKED,
    ]


def test_a_grant_needs_a_restricted_case_and_a_reason(complaint, complaints_manager, complaints_officer):
    with pytest.raises(ProcedureError) as raised:
        case_access_grant(case=complaint, user=complaints_officer, acting_user=complaints_manager, reason="x")
    assert raised.value.message == errors.NOT_RESTRICTED.format(reference=complaint.reference)
    case_restrict(case=complaint, acting_user=complaints_manager, reason=REASON)
    with pytest.raises(ProcedureError) as raised:
        case_access_grant(case=complaint, user=complaints_officer, acting_user=complaints_manager, reason="")
    assert raised.value.message == errors.GRANT_NEEDS_REASON.format(user=complaints_officer)


def test_unrestrict_ends_the_grants_and_everyone_sees_it_again(complaint, complaints_manager, complaints_officer):
    case_restrict(case=complaint, acting_user=complaints_manager, reason=REASON)
    case_unrestrict(case=complaint, acting_user=complaints_manager, reason="Investigation over")

    complaint.refresh_from_db()
    assert not complaint.restricted
    assert visible_to(complaints_officer, complaint)
    assert not CaseAccessGrant.objects.filter(case=complaint, revoked_at__isnull=True).exists()
    assert event_text(events(complaint, AuditEventType.CASE_UNRESTRICTED)[0], "reason") == "Investigation over"


def test_break_glass_gives_a_manager_time_limited_access_with_a_reason(complaint, complaints_manager, council):
    from opencomplaints.accounts.tests.personas import member
    from opencomplaints.councils.models import Role

    other_manager = member(council, "manager.max", "Max", "Penrose", Role.COMPLAINTS_MANAGER)
    case_restrict(case=complaint, acting_user=other_manager, reason=REASON)
    assert not visible_to(complaints_manager, complaint)
    now = timezone.now()

    grant = case_break_glass(case=complaint, acting_user=complaints_manager, reason="Ombudsman asked today", now=now)

    assert (grant.break_glass, grant.expires_at) == (True, now + timedelta(hours=BREAK_GLASS_HOURS))
    assert visible_to(complaints_manager, complaint)
    [event] = events(complaint, AuditEventType.BREAK_GLASS)
    assert event.acting_user == complaints_manager
    assert event_text(event, "reason") == "Ombudsman asked today"
    assert "Ombudsman asked" not in event.summary
    with pytest.raises(ProcedureError) as raised:
        case_break_glass(case=complaint, acting_user=complaints_manager, reason="Again", now=now)
    assert raised.value.message == errors.BREAK_GLASS_NOT_NEEDED.format(reference=complaint.reference)
    # Once it has run out, the glass can be broken again.
    assert grant.expires_at is not None
    later = grant.expires_at + timedelta(minutes=1)
    again = case_break_glass(case=complaint, acting_user=complaints_manager, reason="Still needed", now=later)
    grant.refresh_from_db()
    assert grant.revoked_at == grant.expires_at
    assert again.pk != grant.pk


def test_break_glass_needs_a_reason_and_a_manager(complaint, complaints_manager, complaints_officer):
    case_restrict(case=complaint, acting_user=complaints_manager, reason=REASON)
    with pytest.raises(ProcedureError) as raised:
        case_break_glass(case=complaint, acting_user=complaints_officer, reason="Curious")
    assert raised.value.message == errors.ACCESS_NEEDS_MANAGER.format(council="Borough of Exampleton")
    with pytest.raises(ProcedureError) as raised:
        case_break_glass(case=complaint, acting_user=complaints_manager, reason="")
    assert raised.value.message == errors.BREAK_GLASS_NEEDS_REASON
