"""Historic figures from CSV, for trend tables that reach back before the system held case data: summary figures
(``council,year,measure,value``, e.g. stage 1 complaints received in 2003/04) and figures by dimension (with
``stage``, ``dimension`` and ``category``, e.g. stage 1 complaints received about Localities in 2018/19), in one
long file (docs/historic-figures.md, docs/adr/0019-historic-figures-by-dimension.md).

All or nothing, like the records import: every row is checked first and every problem reported with its line;
only a clean file is written, in one transaction, through the reporting app's ``historic_figure_set`` and
``historic_breakdowns_set``.
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
from opencomplaints.cases import constants as c
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council, IssueCategory, ServiceArea, Team
from opencomplaints.interchange.importer import file_digest, max_import_bytes
from opencomplaints.interchange.models import ImportRun
from opencomplaints.interchange.parse import FileRejected, RowError, label_key, read_table
from opencomplaints.reporting.metrics.crosstab import UNKNOWN
from opencomplaints.reporting.metrics.dimension_trends import AGE_BAND_NAMES, BREAKDOWN_DIMENSIONS, BREAKDOWN_MEASURES
from opencomplaints.reporting.metrics.trends import HISTORIC_MEASURES
from opencomplaints.reporting.services import BreakdownFigure, historic_breakdowns_set, historic_figure_set

__all__ = ["HISTORIC_COLUMNS", "HistoricOutcome", "historic_import"]

HISTORIC_COLUMNS = ("council", "year", "measure", "value", "stage", "dimension", "category")
REQUIRED_COLUMNS = ("year", "measure", "value")
STAGES = ("1", "2", "3")
MAX_CATEGORY = 150
#: The vocabularies of the dimensions whose categories are codes (interchange §1).
VOCABULARIES: dict[str, list[tuple[str, str]]] = {
    "complainant_type": c.ComplainantType.choices,
    "received_via": c.ReceivedVia.choices,
    "support_category": c.SupportCategory.choices,
    "mediation": c.Mediation.choices,
    "child_sex": c.Sex.choices,
    "complainant_sex": c.Sex.choices,
    "child_disability": c.YesNoUnknown.choices,
    "complainant_disability": c.YesNoUnknown.choices,
}
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


def _summary_measure(line: int, row: dict[str, str], problems: list[RowError]) -> str | None:
    """The summary measure of a row without a dimension: a code such as ``stage1_received``, or a measure of a
    stage (``received`` with ``stage`` 1)."""
    measure = row.get("measure", "").strip().lower()
    stage = row.get("stage", "").strip()
    if stage:
        if stage not in STAGES:
            problems.append(RowError(line, "stage", f"{stage} is not a stage: write 1, 2 or 3."))
            return None
        measure = f"stage{stage}_{measure}"
    if measure not in HISTORIC_MEASURES:
        problems.append(
            RowError(
                line,
                "measure",
                f"{row.get('measure', '')}{' at stage ' + stage if stage else ''} is not a measure historic figures "
                f"can be entered for. The measures are: {', '.join(HISTORIC_MEASURES)}; or, with a stage: "
                f"{', '.join(m for m in BREAKDOWN_MEASURES)}.",
            )
        )
        return None
    return measure


def _breakdown(
    line: int, row: dict[str, str], dimension: str, names: dict[str, dict[str, str]], problems: list[RowError]
) -> tuple[int, str, str, str] | None:
    """(stage, measure, dimension, category) of a row by dimension, or ``None`` with its problems added."""
    found = len(problems)
    if dimension not in BREAKDOWN_DIMENSIONS:
        problems.append(
            RowError(
                line,
                "dimension",
                f"{row.get('dimension', '')} is not a dimension historic figures can be entered by. The dimensions "
                f"are: {', '.join(BREAKDOWN_DIMENSIONS)}.",
            )
        )
    stage = row.get("stage", "").strip()
    if stage not in STAGES:
        problems.append(
            RowError(line, "stage", f"{stage or 'A blank'} is not a stage: a figure by dimension needs 1, 2 or 3.")
        )
    measure = row.get("measure", "").strip().lower()
    if measure not in BREAKDOWN_MEASURES:
        problems.append(
            RowError(
                line,
                "measure",
                f"{row.get('measure', '')} is not a measure figures by dimension can be entered for. The measures "
                f"are: {', '.join(BREAKDOWN_MEASURES)}.",
            )
        )
    category = _category(line, row.get("category", ""), dimension, names, problems)
    if len(problems) > found or category is None:
        return None
    return int(stage), measure, dimension, category


def _category(
    line: int, text: str, dimension: str, names: dict[str, dict[str, str]], problems: list[RowError]
) -> str | None:
    """The category as stored: a vocabulary code, or a configured name as configured (a name no longer
    configured, such as a service area since reorganised, as written); ``unknown`` for "Not recorded"."""
    if not text.strip():
        problems.append(RowError(line, "category", f"Say which {dimension.replace('_', ' ')} the figure counts."))
        return None
    if len(text.strip()) > MAX_CATEGORY:
        problems.append(RowError(line, "category", f"A category is at most {MAX_CATEGORY} characters long."))
        return None
    key = label_key(text)
    if key in (UNKNOWN, "not recorded"):
        return UNKNOWN
    allowed = _vocabulary(dimension)
    if allowed is not None:
        spaced = key.replace("_", " ")
        for code, name in allowed.items():
            if spaced in (label_key(code).replace("_", " "), label_key(name)):
                return code
        problems.append(
            RowError(
                line,
                "category",
                f"{text} is not a value of {dimension}. The values are: {', '.join(allowed)}, unknown.",
            )
        )
        return None
    return names.get(dimension, {}).get(key, " ".join(text.split()))


def _vocabulary(dimension: str) -> dict[str, str] | None:
    """Code → name of the values a dimension may take (``None``: names, not codes)."""
    if dimension.endswith("_age_band"):
        return {band: band for band in AGE_BAND_NAMES}
    vocabulary = VOCABULARIES.get(dimension)
    return None if vocabulary is None else {code: str(name) for code, name in vocabulary if code != UNKNOWN}


def _configured_names(councils: Sequence[Council]) -> dict[int, dict[str, dict[str, str]]]:
    """Council → dimension → name as compared → name as configured, for service areas, teams and issues."""
    names: dict[int, dict[str, dict[str, str]]] = {council.pk: {} for council in councils}
    for dimension, model in (("service_area", ServiceArea), ("team", Team), ("issue", IssueCategory)):
        for council_id, name in model.objects.filter(council__in=list(councils)).values_list("council_id", "name"):
            names[council_id].setdefault(dimension, {})[label_key(name)] = name
    for by_dimension in names.values():
        by_dimension["principal_issue"] = by_dimension.get("issue", {})
    return names


def _described(parsed: str | tuple[int, str, str, str], year: int) -> str:
    if isinstance(parsed, str):
        return f"{parsed} for {year}"
    stage, measure, dimension, category = parsed
    return f"Stage {stage} {measure} by {dimension} for {category} in {year}"


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
            required=REQUIRED_COLUMNS,
        )
    except FileRejected as rejected:
        outcome.errors = rejected.errors
        return outcome
    outcome.rows = len(table.rows)
    today_year = timezone.localdate().year
    figures: list[tuple[Council, int, str, Decimal]] = []
    breakdowns: dict[Council, list[BreakdownFigure]] = {}
    seen: dict[tuple[object, ...], int] = {}
    names = _configured_names(councils)
    for line, row in table.rows:
        problems: list[RowError] = []
        council = year = value = None
        try:
            council = _council(row.get("council", ""), councils, default_council)
        except ValueError as error:
            problems.append(RowError(line, "council", str(error)))
        try:
            year = _year(row.get("year", ""), today_year)
        except ValueError as error:
            problems.append(RowError(line, "year", str(error)))
        try:
            value = _value(row.get("value", ""))
        except ValueError as error:
            problems.append(RowError(line, "value", str(error)))
        dimension = row.get("dimension", "").strip().lower()
        parsed: str | tuple[int, str, str, str] | None
        if dimension:
            parsed = _breakdown(line, row, dimension, names.get(council.pk, {}) if council else {}, problems)
        else:
            parsed = _summary_measure(line, row, problems)
        if dimension and value is not None and value != value.to_integral_value():
            problems.append(RowError(line, "value", f"{row.get('value', '')} is not a whole number of complaints."))
        if problems or council is None or year is None or value is None or parsed is None:
            outcome.errors.extend(problems)
            continue
        key: tuple[object, ...] = (
            (council.pk, year, *parsed) if isinstance(parsed, tuple) else (council.pk, year, parsed)
        )
        if key in seen:
            outcome.errors.append(
                RowError(line, "measure", f"{_described(parsed, year)} is given twice: also on line {seen[key]}.")
            )
            continue
        seen[key] = line
        if isinstance(parsed, tuple):
            stage, measure, category = parsed[0], parsed[1], parsed[3]
            breakdowns.setdefault(council, []).append(
                BreakdownFigure(year, stage, measure, dimension, category, int(value))
            )
        else:
            figures.append((council, year, parsed, value))
    if outcome.errors or dry_run:
        return outcome
    with transaction.atomic():
        for council, year, measure, value in figures:
            try:
                historic_figure_set(council=council, year=year, measure=measure, value=value, acting_user=acting_user)
            except DomainError as error:  # pragma: no cover - every rule the service checks is checked above
                raise FileRejected([RowError(0, "", error.message)]) from error
        for council, given in breakdowns.items():
            historic_breakdowns_set(council=council, figures=given, acting_user=acting_user)
        written = len(figures) + sum(len(given) for given in breakdowns.values())
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
            created=written,
            started_at=now,
            finished_at=now,
        )
        audit_event_record(
            acting_user=acting_user,
            event_type=AuditEventType.IMPORT_COMPLETED,
            subject=run,
            summary=f"Imported {written} historic figures from {run.file_name}",
            after={"file_name": run.file_name, "file_sha256": run.file_sha256, "figures": written},
        )
    outcome.written = written
    return outcome
