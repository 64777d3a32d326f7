"""Breakdowns: who complained, how, and about what (R1.40 items 4 and 5; interchange §2).

- Breakdowns count the records **received** in the period (the report can be asked to count the records
  **completed** instead, R1.41, and then says so; the JSON core always counts received).
- A record counts once under each team, or each issue, it names, so those may sum to more than the records;
  ``by_principal_issue`` counts each record once, under the first issue it names.
- Keys are the values as recorded (team and issue names as configured, vocabulary codes as in interchange §1);
  a record with none recorded is not counted (tables show such records as "Not recorded" so rows add up).
- The **uphold rate** of an issue is the records completed in the period naming it that were upheld or partly
  upheld, as a percentage of the records completed naming it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum

from opencomplaints.records import Record
from opencomplaints.reporting.metrics.rules import stage_numbers
from opencomplaints.reporting.metrics.selection import (
    UPHELD_OUTCOMES,
    Labels,
    by_quarter,
    complaint_stage,
    completed_in,
    label,
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
    percent,
    percent_column,
)
from opencomplaints.reporting.periods import QUARTERS, Period

__all__ = [
    "BREAKDOWNS",
    "Basis",
    "breakdown_by_quarter_table",
    "breakdown_by_stage_table",
    "breakdowns",
    "count_by",
    "issues_table",
    "team_by_quarter_table",
]

NOT_RECORDED = "Not recorded"


class Basis(StrEnum):
    """Which records a breakdown counts (R1.41): those received in the period (the default), or completed."""

    RECEIVED = "received"
    COMPLETED = "completed"


def select(records: Iterable[Record], period: Period, basis: Basis) -> list[Record]:
    return received_in(records, period) if basis is Basis.RECEIVED else completed_in(records, period)


def basis_date(basis: Basis) -> Callable[[Record], date | None]:
    return (lambda r: r.received) if basis is Basis.RECEIVED else (lambda r: r.responded)


#: The breakdowns of the JSON core, each a function from a record to the values it names.
BREAKDOWNS: Mapping[str, Callable[[Record], tuple[str, ...]]] = {
    "by_service_area": lambda r: (r.service_area,) if r.service_area else (),
    "by_team": lambda r: r.teams,
    "by_issue": lambda r: r.issues,
    "by_principal_issue": lambda r: (r.issues[0],) if r.issues else (),
    "by_complainant_type": lambda r: (r.complainant_type,) if r.complainant_type else (),
    "by_received_via": lambda r: (r.received_via,) if r.received_via else (),
    "by_support_category": lambda r: (r.support_category,) if r.support_category else (),
}

#: The vocabulary each breakdown's codes come from (for display names); ``None`` for configured names.
BREAKDOWN_VOCABULARY: Mapping[str, str | None] = {
    "by_service_area": None,
    "by_team": None,
    "by_issue": None,
    "by_principal_issue": None,
    "by_complainant_type": "complainant_type",
    "by_received_via": "received_via",
    "by_support_category": "support_category",
}

BREAKDOWN_TITLES: Mapping[str, str] = {
    "by_service_area": "Complaints by service area",
    "by_team": "Complaints by team",
    "by_issue": "Complaints by issue",
    "by_principal_issue": "Complaints by principal issue",
    "by_complainant_type": "Who made the complaint",
    "by_received_via": "How complaints were received",
    "by_support_category": "Complaints by the child's category of support",
}


def count_by(records: Iterable[Record], values: Callable[[Record], tuple[str, ...]]) -> dict[str, int]:
    """How many records name each value; a record naming a value twice counts once for it. Only values that
    occur are keys, in descending order of count and then by name."""
    counter: Counter[str] = Counter()
    for record in records:
        counter.update({v for v in values(record) if v})
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def breakdowns(received: Iterable[Record]) -> dict[str, dict[str, int]]:
    """Every breakdown of the JSON core over ``received`` (the records received in the period at one stage)."""
    rows = list(received)
    return {name: count_by(rows, values) for name, values in BREAKDOWNS.items()}


def _display(name: str, code: str, labels: Labels) -> str:
    vocabulary = BREAKDOWN_VOCABULARY[name]
    return code if vocabulary is None else label(labels, vocabulary, code)


def _multi_valued(name: str) -> bool:
    return name in {"by_team", "by_issue"}


def breakdown_by_stage_table(
    name: str, records: Sequence[Record], period: Period, procedure: str, labels: Labels, basis: Basis
) -> Table:
    """A breakdown of the complaints at each stage (see the module docstring for what is counted)."""
    values = BREAKDOWNS[name]
    stages = stage_numbers(procedure)
    per_stage = {s: select(complaint_stage(records, procedure, s), period, basis) for s in stages}
    counts = {s: count_by(per_stage[s], values) for s in stages}
    missing = {s: sum(1 for r in per_stage[s] if not values(r)) for s in stages}
    codes = sorted({c for s in stages for c in counts[s]}, key=lambda c: (-sum(counts[s].get(c, 0) for s in stages), c))
    rows: list[tuple[Cell, ...]] = []
    for code in codes:
        row_counts = [counts[s].get(code, 0) for s in stages]
        rows.append((_display(name, code, labels), *row_counts, sum(row_counts)))
    if any(missing.values()):
        rows.append((NOT_RECORDED, *(missing[s] for s in stages), sum(missing.values())))
    multi = _multi_valued(name)
    notes = (
        (
            f"A complaint may name several {'teams' if name == 'by_team' else 'issues'}, so the rows can add up "
            "to more than the number of complaints.",
        )
        if multi
        else ()
    )
    if not multi:
        totals = [len(per_stage[s]) for s in stages]
        rows.append(("Total", *totals, sum(totals)))
    title = f"{BREAKDOWN_TITLES[name]}, {period.label} ({'received' if basis is Basis.RECEIVED else 'completed'})"
    return Table(
        key=f"{name.removeprefix('by_')}_by_stage",
        title=title,
        columns=(label_column(""), *(count_column(f"Stage {s}") for s in stages), count_column("All stages")),
        rows=tuple(rows),
        definition=definition_of(breakdown_by_stage_table) + "\n\n" + (__doc__ or "").strip(),
        source="R1.40 items 4 and 5; interchange §2",
        notes=notes,
        total_row=not multi,
        total_column="All stages",
        summed_columns=tuple(f"Stage {s}" for s in stages),
        sensitive=True,
        chart=ChartSpec(ChartKind.HBAR, value_columns=(1,), title=f"{BREAKDOWN_TITLES[name]} (stage 1)"),
    )


def breakdown_by_quarter_table(
    name: str,
    records: Sequence[Record],
    period: Period,
    procedure: str,
    labels: Labels,
    basis: Basis,
    stage: int = 1,
) -> Table:
    """A breakdown of the stage ``stage`` complaints by quarter of the reporting year (by the date received, or
    completed when the report counts completed records)."""
    values = BREAKDOWNS[name]
    rows_in = select(complaint_stage(records, procedure, stage), period, basis)
    when = basis_date(basis)
    codes = list(count_by(rows_in, values))
    rows: list[tuple[Cell, ...]] = []
    totals = dict.fromkeys(QUARTERS, 0)
    for code in codes:
        quarters = by_quarter((r for r in rows_in if code in values(r)), when)
        for q in QUARTERS:
            totals[q] += quarters[q]
        rows.append((_display(name, code, labels), *(quarters[q] for q in QUARTERS), sum(quarters.values())))
    missing = by_quarter((r for r in rows_in if not values(r)), when)
    if sum(missing.values()):
        for q in QUARTERS:
            totals[q] += missing[q]
        rows.append((NOT_RECORDED, *(missing[q] for q in QUARTERS), sum(missing.values())))
    rows.append(("Total", *(totals[q] for q in QUARTERS), sum(totals.values())))
    multi = _multi_valued(name)
    basis_word = "received" if basis is Basis.RECEIVED else "completed"
    return Table(
        key=f"stage{stage}_{name.removeprefix('by_')}_by_quarter",
        title=f"Stage {stage} complaints {basis_word}: {BREAKDOWN_TITLES[name].lower()}, by quarter, {period.label}",
        columns=(label_column(""), *(count_column(q) for q in QUARTERS), count_column("Total")),
        rows=tuple(rows),
        definition=definition_of(breakdown_by_quarter_table) + "\n\n" + (__doc__ or "").strip(),
        source="R1.40 item 5; interchange §2",
        notes=(
            ("A complaint may name more than one, so the total counts mentions and can exceed the complaints.",)
            if multi
            else ()
        ),
        total_row=True,
        total_column="Total",
        summed_columns=QUARTERS,
        sensitive=True,
        chart=ChartSpec(ChartKind.HBAR, value_columns=(5,), title=BREAKDOWN_TITLES[name]),
    )


def team_by_quarter_table(
    records: Sequence[Record],
    period: Period,
    procedure: str,
    basis: Basis,
    team_service_areas: Mapping[str, str],
    stage: int = 1,
) -> Table:
    """Stage ``stage`` complaints by service area and team, by quarter. A complaint counts once under each team it
    names; each team is shown under its service area (as configured when the complaint was received)."""
    rows_in = select(complaint_stage(records, procedure, stage), period, basis)
    when = basis_date(basis)
    teams = count_by(rows_in, lambda r: r.teams)
    ordered = sorted(teams, key=lambda t: (team_service_areas.get(t, NOT_RECORDED), t))
    rows: list[tuple[Cell, ...]] = []
    totals = dict.fromkeys(QUARTERS, 0)
    for team in ordered:
        quarters = by_quarter((r for r in rows_in if team in r.teams), when)
        for q in QUARTERS:
            totals[q] += quarters[q]
        rows.append(
            (
                team_service_areas.get(team, NOT_RECORDED),
                team,
                *(quarters[q] for q in QUARTERS),
                sum(quarters.values()),
            )
        )
    rows.append(("Total", "", *(totals[q] for q in QUARTERS), sum(totals.values())))
    basis_word = "received" if basis is Basis.RECEIVED else "completed"
    return Table(
        key=f"stage{stage}_service_area_team_by_quarter",
        title=f"Stage {stage} complaints {basis_word} by service area and team, by quarter, {period.label}",
        columns=(
            label_column("Service area"),
            label_column("Team"),
            *(count_column(q) for q in QUARTERS),
            count_column("Total"),
        ),
        rows=tuple(rows),
        definition=definition_of(team_by_quarter_table),
        source="R1.40 item 5; interchange §2",
        notes=("A complaint may name several teams, so the total counts team mentions.",),
        total_row=True,
        total_column="Total",
        summed_columns=QUARTERS,
        sensitive=True,
    )


def issues_table(records: Sequence[Record], period: Period, procedure: str, basis: Basis, stage: int = 1) -> Table:
    """Stage ``stage`` complaints by issue: how many named each issue, how many had it as the principal (first)
    issue, and, of those completed in the period naming it, how many were upheld or partly upheld and the
    uphold rate."""
    counted = select(complaint_stage(records, procedure, stage), period, basis)
    completed = completed_in(complaint_stage(records, procedure, stage), period)
    named = count_by(counted, lambda r: r.issues)
    principal = count_by(counted, BREAKDOWNS["by_principal_issue"])
    completed_named = count_by(completed, lambda r: r.issues)
    upheld_named = count_by((r for r in completed if r.outcome in UPHELD_OUTCOMES), lambda r: r.issues)
    issues = sorted(set(named) | set(completed_named), key=lambda i: (-named.get(i, 0), -principal.get(i, 0), i))
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            issue,
            named.get(issue, 0),
            principal.get(issue, 0),
            completed_named.get(issue, 0),
            upheld_named.get(issue, 0),
            percent(upheld_named.get(issue, 0), completed_named.get(issue, 0)),
        )
        for issue in issues
    )
    basis_word = "received" if basis is Basis.RECEIVED else "completed"
    return Table(
        key=f"stage{stage}_issues",
        title=f"Stage {stage} complaints by issue, with the uphold rate of each, {period.label}",
        columns=(
            label_column("Issue"),
            count_column(f"Complaints {basis_word} naming it"),
            count_column("As the principal issue"),
            count_column("Completed naming it"),
            count_column("Upheld or partly upheld"),
            percent_column("Uphold rate %", of="Upheld or partly upheld"),
        ),
        rows=rows,
        definition=definition_of(issues_table) + "\n\n" + (__doc__ or "").strip(),
        source="R1.40 item 5; interchange §2",
        notes=("A complaint may name several issues; the first it names is its principal issue.",),
        sensitive=True,
        chart=ChartSpec(ChartKind.HBAR, value_columns=(1, 4), title="Issues named and upheld"),
    )
