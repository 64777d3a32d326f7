"""The published documents are accessible and committee-ready (the Public Sector Bodies Accessibility Regulations
apply to documents a council publishes): a tagged PDF (PDF/UA-1) with a structure tree, A4 pages, title and
language; a Word document on A4 with the council as author, a title, a table of contents field and page numbers;
and no rule codes, section signs, Markdown or developers' notes in the text of any published format."""

import io
import re
import zipfile
from datetime import date

import docx
import openpyxl
import pypdf
import pytest

from opencomplaints.reporting.metrics.table import Suppressed
from opencomplaints.reporting.renderers import render
from opencomplaints.reporting.renderers.common import public_definition, public_text, publishable
from opencomplaints.reporting.report import build_report
from opencomplaints.reporting.tests.helpers import inputs, rec, sample_records

A4_POINTS = (595.28, 841.89)
#: What no published text may show: rule codes, section signs, Markdown marks and developers' notes.
FORBIDDEN = re.compile(r"\bR\d+\.\d+|§|\*\*|`|\binterchange\b|docstring|\bJSON\b|\blgsco\b|_[a-z]+_", re.IGNORECASE)


@pytest.fixture(scope="module")
def report():
    records = [*sample_records(), rec(kind="query", topic="Transport", received=date(2023, 8, 1))]
    return build_report(inputs(records, context={"population_0_17": 50_000}), generated_on=date(2024, 5, 1))


@pytest.fixture(scope="module")
def pdf(report):
    return pypdf.PdfReader(io.BytesIO(render(report, "pdf")))


@pytest.fixture(scope="module")
def word(report):
    return render(report, "docx")


def test_the_pdf_is_tagged_pdf_ua_on_a4_with_title_language_and_bookmarks(report, pdf):
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert pdf.metadata.title == report.title
    assert pdf.metadata.author == "Borough of Exampleton"
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    for page in pdf.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4_POINTS
    titles = [item.title for item in _flatten(pdf.outline)]
    assert "1. Summary" in titles
    assert "16. Review of the effectiveness of the procedure" in titles


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def _structure_roles(node, roles):
    node = node.get_object()
    if "/S" in node:
        roles.append(str(node["/S"]))
        if node["/S"] == "/Figure":
            assert node.get("/Alt"), "every figure has a text alternative"
    kids = node.get("/K")
    if kids is None:
        return roles
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict):
            _structure_roles(kid, roles)
    return roles


def test_the_pdf_structure_has_headings_tables_with_header_cells_and_figures_with_alt_text(pdf):
    roles = _structure_roles(pdf.trailer["/Root"]["/StructTreeRoot"], [])
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Caption", "/Figure"} <= set(roles)


def test_the_pdf_has_a_contents_page_with_page_numbers_and_numbered_pages(pdf):
    contents = pdf.pages[1].extract_text()
    assert "Contents" in contents
    assert re.search(r"Summary \.+ \d+", contents)
    assert f"Page 2 of {len(pdf.pages)}" in contents


def test_the_word_document_is_a4_with_title_author_contents_and_page_number_fields(report, word):
    document = docx.Document(io.BytesIO(word))
    section = document.sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.title == report.title
    assert document.core_properties.author == "Borough of Exampleton"
    assert document.core_properties.language == "en-GB"
    with zipfile.ZipFile(io.BytesIO(word)) as package:
        body = package.read("word/document.xml").decode()
        footers = "".join(package.read(n).decode() for n in package.namelist() if n.startswith("word/footer"))
        styles = package.read("word/styles.xml").decode()
    assert re.search(r"<w:instrText[^>]*> TOC \\o", body)
    assert "Right-click" not in body
    assert "<w:instrText" in footers
    assert " PAGE " in footers
    assert " NUMPAGES " in footers
    assert 'w:lang w:val="en-GB"' in styles
    # The contents field already lists the sections, in the contents style.
    contents = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "TOC 1"]
    assert contents[0] == "1. Summary"
    assert len(contents) == len(report.sections)
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[1:4] == ["1. Summary", "2. About this report", "3. Context"]
    assert all('<w:tblHeader w:val="true"/>' in t._tbl.xml for t in document.tables)
    assert document.inline_shapes
    assert all(s._inline.docPr.get("descr") for s in document.inline_shapes)


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _html_text(content: bytes) -> str:
    html = content.decode()
    html = re.sub(r"<(style|script|svg)\b.*?</\1>", " ", html, flags=re.DOTALL)
    html = re.sub(r"<!--.*?-->|<[^>]+>", " ", html, flags=re.DOTALL)
    return html


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_no_published_text_carries_rule_codes_markdown_or_developers_notes(report, pdf, word):
    texts = {
        "pdf": "\n".join(page.extract_text() for page in pdf.pages),
        "docx": _docx_text(word),
        "html": _html_text(render(report, "html")),
        "xlsx": _xlsx_text(render(report, "xlsx")),
    }
    for name, text in texts.items():
        # The workbook names each sheet by its table's key (a stable name for those who read it by program).
        pattern = re.compile(FORBIDDEN.pattern.replace("|_[a-z]+_", ""), re.IGNORECASE) if name == "xlsx" else FORBIDDEN
        found = sorted(set(pattern.findall(text)))
        assert not found, f"{name}: {found}"
    assert "How this is counted" in texts["pdf"]


def test_no_equality_table_publishes_a_count_from_1_to_4(report):
    published = publishable(report, 5)
    equality = next(s for s in published.sections if s.key == "equality")
    profile = [t for t in published.tables if t.key.startswith(("equality_", "young_people_"))]
    assert equality.tables
    for table in [*equality.tables, *profile]:
        for row in table.rows:
            for cell, column in zip(row, table.columns, strict=True):
                if column.kind.value == "count":
                    assert not (isinstance(cell, int) and 1 <= cell <= 4), (table.key, row)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Escalation (R1.40 item 3; interchange §2).", "Escalation."),
        ("Counted by ``received`` (interchange §2 ``received_by_quarter``).", "Counted by received."),
        ("The **uphold rate** of *each* issue, R1.41, as shown.", "The uphold rate of each issue, as shown."),
        ("Stage 2 (R1.26).", "Stage 2."),
        ("the panel met in time (R1.31); the report followed", "the panel met in time; the report followed"),
    ],
)
def test_public_text_removes_references_and_markdown(text, expected):
    assert public_text(text) == expected


def test_public_definition_leaves_out_developers_paragraphs_and_fills_in_the_stage(report):
    paragraphs = public_definition(report.table("stage1_issues"))
    assert paragraphs[0].startswith("Stage 1 complaints by issue")
    assert not any("JSON" in p or "``" in p or FORBIDDEN.search(p) for p in paragraphs)


def test_the_report_withholds_consistently_across_its_tables(report):
    published = publishable(report, 5)
    stage_2 = published.table("stage_volumes").cell("Stage 2", "Received")
    assert stage_2 == 1  # the number of stage 2 complaints is published...
    by_area = published.table("service_area_by_stage")
    assert by_area.cell("Total", "Stage 2") == stage_2  # ...the breakdown agrees with it...
    column = [row[2] for row in by_area.rows[:-1]]
    assert sum(1 for v in column if isinstance(v, Suppressed)) >= 2  # ...and does not say which row holds it
    decided = published.table("ombudsman_summary").cell("Decided", "Number")
    assert isinstance(published.table("ombudsman_decisions").cell("Total", "Number"), Suppressed)
    assert isinstance(decided, Suppressed)
