"""The person's own API tokens: listed, created (shown once) and revoked, on a page beside their two-factor
sign-in (docs/api.md)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from opencomplaints.api.forms import ApiTokenForm
from opencomplaints.api.models import ApiToken
from opencomplaints.api.services import TokenError, api_token_create, api_token_revoke
from opencomplaints.councils.models import Council

__all__ = ["api_tokens"]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    councils = Council.objects.filter(memberships__user=user).order_by("name")
    form = ApiTokenForm(councils=councils)
    created: str | None = None
    status = 200
    if request.method == "POST" and "revoke" in request.POST:
        token = ApiToken.objects.filter(user=user, pk=request.POST.get("revoke") or 0).first()
        if token is not None and token.revoked_at is None:
            api_token_revoke(token=token, acting_user=user)
        return redirect("api:tokens")
    if request.method == "POST":
        form = ApiTokenForm(request.POST, councils=councils)
        if form.is_valid():
            try:
                _row, created = api_token_create(
                    user=user,
                    acting_user=user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    councils=list(form.cleaned_data["councils"]),
                    expires_in_days=form.cleaned_data["expires"],
                )
            except TokenError as error:
                form.add_error(None, error.message)
            else:
                form = ApiTokenForm(councils=councils)
        if form.errors:
            status = 400
    context = {
        "form": form,
        "created": created,
        "tokens": ApiToken.objects.filter(user=user).prefetch_related("councils"),
        "errors": [{"text": e, "href": f"#id_{name}"} for name, es in form.errors.items() for e in es],
    }
    return render(request, "api/tokens.html", context, status=status)
