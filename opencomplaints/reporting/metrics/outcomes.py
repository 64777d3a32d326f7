"""Outcomes (R1.40 items 3 and 6; interchange §2).

**Outcomes** are counted over the records completed in the period: those whose ``responded`` falls in it, any
outcome, withdrawn included. Percentages are of the records completed at that stage, rounded half up to one
decimal place. The **uphold rate** is upheld plus partly upheld as a percentage of the records completed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from opencomplaints.records import Record
from opencomplaints.reporting.metrics.rules import stage_numbers
from opencomplaints.reporting.metrics.selection import (
    OUTCOMES,
    UPHELD_OUTCOMES,
    Labels,
    complaint_stage,
    completed_in,
    label,
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
    percent,
    percent_column,
)
from opencomplaints.reporting.periods import Period

__all__ = ["outcome_counts", "outcomes_by_service_area_table", "outcomes_table", "uphold_rate"]

_ALWAYS_SHOWN = ("upheld", "partly_upheld", "not_upheld")


def outcome_counts(completed: Iterable[Record]) -> dict[str, int]:
    """How many completed records ended with each outcome; every outcome of the vocabulary is a key."""
    counts = dict.fromkeys(OUTCOMES, 0)
    for record in completed:
        if record.outcome in counts:
            counts[record.outcome] += 1
    return counts


def uphold_rate(completed: Sequence[Record]) -> float | None:
    """Upheld or partly upheld, as a percentage of the records completed (``None`` when none were)."""
    return percent(sum(1 for r in completed if r.outcome in UPHELD_OUTCOMES), len(completed))


def outcomes_table(records: Sequence[Record], period: Period, procedure: str, labels: Labels) -> Table:
    """Outcomes of the complaints completed in the period at each stage (responded to in the period, any
    outcome), with each as a percentage of that stage's completed complaints (R1.40 items 3 and 6)."""
    stages = stage_numbers(procedure)
    per_stage = {s: outcome_counts(completed_in(complaint_stage(records, procedure, s), period)) for s in stages}
    shown = [o for o in OUTCOMES if o in _ALWAYS_SHOWN or any(per_stage[s][o] for s in stages)]
    totals = {s: sum(per_stage[s].values()) for s in stages}
    rows: list[tuple[Cell, ...]] = []
    for outcome in shown:
        cells: list[Cell] = [label(labels, "outcome", outcome)]
        for s in stages:
            cells += [per_stage[s][outcome], percent(per_stage[s][outcome], totals[s])]
        rows.append(tuple(cells))
    total_cells: list[Cell] = ["Total completed"]
    for s in stages:
        total_cells += [totals[s], 100.0 if totals[s] else None]
    rows.append(tuple(total_cells))
    columns: list[Column] = [label_column("Outcome")]
    for s in stages:
        columns += [count_column(f"Stage {s}"), percent_column(f"Stage {s} %", of=f"Stage {s}")]
    return Table(
        key="outcomes",
        title=f"Outcomes of complaints completed, {period.label}",
        columns=tuple(columns),
        rows=tuple(rows),
        definition=definition_of(outcomes_table),
        source="R1.40 items 3 and 6; interchange §2",
        total_row=True,
        chart=ChartSpec(
            ChartKind.BAR, value_columns=tuple(1 + 2 * i for i in range(len(stages))), title="Outcomes by stage"
        ),
    )


def outcomes_by_service_area_table(
    records: Sequence[Record], period: Period, procedure: str, labels: Labels, stage: int = 1
) -> Table:
    """Outcomes of the stage ``stage`` complaints completed in the period, by the service area the complaint
    named (records with none recorded are shown as "Not recorded"), with the uphold rate of each."""
    completed = completed_in(complaint_stage(records, procedure, stage), period)
    areas = sorted({r.service_area or "Not recorded" for r in completed}, key=lambda a: (a == "Not recorded", a))
    shown = [o for o in OUTCOMES if o in _ALWAYS_SHOWN or any(r.outcome == o for r in completed)]
    rows: list[tuple[Cell, ...]] = []
    for area in [*areas, None]:
        subset = [r for r in completed if area is None or (r.service_area or "Not recorded") == area]
        counts = outcome_counts(subset)
        rows.append((area or "Total", *(counts[o] for o in shown), len(subset), uphold_rate(subset)))
    return Table(
        key=f"stage{stage}_outcomes_by_service_area",
        title=f"Stage {stage} outcomes by service area, {period.label}",
        columns=(
            label_column("Service area"),
            *(count_column(label(labels, "outcome", o)) for o in shown),
            count_column("Total completed"),
            percent_column("Upheld or partly upheld %", of="Total completed"),
        ),
        rows=tuple(rows),
        definition=definition_of(outcomes_by_service_area_table),
        source="R1.40 item 6",
        total_row=True,
        total_column="Total completed",
        summed_columns=tuple(label(labels, "outcome", o) for o in shown),
        sensitive=True,
    )
