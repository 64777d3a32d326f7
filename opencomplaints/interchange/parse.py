"""Step 1 of an import, *parse*: the bytes of a records file into rows of text with their line numbers
(../shared/spec/interchange.md §1).

Plain Python, no Django. :func:`read_table` turns the bytes of a CSV (UTF-8, with or without a byte-order mark), XLSX
(the sheet named ``records``, else the first) or JSON Lines file into a :class:`Table`: rows of text keyed by column,
each with its line number, or raises :class:`FileRejected` with the reasons (wrong encoding, a binary or damaged
file, missing, unknown or repeated columns, a file over the size limit). Nothing here knows what a value means:
that is :mod:`~opencomplaints.interchange.validate`.

The pipeline is parse → validate → plan → write (docs/design/import-pipeline.md).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from opencomplaints.records import INTERCHANGE_COLUMNS

__all__ = [
    "DEFAULT_MAX_IMPORT_BYTES",
    "REQUIRED_COLUMNS",
    "FileRejected",
    "RowError",
    "SheetMissing",
    "Table",
    "label_key",
    "listing",
    "neutralise",
    "read_table",
    "restore",
    "shortened",
    "slug_for",
]

DEFAULT_MAX_IMPORT_BYTES = 50 * 1024 * 1024
REQUIRED_COLUMNS = ("ref", "kind", "received")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SPACES = re.compile(r"\s+")
_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


# -- results ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class RowError:
    """One problem: the line of the file (1 is the header row; for XLSX the sheet's row number), the column, and
    what is wrong and how to put it right."""

    line: int
    column: str
    reason: str


class FileRejected(Exception):
    """The file cannot be read as records at all; ``errors`` says why."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("; ".join(e.reason for e in errors))
        self.errors = list(errors)


class SheetMissing(FileRejected):
    """A spreadsheet without the sheet asked for (``read_table(sheet_only=True)``)."""


@dataclass(frozen=True)
class Table:
    """The rows of a file as text keyed by (lower-case) column name, each with its line number."""

    format: str
    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]]


# -- small helpers ---------------------------------------------------------------------------------------------


def label_key(value: str) -> str:
    """A label as compared: case-folded, accents kept, runs of white space as one space."""
    return _SPACES.sub(" ", value.strip()).casefold()


def slug_for(value: str) -> str:
    """A web-address slug for a council named in a file (``Borough of Exampleton`` → ``borough-of-exampleton``)."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return _SLUG_STRIP.sub("-", ascii_text.lower()).strip("-")[:60]


def neutralise(value: str) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) made inert with a
    leading apostrophe (OWASP's advice on CSV injection)."""
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo :func:`neutralise`, so an exported file imports back to the text that was exported."""
    if value.startswith("'") and value[1:2] and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def shortened(text: str, limit: int = 40) -> str:
    """The start of a long value, for a message that must not repeat all of it."""
    return text if len(text) <= limit else text[:limit] + "…"


def listing(values: Iterable[str], limit: int = 40) -> str:
    items = list(values)
    text = ", ".join(items[:limit])
    if len(items) > limit:
        text += f" and {len(items) - limit} more"
    return text


# -- reading ---------------------------------------------------------------------------------------------------


def _format_of(data: bytes, filename: str) -> str:
    name = filename.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith((".xls", ".ods", ".numbers")):
        raise FileRejected(
            [RowError(0, "", "This is an older or non-Excel spreadsheet. Save it as Excel (.xlsx) or CSV UTF-8 first.")]
        )
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.lstrip()[:1] == b"{":
        return "jsonl"
    return "csv"


def read_table(
    data: bytes,
    *,
    filename: str,
    max_bytes: int = DEFAULT_MAX_IMPORT_BYTES,
    columns: Sequence[str] = INTERCHANGE_COLUMNS,
    required: Sequence[str] | None = None,
    sheet: str = "records",
    sheet_only: bool = False,
) -> Table:
    """The rows of ``data`` (a file called ``filename``; the extension chooses the format). Raises
    :class:`FileRejected` for a file over ``max_bytes``, in another encoding, damaged, or without the columns
    the format requires. ``columns`` are the columns a file may have (the interchange columns unless given) and
    ``required`` those it must have. An XLSX is read from its sheet named ``sheet``, else its first sheet; with
    ``sheet_only``, from that sheet or not at all (:class:`SheetMissing`)."""
    if len(data) > max_bytes:
        raise FileRejected(
            [
                RowError(
                    0,
                    "",
                    f"The file is {_size(len(data))}; the largest file that can be imported is {_size(max_bytes)}. "
                    "Split the records into several files, each with the header row, and import them one by one.",
                )
            ]
        )
    fmt = _format_of(data, filename)
    if not data.strip():
        raise FileRejected([RowError(0, "", "The file is empty. Choose the file with the records in it.")])
    if fmt == "xlsx":
        found, rows = _read_xlsx(data, sheet=sheet, sheet_only=sheet_only)
    elif fmt == "jsonl":
        found, rows = _read_jsonl(data)
    else:
        found, rows = _read_csv(data)
    if required is None:
        required = REQUIRED_COLUMNS if tuple(columns) == INTERCHANGE_COLUMNS else tuple(columns)
    _check_columns(found, fmt, known=tuple(columns), required=tuple(required))
    if not rows:
        raise FileRejected([RowError(1, "", "The file has a header row but no records under it.")])
    return Table(format=fmt, columns=tuple(found), rows=rows)


_BINARY_SIGNATURES = (b"\x89PNG", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04")
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c")


def _refuse_binary(data: bytes) -> None:
    """A file that is not text at all (an image, a PDF, an old .xls, a zip) is named as such; a text file with a NUL
    byte is refused with the line it is on."""
    head = data[:4096]
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    if head.startswith(_BINARY_SIGNATURES) or controls > len(head) // 10:
        raise FileRejected(
            [
                RowError(
                    0,
                    "",
                    "This is a binary file (such as an image, a PDF, a zip or an old Excel .xls file), not a text file "
                    "of records. Save the records as “CSV UTF-8 (comma delimited)” or Excel (.xlsx) and import that.",
                )
            ]
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise FileRejected(
            [
                RowError(
                    line,
                    "",
                    f"Line {line} has a NUL character (byte 0x00), which a text file of records never holds: the file "
                    "is damaged or not really CSV. Save it again as “CSV UTF-8 (comma delimited)”.",
                )
            ]
        )


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 3 and (data[1] == 0 or data[0] == 0)):
        raise FileRejected(
            [
                RowError(
                    1,
                    "",
                    "The file is in UTF-16 (Excel's “Unicode text”), not UTF-8. In Excel choose Save As, "
                    "“CSV UTF-8 (comma delimited)”, and import that file.",
                )
            ]
        )
    _refuse_binary(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise FileRejected(
            [
                RowError(
                    line,
                    "",
                    f"The file is not in UTF-8: line {line} has a character (byte 0x{byte:02X}) that UTF-8 does not "
                    "allow. It was probably saved as Windows-1252 (Excel's plain “CSV”). In Excel choose Save As, "
                    "“CSV UTF-8 (comma delimited)”, and import that file.",
                )
            ]
        ) from error


def _header(raw: Sequence[Any]) -> list[str]:
    return [str(value if value is not None else "").strip().lstrip("\ufeff").lower() for value in raw]


def _read_csv(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise FileRejected([RowError(1, "", "The file has no header row.")]) from error
    columns = _header(header)
    if len(columns) == 1 and ";" in columns[0]:
        raise FileRejected(
            [
                RowError(
                    1,
                    "",
                    "The columns are separated by semicolons; the format uses commas. Save the file as "
                    "“CSV UTF-8 (comma delimited)”.",
                )
            ]
        )
    rows: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1
    errors: list[RowError] = []
    try:
        for values in reader:
            line = start
            start = reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(columns):
                errors.append(
                    RowError(
                        line,
                        "",
                        f"This row has {len(values)} values but the header has {len(columns)} columns. "
                        "Check for a comma inside a value that is not in double quotes.",
                    )
                )
                continue
            rows.append((line, dict(zip(columns, values, strict=False))))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            errors.append(
                RowError(
                    start,
                    "",
                    f"A value on this line is longer than {csv.field_size_limit():,} characters, far more than any "
                    "column holds. Check for a double quote that is opened and never closed.",
                )
            )
        else:
            errors.append(RowError(start, "", f"The file is not valid CSV from this line on ({error})."))
    if errors:
        # Rows that cannot be split into columns cannot be checked further; the rest of the report waits.
        raise FileRejected(errors)
    return columns, rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def _read_xlsx(
    data: bytes, *, sheet: str = "records", sheet_only: bool = False
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    damaged = RowError(
        0,
        "",
        "The spreadsheet is damaged or incomplete (it may not have finished downloading), so it cannot be read. "
        "Open it in Excel, save it again as .xlsx, and import that file.",
    )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as error:
        raise FileRejected([damaged]) from error
    except Exception as error:  # openpyxl raises its own errors for broken parts of the package
        raise FileRejected([damaged]) from error
    try:
        found = next((ws for ws in book.worksheets if ws.title.strip().lower() == sheet), None)
        if found is None and sheet_only:
            raise SheetMissing([RowError(0, "", f"The spreadsheet has no sheet named {sheet}.")])
        if found is None:
            found = book.worksheets[0]
        iterator = found.iter_rows(values_only=True)
        header = next(iterator, None)
        if header is None:
            raise FileRejected([RowError(1, "", f"The sheet “{found.title}” is empty: it has no header row.")])
        columns = _header(header)
        while columns and not columns[-1]:
            columns.pop()
        rows: list[tuple[int, dict[str, str]]] = []
        for line, values in enumerate(iterator, start=2):
            texts = [_cell_text(v) for v in values[: len(columns)]]
            if not any(t.strip() for t in texts):
                continue
            rows.append((line, dict(zip(columns, texts, strict=False))))
    except FileRejected:
        raise
    except Exception as error:  # a truncated sheet fails part-way through reading
        raise FileRejected([damaged]) from error
    finally:
        book.close()
    return columns, rows


def _json_text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    return None


def _read_jsonl(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    text = _decode(data)
    columns: dict[str, None] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as error:
            errors.append(RowError(line, "", f"This line is not a JSON object ({error.msg})."))
            continue
        if not isinstance(item, dict):
            errors.append(RowError(line, "", "Each line must be one JSON object of column names and values."))
            continue
        values: dict[str, str] = {}
        for key, value in item.items():
            column = str(key).strip().lower()
            columns.setdefault(column)
            converted = _json_text(value)
            if converted is None:
                errors.append(RowError(line, column, "Give a text, a number, true or false, null or a list of texts."))
                continue
            values[column] = converted
        rows.append((line, values))
    if errors:
        raise FileRejected(errors)
    if not rows:
        raise FileRejected([RowError(1, "", "The file has no records.")])
    return list(columns), rows


def _check_columns(columns: Sequence[str], fmt: str, *, known: Sequence[str], required: Sequence[str]) -> None:
    line = 0 if fmt == "jsonl" else 1
    errors: list[RowError] = []
    seen: set[str] = set()
    for column in columns:
        if not column:
            continue
        if column in seen:
            errors.append(RowError(line, column, f"The column {column} appears twice. Keep one of them."))
        seen.add(column)
        if column not in known:
            errors.append(
                RowError(
                    line,
                    column,
                    f"{column} is not a column of this format. The columns are: {', '.join(known)}.",
                )
            )
    for column in required:
        if column not in seen:
            errors.append(RowError(line, column, f"The required column {column} is missing."))
    if errors:
        raise FileRejected(errors)


# -- values ----------------------------------------------------------------------------------------------------
