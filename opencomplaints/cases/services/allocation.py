"""Who owns a case: one case given to someone with a reason (``case_owner_change``, in ``cases``), or many at once
from the tracker (``case_allocate_bulk``). The owner is also the owner of the case's open stage, so each stage keeps
who handled it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.access import users_who_may_own
from opencomplaints.cases.concurrency import check_version
from opencomplaints.cases.errors import ProcedureError, StaleVersion
from opencomplaints.cases.models import Case, Stage
from opencomplaints.cases.services._common import lock_case, record, require_members
from opencomplaints.councils.models import Council

__all__ = ["ALLOCATE_LIMIT", "AllocationResult", "case_allocate_bulk", "owner_set", "require_may_own"]

# The most cases one allocation changes: a tracker page holds 50.
ALLOCATE_LIMIT = 200


def require_may_own(council: Council, owner: User | None) -> None:
    """The owner of a case of ``council`` is someone whose role there may own cases (``CASE_OWNER_ROLES``)."""
    if owner is None:
        return
    require_members(council, [owner])
    if not users_who_may_own(councils=[council]).filter(pk=owner.pk).exists():
        raise ProcedureError(errors.OWNER_MAY_NOT_OWN.format(user=owner, council=council.name), field="owner")


def owner_set(
    *, case: Case, owner: User | None, reason: str, acting_user: User | None, event_type: AuditEventType, summary: str
) -> bool:
    """Give ``case`` (already locked) to ``owner``, and its open stage with it, with the audit event; ``False``
    (nothing changed, nothing recorded) if it was theirs already."""
    new_owner = owner.pk if owner is not None else None
    if new_owner == case.owner_id:
        return False
    before = {"case.owner": case.owner_id}
    case.owner = owner
    case.save(update_fields=["owner", "updated_at"])
    Stage.objects.filter(case=case, response_date__isnull=True).update(owner=owner)
    record(
        acting_user=acting_user,
        event_type=event_type,
        subject=case,
        case=case,
        summary=summary,
        before=before,
        after={"case.owner": new_owner, "reason": FreeText(reason)},
    )
    return True


class AllocationResult:
    """What ``case_allocate_bulk`` did: the cases given to the owner, and those that were theirs already."""

    def __init__(self, changed: list[Case], unchanged: list[Case]) -> None:
        self.changed = changed
        self.unchanged = unchanged


@transaction.atomic
def case_allocate_bulk(
    *,
    cases: Sequence[Case],
    owner: User | None,
    reason: str,
    acting_user: User | None,
    versions: Mapping[int, int] | None = None,
) -> AllocationResult:
    """Give every one of ``cases`` to ``owner`` (or to no one), saying why: all of them or, if any is refused, none.
    Each case changed gets its own audit event. ``versions`` are the versions the tracker showed (by case id): a case
    changed since then refuses the whole allocation, as a stale form does. A closed case cannot be allocated; a case
    already the owner's is left as it is."""
    reason = reason.strip()
    if not cases:
        raise ProcedureError(errors.ALLOCATE_NOTHING_CHOSEN, field="cases")
    if len(cases) > ALLOCATE_LIMIT:
        raise ProcedureError(errors.ALLOCATE_TOO_MANY.format(limit=ALLOCATE_LIMIT), field="cases")
    if not reason:
        raise ProcedureError(errors.ALLOCATE_NEEDS_REASON, field="reason")
    versions = versions or {}
    changed: list[Case] = []
    unchanged: list[Case] = []
    checked_councils: set[int] = set()
    # In id order, so two allocations of overlapping cases lock them in the same order and never deadlock.
    for case in sorted(cases, key=lambda x: x.pk):
        try:
            check_version(case, versions.get(case.pk))
        except StaleVersion as error:
            raise ProcedureError(errors.ALLOCATE_STALE.format(reference=case.reference), field="cases") from error
        lock_case(case, stages=False)
        if case.status == c.CaseStatus.CLOSED:
            raise ProcedureError(errors.ALLOCATE_CLOSED.format(reference=case.reference), field="cases")
        if case.council_id not in checked_councils:
            require_may_own(case.council, owner)
            checked_councils.add(case.council_id)
        done = owner_set(
            case=case,
            owner=owner,
            reason=reason,
            acting_user=acting_user,
            event_type=AuditEventType.CASE_ALLOCATED,
            summary=f"{case.reference} given to {f'user #{owner.pk}' if owner else 'no one'} with "
            f"{len(cases) - 1} other case{'' if len(cases) == 2 else 's'}",
        )
        (changed if done else unchanged).append(case)
    return AllocationResult(changed, unchanged)
