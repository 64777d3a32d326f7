"""A change to someone's two-factor sign-in emails them a security notice, so that someone who did not make it finds
out: a new authenticator app, a new set of recovery codes, a recovery code used to sign in, an administrator's reset.
One notice per change, queued with it (nothing for a change rolled back), to their own address, never about a case,
and holding no code or secret."""

import re
from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencomplaints.accounts.recovery_codes import recovery_codes_remaining
from opencomplaints.accounts.services import (
    authenticator_app_replace_complete,
    recovery_codes_create,
    two_factor_reset,
)
from opencomplaints.accounts.tests.two_factor import confirmed_device, current_code
from opencomplaints.accounts.two_factor import DEVICE_NAME
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.notifications.models import Channel, Message, MessageStatus, TemplateKey

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
SEARCH = reverse("tracker:search")
NEW_CODES = reverse("accounts:recovery-codes")
ENROL = reverse("accounts:two-factor-enrol")
REPLACE = reverse("accounts:authenticator-replace")
ADVICE = "If you did not make this change or ask for it, contact your system administrator straight away."


def notices(user=None):
    found = Message.objects.filter(template_key=TemplateKey.SECURITY_NOTICE).order_by("id")
    return list(found.filter(recipient_user=user) if user is not None else found)


def session():
    return import_module(settings.SESSION_ENGINE).SessionStore()


def later(seconds=60):
    """After django-otp's wait following a code, so the app's next code is accepted."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def assert_notice(message, user, *, says, secrets=()):
    assert message.channel == Channel.EMAIL
    assert message.recipient == user.email
    assert message.recipient_user == user
    assert message.case is None
    assert message.subject == "Change to your sign-in security"
    assert message.body.startswith(f"Hello {user.get_full_name()},")
    assert says in message.body
    assert ADVICE in message.body
    assert "(UK time)" in message.body
    text = message.subject + message.body + str(message.personalisation)
    for secret in secrets:
        assert secret not in text
        assert secret.replace("-", "") not in text


@pytest.fixture
def codes(complaints_officer):
    """An officer with an authenticator app and a set of recovery codes (whose making sent the first notice)."""
    confirmed_device(complaints_officer)
    made = recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
    Message.objects.all().delete()
    return made


def sign_in_with_recovery_code(client, user, code):
    response = client.post(
        f"{reverse('accounts:login')}?next={SEARCH}", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client.post(response["Location"], {"code": code})


# -- each change ---------------------------------------------------------------------------------------------------


def test_new_recovery_codes(client, complaints_officer, codes, django_capture_on_commit_callbacks):
    client.force_login(complaints_officer)
    device = confirmed_device(complaints_officer)
    with later():
        code = current_code(device)
        with django_capture_on_commit_callbacks(execute=True):
            shown = client.post(NEW_CODES, {"code": code})
        # The same form sent twice: the app's code works once, so no second set and no second notice.
        again = client.post(NEW_CODES, {"code": code})
    assert shown.status_code == 200
    assert "Save your recovery codes" not in again.text
    [notice] = notices(complaints_officer)
    assert_notice(
        notice,
        complaints_officer,
        says="A new set of recovery codes was made for your account. Any recovery codes you had before no longer work.",
        secrets=[*codes, code, device.key],
    )
    new_codes = re.findall(r"<code[^>]*>([^<]+)</code>", shown.text)
    assert new_codes
    assert not any(new in notice.body for new in new_codes)
    # Sent once the change committed, by email, to the person's own address.
    [email] = mail.outbox
    assert email.to == [complaints_officer.email]
    assert email.subject == "Change to your sign-in security"
    notice.refresh_from_db()
    assert notice.status == MessageStatus.SENT


def test_a_recovery_code_used_to_sign_in(client, complaints_officer, codes):
    response = sign_in_with_recovery_code(client, complaints_officer, codes[0])
    assert response.status_code == 302
    [notice] = notices(complaints_officer)
    assert_notice(
        notice,
        complaints_officer,
        says="A recovery code was used to sign in to your account. You have 9 recovery codes left.",
        secrets=codes,
    )
    # The same code again is refused: no second notice. Another code is another sign-in, and another notice.
    client.post(reverse("accounts:logout"))
    with later():
        sign_in_with_recovery_code(client, complaints_officer, codes[0])
        assert len(notices(complaints_officer)) == 1
        client.post(reverse("accounts:logout"))
    with later(180):
        sign_in_with_recovery_code(client, complaints_officer, codes[1])
    assert [n.body.count("You have 8 recovery codes left.") for n in notices(complaints_officer)] == [0, 1]


def test_the_authenticator_app_replaced(client, complaints_officer, codes):
    client.force_login(complaints_officer)
    assert client.post(REPLACE, {"password": PASSWORD})["Location"] == ENROL
    client.get(ENROL)
    new = TOTPDevice.objects.get(user=complaints_officer, confirmed=False)
    code = current_code(new)
    shown = client.post(ENROL, {"code": code})
    assert "Your new authenticator app is set up." in shown.text
    [notice] = notices(complaints_officer)
    assert_notice(
        notice,
        complaints_officer,
        says="A new authenticator app was set up for your account in place of the old one, and a new set of "
        "recovery codes was made. The old app and the old recovery codes no longer work.",
        secrets=[*codes, code, new.key, confirmed_device(complaints_officer).key],
    )
    assert notice.personalisation.keys() == {"name", "change", "when"}


def test_replacing_twice_with_the_same_app_sends_one_notice(rf, complaints_officer, codes):
    new = TOTPDevice.objects.create(user=complaints_officer, name=DEVICE_NAME, confirmed=False)
    request = rf.post(ENROL)
    request.session = session()
    request.user = complaints_officer
    assert authenticator_app_replace_complete(request=request, user=complaints_officer, device=new) is not None
    assert authenticator_app_replace_complete(request=request, user=complaints_officer, device=new) is None
    assert len(notices(complaints_officer)) == 1


def test_an_administrator_reset(client, system_administrator, complaints_officer, codes):
    client.force_login(system_administrator)
    changelist = reverse("admin:accounts_user_changelist")
    action = {"action": "reset_two_factor", "_selected_action": [complaints_officer.pk]}
    assert client.post(changelist, action).status_code == 302
    [notice] = notices(complaints_officer)
    assert_notice(
        notice,
        complaints_officer,
        says="A system administrator reset two-factor sign-in for your account. Your authenticator app and recovery "
        "codes were removed. You will be asked to set up an authenticator app the next time you sign in.",
        secrets=codes,
    )
    assert system_administrator.username not in notice.body
    # The action sent again finds nothing left to remove: it is recorded, but not told twice.
    client.post(changelist, action)
    assert AuditEvent.objects.filter(event_type=AuditEventType.TWO_FACTOR_RESET).count() == 2
    assert len(notices(complaints_officer)) == 1
    assert notices(system_administrator) == []


def test_each_change_is_its_own_notice(complaints_officer, complaints_manager, codes):
    recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
    recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
    two_factor_reset(user=complaints_officer, acting_user=complaints_manager)
    assert [n.recipient for n in notices()] == [complaints_officer.email] * 3
    assert len({n.idempotency_key for n in notices()}) == 3


def test_the_time_is_london_time_in_the_govuk_style(complaints_officer, codes):
    with time_machine.travel(datetime(2026, 7, 1, 13, 5, tzinfo=UTC), tick=False):
        recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=UTC), tick=False):
        recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
    summer, winter = notices(complaints_officer)
    assert "This happened at 2:05pm on 1 July 2026 (UK time)." in summer.body
    assert "This happened at 10am on 1 December 2026 (UK time)." in winter.body


# -- no address, and changes that did not happen ----------------------------------------------------------------


def test_no_email_address_no_notice_and_the_change_still_happens(complaints_officer, system_administrator, codes):
    complaints_officer.email = ""
    complaints_officer.save(update_fields=["email"])
    made = recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
    assert not set(made) & set(codes)
    two_factor_reset(user=complaints_officer, acting_user=system_administrator)
    assert not TOTPDevice.objects.filter(user=complaints_officer).exists()
    assert recovery_codes_remaining(user=complaints_officer) is None
    assert AuditEvent.objects.filter(event_type=AuditEventType.TWO_FACTOR_RESET).count() == 1
    assert not Message.objects.exists()


def test_a_change_rolled_back_sends_nothing(complaints_officer, system_administrator, codes):
    queued = []

    @transaction.atomic
    def changes_then_failure():
        recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
        two_factor_reset(user=complaints_officer, acting_user=system_administrator)
        queued.extend(notices(complaints_officer))
        raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError):
        changes_then_failure()
    assert len(queued) == 2
    assert not Message.objects.exists()
    assert TOTPDevice.objects.filter(user=complaints_officer, confirmed=True).exists()
    assert recovery_codes_remaining(user=complaints_officer) == len(codes)


def test_a_notice_that_cannot_be_queued_stops_the_change(complaints_officer, codes, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the outbox is unavailable")

    monkeypatch.setattr("opencomplaints.notifications.receivers.message_queue", broken)
    with pytest.raises(RuntimeError):
        recovery_codes_create(user=complaints_officer, acting_user=complaints_officer)
    assert AuditEvent.objects.filter(event_type=AuditEventType.RECOVERY_CODES_CREATED).count() == 1
    assert recovery_codes_remaining(user=complaints_officer) == len(codes)
