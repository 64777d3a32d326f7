"""Trends over up to ten reporting years (R1.40; the reference reports show three to ten years).

Figures for each reporting year come from the case data, counted by the same rules as the year reported
(received by ``received``, completed by ``responded``, Ombudsman decisions by decision date), counted by the
selectors. For years before the system held case data, councils enter **historic summary figures**; where a
historic figure exists for a measure and year it is used, and the table says which years it covers. Percentages
are derived from the year's counts when not entered directly: on time = (within timescale + within extended
timescale) ÷ assessed; escalation = next stage received ÷ (completed - withdrawn); uphold = (upheld + partly
upheld) ÷ completed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from opencomplaints.reporting.metrics.table import (
    Cell,
    ChartKind,
    ChartSpec,
    Column,
    Table,
    count_column,
    definition_of,
    label_column,
    money_column,
    number_column,
)
from opencomplaints.reporting.periods import reporting_year_label

__all__ = [
    "HISTORIC_MEASURES",
    "TrendData",
    "merge_trends",
    "trend_tables",
]

type Value = Decimal | int

#: Measures a trend table can show, and that historic figures may be entered for (code → description).
HISTORIC_MEASURES: Mapping[str, str] = {
    "stage1_received": "Stage 1 complaints received",
    "stage2_received": "Stage 2 complaints received",
    "stage3_received": "Stage 3 complaints received",
    "stage1_completed": "Stage 1 complaints completed",
    "stage2_completed": "Stage 2 complaints completed",
    "stage3_completed": "Stage 3 complaints completed",
    "stage1_upheld": "Stage 1 complaints upheld",
    "stage1_partly_upheld": "Stage 1 complaints partly upheld",
    "stage1_not_upheld": "Stage 1 complaints not upheld",
    "stage1_withdrawn": "Stage 1 complaints withdrawn",
    "stage2_withdrawn": "Stage 2 complaints withdrawn",
    "stage1_assessed": "Stage 1 complaints assessed for timeliness",
    "stage1_on_time": "Stage 1 complaints answered on time (including agreed extensions)",
    "stage2_assessed": "Stage 2 complaints assessed for timeliness",
    "stage2_on_time": "Stage 2 complaints answered on time (including agreed extensions)",
    "stage1_on_time_percent": "Stage 1 answered on time (%)",
    "stage2_on_time_percent": "Stage 2 answered on time (%)",
    "stage1_to_stage2_percent": "Escalation from stage 1 to stage 2 (%)",
    "stage2_to_stage3_percent": "Escalation from stage 2 to stage 3 (%)",
    "stage1_upheld_percent": "Stage 1 upheld or partly upheld (%)",
    "ombudsman_received": "Ombudsman cases received",
    "ombudsman_decided": "Ombudsman decisions",
    "ombudsman_upheld": "Ombudsman decisions finding fault",
    "potential_complaint_received": "Potential complaints received",
    "query_received": "Queries received",
    "mp_enquiry_received": "MP enquiries received",
    "member_enquiry_received": "Councillor enquiries received",
    "compliment_received": "Compliments received",
    "compensation_total": "Compensation (£)",
}

_PERCENT_DERIVATIONS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # measure: (numerator terms, denominator terms); a term starting with "-" is subtracted.
    "stage1_on_time_percent": (("stage1_on_time",), ("stage1_assessed",)),
    "stage2_on_time_percent": (("stage2_on_time",), ("stage2_assessed",)),
    "stage1_to_stage2_percent": (("stage2_received",), ("stage1_completed", "-stage1_withdrawn")),
    "stage2_to_stage3_percent": (("stage3_received",), ("stage2_completed", "-stage2_withdrawn")),
    "stage1_upheld_percent": (("stage1_upheld", "stage1_partly_upheld"), ("stage1_completed",)),
}


@dataclass(frozen=True)
class TrendData:
    """``values[measure][year]``; ``historic`` holds the (measure, year) pairs that came from historic figures."""

    years: tuple[int, ...]
    values: dict[str, dict[int, Value]]
    historic: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    def get(self, measure: str, year: int) -> Value | None:
        return self.values.get(measure, {}).get(year)


def _sum_terms(values: Mapping[str, Mapping[int, Value]], terms: Sequence[str], year: int) -> Decimal | None:
    total = Decimal(0)
    for term in terms:
        sign = -1 if term.startswith("-") else 1
        value = values.get(term.lstrip("-"), {}).get(year)
        if value is None:
            if sign < 0:
                continue  # a subtraction not recorded is taken as none (e.g. no withdrawals recorded)
            return None
        total += sign * Decimal(value)
    return total


def merge_trends(
    *,
    years: Sequence[int],
    computed: Mapping[str, Mapping[int, Value]],
    historic: Mapping[tuple[str, int], Value],
    first_data_year: int | None,
) -> TrendData:
    """One value per measure and year: the historic figure where one was entered, otherwise the figure computed
    from case data for years the system holds (from ``first_data_year``); then the percentages derived from the
    counts where no percentage was entered (see the module docstring)."""
    values: dict[str, dict[int, Value]] = {}
    used_historic: set[tuple[str, int]] = set()
    for measure in HISTORIC_MEASURES:
        for year in years:
            if (measure, year) in historic:
                values.setdefault(measure, {})[year] = historic[(measure, year)]
                used_historic.add((measure, year))
            elif first_data_year is not None and year >= first_data_year and year in computed.get(measure, {}):
                values.setdefault(measure, {})[year] = computed[measure][year]
    for measure, (numerator_terms, denominator_terms) in _PERCENT_DERIVATIONS.items():
        for year in years:
            if year in values.get(measure, {}):
                continue
            numerator = _sum_terms(values, numerator_terms, year)
            denominator = _sum_terms(values, denominator_terms, year)
            if numerator is None or not denominator:
                continue
            values.setdefault(measure, {})[year] = (numerator * 100 / denominator).quantize(
                Decimal("0.1"), rounding="ROUND_HALF_UP"
            )
    return TrendData(years=tuple(years), values=values, historic=frozenset(used_historic))


def _cell(value: Value | None, column: Column) -> Cell:
    if value is None:
        return None
    if column.kind == "count":
        return int(value)
    if column.kind == "money":
        return Decimal(value).quantize(Decimal("0.01"))
    return float(value)


def _trend_table(
    key: str,
    title: str,
    trend: TrendData,
    measures: Sequence[tuple[str, Column]],
    *,
    total: bool = False,
    charted: int | None = None,
    chart_title: str | None = None,
) -> Table:
    """``charted``: how many of the measures, from the first, the chart draws (all by default); a chart has one
    scale, so measures in other units are left to the table."""
    columns: list[Column] = [label_column("Year")] + [c for _, c in measures]
    rows: list[tuple[Cell, ...]] = []
    historic_years: set[int] = set()
    for year in trend.years:
        cells: list[Cell] = [reporting_year_label(year)]
        for measure, column in measures:
            cells.append(_cell(trend.get(measure, year), column))
            if (measure, year) in trend.historic:
                historic_years.add(year)
        if all(c is None for c in cells[1:]):
            continue
        if total:
            counts = [c for c in cells[1:] if isinstance(c, int)]
            cells.append(sum(counts) if len(counts) == len(measures) else None)
        rows.append(tuple(cells))
    if total:
        columns.append(count_column("Total"))
    shown = [str(row[0]) for row in rows]
    span = f"{shown[0]} to {shown[-1]}" if len(shown) > 1 else (shown[0] if shown else "no years with figures")
    title = title.replace("{span}", span)
    chart_title = chart_title.replace("{span}", span) if chart_title else None
    notes: tuple[str, ...] = ()
    if historic_years:
        labels = ", ".join(reporting_year_label(y) for y in sorted(historic_years))
        notes = (f"Figures for {labels} are historic summary figures entered by the council, not case data.",)
    return Table(
        key=key,
        title=title,
        columns=tuple(columns),
        rows=tuple(rows),
        definition=definition_of(trend_tables) + "\n\n" + (__doc__ or "").strip(),
        source="R1.40",
        notes=notes,
        total_column="Total" if total else None,
        summed_columns=tuple(column.name for column in columns[1:-1]) if total else (),
        chart=ChartSpec(
            ChartKind.LINE,
            value_columns=tuple(range(1, (charted or len(measures)) + 1)),
            title=chart_title or title,
            skip_total_row=False,
        ),
    )


def trend_tables(trend: TrendData, stages: tuple[int, ...] = (1, 2, 3)) -> list[Table]:
    """Trend tables over the reporting years in ``trend``, oldest first, leaving out years with no figures:
    complaints received and completed by stage (the procedure's own ``stages``), stage 1 outcomes, other
    representations, and performance (timeliness, escalation, uphold rate, compensation)."""
    performance: list[tuple[str, Column]] = [
        *((f"stage{s}_on_time_percent", number_column(f"Stage {s} on time %")) for s in stages if s < 3),
        *(
            (f"stage{s}_to_stage{s + 1}_percent", number_column(f"Escalation stage {s} to {s + 1} %"))
            for s in stages
            if s + 1 in stages
        ),
        ("stage1_upheld_percent", number_column("Stage 1 upheld or partly upheld %")),
    ]
    # "{span}" in a title: the years the table shows (those with figures), filled in by ``_trend_table``.
    return [
        _trend_table(
            "trend_received",
            "Complaints received by year, {span}",
            trend,
            [(f"stage{s}_received", count_column(f"Stage {s}")) for s in stages],
            total=True,
        ),
        _trend_table(
            "trend_completed",
            "Complaints completed by year, {span}",
            trend,
            [(f"stage{s}_completed", count_column(f"Stage {s}")) for s in stages],
            total=True,
        ),
        _trend_table(
            "trend_stage1_outcomes",
            "Stage 1 outcomes by year, {span}",
            trend,
            [
                ("stage1_upheld", count_column("Upheld")),
                ("stage1_partly_upheld", count_column("Partly upheld")),
                ("stage1_not_upheld", count_column("Not upheld")),
                ("stage1_withdrawn", count_column("Withdrawn")),
                ("stage1_upheld_percent", number_column("Upheld or partly upheld %")),
            ],
        ),
        _trend_table(
            "trend_other",
            "Ombudsman cases and other representations by year, {span}",
            trend,
            [
                ("ombudsman_received", count_column("Ombudsman received")),
                ("ombudsman_decided", count_column("Ombudsman decided")),
                ("ombudsman_upheld", count_column("Ombudsman upheld")),
                ("potential_complaint_received", count_column("Potential complaints")),
                ("query_received", count_column("Queries")),
                ("mp_enquiry_received", count_column("MP enquiries")),
                ("member_enquiry_received", count_column("Councillor enquiries")),
                ("compliment_received", count_column("Compliments")),
            ],
        ),
        _trend_table(
            "trend_performance",
            "Timeliness, escalation, uphold rate and compensation by year, {span}",
            trend,
            [*performance, ("compensation_total", money_column("Compensation (£)"))],
            charted=len(performance),
            chart_title="Timeliness, escalation and uphold rate by year (%), {span}",
        ),
    ]
