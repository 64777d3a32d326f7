"""WCAG 2.2 AA: axe-core reports no violation on each page type, and the main flows work with the keyboard."""

import pytest

from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def describe(violations):
    return "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in violations)


def test_sign_in_page_has_no_violations(page):
    page.goto("/accounts/sign-in/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_sign_in_error_page_has_no_violations(page):
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_deadline_calculator_by_keyboard_alone(page, complaints_officer):
    sign_in(page, complaints_officer)
    page.goto("/deadlines/")
    # Tab from the top of the page: the skip link comes first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.keyboard.press("Enter")
    page.get_by_label("Children's statutory procedure").focus()
    page.keyboard.press("Space")
    page.get_by_label("Stage 1").focus()
    page.keyboard.press("Space")
    page.get_by_label("Day").focus()
    page.keyboard.type("26")
    page.keyboard.press("Tab")
    page.keyboard.type("5")
    page.keyboard.press("Tab")
    page.keyboard.type("2022")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results")
    assert "Monday 13 June 2022" in page.inner_text("table")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_deadline_calculator_errors_have_no_violations(page, complaints_officer):
    sign_in(page, complaints_officer)
    page.goto("/deadlines/?procedure=children_statutory&stage=1")
    assert page.get_by_text("There is a problem").is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
