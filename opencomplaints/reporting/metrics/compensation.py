"""Compensation and remedies (R3.7, R4.5; interchange §2).

**Compensation** is the sum of ``compensation`` over the records whose ``responded`` falls in the period, by
stage of the procedure (``ombudsman`` for the procedure's Ombudsman records, whose amount is the payment the
Ombudsman recommended); ``records``
is how many of them have an amount above zero. Remedies are counted over the same records, once per remedy type
a record names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from opencomplaints.records import Record
from opencomplaints.reporting.metrics.rules import stage_numbers
from opencomplaints.reporting.metrics.selection import Labels, complaint_stage, completed_in, for_procedure, label
from opencomplaints.reporting.metrics.table import (
    Cell,
    Table,
    count_column,
    definition_of,
    label_column,
    money_column,
)
from opencomplaints.reporting.periods import Period

__all__ = ["STAGE_KEYS", "Compensation", "compensation", "compensation_table", "remedies_table", "stage_keys"]

STAGE_KEYS: tuple[str, ...] = ("1", "2", "3", "ombudsman")
_ZERO = Decimal("0.00")


@dataclass
class Compensation:
    """Amounts and records with an amount, keyed by the procedure's stages (``"1"``…) and ``ombudsman``."""

    by_stage: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(STAGE_KEYS, _ZERO))
    records_by_stage: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGE_KEYS, 0))

    @property
    def total(self) -> Decimal:
        return sum(self.by_stage.values(), _ZERO)

    @property
    def records(self) -> int:
        return sum(self.records_by_stage.values())


def stage_keys(procedure: str) -> tuple[str, ...]:
    """The keys of ``compensation.by_stage``: the procedure's own stages and ``ombudsman`` (interchange §4)."""
    return (*(str(s) for s in stage_numbers(procedure)), "ombudsman")


def _rows_by_stage(records: Sequence[Record], period: Period, procedure: str) -> dict[str, list[Record]]:
    rows = {str(s): completed_in(complaint_stage(records, procedure, s), period) for s in stage_numbers(procedure)}
    ombudsman = for_procedure((r for r in records if r.kind == "ombudsman"), procedure)
    rows["ombudsman"] = completed_in(ombudsman, period)
    return rows


def compensation(records: Sequence[Record], period: Period, procedure: str) -> Compensation:
    """Compensation by stage and in total, as the module docstring defines it."""
    keys = stage_keys(procedure)
    result = Compensation(by_stage=dict.fromkeys(keys, _ZERO), records_by_stage=dict.fromkeys(keys, 0))
    for key, rows in _rows_by_stage(records, period, procedure).items():
        for record in rows:
            amount = record.compensation or _ZERO
            result.by_stage[key] += amount
            result.records_by_stage[key] += int(amount > 0)
    return result


def _name(key: str) -> str:
    return "Ombudsman" if key == "ombudsman" else f"Stage {key}"


def compensation_table(records: Sequence[Record], period: Period, procedure: str) -> Table:
    """Compensation paid or offered, by stage: the sum over the records responded to in the period, and how many
    of them had an amount above zero; the Ombudsman row is the payments the Ombudsman recommended in decisions
    made in the period (interchange §2)."""
    c = compensation(records, period, procedure)
    rows: list[tuple[Cell, ...]] = [(_name(k), c.by_stage[k], c.records_by_stage[k]) for k in c.by_stage]
    rows.append(("Total", c.total, c.records))
    return Table(
        key="compensation",
        title=f"Compensation by stage, {period.label}",
        columns=(label_column("Stage"), money_column("Amount (£)"), count_column("Complaints with a payment")),
        rows=tuple(rows),
        definition=definition_of(compensation_table),
        source="Interchange §2; R3.7; R4.5",
        total_row=True,
    )


def remedies_table(records: Sequence[Record], period: Period, procedure: str, labels: Labels) -> Table:
    """Remedies by type and stage: how many of the records responded to in the period named each remedy type
    (a record naming several counts once under each)."""
    per_stage = {
        k: Counter(code for r in rows for code in set(r.remedies))
        for k, rows in _rows_by_stage(records, period, procedure).items()
    }
    codes = sorted({c for counter in per_stage.values() for c in counter}, key=lambda c: label(labels, "remedy", c))
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (label(labels, "remedy", code), *(per_stage[k][code] for k in per_stage)) for code in codes
    )
    return Table(
        key="remedies",
        title=f"Remedies by type and stage, {period.label}",
        columns=(label_column("Remedy"), *(count_column(_name(k)) for k in per_stage)),
        rows=rows,
        definition=definition_of(remedies_table),
        source="R3.7; R4.5",
        notes=("A complaint may have several remedies.",),
        sensitive=True,
    )
