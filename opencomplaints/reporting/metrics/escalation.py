"""Escalation (R1.40 item 3; interchange §2).

The escalation rate from stage 1 to stage 2 is the stage 2 records received in the period divided by the stage 1
records completed in the period less those withdrawn, as a percentage rounded half up to one decimal place;
stage 2 to stage 3 likewise. When no records were completed at the lower stage the rate is 0.0 in the JSON core
(which needs a number) and shown as "-" in the documents.

By service area, a complaint counts under the service area of its first team (as it was when the complaint was
received), else the service area recorded without a team, else "Not recorded". Earlier years are counted by the
database from the case data by the same rule, so a year's rates do not change when a later year is reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from opencomplaints.records import Record
from opencomplaints.reporting.metrics.rules import stage_numbers
from opencomplaints.reporting.metrics.selection import complaint_stage, completed_in, received_in
from opencomplaints.reporting.metrics.table import (
    Cell,
    ChartKind,
    ChartSpec,
    Column,
    Table,
    count_column,
    definition_of,
    label_column,
    percent,
    percent_column,
)
from opencomplaints.reporting.periods import Period, reporting_year_label

__all__ = [
    "NOT_RECORDED",
    "AreaCounts",
    "Escalation",
    "escalation",
    "escalation_by_service_area",
    "escalation_by_service_area_by_year_table",
    "escalation_by_service_area_table",
    "escalation_table",
]

NOT_RECORDED = "Not recorded"

#: Service area → (stage 1 completed less withdrawn, stage 2 received), for one year.
type AreaCounts = Mapping[str, tuple[int, int]]


@dataclass(frozen=True)
class Escalation:
    lower_stage: int
    completed_less_withdrawn: int
    escalated: int

    @property
    def rate(self) -> float | None:
        return percent(self.escalated, self.completed_less_withdrawn)


def escalation(records: Sequence[Record], period: Period, procedure: str, lower_stage: int) -> Escalation:
    """Escalation from ``lower_stage`` to the next stage as the module docstring defines it."""
    completed = completed_in(complaint_stage(records, procedure, lower_stage), period)
    return Escalation(
        lower_stage=lower_stage,
        completed_less_withdrawn=sum(1 for r in completed if r.outcome != "withdrawn"),
        escalated=len(received_in(complaint_stage(records, procedure, lower_stage + 1), period)),
    )


def escalation_table(records: Sequence[Record], period: Period, procedure: str) -> Table:
    """Escalation rates: complaints received at the next stage in the period as a percentage of those completed at
    the stage below in the period, less withdrawn (interchange §2)."""
    rows: list[tuple[Cell, ...]] = []
    for lower in stage_numbers(procedure)[:-1]:
        e = escalation(records, period, procedure, lower)
        rows.append((f"Stage {lower} to stage {lower + 1}", e.completed_less_withdrawn, e.escalated, e.rate))
    return Table(
        key="escalation",
        title=f"Escalation between stages, {period.label}",
        columns=(
            label_column(""),
            count_column("Completed at the lower stage (less withdrawn)"),
            count_column("Received at the next stage"),
            percent_column("Escalation rate %", of="Received at the next stage"),
        ),
        rows=tuple(rows),
        definition=definition_of(escalation_table) + "\n\n" + (__doc__ or "").strip(),
        source="R1.40 item 3; interchange §2",
    )


def escalation_by_service_area(records: Sequence[Record], period: Period, procedure: str) -> dict[str, tuple[int, int]]:
    """Service area → (stage 1 complaints completed in the period less withdrawn, stage 2 complaints received in
    the period), for the service areas either names."""
    counts: dict[str, list[int]] = {}
    for r in completed_in(complaint_stage(records, procedure, 1), period):
        if r.outcome != "withdrawn":
            counts.setdefault(r.service_area or NOT_RECORDED, [0, 0])[0] += 1
    for r in received_in(complaint_stage(records, procedure, 2), period):
        counts.setdefault(r.service_area or NOT_RECORDED, [0, 0])[1] += 1
    return {area: (lower, upper) for area, (lower, upper) in counts.items()}


def _areas(*years: AreaCounts) -> list[str]:
    named = sorted({area for counts in years for area in counts} - {NOT_RECORDED})
    return [*named, *([NOT_RECORDED] if any(NOT_RECORDED in counts for counts in years) else [])]


def escalation_by_service_area_table(records: Sequence[Record], period: Period, procedure: str) -> Table:
    """Escalation from stage 1 to stage 2 by service area: stage 2 complaints received in the period naming the
    service area, as a percentage of the stage 1 complaints completed in the period (less withdrawn) naming it."""
    counts = escalation_by_service_area(records, period, procedure)
    rows: list[tuple[Cell, ...]] = []
    for area in _areas(counts):
        lower, upper = counts[area]
        rows.append((area, lower, upper, percent(upper, lower)))
    lower_total, upper_total = sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
    rows.append(("Total", lower_total, upper_total, percent(upper_total, lower_total)))
    return Table(
        key="escalation_by_service_area",
        title=f"Escalation from stage 1 to stage 2 by service area, {period.label}",
        columns=(
            label_column("Service area"),
            count_column("Stage 1 completed (less withdrawn)"),
            count_column("Stage 2 received"),
            percent_column("Escalation rate %", of="Stage 2 received"),
        ),
        rows=tuple(rows),
        definition=definition_of(escalation_by_service_area_table),
        source="R1.40 item 3",
        total_row=True,
        sensitive=True,
    )


def escalation_by_service_area_by_year_table(
    records: Sequence[Record], period: Period, procedure: str, earlier: Mapping[int, AreaCounts]
) -> Table:
    """Escalation from stage 1 to stage 2 by service area over the years: for each reporting year in
    ``earlier`` (counted from the case data) and for the period reported, the stage 1 complaints completed in it
    less those withdrawn, the stage 2 complaints received in it, and the escalation rate, as the module docstring
    defines them."""
    years = sorted(earlier)
    spans: list[tuple[str, AreaCounts]] = [
        *((reporting_year_label(year), earlier[year]) for year in years),
        (period.label, escalation_by_service_area(records, period, procedure)),
    ]
    columns: list[Column] = [label_column("Service area")]
    for name, _ in spans:
        columns += [
            count_column(f"{name} stage 1"),
            count_column(f"{name} stage 2"),
            percent_column(f"{name} %", of=f"{name} stage 2"),
        ]
    rows: list[tuple[Cell, ...]] = []
    for area in [*_areas(*(counts for _, counts in spans)), None]:
        row: list[Cell] = [area or "Total"]
        for _, counts in spans:
            if area is None:
                lower, upper = sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
            else:
                lower, upper = counts.get(area, (0, 0))
            row += [lower, upper, percent(upper, lower)]
        rows.append(tuple(row))
    first = spans[0][0]
    return Table(
        key="escalation_by_service_area_by_year",
        title=f"Escalation from stage 1 to stage 2 by service area, {first} to {period.label}"
        if len(spans) > 1
        else f"Escalation from stage 1 to stage 2 by service area, {period.label}",
        columns=tuple(columns),
        rows=tuple(rows),
        definition=definition_of(escalation_by_service_area_by_year_table) + "\n\n" + (__doc__ or "").strip(),
        source="R1.40 items 3 and 9",
        notes=(
            "For each year: the stage 1 complaints completed in it, less those withdrawn; the stage 2 complaints "
            "received in it; and the escalation rate, the second as a percentage of the first.",
        ),
        total_row=True,
        sensitive=True,
        chart=ChartSpec(
            ChartKind.HBAR,
            value_columns=tuple(3 * (i + 1) for i in range(len(spans))),
            title="Escalation rate from stage 1 to stage 2 by service area (%)",
        ),
    )
