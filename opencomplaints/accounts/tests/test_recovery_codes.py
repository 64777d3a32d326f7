"""Recovery codes: given with the authenticator app, shown once, stored hashed, each good for one sign-in, replaced
only after a code from the app, removed with the app by an administrator, and every use on the audit trail."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencomplaints.accounts.forms import CODE_WRONG, RECOVERY_CODE_WRONG, SIGN_IN_CODE_FORMAT
from opencomplaints.accounts.recovery_codes import (
    RECOVERY_CODE_COUNT,
    recovery_code_check,
    recovery_code_format,
    recovery_code_generate,
    recovery_code_hash,
    recovery_code_normalise,
    recovery_codes_remaining,
    recovery_codes_replace,
    recovery_device,
)
from opencomplaints.accounts.services import recovery_codes_create
from opencomplaints.accounts.tests.two_factor import confirmed_device, current_code
from opencomplaints.audit.models import AuditEvent, AuditEventType

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
SEARCH = reverse("tracker:search")
SECURITY = reverse("accounts:security")
NEW_CODES = reverse("accounts:recovery-codes")
CODE_SHAPE = re.compile(r"^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$")


def sign_in_with_password(client, user, next_url=SEARCH):
    response = client.post(
        f"{reverse('accounts:login')}?next={next_url}", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return response["Location"]


def events(user):
    return list(
        AuditEvent.objects.filter(subject_type="accounts.user", subject_id=str(user.pk)).values_list(
            "event_type", flat=True
        )
    )


def codes_on(page):
    return re.findall(r"<code[^>]*>([^<]+)</code>", page.text)


def codes_device(user):
    device = recovery_device(user=user)
    assert device is not None
    return device


def later(seconds=60):
    """After django-otp's wait following a wrong code."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


@pytest.fixture
def codes(complaints_officer):
    """An officer with an authenticator app and a set of recovery codes."""
    confirmed_device(complaints_officer)
    return recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)


# -- the codes themselves ----------------------------------------------------------------------------------------


def test_a_code_is_ten_characters_without_lookalikes_shown_in_two_groups():
    made = {recovery_code_generate() for _ in range(200)}
    assert len(made) == 200
    for code in made:
        assert re.fullmatch(r"[0-9a-hjkmnp-tv-z]{10}", code)
        assert CODE_SHAPE.match(recovery_code_format(code))


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("7k2mq-9xwbd", "7k2mq9xwbd"),
        (" 7K2MQ 9XWBD ", "7k2mq9xwbd"),
        ("o1lio-abcde", "01110abcde"),  # o, i and l read as the digits they look like
        ("7k2mq9xwbd", "7k2mq9xwbd"),
    ],
)
def test_typing_is_forgiving(typed, canonical):
    assert recovery_code_normalise(typed) == canonical


@pytest.mark.parametrize("typed", ["", "123456", "7k2mq-9xwb", "7k2mq-9xwbdd", "7k2mu-9xwbd", "7k2mq_9xwbd"])
def test_what_cannot_be_a_code_is_not_one(typed):
    assert recovery_code_normalise(typed) is None


def test_codes_are_stored_only_as_hashes(complaints_officer):
    shown, replaced = recovery_codes_replace(user=complaints_officer)
    assert replaced == 0
    assert len(shown) == len(set(shown)) == RECOVERY_CODE_COUNT
    device = recovery_device(user=complaints_officer)
    stored = set(StaticToken.objects.filter(device=device).values_list("token", flat=True))
    assert stored == {recovery_code_hash(device=device, code=code) for code in shown}
    # Neither the code as shown nor as canonical is anywhere in the table.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {StaticToken._meta.db_table}")  # noqa: S608
        raw = " ".join(row[0] for row in cursor.fetchall())
    for code in shown:
        assert code not in raw
        assert code.replace("-", "") not in raw
    # The hash depends on the device: the same code for someone else is stored differently.
    other = StaticDevice.objects.create(user=complaints_officer, name="Another", confirmed=True)
    assert recovery_code_hash(device=other, code=shown[0]) != recovery_code_hash(device=device, code=shown[0])


def test_a_code_works_once(codes, complaints_officer):
    device = recovery_device(user=complaints_officer)
    assert recovery_code_check(device=device, code=codes[0].upper().replace("-", " ")).accepted
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT - 1
    with later():
        assert not recovery_code_check(device=device, code=codes[0]).accepted
    with later(120):
        assert recovery_code_check(device=device, code=codes[1]).accepted
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT - 2


def test_the_hash_itself_is_not_a_code(codes, complaints_officer):
    device = codes_device(complaints_officer)
    stored = device.token_set.first().token
    assert not recovery_code_check(device=device, code=stored).accepted
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT


# -- setting up the app gives the codes, once -----------------------------------------------------------------


def test_setting_up_the_app_shows_the_codes_once(client, complaints_officer):
    sign_in_with_password(client, complaints_officer)
    url = f"{reverse('accounts:two-factor-enrol')}?next=%2Fsearch%2F"
    page = client.get(url)
    found = re.search(r'id="secret">([A-Z2-7 ]+)<', page.text)
    assert found is not None
    secret = found.group(1).replace(" ", "")
    code = f"{TOTP(b32decode(secret + '=' * (-len(secret) % 8))).token():06d}"

    shown = client.post(url, {"code": code})
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    assert "Save your recovery codes" in shown.text
    assert "You will not be able to see these codes again" in shown.text
    assert 'href="/search/"' in shown.text  # continue to where they were going
    assert "Print these codes" in shown.text
    assert "Copy these codes" in shown.text
    assert "accounts/recovery_codes.js" in shown.text
    codes = codes_on(shown)
    assert len(codes) == RECOVERY_CODE_COUNT
    assert all(CODE_SHAPE.match(c) for c in codes)
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT
    assert events(complaints_officer) == [
        AuditEventType.TWO_FACTOR_ENROLLED,
        AuditEventType.RECOVERY_CODES_CREATED,
        AuditEventType.SIGN_IN,
    ]
    assert client.get(SEARCH).status_code == 200
    # Never again: not on the security page, and setting up again is over.
    security = client.get(SECURITY)
    assert f"{RECOVERY_CODE_COUNT} of {RECOVERY_CODE_COUNT} left" in security.text
    assert not any(c in security.text for c in codes)
    assert client.get(url).status_code == 302
    # And the codes are real: one signs in.
    client.post(reverse("accounts:logout"))
    verify = sign_in_with_password(client, complaints_officer)
    assert client.post(verify, {"code": codes[3]}).status_code == 302
    assert client.get(SEARCH).status_code == 200


# -- signing in with a code ------------------------------------------------------------------------------------


def test_signing_in_with_a_recovery_code(client, complaints_officer, codes):
    verify = sign_in_with_password(client, complaints_officer)
    page = client.get(verify)
    assert "Lost your phone? Use a recovery code" in page.text
    assert 'inputmode="numeric"' not in page.text  # a recovery code has letters
    session_before = client.cookies["sessionid"].value

    response = client.post(verify, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert response["Location"] == f"{SECURITY}?next=%2Fsearch%2F"
    assert client.cookies["sessionid"].value != session_before
    device = codes_device(complaints_officer)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT - 1

    security = client.get(response["Location"])
    assert (
        "You signed in with a recovery code. It will not work again. You have 9 recovery codes left." in security.text
    )
    assert "9 of 10 left" in security.text
    assert 'href="/search/"' in security.text
    assert ">Continue<" in security.text
    assert client.get(SEARCH).status_code == 200

    assert events(complaints_officer)[-2:] == [AuditEventType.RECOVERY_CODE_USED, AuditEventType.SIGN_IN]
    used = AuditEvent.objects.get(event_type=AuditEventType.RECOVERY_CODE_USED)
    assert used.acting_user == complaints_officer
    assert used.before == {"recovery_codes_left": 10}
    assert used.after == {"recovery_codes_left": 9}
    assert "recovery code" in AuditEvent.objects.get(event_type=AuditEventType.SIGN_IN).summary
    # The audit trail never holds a code.
    assert not any(c.replace("-", "") in str(e.after) + e.summary for e in AuditEvent.objects.all() for c in codes)


def test_a_used_code_is_refused_next_time(client, complaints_officer, codes):
    verify = sign_in_with_password(client, complaints_officer)
    client.post(verify, {"code": codes[0]})
    client.post(reverse("accounts:logout"))
    verify = sign_in_with_password(client, complaints_officer)
    with later():
        again = client.post(verify, {"code": codes[0]})
    assert again.status_code == 200
    assert RECOVERY_CODE_WRONG in again.text
    assert "Error: Enter the code" in again.text
    assert " open>" in again.text  # the recovery code help stays open
    assert client.get(SEARCH).status_code == 302
    assert events(complaints_officer)[-1] == AuditEventType.SIGN_IN_FAILED
    failure = AuditEvent.objects.filter(event_type=AuditEventType.SIGN_IN_FAILED).latest("id")
    assert failure.after == {"reason": "wrong recovery code"}
    assert failure.acting_user is None


def test_wrong_codes_are_throttled_like_app_codes(client, complaints_officer, codes):
    verify = sign_in_with_password(client, complaints_officer)
    wrong = client.post(verify, {"code": "aaaaa-aaaaa"})
    assert RECOVERY_CODE_WRONG in wrong.text
    # Straight after a wrong code even a right one is refused, and nothing is used up.
    locked = client.post(verify, {"code": codes[0]})
    assert "You have entered too many wrong codes. Wait" in locked.text
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT
    assert client.get(SEARCH).status_code == 302
    # The app's own throttling is separate and untouched: its code still works.
    app = confirmed_device(complaints_officer)
    assert client.post(verify, {"code": current_code(app)}).status_code == 302


def test_an_unrecognised_code_is_explained(client, complaints_officer, codes):
    verify = sign_in_with_password(client, complaints_officer)
    response = client.post(verify, {"code": "12ab"})
    assert SIGN_IN_CODE_FORMAT in response.text
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT
    assert events(complaints_officer) == [AuditEventType.RECOVERY_CODES_CREATED]


def test_someone_without_codes_cannot_sign_in_with_one(client, complaints_officer):
    confirmed_device(complaints_officer)
    verify = sign_in_with_password(client, complaints_officer)
    response = client.post(verify, {"code": "7k2mq-9xwbd"})
    assert RECOVERY_CODE_WRONG in response.text
    assert client.get(SEARCH).status_code == 302


def test_the_password_lockout_still_stands_in_front_of_recovery_codes(client, complaints_officer, codes):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": complaints_officer.username, "password": "wrong"})
    locked = client.post(reverse("accounts:login"), {"username": complaints_officer.username, "password": PASSWORD})
    assert locked.status_code == 429
    # Without the password step there is no code page to use a recovery code on.
    response = client.post(reverse("accounts:two-factor-verify"), {"code": codes[0]})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT


def test_after_an_app_code_people_with_few_codes_are_reminded(client, complaints_officer):
    device = confirmed_device(complaints_officer)
    recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
    verify = sign_in_with_password(client, complaints_officer)
    client.post(verify, {"code": current_code(device)})
    assert "recovery code" not in client.get(SEARCH).text  # ten left: no reminder

    StaticToken.objects.filter(pk__in=codes_device(complaints_officer).token_set.values("pk")[:8]).delete()
    client.post(reverse("accounts:logout"))
    verify = sign_in_with_password(client, complaints_officer)
    client.post(verify, {"code": current_code(device)})
    page = client.get(SEARCH)
    assert "You have only 2 recovery codes left." in page.text
    assert f'href="{NEW_CODES}">Get new recovery codes</a>' in page.text


def test_people_without_codes_are_reminded_to_get_some(client, complaints_officer):
    device = confirmed_device(complaints_officer)
    verify = sign_in_with_password(client, complaints_officer)
    client.post(verify, {"code": current_code(device)})
    assert "You have no recovery codes. You need one to sign in if you lose your phone." in client.get(SEARCH).text


# -- the security page and new codes ---------------------------------------------------------------------------


def test_the_security_page_needs_a_verified_session(client, complaints_officer):
    assert client.get(SECURITY)["Location"].startswith(reverse("accounts:login"))
    confirmed_device(complaints_officer)
    sign_in_with_password(client, complaints_officer)
    # The accounts pages are not behind the two-factor middleware: these two check for themselves.
    for url in (SECURITY, NEW_CODES):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two-factor-verify"))
        assert client.post(url, {"code": "123456"}).status_code == 302
    assert recovery_device(user=complaints_officer) is None


def test_the_security_page(client, complaints_officer):
    client.force_login(complaints_officer)
    page = client.get(SECURITY)
    assert page.status_code == 200
    assert "Two-factor sign-in" in page.text
    assert "None yet" in page.text
    assert ">Continue<" not in page.text
    recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
    assert "10 of 10 left" in client.get(SECURITY).text
    assert "only a few recovery codes left" not in client.get(SECURITY).text
    StaticToken.objects.filter(pk__in=codes_device(complaints_officer).token_set.values("pk")[:7]).delete()
    low = client.get(SECURITY)
    assert "3 of 10 left" in low.text
    assert "You have only a few recovery codes left" in low.text
    # Continue only to an address on this site.
    assert 'href="https://example.com/"' not in client.get(f"{SECURITY}?next=https://example.com/").text


def test_new_codes_need_a_code_from_the_app_and_replace_the_old(client, complaints_officer, codes):
    client.force_login(complaints_officer)
    device = confirmed_device(complaints_officer)
    page = client.get(NEW_CODES)
    assert page.status_code == 200
    assert "Your current recovery codes will stop working." in page.text
    assert "You cannot use a recovery code for this." in page.text

    # A recovery code will not do, nor a wrong app code.
    assert "The code must be 6 digits" in client.post(NEW_CODES, {"code": codes[0]}).text
    wrong = client.post(NEW_CODES, {"code": "000000"})
    assert CODE_WRONG in wrong.text
    assert recovery_codes_remaining(user=complaints_officer) == RECOVERY_CODE_COUNT
    assert AuditEvent.objects.filter(event_type=AuditEventType.RECOVERY_CODES_CREATED).count() == 1

    with later():
        shown = client.post(NEW_CODES, {"code": current_code(device)})
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    new = codes_on(shown)
    assert len(new) == RECOVERY_CODE_COUNT
    assert not set(new) & set(codes)
    assert f'href="{SECURITY}"' in shown.text

    recovery = recovery_device(user=complaints_officer)
    with later(120):
        assert not recovery_code_check(device=recovery, code=codes[1]).accepted
    with later(240):
        assert recovery_code_check(device=recovery, code=new[1]).accepted
    event = AuditEvent.objects.filter(event_type=AuditEventType.RECOVERY_CODES_CREATED).latest("id")
    assert event.acting_user == complaints_officer
    assert event.before == {"recovery_codes_left": 10}
    assert event.after == {"recovery_codes_left": 10}
    assert "previous set no longer work" in event.summary


def test_new_codes_keep_a_session_verified_by_an_old_one(client, complaints_officer, codes):
    verify = sign_in_with_password(client, complaints_officer)
    client.post(verify, {"code": codes[0]})
    with later():
        response = client.post(NEW_CODES, {"code": current_code(confirmed_device(complaints_officer))})
        assert response.status_code == 200
        assert client.get(SEARCH).status_code == 200


def test_with_two_factor_off_there_is_no_app_to_make_codes_with(client, complaints_officer, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"REQUIRE_TWO_FACTOR": False}
    client.post(reverse("accounts:login"), {"username": complaints_officer.username, "password": PASSWORD})
    page = client.get(SECURITY)
    assert page.status_code == 200
    assert "Two-factor sign-in is off in this demonstration, so you do not need one." in page.text
    assert client.get(NEW_CODES)["Location"] == SECURITY
    assert not TOTPDevice.objects.filter(user=complaints_officer).exists()


# -- the administrator's reset ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, system_administrator):
    client.force_login(system_administrator)
    return client


def test_resetting_two_factor_removes_the_app_and_the_codes(
    admin_client, system_administrator, complaints_officer, codes
):
    change = reverse("admin:accounts_user_change", args=[complaints_officer.pk])
    assert "Authenticator app set up; 10 of 10 recovery codes left" in admin_client.get(change).text
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [complaints_officer.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert f"Two-factor sign-in reset for {complaints_officer.username}." in response.text
    assert not TOTPDevice.objects.filter(user=complaints_officer).exists()
    assert not StaticDevice.objects.filter(user=complaints_officer).exists()
    assert not StaticToken.objects.exists()
    assert "No authenticator app; no recovery codes" in admin_client.get(change).text
    event = AuditEvent.objects.get(event_type=AuditEventType.TWO_FACTOR_RESET)
    assert event.acting_user == system_administrator
    assert event.subject_id == str(complaints_officer.pk)
    assert event.before == {"authenticator_apps": 1, "recovery_codes_left": 10}
    assert event.after == {"authenticator_apps": 0, "recovery_codes_left": 0}


def test_after_a_reset_the_person_sets_up_again_and_gets_new_codes(client, complaints_officer, codes):
    from opencomplaints.accounts.services import two_factor_reset

    verify = sign_in_with_password(client, complaints_officer)
    client.post(verify, {"code": codes[0]})
    two_factor_reset(user=complaints_officer, acting_user=complaints_officer)
    # The session verified by a removed code is no longer verified.
    response = client.get(SEARCH)
    assert response["Location"].startswith(reverse("accounts:two-factor-enrol"))


def test_deleting_the_app_in_the_admin_removes_the_codes_too(admin_client, complaints_officer, codes):
    device = confirmed_device(complaints_officer)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"post": "yes"})
    assert not TOTPDevice.objects.filter(user=complaints_officer).exists()
    assert recovery_device(user=complaints_officer) is None
    assert AuditEvent.objects.filter(event_type=AuditEventType.TWO_FACTOR_RESET).count() == 1


def test_deleting_apps_in_bulk_resets_only_those_set_up(admin_client, complaints_officer, complaints_manager, codes):
    half_done = TOTPDevice.objects.create(user=complaints_manager, name="Authenticator app", confirmed=False)
    recovery_codes_replace(user=complaints_manager)
    officer_app = confirmed_device(complaints_officer)
    admin_client.post(
        reverse("admin:otp_totp_totpdevice_changelist"),
        {"action": "delete_selected", "_selected_action": [officer_app.pk, half_done.pk], "post": "yes"},
    )
    assert not TOTPDevice.objects.filter(pk__in=[officer_app.pk, half_done.pk]).exists()
    assert recovery_device(user=complaints_officer) is None
    assert recovery_codes_remaining(user=complaints_manager) == RECOVERY_CODE_COUNT
    resets = AuditEvent.objects.filter(event_type=AuditEventType.TWO_FACTOR_RESET)
    assert list(resets.values_list("subject_id", flat=True)) == [str(complaints_officer.pk)]


def test_recovery_codes_are_not_in_the_admin(admin_client):
    from django.contrib import admin

    assert not admin.site.is_registered(StaticDevice)
    assert admin.site.is_registered(TOTPDevice)
    assert admin_client.get(reverse("admin:index")).status_code == 200
