"""The tracker a team lives in, in a browser: the workload page and the dashboard have no WCAG 2.2 AA violation;
the tracker fits a phone (390 px, and 320 px) with nothing to scroll sideways and no violation; and cases are given
to an officer from the tracker with the browser's JavaScript switched off."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opencomplaints.cases.models import Case
from opencomplaints.tracker.tests.conftest import complaint
from tests.e2e.conftest import axe_violations, sign_in
from tests.e2e.test_tracker import describe, tracker_data  # noqa: F401 - the tracker's cases of every flag

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_workload_page_and_the_dashboard_have_no_violations(page, complaints_manager, tracker_data):  # noqa: F811
    sign_in(page, complaints_manager)
    for url, heading in (("/workload/", "Workload"), ("/dashboard/", "Dashboard")):
        page.goto(url)
        assert page.locator("h1").inner_text() == heading
        violations = axe_violations(page)
        assert violations == [], f"{url}: {describe(violations)}"
    # The workload's numbers open the tracker filtered to them.
    page.goto("/workload/")
    page.locator("table").first.locator("tbody a").first.click()
    page.wait_for_url("**/?owner=*")
    assert page.locator("tbody tr").count() >= 1


@pytest.mark.parametrize("width", [390, 320])
def test_the_tracker_fits_a_phone(page, complaints_manager, tracker_data, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, complaints_manager)
    page.goto("/")
    assert page.locator("tbody tr").count() >= 3
    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Each case is a card whose lines say what they are.
    assert page.locator("tbody tr").first.locator('[data-label="Due"]').is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_allocate_cases_without_javascript(browser, live_server, complaints_manager, complaints_officer):
    today = timezone.localdate()
    first = complaint(
        complaints_manager.memberships.first().council, complaints_manager, received=today - timedelta(days=3)
    )
    second = complaint(first.council, complaints_manager, received=today - timedelta(days=2))
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, complaints_manager)
        page.goto("/")
        page.get_by_label(f"Select {first.reference}").check()
        page.get_by_label(f"Select {second.reference}").check()
        page.get_by_label("Give the selected cases to", exact=True).select_option(label=str(complaints_officer))
        page.get_by_label("Why are they being given to them?").fill("Sharing out the new cases")
        page.get_by_role("button", name="Allocate the selected cases").click()
        assert page.get_by_text(f"2 cases given to {complaints_officer}").is_visible()
        assert set(Case.objects.filter(owner=complaints_officer)) == {first, second}
    finally:
        context.close()
