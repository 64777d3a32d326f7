"""A table by any dimension (interchange §5) drawn as JSON (exact, the contract's shape), CSV or plain text.

CSV and text give one row a row key and one column a column key (or the measure, with one dimension); cells that
do not occur are blank. These are exact counts for the council's own use: the published table builder page and
saved tables are suppressed like the rest of a document (``metrics.crosstab.as_table``
feeds them to the suppression pass)."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum

from opencomplaints.reporting.metrics.crosstab import TableResult, crosstab_json, grid
from opencomplaints.reporting.metrics.table import Table
from opencomplaints.reporting.renderers.common import spreadsheet_value
from opencomplaints.reporting.renderers.xlsx import neutralise

__all__ = ["TableFormat", "render_crosstab", "render_table_csv"]


class TableFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    TEXT = "text"


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


def render_table_csv(table: Table) -> bytes:
    """One report table (already suppressed for publication) as CSV: the column titles, then a line a row;
    withheld counts as their markers ("<5", "c"), text that would run as a formula made inert."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(c.title) for c in table.columns])
    for row in table.rows:
        writer.writerow(
            ["" if v is None else neutralise(spreadsheet_value(v, c)) for v, c in zip(row, table.columns, strict=True)]
        )
    return buffer.getvalue().encode("utf-8")
