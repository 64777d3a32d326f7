"""Tables by any dimension (interchange §5): one measure over the records of one stage of a procedure (or of one
kind of other representation), broken down by one or two dimensions, counted by the rules of §2 and §4.

- Each measure is counted over the records §2 counts it over: ``received`` over the records received in the
  period; ``completed``, the outcomes and ``compensation`` over those completed (responded to) in it;
  ``open_at_end`` over those open at its end; the timeliness measures (``assessed``, ``within_timescale``,
  ``within_extended_timescale``, ``late``) over those assessed (completed, less withdrawn and not accepted),
  classified by the procedure's own rules (children's stage 1 from receipt, stage 2 from the start date;
  corporate from the acknowledgement; adults' by the agreed date or six months). Stage 3 of the children's
  procedure has three checks instead: ``assessed``, ``panel_on_time``, ``panel_report_on_time`` and
  ``response_on_time``.
- ``compensation`` is the sum of the amounts, a string with two decimals.
- A record counts once under each team, or each issue, it names; a record with no value recorded counts under
  ``unknown``. ``quarter`` is the quarter of ``received`` for ``received`` and of ``responded`` otherwise (it does
  not apply to ``open_at_end``). Age bands are whole years at receipt: 0-4, 5-9, 10-15, 16-17, 18+.
- ``cells`` lists every key that occurs among the records the measure is counted over (with a count of 0 where
  none of them has the measure), and no others. Counts are exact: no small-number suppression.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import product
from typing import Any

from opencomplaints.cases.kinds import representation_kinds
from opencomplaints.common.errors import DomainError
from opencomplaints.deadlines import CHILDREN_STATUTORY, TimelinessCategory, WorkingDayCalendar, stage3_timeliness
from opencomplaints.records import Record
from opencomplaints.reporting.metrics.rules import ProcedureRules, stage_numbers
from opencomplaints.reporting.metrics.selection import (
    DEFAULT_PROCEDURE,
    OUTCOMES,
    complaint_stage,
    completed_in,
    open_at_end,
    received_in,
)
from opencomplaints.reporting.metrics.table import Cell, Table, count_column, definition_of, label_column, money_column
from opencomplaints.reporting.metrics.timeliness import assessed, timeliness_category
from opencomplaints.reporting.periods import QUARTERS, Period, quarter_of

__all__ = [
    "AGE_BANDS",
    "DIMENSIONS",
    "KIND_MEASURES",
    "MEASURES",
    "STAGE3_MEASURES",
    "UNKNOWN",
    "SavedQuery",
    "TableQuery",
    "TableQueryError",
    "TableResult",
    "age_band",
    "as_table",
    "crosstab",
    "crosstab_json",
    "grid",
    "limited",
    "saved_tables",
    "sort_keys",
    "validate",
]

UNKNOWN = "unknown"
PROCEDURES: tuple[str, ...] = ("children_statutory", "corporate", "adults_statutory")

TIMELINESS = ("within_timescale", "within_extended_timescale", "late")
MEASURES: tuple[str, ...] = (
    "received",
    "completed",
    "open_at_end",
    "assessed",
    *TIMELINESS,
    *OUTCOMES,
    "compensation",
)
#: Stage 3 of the children's procedure is timed by three checks (interchange §2), not one timescale.
STAGE3_MEASURES: tuple[str, ...] = ("panel_on_time", "panel_report_on_time", "response_on_time")
#: The measures of other representations (interchange §5).
KIND_MEASURES: tuple[str, ...] = ("received", "completed")

#: (label, lowest age, highest age) in whole years (interchange §5).
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("0-4", 0, 4),
    ("5-9", 5, 9),
    ("10-15", 10, 15),
    ("16-17", 16, 17),
    ("18+", 18, 10_000),
)


class TableQueryError(DomainError):
    """A table that cannot be counted as asked (an unknown measure, dimension, kind or stage)."""


def age_band(age: int | None) -> str | None:
    """The band of ``age`` in whole years; ``None`` when unknown (or negative)."""
    if age is None:
        return None
    return next((name for name, lowest, highest in AGE_BANDS if lowest <= age <= highest), None)


def _one(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


#: Each dimension: the values a record names (an empty tuple counts under "unknown"). ``quarter`` is resolved by
#: the measure (see :func:`_values_of`).
DIMENSIONS: Mapping[str, Callable[[Record], tuple[str, ...]]] = {
    "service_area": lambda r: _one(r.service_area),
    "team": lambda r: _unique(r.teams),
    "issue": lambda r: _unique(r.issues),
    "principal_issue": lambda r: _one(r.principal_issue),
    "complainant_type": lambda r: _one(r.complainant_type),
    "received_via": lambda r: _one(r.received_via),
    "support_category": lambda r: _one(r.support_category),
    "quarter": lambda r: (),  # replaced per measure
    "outcome": lambda r: _one(r.outcome),
    "child_sex": lambda r: _one(r.child_sex),
    "child_ethnicity": lambda r: _one(r.child_ethnicity),
    "child_disability": lambda r: _one(r.child_disability),
    "child_age_band": lambda r: _one(age_band(r.child_age)),
    "complainant_sex": lambda r: _one(r.complainant_sex),
    "complainant_ethnicity": lambda r: _one(r.complainant_ethnicity),
    "complainant_disability": lambda r: _one(r.complainant_disability),
    "complainant_age_band": lambda r: _one(age_band(r.complainant_age)),
}

#: Keys listed in this order where a dimension has a natural one; others sort by name, "unknown" last.
_ORDER: Mapping[str, tuple[str, ...]] = {
    "quarter": QUARTERS,
    "child_age_band": tuple(b[0] for b in AGE_BANDS),
    "complainant_age_band": tuple(b[0] for b in AGE_BANDS),
    "outcome": OUTCOMES,
}


@dataclass(frozen=True, kw_only=True)
class TableQuery:
    """What to count: a ``measure`` at ``stage`` of ``procedure`` (or over the records of ``kind``), by ``rows``
    and optionally ``columns``."""

    measure: str
    rows: str
    columns: str | None = None
    stage: int | None = None
    kind: str | None = None
    procedure: str = DEFAULT_PROCEDURE


@dataclass(frozen=True)
class TableResult:
    """The counted table: ``cells`` is ``{row: value}`` or, with columns, ``{row: {column: value}}``; values are
    integers, or two-decimal strings for ``compensation``."""

    query: TableQuery
    period: Period
    cells: dict[str, Any]

    @property
    def is_money(self) -> bool:
        return self.query.measure == "compensation"


def _choices(values: Iterable[str]) -> str:
    return ", ".join(values)


def validate(query: TableQuery) -> None:
    """Raise :class:`TableQueryError` with a message a user can act on if ``query`` cannot be counted."""
    for dimension in (query.rows, query.columns):
        if dimension is not None and dimension not in DIMENSIONS:
            raise TableQueryError(f"Unknown dimension {dimension!r}; the dimensions are: {_choices(DIMENSIONS)}.")
    if query.columns is not None and query.columns == query.rows:
        raise TableQueryError("Give two different dimensions for the rows and the columns.")
    if query.kind is not None:
        if query.stage is not None:
            raise TableQueryError("Give either a stage (of a complaint) or a kind of representation, not both.")
        if query.kind not in representation_kinds():
            raise TableQueryError(f"Unknown kind {query.kind!r}; the kinds are: {_choices(representation_kinds())}.")
        if query.measure not in KIND_MEASURES:
            raise TableQueryError(
                f"The measure {query.measure!r} does not apply to a kind of representation; "
                f"the measures are: {_choices(KIND_MEASURES)}."
            )
    else:
        if query.procedure not in PROCEDURES:
            raise TableQueryError(f"Unknown procedure {query.procedure!r}; the procedures are: {_choices(PROCEDURES)}.")
        stages = stage_numbers(query.procedure)
        if query.stage not in stages:
            raise TableQueryError(
                f"Say which stage to count: the {query.procedure} procedure has stage"
                f"{'s' if len(stages) > 1 else ''} {_choices(str(s) for s in stages)} (or give a kind instead)."
            )
        measures = _stage_measures(query.stage)
        if query.measure not in measures:
            raise TableQueryError(
                f"Unknown measure {query.measure!r} at stage {query.stage}; the measures are: {_choices(measures)}."
            )
    if query.measure == "open_at_end" and "quarter" in (query.rows, query.columns):
        raise TableQueryError(
            "Records open at the end of the period have no quarter: choose another dimension for open_at_end."
        )


def _stage_measures(stage: int) -> tuple[str, ...]:
    if stage == 3:
        return tuple(m for m in MEASURES if m not in TIMELINESS) + STAGE3_MEASURES
    return MEASURES


def _values_of(dimension: str, measure: str) -> Callable[[Record], tuple[str, ...]]:
    if dimension == "quarter":
        if measure == "received":
            return lambda r: (quarter_of(r.received),)
        return lambda r: (quarter_of(r.responded),) if r.responded else ()
    return DIMENSIONS[dimension]


def _keys(values: Callable[[Record], tuple[str, ...]], record: Record) -> tuple[str, ...]:
    return values(record) or (UNKNOWN,)


def _base(records: Sequence[Record], period: Period, query: TableQuery) -> list[Record]:
    """The records the measure is counted over (interchange §2)."""
    if query.kind is not None:
        rows = [r for r in records if r.kind == query.kind]
    else:
        rows = complaint_stage(records, query.procedure, query.stage or 0)
    measure = query.measure
    if measure == "received":
        return received_in(rows, period)
    if measure == "open_at_end":
        return open_at_end(rows, period)
    if measure == "assessed" or measure in TIMELINESS or measure in STAGE3_MEASURES:
        return assessed(rows, period)
    return completed_in(rows, period)


def _value_function(
    query: TableQuery, calendar: WorkingDayCalendar, configured: Mapping[str, ProcedureRules] | None
) -> Callable[[Record], Decimal | int]:
    """What one record of the base adds to its cells (``None`` leaves it out of the base: not assessed)."""
    measure = query.measure
    if measure in {"received", "completed", "open_at_end"}:
        return lambda r: 1
    if measure in OUTCOMES:
        return lambda r: int(r.outcome == measure)
    if measure == "compensation":
        return lambda r: r.compensation or Decimal("0.00")
    if query.stage == 3:
        return _stage3_value(measure, calendar)

    def timed(record: Record) -> int:
        category = timeliness_category(record, calendar, configured)
        return 1 if measure == "assessed" or (category is not None and category == TimelinessCategory(measure)) else 0

    return timed


def _stage3_value(measure: str, calendar: WorkingDayCalendar) -> Callable[[Record], int]:
    def check(record: Record) -> int:
        if measure == "assessed":
            return 1
        checks = stage3_timeliness(
            request_received_on=record.received,
            calendar=calendar,
            panel_on=record.panel_date,
            panel_report_on=record.panel_report_date,
            responded_on=record.responded,
            procedure=CHILDREN_STATUTORY,
        )
        result = {
            "panel_on_time": checks.panel,
            "panel_report_on_time": checks.panel_report,
            "response_on_time": checks.response,
        }[measure]
        return int(result is not None and result.on_time)

    return check


def sort_keys(dimension: str, keys: Iterable[str]) -> list[str]:
    """``keys`` of ``dimension`` in their natural order (quarters, age bands, outcomes), else by name; "unknown"
    last."""
    order = _ORDER.get(dimension, ())
    position = {k: i for i, k in enumerate(order)}
    return sorted(keys, key=lambda k: (k == UNKNOWN, position.get(k, len(order)), k))


def _timed(record: Record, calendar: WorkingDayCalendar, configured: Mapping[str, ProcedureRules] | None) -> bool:
    return timeliness_category(record, calendar, configured) is not None


def crosstab(
    records: Sequence[Record],
    period: Period,
    query: TableQuery,
    calendar: WorkingDayCalendar,
    configured: Mapping[str, ProcedureRules] | None = None,
) -> TableResult:
    """``query``'s measure over ``period``, by its dimensions, as the module docstring defines it: each measure
    counted over the records it is counted over (received, completed, open at the end, or assessed for
    timeliness by the procedure's rules), a record counting once under each value it names and under "unknown"
    where it names none. ``configured`` holds a council's own timescales by procedure."""
    validate(query)
    base = _base(records, period, query)
    if query.stage in (1, 2) and (query.measure == "assessed" or query.measure in TIMELINESS):
        # As the report's timeliness: a record whose stage sets no response timescale is not assessed.
        base = [r for r in base if _timed(r, calendar, configured)]
    value = _value_function(query, calendar, configured)
    row_values = _values_of(query.rows, query.measure)
    column_values = None if query.columns is None else _values_of(query.columns, query.measure)
    totals: dict[tuple[str, str | None], Decimal | int] = {}
    for record in base:
        amount = value(record)
        columns: tuple[str | None, ...] = (None,) if column_values is None else _keys(column_values, record)
        for key in product(_keys(row_values, record), columns):
            totals[key] = totals.get(key, 0) + amount
    money = query.measure == "compensation"

    def shown(amount: Decimal | int) -> int | str:
        return f"{Decimal(amount):.2f}" if money else int(amount)

    row_keys = sort_keys(query.rows, {row for row, _ in totals})
    if query.columns is None:
        cells: dict[str, Any] = {row: shown(totals[(row, None)]) for row in row_keys}
    else:
        column_keys = sort_keys(query.columns, {column for _, column in totals if column is not None})
        cells = {
            row: {column: shown(totals[(row, column)]) for column in column_keys if (row, column) in totals}
            for row in row_keys
        }
    return TableResult(query=query, period=period, cells=cells)


def crosstab_json(result: TableResult) -> dict[str, Any]:
    """The table as interchange §5 writes it: ``measure``, ``stage`` (a string, or null for a kind), ``rows``,
    ``columns`` (null with one dimension), ``period`` (as the report core's) and ``cells``."""
    query = result.query
    document: dict[str, Any] = {
        "measure": query.measure,
        "stage": None if query.stage is None else str(query.stage),
        "rows": query.rows,
        "columns": query.columns,
        "period": {"start": result.period.start.isoformat(), "end": result.period.end.isoformat()},
        "cells": result.cells,
    }
    if query.kind is not None:
        document["kind"] = query.kind
    else:
        document["procedure"] = query.procedure
    return document


def _title(code: str) -> str:
    return code.replace("_", " ").capitalize()


def grid(result: TableResult) -> tuple[tuple[str, ...], list[tuple[str, list[str | int | None]]]]:
    """The column keys and, for each row key, its values in that order (``None`` where a cell does not occur)."""
    cells = result.cells
    if result.query.columns is None:
        return (result.query.measure,), [(row, [value]) for row, value in cells.items()]
    columns: list[str] = []
    for values in cells.values():
        columns.extend(k for k in values if k not in columns)
    ordered = tuple(sort_keys(result.query.columns, columns))
    return ordered, [(row, [values.get(c) for c in ordered]) for row, values in cells.items()]


def as_table(result: TableResult, *, key: str, title: str, sensitive: bool = True) -> Table:
    """The result as a report :class:`Table` (rows by the first dimension, a column for each key of the second,
    or for the measure), so it can be suppressed and drawn like every other table of a document."""
    columns, rows = grid(result)
    make = money_column if result.is_money else count_column
    header = (label_column(_title(result.query.rows)), *(make(_title(c)) for c in columns))
    body: list[tuple[Cell, ...]] = []
    for row, values in rows:
        cells: list[Cell] = [row]
        for value in values:
            cells.append(Decimal(str(value)) if result.is_money and value is not None else value)
        body.append(tuple(cells))
    return Table(
        key=key,
        title=title,
        columns=header,
        rows=tuple(body),
        definition=definition_of(crosstab),
        sensitive=sensitive and not result.is_money,
    )


@dataclass(frozen=True, kw_only=True)
class SavedQuery:
    """A table saved to a report: its query, its title and a service area it is limited to (``None``: all)."""

    key: str
    title: str
    query: TableQuery
    service_area: str | None = None


def limited(records: Sequence[Record], service_area: str | None) -> list[Record]:
    """The records of ``service_area`` (all of them where ``None``)."""
    return list(records) if not service_area else [r for r in records if r.service_area == service_area]


def saved_tables(
    records: Sequence[Record],
    period: Period,
    saved: Sequence[SavedQuery],
    calendar: WorkingDayCalendar,
    configured: Mapping[str, ProcedureRules] | None = None,
) -> list[Table]:
    """Tables saved to a report, each one measure by one or two dimensions counted as :func:`crosstab` counts it
    over the report's period (a saved table that no longer fits is left out rather than failing the report)."""
    tables: list[Table] = []
    for item in saved:
        try:
            result = crosstab(limited(records, item.service_area), period, item.query, calendar, configured)
        except TableQueryError:
            continue
        tables.append(as_table(result, key=item.key, title=f"{item.title}, {period.label}"))
    return tables
