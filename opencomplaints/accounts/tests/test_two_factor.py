"""Two-factor sign-in: nobody reaches a staff page with a password alone."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencomplaints.accounts.forms import CODE_WRONG, SIGN_IN_CODE_FORMAT
from opencomplaints.accounts.tests.two_factor import confirmed_device, current_code
from opencomplaints.audit.models import AuditEvent, AuditEventType

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
HOME = "/"
SEARCH = reverse("tracker:search")


def sign_in_with_password(client, user, next_url=None):
    url = reverse("accounts:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.username, "password": PASSWORD})


def events(user):
    return list(
        AuditEvent.objects.filter(subject_type="accounts.user", subject_id=str(user.pk)).values_list(
            "event_type", flat=True
        )
    )


def test_a_password_alone_reaches_no_staff_page(client, complaints_officer):
    response = sign_in_with_password(client, complaints_officer, next_url=SEARCH)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:two-factor-enrol')}?next=%2Fsearch%2F"
    # Straight to a staff page by its address: sent to set up the app, then back.
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor-enrol"))
    assert client.get(reverse("api:v1:deadline-calculate")).status_code == 302


def test_setting_up_an_authenticator_app(client, complaints_officer):
    sign_in_with_password(client, complaints_officer)
    url = f"{reverse('accounts:two-factor-enrol')}?next=%2Fsearch%2F"
    page = client.get(url)
    assert page.status_code == 200
    assert "<svg" in page.text
    assert 'role="img"' in page.text
    assert "<title" in page.text
    found = re.search(r'id="secret">([A-Z2-7 ]+)<', page.text)
    assert found is not None
    secret = found.group(1).replace(" ", "")
    # Reloading the page shows the same code to scan.
    assert secret.replace(" ", "") in client.get(url).text.replace(" ", "")

    wrong = client.post(url, {"code": "000000"})
    assert wrong.status_code == 200
    assert "There is a problem" in wrong.text
    assert CODE_WRONG in wrong.text
    assert not TOTPDevice.objects.filter(user=complaints_officer, confirmed=True).exists()
    # A wrong code makes the device wait a second before it checks another.
    TOTPDevice.objects.filter(user=complaints_officer).update(throttling_failure_count=0)

    code = f"{TOTP(b32decode(secret + '=' * (-len(secret) % 8))).token():06d}"
    response = client.post(url, {"code": code})
    # Signed in, with the recovery codes to save before going on (test_recovery_codes.py).
    assert response.status_code == 200
    assert "Save your recovery codes" in response.text
    assert TOTPDevice.objects.get(user=complaints_officer).confirmed
    assert client.get(SEARCH).status_code == 200
    assert events(complaints_officer) == [
        AuditEventType.TWO_FACTOR_ENROLLED,
        AuditEventType.RECOVERY_CODES_CREATED,
        AuditEventType.SIGN_IN,
    ]


def test_entering_the_code_at_sign_in(client, complaints_officer):
    device = confirmed_device(complaints_officer)
    response = sign_in_with_password(client, complaints_officer, next_url=SEARCH)
    verify = response["Location"]
    assert verify == f"{reverse('accounts:two-factor-verify')}?next=%2Fsearch%2F"
    session_before = client.cookies["sessionid"].value

    wrong = client.post(verify, {"code": "123 456"})
    assert "There is a problem" in wrong.text
    assert CODE_WRONG in wrong.text
    assert "Error: Enter the code" in wrong.text
    malformed = client.post(verify, {"code": "12ab"})
    assert SIGN_IN_CODE_FORMAT in malformed.text

    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(verify, {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == SEARCH
    assert client.cookies["sessionid"].value != session_before
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(SEARCH).status_code == 200
    assert events(complaints_officer) == [AuditEventType.SIGN_IN_FAILED, AuditEventType.SIGN_IN]


def test_too_many_wrong_codes_make_people_wait(client, complaints_officer):
    confirmed_device(complaints_officer)
    verify = sign_in_with_password(client, complaints_officer)["Location"]
    client.post(verify, {"code": "000000"})
    response = client.post(verify, {"code": "000000"})
    assert "You have entered too many wrong codes. Wait" in response.text


def test_only_addresses_on_this_site_are_followed(client, complaints_officer):
    device = confirmed_device(complaints_officer)
    verify = sign_in_with_password(client, complaints_officer, next_url="https://example.com/")["Location"]
    assert verify.endswith("?next=%2F")
    assert client.post(verify, {"code": current_code(device)})["Location"] == HOME


def test_the_portal_needs_no_sign_in_step(client, complaints_officer):
    sign_in_with_password(client, complaints_officer)
    response = client.get(reverse("portal:complaint-start"), follow=True)
    assert response.status_code == 200
    assert all("/accounts/" not in url for url, _ in response.redirect_chain)


def test_test_clients_signed_in_with_force_login_are_verified(client, complaints_officer):
    client.force_login(complaints_officer)
    assert client.get(SEARCH).status_code == 200
    client.force_login(complaints_officer)
    client.force_login(complaints_officer)
    assert client.get(SEARCH).status_code == 200
    assert events(complaints_officer) == []


def test_with_two_factor_off_the_password_is_enough_and_pages_say_so(client, complaints_officer, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"REQUIRE_TWO_FACTOR": False}
    response = sign_in_with_password(client, complaints_officer, next_url=SEARCH)
    assert response["Location"] == SEARCH
    page = client.get(SEARCH)
    assert page.status_code == 200
    assert "Two-factor sign-in is off in this demonstration" in page.text
    assert "govuk-warning-text" in page.text
    assert events(complaints_officer) == [AuditEventType.SIGN_IN]


def test_no_warning_when_two_factor_is_on(client, complaints_officer):
    client.force_login(complaints_officer)
    assert "Two-factor sign-in is off" not in client.get(SEARCH).text


def test_signing_out_is_recorded_and_needs_a_post(client, complaints_officer):
    client.force_login(complaints_officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert client.get(SEARCH).status_code == 302
    assert events(complaints_officer) == [AuditEventType.SIGN_OUT]


def test_a_wrong_password_is_recorded_against_the_account(client, complaints_officer):
    client.post(reverse("accounts:login"), {"username": complaints_officer.username, "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})
    assert events(complaints_officer) == [AuditEventType.SIGN_IN_FAILED]
    event = AuditEvent.objects.get(event_type=AuditEventType.SIGN_IN_FAILED)
    assert event.acting_user is None
    assert "wrong" not in str(event.after.values()).replace("wrong password", "")
