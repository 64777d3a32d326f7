"""Signing in with two-factor authentication, by keyboard alone, with no accessibility violation on any step."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from opencomplaints.accounts.recovery_codes import recovery_codes_remaining
from opencomplaints.accounts.services import recovery_codes_create
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
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The recovery codes, shown this once, with buttons to print or copy them.
    assert page.get_by_role("heading", name="Save your recovery codes").is_visible()
    assert page.locator("#recovery-codes li").count() == 10
    assert page.get_by_role("button", name="Print these codes").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    page.wait_for_url("**/search/")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")
    type_password(page, complaints_officer)
    page.wait_for_url("**/accounts/two-factor/?**")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(current_code(confirmed_device(complaints_officer)))
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/")


def test_signing_in_with_a_recovery_code_then_getting_new_ones(page, complaints_officer):
    device = confirmed_device(complaints_officer)
    codes = recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
    type_password(page, complaints_officer)
    page.wait_for_url("**/accounts/two-factor/?**")

    # The help is there, by keyboard, for someone without their phone.
    page.locator("summary", has_text="Lost your phone? Use a recovery code").focus()
    page.keyboard.press("Enter")
    assert page.get_by_text("enter one of your recovery codes above instead").is_visible()
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(codes[0].upper())
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Told how many are left, then on to where they were going.
    page.wait_for_url("**/accounts/security/?next=**")
    assert "You have 9 recovery codes left" in page.inner_text(".govuk-notification-banner")
    assert page.locator("#recovery-codes-left").inner_text() == "9 of 10 left"
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/search/")
    assert recovery_codes_remaining(user=complaints_officer) == 9

    # A new set needs a code from the app, and replaces the old.
    page.goto("/accounts/security/")
    page.get_by_role("button", name="Get new recovery codes").click()
    page.wait_for_url("**/accounts/security/recovery-codes/")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Get new recovery codes").click()
    assert page.get_by_role("heading", name="Save your recovery codes").is_visible()
    new = [code.strip() for code in page.locator("#recovery-codes code").all_inner_texts()]
    assert len(new) == 10
    assert not set(new) & set(codes)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy these codes").click()
    page.get_by_text("Recovery codes copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").split("\n") == new
    assert_accessible(page)

    # The old codes no longer work; a used one never did again.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")
    type_password(page, complaints_officer)
    page.get_by_label("Code from your authenticator app").fill(codes[1])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "The recovery code is not correct or has already been used" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)


def test_the_locked_out_page(page, complaints_officer):
    for _ in range(5):
        type_password(page, complaints_officer, "wrong-password")
    assert page.get_by_role("heading", name="You cannot sign in at the moment").is_visible()
    assert_accessible(page)


def test_moving_the_app_to_a_new_phone_after_a_recovery_code(page, complaints_officer):
    old = confirmed_device(complaints_officer)
    old_codes = recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
    type_password(page, complaints_officer)
    page.wait_for_url("**/accounts/two-factor/?**")
    page.get_by_label("Code from your authenticator app").fill(old_codes[0])
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The codes-left page points someone who has lost their phone to setting up the new one.
    page.wait_for_url("**/accounts/security/?next=**")
    link = page.get_by_role("link", name="Lost your phone? Set up your new one now")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/security/new-authenticator-app/?next=**")
    assert page.get_by_role("heading", name="Set up a new authenticator app").is_visible()
    assert_accessible(page)

    # The password again, first: a wrong one is an error like any other.
    page.get_by_label("Your password").fill("not-my-password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "The password is not correct" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)
    page.get_by_label("Your password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The same set-up page as the first time, saying the old app still works until this is done.
    page.wait_for_url("**/accounts/two-factor/set-up/?next=**")
    assert page.get_by_role("heading", name="Set up your new authenticator app").is_visible()
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    assert page.get_by_role("link", name="Cancel and keep your old app").is_visible()
    assert_accessible(page)
    secret = page.locator("#secret").inner_text().replace(" ", "")
    new_app = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    page.get_by_label("Code from your authenticator app").fill(f"{new_app.token():06d}")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # New recovery codes, once; then on to where they were going, still signed in.
    assert "The app on your old phone no longer works" in page.inner_text(".govuk-notification-banner")
    assert page.get_by_role("heading", name="Save your recovery codes").is_visible()
    new_codes = [code.strip() for code in page.locator("#recovery-codes code").all_inner_texts()]
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    page.wait_for_url("**/search/")

    # Next time, the old phone's code is refused and the new phone's is accepted.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/sign-in/")
    type_password(page, complaints_officer)
    page.wait_for_url("**/accounts/two-factor/?**")
    page.get_by_label("Code from your authenticator app").fill(f"{TOTP(old.bin_key).token():06d}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "The code is not correct" in page.inner_text(".govuk-error-summary")
    page.wait_for_timeout(1100)  # a wrong code makes the next check wait a second
    page.get_by_label("Code from your authenticator app").fill(current_code(confirmed_device(complaints_officer)))
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/")
