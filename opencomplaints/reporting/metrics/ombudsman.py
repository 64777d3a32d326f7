"""The Local Government and Social Care Ombudsman (R1.40 item 8; §4; interchange §2).

**Decided**: ``ombudsman`` records whose ``responded`` (the decision date) falls in the period and whose
``lgsco_decision`` is not ``in_progress``; ``by_decision`` counts those by decision. **Received**: Ombudsman
records whose ``received`` falls in the period. The **uphold rate** is the decisions that found fault (upheld
with or without injustice, or upheld with a satisfactory remedy already provided by the council) as a percentage
of the decisions (R4.2, R4.6). The Ombudsman's own year differs from the council's: these count by the dates
recorded here (R4.6).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from opencomplaints.records import Record
from opencomplaints.reporting.metrics.breakdowns import count_by
from opencomplaints.reporting.metrics.selection import Labels, completed_in, label, received_in
from opencomplaints.reporting.metrics.table import (
    Cell,
    ChartKind,
    ChartSpec,
    Table,
    count_column,
    definition_of,
    label_column,
    money_column,
    percent,
    percent_column,
    text_column,
)
from opencomplaints.reporting.periods import Period

__all__ = [
    "UPHELD_DECISIONS",
    "ombudsman_by_decision",
    "ombudsman_cases_table",
    "ombudsman_decided",
    "ombudsman_decisions_table",
    "ombudsman_summary_table",
]

IN_PROGRESS = "in_progress"
UPHELD_DECISIONS = frozenset({"upheld_fault_injustice", "upheld_fault_no_injustice", "upheld_remedied_by_council"})


def _ombudsman(records: Sequence[Record]) -> list[Record]:
    return [r for r in records if r.kind == "ombudsman"]


def ombudsman_decided(records: Sequence[Record], period: Period) -> list[Record]:
    """The Ombudsman records decided in the period, as the module docstring defines it."""
    return [r for r in completed_in(_ombudsman(records), period) if (r.lgsco_decision or IN_PROGRESS) != IN_PROGRESS]


def ombudsman_by_decision(records: Sequence[Record], period: Period) -> dict[str, int]:
    """Decisions made in the period, by decision code; only decisions that occur are keys."""
    return count_by(ombudsman_decided(records, period), lambda r: (r.lgsco_decision or "",))


def ombudsman_summary_table(records: Sequence[Record], period: Period) -> Table:
    """Ombudsman cases received and decided in the period, how many decisions found fault, the uphold rate, and
    the payments the Ombudsman recommended in those decisions (R4.6)."""
    decided = ombudsman_decided(records, period)
    upheld = sum(1 for r in decided if r.lgsco_decision in UPHELD_DECISIONS)
    payments = sum((r.compensation or Decimal("0") for r in decided), Decimal("0.00"))
    rows: tuple[tuple[Cell, ...], ...] = (
        ("Received", len(received_in(_ombudsman(records), period)), None),
        ("Decided", len(decided), None),
        ("Upheld (fault found)", upheld, percent(upheld, len(decided))),
    )
    return Table(
        key="ombudsman_summary",
        title=f"Ombudsman cases, {period.label}",
        columns=(label_column(""), count_column("Number"), percent_column("Uphold rate %", of="Number")),
        rows=rows,
        definition=definition_of(ombudsman_summary_table) + "\n\n" + (__doc__ or "").strip(),
        source="R1.40 item 8; R4.6; interchange §2",
        notes=(f"Payments the Ombudsman recommended in these decisions: £{payments:,.2f}.",),
        extra={"payments": payments},
    )


def ombudsman_decisions_table(records: Sequence[Record], period: Period, labels: Labels) -> Table:
    """Ombudsman decisions made in the period, by decision (interchange §2 ``by_decision``)."""
    counts = ombudsman_by_decision(records, period)
    total = sum(counts.values())
    rows: list[tuple[Cell, ...]] = [
        (label(labels, "lgsco_decision", code), n, percent(n, total)) for code, n in counts.items()
    ]
    rows.append(("Total", total, 100.0 if total else None))
    return Table(
        key="ombudsman_decisions",
        title=f"Ombudsman decisions, {period.label}",
        columns=(label_column("Decision"), count_column("Number"), percent_column("%", of="Number")),
        rows=tuple(rows),
        definition=definition_of(ombudsman_decisions_table),
        source="R4.1 to R4.4; interchange §2",
        total_row=True,
        sensitive=True,
        chart=ChartSpec(ChartKind.HBAR, value_columns=(1,), title="Ombudsman decisions"),
    )


def ombudsman_cases_table(records: Sequence[Record], period: Period, labels: Labels) -> Table:
    """Each Ombudsman decision made in the period: the service area, the subject, the decision (the Ombudsman's
    own wording where recorded) and any payment recommended. No personal details are shown."""
    decided = sorted(ombudsman_decided(records, period), key=lambda r: (r.responded, r.ref))
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            r.service_area or "Not recorded",
            r.topic or "",
            r.lgsco_decision_label or label(labels, "lgsco_decision", r.lgsco_decision or IN_PROGRESS),
            r.compensation if r.compensation else None,
        )
        for r in decided
    )
    return Table(
        key="ombudsman_cases",
        title=f"Ombudsman decisions in detail, {period.label}",
        columns=(
            label_column("Service area"),
            text_column("Subject"),
            text_column("Decision"),
            money_column("Payment recommended (£)"),
        ),
        rows=rows,
        definition=definition_of(ombudsman_cases_table),
        source="R1.40 item 8; R4.6",
    )
