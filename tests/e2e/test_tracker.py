"""The trackers and search in a browser: axe-core finds no WCAG 2.2 AA violation on any of them, and the tracker
can be filtered and sorted with the keyboard alone.

The browser keeps the real clock, so the cases are received relative to today rather than on fixed dates.
"""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.services import learning_action_create, ombudsman_case_register, stage_hold
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import ServiceAreaFactory, TeamFactory
from opencomplaints.tracker.tests.conftest import awaiting_report, complaint
from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def describe(violations):
    return "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in violations)


def working_days_ago(today: date, n: int) -> date:
    """The working day ``n`` working days before ``today``."""
    calendar = working_day_calendar()
    day = today
    while calendar.working_days_between(day, today) < n or not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


@pytest.fixture
def tracker_data(council, complaints_officer, complaints_manager, investigating_officer, independent_person):
    """A case of every flag: overdue (and on hold), due soon, awaiting the investigator's report; a learning
    action and an Ombudsman case."""
    today = timezone.localdate()
    team = TeamFactory.create(
        council=council, service_area=ServiceAreaFactory.create(council=council), name="Assessment East"
    )
    overdue = complaint(
        council,
        complaints_manager,
        received=today - timedelta(days=40),
        owner=complaints_officer,
        teams=[team],
        name=("Alexandra", "Smith"),
        children=[("Riley", "Smith")],
        summary="The social worker did not return calls.",
    )
    stage_hold(
        stage=f.stage(overdue, 1),
        acting_user=complaints_manager,
        start_date=today - timedelta(days=1),
        reason=c.HoldReason.AWAITING_ADVOCATE,
    )
    complaint(council, complaints_manager, received=working_days_ago(today, 8), owner=complaints_officer)
    awaiting_report(council, complaints_manager, investigating_officer, independent_person)
    learning_action_create(
        council=council,
        acting_user=complaints_manager,
        finding="Calls were not returned",
        action="Train the team on call-backs",
        cases=[overdue],
        owner=complaints_officer,
        team=team,
        due_date=today - timedelta(days=3),
    )
    ombudsman_case_register(
        council=council,
        acting_user=complaints_manager,
        received_date=today - timedelta(days=10),
        lgsco_reference="24 001 234",
        complaint=overdue,
        enquiry_due_date=today + timedelta(days=20),
    )
    return overdue


PAGES = [
    ("tracker", "/"),
    ("tracker with a filter error", "/?team=999999"),
    ("my cases", "/my-cases/"),
    ("search form", "/search/"),
    ("search results", "/search/?q=Smith"),
    ("search error", "/search/?q="),
    ("learning actions", "/learning-actions/"),
    ("Ombudsman cases", "/ombudsman/"),
]


def test_every_tracker_page_has_no_violations(page, complaints_officer, tracker_data):
    sign_in(page, complaints_officer)
    for name, url in PAGES:
        page.goto(url)
        assert page.locator("h1").is_visible(), name
        violations = axe_violations(page)
        assert violations == [], f"{name}: {describe(violations)}"
    # Every kind of tag was on the tracker.
    page.goto("/")
    for tag in ("Overdue", "On hold", "Due soon", "Awaiting investigator's report"):
        assert page.locator("strong.govuk-tag", has_text=tag).count() >= 1, tag


def test_filter_and_sort_the_tracker_by_keyboard_alone(page, complaints_officer, tracker_data):
    sign_in(page, complaints_officer)
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"

    # Choose "Stage 1" in the stage list with the arrow keys, tick "Only overdue cases", apply with Enter.
    stage = page.get_by_label("Stage", exact=True)
    stage.focus()
    while stage.input_value() != "1":
        page.keyboard.press("ArrowDown")
    page.get_by_label("Only overdue cases").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Apply filters").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/?*stage=1*")
    query = parse_qs(urlparse(page.url).query)
    assert query["stage"] == ["1"]
    assert query["overdue"] == ["on"]
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert tracker_data.reference in rows.first.inner_text()

    # Clear the filters, then sort by reference and reverse it, each with Enter on the column heading.
    page.get_by_role("link", name="Clear filters").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlparse(url).query == "")
    page.get_by_role("link", name="Reference (sort ascending)").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/?sort=reference")
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Reference")
    ascending = page.locator("tbody th").all_inner_texts()
    assert ascending == sorted(ascending)
    page.get_by_role("link", name="Reference (sort descending)").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/?sort=-reference")
    assert page.locator("tbody th").all_inner_texts() == ascending[::-1]
    violations = axe_violations(page)
    assert violations == [], describe(violations)
