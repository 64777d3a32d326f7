"""Stage 2 of the children's statutory procedure: the investigation (R1.24-R1.28)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText
from opencomplaints.cases import deadlines, errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import ComplaintPoint, PointFinding, Stage
from opencomplaints.cases.services._common import (
    Appointee,
    CaseState,
    appointee_ref,
    clean,
    day,
    lock_stage,
    require_contact,
    require_independent,
    require_members,
    require_not_before,
    require_same_council,
    snapshot,
)
from opencomplaints.cases.services._steps import (
    RecommendationGiven,
    recommendations_build,
    recommendations_replace,
    step_check,
)
from opencomplaints.cases.services.inputs import PointInput
from opencomplaints.cases.services.stages import (
    RESPONSE_FIELDS,
    case_snapshot,
    respond,
    stage_date_record,
    stage_event,
)
from opencomplaints.councils.models import Contact, ContactCapacity, IssueCategory

__all__ = [
    "stage2_adjudicate",
    "stage2_appoint",
    "stage2_report_receive",
    "stage2_statement_agree",
]

type PointGiven = str | PointInput | tuple[str, IssueCategory | None]


def _user_or_contact(person: Appointee) -> tuple[User | None, Contact | None]:
    return (None, person) if isinstance(person, Contact) else (person, None)


@transaction.atomic
def stage2_appoint(
    *,
    stage: Stage,
    acting_user: User | None,
    appointed_date: date,
    investigating_officer: Appointee | None = None,
    independent_person: Appointee | None = None,
) -> Stage:
    """Appoint the investigating officer, the independent person or both (R1.25); they must be different people.
    Each is a user or one of the council's contacts without an account (docs/adr/0032), who must be active and
    recorded as able to take the part; an independent contact must be attested independent (R1.3)."""
    state = lock_stage(stage)
    step_check(state, stage, "stage2_appoint")
    if investigating_officer is None and independent_person is None:
        raise ProcedureError(errors.APPOINT_NOBODY)
    officer = appointee_ref(investigating_officer) if investigating_officer else stage.investigator_ref
    person = appointee_ref(independent_person) if independent_person else stage.independent_ref
    if officer is not None and officer == person:
        same = investigating_officer or independent_person
        raise ProcedureError(errors.IO_IS_IP.format(user=same))
    council = state.case.council
    require_members(council, [investigating_officer, independent_person])
    require_contact(council, investigating_officer, ContactCapacity.INVESTIGATING_OFFICER, "investigating_officer")
    require_contact(council, independent_person, ContactCapacity.INDEPENDENT_PERSON, "independent_person")
    if independent_person is not None:
        require_independent(council, [independent_person], field="independent_person")  # R1.3
    require_not_before(appointed_date, stage.received_date, what="The appointment", other_what="the request")
    fields = [
        "investigating_officer",
        "investigating_contact",
        "investigating_officer_appointed_date",
        "independent_person",
        "independent_contact",
        "independent_person_appointed_date",
    ]
    before = snapshot(stage, [f"{f}_id" if not f.endswith("_date") else f for f in fields])
    if investigating_officer is not None:
        stage.investigating_officer, stage.investigating_contact = _user_or_contact(investigating_officer)
        stage.investigating_officer_appointed_date = appointed_date
    if independent_person is not None:
        stage.independent_person, stage.independent_contact = _user_or_contact(independent_person)
        stage.independent_person_appointed_date = appointed_date
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=AuditEventType.STAGE2_APPOINTED,
        summary=f"Stage 2 of {state.case.reference}: investigation appointed",
        stage_fields=fields,
        before=before,
        case_before=case_snapshot(state.case),
        recompute=False,
    )
    return stage


def _points(state: CaseState, given: Sequence[PointGiven]) -> list[ComplaintPoint]:
    if not given:
        raise ProcedureError(errors.STATEMENT_NEEDS_POINTS, field="points")
    rows: list[ComplaintPoint] = []
    for number, item in enumerate(given, start=1):
        if isinstance(item, str):
            description, issue = item, None
        elif isinstance(item, PointInput):
            description, issue = item.description, item.issue
        else:
            description, issue = item
        description = description.strip()
        if not description:
            raise ProcedureError(errors.STATEMENT_POINT_EMPTY.format(number=number), field="points")
        require_same_council(state.case.council_id, issue, f"The issue category {issue}")
        row = ComplaintPoint(case=state.case, number=number, description=description, issue=issue)
        rows.append(row)
    return rows


def _points_replace(existing: list[ComplaintPoint], rows: list[ComplaintPoint]) -> None:
    """The statement's points become the case's, by number. A point answered at stage 1 keeps its record and its
    finding there (point by point at every stage): the statement may reword it, not leave it out."""
    answered = set(PointFinding.objects.filter(point__in=existing).values_list("point_id", flat=True))
    dropped = existing[len(rows) :]
    kept = [p for p in dropped if p.pk in answered]
    if kept:
        raise ProcedureError(errors.STATEMENT_DROPS_ANSWERED_POINT.format(number=kept[0].number), field="points")
    if dropped:
        ComplaintPoint.objects.filter(pk__in=[p.pk for p in dropped]).delete()
    for point, row in zip(existing, rows, strict=False):
        point.description, point.issue = row.description, row.issue
        clean(point)
        point.save(update_fields=["description", "issue"])
    added = rows[len(existing) :]
    for row in added:
        clean(row)
    ComplaintPoint.objects.bulk_create(added)


def _check_extension_still_fits(state: CaseState, stage: Stage) -> None:
    # Agreeing the statement again on a later day moves the start date (R1.26); an extension already agreed must
    # still lie between the new standard date and the new maximum.
    assert stage.extended_due_date is not None  # noqa: S101 - the caller checks
    previous = next((s for s in state.stages if s.number == 1), None)
    dues = deadlines.stage_deadlines(
        procedure=deadlines.procedure_for_case(state.case),
        number=2,
        anchors=deadlines.stage_anchors(number=2, stage=stage, previous=previous),
        clock=state.get_clock(),
    )
    response = next(d for d in dues if d.key == "stage2_response")
    if not response.due_on < stage.extended_due_date <= response.latest_permissible_on:
        raise ProcedureError(
            errors.STATEMENT_BREAKS_EXTENSION.format(
                extended=day(stage.extended_due_date),
                agreed=day(response.anchor_on),
                due=day(response.due_on),
                latest=day(response.latest_permissible_on),
            )
        )


@transaction.atomic
def stage2_statement_agree(
    *, stage: Stage, acting_user: User | None, agreed_date: date, points: Sequence[PointGiven]
) -> Stage:
    """Record the agreed statement of complaint and its points (R1.24). The agreement date is the stage 2 start
    date, from which the 25 and 65 working days run (R1.26); agreeing it again replaces the points."""
    state = lock_stage(stage)
    step_check(state, stage, "stage2_statement_agree")
    require_not_before(agreed_date, stage.received_date, what="The statement", other_what="the request for stage 2")
    case = state.case
    rows = _points(state, points)
    existing = list(ComplaintPoint.objects.filter(case=case).order_by("number"))
    if PointFinding.objects.filter(point__case=case, stage__number__gte=stage.number).exists():
        raise ProcedureError(errors.STATEMENT_HAS_FINDINGS.format(reference=case.reference))
    before = snapshot(stage, ["statement_agreed_date", "start_date"])
    old_points = [FreeText(p.description) for p in existing]
    case_before = case_snapshot(case)
    _points_replace(existing, rows)
    stage.statement_agreed_date = agreed_date
    stage.start_date = agreed_date
    if stage.extended and stage.extended_due_date is not None:
        _check_extension_still_fits(state, stage)
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=AuditEventType.STAGE2_STATEMENT_AGREED,
        summary=f"Stage 2 of {case.reference}: statement of complaint agreed with {len(rows)} points",
        stage_fields=["statement_agreed_date", "start_date"],
        before=before,
        case_before=case_before,
        extra_before={"points": old_points} if old_points else None,
        extra_after={"points": [FreeText(r.description) for r in rows]},
    )
    return stage


@transaction.atomic
def stage2_report_receive(*, stage: Stage, acting_user: User | None, report_date: date) -> Stage:
    """Record the investigating officer's report; the adjudication's internal target runs from it (R1.28)."""
    state = lock_stage(stage)
    step_check(state, stage, "stage2_report_receive")
    assert stage.statement_agreed_date is not None  # noqa: S101 - step_check requires it
    return stage_date_record(
        state,
        stage,
        acting_user=acting_user,
        field="investigator_report_date",
        value=report_date,
        earliest=stage.statement_agreed_date,
        what="The report",
        other_what="the statement",
        event_type=AuditEventType.STAGE2_REPORT_RECEIVED,
        summary=f"Stage 2 of {state.case.reference}: investigation report received",
    )


@transaction.atomic
def stage2_adjudicate(
    *,
    stage: Stage,
    acting_user: User | None,
    adjudicator: User,
    adjudication_date: date,
    findings: Mapping[ComplaintPoint, str],
    recommendations: Sequence[RecommendationGiven] = (),
    responses: Mapping[ComplaintPoint, str] | None = None,
    response_sent_via: str = "",
) -> Stage:
    """Record the adjudication, which is the stage 2 response (R1.28): a finding on every point (R1.25), the
    outcome rolled up from them, and the investigation's recommendations with the council's decision on each."""
    state = lock_stage(stage)
    step_check(state, stage, "stage2_adjudicate")
    assert stage.investigator_report_date is not None  # noqa: S101 - step_check requires it
    require_not_before(
        adjudication_date, stage.investigator_report_date, what="The adjudication", other_what="the report"
    )
    require_members(state.case.council, [adjudicator])
    if adjudicator.pk == stage.investigating_officer_id:
        raise ProcedureError(errors.ADJUDICATOR_IS_IO.format(user=adjudicator), field="adjudicator")
    rows = recommendations_build(stage, recommendations)
    fields = ["adjudicator", "adjudication_date", *RESPONSE_FIELDS]
    before = snapshot(stage, ["adjudicator_id", *fields[1:]])
    case_before = case_snapshot(state.case)
    stage.adjudicator = adjudicator
    stage.adjudication_date = adjudication_date
    extra = respond(
        state,
        stage,
        response_date=adjudication_date,
        outcome=None,
        findings=findings,
        responses=responses,
        sent_via=response_sent_via,  # R1.29: the stage 3 window runs from its receipt
    )
    recommendations_replace(stage, rows)
    stage_event(
        state,
        stage,
        acting_user=acting_user,
        event_type=AuditEventType.STAGE2_ADJUDICATED,
        summary=f"Stage 2 of {state.case.reference} adjudicated: {stage.get_outcome_display().lower()}",
        stage_fields=fields,
        before=before,
        case_before=case_before,
        extra_after={**extra, "recommendations": [FreeText(r.text) for r in rows]},
    )
    return stage
