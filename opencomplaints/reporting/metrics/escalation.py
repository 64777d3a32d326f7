"""Escalation (R1.40 item 3; interchange §2).

The escalation rate from stage 1 to stage 2 is the stage 2 records received in the period divided by the stage 1
records completed in the period less those withdrawn, as a percentage rounded half up to one decimal place;
stage 2 to stage 3 likewise. When no records were completed at the lower stage the rate is 0.0 in the JSON core
(which needs a number) and shown as "-" in the documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opencomplaints.records import Record
from opencomplaints.reporting.metrics.selection import complaint_stage, completed_in, received_in
from opencomplaints.reporting.metrics.table import (
    Cell,
    Table,
    count_column,
    definition_of,
    label_column,
    percent,
    percent_column,
)
from opencomplaints.reporting.periods import Period

__all__ = ["Escalation", "escalation", "escalation_by_service_area_table", "escalation_table"]


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
    for lower in (1, 2):
        e = escalation(records, period, procedure, lower)
        rows.append((f"Stage {lower} to stage {lower + 1}", e.completed_less_withdrawn, e.escalated, e.rate))
    return Table(
        key="escalation",
        title=f"Escalation between stages, {period.label}",
        columns=(
            label_column(""),
            count_column("Completed at the lower stage (less withdrawn)"),
            count_column("Received at the next stage"),
            percent_column("Escalation rate %", of=2),
        ),
        rows=tuple(rows),
        definition=definition_of(escalation_table) + "\n\n" + (__doc__ or "").strip(),
        source="R1.40 item 3; interchange §2",
    )


def escalation_by_service_area_table(records: Sequence[Record], period: Period, procedure: str) -> Table:
    """Escalation from stage 1 to stage 2 by service area: stage 2 complaints received in the period naming the
    service area, as a percentage of the stage 1 complaints completed in the period (less withdrawn) naming it."""
    completed = [r for r in completed_in(complaint_stage(records, procedure, 1), period) if r.outcome != "withdrawn"]
    escalated = received_in(complaint_stage(records, procedure, 2), period)
    areas = sorted({r.service_area or "Not recorded" for r in [*completed, *escalated]})
    rows: list[tuple[Cell, ...]] = []
    for area in [*areas, None]:
        lower = sum(1 for r in completed if area is None or (r.service_area or "Not recorded") == area)
        upper = sum(1 for r in escalated if area is None or (r.service_area or "Not recorded") == area)
        rows.append((area or "Total", lower, upper, percent(upper, lower)))
    return Table(
        key="escalation_by_service_area",
        title=f"Escalation from stage 1 to stage 2 by service area, {period.label}",
        columns=(
            label_column("Service area"),
            count_column("Stage 1 completed (less withdrawn)"),
            count_column("Stage 2 received"),
            percent_column("Escalation rate %", of=2),
        ),
        rows=tuple(rows),
        definition=definition_of(escalation_by_service_area_table),
        source="R1.40 item 3",
        total_row=True,
        sensitive=True,
    )
