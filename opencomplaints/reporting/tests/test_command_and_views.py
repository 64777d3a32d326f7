"""The report command and the report pages."""

import io
import json
from datetime import date
from urllib.parse import urlencode

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from opencomplaints.reporting.models import ReportFile
from opencomplaints.reporting.tests.builder import CaseBuilder, S

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(council):
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 4, 3), date(2023, 4, 14), "upheld"), teams=(("Fostering", "Children in Care"),))
    b.complaint(S(1, date(2023, 10, 3)))
    b.other("query", date(2023, 7, 1), topic="Schools")
    b.flush()


def test_json_to_the_screen(data, capsys):
    call_command("report", "--year", "2023", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    assert document["period"] == {"start": "2023-04-01", "end": "2024-03-31"}
    assert document["stages"]["1"]["received"] == 2
    assert document["other_representations"]["query"] == 1


def test_docx_to_a_file_and_quarters(data, tmp_path):
    out = tmp_path / "report.docx"
    call_command("report", "--year", "2023", "--format", "docx", "--out", str(out), stdout=io.StringIO())
    headings = [
        p.text for p in docx.Document(str(out)).paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert "1. Summary" in headings
    quarter = tmp_path / "q.json"
    call_command("report", "--year", "2023", "--quarter", "Q3", "--out", str(quarter), stdout=io.StringIO())
    assert json.loads(quarter.read_text())["period"] == {"start": "2023-10-01", "end": "2023-12-31"}
    custom = tmp_path / "c.json"
    call_command("report", "--start", "01/10/2023", "--end", "2023-10-31", "--out", str(custom), stdout=io.StringIO())
    assert json.loads(custom.read_text())["stages"]["1"]["received"] == 1


def test_errors_are_plain(council, other_council):
    with pytest.raises(CommandError, match="several councils"):
        call_command("report", "--year", "2023")
    with pytest.raises(CommandError, match="There is no council with the slug nowhere"):
        call_command("report", "--year", "2023", "--council", "nowhere")
    with pytest.raises(CommandError, match="--out FILE"):
        call_command("report", "--year", "2023", "--council", "exampleton", "--format", "pdf")
    with pytest.raises(CommandError, match="Say which period"):
        call_command("report", "--council", "exampleton")
    with pytest.raises(CommandError, match="both --start and --end"):
        call_command("report", "--start", "2023-04-01", "--council", "exampleton")


def test_combined_report_of_several_councils(council, other_council, capsys):
    for each in (council, other_council):
        b = CaseBuilder(each)
        b.complaint(S(1, date(2023, 5, 1)))
        b.flush()
    call_command("report", "--year", "2023", "--all-councils")
    document = json.loads(capsys.readouterr().out)
    assert document["stages"]["1"]["received"] == 2
    assert document["councils"] == ["Borough of Exampleton", "Northby District Council"]
    call_command("report", "--year", "2023", "--council", "northby")
    assert json.loads(capsys.readouterr().out)["stages"]["1"]["received"] == 1


def test_pages_need_a_signed_in_user(client):
    response = client.get(reverse("reporting:report"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_report_page_shows_the_report_with_downloads(client, complaints_manager, data):
    client.force_login(complaints_manager)
    form = client.get(reverse("reporting:report"))
    assert form.status_code == 200
    assert b"Annual complaints report" in form.content
    response = client.get(
        reverse("reporting:report"),
        {"council": "exampleton", "year": "2023", "procedure": "children_statutory", "basis": "received"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<table class="govuk-table">' in html
    assert 'role="img"' in html
    # Each format is a button asking for the file (opencomplaints/reporting/tests/test_report_files.py).
    assert '<input type="hidden" name="format" value="docx">' in html


def test_a_user_sees_only_their_councils(client, other_council_officer, data):
    client.force_login(other_council_officer)
    query = {"council": "exampleton", "year": "2023", "procedure": "children_statutory", "basis": "received"}
    response = client.get(reverse("reporting:report"), query)
    assert response.status_code == 200
    assert b'<table class="govuk-table">' not in response.content  # no report: the choice is not theirs
    asked = client.post(reverse("reporting:report-file-request"), {"query": urlencode(query), "format": "json"})
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("reporting:report"))  # back to the page that says why
    assert not ReportFile.objects.exists()


def test_the_combined_council_wide_report_in_every_format(data, tmp_path, capsys):
    call_command("report", "--year", "2023", "--combined", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    assert document["procedure"] == "combined"
    assert set(document["parts"]) == {"children_statutory", "adults_statutory", "corporate"}
    assert document["parts"]["children_statutory"]["stages"]["1"]["received"] == 2
    assert document["tables"]["side_by_side"]["columns"] == [
        "",
        "Children's social care",
        "Adult social care",
        "Corporate complaints",
    ]
    for fmt in ("html", "docx", "pdf", "xlsx"):
        out = tmp_path / f"combined.{fmt}"
        call_command("report", "--year", "2023", "--combined", "--format", fmt, "--out", str(out), stdout=io.StringIO())
        assert out.stat().st_size > 0
    headings = [
        p.text
        for p in docx.Document(str(tmp_path / "combined.docx")).paragraphs
        if p.style is not None and p.style.name == "Heading 1"
    ]
    assert headings[1] == "1. The council's complaints procedures"
    assert "2. Children's social care: Summary" in headings
    assert any(h.endswith("Adult social care: Summary") for h in headings)
    assert any(h.endswith("Corporate complaints: Summary") for h in headings)
