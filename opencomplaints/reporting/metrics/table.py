"""The table every metric returns and every renderer draws, so the screen, the documents and the spreadsheet can
never disagree (convention 9)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

__all__ = [
    "Cell",
    "ChartKind",
    "ChartSpec",
    "Column",
    "ColumnKind",
    "ColumnRef",
    "Suppressed",
    "Table",
    "count_column",
    "definition_of",
    "label_column",
    "money_column",
    "number_column",
    "percent",
    "percent_column",
    "text_column",
]


class ColumnKind(StrEnum):
    LABEL = "label"  # the row's name (first column)
    COUNT = "count"  # a whole number of records: suppressible
    PERCENT = "percent"  # a percentage derived from a count column
    MONEY = "money"  # pounds
    NUMBER = "number"  # any other figure (an average, a rate)
    TEXT = "text"  # words: a decision, a quote, an action


@dataclass(frozen=True)
class Suppressed:
    """A count withheld from publication (R6.7): ``primary`` for a small count, else withheld so that a small
    count cannot be worked out from the totals."""

    primary: bool
    min_cell: int = 5

    def __str__(self) -> str:
        return f"<{self.min_cell}" if self.primary else "c"


type Cell = str | int | float | Decimal | Suppressed | None


type ColumnRef = str | int


@dataclass(frozen=True)
class Column:
    """One column: its ``title`` (what readers see) and its ``name`` (how the code addresses it: suppression, links
    between tables, totals and percentages name their columns, never count positions). The name is the title
    unless given."""

    title: str
    kind: ColumnKind = ColumnKind.COUNT
    #: For a percentage: the name of the count column it is a percentage of (suppressed with it). A position is
    #: accepted too and turned into that column's name by the table.
    percent_of: ColumnRef | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.title)


def label_column(title: str, *, name: str = "") -> Column:
    return Column(title, ColumnKind.LABEL, name=name)


def count_column(title: str, *, name: str = "") -> Column:
    return Column(title, ColumnKind.COUNT, name=name)


def percent_column(title: str, *, of: ColumnRef, name: str = "") -> Column:
    return Column(title, ColumnKind.PERCENT, percent_of=of, name=name)


def money_column(title: str, *, name: str = "") -> Column:
    return Column(title, ColumnKind.MONEY, name=name)


def number_column(title: str, *, name: str = "") -> Column:
    return Column(title, ColumnKind.NUMBER, name=name)


def text_column(title: str, *, name: str = "") -> Column:
    return Column(title, ColumnKind.TEXT, name=name)


class ChartKind(StrEnum):
    BAR = "bar"  # vertical bars, one group per row
    HBAR = "hbar"  # horizontal bars: long category names
    LINE = "line"  # a trend over years
    PIE = "pie"  # shares of a whole (used sparingly; the table always follows)


@dataclass(frozen=True)
class ChartSpec:
    """How to chart a table: categories from the label column, one series per value column."""

    kind: ChartKind
    value_columns: tuple[int, ...] = (1,)
    title: str = ""
    #: Leave the table's total row out of the chart.
    skip_total_row: bool = True
    #: Draw the rows as series and the value columns as categories (e.g. a trend table with years as columns).
    transpose: bool = False


@dataclass(frozen=True)
class Table:
    """One table of the report.

    ``definition`` is the docstring of the metric that built it: the statutory or contractual definition of every
    figure. ``total_row`` says the last row sums the rows above; ``total_column`` names the column that sums the
    columns named in ``summed_columns`` in each row. Both let small-number suppression protect the cells a total
    would reveal. ``sensitive`` tables are suppressed when published (R6.7).

    Columns are referred to by name (positions given are turned into names when the table is made), so adding,
    removing or reordering a column cannot make a total or a percentage point at the wrong one.
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    definition: str = ""
    source: str = ""
    notes: tuple[str, ...] = ()
    total_row: bool = False
    total_column: ColumnRef | None = None
    summed_columns: tuple[ColumnRef, ...] = ()
    sensitive: bool = False
    chart: ChartSpec | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"Table {self.key!r}: a row has {len(row)} cells for {len(self.columns)} columns.")
        columns = tuple(
            c if c.percent_of is None else replace(c, percent_of=self._named(c.percent_of)) for c in self.columns
        )
        object.__setattr__(self, "columns", columns)
        if self.total_column is not None:
            object.__setattr__(self, "total_column", self._named(self.total_column))
        object.__setattr__(self, "summed_columns", tuple(self._named(c) for c in self.summed_columns))

    def _named(self, ref: ColumnRef) -> str:
        """The name of the column ``ref`` (a name or a position) refers to; one column must have it."""
        names = [c.name for c in self.columns]
        if isinstance(ref, int):
            if not 0 <= ref < len(names):
                raise ValueError(f"Table {self.key!r} has no column {ref}; it has {len(names)}.")
            ref = names[ref]
        if names.count(ref) != 1:
            raise ValueError(f"Table {self.key!r}: {names.count(ref)} columns are named {ref!r}, not one: {names}.")
        return ref

    @property
    def column_titles(self) -> tuple[str, ...]:
        return tuple(c.title for c in self.columns)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def index(self, name: ColumnRef) -> int:
        """The position of the column named ``name``."""
        return self.column_names.index(self._named(name))

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def row(self, label: str) -> tuple[Cell, ...]:
        """The row whose first cell is ``label``; raises :class:`KeyError` if there is none."""
        for row in self.rows:
            if row[0] == label:
                return row
        raise KeyError(f"Table {self.key!r} has no row {label!r}; rows: {[r[0] for r in self.rows]}.")

    def cell(self, label: str, column: str) -> Cell:
        """The cell in row ``label`` under the column titled ``column``."""
        return self.row(label)[self.column_titles.index(column)]

    def as_dict(self, column: str) -> dict[str, Cell]:
        """``{row label: cell}`` for one column, total row included."""
        index = self.column_titles.index(column)
        return {str(row[0]): row[index] for row in self.rows}

    def with_rows(self, rows: Sequence[tuple[Cell, ...]], **changes: Any) -> Table:
        return replace(self, rows=tuple(rows), **changes)


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, rounded half up to one decimal place; ``None`` when ``whole`` is 0."""
    if whole == 0:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
    return float(value)


def definition_of(function: Callable[..., Any]) -> str:
    """A metric's definition: its docstring, cleaned of indentation."""
    return inspect.cleandoc(function.__doc__ or "")
