"""The spreadsheet: a contents sheet, then one sheet per table, after small-number suppression (R6.7).

Text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is
neutralised with a leading apostrophe, so a topic or quote typed by a member of the public can never execute.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from opencomplaints.reporting.metrics.table import ColumnKind, Table
from opencomplaints.reporting.renderers.common import public_definition, public_text, publishable, spreadsheet_value
from opencomplaints.reporting.renderers.stable import stable_zip
from opencomplaints.reporting.report import AnnualReport

__all__ = ["neutralise", "render_table_xlsx", "render_xlsx", "sheet_names"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)


def neutralise(value: object) -> object:
    """``value``, with text that would start a formula made inert by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def sheet_names(tables: list[Table]) -> dict[str, str]:
    """A unique sheet name (at most 31 characters, none of []:*?/\\) for each table key."""
    names: dict[str, str] = {}
    used = {"contents"}
    for table in tables:
        base = _BAD_SHEET_CHARACTERS.sub("", table.key)[:31] or "table"
        name, n = base, 2
        while name.lower() in used:
            suffix = f"_{n}"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        names[table.key] = name
    return names


def _write_table(sheet: Worksheet, table: Table) -> None:
    sheet.append([neutralise(table.title)])
    sheet["A1"].font = _TITLE
    sheet.append([])
    sheet.append([neutralise(c.title) for c in table.columns])
    for cell in sheet[3]:
        cell.font = _BOLD
    for row in table.rows:
        sheet.append([neutralise(spreadsheet_value(v, c)) for v, c in zip(row, table.columns, strict=True)])
    first_data = 4
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        width = max([len(column.title), *(len(str(r[index - 1] or "")) for r in table.rows)])
        sheet.column_dimensions[letter].width = min(max(width + 2, 10), 80)
        if column.kind == ColumnKind.PERCENT:
            for r in range(first_data, first_data + len(table.rows)):
                sheet.cell(row=r, column=index).number_format = '0.0"%"'
        elif column.kind == ColumnKind.MONEY:
            for r in range(first_data, first_data + len(table.rows)):
                sheet.cell(row=r, column=index).number_format = '"£"#,##0.00'
        elif column.kind == ColumnKind.TEXT:
            for r in range(first_data, first_data + len(table.rows)):
                sheet.cell(row=r, column=index).alignment = Alignment(wrap_text=True, vertical="top")
    if table.total_row and table.rows:
        for cell in sheet[first_data + len(table.rows) - 1]:
            cell.font = _BOLD
    sheet.append([])
    for note in table.notes:
        sheet.append([neutralise(public_text(note))])
    definition = public_definition(table)
    if definition:
        sheet.append([neutralise("How this is counted: " + " ".join(definition))])
    sheet.freeze_panes = "B4"


def render_xlsx(report: AnnualReport, *, min_cell: int | None = None) -> bytes:
    """The report as an XLSX workbook: a contents sheet, then one sheet per table (suppressed for publication)."""
    published = publishable(report, min_cell)
    tables = published.tables
    names = sheet_names(tables)
    book = Workbook()
    contents = book.active
    assert contents is not None  # noqa: S101 - a new workbook always has a sheet
    contents.title = "Contents"
    contents.append([neutralise(published.title)])
    contents["A1"].font = _TITLE
    contents.append([neutralise(" and ".join(published.council_names))])
    contents.append([f"{published.period.start:%d/%m/%Y} to {published.period.end:%d/%m/%Y}"])
    made = "Published" if published.published else "Generated"
    contents.append([f"{made} on {published.generated_on:%d/%m/%Y}"])
    contents.append([])
    for sentence in published.counting_basis:
        contents.append([neutralise(sentence)])
    contents.append([])
    contents.append(["Section", "Table", "Sheet"])
    for cell in contents[contents.max_row]:
        cell.font = _BOLD
    for section in published.sections:
        for table in section.tables:
            contents.append([f"{section.number}. {section.title}", neutralise(table.title), names[table.key]])
            link = contents.cell(row=contents.max_row, column=3)
            link.hyperlink = f"#'{names[table.key]}'!A1"
            link.style = "Hyperlink"
    contents.column_dimensions["A"].width = 45
    contents.column_dimensions["B"].width = 90
    contents.column_dimensions["C"].width = 34
    for table in tables:
        _write_table(book.create_sheet(names[table.key]), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return stable_zip(buffer.getvalue(), published.generated_on)


def render_table_xlsx(table: Table) -> bytes:
    """One table (already suppressed for publication) as a workbook of one sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook always has a sheet
    sheet.title = sheet_names([table])[table.key]
    _write_table(sheet, table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
