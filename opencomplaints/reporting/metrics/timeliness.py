"""Timeliness (R1.39, R1.40 item 7; interchange §2).

Assessed over the records **completed** in the period, less ``withdrawn`` and ``not_accepted``. Working days
follow the 2006 Regulations: day 0 is the date received and counting starts on the next working day (R1.2,
R5.8, R5.10). Limits come from the procedure's data in the deadline engine, never from constants here.

- Stage 1: working days from ``received`` to ``responded``; within timescale if ≤ 10; within extended timescale
  if > 10, ≤ 20 and an extension was agreed; otherwise late (R1.20).
- Stage 2: working days from ``stage2_start`` (else ``received``) to ``responded``; within timescale if ≤ 25;
  within extended timescale if > 25, ≤ 65 and an extension was agreed; otherwise late (R1.26).
- Stage 3: three separate checks: panel met ≤ 30 working days after ``received`` (R1.31); panel report ≤ 5
  working days after the panel (R1.32); council response ≤ 15 working days after the panel report (R1.33). A
  check whose dates are not recorded is not on time.
- Response time bands: working days from ``received`` to ``responded``: 1-10, 11-20, 21-40, 41+ (a same-day
  response counts in 1-10).
- Stage 2 lateness bands: working days beyond the limit that applied (the extended one where an extension was
  agreed): on time, 1-10, 11-30, over 30 days late.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from opencomplaints.deadlines import (
    CHILDREN_STATUTORY,
    RESPONSE_DAYS_BANDS,
    STAGE2_LATENESS_BANDS,
    TimelinessCategory,
    WorkingDayCalendar,
    classify_response,
    lateness_band,
    response_days_band,
    stage3_timeliness,
)
from opencomplaints.records import Record
from opencomplaints.reporting.metrics.rules import ProcedureRules, StageRules, describe, rules_for, stage_numbers
from opencomplaints.reporting.metrics.selection import (
    ALL_PROCEDURES,
    COMPLAINT,
    DEFAULT_PROCEDURE,
    NOT_ASSESSED,
    complaint_stage,
    completed_in,
    received_in,
)
from opencomplaints.reporting.metrics.table import (
    Cell,
    ChartKind,
    ChartSpec,
    Column,
    Table,
    count_column,
    definition_of,
    label_column,
    number_column,
    percent,
    percent_column,
)
from opencomplaints.reporting.periods import Period

ADULTS_STATUTORY = "adults_statutory"

__all__ = [
    "StageThreeChecks",
    "StageTimeliness",
    "acknowledgement_counts",
    "acknowledgement_table",
    "assessed",
    "average_days_table",
    "response_days_bands_table",
    "response_on_time",
    "stage2_lateness_table",
    "stage3_checks",
    "stage3_checks_table",
    "stage_timeliness",
    "timed_stages",
    "timeliness_category",
    "timeliness_table",
]

BAND_LABELS: tuple[str, ...] = tuple(b.label for b in RESPONSE_DAYS_BANDS)
LATENESS_LABELS: tuple[str, ...] = tuple(b.label for b in STAGE2_LATENESS_BANDS)


@dataclass
class StageTimeliness:
    assessed: int = 0
    within_timescale: int = 0
    within_extended_timescale: int = 0
    late: int = 0
    #: Response time bands (received → responded).
    bands: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BAND_LABELS, 0))
    #: Lateness bands beyond the applicable limit.
    lateness: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LATENESS_LABELS, 0))
    total_working_days: int = 0

    @property
    def on_time(self) -> int:
        """Within the timescale or within an agreed extended timescale."""
        return self.within_timescale + self.within_extended_timescale

    @property
    def on_time_percent(self) -> float | None:
        return percent(self.on_time, self.assessed)

    @property
    def average_working_days(self) -> float | None:
        if not self.assessed:
            return None
        return round(self.total_working_days / self.assessed, 1)


@dataclass
class StageThreeChecks:
    assessed: int = 0
    panel_on_time: int = 0
    panel_report_on_time: int = 0
    response_on_time: int = 0


def assessed(records: Iterable[Record], period: Period) -> list[Record]:
    """The records whose timeliness is assessed: completed in the period, less withdrawn and not accepted."""
    return [r for r in completed_in(records, period) if r.outcome not in NOT_ASSESSED]


def _classify(record: Record, rules: StageRules, calendar: WorkingDayCalendar) -> tuple[TimelinessCategory, int] | None:
    """``record``'s timeliness category and the working days it was late by (0 if on time), by ``rules``;
    ``None`` when the stage has no response timescale or the record no response."""
    if record.responded is None:
        return None
    due = rules.due_by_months(record)
    if due is not None:  # adults (R2.6): a calendar period, or the period agreed; never an extended timescale
        if record.responded <= due:
            return TimelinessCategory.WITHIN_TIMESCALE, 0
        return TimelinessCategory.LATE, calendar.working_days_between(due, record.responded)
    if rules.response_days is None:
        return None
    timeliness = classify_response(
        start=rules.start_of(record),
        responded_on=record.responded,
        calendar=calendar,
        standard_days=rules.response_days,
        extended_days=rules.extended_days,
        extension_agreed=bool(record.extended) and rules.extended_days is not None,
    )
    return timeliness.category, timeliness.late_by


def stage_timeliness(
    records: Sequence[Record],
    period: Period,
    procedure: str,
    stage: int,
    calendar: WorkingDayCalendar,
    configured: Mapping[str, ProcedureRules] | None = None,
) -> StageTimeliness:
    """Timeliness of stage ``stage`` as the module docstring defines it (for the corporate and adults'
    procedures as :mod:`opencomplaints.reporting.metrics.rules` does), with response bands and lateness bands.
    ``configured`` holds a council's own timescales by procedure. Records whose procedure sets no response
    timescale for the stage are not assessed."""
    result = StageTimeliness()
    for record in assessed(complaint_stage(records, procedure, stage), period):
        rules = rules_for(record.procedure or DEFAULT_PROCEDURE, configured).stage(stage)
        classified = None if rules is None else _classify(record, rules, calendar)
        if rules is None or classified is None or record.responded is None:
            continue
        category, late_by = classified
        result.assessed += 1
        result.total_working_days += calendar.working_days_between(rules.start_of(record), record.responded)
        if category is TimelinessCategory.WITHIN_TIMESCALE:
            result.within_timescale += 1
        elif category is TimelinessCategory.WITHIN_EXTENDED_TIMESCALE:
            result.within_extended_timescale += 1
        else:
            result.late += 1
        band_days = calendar.working_days_between(rules.bands_start_of(record), record.responded)
        result.bands[response_days_band(band_days)] += 1
        result.lateness[lateness_band(late_by)] += 1
    return result


def timeliness_category(
    record: Record, calendar: WorkingDayCalendar, configured: Mapping[str, ProcedureRules] | None = None
) -> TimelinessCategory | None:
    """The timeliness of one assessed complaint record (``within_timescale``, ``within_extended_timescale`` or
    ``late``) by its procedure's rules, as :func:`stage_timeliness` counts it; ``None`` when it is not assessed
    (not responded to, withdrawn, not accepted, or its stage has no response timescale)."""
    if record.stage is None or record.outcome in NOT_ASSESSED:
        return None
    rules = rules_for(record.procedure or DEFAULT_PROCEDURE, configured).stage(record.stage)
    classified = None if rules is None else _classify(record, rules, calendar)
    return None if classified is None else classified[0]


def response_on_time(
    *,
    stage: int,
    procedure: str | None,
    start: date,
    responded: date,
    extended: bool,
    calendar: WorkingDayCalendar,
    acknowledged: date | None = None,
    extended_due: date | None = None,
    configured: Mapping[str, ProcedureRules] | None = None,
) -> bool | None:
    """Whether a stage's response, received on ``start`` (stage 2 of the children's procedure: its start date),
    was within the timescale or an agreed extended timescale, as :func:`stage_timeliness` counts it; ``None`` when
    the procedure sets no response timescale for the stage, so the response is not assessed."""
    record = Record(
        ref="",
        kind=COMPLAINT,
        procedure=procedure,
        stage=stage,
        received=start,
        stage2_start=start,
        acknowledged=acknowledged,
        extended=extended,
        extended_due=extended_due,
        responded=responded,
    )
    category = timeliness_category(record, calendar, configured)
    return None if category is None else category is not TimelinessCategory.LATE


def stage3_checks(
    records: Sequence[Record], period: Period, procedure: str, calendar: WorkingDayCalendar
) -> StageThreeChecks:
    """The three stage 3 checks of the module docstring, over the stage 3 records assessed."""
    result = StageThreeChecks()
    for record in assessed(complaint_stage(records, procedure, 3), period):
        checks = stage3_timeliness(
            request_received_on=record.received,
            calendar=calendar,
            panel_on=record.panel_date,
            panel_report_on=record.panel_report_date,
            responded_on=record.responded,
            procedure=CHILDREN_STATUTORY,
        )
        result.assessed += 1
        result.panel_on_time += int(checks.panel is not None and checks.panel.on_time)
        result.panel_report_on_time += int(checks.panel_report is not None and checks.panel_report.on_time)
        result.response_on_time += int(checks.response is not None and checks.response.on_time)
    return result


def timed_stages(procedure: str) -> tuple[int, ...]:
    """The stages whose responses are timed against one timescale (stage 3's three checks are counted apart)."""
    return tuple(s for s in stage_numbers(procedure) if s != 3)


def _rules_notes(procedure: str, configured: Mapping[str, ProcedureRules] | None) -> tuple[str, ...]:
    if procedure == ALL_PROCEDURES:
        return ()
    return describe(rules_for(procedure, configured))


def timeliness_table(
    records: Sequence[Record],
    period: Period,
    procedure: str,
    calendar: WorkingDayCalendar,
    configured: Mapping[str, ProcedureRules] | None = None,
) -> Table:
    """Complaints completed in the period at each stage (less withdrawn and not accepted) answered within the
    timescale, within an agreed extended timescale, or late. Children's procedure: stage 1 within 10 working days
    of receipt, up to 20 with an extension; stage 2 within 25 working days of the start date, up to 65 with an
    extension (R1.20, R1.26; interchange §2). Corporate: from the acknowledgement, 10 (up to 20) and 20 (up to
    40) working days by default (R3.5, R3.6). Adults': by the agreed response date, else within six months of
    receipt (R2.6). The notes state the timescales used."""
    numbers = timed_stages(procedure)
    stages = {s: stage_timeliness(records, period, procedure, s, calendar, configured) for s in numbers}
    rows: list[tuple[Cell, ...]] = []
    for name, attr in (
        ("Within timescale", "within_timescale"),
        ("Within an agreed extended timescale", "within_extended_timescale"),
        ("Late", "late"),
    ):
        if attr == "within_extended_timescale" and procedure == ADULTS_STATUTORY:
            continue  # the agreed response period is the timescale itself (R2.6)
        cells: list[Cell] = [name]
        for s in numbers:
            value = getattr(stages[s], attr)
            cells += [value, percent(value, stages[s].assessed)]
        rows.append(tuple(cells))
    total: list[Cell] = ["Total assessed"]
    for s in numbers:
        total += [stages[s].assessed, 100.0 if stages[s].assessed else None]
    rows.append(tuple(total))
    columns: list[Column] = [label_column("Response")]
    for s in numbers:
        columns += [count_column(f"Stage {s}"), percent_column(f"Stage {s} %", of=f"Stage {s}")]
    names = " and ".join(str(s) for s in numbers)
    return Table(
        key="timeliness",
        title=f"Timeliness of responses at stage{'s' if len(numbers) > 1 else ''} {names}, {period.label}",
        columns=tuple(columns),
        rows=tuple(rows),
        definition=definition_of(timeliness_table),
        source="R1.39; R1.40 item 7; interchange §2",
        notes=_rules_notes(procedure, configured),
        total_row=True,
        chart=ChartSpec(
            ChartKind.BAR, value_columns=tuple(2 + 2 * i for i in range(len(numbers))), title="Timeliness by stage (%)"
        ),
    )


def acknowledgement_table(
    records: Sequence[Record],
    period: Period,
    procedure: str,
    calendar: WorkingDayCalendar,
    configured: Mapping[str, ProcedureRules] | None = None,
) -> Table:
    """Complaints received in the period at each stage, acknowledged on time (no later than the acknowledgement
    timescale after receipt: 5 working days corporate, 3 adults'), late, or with no acknowledgement date
    recorded (not assessed) (R2.5, R3.5, R3.6; interchange §4)."""
    rules = rules_for(procedure, configured)
    numbers = [s.number for s in rules.stages if s.acknowledge_days is not None]
    counts = {
        n: acknowledgement_counts(
            received_in(complaint_stage(records, procedure, n), period),
            rules.stage(n) or StageRules(number=n),
            calendar,
        )
        for n in numbers
    }
    rows: list[tuple[Cell, ...]] = []
    for name, key in (
        ("Acknowledged on time", "on_time"),
        ("Acknowledged late", "late"),
        ("Total assessed", "assessed"),
        ("No acknowledgement date recorded", "not_recorded"),
    ):
        cells: list[Cell] = [name]
        for n in numbers:
            cells += [counts[n][key], None if key == "not_recorded" else percent(counts[n][key], counts[n]["assessed"])]
        rows.append(tuple(cells))
    columns: list[Column] = [label_column("Acknowledgement")]
    for n in numbers:
        columns += [count_column(f"Stage {n}"), percent_column(f"Stage {n} %", of=f"Stage {n}")]
    return Table(
        key="acknowledgement",
        title=f"Acknowledgement of complaints received, {period.label}",
        columns=tuple(columns),
        rows=tuple(rows),
        definition=definition_of(acknowledgement_table),
        source="R2.5; R3.5; R3.6; interchange §4",
        notes=_rules_notes(procedure, configured),
    )


def acknowledgement_counts(
    received: Iterable[Record], rules: StageRules, calendar: WorkingDayCalendar
) -> dict[str, int]:
    """Acknowledgement of ``received`` records (interchange §4; R2.5, R3.5, R3.6): on time when ``acknowledged``
    is no later than the stage's acknowledgement timescale (5 working days corporate, 3 adults') after
    ``received``, late when later; ``not_recorded`` (and not assessed) where ``acknowledged`` is blank;
    ``assessed`` = ``on_time`` + ``late``."""
    counts = {"assessed": 0, "on_time": 0, "late": 0, "not_recorded": 0}
    limit = rules.acknowledge_days
    for record in received:
        if record.acknowledged is None:
            counts["not_recorded"] += 1
            continue
        counts["assessed"] += 1
        on_time = limit is not None and calendar.working_days_between(record.received, record.acknowledged) <= limit
        counts["on_time" if on_time else "late"] += 1
    return counts


def _band_table(key: str, title: str, counts: dict[str, int], definition: str, source: str) -> Table:
    total = sum(counts.values())
    rows: list[tuple[Cell, ...]] = [(band, n, percent(n, total)) for band, n in counts.items()]
    rows.append(("Total", total, 100.0 if total else None))
    return Table(
        key=key,
        title=title,
        columns=(label_column("Working days"), count_column("Number"), percent_column("%", of="Number")),
        rows=tuple(rows),
        definition=definition,
        source=source,
        total_row=True,
        chart=ChartSpec(ChartKind.BAR, value_columns=(1,), title=title),
    )


def response_days_bands_table(
    records: Sequence[Record],
    period: Period,
    procedure: str,
    calendar: WorkingDayCalendar,
    configured: Mapping[str, ProcedureRules] | None = None,
) -> Table:
    """Stage 1 complaints completed in the period (less withdrawn and not accepted) by working days from receipt
    (corporate: from the acknowledgement, else receipt) to response: 1-10, 11-20, 21-40, 41+ (interchange §2 and
    §4 ``response_days_bands``)."""
    counts = stage_timeliness(records, period, procedure, 1, calendar, configured).bands
    return _band_table(
        "stage1_response_bands",
        f"Stage 1 response times, {period.label}",
        counts,
        definition_of(response_days_bands_table),
        "Interchange §2",
    )


def stage2_lateness_table(
    records: Sequence[Record], period: Period, procedure: str, calendar: WorkingDayCalendar
) -> Table:
    """Stage 2 complaints completed in the period (less withdrawn and not accepted) by how many working days late
    the response was, beyond the limit that applied: 25 working days from the start date, or the extended limit
    (up to 65) where an extension was agreed (R1.26)."""
    counts = stage_timeliness(records, period, procedure, 2, calendar).lateness
    table = _band_table(
        "stage2_lateness",
        f"Stage 2 responses: on time or how late, {period.label}",
        counts,
        definition_of(stage2_lateness_table),
        "R1.26",
    )
    return table.with_rows(table.rows, columns=(label_column("Working days late"), *table.columns[1:]))


def stage3_checks_table(
    records: Sequence[Record], period: Period, procedure: str, calendar: WorkingDayCalendar
) -> Table:
    """The three stage 3 checks over the stage 3 complaints completed in the period (less withdrawn and not
    accepted): the panel met within 30 working days of the request (R1.31); the panel's report followed within
    5 working days (R1.32); the council responded within 15 working days of the report (R1.33)."""
    checks = stage3_checks(records, period, procedure, calendar)
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (name, value, checks.assessed, percent(value, checks.assessed))
        for name, value in (
            ("Panel met within 30 working days of the request", checks.panel_on_time),
            ("Panel report within 5 working days of the panel", checks.panel_report_on_time),
            ("Council response within 15 working days of the report", checks.response_on_time),
        )
    )
    return Table(
        key="stage3_checks",
        title=f"Stage 3 review panels: the three timescales, {period.label}",
        columns=(
            label_column("Check"),
            count_column("On time"),
            count_column("Assessed"),
            percent_column("On time %", of="On time"),
        ),
        rows=rows,
        definition=definition_of(stage3_checks_table),
        source="R1.31 to R1.33; interchange §2",
    )


def average_days_table(
    records: Sequence[Record],
    period: Period,
    procedure: str,
    calendar: WorkingDayCalendar,
    configured: Mapping[str, ProcedureRules] | None = None,
) -> Table:
    """Average working days taken to respond at each stage, over the complaints assessed for timeliness, from the
    day the stage's timescale starts: the children's stage 1 from receipt and stage 2 from the start date;
    corporate stages from the acknowledgement (else receipt); adults' from receipt (R1.40 item 7)."""
    rows: list[tuple[Cell, ...]] = []
    for s in timed_stages(procedure):
        t = stage_timeliness(records, period, procedure, s, calendar, configured)
        rows.append((f"Stage {s}", t.assessed, t.average_working_days, t.on_time, t.on_time_percent))
    return Table(
        key="average_days",
        title=f"Working days taken to respond, {period.label}",
        columns=(
            label_column("Stage"),
            count_column("Assessed"),
            number_column("Average working days"),
            count_column("On time (including agreed extensions)"),
            percent_column("On time %", of="On time (including agreed extensions)"),
        ),
        rows=tuple(rows),
        definition=definition_of(average_days_table),
        source="R1.40 item 7",
    )
