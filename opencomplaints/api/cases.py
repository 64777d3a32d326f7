"""Cases through the API: list (the tracker's filters, cursor pagination), read, and change the owner, through the
same access functions, services and audit events as the pages. Every response carries an ETag; a change must send
it back in If-Match, and a stale one gets 412 with nothing changed (docs/api.md)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

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
from opencomplaints.api.authentication import TokenScopePermission, token_council_ids
from opencomplaints.api.errors import ErrorSerializer
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_read_record
from opencomplaints.cases import constants as c
from opencomplaints.cases.access import access_case_by_id, case_permissions, case_queryset_for_user
from opencomplaints.cases.models import Case, Stage
from opencomplaints.cases.services import case_owner_change
from opencomplaints.common.errors import NotFoundError
from opencomplaints.councils.models import CouncilMembership

__all__ = ["CaseDetailApi", "CaseListApi", "etag_of"]

CASE_NOT_FOUND = "Case not found"


class StageSerializer(serializers.ModelSerializer[Stage]):
    class Meta:
        model = Stage
        fields = ["number", "received_date", "acknowledged_date", "extended", "extended_due_date", "response_date",
                  "outcome"]  # fmt: skip


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


def etag_of(data: Any) -> str:
    """A strong ETag for a representation: any change to what the API shows of the record changes it."""
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return f'"{digest[:32]}"'


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated ran first
    return user


def _visible(request: Request) -> QuerySet[Case]:
    cases = case_queryset_for_user(user=_user(request))
    councils = token_council_ids(request)
    if councils is not None:
        cases = cases.filter(council_id__in=councils)
    # Stages come in their own order (case, number).
    return cases.select_related("council", "owner").prefetch_related("stages")


class CasePagination(CursorPagination):
    ordering = ("-received_date", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CaseListApi(APIView):
    """The cases you may see, newest first; filter by ``status``, ``kind``, ``stage`` or a ``reference`` prefix."""

    permission_classes = [IsAuthenticated, TokenScopePermission]

    @extend_schema(
        operation_id="cases_list",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=[s.value for s in c.CaseStatus]),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=[k.value for k in c.Kind]),
            OpenApiParameter("stage", OpenApiTypes.INT, enum=[1, 2, 3]),
            OpenApiParameter("reference", OpenApiTypes.STR, description="The start of a case reference."),
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: CasePageSerializer, 400: ErrorSerializer, 401: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        cases = _visible(request)
        wanted = {"status": c.CaseStatus.values, "kind": c.Kind.values, "stage": ["1", "2", "3"]}
        for name, allowed in wanted.items():
            value = request.query_params.get(name)
            if value is not None and value not in allowed:
                raise serializers.ValidationError({name: [f"Choose one of: {', '.join(map(str, allowed))}."]})
        if status_value := request.query_params.get("status"):
            cases = cases.filter(status=status_value)
        if kind := request.query_params.get("kind"):
            cases = cases.filter(kind=kind)
        if stage := request.query_params.get("stage"):
            cases = cases.filter(current_stage=int(stage))
        if reference := request.query_params.get("reference"):
            cases = cases.filter(reference__istartswith=reference[:40])
        paginator = CasePagination()
        page = paginator.paginate_queryset(cases, request, view=self) or []
        audit_read_record(
            acting_user=_user(request),
            event_type=AuditEventType.SEARCH_PERFORMED,
            summary="Cases listed through the API",
            details={"cases": [case.pk for case in page], "filters": FreeText(request.query_params.urlencode())},
        )
        return paginator.get_paginated_response(CaseSerializer(page, many=True).data)


class CaseDetailApi(APIView):
    """One case; PATCH changes its owner (If-Match required)."""

    permission_classes = [IsAuthenticated, TokenScopePermission]

    def _case(self, request: Request, case_id: int | str) -> Case:
        # The id is read here rather than by the URL, so a malformed one gets the API's 404, not a page.
        if not str(case_id).isdigit() or len(str(case_id)) > 18:
            raise NotFoundError(CASE_NOT_FOUND)
        case = _visible(request).filter(pk=int(case_id)).first()
        if case is None:
            raise NotFoundError(CASE_NOT_FOUND)
        return case

    def _respond(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        data = CaseSerializer(case).data
        return Response(data, status=code, headers={"ETag": etag_of(data)})

    @extend_schema(
        operation_id="cases_read",
        responses={200: CaseSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = self._case(request, case_id)
        audit_read_record(
            acting_user=_user(request),
            event_type=AuditEventType.CASE_VIEWED,
            subject=case,
            case_id=case.pk,
            summary=f"{case.reference} viewed through the API",
        )
        return self._respond(case)

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
        user = _user(request)
        case = self._case(request, case_id)
        if not case_permissions(user=user, case=case).allows("case-owner-change"):
            return _error(status.HTTP_403_FORBIDDEN, "forbidden", "You may not change who owns this case.")
        expected = request.headers.get("If-Match")
        if not expected:
            return _error(
                status.HTTP_428_PRECONDITION_REQUIRED,
                "precondition_required",
                "Send the case's ETag in If-Match, so a change made since you read it is not overwritten.",
            )
        current = etag_of(CaseSerializer(case).data)
        if expected.strip() != current:
            return _error(
                status.HTTP_412_PRECONDITION_FAILED,
                "stale",
                "Someone changed this case since you read it. Read it again, then make your change.",
            )
        body = OwnerChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        owner = _owner(case, body.validated_data["owner"])
        case_owner_change(case=access_case_by_id(user=user, case_id=case.pk), acting_user=user, owner=owner,
                          reason=body.validated_data["reason"])  # fmt: skip
        return self._respond(self._case(request, case_id))


def _owner(case: Case, username: str | None) -> User | None:
    if username is None:
        return None
    member = CouncilMembership.objects.filter(council_id=case.council_id, user__username=username).first()
    if member is None:
        raise serializers.ValidationError({"owner": [f"{username} is not a member of {case.council.name}."]})
    return member.user


def _error(code: int, name: str, message: str) -> Response:
    return Response({"error": {"code": name, "message": message, "field": None}}, status=code)
