"""The bridge between case records and the pure deadline engine (``opencomplaints.deadlines``).

A case's recorded dates become the engine's *anchors* (R5.13: every deadline runs from its own event); the engine
works out every due date on the statutory working-day calendar with the recorded overrides (R5.6) and the
installation's receipt rule (R5.11); the answers are stored as ``Deadline`` rows, and the case's denormalised
``status``, ``current_stage``, ``next_due_date`` (and, for complaints, ``outcome``) are derived from them so the
tracker reads one row per case.

Services call :func:`case_deadlines_refresh` after changing any input (a receipt, the statement of complaint, an
extension, a hold, the panel or report dates, a response). :func:`deadlines_recompute_open` recomputes every open
case at once, with the engine's vectorised functions, after a calendar override is added or removed.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
from django.db import transaction

from opencomplaints.calendars.selectors import receipt_rule, working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases import rules
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.kinds import Answer, answered_within
from opencomplaints.cases.models import Case, Deadline, Hold, OmbudsmanDetail, Stage
from opencomplaints.common.instances import instance_build
from opencomplaints.councils.models import CorporateProcedure, Council, LocalTimescales
from opencomplaints.councils.selectors import corporate_procedure_spec
from opencomplaints.deadlines import (
    PROCEDURES,
    CalendarRangeError,
    DueDate,
    Procedure,
    ReceiptRule,
    Timescale,
    TimescaleKind,
    WorkingDayCalendar,
    adults_procedure,
    bulk_timescale_due_dates,
    day_zero,
    due_date_with_holds,
    stage_due_dates,
)
from opencomplaints.deadlines import Hold as EngineHold
from opencomplaints.deadlines import Stage as EngineStage

__all__ = [
    "ENQUIRY_RESPONSE",
    "ENQUIRY_RESPONSE_WORKING_DAYS",
    "OMBUDSMAN_COMPLIANCE_KEY",
    "OMBUDSMAN_ENQUIRY_KEY",
    "Clock",
    "case_deadlines_plan",
    "case_deadlines_refresh",
    "case_deadlines_store",
    "case_status",
    "case_summary_apply",
    "current_clock",
    "deadlines_recompute_open",
    "enquiry_response",
    "enquiry_timescale",
    "procedure_for_case",
    "procedure_rules",
    "request_window",
    "stage_anchors",
    "stage_deadlines",
]

# No statute sets a time for answering an MP's or councillor's enquiry. Ten working days is local practice (Harrow,
# for one, aims at 5 to 10 working days) and the default; each council sets its own in its local timescales
# (``councils.LocalTimescales``), and a case keeps the number of days it was registered under.
ENQUIRY_RESPONSE_WORKING_DAYS = 10


@functools.lru_cache(maxsize=64)
def enquiry_response(working_days: int = ENQUIRY_RESPONSE_WORKING_DAYS) -> Timescale:
    """The timescale for answering an enquiry in ``working_days`` (local practice, no statute)."""
    return Timescale(
        key="enquiry_response",
        label="Response to the enquiry",
        anchor="received",
        working_days=working_days,
        rule="Local practice",
        statutory=False,
    )


ENQUIRY_RESPONSE = enquiry_response()
OMBUDSMAN_ENQUIRY_KEY = "ombudsman_enquiry"
OMBUDSMAN_COMPLIANCE_KEY = "ombudsman_compliance"

# The Deadline fields a recomputation may change.
_STORED_FIELDS = (
    "label",
    "rule",
    "statutory",
    "anchor_date",
    "working_days",
    "due_date",
    "extended_due_date",
    "adjusted_due_date",
    "met_date",
    "kind",
)
_BULK_BATCH = 500
_SMALL_UPDATE = 3


@dataclasses.dataclass(frozen=True)
class Clock:
    """The working-day calendar and receipt rule in force, read once per service call."""

    calendar: WorkingDayCalendar
    receipt_rule: ReceiptRule


def current_clock() -> Clock:
    """The statutory calendar with every recorded override (one small query) and the receipt rule (R5.6, R5.11)."""
    return Clock(calendar=working_day_calendar(), receipt_rule=receipt_rule())


# -- procedures ------------------------------------------------------------------------------------------------


#: The fields of a corporate procedure version the engine's form is built from (the cache key with its id).
_CORPORATE_VALUES = (
    "name",
    "stage_count",
    "acknowledge_days",
    "stage1_days",
    "stage1_extension_days",
    "stage2_acknowledge_days",
    "stage2_days",
    "stage2_extension_days",
    "escalation_window_days",
)
_corporate_built: dict[tuple[Any, ...], Procedure] = {}


def corporate_procedure_from(row: CorporateProcedure) -> Procedure:
    """One version of a council's corporate procedure (R3.9) as the engine takes it (built once per process)."""
    key = (row.pk, *(getattr(row, field) for field in _CORPORATE_VALUES))
    built = _corporate_built.get(key)
    if built is None:
        if len(_corporate_built) > 256:
            _corporate_built.clear()
        built = _corporate_built[key] = corporate_procedure_spec(procedure=row, key=f"corporate-{row.pk}")
    return built


@functools.lru_cache(maxsize=64)
def _adults(acknowledge_days: int, response_months: int) -> Procedure:
    return adults_procedure(acknowledge_days=acknowledge_days, response_months=response_months)


def procedure_rules(
    procedure: str, *, corporate: CorporateProcedure | None = None, local: LocalTimescales | None = None
) -> Procedure:
    """The engine's form of ``procedure`` under the council's versions of its rules. The children's statutory
    procedure is the Regulations' whatever the council (R1.20-R1.33); without a configured version, a corporate
    complaint has the Complaint Handling Code's timescales (R3.5, R3.6) and an adults' one the Regulations'."""
    if procedure == c.Procedure.CORPORATE and corporate is not None:
        return corporate_procedure_from(corporate)
    if procedure == c.Procedure.ADULTS_STATUTORY and local is not None:
        return _adults(local.adults_acknowledge_days, local.adults_response_months)
    return PROCEDURES[procedure]


def procedure_for_case(
    case: Case, corporate: CorporateProcedure | None = None, local: LocalTimescales | None = None
) -> Procedure:
    """The procedure a complaint runs under, with the versions of the council's rules it started under."""
    if case.procedure == c.Procedure.CORPORATE and case.corporate_procedure_id is not None:
        return procedure_rules(case.procedure, corporate=corporate or case.corporate_procedure)
    if case.procedure == c.Procedure.ADULTS_STATUTORY and case.local_timescales_id is not None:
        return procedure_rules(case.procedure, local=local or case.local_timescales)
    return PROCEDURES[case.procedure]


def enquiry_timescale(case: Case, local: LocalTimescales | None = None) -> Timescale:
    """The timescale for answering the enquiry ``case``: its council's as it stood when the case was registered."""
    if case.local_timescales_id is None:
        return ENQUIRY_RESPONSE
    row = local or case.local_timescales
    return enquiry_response(row.enquiry_response_days) if row is not None else ENQUIRY_RESPONSE


# -- one case --------------------------------------------------------------------------------------------------


def stage_anchors(*, number: int, stage: Stage | None, previous: Stage | None) -> dict[str, date]:
    """The engine's anchors for stage ``number`` from what has been recorded (R5.13). Unrecorded events are left
    out, so the engine leaves out the deadlines that run from them."""
    anchors: dict[str, date] = {}
    if stage is not None:
        anchors[rules.receipt_anchor(number)] = stage.received_date
        if stage.acknowledged_date is not None:
            anchors[rules.acknowledgement_anchor(number)] = stage.acknowledged_date
        for field, anchor in rules.STAGE_EVENT_ANCHORS:
            value = getattr(stage, field)
            if value is not None:
                anchors[anchor] = value
    if previous is not None and previous.response_date is not None:
        anchors[f"stage{number - 1}_responded"] = response_received(previous)
    return anchors


def response_received(stage: Stage) -> date:
    """The day the window for the next stage runs from: the day the complainant received the stage's response or
    is deemed to have (R1.29), else its date."""
    assert stage.response_date is not None  # noqa: S101 - callers check
    return stage.response_received_date or stage.response_date


def _engine_error(error: ValueError) -> ProcedureError:
    return ProcedureError(str(error).strip("'\""))


def stage_deadlines(
    *,
    procedure: Procedure,
    number: int,
    anchors: Mapping[str, date],
    clock: Clock,
    holds: Iterable[EngineHold] = (),
    agreed: Mapping[str, date] | None = None,
) -> tuple[DueDate, ...]:
    """Every due date of stage ``number`` the recorded anchors allow, as the engine gives them.

    Where a response runs from an acknowledgement not yet recorded (corporate procedures, R3.5), the
    acknowledgement is assumed to go on its due date, so the response still has a due date to aim at.
    Engine errors (an extension outside the limits, a date outside the calendar) become ``ProcedureError``.
    """
    try:
        spec = procedure.stage(number)
        acknowledged = rules.acknowledgement_anchor(number)
        if acknowledged not in anchors and any(t.anchor == acknowledged for t in spec.timescales):
            first = stage_due_dates(
                procedure=procedure,
                stage=number,
                anchors=anchors,
                calendar=clock.calendar,
                receipt_rule=clock.receipt_rule,
            )
            assumed = next((d.due_on for d in first if d.key.endswith("_acknowledgement")), None)
            if assumed is not None:
                anchors = {**anchors, acknowledged: assumed}
        return stage_due_dates(
            procedure=procedure,
            stage=number,
            anchors=anchors,
            calendar=clock.calendar,
            receipt_rule=clock.receipt_rule,
            holds=holds,
            agreed=agreed,
        )
    except ValueError as error:  # CalendarRangeError is a ValueError too.
        raise _engine_error(error) from error


def request_window(*, procedure: Procedure, number: int, previous_response_date: date, clock: Clock) -> DueDate | None:
    """The window to ask for stage ``number`` after the previous stage's response (R1.22, R1.29), if the
    procedure has one."""
    if number > len(procedure.stages):
        return None
    return _request_window(procedure, number, previous_response_date, clock)


# The same answer for every complaint answered on the same day: an import asks for each of 100,000 (due dates are
# immutable, so sharing them is safe).
@functools.lru_cache(maxsize=8192)
def _request_window(procedure: Procedure, number: int, previous_response_date: date, clock: Clock) -> DueDate | None:
    dues = stage_deadlines(
        procedure=procedure,
        number=number,
        anchors={f"stage{number - 1}_responded": previous_response_date},
        clock=clock,
    )
    return next((d for d in dues if d.timescale.kind is TimescaleKind.REQUEST_WINDOW), None)


def _agreed_period(spec: EngineStage) -> bool:
    """Whether the stage's response is due at the end of a period agreed with the complainant (a calendar-month
    default, adults' R2.6) rather than a working-day timescale that an extension lengthens."""
    response = spec.response
    return response is not None and response.calendar_months is not None


def _row(case: Case, stage: Stage | None, due: DueDate, met: date | None) -> Deadline:
    window = due.timescale.kind is TimescaleKind.REQUEST_WINDOW
    due_on, agreed_on = due.due_on, due.agreed_due_on
    if agreed_on is not None and agreed_on < due_on:
        # A response period agreed shorter than the default (adults, R2.6): the agreed date is the date it is due.
        due_on, agreed_on = agreed_on, None
    # Built without Model.__init__: an import plans a deadline for every stage of 100,000 records.
    return instance_build(
        Deadline,
        case=case,
        stage=stage,
        key=due.key,
        label=due.timescale.label,
        rule=due.rule,
        statutory=due.timescale.statutory,
        anchor_date=due.anchor_on,
        working_days=due.timescale.working_days,
        due_date=due_on,
        extended_due_date=agreed_on,
        # A hold pauses the council's clock, not the complainant's window (R1.37).
        adjusted_due_date=None if window else due.hold_adjusted_due_on,
        met_date=met,
        kind=c.DeadlineKind.REQUEST_WINDOW if window else c.DeadlineKind.DEADLINE,
    )


def _met(stage: Stage, key: str) -> date | None:
    field = rules.met_field(key)
    value: date | None = getattr(stage, field) if field else None
    return value


def _engine_holds(holds: Iterable[Hold]) -> list[EngineHold]:
    return [EngineHold(start_on=h.start_date, end_on=h.end_date, reason=h.reason) for h in holds]


def _staged_rows(
    *,
    case: Case,
    stages: Sequence[Stage],
    holds: Mapping[int, Sequence[Hold]],
    procedure: Procedure,
    clock: Clock,
) -> list[Deadline]:
    rows: list[Deadline] = []
    by_number = {s.number: s for s in stages}
    for stage in stages:
        previous = by_number.get(stage.number - 1)
        spec = procedure.stage(stage.number)
        agreed: dict[str, date] = {}
        # An extension agreed, or (adults, R2.5, R2.6) the response period agreed with the complainant, which
        # applies whether it is shorter or longer than the six months and whether or not it is called an extension
        # (interchange §4).
        if (
            stage.extended_due_date is not None
            and spec.response_key is not None
            and (stage.extended or _agreed_period(spec))
        ):
            agreed[spec.response_key] = stage.extended_due_date
        dues = stage_deadlines(
            procedure=procedure,
            number=stage.number,
            anchors=stage_anchors(number=stage.number, stage=stage, previous=previous),
            clock=clock,
            holds=_engine_holds(holds.get(stage.pk, ()) if stage.pk else ()),
            agreed=agreed,
        )
        for due in dues:
            if due.timescale.kind is TimescaleKind.REQUEST_WINDOW:
                # The window belongs to the stage whose response opened it, and its receipt of the request meets it.
                if previous is not None:
                    rows.append(_row(case, previous, due, stage.received_date))
            else:
                rows.append(_row(case, stage, due, _met(stage, due.key)))
    last = stages[-1] if stages else None
    if (
        last is not None
        and last.response_date is not None
        and last.outcome in rules.ESCALATABLE_OUTCOMES
        and last.number < len(procedure.stages)
    ):
        # Awaiting a possible request for the next stage: show the complainant's window (R1.22, R1.29).
        window = request_window(
            procedure=procedure, number=last.number + 1, previous_response_date=response_received(last), clock=clock
        )
        if window is not None:
            rows.append(_row(case, last, window, None))
    return rows


def _enquiry_row(case: Case, clock: Clock) -> Deadline:
    timescale = enquiry_timescale(case)
    days = timescale.working_days or ENQUIRY_RESPONSE_WORKING_DAYS
    try:
        day0 = day_zero(case.received_date, calendar=clock.calendar, rule=clock.receipt_rule)
        due = clock.calendar.add_working_days(day0, days)
    except ValueError as error:
        raise _engine_error(error) from error
    return Deadline(
        case=case,
        stage=None,
        key=timescale.key,
        label=timescale.label,
        rule=timescale.rule,
        statutory=False,
        anchor_date=day0,
        working_days=days,
        due_date=due,
        met_date=case.responded_date,
        kind=c.DeadlineKind.DEADLINE,
    )


def _ombudsman_rows(case: Case, detail: OmbudsmanDetail | None) -> list[Deadline]:
    # The Ombudsman sets these dates itself; they are stored as given, not computed (§4).
    rows: list[Deadline] = []
    if detail is None:
        return rows
    if detail.enquiry_due_date is not None:
        rows.append(
            Deadline(
                case=case,
                stage=None,
                key=OMBUDSMAN_ENQUIRY_KEY,
                label="Reply to the Ombudsman's enquiries",
                rule="§4",
                statutory=False,
                anchor_date=case.received_date,
                due_date=detail.enquiry_due_date,
                met_date=detail.enquiry_responded_date,
                kind=c.DeadlineKind.DEADLINE,
            )
        )
    if detail.compliance_due_date is not None and detail.decision_date is not None:
        rows.append(
            Deadline(
                case=case,
                stage=None,
                key=OMBUDSMAN_COMPLIANCE_KEY,
                label="Comply with the Ombudsman's remedy",
                rule="§4",
                statutory=False,
                anchor_date=detail.decision_date,
                due_date=detail.compliance_due_date,
                met_date=detail.complied_date,
                kind=c.DeadlineKind.DEADLINE,
            )
        )
    return rows


def _next_due(rows: Iterable[Deadline]) -> date | None:
    # The council's own deadlines come first; with none left, the end of the complainant's window is when the case
    # can be closed, so the tracker still orders it sensibly.
    pending = [r for r in rows if r.met_date is None]
    council = [r.effective_due_date for r in pending if r.kind == c.DeadlineKind.DEADLINE]
    if council:
        return min(council)
    return min((r.due_date for r in pending), default=None)


def case_status(case: Case) -> str:
    """The status the case's recorded facts give it (R1.38): closed once it has a closing date; a complaint waits
    in triage until accepted or declined; otherwise open."""
    if case.closed_date is not None:
        return c.CaseStatus.CLOSED
    if case.kind == c.Kind.COMPLAINT and case.acceptance == c.Acceptance.PENDING:
        return c.CaseStatus.TRIAGE
    return c.CaseStatus.OPEN


def _summary(
    case: Case, stages: Sequence[Stage], rows: Sequence[Deadline], detail: OmbudsmanDetail | None
) -> dict[str, Any]:
    closed = case.closed_date is not None
    summary: dict[str, Any] = {"status": case_status(case), "next_due_date": None if closed else _next_due(rows)}
    if case.kind == c.Kind.COMPLAINT:
        last = stages[-1] if stages else None
        summary["current_stage"] = last.number if last else None
        summary["outcome"] = last.outcome if last is not None and last.response_date is not None else ""
    elif case.kind in answered_within(Answer.ENQUIRY):
        summary["response_due_date"] = rows[0].due_date if rows else None
    elif case.kind == c.Kind.OMBUDSMAN:
        summary["response_due_date"] = detail.enquiry_due_date if detail else None
    return summary


def _write(case: Case, rows: Sequence[Deadline], existing: Iterable[Deadline]) -> None:
    current = {(d.stage_id, d.key): d for d in existing}
    create: list[Deadline] = []
    update: list[Deadline] = []
    update_fields: list[list[str]] = []
    for row in rows:
        stored = current.pop((row.stage.pk if row.stage is not None else None, row.key), None)
        if stored is None:
            create.append(row)
            continue
        changed = []
        for field in _STORED_FIELDS:
            value = getattr(row, field)
            if getattr(stored, field) != value:
                setattr(stored, field, value)
                changed.append(field)
        if changed:
            update.append(stored)
            update_fields.append(changed)
    if current:
        Deadline.objects.filter(pk__in=[d.pk for d in current.values()]).delete()
    if create:
        Deadline.objects.bulk_create(create)
    if len(update) > _SMALL_UPDATE:
        Deadline.objects.bulk_update(update, _STORED_FIELDS)
    else:
        # A service usually changes one or two rows; plain UPDATEs of the changed fields are much cheaper for Django
        # to build than bulk_update's CASE expressions.
        for stored, fields in zip(update, update_fields, strict=True):
            Deadline.objects.filter(pk=stored.pk).update(**{f: getattr(stored, f) for f in fields})


def case_deadlines_plan(
    *,
    case: Case,
    stages: Sequence[Stage] | None = None,
    holds: Mapping[int, Sequence[Hold]] | None = None,
    ombudsman: OmbudsmanDetail | None = None,
    clock: Clock | None = None,
) -> tuple[list[Deadline], dict[str, Any]]:
    """The deadlines ``case`` should have (unsaved rows) and its derived fields, computed without writing.

    The case and its stages need not be saved yet, so a new case gets its ``next_due_date`` in its first save.
    """
    clock = clock or current_clock()
    rows: list[Deadline]
    if case.kind == c.Kind.COMPLAINT:
        if stages is None:
            stages = list(case.stages.order_by("number"))
        if holds is None:
            holds = _holds_by_stage(Hold.objects.filter(stage__case=case).order_by())
        rows = _staged_rows(case=case, stages=stages, holds=holds, procedure=procedure_for_case(case), clock=clock)
    elif case.kind in answered_within(Answer.ENQUIRY):
        stages = ()
        rows = [_enquiry_row(case, clock)]
    elif case.kind == c.Kind.OMBUDSMAN:
        stages = ()
        if ombudsman is None and case.pk is not None:
            ombudsman = OmbudsmanDetail.objects.filter(case=case).first()
        rows = _ombudsman_rows(case, ombudsman)
    else:
        stages = ()
        rows = []
    return rows, _summary(case, stages, rows, ombudsman)


def case_summary_apply(case: Case, summary: Mapping[str, Any]) -> list[str]:
    """Set the derived fields on ``case``; the names of those that changed."""
    changed: list[str] = []
    for field, value in summary.items():
        if getattr(case, field) != value:
            setattr(case, field, value)
            changed.append(field)
    return changed


def case_deadlines_store(*, case: Case, rows: Sequence[Deadline], existing: Iterable[Deadline] | None = None) -> None:
    """Write the planned rows: create, update or delete by (stage, key). Pass ``existing=()`` for a new case."""
    if existing is None:
        existing = list(Deadline.objects.filter(case=case).order_by())
    _write(case, rows, existing)


def case_deadlines_refresh(
    *,
    case: Case,
    stages: Sequence[Stage] | None = None,
    holds: Mapping[int, Sequence[Hold]] | None = None,
    ombudsman: OmbudsmanDetail | None = None,
    clock: Clock | None = None,
    existing: Iterable[Deadline] | None = None,
    save: bool = False,
) -> list[str]:
    """Recompute and store every deadline of ``case`` from its recorded dates, and set its derived fields.

    ``stages`` (in number order), ``holds`` (by stage id), ``ombudsman`` and ``existing`` deadlines may be passed
    when the caller has them already, to save queries. Rows are created, updated or deleted by key, with
    ``met_date`` following the stage's recorded dates.

    Returns the names of the case fields that changed (``status``, ``current_stage``, ``next_due_date`` ...), for
    the caller's ``save(update_fields=...)``; with ``save=True`` it saves them itself.
    """
    rows, summary = case_deadlines_plan(case=case, stages=stages, holds=holds, ombudsman=ombudsman, clock=clock)
    case_deadlines_store(case=case, rows=rows, existing=existing)
    changed = case_summary_apply(case, summary)
    if save and changed:
        case.save(update_fields=[*changed, "updated_at"])
    return changed


def _holds_by_stage(holds: Iterable[Hold]) -> dict[int, list[Hold]]:
    grouped: dict[int, list[Hold]] = defaultdict(list)
    for hold in holds:
        grouped[hold.stage_id].append(hold)
    return grouped


# -- every open case at once -----------------------------------------------------------------------------------


@dataclasses.dataclass
class _Job:
    """One stored deadline to recompute: its raw anchor event and, once computed, its new dates."""

    deadline: Deadline
    timescale: Timescale
    number: int
    raw: date
    holds: Sequence[Hold] = ()
    anchor_on: date | None = None
    due_on: date | None = None
    latest_on: date | None = None


def _index(procedure: Procedure) -> dict[str, tuple[int, Timescale]]:
    return {t.key: (s.number, t) for s in procedure.stages for t in s.timescales}


def _as_date(value: np.datetime64) -> date:
    result: date = value.astype("datetime64[D]").item()
    return result


@transaction.atomic
def deadlines_recompute_open(*, council: Council | None = None) -> int:
    """Recompute the stored due dates of every open case (of ``council``, or of all councils) on the current
    working-day calendar, after a calendar override is added or removed (R5.6 layer 3).

    Closed cases keep the dates they were judged by. The dates agreed with a complainant (extensions) and the
    dates the Ombudsman set are not computed, so they do not move. The work is done with the engine's vectorised
    functions over all deadlines of one timescale at once, and written with ``bulk_update``: the number of queries
    does not grow with the number of cases. Returns the number of deadline rows that changed.
    """
    clock = current_clock()
    open_cases = Case.objects.exclude(status=c.CaseStatus.CLOSED)
    if council is not None:
        open_cases = open_cases.filter(council=council)
    cases = {
        case.pk: case
        for case in open_cases.only(
            "id",
            "kind",
            "procedure",
            "corporate_procedure_id",
            "local_timescales_id",
            "received_date",
            "next_due_date",
            "response_due_date",
            "status",
            "closed_date",
        )
    }
    if not cases:
        return 0
    case_ids = open_cases.values("pk")
    stages_by_case: dict[int, dict[int, Stage]] = defaultdict(dict)
    for stage in Stage.objects.filter(case__in=case_ids).order_by():
        stages_by_case[stage.case_id][stage.number] = stage
    holds = _holds_by_stage(Hold.objects.filter(stage__case__in=case_ids).order_by())
    deadlines = list(Deadline.objects.filter(case__in=case_ids).order_by())
    corporate_ids = {case.corporate_procedure_id for case in cases.values() if case.corporate_procedure_id}
    corporate = (
        {row.pk: row for row in CorporateProcedure.objects.filter(pk__in=corporate_ids)} if corporate_ids else {}
    )
    local_ids = {case.local_timescales_id for case in cases.values() if case.local_timescales_id}
    local = {row.pk: row for row in LocalTimescales.objects.filter(pk__in=local_ids)} if local_ids else {}

    indexes: dict[str, dict[str, tuple[int, Timescale]]] = {}
    groups: dict[Timescale, list[_Job]] = defaultdict(list)
    assumed: list[tuple[_Job, str]] = []  # responses waiting for their acknowledgement's new due date
    jobs_by_stage_key: dict[tuple[int, int, str], _Job] = {}

    for deadline in deadlines:
        if deadline.working_days is None:
            continue  # fixed dates: the Ombudsman's, or a calendar-month period (R5.14) that no override moves
        case = cases[deadline.case_id]
        if deadline.stage_id is None:
            if deadline.key == ENQUIRY_RESPONSE.key:
                enquiry = enquiry_timescale(case, local.get(case.local_timescales_id or 0))
                groups[enquiry].append(_Job(deadline, enquiry, 0, case.received_date))
            continue
        procedure = procedure_for_case(
            case, corporate.get(case.corporate_procedure_id or 0), local.get(case.local_timescales_id or 0)
        )
        index = indexes.setdefault(procedure.key, _index(procedure))
        if deadline.key not in index:
            continue
        number, timescale = index[deadline.key]
        by_number = stages_by_case[case.pk]
        anchors = stage_anchors(number=number, stage=by_number.get(number), previous=by_number.get(number - 1))
        window = timescale.kind is TimescaleKind.REQUEST_WINDOW
        job = _Job(deadline, timescale, number, date.min, () if window else holds.get(deadline.stage_id, ()))
        jobs_by_stage_key[(case.pk, number, deadline.key)] = job
        if timescale.anchor in anchors:
            job.raw = anchors[timescale.anchor]
            groups[timescale].append(job)
        elif timescale.fallback_anchor is not None and timescale.fallback_anchor in anchors:
            job.raw = anchors[timescale.fallback_anchor]
            # The fallback is a receipt (e.g. the stage 2 request), to which the receipt rule applies (R5.11).
            fallback = dataclasses.replace(timescale, anchor=timescale.fallback_anchor, fallback_anchor=None)
            groups[fallback].append(job)
        elif timescale.anchor == rules.acknowledgement_anchor(number):
            assumed.append((job, f"stage{number}_acknowledgement"))

    def run(batch: Mapping[Timescale, list[_Job]]) -> None:
        for timescale, jobs in batch.items():
            try:
                result = bulk_timescale_due_dates(
                    [j.raw for j in jobs], timescale, calendar=clock.calendar, receipt_rule=clock.receipt_rule
                )
            except CalendarRangeError:
                continue  # a date outside the calendar cannot move; the services refuse such dates anyway
            extended = result.extended_due_on
            for i, job in enumerate(jobs):
                job.anchor_on = _as_date(result.anchor_on[i])
                job.due_on = _as_date(result.due_on[i])
                job.latest_on = _as_date(extended[i]) if extended is not None else job.due_on

    run(groups)
    # Corporate responses whose acknowledgement is not recorded run from its due date (see stage_deadlines).
    second: dict[Timescale, list[_Job]] = defaultdict(list)
    for job, acknowledgement_key in assumed:
        ack = jobs_by_stage_key.get((job.deadline.case_id, job.number, acknowledgement_key))
        if ack is not None and ack.due_on is not None:
            job.raw = ack.due_on
            second[job.timescale].append(job)
    run(second)

    changed: list[Deadline] = []
    for job in [j for jobs in (*groups.values(), *second.values()) for j in jobs]:
        if job.due_on is None or job.anchor_on is None:
            continue
        deadline = job.deadline
        due_on = job.due_on
        months = job.timescale.calendar_months
        if months is not None and deadline.extended_due_date is None and deadline.due_date < due_on:
            continue  # a response period agreed shorter than the default (adults, R2.6) stays as agreed
        cap_key = job.timescale.capped_by
        if cap_key is not None:
            # R1.28: an internal target never outlasts the statutory limit of its stage.
            cap = jobs_by_stage_key.get((deadline.case_id, job.number, cap_key))
            if cap is not None and cap.latest_on is not None and due_on > cap.latest_on:
                due_on = cap.latest_on
        adjusted = deadline.adjusted_due_date
        if job.holds and job.timescale.working_days is not None:
            adjusted = due_date_with_holds(
                day0=job.anchor_on,
                working_days=job.timescale.working_days,
                calendar=clock.calendar,
                holds=_engine_holds(job.holds),
            )
        extended = deadline.extended_due_date
        if extended is not None and extended < due_on:
            # A new bank holiday can carry the standard date past a date already agreed; the agreed date can then
            # only mean "no later than the standard date".
            extended = due_on
        new = (job.anchor_on, due_on, adjusted, extended)
        if new != (deadline.anchor_date, deadline.due_date, deadline.adjusted_due_date, deadline.extended_due_date):
            deadline.anchor_date, deadline.due_date, deadline.adjusted_due_date, deadline.extended_due_date = new
            changed.append(deadline)
    if changed:
        Deadline.objects.bulk_update(
            changed, ["anchor_date", "due_date", "adjusted_due_date", "extended_due_date"], batch_size=_BULK_BATCH
        )

    by_case: dict[int, list[Deadline]] = defaultdict(list)
    for deadline in deadlines:
        by_case[deadline.case_id].append(deadline)
    changed_cases: list[Case] = []
    for case in cases.values():
        rows = by_case.get(case.pk, [])
        next_due = _next_due(rows)
        response_due = case.response_due_date
        if case.kind in answered_within(Answer.ENQUIRY):
            response_due = next((r.due_date for r in rows if r.key == ENQUIRY_RESPONSE.key), response_due)
        if (next_due, response_due) != (case.next_due_date, case.response_due_date):
            case.next_due_date, case.response_due_date = next_due, response_due
            changed_cases.append(case)
    if changed_cases:
        Case.objects.bulk_update(changed_cases, ["next_due_date", "response_due_date"], batch_size=_BULK_BATCH)
    return len(changed)
