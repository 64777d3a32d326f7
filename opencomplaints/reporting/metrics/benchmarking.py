"""Context and benchmarking (R1.40; Brent and Wandsworth set complaints against the service's activity).

Context figures are entered by the council for each reporting year: referrals, assessments completed, children
in need, children with a child protection plan, children looked after, care leavers, and the population aged 0
to 17. **Rates per 10,000 children** divide a count by the population aged 0 to 17 and multiply by 10,000,
rounded half up to one decimal place; **per 1,000 referrals** likewise with referrals.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from opencomplaints.reporting.metrics.table import (
    Cell,
    Table,
    count_column,
    definition_of,
    label_column,
    number_column,
)

__all__ = ["CONTEXT_FIELDS", "context_table", "rate", "rates_table"]

#: (field, description) of the context figures, in report order.
CONTEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("referrals", "Referrals to children's social care"),
    ("assessments", "Assessments completed"),
    ("children_in_need", "Children in need"),
    ("child_protection_plans", "Children with a child protection plan"),
    ("children_looked_after", "Children looked after"),
    ("care_leavers", "Care leavers"),
    ("population_0_17", "Population aged 0 to 17"),
)


def rate(count: int, base: int | None, per: int) -> float | None:
    """``count`` per ``per`` of ``base``, rounded half up to one decimal place (``None`` without a base)."""
    if not base:
        return None
    return float((Decimal(count) * per / Decimal(base)).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP"))


def context_table(
    current: Mapping[str, int | None], previous: Mapping[str, int | None], current_label: str, previous_label: str
) -> Table:
    """The context figures the council entered for this reporting year and the one before."""
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (description, current.get(name), previous.get(name)) for name, description in CONTEXT_FIELDS
    )
    return Table(
        key="context",
        title=f"Children's social care activity, {current_label}",
        columns=(label_column(""), count_column(current_label), count_column(previous_label)),
        rows=rows,
        definition=definition_of(context_table) + "\n\n" + (__doc__ or "").strip(),
        source="R1.40",
    )


def rates_table(counts: Mapping[str, int], context: Mapping[str, int | None], period_label: str) -> Table:
    """Complaints and Ombudsman cases as rates per 10,000 children aged 0 to 17 and per 1,000 referrals, for
    comparison with other councils (see the module docstring)."""
    population = context.get("population_0_17")
    referrals = context.get("referrals")
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (name, n, rate(n, population, 10_000), rate(n, referrals, 1_000)) for name, n in counts.items()
    )
    notes = () if population else ("Rates need the population aged 0 to 17 for the year; none was entered.",)
    return Table(
        key="benchmarking",
        title=f"Rates for benchmarking, {period_label}",
        columns=(
            label_column(""),
            count_column("Number"),
            number_column("Per 10,000 children aged 0 to 17"),
            number_column("Per 1,000 referrals"),
        ),
        rows=rows,
        definition=definition_of(rates_table) + "\n\n" + (__doc__ or "").strip(),
        source="R1.40 (context)",
        notes=notes,
    )
