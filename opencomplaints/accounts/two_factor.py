"""Two-factor sign-in: a time-based one-time password (TOTP, RFC 6238) from an authenticator app, through
django-otp's ``TOTPDevice``.

A person sets up their app once (the enrolment page shows a QR code and the secret for typing in), and then enters
the app's 6-digit code after their password at every sign-in. A session counts as verified when django-otp's
session key names the device that accepted a code (:func:`session_verified_mark`); ``OTPMiddleware`` reads it back
on every request. Someone who cannot use their app signs in with one of the recovery codes they saved when they set
it up (``accounts.recovery_codes``); a system administrator can reset their two-factor sign-in in the admin, which
removes the app and the codes, and they set up the app again at their next sign-in. Someone with a new phone sets
the app up on it themselves: after entering their password again in a verified session (:func:`totp_replacement_allow`)
the enrolment page sets up a second device, and the old one keeps working until the new one is confirmed.

Nothing here records audit events: the sign-in services in ``accounts.services`` do, so the test suite's signed-in
sessions can be verified through these same functions without adding events to every test's audit trail.
"""

from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencomplaints.accounts.models import User

__all__ = [
    "DEVICE_NAME",
    "REPLACEMENT_MINUTES",
    "CodeCheck",
    "session_verified_mark",
    "totp_check",
    "totp_confirm",
    "totp_device_confirmed",
    "totp_device_for_enrolment",
    "totp_qr_svg",
    "totp_replacement_allow",
    "totp_replacement_allowed",
    "totp_replacement_end",
    "totp_replacement_started",
    "totp_secret_text",
    "two_factor_required",
]

DEVICE_NAME = "Authenticator app"
# How long after entering their password again someone may confirm a new app in place of the old: time to install an
# app on a new phone and scan the QR code, but not so long that a session left open afterwards can still move the
# second factor without the password.
REPLACEMENT_MINUTES = 15
_REPLACEMENT_KEY = "opencomplaints_authenticator_replacement"
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def two_factor_required() -> bool:
    """Whether staff must enter a code from their app after their password (``OPENCOMPLAINTS_REQUIRE_TWO_FACTOR``;
    always on under the production settings)."""
    return bool(settings.OPENCOMPLAINTS["REQUIRE_TWO_FACTOR"])


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    """The user's set-up authenticator app, if they have one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The not-yet-confirmed device the enrolment page shows, made on first visit and kept until confirmed, so
    reloading the page does not change the QR code someone has already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@dataclass(frozen=True)
class CodeCheck:
    """The result of checking a code (from the app, or a recovery code): accepted, or not with ``locked_until`` set
    while too many wrong codes in a row make the device refuse to check any more."""

    accepted: bool
    locked_until: datetime | None = None


def totp_check(*, device: TOTPDevice, token: str) -> CodeCheck:
    """Check ``token`` against ``device``. A code is accepted once only, and wrong codes slow further attempts down
    (django-otp's throttling: 1, 2, 4, 8… seconds)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(accepted=False, locked_until=(details or {}).get("locked_until"))
        return CodeCheck(accepted=bool(device.verify_token(token)))


def session_verified_mark(*, request: HttpRequest, device: Device) -> None:
    """Mark the signed-in session as verified by ``device`` (the app, or the recovery codes: django-otp's session
    key), with a new session id, so an id seen before the code was entered is worth nothing after it."""
    request.session.cycle_key()
    django_otp.login(request, device)


def totp_confirm(*, device: TOTPDevice) -> TOTPDevice:
    """Mark an enrolment device set up, once its first code has been accepted."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice, *, title: str) -> SafeString:
    """The ``otpauth://`` address as a QR code, inline SVG markup (no image request, no ``data:`` URI for the
    content security policy to allow), labelled for screen readers."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10)
    markup: str = image.to_string(encoding="unicode")
    opening = (
        '<svg class="app-qr-code" width="200" height="200" viewBox="{box}" xmlns="http://www.w3.org/2000/svg" '
        'role="img" aria-labelledby="qr-code-title"><title id="qr-code-title">{title}</title>'
    )
    view_box = re.search(r'viewBox="([^"]+)"', markup)
    box = view_box.group(1) if view_box else "0 0 45 45"
    # The markup is qrcode's own (path data and numbers only); the title is escaped.
    return mark_safe(_SVG_OPEN.sub(opening.format(box=box, title=escape(title)), markup, count=1))  # noqa: S308


def totp_replacement_allow(*, session: SessionBase, user: User, now: float) -> None:
    """Let this session set up a new app in place of ``user``'s current one for the next ``REPLACEMENT_MINUTES``:
    called once they have entered their password again. Kept in the session, so it ends when the session does."""
    session[_REPLACEMENT_KEY] = {"user": user.pk, "at": int(now)}


def totp_replacement_started(*, session: SessionBase) -> bool:
    """Whether this session was ever allowed to replace the app and has not finished: the allowance may have run out."""
    return _REPLACEMENT_KEY in session


def totp_replacement_allowed(*, session: SessionBase, user: User, now: float) -> bool:
    """Whether this session may confirm a new app in place of ``user``'s current one now."""
    allowance = session.get(_REPLACEMENT_KEY)
    if not isinstance(allowance, dict) or allowance.get("user") != user.pk:
        return False
    elapsed = now - int(allowance.get("at", 0))
    return 0 <= elapsed < REPLACEMENT_MINUTES * 60


def totp_replacement_end(*, session: SessionBase) -> None:
    """The new app is set up (or the attempt is over): a further replacement needs the password again."""
    session.pop(_REPLACEMENT_KEY, None)
