"""Import and export in the browser: upload → validation report → mapping → confirm → result, by keyboard, with
axe reporting no WCAG 2.2 AA violation on any of the pages."""

import pytest

from opencomplaints.interchange.models import ImportRun
from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "ref,case_ref,kind,stage,received,responded,outcome,teams,received_via,topic,summary\n"
FILE = (
    HEADER
    + "E2E-1,E2E-1,complaint,1,2023-05-26,2023-06-09,Partly Upheld,Leaving Care Team,email,,Late visits\n"
    + "E2E-2,,query,,2023-06-01,2023-06-05,,,phone,Council tax,\n"
)


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def test_upload_report_map_confirm_and_done_by_keyboard(page, complaints_manager, tmp_path):
    upload = tmp_path / "legacy.csv"
    upload.write_text(FILE)
    sign_in(page, complaints_manager)
    page.goto("/data/imports/new/")
    assert_accessible(page)
    page.get_by_label("Upload a file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and check the file").focus()
    page.keyboard.press("Enter")

    page.wait_for_selector("text=There is a problem with the file")
    assert "Partly Upheld is not a valid outcome" in page.inner_text("table")
    assert_accessible(page)

    outcome = page.get_by_label("“Partly Upheld” in outcome")
    outcome.focus()
    outcome.select_option("partly_upheld")
    team = page.get_by_label("“Leaving Care Team” in teams")
    team.select_option(label="Create a new team called “Leaving Care Team”")
    page.get_by_role("button", name="Save what these labels mean").focus()
    page.keyboard.press("Enter")

    page.wait_for_selector("text=Ready to import")
    assert_accessible(page)
    page.get_by_role("button", name="Import 2 records").focus()
    page.keyboard.press("Enter")

    page.wait_for_selector("text=Records imported")
    assert_accessible(page)
    run = ImportRun.objects.get()
    assert (run.status, run.created) == ("completed", 2)

    page.goto("/data/imports/")
    assert "legacy.csv" in page.inner_text("table")
    assert_accessible(page)


def test_progress_export_and_subject_access_pages_are_accessible(page, complaints_manager, council):
    ImportRun.objects.create(
        council=council, started_by=complaints_manager, status="running", file_name="big.csv", rows=100_000
    )
    sign_in(page, complaints_manager)
    page.goto(f"/data/imports/{ImportRun.objects.get().pk}/progress/")
    assert page.locator("progress").is_visible()
    assert_accessible(page)
    page.goto("/data/export/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_label("JSON Lines, for other systems").check()
        page.get_by_role("button", name="Download the records").click()
    assert download.value.suggested_filename.endswith(".jsonl")
    page.goto("/data/subject-access/")
    page.get_by_role("button", name="Download their data").click()
    page.wait_for_selector("text=There is a problem")
    assert_accessible(page)


def test_an_import_whose_process_died_shows_as_failed_and_accessible(page, complaints_manager, council):
    from datetime import timedelta

    from django.utils import timezone

    # Confirmed an hour ago and never heard from since: the process running it died.
    started = timezone.now() - timedelta(hours=1)
    run = ImportRun.objects.create(
        council=council, started_by=complaints_manager, status="running", file_name="big.csv", rows=100_000
    )
    ImportRun.objects.filter(pk=run.pk).update(started_at=started, updated_at=started)
    sign_in(page, complaints_manager)
    page.goto(f"/data/imports/{run.pk}/progress/")
    page.wait_for_selector("text=The import did not finish")
    assert "nothing was heard from it for 10 minutes" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_role("link", name="Upload the file again to start the import again").click()
    page.wait_for_selector("text=Upload a file")
