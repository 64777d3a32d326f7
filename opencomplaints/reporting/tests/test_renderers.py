"""Every format opens and carries the report's sections, tables and text alternatives; published formats are
suppressed and redacted."""

import io
import json
from datetime import date

import docx
import openpyxl
import pypdf
import pytest

from opencomplaints.reporting.metrics.learning import LearningItem
from opencomplaints.reporting.renderers import render
from opencomplaints.reporting.renderers.xlsx import neutralise, sheet_names
from opencomplaints.reporting.report import build_report
from opencomplaints.reporting.tests.helpers import inputs, rec, sample_records


@pytest.fixture(scope="module")
def report():
    records = [
        *sample_records(),
        rec(kind="query", topic='=HYPERLINK("http://example.org")', received=date(2023, 8, 1)),
    ]
    learning = [
        LearningItem(
            action="Mr Fenwick-Hale to brief the team",
            status="implemented",
            recorded=date(2023, 5, 1),
            implemented=date(2023, 8, 1),
        ),
    ]
    built = inputs(
        records,
        quotes=["Thank you Wendell Strudwick for everything."],
        learning=learning,
        names=frozenset({"Wendell", "Strudwick", "Wendell Strudwick"}),
        context={"population_0_17": 50_000, "referrals": 3_000},
    )
    return build_report(built, generated_on=date(2024, 5, 1))


def test_docx_opens_with_title_contents_and_numbered_sections(report):
    document = docx.Document(io.BytesIO(render(report, "docx")))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert headings[:3] == ["Contents", "1. Summary", "2. About this report"]
    assert "16. Review of the effectiveness of the procedure" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "[Officer narrative:" in text
    assert "Table 1:" in text
    assert len(document.tables) == len(report.tables) - sum(1 for t in report.tables if not t.rows)
    assert len(document.inline_shapes) >= 4
    assert all(shape._inline.docPr.get("descr") for shape in document.inline_shapes)
    assert "TOC" in document.element.xml
    all_cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Wendell" not in all_cells
    assert "Strudwick" not in all_cells
    assert "Fenwick" not in all_cells
    assert "<5" in all_cells  # the sample's small breakdowns are suppressed


def test_xlsx_has_a_sheet_per_table_and_neutralises_formulas(report):
    book = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    names = sheet_names(report.tables)
    assert book.sheetnames == ["Contents", *names.values()]
    assert all(len(name) <= 31 for name in book.sheetnames)
    topics = [row[0] for row in book[names["query_topics"]].iter_rows(min_row=4, values_only=True) if row[0]]
    assert any(str(t).startswith("'=HYPERLINK") for t in topics)
    types = [cell for row in book[names["complainant_type_by_stage"]].iter_rows(values_only=True) for cell in row]
    assert "<5" in types  # three complaints from young people: withheld
    assert neutralise("+1") == "'+1"
    assert neutralise("@x") == "'@x"
    assert neutralise(5) == 5


def test_pdf_has_pages_and_redacted_quotes(report):
    content = render(report, "pdf")
    assert content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 5
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Strudwick" not in text
    assert "Fenwick" not in text
    assert "[name]" in text


def test_html_has_tables_charts_with_text_alternatives_and_redacted_quotes(report):
    html = render(report, "html").decode()
    assert html.count('<table class="govuk-table">') == len(report.tables)
    assert 'role="img"' in html
    assert "<desc id=" in html
    assert "The figures are in the table that follows." in html
    assert "[Officer narrative:" in html
    assert "Strudwick" not in html
    assert "[name]" in html
    assert "&lt;5" in html


def test_json_is_exact_and_keeps_the_core(report):
    document = json.loads(render(report, "json"))
    assert document["schema"] == "opencomplaints.annual-report/1"
    assert "<5" not in json.dumps(document["stages"])
