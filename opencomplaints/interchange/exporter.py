"""Exporting records in the interchange format (../shared/spec/interchange.md §1): CSV, XLSX and JSON Lines, the
same columns the import reads, so nobody is locked in.

The files are deterministic: records in a fixed order (date received, council, ref), fixed formatting, and an XLSX
whose package carries no timestamps. Exporting, importing into an empty installation and exporting again gives
the same bytes. Text a spreadsheet would run as a formula is neutralised in CSV and XLSX (a leading apostrophe,
which the import removes again).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.cases.models import Person
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.interchange.learning import LEARNING_SHEET, learning_actions_rows
from opencomplaints.interchange.parse import neutralise
from opencomplaints.records import INTERCHANGE_COLUMNS, Record
from opencomplaints.records.selectors import records_for_councils

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "format_for",
    "records_export",
    "records_file",
    "subject_access_export",
]

FORMATS = ("csv", "xlsx", "jsonl")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/x-ndjson; charset=utf-8",
}
UNKNOWN_FORMAT = "Name the file .csv, .xlsx or .jsonl: the extension chooses the format ({name} has none of them)."
NO_COUNCILS = "There are no records to export: you are not a member of any council."
SUBJECT_ACCESS_SCHEMA = "opencomplaints.subject-access/1"
# Spreadsheet packages carry the time they were written; a fixed one keeps exports byte-identical.
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_CORE_TIME = "2000-01-01T00:00:00Z"
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
_INT_COLUMNS = frozenset({"stage", "child_age", "complainant_age"})
_LIST_COLUMNS = frozenset({"teams", "issues", "remedies"})
_PERSON_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "postcode",
    "sex",
    "ethnicity_scheme",
    "ethnicity_code",
    "disability",
    "sexual_orientation",
    "religion",
)


def format_for(filename: str) -> str:
    """The format a file name's extension chooses, or ``DomainError``."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "ndjson":
        suffix = "jsonl"
    if suffix not in FORMATS:
        raise DomainError(UNKNOWN_FORMAT.format(name=filename or "the file"), field="out")
    return suffix


def _text(value: Any) -> str:
    """A value as the CSV writes it: dates YYYY-MM-DD, yes/no, lists joined with ``;``, money with pence."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, tuple):
        return ";".join(value)
    return str(value)


def _ordered(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.received, r.council, r.ref))


def _csv(records: Sequence[Record]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(INTERCHANGE_COLUMNS)
    for record in records:
        writer.writerow([neutralise(_text(getattr(record, column))) for column in INTERCHANGE_COLUMNS])
    # A byte-order mark tells Excel the file is UTF-8 (its "CSV UTF-8"); the import accepts it either way.
    return buffer.getvalue().encode("utf-8-sig")


def _json_value(column: str, value: Any) -> Any:
    if value is None or value == ():
        return None
    if column in _INT_COLUMNS:
        return int(value)
    if column in _LIST_COLUMNS:
        return list(value)
    return _text(value)


def _jsonl_line(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n"


def _jsonl(records: Sequence[Record]) -> bytes:
    lines = [
        _jsonl_line({column: _json_value(column, getattr(record, column)) for column in INTERCHANGE_COLUMNS})
        for record in records
    ]
    return "".join(lines).encode("utf-8")


def _xlsx_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | tuple):
        return neutralise(_text(value))
    if isinstance(value, date | int | Decimal):
        return value
    return neutralise(str(value))


def _deterministic(package: bytes) -> bytes:
    """The same spreadsheet with fixed times in its zip entries and document properties."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>" + _FIXED_CORE_TIME.encode() + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return out.getvalue()


def _xlsx(records: Sequence[Record], learning: Sequence[Sequence[str]] = ()) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("records")
    sheet.append(list(INTERCHANGE_COLUMNS))
    for record in records:
        sheet.append([_xlsx_value(getattr(record, column)) for column in INTERCHANGE_COLUMNS])
    if len(learning) > 1:  # the header and at least one action
        second = book.create_sheet(LEARNING_SHEET)
        for row in learning:
            second.append([value or None for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic(buffer.getvalue())


def records_file(records: Iterable[Record], fmt: str, learning: Sequence[Sequence[str]] = ()) -> bytes:
    """``records`` as a file in ``fmt`` (``csv``, ``xlsx`` or ``jsonl``), in export order; an XLSX has the rows of
    ``learning`` (:func:`~opencomplaints.interchange.learning.learning_actions_rows`) as a second sheet."""
    ordered = _ordered(records)
    if fmt == "csv":
        return _csv(ordered)
    if fmt == "xlsx":
        return _xlsx(ordered, learning)
    if fmt == "jsonl":
        return _jsonl(ordered)
    raise DomainError(UNKNOWN_FORMAT.format(name=f".{fmt}"), field="format")


@transaction.atomic
def records_export(
    *, councils: Sequence[Council], fmt: str, acting_user: User | None, file_name: str = ""
) -> tuple[bytes, int]:
    """Every record of ``councils`` as one file, and how many records it holds. Records an audit event: the
    file is a copy of personal data leaving the system."""
    if not councils:
        raise DomainError(NO_COUNCILS, field="council")
    records = records_for_councils(councils=councils)
    learning = learning_actions_rows(councils=councils) if fmt == "xlsx" else []
    data = records_file(records, fmt, learning)
    ordered = sorted(councils, key=lambda council: council.slug)
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.EXPORT_CREATED,
        subject=ordered[0],
        summary=f"Exported {len(records)} records of {', '.join(c.name for c in ordered)} as {fmt.upper()}",
        after={
            "councils": [c.slug for c in ordered],
            "format": fmt,
            "records": len(records),
            "file_name": file_name,
            **({"learning_actions": len(learning) - 1} if len(learning) > 1 else {}),
        },
    )
    return data, len(records)


def _person_values(person: Person) -> dict[str, Any]:
    values: dict[str, Any] = {"id": person.pk, "council": person.council.slug}
    for name in _PERSON_FIELDS:
        value = getattr(person, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return values


@transaction.atomic
def subject_access_export(*, person: Person, acting_user: User | None) -> bytes:
    """Everything held about ``person`` for a subject access request, as JSON Lines: first their personal
    details, then every record of every case they complain in or that concerns them (as a child), each with
    ``role`` saying which. Records an audit event naming the person and the cases."""
    roles: dict[str, set[str]] = {}
    for reference in person.complaints_made.values_list("case__reference", flat=True):
        roles.setdefault(reference, set()).add("complainant")
    for reference in person.complaints_about.values_list("case__reference", flat=True):
        roles.setdefault(reference, set()).add("child")
    records = [r for r in records_for_councils(councils=[person.council]) if r.case_ref in roles]
    lines = [_jsonl_line({"schema": SUBJECT_ACCESS_SCHEMA, "person": _person_values(person)})]
    for record in _ordered(records):
        values = {column: _json_value(column, getattr(record, column)) for column in INTERCHANGE_COLUMNS}
        values["role"] = ";".join(sorted(roles[record.case_ref]))
        lines.append(_jsonl_line(values))
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.SUBJECT_ACCESS_EXPORT,
        subject=person,
        summary=f"Personal data of person #{person.pk} exported for a subject access request ({len(roles)} cases)",
        after={"person": person.pk, "cases": sorted(roles), "records": len(records)},
    )
    return "".join(lines).encode("utf-8")
