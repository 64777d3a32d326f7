"""A table by any dimension (interchange §5) drawn as JSON (exact, the contract's shape), CSV or plain text.

CSV and text give one row a row key and one column a column key (or the measure, with one dimension); cells that
do not occur are blank. These are exact counts for the council's own use: the published table builder page and
saved tables are suppressed like the rest of a document (:func:`as_table` feeds them to the suppression pass)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from enum import StrEnum

from opencomplaints.reporting.metrics.crosstab import TableResult, crosstab_json, sort_keys
from opencomplaints.reporting.metrics.table import Cell, Table, count_column, label_column, money_column

__all__ = ["TableFormat", "as_table", "grid", "render_crosstab"]


class TableFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    TEXT = "text"


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
    return Table(key=key, title=title, columns=header, rows=tuple(body), sensitive=sensitive and not result.is_money)


def render_crosstab(result: TableResult, fmt: TableFormat) -> bytes:
    """``result`` as a file in ``fmt``."""
    if fmt is TableFormat.JSON:
        return (json.dumps(crosstab_json(result), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    columns, rows = grid(result)
    header = (result.query.rows, *columns)
    lines = [header, *((row, *("" if v is None else str(v) for v in values)) for row, values in rows)]
    if fmt is TableFormat.CSV:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(lines)
        return buffer.getvalue().encode("utf-8")
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    text = "\n".join(
        "  ".join(
            str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    )
    return (text.rstrip() + "\n").encode("utf-8")
