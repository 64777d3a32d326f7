"""The PDF (reportlab platypus): the same title page, contents, numbered sections, tables, charts and officer
placeholders as the Word document, after small-number suppression (R6.7)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import (
    Table as PdfTable,
)
from reportlab.platypus.tableofcontents import TableOfContents

from opencomplaints.reporting.metrics.table import ColumnKind, Table
from opencomplaints.reporting.renderers.charts import chart_png
from opencomplaints.reporting.renderers.common import DOCUMENT_CHARTS, chart_data, format_cell, publishable
from opencomplaints.reporting.report import AnnualReport

__all__ = ["render_pdf"]

_NUMERIC = {ColumnKind.COUNT, ColumnKind.PERCENT, ColumnKind.MONEY, ColumnKind.NUMBER}
_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("Body", parent=_STYLES["BodyText"], fontName="Helvetica", fontSize=10, leading=13)
_SMALL = ParagraphStyle("Small", parent=_BODY, fontSize=8, leading=10, textColor=colors.HexColor("#505a5f"))
_CELL = ParagraphStyle("Cell", parent=_BODY, fontSize=8, leading=10)
_CELL_RIGHT = ParagraphStyle("CellRight", parent=_CELL, alignment=2)
_CELL_BOLD = ParagraphStyle("CellBold", parent=_CELL, fontName="Helvetica-Bold")
_CELL_BOLD_RIGHT = ParagraphStyle("CellBoldRight", parent=_CELL_BOLD, alignment=2)
_HEADING = ParagraphStyle("SectionHeading", parent=_STYLES["Heading1"], fontSize=16, spaceBefore=6, spaceAfter=8)
_CAPTION = ParagraphStyle("Caption", parent=_BODY, fontName="Helvetica-Bold", spaceBefore=10, spaceAfter=4)
_PLACEHOLDER = ParagraphStyle(
    "Placeholder", parent=_BODY, backColor=colors.HexColor("#fff7bf"), borderPadding=4, spaceBefore=6, spaceAfter=8
)
_CONTENT_WIDTH = A4[0] - 4 * cm


class _Document(SimpleDocTemplate):  # type: ignore[misc]  # reportlab ships no type hints
    """Records each section heading, so the contents page can list it with its page number."""

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == _HEADING.name:
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(table: Table) -> list[Flowable]:
    numeric = [c.kind in _NUMERIC for c in table.columns]
    last = len(table.rows) - 1
    data: list[list[Any]] = [
        [
            _paragraph(c.title, _CELL_BOLD_RIGHT if n else _CELL_BOLD)
            for c, n in zip(table.columns, numeric, strict=True)
        ]
    ]
    for r, row in enumerate(table.rows):
        bold = table.total_row and r == last
        data.append(
            [
                _paragraph(
                    format_cell(v, c),
                    (_CELL_BOLD_RIGHT if n else _CELL_BOLD) if bold else (_CELL_RIGHT if n else _CELL),
                )
                for v, c, n in zip(row, table.columns, numeric, strict=True)
            ]
        )
    widths = _widths(table)
    grid = PdfTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#b1b4b6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
            ]
        )
    )
    return [grid]


def _widths(table: Table) -> list[float]:
    weights = [3.0 if c.kind in {ColumnKind.TEXT, ColumnKind.LABEL} else 1.2 for c in table.columns]
    total = sum(weights)
    return [_CONTENT_WIDTH * w / total for w in weights]


def render_pdf(report: AnnualReport, *, min_cell: int | None = None) -> bytes:
    """The report as a PDF, after small-number suppression."""
    published = publishable(report, min_cell)
    story: list[Flowable] = [
        Spacer(1, 5 * cm),
        _paragraph(published.title, _STYLES["Title"]),
        _paragraph(" and ".join(published.council_names), _STYLES["Heading2"]),
        _paragraph(
            f"{published.period.start.day} {published.period.start:%B %Y} to {published.period.end.day} "
            f"{published.period.end:%B %Y} ({published.procedure_name})",
            _BODY,
        ),
        _paragraph(
            "[Officer narrative: the committee, the meeting date, the report's author and its status.]", _PLACEHOLDER
        ),
        _paragraph(
            f"Generated on {published.generated_on.day} {published.generated_on:%B %Y} from the case records. "
            "Counts from 1 to 4 in breakdowns and equality tables are withheld to protect the people concerned.",
            _SMALL,
        ),
        PageBreak(),
        _paragraph("Contents", _STYLES["Heading1"]),
    ]
    contents = TableOfContents()
    contents.levelStyles = [ParagraphStyle("Contents1", parent=_BODY, leftIndent=0, firstLineIndent=0)]
    story += [contents, PageBreak()]
    table_number = 0
    charts: dict[str, bytes] = {}
    for section in published.sections:
        story.append(_paragraph(f"{section.number}. {section.title}", _HEADING))
        story += [_paragraph(sentence, _BODY) for sentence in section.sentences]
        story += [_paragraph(placeholder, _PLACEHOLDER) for placeholder in section.placeholders]
        for table in section.tables:
            table_number += 1
            story.append(_paragraph(f"Table {table_number}: {table.title}", _CAPTION))
            chart = chart_data(table) if table.key in DOCUMENT_CHARTS else None
            if chart is not None:
                png = charts.setdefault(table.key, chart_png(chart))
                picture = Image(io.BytesIO(png))
                scale = _CONTENT_WIDTH / picture.drawWidth
                picture.drawWidth, picture.drawHeight = _CONTENT_WIDTH, picture.drawHeight * scale
                story += [picture, _paragraph(chart.alt_text, _SMALL)]
            if table.rows:
                story += _table(table)
            else:
                story.append(_paragraph("None in this period.", _BODY))
            story += [_paragraph(note, _SMALL) for note in table.notes]
            if table.source:
                story.append(_paragraph(f"Source: {table.source}", _SMALL))
        story.append(Spacer(1, 0.5 * cm))
    buffer = io.BytesIO()
    document = _Document(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=published.title,
        author=" and ".join(published.council_names),
    )
    # Two passes: the first finds the page of each section, the second writes the contents with them.
    document.multiBuild(story)
    return buffer.getvalue()
