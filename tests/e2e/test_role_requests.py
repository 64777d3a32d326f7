"""The role requests page in the browser (docs/security.md): one system administrator asks for a role that sees case
content, by keyboard, and a second approves it, with axe reporting no WCAG 2.2 AA violation on the page."""

import pytest

from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.accounts.tests.personas import superuser
from opencomplaints.councils.models import CouncilMembership, Role
from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def test_one_administrator_asks_and_another_approves(page, browser, council, live_server):
    first = superuser()
    second = UserFactory.create(username="admin.two", is_staff=True, is_superuser=True)
    sign_in(page, first)
    page.goto("/role-requests/")
    assert_accessible(page)
    page.get_by_role("button", name="Ask for the role").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=There is a problem")
    assert_accessible(page)
    page.get_by_label("Council").select_option(label=council.name)
    page.get_by_label("Role").select_option(label="Complaints manager")
    page.get_by_label("Why you need it").fill("Cover while the manager is away")
    page.get_by_role("button", name="Ask for the role").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Your request was sent")
    assert_accessible(page)

    other = browser.new_context(base_url=live_server.url).new_page()
    sign_in(other, second)
    other.goto("/role-requests/")
    assert "asks to be complaints manager" in other.inner_text("main")
    assert_accessible(other)
    other.get_by_role("button", name="Approve").click()
    other.wait_for_selector("text=now has the role")
    assert CouncilMembership.objects.get(user=first).role == Role.COMPLAINTS_MANAGER
