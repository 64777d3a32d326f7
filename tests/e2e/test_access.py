"""Restricting a case, emergency access to it and "who has seen this case", in the browser with the keyboard
alone, and axe-core (WCAG 2.2 AA) on each of those pages."""

import pytest

from opencomplaints.accounts.tests.personas import member
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.models import Role
from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def keyboard_follow(page, name):
    """Tab through the page to the link called ``name`` and press Enter, as a keyboard user would."""
    link = page.get_by_role("link", name=name)
    for _ in range(80):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail(f"Tabbing never reached the link {name!r}")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_restrict_then_emergency_access_and_who_has_seen(page, council, complaints_manager, complaints_officer):
    case = f.accepted(council, complaints_manager)
    colleague = member(council, "manager.max", "Max", "Penrose", Role.COMPLAINTS_MANAGER, is_staff=True)

    sign_in(page, complaints_manager)
    page.goto(f"/cases/{case.pk}/")
    keyboard_follow(page, "Who has seen this case, and restricting it")
    assert page.inner_text("h1") == "Who has seen this case"
    assert_accessible(page)

    keyboard_follow(page, "Restrict who can see it")
    page.focus("#id_reason")
    page.keyboard.type("About a member of the complaints team")
    page.focus("#id_named_users_1")
    page.keyboard.press("Space")
    assert_accessible(page)
    page.focus("main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "only the people named on it can see it" in page.inner_text(".govuk-notification-banner--success")

    # A colleague not named on it finds it restricted, and takes emergency access giving a reason.
    page.context.clear_cookies()
    sign_in(page, colleague)
    page.goto(f"/cases/{case.pk}/")
    assert page.inner_text("h1") == f"{case.reference} is restricted"
    assert_accessible(page)
    page.focus("main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Enter why you need to see this case now" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)
    page.focus("#id_reason")
    page.keyboard.type("The Ombudsman needs our reply today")
    page.focus("main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Your reason is recorded" in page.inner_text(".govuk-notification-banner--success")
    assert "with emergency access until" in page.inner_text("main")

    page.goto(f"/cases/{case.pk}/who-has-seen/")
    table = page.inner_text("#main-content")
    assert "The Ombudsman needs our reply today" in table
    assert "Emergency access to a restricted case" in table
    assert_accessible(page)
