"""Restricted cases: who is named on one, and a complaints manager's emergency ("break-glass") access to one.

Each service is one transaction with one audit event. A case is restricted when it is about someone who could
otherwise read it, such as a member of the complaints team or a senior officer; from then on only the people named
on it see it (``opencomplaints.cases.access``). Grants are never deleted: removing someone dates their grant.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText
from opencomplaints.cases import errors
from opencomplaints.cases.access import ROLES_SEEING_NO_CASES
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, CaseAccessGrant
from opencomplaints.cases.services._common import clean, lock_case, record
from opencomplaints.common.dates import long_date
from opencomplaints.councils.models import CouncilMembership, Role

__all__ = [
    "BREAK_GLASS_HOURS",
    "case_access_grant",
    "case_access_revoke",
    "case_break_glass",
    "case_restrict",
    "case_unrestrict",
]

# Emergency access lasts a working day: long enough to deal with what prompted it, short enough that nobody keeps
# it by forgetting to give it back.
BREAK_GLASS_HOURS = 8


def _require_manager(case: Case, user: User | None) -> None:
    is_manager = (
        user is not None
        and CouncilMembership.objects.filter(
            user_id=user.pk, council_id=case.council_id, role=Role.COMPLAINTS_MANAGER
        ).exists()
    )
    if not is_manager:
        raise ProcedureError(errors.ACCESS_NEEDS_MANAGER.format(council=case.council.name))


def _require_reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ProcedureError(message, field="reason")
    return reason


def _require_nameable(case: Case, user: User) -> None:
    role = CouncilMembership.objects.filter(user_id=user.pk, council_id=case.council_id).values_list("role", flat=True)
    found = role.first()
    if found is None:
        raise ProcedureError(
            errors.GRANT_NOT_A_MEMBER.format(user=user, council=case.council.name), field="named_users"
        )
    if found in ROLES_SEEING_NO_CASES:
        raise ProcedureError(
            errors.GRANT_ROLE_SEES_NO_CASES.format(
                user=user, role=Role(found).label.lower(), council=case.council.name
            ),
            field="named_users",
        )


def _current(case: Case, user: User, now: datetime) -> CaseAccessGrant | None:
    grant = CaseAccessGrant.objects.select_for_update().filter(case=case, user=user, revoked_at__isnull=True).first()
    if grant is not None and grant.expires_at is not None and grant.expires_at <= now:
        # An expired break-glass grant is closed off, so the user may be named (or break the glass) afresh.
        grant.revoked_at = grant.expires_at
        clean(grant)
        grant.save(update_fields=["revoked_at"])
        return None
    return grant


def _grant(case: Case, user: User, *, acting_user: User | None, reason: str, now: datetime) -> CaseAccessGrant:
    grant = CaseAccessGrant(case=case, user=user, granted_by=acting_user, granted_at=now, reason=reason)
    clean(grant)
    grant.save()
    return grant


@transaction.atomic
def case_restrict(
    *, case: Case, acting_user: User, reason: str, named_users: Sequence[User] = (), now: datetime | None = None
) -> Case:
    """Restrict ``case`` to the people named: ``named_users`` and the complaints manager doing it (who would
    otherwise lock themselves out). Each must be a member of the case's council whose role sees cases."""
    now = now or timezone.now()
    lock_case(case, stages=False)
    _require_manager(case, acting_user)
    reason = _require_reason(reason, errors.RESTRICT_NEEDS_REASON)
    if case.restricted:
        raise ProcedureError(errors.ALREADY_RESTRICTED.format(reference=case.reference))
    people = list(dict.fromkeys([acting_user, *named_users]))
    for person in people:
        _require_nameable(case, person)
    case.restricted = True
    case.save(update_fields=["restricted", "updated_at"])
    for person in people:
        if _current(case, person, now) is None:
            _grant(case, person, acting_user=acting_user, reason=reason, now=now)
    record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_RESTRICTED,
        subject=case,
        case=case,
        summary=f"Restricted to {', '.join(str(p) for p in people)}",
        before={"case.restricted": False},
        after={"case.restricted": True, "named": [p.pk for p in people], "reason": FreeText(reason)},
    )
    return case


@transaction.atomic
def case_unrestrict(*, case: Case, acting_user: User, reason: str, now: datetime | None = None) -> Case:
    """Lift the restriction: everyone whose role allows sees the case again. The grants stay, dated, as the record
    of who was named while it was restricted."""
    now = now or timezone.now()
    lock_case(case, stages=False)
    _require_manager(case, acting_user)
    reason = _require_reason(reason, errors.UNRESTRICT_NEEDS_REASON)
    if not case.restricted:
        raise ProcedureError(errors.NOT_RESTRICTED.format(reference=case.reference))
    case.restricted = False
    case.save(update_fields=["restricted", "updated_at"])
    ended = CaseAccessGrant.objects.filter(case=case, revoked_at__isnull=True)
    ended.update(revoked_at=now, revoked_by=acting_user)
    record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_UNRESTRICTED,
        subject=case,
        case=case,
        summary="Restriction lifted",
        before={"case.restricted": True},
        after={"case.restricted": False, "reason": FreeText(reason)},
    )
    return case


@transaction.atomic
def case_access_grant(
    *, case: Case, user: User, acting_user: User, reason: str, now: datetime | None = None
) -> CaseAccessGrant:
    """Name ``user`` on the restricted ``case``, so they see it as their role allows."""
    now = now or timezone.now()
    lock_case(case, stages=False)
    _require_manager(case, acting_user)
    if not case.restricted:
        raise ProcedureError(errors.NOT_RESTRICTED.format(reference=case.reference))
    reason = _require_reason(reason, errors.GRANT_NEEDS_REASON.format(user=user))
    _require_nameable(case, user)
    if _current(case, user, now) is not None:
        raise ProcedureError(errors.GRANT_ALREADY.format(user=user, reference=case.reference), field="user")
    grant = _grant(case, user, acting_user=acting_user, reason=reason, now=now)
    record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_ACCESS_GRANTED,
        subject=grant,
        case=case,
        summary=f"{user} named on the case",
        after={"user": user.pk, "username": user.username, "reason": FreeText(reason)},
    )
    return grant


@transaction.atomic
def case_access_revoke(*, grant: CaseAccessGrant, acting_user: User, now: datetime | None = None) -> CaseAccessGrant:
    """Take away a named person's (or an emergency) access to a restricted case."""
    now = now or timezone.now()
    case = grant.case
    lock_case(case, stages=False)
    _require_manager(case, acting_user)
    grant.refresh_from_db()
    ended = grant.revoked_at is not None or (grant.expires_at is not None and grant.expires_at <= now)
    if ended:
        raise ProcedureError(errors.GRANT_ALREADY_REVOKED.format(user=grant.user, reference=case.reference))
    grant.revoked_at = now
    grant.revoked_by = acting_user
    clean(grant)
    grant.save(update_fields=["revoked_at", "revoked_by"])
    record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_ACCESS_REVOKED,
        subject=grant,
        case=case,
        summary=f"{grant.user} no longer named on the case",
        before={"user": grant.user_id, "username": grant.user.username},
    )
    return grant


@transaction.atomic
def case_break_glass(*, case: Case, acting_user: User, reason: str, now: datetime | None = None) -> CaseAccessGrant:
    """A complaints manager's emergency access to a restricted case they are not named on, for
    ``BREAK_GLASS_HOURS``. The reason is kept on the grant and shown on the case's "who has seen it" page, where
    the other managers see it."""
    now = now or timezone.now()
    lock_case(case, stages=False)
    _require_manager(case, acting_user)
    reason = _require_reason(reason, errors.BREAK_GLASS_NEEDS_REASON)
    if not case.restricted or _current(case, acting_user, now) is not None:
        raise ProcedureError(errors.BREAK_GLASS_NOT_NEEDED.format(reference=case.reference))
    expires_at = now + timedelta(hours=BREAK_GLASS_HOURS)
    grant = CaseAccessGrant(
        case=case,
        user=acting_user,
        granted_by=acting_user,
        granted_at=now,
        reason=reason,
        break_glass=True,
        expires_at=expires_at,
    )
    clean(grant)
    grant.save()
    until = timezone.localtime(expires_at)
    clock = f"{until.hour % 12 or 12}:{until.minute:02d}{'am' if until.hour < 12 else 'pm'}"
    record(
        acting_user=acting_user,
        event_type=AuditEventType.BREAK_GLASS,
        subject=grant,
        case=case,
        summary=f"Emergency access until {clock} on {long_date(until.date())}",
        after={"reason": FreeText(reason), "expires_at": expires_at},
    )
    return grant
