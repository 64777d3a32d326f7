"""The publication pages over HTTP: start a report, write narrative and context figures beside the figures,
submit, approve, publish, download the frozen files and check they can be made again."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from opencomplaints.accounts.tests.personas import member
from opencomplaints.councils.models import Role
from opencomplaints.reporting.models import ContextFigures, ReportDraft
from opencomplaints.reporting.tests.builder import CaseBuilder, S
from opencomplaints.reporting.tests.test_publication import write_everything

pytestmark = pytest.mark.django_db

LIST = reverse("reporting:report-draft-list")


@pytest.fixture(autouse=True)
def _after_the_year():
    with time_machine.travel(datetime(2024, 5, 1, 10, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def cases(council):
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 4, 3), date(2023, 4, 14), "upheld"))
    b.complaint(S(1, date(2023, 10, 3), date(2023, 10, 10), "not_upheld"))
    b.flush()


def detail(draft):
    return reverse("reporting:report-draft-detail", args=[draft.pk])


def step(draft, name):
    return reverse("reporting:report-draft-transition", args=[draft.pk, name])


def start(client, user):
    client.force_login(user)
    response = client.post(LIST, {"council": "exampleton", "procedure": "children_statutory", "year": "2023"})
    draft = ReportDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(draft)
    return draft


def test_the_list_and_starting_a_report(client, council, cases, complaints_officer):
    client.force_login(complaints_officer)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "Start a report" in page.text
    draft = start(client, complaints_officer)
    page = client.get(LIST)
    assert "Borough of Exampleton: Children&#x27;s statutory procedure" in page.text
    again = client.post(LIST, {"council": "exampleton", "procedure": "children_statutory", "year": "2023"})
    assert again.status_code == 400
    assert "already being written" in again.text
    assert ReportDraft.objects.get() == draft


def test_the_draft_page_prefills_the_drafted_sentences(client, council, cases, complaints_officer):
    draft = start(client, complaints_officer)
    page = client.get(detail(draft))
    assert page.status_code == 200
    assert 'id="narrative-summary"' in page.text
    assert "2 in 2023/24" in page.text.split('id="narrative-summary"')[1].split("</textarea>")[0]
    assert "Write about the year&#x27;s main messages" in page.text
    assert 'id="context-figures"' in page.text


def test_narrative_saved_and_a_refusal_keeps_the_text(client, council, cases, complaints_officer):
    draft = start(client, complaints_officer)
    url = reverse("reporting:report-draft-narrative", args=[draft.pk])
    saved = client.post(url, {"section": "summary", "text": "A steady year.", "note": "Check"})
    assert saved.status_code == 302
    assert saved["Location"].endswith("#section-summary")
    assert draft.narratives.get(section="summary").text == "A steady year."
    long = "Words " * 4000
    refused = client.post(url, {"section": "summary", "text": long, "note": ""})
    assert refused.status_code == 400
    assert "There is a problem" in refused.text
    assert "20,000 characters" in refused.text
    assert long.strip()[:200] in refused.text
    assert draft.narratives.get(section="summary").text == "A steady year."


def test_context_figures(client, council, cases, complaints_officer):
    draft = start(client, complaints_officer)
    url = reverse("reporting:report-draft-context", args=[draft.pk])
    refused = client.post(url, {"referrals": "lots", "population_0_17": "-4"})
    assert refused.status_code == 400
    assert "Referrals to children&#x27;s social care must be a whole number" in refused.text
    assert 'value="lots"' in refused.text
    assert not ContextFigures.objects.exists()
    saved = client.post(url, {"referrals": "4100", "population_0_17": "61000"})
    assert saved.status_code == 302
    assert ContextFigures.objects.get().population_0_17 == 61000


def test_submit_approve_publish_download_and_reproduce(client, council, cases, complaints_officer, complaints_manager):
    draft = start(client, complaints_officer)
    refused = client.post(step(draft, "submit"), follow=True)
    assert "Write the narrative for Summary" in refused.text
    write_everything(draft, complaints_officer)
    client.post(step(draft, "submit"))
    client.force_login(complaints_manager)
    page = client.get(detail(draft))
    assert "Approve the report" in page.text
    assert "Note for the approving manager:" in page.text
    client.post(step(draft, "approve"))
    page = client.post(step(draft, "publish"), follow=True)
    assert "The report was published" in page.text
    draft.refresh_from_db()
    assert draft.status == ReportDraft.Status.PUBLISHED
    for stored in draft.files.all():
        response = client.get(reverse("reporting:report-draft-download", args=[draft.pk, stored.file_format]))
        assert response.status_code == 200
        assert response.content == bytes(stored.content)
        assert stored.file_name in response["Content-Disposition"]
    figures = client.get(reverse("reporting:report-draft-download", args=[draft.pk, "json"]))
    assert figures.content == draft.report_json.encode()
    checked = client.post(reverse("reporting:report-draft-reproduce", args=[draft.pk]))
    assert "identical, byte for byte" in checked.text
    assert "Start a correction" in checked.text


def test_return_with_a_comment(client, council, cases, complaints_officer, complaints_manager):
    draft = start(client, complaints_officer)
    write_everything(draft, complaints_officer)
    client.post(step(draft, "submit"))
    client.force_login(complaints_manager)
    url = reverse("reporting:report-draft-return", args=[draft.pk])
    refused = client.post(url, {"comment": ""})
    assert refused.status_code == 400
    assert "Say what needs changing" in refused.text
    client.post(url, {"comment": "Say more about advocacy."})
    client.force_login(complaints_officer)
    page = client.get(detail(draft))
    assert "Say more about advocacy." in page.text
    assert 'id="narrative-summary"' in page.text


def test_who_may_do_what(
    client, council, cases, complaints_officer, complaints_manager, report_viewer, other_council_officer
):
    draft = start(client, complaints_officer)
    write_everything(draft, complaints_officer)
    client.post(step(draft, "submit"))
    page = client.post(step(draft, "approve"), follow=True)
    assert "Only a complaints manager" in page.text
    client.force_login(report_viewer)
    page = client.get(detail(draft))
    assert page.status_code == 200
    assert "Approve the report" not in page.text
    assert "Start a report" not in client.get(LIST).text
    client.force_login(other_council_officer)
    assert client.get(detail(draft)).status_code == 404
    assert client.post(step(draft, "approve")).status_code == 404
    assert client.post(step(draft, "nonsense")).status_code == 404
    assert ReportDraft.objects.get().status == ReportDraft.Status.SUBMITTED


def test_a_second_manager_is_needed_when_the_manager_wrote_it(client, council, cases, complaints_manager):
    draft = start(client, complaints_manager)
    write_everything(draft, complaints_manager)
    client.post(step(draft, "submit"))
    page = client.post(step(draft, "approve"), follow=True)
    assert "Another complaints manager must approve it" in page.text
    second = member(council, "manager.mina", "Mina", "Castellane", Role.COMPLAINTS_MANAGER)
    client.force_login(second)
    client.post(step(draft, "approve"))
    assert ReportDraft.objects.get().status == ReportDraft.Status.APPROVED
