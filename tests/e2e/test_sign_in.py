"""Signing in with two-factor authentication, by keyboard alone, with no accessibility violation on any step."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from opencomplaints.accounts.tests.two_factor import confirmed_device, current_code
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


def describe(violations):
    return "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in violations)


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def type_password(page, user, password=PASSWORD):
    page.goto("/accounts/sign-in/?next=/search/")
    page.get_by_label("Username").focus()
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_setting_up_the_app_then_signing_in_with_a_code(page, complaints_officer):
    type_password(page, complaints_officer)
    page.wait_for_url("**/accounts/two-factor/set-up/**")
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    assert_accessible(page)

    # A wrong code: a GOV.UK error summary that links to the field.
    page.get_by_label("Code from your authenticator app").fill("000000")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)

    page.wait_for_timeout(1100)  # a wrong code makes the next check wait a second
    secret = page.locator("#secret").inner_text().replace(" ", "")
    code = f"{TOTP(b32decode(secret + '=' * (-len(secret) % 8))).token():06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")
    type_password(page, complaints_officer)
    page.wait_for_url("**/accounts/two-factor/?**")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(current_code(confirmed_device(complaints_officer)))
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/")


def test_the_locked_out_page(page, complaints_officer):
    for _ in range(5):
        type_password(page, complaints_officer, "wrong-password")
    assert page.get_by_role("heading", name="You cannot sign in at the moment").is_visible()
    assert_accessible(page)
