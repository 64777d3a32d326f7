"""A remedy through to payment in the browser (docs/adr/0020-remedy-lifecycle.md): proposed by an officer with an
amount typed as people type it, approved by the complaints manager, listed as outstanding, then paid; axe-core
(WCAG 2.2 AA) on each page on the way."""

import pytest
from django.utils import timezone

from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import RemedyTypeFactory
from tests.e2e.conftest import sign_in
from tests.e2e.test_casework import assert_accessible, fill_date

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _submit(page) -> None:
    page.locator("main form button[type=submit]").click()


def test_a_remedy_is_proposed_approved_listed_and_paid(
    browser, live_server, council, complaints_manager, complaints_officer
):
    case = f.accepted(council, complaints_manager)
    RemedyTypeFactory.create(council=council, code="financial", name="Financial remedy", is_financial=True)
    today = timezone.localdate()
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()

    sign_in(page, complaints_officer)
    page.goto(f"/cases/{case.pk}/remedies/new/")
    page.get_by_role("radio", name="Financial remedy").check()
    page.get_by_label("Amount in pounds").fill("250.505")
    _submit(page)
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter the amount in pounds and pence" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)
    page.get_by_label("Amount in pounds").fill("£1,250.50")
    _submit(page)
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "Proposed" in page.inner_text("#remedies ~ .govuk-summary-card")
    assert_accessible(page)
    context.clear_cookies()

    sign_in(page, complaints_manager)
    page.goto(f"/cases/{case.pk}/")
    page.locator("#remedies ~ .govuk-summary-card").get_by_role("link", name="Approve").click()
    page.wait_for_selector("h1")
    fill_date(page, "due_date", today)
    assert_accessible(page)
    _submit(page)
    page.wait_for_selector(".govuk-notification-banner--success")

    page.goto("/remedies/")
    assert page.inner_text("h1") == "Remedies outstanding"
    assert case.reference in page.inner_text("main table")
    assert_accessible(page)

    page.get_by_role("link", name=case.reference).click()
    page.locator("#remedies ~ .govuk-summary-card").get_by_role("link", name="Record as paid").click()
    page.wait_for_selector("h1")
    fill_date(page, "paid_date", today)
    page.get_by_label("Payment reference").fill("BACS 004471")
    assert_accessible(page)
    _submit(page)
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "reference BACS 004471" in page.inner_text("main")
    context.close()
