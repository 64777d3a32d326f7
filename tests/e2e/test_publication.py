"""The publication pages in the browser: start a report, write a section's narrative by keyboard beside its
figures, and see the published report with its frozen files, with axe reporting no WCAG 2.2 AA violation on the
list, the draft page (also with an error), the approval view and the published report."""

from datetime import UTC, date, datetime

import pytest

from opencomplaints.accounts.tests.personas import member
from opencomplaints.councils.models import Role
from opencomplaints.reporting import services
from opencomplaints.reporting.models import ReportDraft
from opencomplaints.reporting.tests.builder import CaseBuilder, S
from opencomplaints.reporting.tests.test_publication import write_everything
from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOW = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], "; ".join(f"{v['id']}: {v['help']}" for v in violations)


@pytest.fixture
def cases(council):
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 4, 3), date(2023, 4, 14), "upheld"))
    b.complaint(S(1, date(2023, 10, 3), date(2023, 10, 10), "not_upheld"))
    b.flush()


def test_start_a_report_and_write_a_narrative_by_keyboard(page, complaints_officer, cases):
    sign_in(page, complaints_officer)
    page.goto("/reports/publication/")
    assert_accessible(page)
    page.get_by_label("Corporate procedure").check()
    page.get_by_label("Reporting year").select_option(label="2023/24")
    page.get_by_role("button", name="Start the report").click()
    page.wait_for_selector("text=The report was started")
    assert_accessible(page)

    box = page.get_by_label("Narrative for “Summary”")
    box.fill("")
    box.focus()
    page.keyboard.type("Complaints were answered faster this year.")
    page.keyboard.press("Tab")  # the note for the approving manager
    page.keyboard.press("Tab")  # the section's save button
    page.keyboard.press("Enter")
    page.wait_for_selector("text=The narrative was saved")
    draft = ReportDraft.objects.get()
    assert draft.narratives.get(section="summary").text == "Complaints were answered faster this year."

    page.get_by_label("Population aged 0 to 17").fill("many")
    page.get_by_role("button", name="Save the context figures").click()
    page.wait_for_selector("text=There is a problem")
    assert_accessible(page)


def test_the_approval_and_published_pages_have_no_violations(page, council, complaints_officer, cases):
    manager = member(council, "manager.mina", "Mina", "Castellane", Role.COMPLAINTS_MANAGER)
    draft = services.report_draft_start(
        council=council, procedure="children_statutory", year=2023, acting_user=complaints_officer, now=NOW
    )
    write_everything(draft, complaints_officer)
    services.report_submit(draft=draft, acting_user=complaints_officer, now=NOW)
    sign_in(page, manager)
    page.goto(f"/reports/publication/{draft.pk}/")
    page.wait_for_selector("text=Approve the report")
    assert_accessible(page)
    page.get_by_role("button", name="Return the report").click()
    page.wait_for_selector("text=There is a problem")
    assert_accessible(page)

    services.report_approve(draft=draft, acting_user=manager, now=NOW)
    services.report_publish(draft=draft, acting_user=manager, now=NOW)
    page.goto(f"/reports/publication/{draft.pk}/")
    # Making the four files again (a PDF among them) takes a while on a busy machine.
    page.set_default_timeout(120_000)
    page.get_by_role("button", name="Check the files can be made again").click()
    page.wait_for_selector("text=identical, byte for byte")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the published report as DOCX").click()
    assert download.value.path().read_bytes() == bytes(draft.files.get(file_format="docx").content)


def test_quotes_are_reviewed_with_their_redactions_marked(page, council, complaints_officer, cases):
    manager = member(council, "manager.mina", "Mina", "Castellane", Role.COMPLAINTS_MANAGER)
    b = CaseBuilder(council)
    b.other("compliment", date(2023, 5, 2), quote="Thank you, Mrs Okonkwo-Bell, for calling back on 07700 900123.")
    b.other("compliment", date(2023, 6, 2), quote="The duty team listened to us.")
    b.flush()
    draft = services.report_draft_start(
        council=council, procedure="children_statutory", year=2023, acting_user=complaints_officer, now=NOW
    )
    page.set_default_timeout(60_000)  # a busy machine
    sign_in(page, manager)
    page.goto(f"/reports/publication/{draft.pk}/")
    page.wait_for_selector("text=2 quotes waiting for review.")
    # What is taken out is struck through and outlined, and says so to a screen reader.
    removed = page.locator("del.app-redaction").first
    assert "taken out" in removed.inner_text()
    assert " ".join(page.locator("mark.app-redaction").first.inner_text().split()) == "(put in its place: [name] )"
    assert_accessible(page)
    page.get_by_role("button", name="Approve quote 1 as redacted").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=The quote was approved.")
    assert "1 quote waiting for review." in page.inner_text("main")
    page.get_by_text("Change the words of quote 2").click()
    page.get_by_label("The words to publish for quote 2").fill("")
    page.get_by_role("button", name="Approve my changes to quote 2").click()
    page.wait_for_selector("text=There is a problem")
    assert_accessible(page)
