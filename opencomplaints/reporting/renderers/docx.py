"""The committee paper (python-docx) on A4: a title page, a table of contents field (filled in with the sections,
so it reads before Word updates it), numbered sections in heading styles, tables whose header row repeats on every
page, charts as pictures with their text alternative, page numbers in the footer, the council as author and the
report's title in the document properties, sentences drafted from the figures, and highlighted "[Officer
narrative: …]" places for officers to write in. Small numbers are suppressed first (R6.7)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from docx.text.paragraph import Paragraph

from opencomplaints.reporting.metrics.table import ColumnKind, Table
from opencomplaints.reporting.renderers.charts import chart_png
from opencomplaints.reporting.renderers.common import (
    DOCUMENT_CHARTS,
    chart_data,
    format_cell,
    min_cell_setting,
    public_text,
    publishable,
)
from opencomplaints.reporting.renderers.stable import stable_zip
from opencomplaints.reporting.report import AnnualReport, base_key

__all__ = ["render_docx"]

_NUMERIC = {ColumnKind.COUNT, ColumnKind.PERCENT, ColumnKind.MONEY, ColumnKind.NUMBER}


def _field_char(paragraph: Paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _field_start(paragraph: Paragraph, instruction: str) -> None:
    """The start of a Word field (``PAGE``, ``TOC``…); what follows up to :func:`_field_char` ``end`` is its
    current result, which Word replaces when fields are updated."""
    _field_char(paragraph, "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    paragraph.add_run()._r.append(text)
    _field_char(paragraph, "separate")


def _field(paragraph: Paragraph, instruction: str, result: str) -> None:
    _field_start(paragraph, instruction)
    paragraph.add_run(result)
    _field_char(paragraph, "end")


def _contents(document: object, titles: list[str]) -> None:
    """A real table of contents field, its result already the list of sections (page numbers are added when Word
    updates the field, which it offers to do on opening)."""
    styles = document.styles  # type: ignore[attr-defined]
    if "TOC 1" not in styles:
        styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH).base_style = styles["Normal"]
    for i, title in enumerate(titles):
        paragraph = _styled(document, "", "TOC1")
        if i == 0:
            _field_start(paragraph, 'TOC \\o "1-1" \\h \\z \\u')
        paragraph.add_run(title)
        if i == len(titles) - 1:
            _field_char(paragraph, "end")


def _page_numbers(section: object) -> None:
    """ "Page N of M" in the footer of every page."""
    footer = section.footer  # type: ignore[attr-defined]
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = 1  # centred
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")


def _language(document: object, tag: str) -> None:
    """The document's proofing language, on the default run properties."""
    styles = document.styles.element  # type: ignore[attr-defined]
    defaults = styles.find(qn("w:docDefaults"))
    run_props = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_props.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_props.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), tag)


def _update_fields_on_open(document: object) -> None:
    settings = document.settings.element  # type: ignore[attr-defined]
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _styled(document: object, text: str, style_id: str) -> Paragraph:
    # Setting the style id directly: python-docx's style lookup by name scans every style for each paragraph.
    paragraph: Paragraph = document.add_paragraph(text)  # type: ignore[attr-defined]
    paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _placeholder(document: object, text: str) -> None:
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    run = paragraph.add_run(text)
    run.bold = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _write_table(document: object, table: Table, number: int) -> None:
    _styled(document, f"Table {number}: {table.title}", "Caption")
    chart = chart_data(table) if base_key(table.key) in DOCUMENT_CHARTS else None
    if chart is not None:
        document.add_picture(io.BytesIO(chart_png(chart)), width=Cm(15.5))  # type: ignore[attr-defined]
        _styled(document, chart.alt_text, "Caption")
        picture = document.inline_shapes[-1]  # type: ignore[attr-defined]
        picture._inline.docPr.set("descr", chart.alt_text)
        picture._inline.docPr.set("title", chart.title)
    if not table.rows:
        document.add_paragraph("None in this period.")  # type: ignore[attr-defined]
        return
    body = document.element.body  # type: ignore[attr-defined]
    body.find(qn("w:sectPr")).addprevious(parse_xml(_table_xml(table)))
    for note in table.notes:
        _styled(document, public_text(note), "Caption")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_xml(text: str, *, bold: bool, right: bool) -> str:
    paragraph_props = '<w:pPr><w:jc w:val="right"/></w:pPr>' if right else ""
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    safe = escape(_CONTROL.sub("", text))
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p>{paragraph_props}<w:r>{run_props}'
        f'<w:t xml:space="preserve">{safe}</w:t></w:r></w:p></w:tc>'
    )


def _table_xml(table: Table) -> str:
    """The table as WordprocessingML, built as one string: python-docx's cell-by-cell API is too slow for a
    report of sixty tables. The header row repeats on every page the table runs to."""
    numeric = [c.kind in _NUMERIC for c in table.columns]
    header = "".join(_cell_xml(c.title, bold=True, right=n) for c, n in zip(table.columns, numeric, strict=True))
    rows = [f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{header}</w:tr>']
    last = len(table.rows) - 1
    for r, row in enumerate(table.rows):
        bold = table.total_row and r == last
        cells = "".join(
            _cell_xml(format_cell(v, c), bold=bold, right=n)
            for v, c, n in zip(row, table.columns, numeric, strict=True)
        )
        rows.append(f"<w:tr>{cells}</w:tr>")
    grid = "<w:gridCol/>" * len(table.columns)
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f'<w:jc w:val="center"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
    )


def render_docx(report: AnnualReport, *, min_cell: int | None = None) -> bytes:
    """The report as a Word document ready for committee, after small-number suppression."""
    threshold = min_cell_setting() if min_cell is None else min_cell
    published = publishable(report, threshold)
    council = " and ".join(published.council_names)
    document = Document()
    properties = document.core_properties
    properties.title = published.title
    properties.author = council
    properties.last_modified_by = council
    properties.subject = f"Complaints annual report, {published.period.label}"
    properties.language = "en-GB"
    properties.comments = ""
    properties.keywords = "complaints; annual report"
    properties.created = properties.modified = datetime(
        published.generated_on.year, published.generated_on.month, published.generated_on.day, tzinfo=UTC
    )
    properties.revision = 1
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    _page_numbers(section)
    _language(document, "en-GB")
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)

    document.add_paragraph(published.title, style="Title")
    document.add_paragraph(council, style="Subtitle")
    document.add_paragraph(
        f"{published.period.start.day} {published.period.start:%B %Y} to {published.period.end.day} "
        f"{published.period.end:%B %Y} ({published.procedure_name})"
    )
    if not published.published:
        _placeholder(
            document, "[Officer narrative: the committee, the meeting date, the report's author and its status.]"
        )
    made = "Published" if published.published else "Generated"
    document.add_paragraph(
        f"{made} on {published.generated_on.day} {published.generated_on:%B %Y} from the case records. Counts "
        "from 1 to 4 in breakdowns and equality tables are withheld to protect the people concerned."
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    document.add_heading("Contents", level=1)
    _contents(document, [f"{s.number}. {s.title}" for s in published.sections])
    _update_fields_on_open(document)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    table_number = 0
    for report_section in published.sections:
        document.add_heading(f"{report_section.number}. {report_section.title}", level=1)
        for sentence in report_section.sentences:
            document.add_paragraph(public_text(sentence))
        for placeholder in report_section.placeholders:
            _placeholder(document, placeholder)
        for table in report_section.tables:
            table_number += 1
            _write_table(document, table, table_number)
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), published.generated_on)
