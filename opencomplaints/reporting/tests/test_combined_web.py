"""The combined council-wide report on the web: offered on the report page beside each procedure's report, made
as a file by the same background job (JSON, DOCX, tagged PDF), and written, approved and published through the
same workflow as each procedure's report."""

import io
import json
from datetime import UTC, date, datetime
from typing import Any

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from opencomplaints.common.errors import DomainError
from opencomplaints.reporting import services
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.models import ReportDraft, ReportFile
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.report import narrative_prompts, section_keys
from opencomplaints.reporting.services.publication import draft_report
from opencomplaints.reporting.tests.builder import CaseBuilder, S

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
TITLE = "Council-wide complaints annual report 2023/24"


@pytest.fixture
def cases(council):
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 4, 3), date(2023, 4, 14), "upheld"))
    b.complaint(S(1, date(2023, 10, 3), date(2023, 10, 10), "not_upheld"))
    b.complaint(S(1, date(2023, 6, 5), date(2023, 6, 20), "upheld"), procedure="corporate")
    b.complaint(S(1, date(2023, 7, 5), date(2023, 9, 20), "not_upheld"), procedure="adults_statutory")
    b.flush()


def test_the_report_page_offers_the_combined_report(client, council, cases, complaints_manager):
    client.force_login(complaints_manager)
    form = client.get(reverse("reporting:report")).text
    assert 'value="combined"' in form
    query = "council=exampleton&year=2023&procedure=combined&basis=received"
    page = client.get(f"{reverse('reporting:report')}?{query}")
    assert page.status_code == 200
    assert TITLE in page.text
    assert "The council&#x27;s complaints procedures side by side" in page.text
    assert "Adult social care: Summary" in page.text
    # The table builder counts one procedure's records: the combined report is not one of its choices.
    assert 'value="combined"' not in client.get(reverse("reporting:table-builder")).text


@pytest.mark.parametrize("file_format", ["json", "docx", "pdf"])
def test_the_background_job_makes_the_combined_report_in_each_format(council, cases, complaints_manager, file_format):
    asked = services.report_file_request(
        acting_user=complaints_manager,
        councils=[council],
        period=reporting_year(2023),
        procedure="combined",
        basis=Basis.RECEIVED,
        file_format=file_format,
        now=timezone.now(),
    )
    made = services.report_file_build(report_file_id=asked.pk)
    assert made is not None
    assert made.status == ReportFile.Status.READY, made.error_message
    content = services.report_file_open(report_file=made, acting_user=complaints_manager).read()
    if file_format == "json":
        parts = json.loads(content)["parts"]
        assert set(parts) == {"children_statutory", "adults_statutory", "corporate"}
        assert parts["corporate"]["stages"]["1"]["received"] == 1
        assert parts["children_statutory"]["stages"]["1"]["received"] == 2
    elif file_format == "docx":
        document = docx.Document(io.BytesIO(content))
        assert document.core_properties.title == TITLE
        headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
        assert "2. Children's social care: Summary" in headings
    else:
        reader = PdfReader(io.BytesIO(content))
        root: Any = reader.trailer["/Root"]
        metadata: Any = reader.metadata
        assert metadata.title == TITLE
        assert "/StructTreeRoot" in root  # tagged
        assert root["/Lang"] == "en-GB"


def test_the_combined_report_is_written_approved_and_published_like_the_others(
    council, cases, complaints_officer, complaints_manager
):
    corporate = services.report_draft_start(
        council=council, procedure="corporate", year=2023, acting_user=complaints_officer, now=NOW
    )
    services.report_narrative_save(
        draft=corporate, section="summary", text="The corporate year in brief.", acting_user=complaints_officer, now=NOW
    )
    draft = services.report_draft_start(
        council=council, procedure="combined", year=2023, acting_user=complaints_officer, now=NOW
    )
    # It starts from what was written for each procedure's own report.
    assert draft.narratives.get(section="corporate.summary").text == "The corporate year in brief."
    with pytest.raises(DomainError, match="no section called summary"):
        services.report_narrative_save(
            draft=draft, section="summary", text="x", acting_user=complaints_officer, now=NOW
        )
    for section in narrative_prompts(draft_report(draft, generated_on=date(2024, 5, 1))):
        assert section in section_keys("combined")
        services.report_narrative_save(
            draft=draft, section=section, text=f"What {section} says.", acting_user=complaints_officer, now=NOW
        )
    services.report_submit(draft=draft, acting_user=complaints_officer, now=NOW)
    services.report_approve(draft=draft, acting_user=complaints_manager, now=NOW)
    published = services.report_publish(draft=draft, acting_user=complaints_manager, now=NOW)
    assert published.status == ReportDraft.Status.PUBLISHED
    frozen = json.loads(published.report_json)
    assert frozen["parts"] == ["children", "adults", "corporate"]
    assert "What adults.summary says." in published.report_json
    assert {f.file_format for f in published.files.all()} == {"html", "pdf", "docx", "xlsx"}
    assert all(r.identical for r in services.report_reproduce(draft=published))


def test_the_combined_draft_page(client, council, cases, complaints_officer):
    draft = services.report_draft_start(
        council=council, procedure="combined", year=2023, acting_user=complaints_officer, now=NOW
    )
    client.force_login(complaints_officer)
    page = client.get(reverse("reporting:report-draft-detail", args=[draft.pk])).text
    assert TITLE in page
    assert 'name="section" value="corporate.summary"' in page
    assert 'id="context-figures"' in page  # the context figures beside the children's part's context section
