"""Moving the authenticator app to a new phone without an administrator: a verified session, the password again,
then the same set-up as the first time. The old app works until the new one is confirmed, and then never again;
the recovery codes are replaced with it; one audit event records it; leaving half-way changes nothing."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencomplaints.accounts.forms import CODE_WRONG, PASSWORD_REQUIRED, PASSWORD_WRONG, RECOVERY_CODE_WRONG
from opencomplaints.accounts.recovery_codes import (
    RECOVERY_CODE_COUNT,
    recovery_code_check,
    recovery_codes_remaining,
    recovery_device,
)
from opencomplaints.accounts.services import authenticator_app_replace_complete, recovery_codes_create
from opencomplaints.accounts.tests.two_factor import confirmed_device, current_code
from opencomplaints.accounts.two_factor import REPLACEMENT_MINUTES
from opencomplaints.audit.models import AuditEvent, AuditEventType

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
SEARCH = reverse("tracker:search")
SECURITY = reverse("accounts:security")
REPLACE = reverse("accounts:authenticator-replace")
ENROL = reverse("accounts:two-factor-enrol")
VERIFY = reverse("accounts:two-factor-verify")
LOGIN = reverse("accounts:login")


def events(user):
    return list(
        AuditEvent.objects.filter(subject_type="accounts.user", subject_id=str(user.pk))
        .order_by("id")
        .values_list("event_type", flat=True)
    )


def codes_on(page):
    return re.findall(r"<code[^>]*>([^<]+)</code>", page.text)


def app_code(page):
    """The code an app that scanned the page's QR code shows now."""
    found = re.search(r'id="secret">([A-Z2-7 ]+)<', page.text)
    assert found is not None
    secret = found.group(1).replace(" ", "")
    return f"{TOTP(b32decode(secret + '=' * (-len(secret) % 8))).token():06d}"


def shown_by(device):
    """The code the app on ``device``'s phone shows now (also once the device has been deleted)."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def later(minutes):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def signs_in_with(user, code):
    """Whether a fresh sign-in, password then ``code``, reaches a staff page."""
    other = Client()
    response = other.post(f"{LOGIN}?next={SEARCH}", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    other.post(response["Location"], {"code": code})
    return other.get(SEARCH).status_code == 200


@pytest.fixture
def old_codes(complaints_officer):
    """An officer with an authenticator app and a full set of recovery codes."""
    confirmed_device(complaints_officer)
    return recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)


@pytest.fixture
def verified(client, complaints_officer, old_codes):
    """The officer's client, signed in and verified with a code from their old app."""
    client.force_login(complaints_officer)
    return client


def test_replacing_the_app(verified, complaints_officer, old_codes):
    old = confirmed_device(complaints_officer)
    security = verified.get(SECURITY)
    assert f'href="{REPLACE}"' in security.text
    assert "Set up a new authenticator app" in security.text

    page = verified.get(REPLACE)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert 'type="password"' in page.text
    assert 'autocomplete="current-password"' in page.text
    response = verified.post(REPLACE, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == ENROL

    set_up = verified.get(ENROL)
    assert set_up.status_code == 200
    assert "no-store" in set_up["Cache-Control"]
    assert "Set up your new authenticator app" in set_up.text
    assert "Your old app keeps working until you enter a code from the new one." in set_up.text
    assert "<svg" in set_up.text
    new_code = app_code(set_up)
    new = TOTPDevice.objects.get(user=complaints_officer, confirmed=False)

    # Until the new app's code is entered, the old app is the one that signs in; a wrong code changes nothing.
    assert signs_in_with(complaints_officer, current_code(old))
    assert not signs_in_with(complaints_officer, current_code(new))
    wrong = verified.post(ENROL, {"code": "000000"})
    assert CODE_WRONG in wrong.text
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    new.refresh_from_db()
    new.throttle_reset()

    shown = verified.post(ENROL, {"code": new_code})
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    assert "Your new authenticator app is set up. The app on your old phone no longer works." in shown.text
    assert "Save your recovery codes" in shown.text
    new_codes = codes_on(shown)
    assert len(new_codes) == RECOVERY_CODE_COUNT
    assert not set(new_codes) & set(old_codes)
    assert f'href="{SECURITY}"' in shown.text  # "I have saved my recovery codes" goes back to the security page

    # The new app is the only one, the session stays verified (by the new app), and the old app's codes fail.
    assert list(TOTPDevice.objects.filter(user=complaints_officer).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert verified.get(SEARCH).status_code == 200
    new.refresh_from_db()
    assert verified.session[DEVICE_ID_SESSION_KEY] == new.persistent_id
    assert not signs_in_with(complaints_officer, shown_by(old))
    with later(1):  # after the wait a wrong code imposes
        assert signs_in_with(complaints_officer, current_code(new))
    # Setting up again needs the password again.
    assert verified.get(ENROL).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(verified, complaints_officer, old_codes):
    verified.post(REPLACE, {"password": PASSWORD})
    new_codes = codes_on(verified.post(ENROL, {"code": app_code(verified.get(ENROL))}))
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT
    device = recovery_device(user=complaints_officer)
    assert not recovery_code_check(device=device, code=old_codes[0]).accepted
    with later(1):
        assert recovery_code_check(device=device, code=new_codes[0]).accepted
    with later(2):
        assert not signs_in_with(complaints_officer, old_codes[1])
    with later(3):
        page = Client()
        verify = page.post(LOGIN, {"username": complaints_officer.username, "password": PASSWORD})["Location"]
        assert RECOVERY_CODE_WRONG in page.post(verify, {"code": old_codes[2]}).text


def test_one_audit_event_records_the_replacement(verified, complaints_officer, old_codes):
    before = events(complaints_officer)
    verified.post(REPLACE, {"password": PASSWORD})
    codes = codes_on(verified.post(ENROL, {"code": app_code(verified.get(ENROL))}))
    assert events(complaints_officer)[len(before) :] == [AuditEventType.AUTHENTICATOR_APP_REPLACED]
    event = AuditEvent.objects.get(event_type=AuditEventType.AUTHENTICATOR_APP_REPLACED)
    assert event.event_type == 609
    assert event.event_type_label == "Authenticator app replaced"
    assert event.acting_user == complaints_officer
    assert event.subject_id == str(complaints_officer.pk)
    assert event.before == {"authenticator_apps": 1, "recovery_codes_left": RECOVERY_CODE_COUNT}
    assert event.after == {"authenticator_apps": 1, "recovery_codes_left": RECOVERY_CODE_COUNT}
    assert "replaced their authenticator app" in event.summary
    assert "previous set no longer work" in event.summary
    # No code, old or new, is on the audit trail.
    recorded = " ".join(f"{e.summary} {e.before} {e.after}" for e in AuditEvent.objects.all())
    assert not any(c.replace("-", "") in recorded or c in recorded for c in codes + old_codes)


def test_a_wrong_password_is_refused_audited_and_counted(verified, complaints_officer):
    blank = verified.post(REPLACE, {"password": ""})
    assert PASSWORD_REQUIRED in blank.text
    assert not AccessAttempt.objects.exists()

    wrong = verified.post(REPLACE, {"password": "Correct-horse-battery-staple"})
    assert wrong.status_code == 200
    assert PASSWORD_WRONG in wrong.text
    assert "Error: Set up a new authenticator app" in wrong.text
    assert 'class="govuk-error-summary"' in wrong.text
    assert "Correct-horse" not in wrong.text  # a password is never shown back
    # Not let through to the set-up page, and no new app was started.
    assert verified.get(ENROL)["Location"] != ENROL
    assert not TOTPDevice.objects.filter(user=complaints_officer, confirmed=False).exists()
    failure = AuditEvent.objects.get(event_type=AuditEventType.SIGN_IN_FAILED)
    assert failure.subject_id == str(complaints_officer.pk)
    assert failure.acting_user is None
    assert failure.after == {"reason": "wrong password to replace the authenticator app"}
    # django-axes counts it with wrong passwords at sign-in, and keeps no password.
    attempt = AccessAttempt.objects.get(username=complaints_officer.username)
    assert attempt.failures_since_start == 1
    assert "Correct-horse" not in attempt.post_data
    # Still signed in: one wrong password is not a reason to end the session.
    assert verified.get(SEARCH).status_code == 200


def test_too_many_wrong_passwords_lock_out_and_end_the_session(verified, complaints_officer):
    for _ in range(4):
        assert verified.post(REPLACE, {"password": "wrong"}).status_code == 200
    locked = verified.post(REPLACE, {"password": "wrong"})
    assert locked.status_code == 429
    assert "You cannot sign in at the moment" in locked.text
    recorded = events(complaints_officer)
    assert recorded.count(AuditEventType.SIGN_IN_FAILED) == 4
    assert recorded[-2:] == [AuditEventType.LOCKED_OUT, AuditEventType.SIGN_OUT]
    # The session is over, and the password does not sign in again from here until the lockout ends.
    assert verified.get(SEARCH)["Location"].startswith(LOGIN)
    again = Client().post(LOGIN, {"username": complaints_officer.username, "password": PASSWORD})
    assert again.status_code == 429
    assert not TOTPDevice.objects.filter(user=complaints_officer, confirmed=False).exists()


def test_wrong_passwords_at_sign_in_count_here_too(client, complaints_officer, old_codes):
    for _ in range(5):
        Client().post(LOGIN, {"username": complaints_officer.username, "password": "wrong"})
    client.force_login(complaints_officer)  # a session from before the lockout
    response = client.post(REPLACE, {"password": PASSWORD})
    assert response.status_code == 429
    assert client.get(ENROL)["Location"].startswith(LOGIN)
    assert not TOTPDevice.objects.filter(user=complaints_officer, confirmed=False).exists()


def test_an_unverified_session_is_refused(client, complaints_officer, old_codes):
    assert client.get(REPLACE)["Location"].startswith(LOGIN)
    client.post(f"{LOGIN}?next={SEARCH}", {"username": complaints_officer.username, "password": PASSWORD})
    # The password alone: sent to enter a code, whatever is posted.
    for response in (client.get(REPLACE), client.post(REPLACE, {"password": PASSWORD}), client.get(ENROL)):
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"})["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=complaints_officer, confirmed=False).exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.AUTHENTICATOR_APP_REPLACED).exists()


def test_a_verified_session_without_the_password_gets_no_set_up_page(verified, complaints_officer):
    response = verified.get(f"{ENROL}?next={SEARCH}")
    assert response.status_code == 302
    assert not response["Location"].startswith(ENROL)
    assert verified.post(ENROL, {"code": "123456"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=complaints_officer, confirmed=False).exists()


def test_leaving_half_way_changes_nothing(verified, complaints_officer, old_codes):
    old = confirmed_device(complaints_officer)
    before = events(complaints_officer)
    verified.post(REPLACE, {"password": PASSWORD})
    set_up = verified.get(ENROL)
    assert f'href="{SECURITY}">Cancel and keep your old app</a>' in set_up.text
    abandoned = TOTPDevice.objects.get(user=complaints_officer, confirmed=False)

    # Back to the security page: the new app was never confirmed, and carrying on needs the password again.
    assert verified.get(SECURITY).status_code == 200
    assert verified.get(ENROL)["Location"] != ENROL
    assert verified.post(ENROL, {"code": app_code(set_up)}).status_code == 302

    assert TOTPDevice.objects.get(user=complaints_officer, confirmed=True).pk == old.pk
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT
    assert events(complaints_officer) == before
    assert signs_in_with(complaints_officer, current_code(old))
    assert not signs_in_with(complaints_officer, current_code(abandoned))
    assert signs_in_with(complaints_officer, old_codes[0])
    # Starting again shows the same QR code, so an app that already scanned it still works.
    verified.post(REPLACE, {"password": PASSWORD})
    assert app_code(verified.get(ENROL)) == app_code(set_up)


def test_the_password_counts_for_a_limited_time(verified, complaints_officer):
    old = confirmed_device(complaints_officer)
    verified.post(REPLACE, {"password": PASSWORD})
    set_up = verified.get(f"{ENROL}?next={SEARCH}")
    with later(REPLACEMENT_MINUTES + 1):
        response = verified.post(f"{ENROL}?next={SEARCH}", {"code": app_code(set_up)})
        assert response.status_code == 302
        assert response["Location"] == f"{REPLACE}?next=%2Fsearch%2F"
        page = verified.get(response["Location"])
        assert f"You did not finish setting up your new app within {REPLACEMENT_MINUTES} minutes." in page.text
    assert TOTPDevice.objects.get(user=complaints_officer, confirmed=True).pk == old.pk
    assert not AuditEvent.objects.filter(event_type=AuditEventType.AUTHENTICATOR_APP_REPLACED).exists()


def test_after_a_recovery_code_the_person_is_pointed_to_a_new_phone(client, complaints_officer, old_codes):
    old = confirmed_device(complaints_officer)
    verify = client.post(f"{LOGIN}?next={SEARCH}", {"username": complaints_officer.username, "password": PASSWORD})
    security = client.get(client.post(verify["Location"], {"code": old_codes[0]})["Location"])
    link = f"{REPLACE}?next=%2Fsearch%2F"
    assert f'href="{link}">Lost your phone? Set up your new one now</a>' in security.text
    assert "You have 9 recovery codes left." in security.text

    # A session verified by a recovery code, with the password, may move the app.
    assert client.post(link, {"password": PASSWORD})["Location"] == f"{ENROL}?next=%2Fsearch%2F"
    set_up = client.get(f"{ENROL}?next=%2Fsearch%2F")
    shown = client.post(f"{ENROL}?next=%2Fsearch%2F", {"code": app_code(set_up)})
    assert "Save your recovery codes" in shown.text
    assert 'href="/search/"' in shown.text  # then on to where they were going
    assert client.get(SEARCH).status_code == 200
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert events(complaints_officer)[-1] == AuditEventType.AUTHENTICATOR_APP_REPLACED
    assert AuditEvent.objects.get(event_type=AuditEventType.AUTHENTICATOR_APP_REPLACED).before == {
        "authenticator_apps": 1,
        "recovery_codes_left": RECOVERY_CODE_COUNT - 1,
    }


def test_someone_without_a_password_is_told_what_to_do(client, complaints_officer, old_codes):
    complaints_officer.set_unusable_password()
    complaints_officer.save()
    client.force_login(complaints_officer)
    page = client.get(REPLACE)
    assert "you do not have a password for" in page.text
    assert 'type="password"' not in page.text
    assert client.post(REPLACE, {"password": PASSWORD}).status_code == 200
    assert client.get(ENROL)["Location"] != ENROL


def test_without_an_app_there_is_nothing_to_replace(client, complaints_officer, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"REQUIRE_TWO_FACTOR": False}
    client.post(LOGIN, {"username": complaints_officer.username, "password": PASSWORD})
    assert client.get(REPLACE)["Location"] == SECURITY
    assert "Set up a new authenticator app" not in client.get(SECURITY).text


def test_a_device_confirmed_already_is_not_confirmed_twice(rf, complaints_officer, old_codes):
    request = rf.post(ENROL)
    request.session = Client().session
    device = confirmed_device(complaints_officer)
    assert authenticator_app_replace_complete(request=request, user=complaints_officer, device=device) is None
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT
    assert not AuditEvent.objects.filter(event_type=AuditEventType.AUTHENTICATOR_APP_REPLACED).exists()
