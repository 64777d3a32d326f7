"""Signed-in sessions: they expire (``accounts.sessions``), and staff reach no staff page until they have entered a
code from their authenticator app (``accounts.two_factor``).

Both run after Django's ``AuthenticationMiddleware`` and django-otp's ``OTPMiddleware``. The public portal and the
sign-in pages themselves are exempt; static files never reach here (WhiteNoise serves them first).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from opencomplaints.accounts.services import sign_out
from opencomplaints.accounts.sessions import IDLE, TOO_LONG, session_expiry_reason, session_touch
from opencomplaints.accounts.two_factor import totp_device_confirmed, two_factor_required

__all__ = ["SessionLifetimeMiddleware", "SignedInNoStoreMiddleware", "TwoFactorRequiredMiddleware"]

# URL namespaces a signed-in but not yet verified person may reach: signing in, enrolling, verifying, signing out,
# and the public portal (which never depends on who is signed in).
EXEMPT_NAMESPACES = frozenset({"accounts", "portal"})

EXPIRED_MESSAGES = {
    IDLE: "You were signed out because you had not used {service} for {minutes} minutes. Sign in again to continue.",
    TOO_LONG: "You were signed out because you had been signed in for {hours} hours. Sign in again to continue.",
}


def _sign_in_redirect(request: HttpRequest, name: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class SessionLifetimeMiddleware:
    """Ends a signed-in session that has been idle, or open, for too long, and sends the person to sign in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Reading the session, not request.user, keeps anonymous requests (the portal) free of user queries.
        if SESSION_KEY in request.session:
            now = time.time()
            reason = session_expiry_reason(request.session, now=now)
            if reason is not None:
                return self._expire(request, reason)
            session_touch(request.session, now=now)
        return self.get_response(request)

    def _expire(self, request: HttpRequest, reason: str) -> HttpResponse:
        config = settings.OPENCOMPLAINTS
        sign_out(request=request, reason="was signed out: session expired" + (" (idle)" if reason == IDLE else ""))
        text = EXPIRED_MESSAGES[reason].format(
            service=config["SERVICE_NAME"], minutes=config["SESSION_IDLE_MINUTES"], hours=config["SESSION_MAX_HOURS"]
        )
        messages.info(request, text)
        return _sign_in_redirect(request, "accounts:login")


class SignedInNoStoreMiddleware:
    """Tells browsers and proxies to keep no copy of any response to a signed-in person (``Cache-Control:
    private, no-store``): case pages, the tracker's CSV, imports and reports carry personal data, which must not
    be left in a shared computer's cache or a proxy's. Static files never reach here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before and after: signing out empties the session, signing in fills it.
        signed_in = SESSION_KEY in request.session
        response = self.get_response(request)
        if signed_in or SESSION_KEY in request.session:
            patch_cache_control(response, private=True, no_store=True)
        return response


class TwoFactorRequiredMiddleware:
    """Sends a signed-in person who has not entered a code from their app this session to enter one (or, the first
    time, to set the app up), then back to the page they asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not two_factor_required() or SESSION_KEY not in request.session:
            return None
        match = request.resolver_match
        if match is not None and EXEMPT_NAMESPACES.intersection(match.namespaces):
            return None
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if totp_device_confirmed(user=user) is None:
            return _sign_in_redirect(request, "accounts:two-factor-enrol")
        return _sign_in_redirect(request, "accounts:two-factor-verify")
