"""Trends by dimension over up to ten reporting years: complaints by service area (and, where the council entered
them, by team, issue, how they came in, mediation and equality group) year by year (R1.40 items 3, 9 and 11).

A figure is one cell of an interchange §5 table for one year: a ``measure`` (``received``, ``completed`` or an
outcome) at one ``stage``, under one ``category`` of one ``dimension``, counted by the §2 rules (received by
``received``, completed and outcomes by ``responded``). For years the system holds case data they are counted from
the stages (service area for every year; the other dimensions for the year reported); for the years before, from
the **historic figures by dimension** the council imported (``opencomplaints import-historic``). Where a council
entered figures for a measure, stage, dimension and year, those figures are used for that year, as for the summary
trend tables. Percentages are derived from the counts: upheld or partly upheld ÷ completed; escalation = next stage
received ÷ (completed - withdrawn) at the stage below. A record with no service area recorded counts under "Not
recorded".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from opencomplaints.records import Record
from opencomplaints.reporting.metrics.crosstab import AGE_BANDS, DIMENSIONS, UNKNOWN, sort_keys
from opencomplaints.reporting.metrics.selection import OUTCOMES, Labels, complaint_stage, completed_in, received_in
from opencomplaints.reporting.metrics.table import (
    Cell,
    Table,
    count_column,
    definition_of,
    label_column,
    number_column,
    percent,
)
from opencomplaints.reporting.periods import Period, reporting_year, reporting_year_label

__all__ = [
    "AGE_BAND_NAMES",
    "BREAKDOWN_DIMENSIONS",
    "BREAKDOWN_MEASURES",
    "DIMENSION_VOCABULARIES",
    "BreakdownKey",
    "DimensionTrend",
    "dimension_trend_tables",
    "merge_dimension_trends",
    "period_breakdowns",
    "with_period",
]

#: (stage, measure, dimension)
type BreakdownKey = tuple[int, str, str]
#: key → year → category → count
type BreakdownCells = Mapping[BreakdownKey, Mapping[int, Mapping[str, int]]]

#: The measures figures by dimension are entered for: counts of one stage (interchange §5's count measures).
BREAKDOWN_MEASURES: tuple[str, ...] = ("received", "completed", *OUTCOMES)

#: Dimensions (interchange §5, and ``mediation``) → their title in the report.
BREAKDOWN_DIMENSIONS: Mapping[str, str] = {
    "service_area": "Service area",
    "team": "Team",
    "issue": "Issue",
    "principal_issue": "Principal issue",
    "complainant_type": "Who complained",
    "received_via": "How received",
    "support_category": "Support category",
    "mediation": "Mediation",
    "child_sex": "Sex of the child",
    "child_ethnicity": "Ethnicity of the child",
    "child_disability": "Disability of the child",
    "child_age_band": "Age of the child",
    "complainant_sex": "Sex of the complainant",
    "complainant_ethnicity": "Ethnicity of the complainant",
    "complainant_disability": "Disability of the complainant",
    "complainant_age_band": "Age of the complainant",
}

#: Dimension → the vocabulary of :data:`Labels` its codes are shown with (names of teams, issues, service areas and
#: ethnic groups are shown as entered).
DIMENSION_VOCABULARIES: Mapping[str, str] = {
    "complainant_type": "complainant_type",
    "received_via": "received_via",
    "support_category": "support_category",
    "mediation": "mediation",
    "child_sex": "sex",
    "complainant_sex": "sex",
    "child_disability": "yes_no",
    "complainant_disability": "yes_no",
}

#: The age bands of the age dimensions (interchange §5).
AGE_BAND_NAMES: tuple[str, ...] = tuple(band[0] for band in AGE_BANDS)

_NOT_RECORDED = "Not recorded"


def _mediation(record: Record) -> tuple[str, ...]:
    return (record.mediation,) if record.mediation else ()


_VALUES: Mapping[str, Callable[[Record], tuple[str, ...]]] = {**DIMENSIONS, "mediation": _mediation}


@dataclass(frozen=True)
class DimensionTrend:
    """``cells[key][year][category]``; ``historic`` holds the (key, year) pairs that came from historic figures."""

    years: tuple[int, ...]
    cells: BreakdownCells
    historic: frozenset[tuple[BreakdownKey, int]] = field(default_factory=frozenset)

    def year(self, key: BreakdownKey, year: int) -> Mapping[str, int] | None:
        return self.cells.get(key, {}).get(year)


def merge_dimension_trends(
    *,
    years: Sequence[int],
    computed: BreakdownCells,
    historic: BreakdownCells,
    first_data_year: int | None,
) -> DimensionTrend:
    """For each key and year: the historic figures where the council entered any, otherwise the figures counted
    from case data for years the system holds (from ``first_data_year``)."""
    cells: dict[BreakdownKey, dict[int, Mapping[str, int]]] = {}
    used: set[tuple[BreakdownKey, int]] = set()
    for key in sorted({*computed, *historic}):
        for year in years:
            entered = historic.get(key, {}).get(year)
            if entered:
                cells.setdefault(key, {})[year] = entered
                used.add((key, year))
            elif first_data_year is not None and year >= first_data_year and year in computed.get(key, {}):
                cells.setdefault(key, {})[year] = computed[key][year]
    return DimensionTrend(years=tuple(years), cells=cells, historic=frozenset(used))


def period_breakdowns(
    records: Sequence[Record], period: Period, procedure: str, keys: Sequence[BreakdownKey]
) -> dict[BreakdownKey, dict[int, dict[str, int]]]:
    """``keys`` counted from ``records`` for the reporting year ``period`` is (nothing for another period), a
    record counting under each category it names and under "unknown" where it names none, as interchange §5."""
    start_year = period.start.year if period.start.month >= 4 else period.start.year - 1
    if reporting_year(start_year) != period:
        return {}
    counted: dict[BreakdownKey, dict[int, dict[str, int]]] = {}
    for key in keys:
        stage, measure, dimension = key
        rows = complaint_stage(records, procedure, stage)
        base = received_in(rows, period) if measure == "received" else completed_in(rows, period)
        cells: dict[str, int] = {}
        for record in base:
            if measure not in ("received", "completed") and record.outcome != measure:
                continue
            for category in _VALUES[dimension](record) or (UNKNOWN,):
                cells[category] = cells.get(category, 0) + 1
        counted[key] = {start_year: cells}
    return counted


def with_period(
    trend: DimensionTrend, records: Sequence[Record], period: Period, procedure: str, stages: Sequence[int]
) -> DimensionTrend:
    """``trend`` with the period reported counted from its ``records`` for every measure, stage and dimension the
    council entered historic figures for (other than by service area, which the database counts for every year),
    where the period is a reporting year and no figures were entered for it."""
    keys = [k for k in trend.cells if k[0] in stages and k[2] != "service_area"]
    cells = {key: dict(by_year) for key, by_year in trend.cells.items()}
    for key, by_year in period_breakdowns(records, period, procedure, keys).items():
        for year, counted in by_year.items():
            if counted and (key, year) not in trend.historic:
                cells[key][year] = counted
    return DimensionTrend(years=trend.years, cells=cells, historic=trend.historic)


def _label(dimension: str, category: str, labels: Labels) -> str:
    if category == UNKNOWN:
        return _NOT_RECORDED
    vocabulary = DIMENSION_VOCABULARIES.get(dimension)
    return labels.get(vocabulary, {}).get(category, category) if vocabulary else category


def _years_shown(trend: DimensionTrend, keys: Sequence[BreakdownKey]) -> list[int]:
    return [y for y in trend.years if any(trend.year(k, y) for k in keys)]


def _span(years: Sequence[int]) -> str:
    labels = [reporting_year_label(y) for y in years]
    return f"{labels[0]} to {labels[-1]}" if len(labels) > 1 else labels[0]


def _notes(trend: DimensionTrend, keys: Sequence[BreakdownKey], years: Sequence[int]) -> tuple[str, ...]:
    entered = sorted({y for y in years for k in keys if (k, y) in trend.historic})
    if not entered:
        return ()
    labels = ", ".join(reporting_year_label(y) for y in entered)
    return (f"Figures for {labels} are historic figures entered by the council, not case data.",)


def _table(
    *,
    key: str,
    title: str,
    dimension: str,
    years: Sequence[int],
    rows: list[tuple[Cell, ...]],
    notes: tuple[str, ...],
    counts: bool = True,
    total_row: bool = False,
) -> Table:
    column = count_column if counts else number_column
    return Table(
        key=key,
        title=f"{title}, {_span(years)}",
        columns=(label_column(BREAKDOWN_DIMENSIONS[dimension]), *(column(reporting_year_label(y)) for y in years)),
        rows=tuple(rows),
        definition=definition_of(dimension_trend_tables) + "\n\n" + (__doc__ or "").strip(),
        source="R1.40",
        notes=notes,
        total_row=total_row,
        sensitive=counts,
    )


def _count_table(
    trend: DimensionTrend, key: BreakdownKey, title: str, labels: Labels, *, table_key: str
) -> Table | None:
    dimension = key[2]
    years = _years_shown(trend, [key])
    if not years:
        return None
    categories = sort_keys(dimension, {cat for y in years for cat in trend.year(key, y) or {}})
    rows: list[tuple[Cell, ...]] = []
    for category in categories:
        rows.append(
            (_label(dimension, category, labels), *((trend.year(key, y) or {}).get(category, 0) for y in years))
        )
    # A record names one service area (or age band, sex…) but may name several teams and issues: no total for those.
    total = dimension not in ("team", "issue")
    if total:
        rows.append(("Total", *(sum((trend.year(key, y) or {}).values()) for y in years)))
    return _table(
        key=table_key,
        title=title,
        dimension=dimension,
        years=years,
        rows=rows,
        notes=_notes(trend, [key], years),
        total_row=total,
    )


def _rate_table(
    trend: DimensionTrend,
    numerator: Sequence[BreakdownKey],
    denominator: Sequence[BreakdownKey],
    less: Sequence[BreakdownKey],
    *,
    table_key: str,
    title: str,
) -> Table | None:
    """A percentage by service area and year: the sum of ``numerator`` over the sum of ``denominator`` less ``less``
    (all by service area)."""
    keys = [*numerator, *denominator]
    years = [y for y in _years_shown(trend, keys) if all(trend.year(k, y) is not None for k in denominator)]
    if not years:
        return None

    def total(ks: Sequence[BreakdownKey], year: int, area: str | None) -> int:
        cells = [trend.year(k, year) or {} for k in ks]
        return sum(sum(c.values()) if area is None else c.get(area, 0) for c in cells)

    areas = sort_keys("service_area", {a for y in years for k in keys for a in trend.year(k, y) or {}})
    rows: list[tuple[Cell, ...]] = []
    for area in [*areas, None]:
        rows.append(
            (
                "Total" if area is None else _label("service_area", area, {}),
                *(
                    percent(total(numerator, y, area), total(denominator, y, area) - total(less, y, area))
                    for y in years
                ),
            )
        )
    return _table(
        key=table_key,
        title=title,
        dimension="service_area",
        years=years,
        rows=rows,
        notes=_notes(trend, keys, years),
        counts=False,
    )


def _stage_words(stage: int) -> str:
    return f"Stage {stage} complaints"


def dimension_trend_tables(trend: DimensionTrend, stages: tuple[int, ...], labels: Labels) -> list[Table]:
    """Tables by dimension over the reporting years in ``trend`` (years without figures left out): by service
    area, the complaints received at each of the procedure's ``stages``, the stage 1 complaints upheld or partly
    upheld and their share of those completed, and the escalation rates between stages; then, for every other
    measure, stage and dimension the council entered historic figures for, the counts by year."""
    tables: list[Table | None] = []
    area = "service_area"
    for stage in stages:
        tables.append(
            _count_table(
                trend,
                (stage, "received", area),
                f"{_stage_words(stage)} received by service area",
                labels,
                table_key=f"trend_stage{stage}_received_by_service_area",
            )
        )
    tables.append(
        _rate_table(
            trend,
            [(1, "upheld", area), (1, "partly_upheld", area)],
            [(1, "completed", area)],
            [],
            table_key="trend_stage1_upheld_by_service_area",
            title="Stage 1 complaints upheld or partly upheld by service area (% of those completed)",
        )
    )
    for lower in stages:
        if lower + 1 in stages:
            tables.append(
                _rate_table(
                    trend,
                    [(lower + 1, "received", area)],
                    [(lower, "completed", area)],
                    [(lower, "withdrawn", area)],
                    table_key=f"trend_escalation_stage{lower}_by_service_area",
                    title=f"Escalation from stage {lower} to stage {lower + 1} by service area (%)",
                )
            )
    shown = {(s, "received", area) for s in stages}
    for key in sorted(trend.cells):
        stage, measure, dimension = key
        if key in shown or stage not in stages or not any((key, y) in trend.historic for y in trend.years):
            continue
        what = "received" if measure == "received" else measure.replace("_", " ")
        tables.append(
            _count_table(
                trend,
                key,
                f"{_stage_words(stage)} {what} by {BREAKDOWN_DIMENSIONS[dimension].lower()}",
                labels,
                table_key=f"trend_stage{stage}_{measure}_by_{dimension}",
            )
        )
    return [t for t in tables if t is not None]
