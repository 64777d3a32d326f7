"""Cases through the API: list (the tracker's filters, cursor pagination), read, and change the owner, through the
same access functions, services and audit events as the pages. Every response carries an ETag (the case's version);
a change must send it back in If-Match, and a stale one gets 412 with nothing changed (docs/api.md).
Enquiries, compliments and Ombudsman cases are kinds of case: ``?kind=mp_enquiry,member_enquiry``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opencomplaints.accounts.models import User
from opencomplaints.api.authentication import TokenScopePermission
from opencomplaints.api.errors import ErrorSerializer
from opencomplaints.api.registration import CaseCreateSerializer, case_create
from opencomplaints.api.resources import (
    api_error,
    case_etag,
    case_for_request,
    expected_version,
    request_user,
    visible_cases,
)
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_read_record
from opencomplaints.cases import constants as c
from opencomplaints.cases.concurrency import check_version
from opencomplaints.cases.kinds import all_kinds
from opencomplaints.cases.models import Case, Stage
from opencomplaints.cases.services import case_owner_change
from opencomplaints.councils.models import CouncilMembership

__all__ = ["CaseDetailApi", "CaseListApi", "CaseSerializer", "case_response"]


class StageSerializer(serializers.ModelSerializer[Stage]):
    class Meta:
        model = Stage
        fields = ["id", "number", "received_date", "acknowledged_date", "extended", "extended_due_date",
                  "response_date", "outcome"]  # fmt: skip


class CaseSerializer(serializers.ModelSerializer[Case]):
    council: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = ["id", "reference", "council", "kind", "procedure", "status", "received_date", "current_stage",
                  "next_due_date", "owner", "restricted", "stages"]  # fmt: skip


class CasePageSerializer(serializers.Serializer[dict[str, Any]]):
    """One page of cases: follow ``next`` for the following page (cursor pagination)."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CaseSerializer(many=True)


class OwnerChangeSerializer(serializers.Serializer[dict[str, Any]]):
    owner = serializers.CharField(allow_null=True, help_text="The new owner's user name; null for no one.")
    reason = serializers.CharField(max_length=1000, help_text="Why the case changes hands (kept in the audit trail).")


def _visible(request: Request) -> QuerySet[Case]:
    # Stages come in their own order (case, number).
    return visible_cases(request).select_related("council", "owner").prefetch_related("stages")


def case_response(request: Request, case_id: int, code: int = status.HTTP_200_OK) -> Response:
    """The case as it now stands, with its ETag."""
    case = _visible(request).get(pk=case_id)
    return Response(CaseSerializer(case).data, status=code, headers={"ETag": case_etag(case)})


def _kinds() -> list[str]:
    return [kind.value for kind in all_kinds()]


class CasePagination(CursorPagination):
    ordering = ("-received_date", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CaseListApi(APIView):
    """The cases you may see, newest first; filter by ``status``, ``kind`` (one or several, separated by commas:
    enquiries, compliments and Ombudsman cases are kinds of case), ``stage`` or a ``reference`` prefix."""

    permission_classes = [IsAuthenticated, TokenScopePermission]

    @extend_schema(
        operation_id="cases_list",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=[s.value for s in c.CaseStatus]),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, description="One kind or several separated by commas: " + ", ".join(_kinds())
            ),
            OpenApiParameter("stage", OpenApiTypes.INT, enum=[1, 2, 3]),
            OpenApiParameter("reference", OpenApiTypes.STR, description="The start of a case reference."),
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: CasePageSerializer, 400: ErrorSerializer, 401: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        cases = _visible(request)
        wanted = {"status": c.CaseStatus.values, "stage": ["1", "2", "3"]}
        for name, allowed in wanted.items():
            value = request.query_params.get(name)
            if value is not None and value not in allowed:
                raise serializers.ValidationError({name: [f"Choose one of: {', '.join(map(str, allowed))}."]})
        kinds = [k.strip() for k in request.query_params.get("kind", "").split(",") if k.strip()]
        if unknown := [k for k in kinds if k not in _kinds()]:
            raise serializers.ValidationError({"kind": [f"Choose from: {', '.join(_kinds())} (not {unknown[0]})."]})
        if status_value := request.query_params.get("status"):
            cases = cases.filter(status=status_value)
        if kinds:
            cases = cases.filter(kind__in=kinds)
        if stage := request.query_params.get("stage"):
            cases = cases.filter(current_stage=int(stage))
        if reference := request.query_params.get("reference"):
            cases = cases.filter(reference__istartswith=reference[:40])
        paginator = CasePagination()
        page = paginator.paginate_queryset(cases, request, view=self) or []
        audit_read_record(
            acting_user=request_user(request),
            event_type=AuditEventType.SEARCH_PERFORMED,
            summary="Cases listed through the API",
            details={"cases": [case.pk for case in page], "filters": FreeText(request.query_params.urlencode())},
        )
        return paginator.get_paginated_response(CaseSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        request=CaseCreateSerializer,
        responses={201: CaseSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        """Register a complaint (the registration service, the page's rules)."""
        case = case_create(request)
        return case_response(request, case.pk, status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    """One case; PATCH changes its owner (If-Match required)."""

    permission_classes = [IsAuthenticated, TokenScopePermission]

    @extend_schema(
        operation_id="cases_read",
        responses={200: CaseSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case, _permissions = case_for_request(request, case_id)
        audit_read_record(
            acting_user=request_user(request),
            event_type=AuditEventType.CASE_VIEWED,
            subject=case,
            case_id=case.pk,
            summary=f"{case.reference} viewed through the API",
        )
        return case_response(request, case.pk)

    @extend_schema(
        operation_id="cases_change_owner",
        request=OwnerChangeSerializer,
        parameters=[OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)],
        responses={
            200: CaseSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            412: OpenApiResponse(ErrorSerializer, description="The case changed since the ETag was read."),
            428: OpenApiResponse(ErrorSerializer, description="If-Match is missing."),
        },
    )
    def patch(self, request: Request, case_id: str) -> Response:
        user = request_user(request)
        case, permissions = case_for_request(request, case_id)
        if not permissions.allows("case-owner-change"):
            return api_error(status.HTTP_403_FORBIDDEN, "forbidden", "You may not change who owns this case.")
        version = expected_version(request, case)
        body = OwnerChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        owner = _owner(case, body.validated_data["owner"])
        with transaction.atomic():
            check_version(case, version)
            case_owner_change(case=case, acting_user=user, owner=owner, reason=body.validated_data["reason"])
        return case_response(request, case.pk)


def _owner(case: Case, username: str | None) -> User | None:
    if username is None:
        return None
    member = CouncilMembership.objects.filter(council_id=case.council_id, user__username=username).first()
    if member is None:
        raise serializers.ValidationError({"owner": [f"{username} is not a member of {case.council.name}."]})
    return member.user
