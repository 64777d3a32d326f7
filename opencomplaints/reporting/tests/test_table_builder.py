"""The table builder page: a table by any dimension on the page, suppressed, downloaded as CSV or XLSX, and saved
to the council's annual report, which then draws it in every format, suppressed with the rest of the document."""

import io
from datetime import date

import docx
import openpyxl
import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.reporting.metrics.crosstab import SavedQuery, TableQuery
from opencomplaints.reporting.models import SavedTable
from opencomplaints.reporting.renderers import render
from opencomplaints.reporting.renderers.common import publishable
from opencomplaints.reporting.report import build_report
from opencomplaints.reporting.tests.builder import CaseBuilder, S
from opencomplaints.reporting.tests.helpers import inputs, rec

pytestmark = pytest.mark.django_db

QUERY = {
    "council": "exampleton",
    "year": "2023",
    "procedure": "children_statutory",
    "subject": "stage:1",
    "measure": "received",
    "rows": "team",
}


@pytest.fixture
def data(council):
    b = CaseBuilder(council)
    for _ in range(6):
        b.complaint(S(1, date(2023, 6, 5), date(2023, 6, 19), "upheld"), teams=(("Fostering", "Children in Care"),))
    b.complaint(S(1, date(2023, 6, 5), date(2023, 6, 30), "upheld"), teams=(("Assessment", "Localities"),))
    b.flush()


def test_the_page_counts_and_suppresses(client, complaints_manager, data):
    client.force_login(complaints_manager)
    assert client.get(reverse("reporting:table-builder")).status_code == 200
    html = client.get(reverse("reporting:table-builder"), QUERY).content.decode()
    assert '<table class="govuk-table">' in html
    assert ">6<" in html  # Fostering, 6 received
    assert "&lt;5" in html  # Assessment's 1 is withheld
    assert "Save to report" in html
    assert AuditEvent.objects.filter(event_type=AuditEventType.REPORT_GENERATED).exists()


def test_a_bad_choice_is_an_error_on_the_page(client, complaints_manager, data):
    client.force_login(complaints_manager)
    response = client.get(reverse("reporting:table-builder"), QUERY | {"rows": "quarter", "measure": "open_at_end"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "no quarter" in response.content.decode()


def test_downloads_are_suppressed(client, complaints_manager, data):
    client.force_login(complaints_manager)
    csv = client.get(reverse("reporting:table-builder"), QUERY | {"download": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines() == ["Team,Received", "Assessment,<5", "Fostering,6"]
    xlsx = client.get(reverse("reporting:table-builder"), QUERY | {"download": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "<5" in values
    assert 6 in values


def test_saving_to_the_report_and_removing(client, complaints_manager, data):
    client.force_login(complaints_manager)
    query = "&".join(f"{k}={v}" for k, v in QUERY.items())
    response = client.post(reverse("reporting:table-builder"), {"query": query, "title": "Complaints by team"})
    assert response.status_code == 302
    saved = SavedTable.objects.get()
    assert (saved.measure, saved.rows, saved.stage, saved.procedure) == ("received", "team", 1, "children_statutory")
    assert AuditEvent.objects.filter(event_type=AuditEventType.SAVED_TABLE_CREATED).count() == 1
    report = client.get(
        reverse("reporting:report"), {**{k: QUERY[k] for k in ("council", "year", "procedure")}, "basis": "received"}
    )
    assert "Complaints by team, 2023/24" in report.content.decode()
    client.post(reverse("reporting:table-builder"), {"query": query, "remove": saved.pk})
    assert not SavedTable.objects.exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.SAVED_TABLE_REMOVED).count() == 1


def test_a_report_viewer_may_look_but_not_save(client, report_viewer, data):
    client.force_login(report_viewer)
    html = client.get(reverse("reporting:table-builder"), QUERY).content.decode()
    assert "<table" in html
    assert "Save to report" not in html
    query = "&".join(f"{k}={v}" for k, v in QUERY.items())
    client.post(reverse("reporting:table-builder"), {"query": query, "title": "Mine"})
    assert not SavedTable.objects.exists()


def _saved_report():
    records = [rec(teams=("Fostering",), received=date(2023, 6, 5)) for _ in range(7)]
    records.append(rec(teams=("Assessment",), received=date(2023, 6, 5)))
    saved = SavedQuery(
        key="saved_1", title="Complaints by team", query=TableQuery(measure="received", stage=1, rows="team")
    )
    from dataclasses import replace

    return build_report(replace(inputs(records), saved_tables=[saved]), generated_on=date(2024, 6, 1))


def test_a_saved_table_is_in_every_format_and_suppressed_with_the_document():
    report = _saved_report()
    table = report.table("saved_1")
    assert table.title == "Complaints by team, 2023/24"
    published = publishable(report).table("saved_1")
    assert [str(row[1]) for row in published.rows] == ["<5", "7"]
    assert "Complaints by team, 2023/24" in render(report, "html").decode()
    document = docx.Document(io.BytesIO(render(report, "docx")))
    assert any("Complaints by team" in p.text for p in document.paragraphs) or any(
        "Complaints by team" in cell.text for t in document.tables for row in t.rows for cell in row.cells
    )
    book = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    assert "saved_1" in book.sheetnames
    assert render(report, "pdf").startswith(b"%PDF")
