"""Volumes: how many representations were received, completed, carried over and left open (R1.40 items 2 and 3).

- **received** in a period: ``received`` falls in it (interchange §2).
- **completed**: ``responded`` falls in it, any outcome, withdrawn included.
- **open at end**: received on or before the period's last day and not responded to by then.
- **carried over** (open at start): received before the period and not responded to before it began.
- Quarters are those of the reporting year: Q1 April to June … Q4 January to March.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opencomplaints.cases.constants import Kind
from opencomplaints.cases.kinds import representation_kinds
from opencomplaints.records import Record
from opencomplaints.reporting.metrics.rules import stage_numbers
from opencomplaints.reporting.metrics.selection import (
    Labels,
    by_quarter,
    complaint_stage,
    completed_in,
    label,
    open_at_end,
    open_at_start,
    received_in,
)
from opencomplaints.reporting.metrics.table import (
    Cell,
    ChartKind,
    ChartSpec,
    Table,
    count_column,
    definition_of,
    label_column,
)
from opencomplaints.reporting.periods import QUARTERS, Period

__all__ = [
    "StageVolumes",
    "completed_by_quarter_table",
    "received_by_quarter_table",
    "representations_by_quarter_table",
    "stage_volumes",
    "stage_volumes_table",
]

OMBUDSMAN = Kind.OMBUDSMAN.value


def other_kinds_in_order() -> tuple[str, ...]:
    """Ombudsman cases, then every representation kind registered (``cases.kinds``), in order."""
    return (OMBUDSMAN, *representation_kinds())


@dataclass(frozen=True)
class StageVolumes:
    stage: int
    open_at_start: int
    received: int
    completed: int
    completed_carried_over: int
    open_at_end: int
    received_by_quarter: dict[str, int]
    completed_by_quarter: dict[str, int]


def stage_volumes(records: Sequence[Record], period: Period, procedure: str, stage: int) -> StageVolumes:
    """Received, completed and open figures of one stage, with ``received_by_quarter`` and
    ``completed_by_quarter`` (interchange §2, §3). ``completed_carried_over`` counts the records completed in the
    period that were received before it."""
    rows = complaint_stage(records, procedure, stage)
    received = received_in(rows, period)
    completed = completed_in(rows, period)
    return StageVolumes(
        stage=stage,
        open_at_start=len(open_at_start(rows, period)),
        received=len(received),
        completed=len(completed),
        completed_carried_over=sum(1 for r in completed if r.received < period.start),
        open_at_end=len(open_at_end(rows, period)),
        received_by_quarter=by_quarter(received, lambda r: r.received),
        completed_by_quarter=by_quarter(completed, lambda r: r.responded),
    )


def stage_volumes_table(records: Sequence[Record], period: Period, procedure: str) -> Table:
    """Complaints at each stage. *Carried over* = received before the period and still open when it began;
    *received* = received in the period; *completed* = responded to in the period, any outcome (withdrawn
    included); *of which carried over* = completed in the period but received before it; *open at end* =
    received by the period's last day and not responded to by then (interchange §2; R1.40 item 3)."""
    rows: list[tuple[Cell, ...]] = []
    totals = [0] * 5
    for stage in stage_numbers(procedure):
        v = stage_volumes(records, period, procedure, stage)
        values = [v.open_at_start, v.received, v.completed, v.completed_carried_over, v.open_at_end]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        rows.append((f"Stage {stage}", *values))
    rows.append(("Total", *totals))
    return Table(
        key="stage_volumes",
        title=f"Complaints at each stage, {period.label}",
        columns=(
            label_column("Stage"),
            count_column("Carried over from before the period"),
            count_column("Received"),
            count_column("Completed"),
            count_column("Completed, of which carried over"),
            count_column("Open at the end of the period"),
        ),
        rows=tuple(rows),
        definition=definition_of(stage_volumes_table),
        source="Interchange §2; R1.40 item 3",
        total_row=True,
        chart=ChartSpec(ChartKind.BAR, value_columns=(2, 3), title="Complaints received and completed, by stage"),
    )


def _quarter_table(
    key: str, title: str, counts: Sequence[tuple[str, dict[str, int]]], definition: str, source: str
) -> Table:
    rows: list[tuple[Cell, ...]] = []
    totals = dict.fromkeys(QUARTERS, 0)
    for name, quarters in counts:
        rows.append((name, *(quarters[q] for q in QUARTERS), sum(quarters.values())))
        for q in QUARTERS:
            totals[q] += quarters[q]
    total = (*(totals[q] for q in QUARTERS), sum(totals.values()))
    return Table(
        key=key,
        title=title,
        columns=(label_column(""), *(count_column(q) for q in QUARTERS), count_column("Total")),
        rows=(*rows, ("Total", *total)),
        definition=definition,
        source=source,
        total_row=True,
        total_column="Total",
        summed_columns=QUARTERS,
        chart=ChartSpec(ChartKind.BAR, value_columns=(1, 2, 3, 4), title=title),
    )


def received_by_quarter_table(records: Sequence[Record], period: Period, procedure: str) -> Table:
    """Complaints received at each stage in each quarter of the reporting year, by the date received
    (interchange §2 ``received_by_quarter``)."""
    counts = [
        (f"Stage {s}", by_quarter(received_in(complaint_stage(records, procedure, s), period), lambda r: r.received))
        for s in stage_numbers(procedure)
    ]
    return _quarter_table(
        "received_by_quarter",
        f"Complaints received by quarter, {period.label}",
        counts,
        definition_of(received_by_quarter_table),
        "Interchange §2",
    )


def completed_by_quarter_table(records: Sequence[Record], period: Period, procedure: str) -> Table:
    """Complaints completed at each stage in each quarter, by the date of the stage's response, any outcome
    (interchange §2 ``completed_by_quarter``)."""
    counts = [
        (
            f"Stage {s}",
            by_quarter(completed_in(complaint_stage(records, procedure, s), period), lambda r: r.responded),
        )
        for s in stage_numbers(procedure)
    ]
    return _quarter_table(
        "completed_by_quarter",
        f"Complaints completed by quarter, {period.label}",
        counts,
        definition_of(completed_by_quarter_table),
        "Interchange §2",
    )


def representations_by_quarter_table(
    records: Sequence[Record], period: Period, procedure: str, labels: Labels
) -> Table:
    """Every representation received in each quarter, by the date received: complaints at each stage, Ombudsman
    cases, potential complaints, queries, MP and councillor enquiries and compliments (R1.40 item 2; interchange
    §2: other representations are counted by ``received``)."""
    counts: list[tuple[str, dict[str, int]]] = [
        (f"Stage {s}", by_quarter(received_in(complaint_stage(records, procedure, s), period), lambda r: r.received))
        for s in stage_numbers(procedure)
    ]
    for kind in other_kinds_in_order():
        kind_rows = [r for r in records if r.kind == kind]
        counts.append((label(labels, "kind", kind), by_quarter(received_in(kind_rows, period), lambda r: r.received)))
    return _quarter_table(
        "representations_by_quarter",
        f"Representations received by quarter, {period.label}",
        counts,
        definition_of(representations_by_quarter_table),
        "R1.40 item 2; interchange §2",
    )
