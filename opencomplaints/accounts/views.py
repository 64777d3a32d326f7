"""Signing in: the password (or the council's single sign-on), then a code from an authenticator app (or a recovery
code), and signing out; and the person's own two-factor settings, including moving their app to a new phone. Each view
parses the request, makes one call to ``accounts.services`` and renders the result."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from opencomplaints.accounts.forms import (
    CODE_LOCKED,
    CODE_WRONG,
    PASSWORD_WRONG,
    RECOVERY_CODE_LOCKED,
    RECOVERY_CODE_WRONG,
    PasswordConfirmForm,
    SignInCodeForm,
    SignInForm,
    TwoFactorCodeForm,
)
from opencomplaints.accounts.models import User
from opencomplaints.accounts.recovery_codes import (
    RECOVERY_CODE_COUNT,
    RECOVERY_CODES_LOW,
    recovery_code_check,
    recovery_codes_remaining,
    recovery_device,
)
from opencomplaints.accounts.services import (
    PASSWORD,
    SINGLE_SIGN_ON,
    authenticator_app_replace_complete,
    authenticator_app_replace_start,
    recovery_code_sign_in,
    recovery_codes_create,
    sign_in_complete,
    sign_in_failure_record,
    sign_in_locked_out_record,
    sign_in_started,
    sign_out,
    two_factor_enrol_complete,
)
from opencomplaints.accounts.two_factor import (
    REPLACEMENT_MINUTES,
    CodeCheck,
    totp_check,
    totp_device_confirmed,
    totp_device_for_enrolment,
    totp_qr_svg,
    totp_replacement_allowed,
    totp_replacement_end,
    totp_replacement_started,
    totp_secret_text,
    two_factor_required,
)

SSO_NOT_LINKED = (
    "Your council account could not be used to sign in. It may not be linked to an account here: ask your system "
    "administrator, or sign in with your username and password."
)


def oidc_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def _given_next_url(request: HttpRequest) -> str | None:
    """The ``next`` address, if one was given and it is on this site."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


def _next_url(request: HttpRequest) -> str:
    """Where to go after signing in: the ``next`` address if it is on this site, else the case list."""
    return _given_next_url(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str | None) -> str:
    """The address of page ``name``, passing ``next_url`` on when there is one."""
    return reverse(name) + (f"?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else "")


def _second_step(user: User, next_url: str) -> HttpResponseRedirect:
    """To the code page, or the first time to setting up an app, then on to ``next_url``."""
    name = "accounts:two-factor-verify" if totp_device_confirmed(user=user) else "accounts:two-factor-enrol"
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


class SignInView(LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"oidc_enabled": oidc_enabled()}

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]  # LoginView's form type
        response = super().form_valid(form)
        user = form.get_user()
        sign_in_started(request=self.request, method=PASSWORD, now=time.time())
        if two_factor_required():
            return _second_step(user, _next_url(self.request))
        sign_in_complete(request=self.request, user=user, device=None)
        return response

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]  # LoginView's form type
        username = form.data.get("username", "")
        user = User.objects.filter(username=username).first() if username else None
        if user is not None:
            if getattr(self.request, "axes_locked_out", False):
                sign_in_locked_out_record(user=user)
            else:
                sign_in_failure_record(user=user, reason="wrong password")
        return super().form_invalid(form)


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    sign_out(request=request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _code_page(
    request: HttpRequest, template: str, form: TwoFactorCodeForm, context: dict[str, Any] | None = None
) -> HttpResponse:
    return render(request, template, {"form": form, "next": _next_url(request), **(context or {})})


def _wrong_code(form: TwoFactorCodeForm, locked_until: Any, *, recovery_code: bool = False) -> None:
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        form.add_error("code", (RECOVERY_CODE_LOCKED if recovery_code else CODE_LOCKED).format(seconds=seconds))
    else:
        form.add_error("code", RECOVERY_CODE_WRONG if recovery_code else CODE_WRONG)


def _recovery_codes_page(request: HttpRequest, codes: list[str], continue_url: str) -> HttpResponse:
    """The one time a set of recovery codes is shown: they are stored only as hashes. Rendered as the answer to the
    form that made them, never at an address of its own, and kept out of every cache."""
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "continue_url": continue_url})
    response["Cache-Control"] = "private, no-store"
    return response


def _recovery_codes_nudge(request: HttpRequest, user: User) -> None:
    """After a sign-in with the app: a reminder for someone with no recovery codes, or only a few, to make some."""
    left = recovery_codes_remaining(user=user)
    if left is not None and left > RECOVERY_CODES_LOW:
        return
    if not left:
        text = "You have no recovery codes. You need one to sign in if you lose your phone."
    else:
        text = f"You have only {left} recovery code{'' if left == 1 else 's'} left."
    link = reverse("accounts:recovery-codes")
    messages.info(
        request,
        format_html(
            '{} <a class="govuk-notification-banner__link" href="{}">{}</a>', text, link, "Get new recovery codes"
        ),
    )


def verified_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For pages in the ``accounts`` namespace, which the two-factor middleware lets through: signed in, and (where
    two-factor sign-in is required) having entered a code this session."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if two_factor_required() and not user.is_verified():
            return _second_step(user, request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code from the person's authenticator app, or one of their recovery codes, after their password."""
    user: Any = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    device = totp_device_confirmed(user=user)
    if device is None:
        return _second_step(user, _next_url(request))
    form = SignInCodeForm(request.POST or None)
    if form.is_valid() and form.is_recovery_code:
        recovery = recovery_device(user=user)
        check = CodeCheck(accepted=False)
        if recovery is not None:
            check = recovery_code_check(device=recovery, code=form.cleaned_data["code"])
        if check.accepted and recovery is not None:
            left = recovery_code_sign_in(request=request, user=user, device=recovery)
            next_url = _next_url(request)
            messages.info(
                request,
                format_html(
                    '{} <a class="govuk-notification-banner__link" href="{}">{}</a>',
                    f"You signed in with a recovery code. It will not work again. You have {left} recovery "
                    f"code{'' if left == 1 else 's'} left.",
                    _with_next("accounts:authenticator-replace", next_url),
                    "Lost your phone? Set up your new one now",
                ),
            )
            return HttpResponseRedirect(_with_next("accounts:security", next_url))
        sign_in_failure_record(user=user, reason="wrong recovery code")
        _wrong_code(form, check.locked_until, recovery_code=True)
    elif form.is_valid():
        check = totp_check(device=device, token=form.cleaned_data["code"])
        if check.accepted:
            sign_in_complete(request=request, user=user, device=device)
            _recovery_codes_nudge(request, user)
            return HttpResponseRedirect(_next_url(request))
        sign_in_failure_record(user=user, reason="wrong two-factor code")
        _wrong_code(form, check.locked_until)
    return _code_page(request, "accounts/two_factor_verify.html", form)


def _replacement_refused(request: HttpRequest, user: Any) -> HttpResponse | None:
    """Why this session may not set up a new app in place of the one it has, as the answer to give; ``None`` when it
    may: the session is verified and its password was entered again in the last ``REPLACEMENT_MINUTES``."""
    if two_factor_required() and not user.is_verified():
        return _second_step(user, _next_url(request))
    if totp_replacement_allowed(session=request.session, user=user, now=time.time()):
        return None
    if totp_replacement_started(session=request.session):
        messages.info(
            request,
            f"You did not finish setting up your new app within {REPLACEMENT_MINUTES} minutes. Enter your password "
            "again to carry on. Your old app still works.",
        )
        return HttpResponseRedirect(_with_next("accounts:authenticator-replace", _given_next_url(request)))
    return _second_step(user, _next_url(request))


@never_cache
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret in), then enter the first code it shows;
    then save the recovery codes it comes with.

    The same page sets up an app on a new phone in place of the old one, for a verified session that has just
    entered its password again (:func:`authenticator_replace`). The old app keeps working until the new one's first
    code is accepted, so leaving half-way changes nothing."""
    user: Any = request.user
    replacing = totp_device_confirmed(user=user) is not None
    if replacing and (refused := _replacement_refused(request, user)) is not None:
        return refused
    device = totp_device_for_enrolment(user=user)
    form = TwoFactorCodeForm(request.POST or None, submit_label="Set up and continue")
    if form.is_valid():
        check = totp_check(device=device, token=form.cleaned_data["code"])
        if check.accepted and replacing:
            codes = authenticator_app_replace_complete(request=request, user=user, device=device)
            if codes is None:
                return redirect("accounts:security")
            messages.success(
                request, "Your new authenticator app is set up. The app on your old phone no longer works."
            )
            return _recovery_codes_page(request, codes, _given_next_url(request) or reverse("accounts:security"))
        if check.accepted:
            codes = two_factor_enrol_complete(request=request, user=user, device=device)
            return _recovery_codes_page(request, codes, _next_url(request))
        _wrong_code(form, check.locked_until)
    service = settings.OPENCOMPLAINTS["SERVICE_NAME"]
    context = {
        "qr_code": totp_qr_svg(device, title=f"QR code to add {service} to your authenticator app"),
        "secret": totp_secret_text(device),
        "replacing": replacing,
        "back_url": _with_next("accounts:security", _given_next_url(request)),
    }
    return _code_page(request, "accounts/two_factor_enrol.html", form, context)


@never_cache
@verified_required
def authenticator_replace(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app on a new phone, in place of the old: first the password again, then the same
    set-up as the first time (:func:`two_factor_enrol`). Wrong passwords count towards the sign-in lockout."""
    user: Any = request.user
    if totp_device_confirmed(user=user) is None:
        return redirect("accounts:security")
    next_url = _given_next_url(request)
    form = PasswordConfirmForm(request.POST or None)
    if user.has_usable_password() and form.is_valid():
        result = authenticator_app_replace_start(
            request=request, user=user, password=form.cleaned_data["password"], now=time.time()
        )
        if result.accepted:
            return HttpResponseRedirect(_with_next("accounts:two-factor-enrol", next_url))
        if result.locked_out:
            return locked_out(request)
        form.add_error("password", PASSWORD_WRONG)
    context = {
        "form": form,
        "has_password": user.has_usable_password(),
        "back_url": _with_next("accounts:security", next_url),
        "recovery_codes_left": recovery_codes_remaining(user=user),
    }
    return render(request, "accounts/authenticator_replace.html", context)


@verified_required
def account_security(request: HttpRequest) -> HttpResponse:
    """The person's two-factor sign-in: their app, how many recovery codes they have left, and what to do if they
    lose their phone. After a sign-in with a recovery code it offers to continue to where they were going.

    Coming back here (the set-up page's Back and Cancel links lead here) ends a move to a new phone that was not
    finished: starting again needs the password again, so a session left open here cannot be used to move it."""
    user: Any = request.user
    totp_replacement_end(session=request.session)
    left = recovery_codes_remaining(user=user)
    context = {
        "authenticator": totp_device_confirmed(user=user),
        "recovery_codes_left": left,
        "recovery_codes_low": left is not None and left <= RECOVERY_CODES_LOW,
        "recovery_code_count": RECOVERY_CODE_COUNT,
        "next": _given_next_url(request),
        "replace_url": _with_next("accounts:authenticator-replace", _given_next_url(request)),
    }
    return render(request, "accounts/security.html", context)


@never_cache
@verified_required
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """A new set of recovery codes, in place of the old, once the person has entered a code from their app. A recovery
    code will not do: otherwise one code someone else had seen could be turned into a lasting way in."""
    user: Any = request.user
    device = totp_device_confirmed(user=user)
    if device is None:
        return redirect("accounts:security")
    form = TwoFactorCodeForm(request.POST or None, submit_label="Get new recovery codes")
    if form.is_valid():
        check = totp_check(device=device, token=form.cleaned_data["code"])
        if check.accepted:
            codes = recovery_codes_create(user=user, acting_user=user)
            return _recovery_codes_page(request, codes, reverse("accounts:security"))
        _wrong_code(form, check.locked_until)
    context = {"form": form, "recovery_codes_left": recovery_codes_remaining(user=user)}
    return render(request, "accounts/recovery_codes_new.html", context)


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None) -> HttpResponse:
    """django-axes' lockout response (``AXES_LOCKOUT_CALLABLE``): a GOV.UK page saying when to try again."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": settings.OPENCOMPLAINTS["SIGN_IN_LOCKOUT_MINUTES"]},
        status=429,
    )


class SingleSignOnStartView(OIDCAuthenticationRequestView):  # type: ignore[misc]  # mozilla-django-oidc is untyped
    """Sends the person to the council's identity provider (only when single sign-on is configured)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response


class SingleSignOnCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]  # mozilla-django-oidc is untyped
    """Where the identity provider sends the person back. An account is found by email address; none is created."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def login_success(self) -> HttpResponse:
        super().login_success()
        sign_in_started(request=self.request, method=SINGLE_SIGN_ON, now=time.time())
        if two_factor_required():
            return _second_step(self.user, self.success_url)
        sign_in_complete(request=self.request, user=self.user, device=None)
        return HttpResponseRedirect(self.success_url)

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, SSO_NOT_LINKED)
        return redirect("accounts:login")
