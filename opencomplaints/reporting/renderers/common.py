"""What every renderer shares: the suppression step before publication, cell formatting, file names, and the
data and text alternative of each chart."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.text import slugify

from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.table import Cell, ChartKind, Column, ColumnKind, Suppressed, Table
from opencomplaints.reporting.narrative import format_number
from opencomplaints.reporting.report import AnnualReport, base_key
from opencomplaints.reporting.suppression import DEFAULT_MIN_CELL, CellName, Link, suppress_document

__all__ = [
    "DOCUMENT_CHARTS",
    "ChartData",
    "chart_data",
    "format_cell",
    "min_cell_setting",
    "public_definition",
    "public_text",
    "publishable",
    "report_filename",
    "spreadsheet_value",
]

#: The tables drawn as charts in the DOCX and PDF documents (the web page draws every chart a table asks for):
#: the main figures of each section, so a committee paper stays readable and quick to build.
DOCUMENT_CHARTS = frozenset(
    {
        "representations_by_quarter",
        "stage_volumes",
        "service_area_by_stage",
        "stage1_issues",
        "outcomes",
        "timeliness",
        "trend_received",
        "trend_performance",
    }
)

NO_FIGURE = "–"  # noqa: RUF001 - an en dash marks a figure that does not exist, as in published statistics


def min_cell_setting() -> int:
    """The smallest count published as it is (R6.7): ``OPENCOMPLAINTS["SUPPRESSION_MIN_CELL"]``, default 5."""
    return int(settings.OPENCOMPLAINTS.get("SUPPRESSION_MIN_CELL", DEFAULT_MIN_CELL))


#: The tables that break the complaints at each stage down, with a column per stage and a total row.
BY_STAGE_TABLES = (
    "complainant_type_by_stage",
    "received_via_by_stage",
    "support_category_by_stage",
    "service_area_by_stage",
    "team_by_stage",
)
STAGES = ("Stage 1", "Stage 2", "Stage 3")


def document_links(report: AnnualReport) -> list[Link]:
    """The linked figures of ``report`` (see :func:`part_links`); in a combined report, of each part."""
    return [link for prefix in report.parts or ("",) for link in part_links(report, prefix)]


def part_links(report: AnnualReport, prefix: str = "") -> list[Link]:
    """The figures the report shows in more than one table (by table key, row label and column title), so that a
    count withheld in one cannot be read from another: each stage's total of the breakdowns is the number of
    complaints received (or completed) at that stage, which the stage volumes, the young people's table and this
    year's trend figures also show; the Ombudsman decisions' total is the summary's "Decided"."""
    counted = "Received" if report.basis is Basis.RECEIVED else "Completed"
    year = report.period.label
    links: list[Link] = []
    key = f"{prefix}.{{}}".format if prefix else str
    for stage in (*STAGES, "All stages"):
        volume_row = "Total" if stage == "All stages" else stage
        cells = [CellName(key(table), "Total", stage) for table in BY_STAGE_TABLES]
        cells.append(CellName(key("stage_volumes"), volume_row, counted))
        trend = key("trend_received" if counted == "Received" else "trend_completed")
        if stage != "All stages":
            cells.append(CellName(key("young_people"), stage, "All complaints received"))
            cells.append(CellName(trend, year, stage))
        else:
            cells.append(CellName(trend, year, "Total"))
        links.append(Link(tuple(cells)))
    links.append(
        Link(
            (
                CellName(key("ombudsman_decisions"), "Total", "Number"),
                CellName(key("ombudsman_summary"), "Decided", "Number"),
            )
        )
    )
    return links


def publishable(report: AnnualReport, min_cell: int | None = None) -> AnnualReport:
    """``report`` with small numbers suppressed across the whole document, ready to publish (R6.7): a count
    withheld in one table cannot be worked out from any other table, total or trend of the report."""
    threshold = min_cell_setting() if min_cell is None else min_cell
    suppressed = iter(suppress_document(report.tables, threshold, document_links(report)))
    return report.map_tables(lambda _table: next(suppressed))


# What a published document must never show (the founders' rule on published text): rule and contract references,
# Markdown marks and notes written for developers. ``public_text`` removes them; the renderers' tests scan every
# format for them.
_REFERENCE = (
    r"(?:R\d+\.\d+(?:\s+items?\s+\d+(?:\s+(?:and|to)\s+\d+)?)?(?:\s+to\s+R\d+\.\d+)?"
    r"|(?:[Ii]nterchange\s+)?§\s*\d+(?:\.\d+)*(?:\s+``\w+``)?(?:\s+\([^()]*\))?|[Ii]nterchange)"
)
_REFERENCES_IN_BRACKETS = re.compile(rf"\s*\((?:[^()]*?\b)?{_REFERENCE}[^()]*\)")
_REFERENCE_RUN = re.compile(rf"(?:[;,]\s*)?\b{_REFERENCE}(?:\s*[;,]\s*{_REFERENCE})*")
_INTERNAL_CLAUSE = re.compile(
    r",?\s*(?:as|see) the module docstring(?: defines (?:it|them))?|\s*\(see the module docstring[^()]*\)"
)
_STRONG = re.compile(r"\*\*(.+?)\*\*|__(.+?)__", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", re.DOTALL)
_LITERAL = re.compile(r"``(.+?)``|`(.+?)`")
_STAGE_KEY = re.compile(r"^stage(\d)_")
_DEVELOPER_WORDS = re.compile(r"\bJSON\b|docstring|\bcore\b|\bkeys?\b|\bvocabulary codes?\b", re.IGNORECASE)


def _literal(match: re.Match[str]) -> str:
    return (match.group(1) or match.group(2)).replace("_", " ")


def public_text(text: str) -> str:
    """``text`` fit to publish: references to rules and the contract removed, Markdown marks turned into plain
    words, whitespace made single."""
    result = _INTERNAL_CLAUSE.sub("", text)
    result = _REFERENCES_IN_BRACKETS.sub("", result)
    result = _REFERENCE_RUN.sub("", result)
    result = _STRONG.sub(lambda m: m.group(1) or m.group(2), result)
    result = _EMPHASIS.sub(r"\1", result)
    result = _LITERAL.sub(_literal, result)
    result = " ".join(result.split())
    result = re.sub(r"\s+([,;.:)])", r"\1", result)
    result = re.sub(r"\(\s*\)|\(\s*[;,]\s*", lambda m: "" if m.group(0).endswith(")") else "(", result)
    result = re.sub(r"([;,])\s*([.)])", r"\2", result)
    return result.replace("§", "").strip()


def public_definition(table: Table) -> tuple[str, ...]:
    """How a table is counted, in paragraphs fit to publish: its definition without rule references, Markdown or
    notes meant for developers (a paragraph about the JSON core or the code's own names is left out)."""
    text = table.definition
    stage = _STAGE_KEY.match(base_key(table.key))
    if stage:
        text = text.replace("``stage``", stage.group(1))
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        items = re.split(r"\n\s*[-*]\s+", "\n" + block.strip()) if re.match(r"\s*[-*]\s", block) else [block]
        for item in items:
            # A paragraph about the JSON core, or one written in the code's own names, is for developers.
            if not item.strip() or _DEVELOPER_WORDS.search(item) or len(_LITERAL.findall(item)) >= 3:
                continue
            cleaned = public_text(item)
            # A module's title line ("Escalation.") says nothing once its references are gone.
            if len(cleaned.split()) > 3 and cleaned not in paragraphs:
                paragraphs.append(cleaned)
    return tuple(paragraphs)


def format_cell(value: Cell, column: Column) -> str:
    """A cell as text: counts with thousands separators, percentages to one decimal place with %, money in
    pounds and pence, suppressed cells as "<5" or "c", missing figures as a dash."""
    if value is None:
        return "" if column.kind in {ColumnKind.TEXT, ColumnKind.LABEL} else NO_FIGURE
    if isinstance(value, Suppressed):
        return str(value)
    if isinstance(value, str):
        return value
    if column.kind == ColumnKind.PERCENT:
        return f"{float(value):.1f}%"
    if column.kind == ColumnKind.MONEY:
        return f"£{Decimal(value):,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    number = Decimal(str(value))
    return f"{int(number):,}" if number == number.to_integral_value() else f"{number:,.1f}"


def spreadsheet_value(value: Cell, column: Column) -> str | int | float | None:
    """A cell as a spreadsheet value: numbers stay numbers (percentages as numbers, money in pounds), suppressed
    cells become their marker text."""
    if value is None:
        return None
    if isinstance(value, Suppressed):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def report_filename(report: AnnualReport, extension: str) -> str:
    """E.g. ``complaints-report-borough-of-exampleton-2023-24.docx``."""
    councils = "-".join(slugify(name) for name in report.council_names) or "council"
    return f"complaints-report-{councils}-{slugify(report.period.label.replace('/', '-'))}.{extension}"


@dataclass(frozen=True)
class ChartData:
    """A chart's data, with values ``None`` where a figure is withheld or missing, and its text alternative."""

    title: str
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    alt_text: str

    @property
    def has_data(self) -> bool:
        return any(v for _, values in self.series for v in values)


def _number(value: Cell) -> float | None:
    if value is None or isinstance(value, (str, Suppressed)):
        return None
    return float(value)


def _describe(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> str:
    parts = []
    for name, values in series:
        shown = "; ".join(
            f"{category}: {'withheld' if v is None else format_number(v)}"
            for category, v in zip(categories, values, strict=True)
        )
        parts.append(f"{name}: {shown}" if len(series) > 1 else shown)
    return f"Chart: {title}. " + ". ".join(parts) + ". The figures are in the table that follows."


def chart_data(table: Table) -> ChartData | None:
    """The chart a table asks for, or ``None`` if it asks for none or has nothing to draw."""
    spec = table.chart
    if spec is None or not table.rows:
        return None
    rows = table.rows[:-1] if spec.skip_total_row and table.total_row else table.rows
    if not rows:
        return None
    categories = tuple(str(row[0]) for row in rows)
    series = tuple((table.columns[i].title, tuple(_number(row[i]) for row in rows)) for i in spec.value_columns)
    title = spec.title or table.title
    data = ChartData(
        title=title, kind=spec.kind, categories=categories, series=series, alt_text=_describe(title, categories, series)
    )
    return data if data.has_data else None
