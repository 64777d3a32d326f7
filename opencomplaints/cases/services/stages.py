"""Stages: acknowledgement, extensions (R1.20, R1.26), holds (R1.37), responses and escalation (R1.21-R1.23,
R1.29)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import models, transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText
from opencomplaints.cases import constants as c
from opencomplaints.cases import deadlines, errors, rules
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, ComplaintPoint, Deadline, Hold, PointFinding, Stage
from opencomplaints.cases.services._common import (
    DERIVED_CASE_FIELDS,
    CaseState,
    _stage_values_from_case,
    changes,
    clean,
    day,
    lock_case,
    lock_stage,
    open_hold,
    record,
    require_choice,
    require_complaint,
    require_not_before,
    require_open,
    require_stage_open,
    save_changes,
    snapshot,
)
from opencomplaints.deadlines import Procedure

__all__ = [
    "complaint_escalate",
    "stage_acknowledge",
    "stage_extend",
    "stage_hold",
    "stage_respond",
    "stage_resume",
]

_EXTENSION_FIELDS = ("extended", "extended_due_date", "extension_reason", "extension_notified_date")


def stage_event(
    state: CaseState,
    stage: Stage,
    *,
    acting_user: User | None,
    event_type: AuditEventType,
    summary: str,
    stage_fields: Sequence[str],
    before: Mapping[str, Any],
    case_before: Mapping[str, Any],
    extra_before: Mapping[str, Any] | None = None,
    extra_after: Mapping[str, Any] | None = None,
    subject: models.Model | None = None,
    recompute: bool = True,
) -> None:
    """Save the stage's changed fields, recompute the deadlines, save the case's derived fields and record one
    event with everything that changed (stage fields plain, case fields prefixed ``case.``)."""
    save_changes(stage, stage_fields)
    case = state.case
    if recompute:
        derived = state.refresh()
        save_changes(case, [*derived, *(["closed_date"] if case.closed_date != case_before.get("closed_date") else [])])
    old, new = changes(before, snapshot(stage, before.keys()))
    case_old, case_new = changes(case_before, snapshot(case, case_before.keys()))
    record(
        acting_user=acting_user,
        event_type=event_type,
        subject=subject if subject is not None else stage,
        case=case,
        summary=summary,
        before={**old, **{f"case.{k}": v for k, v in case_old.items()}, **(extra_before or {})},
        after={**new, **{f"case.{k}": v for k, v in case_new.items()}, **(extra_after or {})},
    )


def case_snapshot(case: Case) -> dict[str, Any]:
    return snapshot(case, (*DERIVED_CASE_FIELDS, "closed_date"))


def stage_date_record(
    state: CaseState,
    stage: Stage,
    *,
    acting_user: User | None,
    field: str,
    value: date,
    earliest: date,
    what: str,
    other_what: str,
    event_type: AuditEventType,
    summary: str,
) -> Stage:
    """A step that records one date on the stage (acknowledged, report received, panel met), once the caller has
    checked the step may be taken: not before ``earliest``, the date of what it follows; saved and audited with
    the deadlines recomputed."""
    require_not_before(value, earliest, what=what, other_what=other_what)
    before = snapshot(stage, [field])
    case_before = case_snapshot(state.case)
    setattr(stage, field, value)
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=event_type,
        summary=summary,
        stage_fields=[field],
        before=before,
        case_before=case_before,
    )
    return stage


def _stage_open(state: CaseState, stage: Stage) -> None:
    require_complaint(state.case)
    require_open(state.case)
    require_stage_open(stage)


@transaction.atomic
def stage_acknowledge(*, stage: Stage, acting_user: User | None, acknowledged_date: date) -> Stage:
    """Record when the stage was acknowledged, at any stage of any procedure (the annual return's ``acknowledged``,
    §4). Corporate responses are timed from it (R3.5, R3.6); until it is recorded they run from the
    acknowledgement's due date. Where the procedure sets no acknowledgement timescale it changes no deadline."""
    state = lock_stage(stage)
    require_complaint(state.case)
    require_open(state.case)
    return stage_date_record(
        state,
        stage,
        acting_user=acting_user,
        field="acknowledged_date",
        value=acknowledged_date,
        earliest=stage.received_date,
        what="The acknowledgement",
        other_what="the date received",
        event_type=AuditEventType.STAGE_ACKNOWLEDGED,
        summary=f"Stage {stage.number} of {state.case.reference} acknowledged",
    )


@transaction.atomic
def stage_extend(
    *,
    stage: Stage,
    acting_user: User | None,
    extended_due_date: date,
    reason: str,
    notified_date: date | None,
) -> Stage:
    """Give the stage more time: stage 1 up to 20 working days from receipt (R1.20), stage 2 up to 65 from its
    start date (R1.26), with the reason and the date the complainant was told. Stage 3's timescales are fixed
    (R1.31-R1.33). An extension counts from the same day 0 as the standard timescale (R5.13); extending again
    replaces the earlier date."""
    state = lock_stage(stage)
    _stage_open(state, stage)
    procedure = deadlines.procedure_for_case(state.case)
    spec = procedure.stage(stage.number)
    response = spec.response
    if response is None or not (response.extendable or response.calendar_months is not None):
        rule = ", ".join(dict.fromkeys(t.rule for t in spec.timescales))
        raise ProcedureError(
            errors.EXTENSION_NOT_ALLOWED.format(number=stage.number, procedure=procedure.name, rule=rule)
        )
    required = rules.EXTENSION_REQUIRES.get((state.case.procedure, stage.number))
    if required is not None and getattr(stage, required.field) is None:
        raise ProcedureError(
            errors.REQUIRED_FIRST.format(missing=required.missing, action="extending the stage", rule=response.rule)
        )
    reason = reason.strip()
    if not reason:
        raise ProcedureError(
            errors.EXTENSION_NEEDS_REASON.format(number=stage.number, rule=response.rule), field="reason"
        )
    if notified_date is None:
        raise ProcedureError(errors.EXTENSION_NEEDS_NOTICE.format(rule=response.rule), field="notified_date")
    require_not_before(
        notified_date,
        stage.received_date,
        what="The notification",
        other_what="the date received",
        field="notified_date",
    )
    previous = next((s for s in state.stages if s.number == stage.number - 1), None)
    dues = deadlines.stage_deadlines(
        procedure=procedure,
        number=stage.number,
        anchors=deadlines.stage_anchors(number=stage.number, stage=stage, previous=previous),
        clock=state.get_clock(),
    )
    standard = next(d for d in dues if d.key == response.key)
    if response.working_days is not None:
        if extended_due_date <= standard.due_on:
            raise ProcedureError(
                errors.EXTENSION_NOT_LATER.format(
                    extended=day(extended_due_date), due=day(standard.due_on), rule=response.rule
                ),
                field="extended_due_date",
            )
        latest = standard.latest_permissible_on
        if extended_due_date > latest:
            raise ProcedureError(
                errors.EXTENSION_TOO_LONG.format(
                    number=stage.number,
                    days=response.extended_working_days,
                    anchor=day(standard.anchor_on),
                    latest=day(latest),
                    extended=day(extended_due_date),
                    rule=response.rule,
                ),
                field="extended_due_date",
            )
    else:
        # R2.5: the adults' response period is agreed with the complainant, shorter or longer than six months.
        require_not_before(
            extended_due_date,
            standard.anchor_on,
            what="The agreed date",
            other_what="the date received",
            field="extended_due_date",
        )
    before = snapshot(stage, _EXTENSION_FIELDS)
    case_before = case_snapshot(state.case)
    stage.extended = True
    stage.extended_due_date = extended_due_date
    stage.extension_reason = reason
    stage.extension_notified_date = notified_date
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=AuditEventType.STAGE_EXTENDED,
        summary=f"Stage {stage.number} of {state.case.reference} extended to {day(extended_due_date)}",
        stage_fields=_EXTENSION_FIELDS,
        before=before,
        case_before=case_before,
    )
    return stage


@transaction.atomic
def stage_hold(*, stage: Stage, acting_user: User | None, start_date: date, reason: str, note: str = "") -> Hold:
    """Put the stage on hold from ``start_date`` (R1.13 deferral, R1.19 awaiting an advocate): one open hold at a
    time, holds never overlapping (R1.37). Statutory due dates do not move; the hold-adjusted ones do."""
    state = lock_stage(stage)
    _stage_open(state, stage)
    require_choice(reason, c.HoldReason, "reason for a hold", field="reason")
    current = open_hold(state, stage)
    if current is not None:
        raise ProcedureError(errors.HOLD_ALREADY_OPEN.format(number=stage.number, start=day(current.start_date)))
    require_not_before(start_date, stage.received_date, what="The hold", other_what="the date received")
    ended = [h.end_date for h in state.holds.get(stage.pk, ()) if h.end_date is not None]
    if ended and start_date < max(ended):
        raise ProcedureError(errors.HOLD_OVERLAPS.format(start=day(start_date), end=day(max(ended))))
    case_before = case_snapshot(state.case)
    hold = Hold(stage=stage, start_date=start_date, reason=reason, note=note.strip())
    clean(hold)
    hold.save()
    state.holds.setdefault(stage.pk, []).append(hold)
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=AuditEventType.STAGE_HELD,
        summary=f"Stage {stage.number} of {state.case.reference} on hold from {day(start_date)}",
        stage_fields=(),
        before={},
        case_before=case_before,
        extra_after={"hold": hold.pk, "start_date": start_date, "reason": reason, "note": FreeText(hold.note)},
        subject=hold,
    )
    return hold


@transaction.atomic
def stage_resume(*, stage: Stage, acting_user: User | None, end_date: date) -> Hold:
    """End the stage's open hold: ``end_date`` is the day work resumed, which is not itself on hold (R1.37)."""
    state = lock_stage(stage)
    _stage_open(state, stage)
    hold = open_hold(state, stage)
    if hold is None:
        raise ProcedureError(errors.HOLD_NONE_OPEN.format(number=stage.number))
    if end_date < hold.start_date:
        raise ProcedureError(errors.HOLD_RESUME_BEFORE_START.format(end=day(end_date), start=day(hold.start_date)))
    case_before = case_snapshot(state.case)
    hold.end_date = end_date
    save_changes(hold, ["end_date"])
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=AuditEventType.STAGE_RESUMED,
        summary=f"Stage {stage.number} of {state.case.reference} resumed on {day(end_date)}",
        stage_fields=(),
        before={},
        case_before=case_before,
        extra_before={"end_date": None},
        extra_after={"hold": hold.pk, "end_date": end_date},
        subject=hold,
    )
    return hold


def _deemed_receipt(state: CaseState, response_date: date, sent_via: str) -> date | None:
    """R1.29: the day the complainant received the response, or is deemed to have: the same day by email or by
    hand, some working days later by post (``rules.DEEMED_RECEIPT_WORKING_DAYS``). Unknown: ``None``, and the window
    for the next stage runs from the response date."""
    if not sent_via:
        return None
    days = rules.DEEMED_RECEIPT_WORKING_DAYS[sent_via]
    return state.get_clock().calendar.add_working_days(response_date, days)


def _checked_findings(
    case: Case, points: Sequence[ComplaintPoint], findings: Mapping[ComplaintPoint, str] | None
) -> dict[int, str]:
    known = {p.pk for p in points}
    given: dict[int, str] = {}
    for point, finding in (findings or {}).items():
        if point.pk not in known:
            raise ProcedureError(errors.FINDING_NOT_A_POINT.format(reference=case.reference), field="findings")
        if finding not in c.Finding.values:
            raise ProcedureError(
                errors.FINDING_INVALID.format(finding=finding, choices=", ".join(c.Finding.values)),
                field="findings",
            )
        given[point.pk] = finding
    return given


def _outcome_from_points(
    stage: Stage, points: Sequence[ComplaintPoint], given: Mapping[int, str], outcome: str | None, reason: str
) -> tuple[str, str]:
    """The outcome a response with findings on its points has: the roll-up of the findings (R1.25), or another
    outcome where the reason for departing from it is recorded. Returns the outcome and the reason kept."""
    if not points:
        raise ProcedureError(errors.FINDINGS_NEED_POINTS.format(number=stage.number), field="findings")
    missing = [str(p.number) for p in points if p.pk not in given]
    if missing:
        raise ProcedureError(
            errors.FINDINGS_MISSING.format(number=stage.number, points=", ".join(missing)), field="findings"
        )
    rolled_up = rules.roll_up_findings(given[p.pk] for p in points)
    if not outcome or outcome == rolled_up:
        return rolled_up, ""
    if not reason:
        raise ProcedureError(
            errors.OUTCOME_DISAGREES_WITH_FINDINGS.format(
                number=stage.number, rolled_up=c.Outcome(rolled_up).label.lower(), outcome=outcome
            ),
            field="outcome_reason",
        )
    return outcome, reason


def respond(
    state: CaseState,
    stage: Stage,
    *,
    response_date: date,
    outcome: str | None,
    findings: Mapping[ComplaintPoint, str] | None,
    responses: Mapping[ComplaintPoint, str] | None = None,
    outcome_reason: str = "",
    sent_via: str = "",
) -> dict[str, Any]:
    """End ``stage`` with its response: the checks every response shares, the findings on the points and the
    outcome they give (R1.25), with the reason where another outcome is chosen, what the council says on each point,
    when the complainant is deemed to receive it (R1.29), and closing the case when this was the procedure's last
    stage. Returns the findings for the audit.

    Where the case has points of complaint, at any stage, every point needs a finding (point by point); where it
    has none, only the stages whose procedure requires them refuse (the children's stages 2 and 3).

    The caller saves the stage and records the event.
    """
    case = state.case
    _stage_open(state, stage)
    if case.acceptance != c.Acceptance.ACCEPTED:
        raise ProcedureError(errors.NOT_ACCEPTED_YET)
    if response_date < stage.received_date:
        raise ProcedureError(
            errors.RESPOND_BEFORE_RECEIVED.format(
                response=day(response_date), number=stage.number, received=day(stage.received_date)
            ),
            field="response_date",
        )
    hold = open_hold(state, stage)
    if hold is not None:
        raise ProcedureError(errors.RESPOND_WHILE_ON_HOLD.format(number=stage.number, start=day(hold.start_date)))
    if sent_via:
        require_choice(sent_via, c.ResponseSentVia, "way of sending the response", field="response_sent_via")
    points = list(ComplaintPoint.objects.filter(case=case))
    given = _checked_findings(case, points, findings)
    said = {p.pk: text.strip() for p, text in (responses or {}).items() if p.pk in given and text.strip()}
    reason = outcome_reason.strip()
    if points or (case.procedure, stage.number) in rules.FINDINGS_REQUIRED:
        outcome, reason = _outcome_from_points(stage, points, given, outcome, reason)
    else:
        reason = ""
    valid = rules.RESPONSE_OUTCOMES.get(stage.number, frozenset())
    if outcome not in valid:
        raise ProcedureError(
            errors.OUTCOME_INVALID.format(outcome=outcome, number=stage.number, choices=", ".join(sorted(valid))),
            field="outcome",
        )
    stage.response_date = response_date
    stage.outcome = outcome
    stage.outcome_override_reason = reason
    stage.response_sent_via = sent_via
    stage.response_received_date = _deemed_receipt(state, response_date, sent_via)
    if given:
        PointFinding.objects.filter(stage=stage).delete()
        rows = [
            PointFinding(point_id=pk, stage=stage, finding=finding, response=said.get(pk, ""))
            for pk, finding in given.items()
        ]
        for row in rows:
            clean(row)
        PointFinding.objects.bulk_create(rows)
    if stage.number == len(deadlines.procedure_for_case(case).stages):
        # The last stage's response ends the procedure: nothing is left to ask for (R1.38).
        case.closed_date = response_date
    if not given:
        return {}
    extra: dict[str, Any] = {"outcome": outcome, "findings": {str(pk): f for pk, f in given.items()}}
    if said:
        extra["responses"] = {str(pk): FreeText(text) for pk, text in said.items()}
    return extra


# The stage fields every response sets (besides a dedicated response's own).
RESPONSE_FIELDS = (
    "response_date",
    "outcome",
    "outcome_override_reason",
    "response_sent_via",
    "response_received_date",
)


@transaction.atomic
def stage_respond(
    *,
    stage: Stage,
    acting_user: User | None,
    response_date: date,
    outcome: str | None = None,
    findings: Mapping[ComplaintPoint, str] | None = None,
    responses: Mapping[ComplaintPoint, str] | None = None,
    outcome_reason: str = "",
    response_sent_via: str = "",
) -> Stage:
    """End a stage with its response: upheld, partly upheld, not upheld or (at stage 1) resolved informally.

    Where the case has points of complaint (or every point needs a finding, R1.25) each point gets a finding and,
    for the letter, what the council says on it (``responses``); the outcome is rolled up from the findings and
    ``outcome`` may be left out, or given otherwise with ``outcome_reason``. ``response_sent_via`` says when the
    complainant is deemed to receive it (R1.29).
    The children's stage 2 and 3 responses are :func:`stage2_adjudicate` and :func:`stage3_respond`. Withdrawal
    and refusal are :func:`complaint_withdraw` and :func:`complaint_decline`. Answering the procedure's last stage
    closes the case.
    """
    state = lock_stage(stage)
    require_complaint(state.case)
    dedicated = rules.DEDICATED_RESPONSE.get((state.case.procedure, stage.number))
    if dedicated is not None:
        raise ProcedureError(
            errors.USE_DEDICATED_RESPONSE.format(number=stage.number, service=dedicated[0], rule=dedicated[1])
        )
    before = snapshot(stage, RESPONSE_FIELDS)
    case_before = case_snapshot(state.case)
    extra = respond(
        state,
        stage,
        response_date=response_date,
        outcome=outcome,
        findings=findings,
        responses=responses,
        outcome_reason=outcome_reason,
        sent_via=response_sent_via,
    )
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=AuditEventType.STAGE_RESPONDED,
        summary=f"Stage {stage.number} of {state.case.reference} answered: {stage.get_outcome_display().lower()}",
        stage_fields=RESPONSE_FIELDS,
        before=before,
        case_before=case_before,
        extra_after=extra,
    )
    return stage


def _require_time_allowed_passed(
    case: Case, procedure: Procedure, last: Stage, number: int, request_received_date: date
) -> None:
    """R1.21: an unanswered stage may be escalated only once the time allowed for its response (as extended or
    adjusted for a hold) has passed."""
    key = procedure.stages[last.number - 1].response_key
    row = next((d for d in Deadline.objects.filter(stage=last, key=key)), None) if key else None
    allowed = None if row is None else (row.adjusted_due_date or row.extended_due_date or row.due_date)
    if allowed is None or request_received_date <= allowed:
        raise ProcedureError(
            errors.ESCALATE_OPEN_STAGE.format(
                number=last.number, next=number, allowed=day(allowed) if allowed else "its due date"
            ),
            field="request_received_date",
        )


@transaction.atomic
def complaint_escalate(
    *,
    case: Case,
    acting_user: User | None,
    request_received_date: date,
    late_request_accepted: bool | None = None,
    late_request_reason: str = "",
) -> Stage:
    """Open the next stage when the complainant asks for it (R1.21, R1.29).

    A request after the window (20 working days from the last response: R1.22, R1.29) is flagged and needs a
    recorded discretion decision with its reason; it is never refused silently. A refused late request is
    recorded as the next stage "not accepted", and the case closes.
    """
    state = lock_case(case)
    require_complaint(case)
    require_open(case)
    if case.acceptance != c.Acceptance.ACCEPTED:
        raise ProcedureError(errors.NOT_ACCEPTED_YET)
    last = state.last
    if last is None:
        raise ProcedureError(errors.NOT_ACCEPTED_YET)
    number = last.number + 1
    procedure = deadlines.procedure_for_case(case)
    if last.response_date is None:
        # R1.21: a stage not resolved within the time allowed may be escalated; before then it is refused.
        _require_time_allowed_passed(case, procedure, last, number, request_received_date)
    elif last.outcome not in rules.ESCALATABLE_OUTCOMES:
        raise ProcedureError(
            errors.ESCALATE_AFTER_WITHDRAWAL.format(number=last.number, outcome=last.get_outcome_display().lower())
        )
    if number > len(procedure.stages):
        raise ProcedureError(errors.ESCALATE_NO_NEXT_STAGE.format(number=last.number, procedure=procedure.name))
    for requirement in rules.ESCALATION_REQUIRES.get((case.procedure, number), ()):
        if last.response_date is not None and getattr(last, requirement.field) is None:
            raise ProcedureError(
                errors.REQUIRED_FIRST.format(
                    missing=requirement.missing, action=f"opening stage {number}", rule="R1.21, R1.29"
                )
            )
    if last.response_date is not None and request_received_date < last.response_date:
        raise ProcedureError(
            errors.ESCALATE_BEFORE_RESPONSE.format(
                next=number, request=day(request_received_date), number=last.number, response=day(last.response_date)
            ),
            field="request_received_date",
        )
    window = (
        None
        if last.response_date is None
        else deadlines.request_window(
            procedure=procedure,
            number=number,
            previous_response_date=deadlines.response_received(last),
            clock=state.get_clock(),
        )
    )
    in_window = None if window is None else request_received_date <= window.due_on
    late_request_reason = late_request_reason.strip()
    if window is not None and not in_window:
        if late_request_accepted is None:
            raise ProcedureError(
                errors.LATE_REQUEST_NEEDS_DECISION.format(
                    next=number,
                    request=day(request_received_date),
                    days=window.timescale.working_days,
                    window_end=day(window.due_on),
                    rule=window.rule,
                ),
                field="late_request_accepted",
            )
        if not late_request_reason:
            raise ProcedureError(
                errors.LATE_REQUEST_NEEDS_REASON.format(next=number, rule=window.rule), field="late_request_reason"
            )
    elif late_request_accepted is not None or late_request_reason:
        if window is None:
            raise ProcedureError(errors.LATE_DECISION_NO_WINDOW.format(procedure=procedure.name, next=number))
        raise ProcedureError(
            errors.LATE_DECISION_NOT_NEEDED.format(next=number, window_end=day(window.due_on), rule=window.rule)
        )
    case_before = case_snapshot(case)
    if last.response_date is None:
        # R1.21: the unanswered stage ends with the request for the next one; recorded as not answered in time.
        last.response_date = request_received_date
        last.outcome = c.Outcome.NOT_ANSWERED_IN_TIME
        last.save(update_fields=["response_date", "outcome", "updated_at"])
    stage = Stage(
        case=case,
        number=number,
        received_date=request_received_date,
        start_date=request_received_date,
        request_in_window=in_window,
        late_request_accepted=late_request_accepted,
        late_request_reason=late_request_reason,
        owner_id=case.owner_id,
    )
    if late_request_accepted is False:
        stage.response_date = request_received_date
        stage.outcome = c.Outcome.NOT_ACCEPTED
        case.closed_date = request_received_date
    clean(stage)
    stage.save()
    _stage_values_from_case(stage)
    state.stages.append(stage)
    derived = state.refresh()
    save_changes(case, [*derived, *(["closed_date"] if case.closed_date else [])])
    _, case_new = changes(case_before, case_snapshot(case))
    flag = (
        ""
        if in_window is not False
        else (" (late request accepted)" if late_request_accepted else " (late request refused)")
    )
    record(
        acting_user=acting_user,
        event_type=AuditEventType.STAGE_ESCALATED,
        subject=stage,
        case=case,
        summary=f"Stage {number} of {case.reference} requested on {day(request_received_date)}{flag}",
        before={f"case.{k}": case_before[k] for k in case_new},
        after={
            "number": number,
            "received_date": request_received_date,
            "request_in_window": in_window,
            "window_end": window.due_on if window else None,
            "late_request_accepted": late_request_accepted,
            "late_request_reason": FreeText(late_request_reason),
            **{f"case.{k}": v for k, v in case_new.items()},
        },
    )
    return stage
