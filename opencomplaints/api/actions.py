"""Casework actions through the API. Each endpoint is one of the casework declarations
(``casework.declarations``), so it checks the same permission, fills in the same form (the same validation and
messages), calls the same service with the same rules, and writes the same audit event as the page; only the body
differs: JSON (or a multipart form for a file) with the form's field names, dates as ``YYYY-MM-DD``.

A change sends the case's ETag in If-Match (428 without it, 412 when the case has moved on, nothing changed); a
rule of the procedure that refuses answers 400 with the reason (docs/api.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opencomplaints.api.authentication import TokenScopePermission
from opencomplaints.api.cases import CaseSerializer, case_response
from opencomplaints.api.errors import ErrorSerializer
from opencomplaints.api.resources import case_for_request, expected_version, request_user
from opencomplaints.cases.access import CasePermissions
from opencomplaints.cases.models import Case
from opencomplaints.casework.declarations import ACTIONS, Action
from opencomplaints.casework.services import declared_action_perform
from opencomplaints.common.errors import NotFoundError
from opencomplaints.common.forms import GovukDateField

__all__ = ["API_ACTIONS", "ApiAction", "action_perform", "action_views", "declared", "form_data", "request_body"]

FORBIDDEN = "Your role on this case does not allow this."
NOT_AN_OBJECT = "Send the fields as a JSON object."
DATE_FORMAT = "Enter the date as YYYY-MM-DD, for example 2026-03-27."


def declared(name: str) -> Action:
    """The casework declaration called ``name``."""
    return next(a for a in ACTIONS if a.name == name)


def form_data(form_class: type[forms.Form], body: Mapping[str, Any]) -> dict[str, Any]:
    """The API's fields as the page's form would receive them: a ``YYYY-MM-DD`` date as its day, month and year
    boxes, ``true``/``false`` as the yes or no radio (or a ticked box), a list as several values."""
    data: dict[str, Any] = {}
    wrong: dict[str, list[str]] = {}
    for name, value in body.items():
        each = form_class.base_fields.get(name)
        if isinstance(each, GovukDateField):
            try:
                day = date.fromisoformat(str(value))
            except ValueError:
                wrong[name] = [DATE_FORMAT]
                continue
            data.update({f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)})
        elif isinstance(value, bool) and isinstance(each, forms.ChoiceField):
            data[name] = "yes" if value else "no"
        elif isinstance(value, bool):
            data[name] = "on" if value else ""
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value is None else str(value)
    if wrong:
        raise serializers.ValidationError(wrong)
    return data


def action_perform(request: Request, *, case: Case, permissions: CasePermissions, action: Action, target: Any) -> Any:
    """Fill in ``action``'s form from the request, and make its service call on ``target`` with the version check;
    the form's errors answer 400 with each field's messages, a service's refusal 400 with its reason."""
    user = request_user(request)
    if not permissions.allows(action.name):
        raise exceptions.PermissionDenied(FORBIDDEN)
    version = expected_version(request, case)
    body = request.data
    if not isinstance(body, Mapping):
        raise serializers.ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
    values = body.dict() if hasattr(body, "dict") else dict(body)
    files = {k: v for k, v in request.FILES.items() if k in action.form.base_fields}
    values = {k: v for k, v in values.items() if k not in files}
    form = action.form(
        form_data(action.form, values),
        files,
        case=case,
        target=target,
        keyword=action.target.keyword,
        user=user,
        permissions=permissions,
        today=timezone.localdate(),
    )
    if not form.is_valid():
        raise serializers.ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    return declared_action_perform(
        action=action, case=case, acting_user=user, version=version, arguments=form.service_arguments()
    )


def _schema_field(each: forms.Field) -> serializers.Field[Any, Any, Any, Any]:
    """The schema's description of one form field (the form itself validates)."""
    options: dict[str, Any] = {"required": False, "help_text": str(each.label or "")}
    if isinstance(each, GovukDateField):
        return serializers.DateField(**options)
    if isinstance(each, forms.FileField):
        return serializers.FileField(**options)
    if isinstance(each, forms.BooleanField):
        return serializers.BooleanField(**options)
    if isinstance(each, forms.ModelChoiceField):
        return serializers.IntegerField(**options)
    if isinstance(each, forms.ChoiceField):
        choices = [value for value, _label in each.choices if value != ""]  # type: ignore[union-attr,misc]  # a list here
        return serializers.ChoiceField(choices=choices, allow_blank=not each.required, **options)
    return serializers.CharField(allow_blank=True, **options)


def request_body(
    name: str, action: Action, extra: Mapping[str, Any] | None = None
) -> type[serializers.Serializer[Any]]:
    """The schema of an action's body: its form's fields (the form validates them)."""
    fields = {key: _schema_field(each) for key, each in action.form.base_fields.items()}
    fields.update({key: make() for key, make in (extra or {}).items()})
    return type(name, (serializers.Serializer,), fields)


def _finding() -> serializers.CharField:
    return serializers.CharField(
        required=False, help_text="The outcome of the stage; with points of complaint, send finding_<point id> too."
    )


@dataclass(frozen=True)
class ApiAction:
    """One casework action offered by the API at ``cases/{case_id}/[stages/{number}/]<verb>/``."""

    verb: str
    name: str  # the casework declaration
    summary: str
    on_stage: bool = True
    # Fields the form adds for the record (a stage's outcomes), for the schema.
    extra: dict[str, Any] = field(default_factory=dict)


API_ACTIONS: tuple[ApiAction, ...] = (
    ApiAction("acknowledge", "stage-acknowledge", "Record the acknowledgement of a stage"),
    ApiAction("extend", "stage-extend", "Extend a stage's timescale (R1.20)"),
    ApiAction("hold", "stage-hold", "Put a stage on hold"),
    ApiAction("resume", "stage-resume", "Resume a stage after a hold"),
    ApiAction("respond", "stage-respond", "Record a stage's response", extra={"outcome": _finding}),
    ApiAction("escalate", "complaint-escalate", "Open the next stage of a complaint", on_stage=False),
)


def _stage_target(request: Request, case: Case, permissions: CasePermissions, action: Action, number: str) -> Any:
    """The stage numbered ``number`` of ``case``, read through the declaration's access function."""
    stage = (
        case.stages.filter(number=int(number)).first()
        if number.isascii() and number.isdigit() and len(number) < 3
        else None
    )
    if stage is None:
        raise NotFoundError("Stage not found")
    return action.target.load(case, permissions, request_user(request), {"stage_id": stage.pk})


def _view(api_action: ApiAction) -> type[APIView]:
    action = declared(api_action.name)
    body = request_body(f"{api_action.verb.title()}Request", action, api_action.extra)

    responses: dict[int, Any] = {
        200: CaseSerializer,
        400: ErrorSerializer,
        401: ErrorSerializer,
        403: ErrorSerializer,
        404: ErrorSerializer,
        412: OpenApiResponse(ErrorSerializer, description="The case changed since the ETag was read."),
        428: OpenApiResponse(ErrorSerializer, description="If-Match is missing."),
    }
    if_match = OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)

    @extend_schema(
        operation_id=f"{'stages' if api_action.on_stage else 'cases'}_{api_action.verb}",
        summary=api_action.summary,
        request=body,
        parameters=[if_match],
        responses=responses,
    )
    def post(self: APIView, request: Request, case_id: str, number: str = "") -> Response:
        case, permissions = case_for_request(request, case_id)
        target = _stage_target(request, case, permissions, action, number) if api_action.on_stage else case
        action_perform(request, case=case, permissions=permissions, action=action, target=target)
        return case_response(request, case.pk)

    attributes = {
        "permission_classes": [IsAuthenticated, TokenScopePermission],
        "parser_classes": [JSONParser, FormParser, MultiPartParser],
        "post": post,
        "__doc__": api_action.summary,
    }
    return type(f"{api_action.verb.title()}Api", (APIView,), attributes)


def action_views() -> list[tuple[str, type[APIView], str]]:
    """(route, view, URL name) of every action the API offers."""
    routes = []
    for api_action in API_ACTIONS:
        below = "cases/<str:case_id>/" + ("stages/<str:number>/" if api_action.on_stage else "")
        routes.append((f"{below}{api_action.verb}/", _view(api_action), api_action.name))
    return routes
