"""Historic summary figures from CSV (``council,year,measure,value``), for trend tables that reach back before
the system held case data, e.g. stage 1 complaints received in 2003/04.

All or nothing, like the records import: every row is checked first and every problem reported with its line;
only a clean file is written, in one transaction, through the reporting app's ``historic_figure_set``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.interchange.importer import file_digest, max_import_bytes
from opencomplaints.interchange.models import ImportRun
from opencomplaints.interchange.parsing import FileRejected, RowError, label_key, read_table
from opencomplaints.reporting.metrics.trends import HISTORIC_MEASURES
from opencomplaints.reporting.services import historic_figure_set

__all__ = ["HISTORIC_COLUMNS", "HistoricOutcome", "historic_import"]

HISTORIC_COLUMNS = ("council", "year", "measure", "value")
_YEAR = re.compile(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?")
FIRST_YEAR = 1990


@dataclass
class HistoricOutcome:
    rows: int = 0
    written: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _year(text: str, today_year: int) -> int:
    match = _YEAR.fullmatch(text.strip())
    if not match:
        raise ValueError(
            f"{text} is not a reporting year. Write 2003 or 2003/04 (the year 1 April 2003 to 31 March 2004)."
        )
    start = int(match[1])
    if match[2]:
        end = int(match[2])
        if (end % 100 if len(match[2]) == 4 else end) != (start + 1) % 100:
            raise ValueError(f"{text} is not a reporting year: the second year must follow the first, as in 2003/04.")
    if not FIRST_YEAR <= start <= today_year:
        raise ValueError(f"{text} is not a year of historic figures (from {FIRST_YEAR} to {today_year}).")
    return start


def _value(text: str) -> Decimal:
    cleaned = text.strip().replace(",", "").removeprefix("£").rstrip("%")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"{text} is not a number.") from error
    if not value.is_finite() or value < 0:
        raise ValueError(f"{text} is not a figure: figures are numbers of 0 or more.")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{text} has more than two decimal places.")
    return value


def _council(text: str, councils: Sequence[Council], default: Council | None) -> Council:
    if not text.strip():
        if default is None:
            raise ValueError(
                "Say which council the figure belongs to: the installation has several. The councils are: "
                + ", ".join(c.slug for c in councils)
                + "."
            )
        return default
    for council in councils:
        if label_key(text) in (label_key(council.slug), label_key(council.name)):
            return council
    raise ValueError(f"{text} is not a council you can import into. Use one of: {', '.join(c.slug for c in councils)}.")


def historic_import(
    *,
    data: bytes,
    filename: str,
    acting_user: User | None,
    councils: Sequence[Council],
    default_council: Council | None = None,
    dry_run: bool = False,
) -> HistoricOutcome:
    """Check and (unless ``dry_run`` or any row is wrong) write every figure in the file."""
    outcome = HistoricOutcome(dry_run=dry_run)
    if default_council is None and len(councils) == 1:
        default_council = councils[0]
    try:
        table = read_table(
            data,
            filename=filename,
            max_bytes=max_import_bytes(),
            columns=HISTORIC_COLUMNS,
            required=HISTORIC_COLUMNS[1:],
        )
    except FileRejected as rejected:
        outcome.errors = rejected.errors
        return outcome
    outcome.rows = len(table.rows)
    today_year = timezone.localdate().year
    figures: list[tuple[Council, int, str, Decimal]] = []
    seen: dict[tuple[int, int, str], int] = {}
    for line, row in table.rows:
        problems: list[RowError] = []
        council = year = measure = value = None
        try:
            council = _council(row.get("council", ""), councils, default_council)
        except ValueError as error:
            problems.append(RowError(line, "council", str(error)))
        try:
            year = _year(row.get("year", ""), today_year)
        except ValueError as error:
            problems.append(RowError(line, "year", str(error)))
        measure = row.get("measure", "").strip().lower()
        if measure not in HISTORIC_MEASURES:
            problems.append(
                RowError(
                    line,
                    "measure",
                    f"{row.get('measure', '')} is not a measure historic figures can be entered for. The measures "
                    f"are: {', '.join(HISTORIC_MEASURES)}.",
                )
            )
        try:
            value = _value(row.get("value", ""))
        except ValueError as error:
            problems.append(RowError(line, "value", str(error)))
        if problems or council is None or year is None or value is None:
            outcome.errors.extend(problems)
            continue
        key = (council.pk, year, measure)
        if key in seen:
            outcome.errors.append(
                RowError(line, "measure", f"{measure} for {year} is given twice: also on line {seen[key]}.")
            )
            continue
        seen[key] = line
        figures.append((council, year, measure, value))
    if outcome.errors or dry_run:
        return outcome
    with transaction.atomic():
        for council, year, measure, value in figures:
            try:
                historic_figure_set(council=council, year=year, measure=measure, value=value, acting_user=acting_user)
            except DomainError as error:  # pragma: no cover - every rule the service checks is checked above
                raise FileRejected([RowError(0, "", error.message)]) from error
        now = timezone.now()
        run = ImportRun.objects.create(
            kind=ImportRun.Kind.HISTORIC,
            source=ImportRun.Source.COMMAND,
            status=ImportRun.Status.COMPLETED,
            council=default_council,
            started_by=acting_user,
            file_name=filename[:255],
            file_sha256=file_digest(data),
            file_size=len(data),
            file_format="csv",
            rows=outcome.rows,
            created=len(figures),
            started_at=now,
            finished_at=now,
        )
        audit_event_record(
            acting_user=acting_user,
            event_type=AuditEventType.IMPORT_COMPLETED,
            subject=run,
            summary=f"Imported {len(figures)} historic summary figures from {run.file_name}",
            after={"file_name": run.file_name, "file_sha256": run.file_sha256, "figures": len(figures)},
        )
    outcome.written = len(figures)
    return outcome
