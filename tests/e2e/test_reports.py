"""The annual report in the browser: choose it, ask for a file by keyboard, wait on the file's page (which follows
the job with JavaScript), download it, and find it in "Your report files", with axe reporting no WCAG 2.2 AA
violation on any of the pages."""

import json
from datetime import date

import pytest

from opencomplaints.reporting.models import ReportFile
from opencomplaints.reporting.tasks import report_file_build
from opencomplaints.reporting.tests.builder import CaseBuilder, S
from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPORT = "/reports/?council=exampleton&year=2023&procedure=children_statutory&basis=received"


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], "; ".join(f"{v['id']}: {v['help']}" for v in violations)


@pytest.fixture
def cases(council):
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 4, 3), date(2023, 4, 14), "upheld"))
    b.complaint(S(1, date(2023, 10, 3)))
    b.flush()


def test_ask_for_a_file_by_keyboard_download_it_and_find_it_again(page, complaints_manager, cases):
    sign_in(page, complaints_manager)
    page.goto(REPORT)
    assert_accessible(page)
    page.get_by_role("button", name="Download this report: Machine-readable figures, exact (JSON)").focus()
    page.keyboard.press("Enter")

    # Jobs run where they are enqueued in the tests, so the file is ready when its page opens.
    page.wait_for_selector("text=Your file is ready")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the file").click()
    assert download.value.suggested_filename == "complaints-report-borough-of-exampleton-2023-24.json"
    figures = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert figures["stages"]["1"]["received"] == 2

    page.get_by_role("link", name="Your report files").first.click()
    page.wait_for_selector("text=Files you asked for, newest first")
    assert "Borough of Exampleton: 2023/24" in page.inner_text("table")
    assert_accessible(page)


def test_the_file_page_follows_the_job_and_shows_the_download(page, complaints_manager, cases, settings):
    # The job is kept, not run, so the page waits for it as it does on a server.
    settings.TASKS = {
        **settings.TASKS,
        "background": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["long"]},
    }
    sign_in(page, complaints_manager)
    page.goto(REPORT)
    page.get_by_role("button", name="Download this report: PDF").click()
    page.wait_for_selector("text=Preparing your file")
    assert page.get_by_role("status").is_visible()
    assert_accessible(page)

    report_file_build.call(ReportFile.objects.get().pk)
    # The page's script sees the file is ready and shows it, without anyone refreshing.
    page.wait_for_selector("text=Your file is ready", timeout=15_000)
    assert "PDF" in page.inner_text("dl")
    assert_accessible(page)


def test_the_standalone_html_report_has_no_violations(page):
    from opencomplaints.reporting.renderers import render
    from opencomplaints.reporting.report import build_report
    from opencomplaints.reporting.tests.helpers import inputs, sample_records

    report = build_report(inputs(sample_records()), generated_on=date(2024, 5, 1))
    page.set_content(render(report, "html").decode())
    assert page.title() == report.title
    assert_accessible(page)


TABLES = "/reports/tables/?council=exampleton&year=2023&procedure=children_statutory&subject=stage:1"


def test_the_table_builder_has_no_violations_empty_with_a_result_and_with_an_error(page, complaints_manager, cases):
    page.set_default_timeout(60_000)  # a busy machine
    sign_in(page, complaints_manager)
    page.goto("/reports/tables/")
    assert_accessible(page)
    page.goto(f"{TABLES}&measure=received&rows=quarter&columns=outcome")
    page.wait_for_selector("table")
    assert "Received by quarter" in page.inner_text("main")
    assert_accessible(page)
    page.goto(f"{TABLES}&measure=received&rows=quarter&columns=quarter")  # the same dimension twice
    assert_accessible(page)


def test_the_combined_report_page_has_no_violations(page, complaints_manager, cases):
    page.set_default_timeout(60_000)  # a busy machine: three reports in one page
    sign_in(page, complaints_manager)
    page.goto(REPORT.replace("procedure=children_statutory", "procedure=combined"))
    page.wait_for_selector("text=The council's complaints procedures side by side")
    assert "Council-wide complaints annual report 2023/24" in page.title()
    assert_accessible(page)


def test_the_standalone_combined_html_report_has_no_violations(page):
    from dataclasses import replace

    from opencomplaints.reporting.renderers import render
    from opencomplaints.reporting.report import COMBINED_PARTS, build_report, combine_reports
    from opencomplaints.reporting.tests.helpers import inputs, sample_records

    base = inputs(sample_records())
    parts = [build_report(replace(base, procedure=p), generated_on=date(2024, 5, 1)) for p, _, _ in COMBINED_PARTS]
    report = combine_reports(parts, generated_on=date(2024, 5, 1))
    page.set_content(render(report, "html").decode())
    assert page.title() == report.title
    assert_accessible(page)
