"""Stage 3 of the children's statutory procedure: the review panel (R1.29-R1.33)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors, rules
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, ComplaintPoint, PanelMember, Recommendation, Stage, person_ref
from opencomplaints.cases.services._common import (
    Appointee,
    appointee_ref,
    clean,
    day,
    lock_stage,
    require_contact,
    require_independent,
    require_members,
    require_not_before,
    snapshot,
)
from opencomplaints.cases.services._steps import recommendations_build, recommendations_replace, step_check
from opencomplaints.cases.services.inputs import RecommendationInput, RecommendationResponse
from opencomplaints.cases.services.stages import case_snapshot, respond, stage_date_record, stage_event
from opencomplaints.councils.models import Contact, ContactCapacity

__all__ = [
    "stage3_panel_appoint",
    "stage3_panel_record",
    "stage3_panel_schedule",
    "stage3_report_record",
    "stage3_respond",
]

PANEL_MEETING_FIELDS = ("panel_meeting_at", "panel_meeting_place", "panel_meeting_online")

type ResponseGiven = RecommendationResponse | bool | tuple[bool, str]


def _require_unconnected(case: Case, stage2: Stage | None, people: dict[str, Appointee]) -> None:
    """R1.30: no one who managed, investigated or decided the complaint sits on its review panel."""
    parts = [(person_ref(case.owner_id, None), "manages the case")]
    if stage2 is not None:
        parts += [(stage2.investigator_ref, "investigated"), (person_ref(stage2.adjudicator_id, None), "adjudicated")]
    for ref, part in parts:
        if ref is not None and ref in people:
            raise ProcedureError(errors.PANEL_CONNECTED.format(user=people[ref], part=part), field="members")


def _panel_row(stage: Stage, person: Appointee, role: str) -> PanelMember:
    if isinstance(person, Contact):
        return PanelMember(stage=stage, contact=person, role=role)
    return PanelMember(stage=stage, user=person, role=role)


def _require_panel(stage: Stage, rule: rules.StepRule) -> None:
    """The panel must be appointed before its meeting is arranged or recorded."""
    if PanelMember.objects.filter(stage=stage).count() != rules.PANEL_SIZE:
        raise ProcedureError(
            errors.REQUIRED_FIRST.format(missing="Appoint the review panel", action=rule.action, rule=rule.rule)
        )


@transaction.atomic
def stage3_panel_appoint(
    *, stage: Stage, acting_user: User | None, chair: Appointee, members: Sequence[Appointee]
) -> Stage:
    """Appoint the review panel: exactly three people, ``chair`` and two ``members``, none of them the stage 2
    independent person (R1.30). Each is a user or one of the council's contacts without an account, attested
    independent and recorded as able to chair or sit on a panel (docs/adr/0032). The panel can be changed until it
    meets."""
    state = lock_stage(stage)
    step_check(state, stage, "stage3_panel_appoint")
    if stage.panel_date is not None:
        raise ProcedureError(errors.PANEL_ALREADY_MET.format(panel_date=stage.panel_date))
    chair_ref = appointee_ref(chair)
    if any(appointee_ref(m) == chair_ref for m in members):
        raise ProcedureError(errors.PANEL_CHAIR_ALSO_MEMBER, field="members")
    people = {appointee_ref(p): p for p in (chair, *members)}
    if len(people) != rules.PANEL_SIZE or len(members) != rules.PANEL_SIZE - 1:
        raise ProcedureError(errors.PANEL_SIZE.format(count=len(people)), field="members")
    stage2 = next((s for s in state.stages if s.number == 2), None)
    if stage2 is not None and stage2.independent_ref in people:
        raise ProcedureError(errors.PANEL_INCLUDES_IP.format(user=people[stage2.independent_ref]))
    council = state.case.council
    require_members(council, people.values())
    require_contact(council, chair, ContactCapacity.PANEL_CHAIR, "chair")
    for member in members:
        require_contact(council, member, ContactCapacity.PANEL_MEMBER, "members")
    _require_unconnected(state.case, stage2, people)
    require_independent(council, people.values(), field="members")  # R1.30: independent persons
    existing = list(PanelMember.objects.filter(stage=stage).order_by("-role", "id"))
    PanelMember.objects.filter(stage=stage).delete()
    rows = [_panel_row(stage, chair, c.PanelRole.CHAIR)] + [_panel_row(stage, m, c.PanelRole.MEMBER) for m in members]
    for row in rows:
        clean(row)
    PanelMember.objects.bulk_create(rows)
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=AuditEventType.STAGE3_PANEL_APPOINTED,
        summary=f"Stage 3 of {state.case.reference}: review panel appointed",
        stage_fields=(),
        before={},
        case_before=case_snapshot(state.case),
        extra_before={"panel": [(m.ref, m.role) for m in existing]} if existing else None,
        extra_after={"panel": [(m.ref, m.role) for m in rows]},
        recompute=False,
    )
    return stage


@transaction.atomic
def stage3_panel_schedule(
    *, stage: Stage, acting_user: User | None, meeting_at: datetime, place: str = "", online: bool = False
) -> Stage:
    """Arrange the review panel's meeting ahead (R1.31): when, and where or online. The panel must be appointed
    and not have met; it can be arranged again (a new date, another room) until it meets. Telling the members and
    reminding them is ``notifications.services.stage3_panel_schedule_and_notify``."""
    state = lock_stage(stage)
    rule = step_check(state, stage, "stage3_panel_schedule")
    if stage.panel_date is not None:
        raise ProcedureError(errors.PANEL_MEETING_ALREADY_HELD.format(panel_date=day(stage.panel_date)))
    _require_panel(stage, rule)
    place = place.strip()
    if not place and not online:
        raise ProcedureError(errors.PANEL_MEETING_NEEDS_PLACE, field="place")
    meeting_day = timezone.localdate(meeting_at)
    if meeting_day < stage.received_date:
        raise ProcedureError(
            errors.PANEL_MEETING_BEFORE_REQUEST.format(meeting=day(meeting_day), request=day(stage.received_date)),
            field="meeting_date",
        )
    before = snapshot(stage, PANEL_MEETING_FIELDS)
    stage.panel_meeting_at, stage.panel_meeting_place, stage.panel_meeting_online = meeting_at, place, online
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=AuditEventType.STAGE3_PANEL_SCHEDULED,
        summary=f"Stage 3 of {state.case.reference}: review panel meeting arranged for {day(meeting_day)}",
        stage_fields=PANEL_MEETING_FIELDS,
        before=before,
        case_before=case_snapshot(state.case),
        recompute=False,
    )
    return stage


@transaction.atomic
def stage3_panel_record(*, stage: Stage, acting_user: User | None, panel_date: date) -> Stage:
    """Record the date the panel met (within 30 working days of the request, R1.31); its report is due 5 working
    days later (R1.32)."""
    state = lock_stage(stage)
    rule = step_check(state, stage, "stage3_panel_record")
    _require_panel(stage, rule)
    return stage_date_record(
        state,
        stage,
        acting_user=acting_user,
        field="panel_date",
        value=panel_date,
        earliest=stage.received_date,
        what="The panel",
        other_what="the request for stage 3",
        event_type=AuditEventType.STAGE3_PANEL_HELD,
        summary=f"Stage 3 of {state.case.reference}: review panel met",
    )


@transaction.atomic
def stage3_report_record(
    *,
    stage: Stage,
    acting_user: User | None,
    report_date: date,
    recommendations: Sequence[str | RecommendationInput] = (),
) -> Stage:
    """Record the panel's report and its recommendations (R1.32); the council's response is due 15 working days
    later (R1.33)."""
    state = lock_stage(stage)
    step_check(state, stage, "stage3_report_record")
    assert stage.panel_date is not None  # noqa: S101 - step_check requires it
    require_not_before(report_date, stage.panel_date, what="The report", other_what="the panel")
    existing = list(Recommendation.objects.filter(stage=stage))
    if any(r.accepted is not None for r in existing):
        raise ProcedureError(errors.RECOMMENDATIONS_ALREADY_ANSWERED)
    # The council answers the panel's recommendations later, in stage3_respond.
    rows = recommendations_build(
        stage, [RecommendationInput(text=r if isinstance(r, str) else r.text) for r in recommendations]
    )
    before = snapshot(stage, ["panel_report_date"])
    case_before = case_snapshot(state.case)
    recommendations_replace(stage, rows)
    stage.panel_report_date = report_date
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=AuditEventType.STAGE3_REPORT_RECORDED,
        summary=f"Stage 3 of {state.case.reference}: panel report received with {len(rows)} recommendations",
        stage_fields=["panel_report_date"],
        before=before,
        case_before=case_before,
        extra_before={"recommendations": [FreeText(r.text) for r in existing]} if existing else None,
        extra_after={"recommendations": [FreeText(r.text) for r in rows]},
    )
    return stage


def _response(given: ResponseGiven) -> RecommendationResponse:
    if isinstance(given, RecommendationResponse):
        return given
    if isinstance(given, bool):
        return RecommendationResponse(accepted=given)
    return RecommendationResponse(accepted=given[0], reason=given[1])


@transaction.atomic
def stage3_respond(
    *,
    stage: Stage,
    acting_user: User | None,
    response_date: date,
    findings: Mapping[ComplaintPoint, str],
    recommendation_responses: Mapping[Recommendation, ResponseGiven],
) -> Stage:
    """The council's response to the panel (R1.33): a decision on every recommendation, with reasons for any not
    followed, and a finding on every point with the outcome rolled up from them. This ends the procedure, so the
    case closes."""
    state = lock_stage(stage)
    step_check(state, stage, "stage3_respond")
    assert stage.panel_report_date is not None  # noqa: S101 - step_check requires it
    require_not_before(response_date, stage.panel_report_date, what="The response", other_what="the panel's report")
    recommendations = list(Recommendation.objects.filter(stage=stage))
    known = {r.pk for r in recommendations}
    answers: dict[int, RecommendationResponse] = {}
    for recommendation, given in recommendation_responses.items():
        if recommendation.pk not in known:
            raise ProcedureError(errors.RECOMMENDATION_NOT_THIS_STAGE, field="recommendation_responses")
        answers[recommendation.pk] = _response(given)
    for recommendation in recommendations:
        answer = answers.get(recommendation.pk)
        if answer is None:
            raise ProcedureError(
                errors.RECOMMENDATION_NOT_ANSWERED.format(number=recommendation.number),
                field="recommendation_responses",
            )
        if not answer.accepted and not answer.reason.strip():
            raise ProcedureError(
                errors.RECOMMENDATION_REJECTED_WITHOUT_REASON.format(number=recommendation.number),
                field="recommendation_responses",
            )
        recommendation.accepted = answer.accepted
        recommendation.reason = answer.reason.strip()
        clean(recommendation)
    fields = ["response_date", "outcome"]
    before = snapshot(stage, fields)
    case_before = case_snapshot(state.case)
    extra = respond(state, stage, response_date=response_date, outcome=None, findings=findings)
    if recommendations:
        Recommendation.objects.bulk_update(recommendations, ["accepted", "reason"])
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=AuditEventType.STAGE3_RESPONDED,
        summary=f"Stage 3 of {state.case.reference} answered: {stage.get_outcome_display().lower()}",
        stage_fields=fields,
        before=before,
        case_before=case_before,
        extra_after={
            **extra,
            "recommendations": {
                str(r.number): {"accepted": r.accepted, "reason": FreeText(r.reason)} for r in recommendations
            },
        },
    )
    return stage
