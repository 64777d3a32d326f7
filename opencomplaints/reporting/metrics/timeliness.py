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

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from opencomplaints.deadlines import (
    CHILDREN_STATUTORY,
    RESPONSE_DAYS_BANDS,
    STAGE2_LATENESS_BANDS,
    TimelinessCategory,
    UnknownProcedureError,
    UnknownStageError,
    WorkingDayCalendar,
    classify_response,
    get_procedure,
    lateness_band,
    response_days_band,
    stage3_timeliness,
)
from opencomplaints.records import Record
from opencomplaints.reporting.metrics.selection import (
    DEFAULT_PROCEDURE,
    NOT_ASSESSED,
    complaint_stage,
    completed_in,
)
from opencomplaints.reporting.metrics.table import (
    Cell,
    ChartKind,
    ChartSpec,
    Table,
    count_column,
    definition_of,
    label_column,
    number_column,
    percent,
    percent_column,
)
from opencomplaints.reporting.periods import Period

__all__ = [
    "StageThreeChecks",
    "StageTimeliness",
    "assessed",
    "average_days_table",
    "response_days_bands_table",
    "response_on_time",
    "stage2_lateness_table",
    "stage3_checks",
    "stage3_checks_table",
    "stage_timeliness",
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


@functools.cache
def _limits(procedure: str, stage: int) -> tuple[int, int | None] | None:
    try:
        response = get_procedure(procedure).stage(stage).response
    except (UnknownProcedureError, UnknownStageError):
        return None
    if response is None or response.working_days is None:
        return None
    return response.working_days, response.extended_working_days


def stage_timeliness(
    records: Sequence[Record], period: Period, procedure: str, stage: int, calendar: WorkingDayCalendar
) -> StageTimeliness:
    """Timeliness of stage ``stage`` (1 or 2) as the module docstring defines it, with response bands and
    lateness bands. Records whose procedure sets no working-day limit for the stage are not assessed."""
    result = StageTimeliness()
    for record in assessed(complaint_stage(records, procedure, stage), period):
        limits = _limits(record.procedure or DEFAULT_PROCEDURE, stage)
        if limits is None or record.responded is None:
            continue
        standard, extended = limits
        start = (record.stage2_start or record.received) if stage == 2 else record.received
        timeliness = classify_response(
            start=start,
            responded_on=record.responded,
            calendar=calendar,
            standard_days=standard,
            extended_days=extended,
            extension_agreed=bool(record.extended) and extended is not None,
        )
        days_from_receipt = calendar.working_days_between(record.received, record.responded)
        result.assessed += 1
        result.total_working_days += calendar.working_days_between(start, record.responded)
        if timeliness.category is TimelinessCategory.WITHIN_TIMESCALE:
            result.within_timescale += 1
        elif timeliness.category is TimelinessCategory.WITHIN_EXTENDED_TIMESCALE:
            result.within_extended_timescale += 1
        else:
            result.late += 1
        result.bands[response_days_band(days_from_receipt)] += 1
        result.lateness[lateness_band(timeliness.late_by)] += 1
    return result


def response_on_time(
    *,
    stage: int,
    procedure: str | None,
    start: date,
    responded: date,
    extended: bool,
    calendar: WorkingDayCalendar,
) -> bool | None:
    """Whether a stage 1 or 2 response, from day 0 ``start`` (the date received, or stage 2's start date), was
    within the timescale or an agreed extended timescale, as the module docstring defines them; ``None`` when the
    procedure sets no working-day limit for the stage, so the response is not assessed."""
    limits = _limits(procedure or DEFAULT_PROCEDURE, stage)
    if limits is None:
        return None
    standard, longest = limits
    category = classify_response(
        start=start,
        responded_on=responded,
        calendar=calendar,
        standard_days=standard,
        extended_days=longest,
        extension_agreed=extended and longest is not None,
    ).category
    return category is not TimelinessCategory.LATE


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


def timeliness_table(records: Sequence[Record], period: Period, procedure: str, calendar: WorkingDayCalendar) -> Table:
    """Stage 1 and stage 2 complaints completed in the period (less withdrawn and not accepted) answered within
    the timescale, within an agreed extended timescale, or late. Stage 1: 10 working days from receipt, up to 20
    with an extension; stage 2: 25 working days from the start date, up to 65 with an extension (R1.20, R1.26;
    interchange §2)."""
    stages = {s: stage_timeliness(records, period, procedure, s, calendar) for s in (1, 2)}
    rows: list[tuple[Cell, ...]] = []
    for name, attr in (
        ("Within timescale", "within_timescale"),
        ("Within an agreed extended timescale", "within_extended_timescale"),
        ("Late", "late"),
    ):
        cells: list[Cell] = [name]
        for s in (1, 2):
            value = getattr(stages[s], attr)
            cells += [value, percent(value, stages[s].assessed)]
        rows.append(tuple(cells))
    rows.append(
        (
            "Total assessed",
            stages[1].assessed,
            100.0 if stages[1].assessed else None,
            stages[2].assessed,
            100.0 if stages[2].assessed else None,
        )
    )
    return Table(
        key="timeliness",
        title=f"Timeliness of responses at stages 1 and 2, {period.label}",
        columns=(
            label_column("Response"),
            count_column("Stage 1"),
            percent_column("Stage 1 %", of=1),
            count_column("Stage 2"),
            percent_column("Stage 2 %", of=3),
        ),
        rows=tuple(rows),
        definition=definition_of(timeliness_table),
        source="R1.39; R1.40 item 7; interchange §2",
        total_row=True,
        chart=ChartSpec(ChartKind.BAR, value_columns=(2, 4), title="Timeliness by stage (%)"),
    )


def _band_table(key: str, title: str, counts: dict[str, int], definition: str, source: str) -> Table:
    total = sum(counts.values())
    rows: list[tuple[Cell, ...]] = [(band, n, percent(n, total)) for band, n in counts.items()]
    rows.append(("Total", total, 100.0 if total else None))
    return Table(
        key=key,
        title=title,
        columns=(label_column("Working days"), count_column("Number"), percent_column("%", of=1)),
        rows=tuple(rows),
        definition=definition,
        source=source,
        total_row=True,
        chart=ChartSpec(ChartKind.BAR, value_columns=(1,), title=title),
    )


def response_days_bands_table(
    records: Sequence[Record], period: Period, procedure: str, calendar: WorkingDayCalendar
) -> Table:
    """Stage 1 complaints completed in the period (less withdrawn and not accepted) by working days from receipt
    to response: 1-10, 11-20, 21-40, 41+ (interchange §2 ``response_days_bands``)."""
    counts = stage_timeliness(records, period, procedure, 1, calendar).bands
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
            percent_column("On time %", of=1),
        ),
        rows=rows,
        definition=definition_of(stage3_checks_table),
        source="R1.31 to R1.33; interchange §2",
    )


def average_days_table(
    records: Sequence[Record], period: Period, procedure: str, calendar: WorkingDayCalendar
) -> Table:
    """Average working days taken to respond at stages 1 and 2, over the complaints assessed for timeliness:
    stage 1 from receipt, stage 2 from the start date (R1.40 item 7)."""
    rows: list[tuple[Cell, ...]] = []
    for s in (1, 2):
        t = stage_timeliness(records, period, procedure, s, calendar)
        rows.append((f"Stage {s}", t.assessed, t.average_working_days, t.on_time, t.on_time_percent))
    return Table(
        key="average_days",
        title=f"Working days taken to respond, {period.label}",
        columns=(
            label_column("Stage"),
            count_column("Assessed"),
            number_column("Average working days"),
            count_column("On time (including agreed extensions)"),
            percent_column("On time %", of=3),
        ),
        rows=tuple(rows),
        definition=definition_of(average_days_table),
        source="R1.40 item 7",
    )
