"""The role requests page (docs/security.md): a system administrator asks for a role that sees case content, and a
second system administrator approves or refuses it here. Only system administrators reach it; one never decides
their own request (``councils.services.role_requests``)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from opencomplaints.accounts.models import User
from opencomplaints.cases.purposes import Refusal, home_url
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import CASE_CONTENT_ROLES, Council, Role, RoleRequest
from opencomplaints.councils.services.councils import is_system_administrator
from opencomplaints.councils.services.role_requests import (
    role_request_approve,
    role_request_create,
    role_request_refuse,
    system_administrators,
)

__all__ = ["role_request_decide", "role_requests"]

REFUSAL = Refusal(
    "You cannot see role requests",
    "Role requests are for system administrators, who approve each other's requests for roles that see case content.",
)


class RoleRequestForm(forms.Form):
    council = forms.ModelChoiceField(
        label="Council",
        queryset=Council.objects.order_by("name"),
        empty_label="Choose the council",
        error_messages={"required": "Choose the council", "invalid_choice": "Choose the council"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Choose the role"), *((r.value, r.label) for r in Role if r in CASE_CONTENT_ROLES)],
        error_messages={"required": "Choose the role", "invalid_choice": "Choose the role"},
    )
    reason = forms.CharField(
        label="Why you need it",
        help_text="The administrator who decides reads this.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you need this role"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("council"),
            Field.select("role"),
            Field.textarea("reason"),
            Button("submit", "Ask for the role"),
        )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "web/forbidden.html", {"refusal": REFUSAL, "home_href": home_url(request)}, status=403)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def role_requests(request: HttpRequest) -> HttpResponse:
    """Ask for a role that sees case content; see and decide the other administrators' requests."""
    user = _user(request)
    if not is_system_administrator(user):
        return _refused(request)
    form = RoleRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role_request_create(
                council=form.cleaned_data["council"],
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
                acting_user=user,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Your request was sent to the other system administrators.")
            return redirect("web:role-requests")
    requests = RoleRequest.objects.select_related("council", "user", "decided_by")
    context = {
        "form": form,
        "waiting": requests.filter(status=RoleRequest.Status.PENDING).exclude(user=user),
        "mine": requests.filter(user=user)[:20],
        "decided": requests.exclude(status=RoleRequest.Status.PENDING).exclude(user=user)[:20],
        "only_administrator": system_administrators().count() == 1,
        "errors": [{"text": e, "href": f"#id_{name}"} for name, es in form.errors.items() for e in es],
    }
    return render(request, "web/role_requests.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def role_request_decide(request: HttpRequest, role_request_id: int) -> HttpResponse:
    """Approve or refuse another administrator's request."""
    user = _user(request)
    if not is_system_administrator(user):
        return _refused(request)
    role_request = get_object_or_404(RoleRequest, pk=role_request_id)
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            role_request_approve(role_request=role_request, acting_user=user, now=timezone.now())
            messages.success(request, f"{role_request.user.username} now has the role they asked for.")
        elif decision == "refuse":
            role_request_refuse(
                role_request=role_request, acting_user=user, note=request.POST.get("note", ""), now=timezone.now()
            )
            messages.success(request, f"{role_request.user.username}'s request was refused.")
        else:
            messages.error(request, "Choose whether to approve or refuse the request.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("web:role-requests")
