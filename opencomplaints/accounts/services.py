"""Signing in and out, with an audit event for each step (convention 4): the subject is the user signing in, the
acting user is that user once they are known to be who they say (blank for a failed attempt, which anyone could
make). Events hold no password, code, address or IP address: the sign-in throttling's own records (django-axes)
keep the addresses of failed attempts for as long as a lockout needs them.

A change to someone's two-factor sign-in (a new app, new recovery codes, a recovery code used, an administrator's
reset) also emails them a security notice, queued in the same transaction, so that someone who did not make the change
finds out (docs/adr/0007-recovery-codes.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import authenticate, logout
from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencomplaints.accounts.models import User
from opencomplaints.accounts.recovery_codes import recovery_codes_remaining, recovery_codes_replace
from opencomplaints.accounts.sessions import session_start
from opencomplaints.accounts.signals import security_notice_due
from opencomplaints.accounts.two_factor import (
    session_verified_mark,
    totp_confirm,
    totp_replacement_allow,
    totp_replacement_end,
)
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.audit.services import audit_event_record

__all__ = [
    "PASSWORD",
    "SINGLE_SIGN_ON",
    "PasswordCheck",
    "authenticator_app_replace_complete",
    "authenticator_app_replace_start",
    "recovery_code_sign_in",
    "recovery_codes_create",
    "sign_in_complete",
    "sign_in_failure_record",
    "sign_in_locked_out_record",
    "sign_in_started",
    "sign_out",
    "two_factor_enrol_complete",
    "two_factor_reset",
]

PASSWORD = "password"  # noqa: S105  # the name of a sign-in method, not a password
SINGLE_SIGN_ON = "single sign-on"

_METHOD_KEY = "opencomplaints_sign_in_method"

# What each security notice says changed. No code, secret or device detail: the email may be read by whoever made
# the change, and it only has to tell the person to act.
NOTICE_APP_REPLACED = (
    "A new authenticator app was set up for your account in place of the old one, and a new set of recovery codes "
    "was made. The old app and the old recovery codes no longer work."
)
NOTICE_RECOVERY_CODES = (
    "A new set of recovery codes was made for your account. Any recovery codes you had before no longer work."
)
NOTICE_RECOVERY_CODE_USED = "A recovery code was used to sign in to your account. {left}"
NOTICE_TWO_FACTOR_RESET = (
    "A system administrator reset two-factor sign-in for your account. Your authenticator app and recovery codes "
    "were removed. You will be asked to set up an authenticator app the next time you sign in."
)


def _codes_left(left: int) -> str:
    if left == 0:
        return "You have no recovery codes left."
    return f"You have {left} recovery code{'s' if left != 1 else ''} left."


def _security_notice_queue(*, user: User, event: AuditEvent, change: str, acting_user: User | None) -> None:
    """Email ``user`` that their two-factor sign-in changed, in the caller's transaction: a change rolled back sends
    nothing. The key is the change's audit event, so each change is told once however often the outbox is worked,
    and two changes are told twice; the services refuse a repeated request (a code works once, a new app is confirmed
    once, a reset of nothing is not told). Someone with no email address is not told: the audit event is the record.
    """
    if not user.email.strip():
        return
    # The messages app, a layer above, queues the email (``notifications.receivers``): accounts knows no template.
    security_notice_due.send(sender=User, user=user, event=event, change=change, acting_user=acting_user)


def sign_in_started(*, request: HttpRequest, method: str, now: float) -> None:
    """Called once the password (or the single sign-on provider) has accepted the person: stamps the session for
    its time limits and remembers how they signed in for the event recorded when sign-in completes."""
    session_start(request.session, now=now)
    request.session[_METHOD_KEY] = method


@transaction.atomic
def sign_in_complete(*, request: HttpRequest, user: User, device: Device | None) -> None:
    """Record a completed sign-in: after the two-factor code where one is required (``device``, the app or the
    recovery codes, accepted it, and the session is marked verified by it), else straight after the password."""
    if device is not None:
        session_verified_mark(request=request, device=device)
    method = str(request.session.get(_METHOD_KEY, PASSWORD))
    second = ""
    if device is not None:
        second = ", recovery code" if isinstance(device, StaticDevice) else ", two-factor code"
    audit_event_record(
        acting_user=user,
        event_type=AuditEventType.SIGN_IN,
        subject=user,
        summary=f"{user.username} signed in ({method}{second})",
        after={"method": method, "two_factor": device is not None},
    )


@transaction.atomic
def two_factor_enrol_complete(*, request: HttpRequest, user: User, device: TOTPDevice) -> list[str]:
    """The first code from a newly set-up app was accepted: the device is confirmed, the person is given their
    recovery codes (returned, to be shown this once) and the sign-in completes."""
    totp_confirm(device=device)
    audit_event_record(
        acting_user=user,
        event_type=AuditEventType.TWO_FACTOR_ENROLLED,
        subject=user,
        summary=f"{user.username} set up two-factor sign-in ({device.name})",
        after={"device": device.name},
    )
    codes = recovery_codes_create(user=user, acting_user=user)
    sign_in_complete(request=request, user=user, device=device)
    return codes


@transaction.atomic
def recovery_codes_create(*, user: User, acting_user: User) -> list[str]:
    """A new set of recovery codes for ``user``, in place of any they had (those stop working). Returns the codes,
    which are stored only as hashes: the caller shows them this once."""
    codes, replaced = recovery_codes_replace(user=user)
    summary = f"{user.username} was given {len(codes)} new recovery codes"
    if replaced:
        summary += f"; the {replaced} unused codes of the previous set no longer work"
    event = audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.RECOVERY_CODES_CREATED,
        subject=user,
        summary=summary,
        before={"recovery_codes_left": replaced},
        after={"recovery_codes_left": len(codes)},
    )
    _security_notice_queue(user=user, event=event, change=NOTICE_RECOVERY_CODES, acting_user=acting_user)
    return codes


@transaction.atomic
def recovery_code_sign_in(*, request: HttpRequest, user: User, device: StaticDevice) -> int:
    """A recovery code was accepted (and used up) in place of a code from the app: the sign-in completes. Returns
    how many codes the person has left."""
    left = int(device.token_set.count())
    event = audit_event_record(
        acting_user=user,
        event_type=AuditEventType.RECOVERY_CODE_USED,
        subject=user,
        summary=f"{user.username} used a recovery code to sign in; {left} left",
        before={"recovery_codes_left": left + 1},
        after={"recovery_codes_left": left},
    )
    _security_notice_queue(
        user=user, event=event, change=NOTICE_RECOVERY_CODE_USED.format(left=_codes_left(left)), acting_user=user
    )
    sign_in_complete(request=request, user=user, device=device)
    return left


@transaction.atomic
def two_factor_reset(*, user: User, acting_user: User) -> None:
    """Remove the user's authenticator app and recovery codes (someone who has lost both): they set up an app, and
    get new codes, at their next sign-in. A session they verified with either is no longer verified. They are sent a
    security notice, unless there was no app or recovery codes to remove (the same reset made twice)."""
    apps = TOTPDevice.objects.filter(user=user, confirmed=True).count()
    had_codes = recovery_codes_remaining(user=user)
    codes_left = had_codes or 0
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    event = audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.TWO_FACTOR_RESET,
        subject=user,
        summary=f"{acting_user.username} reset the two-factor sign-in of {user.username}: "
        "authenticator app and recovery codes removed",
        before={"authenticator_apps": apps, "recovery_codes_left": codes_left},
        after={"authenticator_apps": 0, "recovery_codes_left": 0},
    )
    if apps or had_codes is not None:
        _security_notice_queue(user=user, event=event, change=NOTICE_TWO_FACTOR_RESET, acting_user=acting_user)


@dataclass(frozen=True)
class PasswordCheck:
    """The result of entering the password again: accepted, or not, with ``locked_out`` when that was one wrong
    password too many (the session has then been ended)."""

    accepted: bool
    locked_out: bool = False


@transaction.atomic
def authenticator_app_replace_start(*, request: HttpRequest, user: User, password: str, now: float) -> PasswordCheck:
    """Someone in a verified session asks to set up their authenticator app on a new phone, and enters their password
    again: an unlocked session someone else has picked up must not be enough to move the second factor.

    The password goes through Django's ``authenticate``, so django-axes counts a wrong one with the wrong passwords
    typed at sign-in (same username and address) and refuses any while locked out. Locked out, the session is ended
    too: whoever is using it cannot keep guessing from another address. A right password lets this session confirm a
    new app for ``REPLACEMENT_MINUTES``; nothing else changes until it does."""
    checked = authenticate(request, username=user.get_username(), password=password)
    if isinstance(checked, User) and checked.pk == user.pk:
        totp_replacement_allow(session=request.session, user=user, now=now)
        return PasswordCheck(accepted=True)
    if getattr(request, "axes_locked_out", False):
        audit_event_record(
            acting_user=None,
            event_type=AuditEventType.LOCKED_OUT,
            subject=user,
            summary=f"{user.username} was signed out: too many wrong passwords while replacing their authenticator app",
            after={"reason": "wrong password to replace the authenticator app"},
        )
        sign_out(request=request, reason="was signed out: locked out after wrong passwords")
        return PasswordCheck(accepted=False, locked_out=True)
    audit_event_record(
        acting_user=None,
        event_type=AuditEventType.SIGN_IN_FAILED,
        subject=user,
        summary=f"Password check for {user.username} failed: wrong password to replace the authenticator app",
        after={"reason": "wrong password to replace the authenticator app"},
    )
    return PasswordCheck(accepted=False)


@transaction.atomic
def authenticator_app_replace_complete(*, request: HttpRequest, user: User, device: TOTPDevice) -> list[str] | None:
    """The first code from the new app was accepted: the new device is confirmed, the old app (or apps) removed,
    the recovery codes replaced (returned, to be shown this once: the old set may have been kept with the lost phone)
    and the session marked verified by the new app, since the device it was verified by may be gone. Returns
    ``None``, changing nothing, when ``device`` is no longer waiting to be confirmed (a second click on the button, or
    an administrator's reset in between)."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
    if device is None:
        return None
    old = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
    apps = old.filter(confirmed=True).count()
    old.delete()
    totp_confirm(device=device)
    codes, replaced = recovery_codes_replace(user=user)
    summary = f"{user.username} replaced their authenticator app and was given {len(codes)} new recovery codes"
    if replaced:
        summary += f"; the {replaced} unused codes of the previous set no longer work"
    event = audit_event_record(
        acting_user=user,
        event_type=AuditEventType.AUTHENTICATOR_APP_REPLACED,
        subject=user,
        summary=summary,
        before={"authenticator_apps": apps, "recovery_codes_left": replaced},
        after={"authenticator_apps": 1, "recovery_codes_left": len(codes)},
    )
    _security_notice_queue(user=user, event=event, change=NOTICE_APP_REPLACED, acting_user=user)
    totp_replacement_end(session=request.session)
    session_verified_mark(request=request, device=device)
    return codes


def sign_in_failure_record(*, user: User, reason: str) -> None:
    """A wrong password or code for an existing account (attempts naming no account are throttled, not audited:
    there is no account to record them against)."""
    audit_event_record(
        acting_user=None,
        event_type=AuditEventType.SIGN_IN_FAILED,
        subject=user,
        summary=f"Sign-in as {user.username} failed: {reason}",
        after={"reason": reason},
    )


def sign_in_locked_out_record(*, user: User) -> None:
    """A sign-in refused because of too many failed attempts from the same place."""
    audit_event_record(
        acting_user=None,
        event_type=AuditEventType.LOCKED_OUT,
        subject=user,
        summary=f"Sign-in as {user.username} refused: locked out after failed attempts",
    )


def sign_out(*, request: HttpRequest, reason: str = "signed out") -> None:
    """End the session, recording who it was and why (they signed out, or it expired)."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        audit_event_record(
            acting_user=user,
            event_type=AuditEventType.SIGN_OUT,
            subject=user,
            summary=f"{user.username} {reason}",
            after={"reason": reason},
        )
    logout(request)
