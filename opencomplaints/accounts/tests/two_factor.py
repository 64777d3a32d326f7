"""Two-factor sign-in for tests: a real TOTP device for a user, the code their app would show now, and a test
client session verified through the same functions the code page uses.

The root conftest makes ``Client.force_login`` call :func:`client_session_verify`, so every existing test's
signed-in session has passed the two-factor step exactly as a person's would (without an audit event, which only
the sign-in pages record). The browser tests' ``sign_in`` types :func:`current_code` into the real page.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest
from django.test import Client
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencomplaints.accounts.models import User
from opencomplaints.accounts.sessions import session_start
from opencomplaints.accounts.two_factor import DEVICE_NAME, session_verified_mark, totp_check


def confirmed_device(user: User) -> TOTPDevice:
    """The user's set-up authenticator app, made the first time it is asked for."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the app's current code, or, when that one was used already (a code works once),
    the next one, which the device accepts too (it allows a step of clock drift and follows it)."""
    device.refresh_from_db()
    now_t = int((time.time() - device.t0) // device.step) + device.drift
    t = max(now_t, device.last_t + 1)
    return f"{hotp(device.bin_key, t, digits=device.digits):0{device.digits}d}"


def client_session_verify(client: Client, user: User) -> TOTPDevice:
    """Verify ``client``'s signed-in session for ``user`` with a code from their device, as the code page does."""
    device = confirmed_device(user)
    check = totp_check(device=device, token=current_code(device))
    if not check.accepted:
        raise AssertionError(f"The test device of {user.username} refused its own code")
    request = HttpRequest()
    request.session = client.session
    request.user = user
    session_start(request.session, now=time.time())
    session_verified_mark(request=request, device=device)
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = str(request.session.session_key)
    return device
