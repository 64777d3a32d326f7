"""The case page's Change links in a browser (issue 15, item 2): follow one, correct the detail, see it on the case
page; every detail's Change form has no WCAG 2.2 AA violation."""

import re

import pytest

from opencomplaints.cases.tests import factories as f
from tests.e2e.conftest import axe_violations, sign_in
from tests.e2e.test_casework import describe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mistyped(council, complaints_officer):
    return f.register(
        council,
        complaints_officer,
        summary="Mother says the social worker missed two visits.",
        complainants=[f.complainant(first_name="Jhon", last_name="Marsh", email="j.marsh@example.com")],
    )


def test_a_mistyped_name_corrected_through_its_change_link(page, complaints_officer, mistyped):
    sign_in(page, complaints_officer)
    page.goto(f"/cases/{mistyped.pk}/")
    assert "Jhon Marsh" in page.inner_text("main")

    page.get_by_role("link", name="Change the complainant's name").click()
    page.wait_for_selector("h1")
    assert page.input_value("#id_first_name") == "Jhon"
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    # Emptied by mistake: refused, with the error summary linking to the field, and nothing saved.
    page.fill("#id_first_name", "")
    page.fill("#id_last_name", "")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter the complainant's last name" in page.inner_text(".govuk-error-summary")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.fill("#id_first_name", "John")
    page.fill("#id_last_name", "Marsh")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "Complainant's name changed" in page.inner_text(".govuk-notification-banner--success")
    assert re.search(rf"/cases/{mistyped.pk}/$", page.url)
    details = page.inner_text("main").split("Timeline, notes and contacts")
    assert "John Marsh" in details[0]
    assert "Jhon Marsh" not in details[0]
    assert "Jhon, changed to John" in details[-1]


def test_every_change_form_of_the_case_page_has_no_violations(page, complaints_manager, mistyped):
    sign_in(page, complaints_manager)
    page.goto(f"/cases/{mistyped.pk}/")
    links = page.locator("main a", has_text=re.compile(r"^Change"))
    targets = sorted({links.nth(i).get_attribute("href") for i in range(links.count())})
    assert len(targets) >= 8
    for target in targets:
        page.goto(target)
        assert page.locator("main form").count() >= 1, target
        violations = axe_violations(page)
        assert violations == [], f"{target}: {describe(violations)}"
