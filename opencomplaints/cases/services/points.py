"""Points of complaint at every stage, and the council's response to the recommendations of stages 2 and 3.

The points belong to the case and carry through its stages, with a finding on each at each stage
(``stages.respond``). Before the children's stage 2 they are recorded one by one here (stage 1, and every stage of
the corporate and adults' procedures); at the children's stage 2 they are the statement of complaint's
(``stage2.stage2_statement_agree``, R1.24). A point answered at some stage stays as it was answered.

A recommendation the council follows gets a follow-up (what will be done, by when, and when it was); one it does
not follow needs the reason (R1.33)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText
from opencomplaints.cases import errors, rules
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, ComplaintPoint, PointFinding, Recommendation
from opencomplaints.cases.services._common import (
    CaseState,
    changes,
    clean,
    lock_case,
    record,
    require_complaint,
    require_not_before,
    require_open,
    require_same_council,
    save_changes,
    snapshot,
)
from opencomplaints.councils.models import IssueCategory

__all__ = [
    "complaint_point_add",
    "complaint_point_change",
    "complaint_point_remove",
    "recommendation_follow_up_done",
    "recommendation_respond",
]

_POINT_FIELDS = ("number", "description", "issue_id")
_RECOMMENDATION_FIELDS = ("accepted", "reason", "follow_up_action", "follow_up_due_date", "follow_up_done_date")


def _editable(state: CaseState) -> None:
    """Points are recorded one by one while a stage is open that has no statement of complaint of its own."""
    case = state.case
    require_complaint(case)
    require_open(case)
    stage = state.open_stage
    if stage is None:
        raise ProcedureError(errors.POINTS_NO_OPEN_STAGE.format(reference=case.reference))
    if (case.procedure, stage.number) in rules.DEDICATED_RESPONSE:
        raise ProcedureError(errors.POINTS_BY_STATEMENT.format(number=stage.number))


def _described(description: str) -> str:
    description = description.strip()
    if not description:
        raise ProcedureError(errors.POINT_NEEDS_DESCRIPTION, field="description")
    return description


def _require_unanswered(point: ComplaintPoint, doing: str) -> None:
    answered = PointFinding.objects.filter(point=point).order_by("stage__number").values_list("stage__number")
    first = answered.first()
    if first is not None:
        raise ProcedureError(errors.POINT_ANSWERED.format(number=point.number, stage=first[0], doing=doing))


@transaction.atomic
def complaint_point_add(
    *, case: Case, acting_user: User | None, description: str, issue: IssueCategory | None = None
) -> ComplaintPoint:
    """Add a point of complaint to the case, numbered after the others."""
    state = lock_case(case)
    _editable(state)
    require_same_council(case.council_id, issue, f"The issue category {issue}")
    last = ComplaintPoint.objects.filter(case=case).order_by("-number").values_list("number", flat=True).first()
    point = ComplaintPoint(case=case, number=(last or 0) + 1, description=_described(description), issue=issue)
    clean(point)
    point.save()
    record(
        acting_user=acting_user,
        event_type=AuditEventType.POINT_ADDED,
        subject=point,
        case=case,
        summary=f"Point {point.number} added to {case.reference}",
        after=snapshot(point, _POINT_FIELDS),
    )
    return point


@transaction.atomic
def complaint_point_change(
    *, point: ComplaintPoint, acting_user: User | None, description: str, issue: IssueCategory | None = None
) -> ComplaintPoint:
    """Reword a point, or change its issue category, until it has been answered."""
    case = point.case
    state = lock_case(case)
    _editable(state)
    _require_unanswered(point, "changed")
    require_same_council(case.council_id, issue, f"The issue category {issue}")
    was = snapshot(point, _POINT_FIELDS)
    point.description, point.issue = _described(description), issue
    before, after = changes(was, snapshot(point, _POINT_FIELDS))
    if not after:
        raise ProcedureError(errors.DETAILS_UNCHANGED)
    save_changes(point, ["description", "issue"])
    record(
        acting_user=acting_user,
        event_type=AuditEventType.POINT_CHANGED,
        subject=point,
        case=case,
        summary=f"Point {point.number} of {case.reference} changed",
        before=before,
        after=after,
    )
    return point


@transaction.atomic
def complaint_point_remove(*, point: ComplaintPoint, acting_user: User | None) -> Case:
    """Remove a point not yet answered; the points after it move up one number."""
    case = point.case
    state = lock_case(case)
    _editable(state)
    _require_unanswered(point, "removed")
    before = snapshot(point, _POINT_FIELDS)
    number, pk = point.number, point.pk
    point.delete()
    for later in ComplaintPoint.objects.filter(case=case, number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])
    record(
        acting_user=acting_user,
        event_type=AuditEventType.POINT_REMOVED,
        subject=case,
        case=case,
        summary=f"Point {number} removed from {case.reference}",
        before={"point": pk, **before},
    )
    return case


def _recommendation_case(recommendation: Recommendation) -> Case:
    case = recommendation.stage.case
    lock_case(case, stages=False)
    recommendation.refresh_from_db()
    require_complaint(case)
    stage = recommendation.stage
    if stage.response_date is None:
        # Stage 3's recommendations are answered all together with the council's response to the panel.
        raise ProcedureError(errors.RECOMMENDATION_STAGE_OPEN.format(number=stage.number))
    return case


@transaction.atomic
def recommendation_respond(
    *,
    recommendation: Recommendation,
    acting_user: User | None,
    accepted: bool,
    reason: str = "",
    follow_up_action: str = "",
    follow_up_due_date: date | None = None,
) -> Recommendation:
    """Record whether the council follows a recommendation made at a stage already answered, with the reason if
    not (R1.33), and, if it does, what it will do and by when. A closed case's recommendations are followed up
    still."""
    case = _recommendation_case(recommendation)
    reason, action = reason.strip(), follow_up_action.strip()
    if accepted and reason:
        reason = ""
    if not accepted:
        if not reason:
            raise ProcedureError(
                errors.RECOMMENDATION_REJECTED_WITHOUT_REASON.format(number=recommendation.number), field="reason"
            )
        if action or follow_up_due_date is not None:
            raise ProcedureError(errors.FOLLOW_UP_NOT_FOLLOWED, field="follow_up_action")
    if follow_up_due_date is not None:
        if not action:
            raise ProcedureError(errors.FOLLOW_UP_DATE_NEEDS_ACTION, field="follow_up_action")
        assert recommendation.stage.response_date is not None  # noqa: S101 - checked above
        require_not_before(
            follow_up_due_date,
            recommendation.stage.response_date,
            what="The follow-up",
            other_what=f"the stage {recommendation.stage.number} response",
            field="follow_up_due_date",
        )
    was = snapshot(recommendation, _RECOMMENDATION_FIELDS)
    recommendation.accepted, recommendation.reason = accepted, reason
    recommendation.follow_up_action, recommendation.follow_up_due_date = action, follow_up_due_date
    if not action:
        recommendation.follow_up_done_date = None
    before, after = changes(was, snapshot(recommendation, _RECOMMENDATION_FIELDS))
    if not after:
        raise ProcedureError(errors.DETAILS_UNCHANGED)
    save_changes(recommendation, after)
    record(
        acting_user=acting_user,
        event_type=AuditEventType.RECOMMENDATION_RESPONDED,
        subject=recommendation,
        case=case,
        summary=f"Response to recommendation {recommendation.number} of stage {recommendation.stage.number} of "
        f"{case.reference} recorded",
        before=before,
        after=after,
    )
    return recommendation


@transaction.atomic
def recommendation_follow_up_done(
    *, recommendation: Recommendation, acting_user: User | None, done_date: date
) -> Recommendation:
    """Record that the follow-up of a recommendation the council follows has been done."""
    case = _recommendation_case(recommendation)
    if not recommendation.accepted or not recommendation.follow_up_action:
        raise ProcedureError(errors.FOLLOW_UP_NONE.format(number=recommendation.number))
    assert recommendation.stage.response_date is not None  # noqa: S101 - checked by _recommendation_case
    require_not_before(
        done_date,
        recommendation.stage.response_date,
        what="The follow-up",
        other_what=f"the stage {recommendation.stage.number} response",
        field="done_date",
    )
    before = snapshot(recommendation, ["follow_up_done_date"])
    recommendation.follow_up_done_date = done_date
    save_changes(recommendation, ["follow_up_done_date"])
    record(
        acting_user=acting_user,
        event_type=AuditEventType.RECOMMENDATION_FOLLOWED_UP,
        subject=recommendation,
        case=case,
        summary=f"Follow-up of recommendation {recommendation.number} of {case.reference} done",
        before=before,
        after={"follow_up_done_date": done_date, "follow_up_action": FreeText(recommendation.follow_up_action)},
    )
    return recommendation
