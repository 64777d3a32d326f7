"""Learning actions: the changes complaints lead to, followed until implemented or not, with the evidence or the
reason (R1.40 item 10)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, LearningAction
from opencomplaints.cases.services._common import (
    changes,
    clean,
    record,
    require_members,
    require_same_council,
    save_changes,
    snapshot,
)
from opencomplaints.councils.models import Council, Team

__all__ = [
    "UNSET",
    "learning_action_complete",
    "learning_action_create",
    "learning_action_not_implemented",
    "learning_action_update",
]


class _Unset(enum.Enum):
    UNSET = enum.auto()


#: "Leave as it is" for the fields of :func:`learning_action_update` that may be set to blank.
UNSET = _Unset.UNSET

_FIELDS = (
    "finding",
    "action",
    "owner",
    "team",
    "due_date",
    "status",
    "implemented_date",
    "evidence",
    "not_implemented_reason",
)
_FINISHED = frozenset({c.LearningActionStatus.IMPLEMENTED, c.LearningActionStatus.NOT_IMPLEMENTED})


def _check_links(council: Council, cases: Sequence[Case], owner: User | None, team: Team | None) -> None:
    for case in cases:
        require_same_council(council, case, f"The case {case.reference}")
    require_same_council(council, team, f"The team {team}")
    require_members(council, [owner])


def _event(
    action: LearningAction,
    *,
    acting_user: User | None,
    event_type: AuditEventType,
    summary: str,
    before: dict[str, Any],
    extra_before: dict[str, Any] | None = None,
    extra_after: dict[str, Any] | None = None,
    case_ids: Sequence[int] | None = None,
) -> None:
    old, new = changes(before, snapshot(action, _FIELDS))
    if case_ids is None:
        case_ids = list(action.cases.values_list("pk", flat=True))
    record(
        acting_user=acting_user,
        event_type=event_type,
        subject=action,
        # The event belongs on a case's timeline when the action comes from exactly one case.
        case=case_ids[0] if len(case_ids) == 1 else None,
        summary=summary,
        before={**old, **(extra_before or {})},
        after={**new, **(extra_after or {}), "cases": list(case_ids)},
    )


@transaction.atomic
def learning_action_create(
    *,
    council: Council,
    acting_user: User | None,
    finding: str,
    action: str,
    cases: Sequence[Case] = (),
    owner: User | None = None,
    team: Team | None = None,
    due_date: date | None = None,
) -> LearningAction:
    """Record what complaints showed (``finding``) and what will change (``action``), for the annual report's
    learning section (R1.40 item 10)."""
    finding, action = finding.strip(), action.strip()
    if not finding or not action:
        raise ProcedureError(errors.LEARNING_NEEDS_TEXT)
    _check_links(council, cases, owner, team)
    learning = LearningAction(
        council=council, finding=finding, action=action, owner=owner, team=team, due_date=due_date
    )
    clean(learning)
    learning.save()
    if cases:
        learning.cases.set(cases)
    _event(
        learning,
        acting_user=acting_user,
        event_type=AuditEventType.LEARNING_ACTION_CREATED,
        summary=f"Learning action #{learning.pk} created",
        before={},
        case_ids=[case.pk for case in cases],
    )
    return learning


def _lock(action: LearningAction) -> None:
    action.refresh_from_db(from_queryset=LearningAction.objects.select_for_update())


@transaction.atomic
def learning_action_update(
    *,
    action: LearningAction,
    acting_user: User | None,
    finding: str | None = None,
    action_text: str | None = None,
    owner: User | _Unset | None = UNSET,
    team: Team | _Unset | None = UNSET,
    due_date: date | _Unset | None = UNSET,
    status: str | None = None,
    cases: Sequence[Case] | None = None,
) -> LearningAction:
    """Change a learning action's details. Only "planned" and "in progress" are set here: finishing one goes
    through :func:`learning_action_complete` or :func:`learning_action_not_implemented`, which record the
    evidence or the reason (R1.40 item 10). Arguments left out (or ``UNSET``) are not changed."""
    _lock(action)
    council = action.council
    before = snapshot(action, _FIELDS)
    old_cases = list(action.cases.values_list("pk", flat=True))
    fields: list[str] = []
    if finding is not None:
        action.finding = finding.strip()
        fields.append("finding")
    if action_text is not None:
        action.action = action_text.strip()
        fields.append("action")
    if not action.finding or not action.action:
        raise ProcedureError(errors.LEARNING_NEEDS_TEXT)
    if not isinstance(owner, _Unset):
        require_members(council, [owner])
        action.owner = owner
        fields.append("owner")
    if not isinstance(team, _Unset):
        require_same_council(council, team, f"The team {team}")
        action.team = team
        fields.append("team")
    if not isinstance(due_date, _Unset):
        action.due_date = due_date
        fields.append("due_date")
    if status is not None:
        if status in _FINISHED or status not in c.LearningActionStatus.values:
            raise ProcedureError(errors.LEARNING_STATUS_BY_UPDATE, field="status")
        action.status = status
        fields.append("status")
    new_cases = old_cases
    if cases is not None:
        for case in cases:
            require_same_council(council, case, f"The case {case.reference}")
        action.cases.set(cases)
        new_cases = [case.pk for case in cases]
    save_changes(action, fields)
    _event(
        action,
        acting_user=acting_user,
        event_type=AuditEventType.LEARNING_ACTION_UPDATED,
        summary=f"Learning action #{action.pk} updated",
        before=before,
        extra_before={"cases": old_cases} if new_cases != old_cases else None,
        case_ids=new_cases,
    )
    return action


@transaction.atomic
def learning_action_complete(
    *, action: LearningAction, acting_user: User | None, implemented_date: date | None, evidence: str
) -> LearningAction:
    """Record that the action was implemented, when, and the evidence that it was (R1.40 item 10)."""
    _lock(action)
    if action.status in _FINISHED:
        raise ProcedureError(errors.LEARNING_ALREADY_FINISHED.format(status=action.get_status_display().lower()))
    evidence = evidence.strip()
    if implemented_date is None or not evidence:
        raise ProcedureError(errors.LEARNING_NEEDS_EVIDENCE, field="evidence")
    before = snapshot(action, _FIELDS)
    action.status = c.LearningActionStatus.IMPLEMENTED
    action.implemented_date = implemented_date
    action.evidence = evidence
    save_changes(action, ["status", "implemented_date", "evidence"])
    _event(
        action,
        acting_user=acting_user,
        event_type=AuditEventType.LEARNING_ACTION_IMPLEMENTED,
        summary=f"Learning action #{action.pk} implemented",
        before=before,
    )
    return action


@transaction.atomic
def learning_action_not_implemented(*, action: LearningAction, acting_user: User | None, reason: str) -> LearningAction:
    """Record that the action will not be implemented, and why: the annual report gives the reason (R1.40
    item 10)."""
    _lock(action)
    if action.status in _FINISHED:
        raise ProcedureError(errors.LEARNING_ALREADY_FINISHED.format(status=action.get_status_display().lower()))
    reason = reason.strip()
    if not reason:
        raise ProcedureError(errors.LEARNING_NEEDS_REASON, field="reason")
    before = snapshot(action, _FIELDS)
    action.status = c.LearningActionStatus.NOT_IMPLEMENTED
    action.not_implemented_reason = reason
    save_changes(action, ["status", "not_implemented_reason"])
    _event(
        action,
        acting_user=acting_user,
        event_type=AuditEventType.LEARNING_ACTION_NOT_IMPLEMENTED,
        summary=f"Learning action #{action.pk} not implemented",
        before=before,
    )
    return action
