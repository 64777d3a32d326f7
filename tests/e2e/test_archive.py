"""The archive import page in the browser (docs/archive.md): a broken archive refused with the reason, a good one
imported, by keyboard, with axe reporting no WCAG 2.2 AA violation on either page."""

import pytest

from opencomplaints.accounts.tests.personas import superuser
from opencomplaints.councils.models import Council
from opencomplaints.interchange.archive import archive_export
from opencomplaints.interchange.tests.archive_world import empty_installation
from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def test_a_system_administrator_imports_an_archive_by_keyboard(page, complaints_manager, council, tmp_path):
    data, _counts = archive_export(councils=[council], acting_user=None)
    empty_installation()
    good = tmp_path / "exampleton.zip"
    good.write_bytes(data)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(data[: len(data) // 2])
    sign_in(page, superuser())

    page.goto("/data/imports/archive/")
    assert_accessible(page)
    page.get_by_label("Upload an archive").set_input_files(str(broken))
    page.get_by_role("button", name="Check and import the archive").focus()
    page.keyboard.press("Enter")
    # The upload starts the import's job; its page shows why nothing was imported.
    page.wait_for_selector("text=The archive was not imported")
    assert "is not a zip file" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)

    page.goto("/data/imports/archive/")
    page.get_by_label("Upload an archive").set_input_files(str(good))
    page.get_by_role("button", name="Check and import the archive").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Archive imported")
    assert_accessible(page)
    assert Council.objects.filter(slug=council.slug).exists()
