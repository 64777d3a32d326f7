"""What is recorded on a case, through the API: notes and contacts (list, add), documents (list, upload through
the workspace's checks, download), the Ombudsman's details, and learning actions (list, read). Every read goes
through the access functions and the sections a role sees (``cases.access.CasePermissions``), and is on the
case's audit trail; an addition is the workspace's declared action (``api.actions``), with If-Match (docs/api.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opencomplaints.api.actions import action_perform, declared, request_body
from opencomplaints.api.authentication import TokenScopePermission
from opencomplaints.api.errors import ErrorSerializer
from opencomplaints.api.resources import case_etag, case_for_request, request_user
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_read_record
from opencomplaints.cases.access import CasePermissions
from opencomplaints.cases.models import Case, CaseNote, LearningAction, OmbudsmanDetail
from opencomplaints.cases.notes import notes_for_case
from opencomplaints.casework.access import access_learning_action_for_case
from opencomplaints.casework.downloads import document_file_response
from opencomplaints.casework.models import Document
from opencomplaints.common.errors import NotFoundError

__all__ = [
    "DocumentFileApi",
    "DocumentListApi",
    "LearningActionDetailApi",
    "LearningActionListApi",
    "NoteListApi",
    "OmbudsmanDetailApi",
]

F = TypeVar("F", bound=Callable[..., Any])
NOT_OMBUDSMAN = "This case is not an Ombudsman case"
READ: dict[int, Any] = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
WRITE = {
    400: ErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
    412: OpenApiResponse(ErrorSerializer, description="The case changed since the ETag was read."),
    428: OpenApiResponse(ErrorSerializer, description="If-Match is missing."),
}
IF_MATCH = OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)


def _reads(serializer: Any, operation_id: str, many: bool = False) -> Callable[[F], F]:
    return extend_schema(
        operation_id=operation_id, responses={**READ, 200: serializer(many=many) if many else serializer}
    )


def _audit(request: Request, case: Case, what: str, subject: Model | None = None, shown: Sequence[int] = ()) -> None:
    audit_read_record(
        acting_user=request_user(request),
        event_type=AuditEventType.CASE_VIEWED,
        subject=subject or case,
        case_id=case.pk,
        summary=f"{what} of {case.reference} read through the API",
        details={"section": what.lower(), "records": list(shown)},
    )


def _whole_case(request: Request, case_id: str) -> tuple[Case, CasePermissions]:
    """A case whose whole record the user sees (the Ombudsman, learning, notes: not an appointee's one stage)."""
    case, permissions = case_for_request(request, case_id)
    if not permissions.sees_whole_case:
        raise NotFoundError("Not found")
    return case, permissions


class _CaseApi(APIView):
    permission_classes = [IsAuthenticated, TokenScopePermission]


# -- notes and contacts ---------------------------------------------------------------------------------------


class NoteSerializer(serializers.ModelSerializer[CaseNote]):
    author: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = CaseNote
        fields = ["id", "kind", "occurred_at", "with_whom", "direction", "summary", "restricted", "author"]


NOTE_ADD = declared("case-note-add")


class NoteListApi(_CaseApi):
    """The notes and contacts of a case the user sees (a restricted note only for its small circle); POST adds one
    (If-Match)."""

    parser_classes = [JSONParser, FormParser]

    @_reads(NoteSerializer, "notes_list", many=True)
    def get(self, request: Request, case_id: str) -> Response:
        case, permissions = _whole_case(request, case_id)
        notes = list(notes_for_case(case=case, user=request_user(request), permissions=permissions))
        _audit(request, case, "Notes", shown=[n.pk for n in notes])
        return Response(NoteSerializer(notes, many=True).data, headers={"ETag": case_etag(case)})

    @extend_schema(
        operation_id="notes_create",
        request=request_body("NoteCreateRequest", NOTE_ADD),
        parameters=[IF_MATCH],
        responses={201: NoteSerializer, **WRITE},
    )
    def post(self, request: Request, case_id: str) -> Response:
        case, permissions = case_for_request(request, case_id)
        note = action_perform(request, case=case, permissions=permissions, action=NOTE_ADD, target=case)
        case.refresh_from_db(fields=["version"])
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED, headers={"ETag": case_etag(case)})


# -- documents --------------------------------------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer[Document]):
    stage = serializers.IntegerField(source="stage.number", allow_null=True, read_only=True)
    uploaded_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Document
        fields = ["id", "original_name", "content_type", "size", "description", "kind", "stage", "uploaded_by",
                  "uploaded_at"]  # fmt: skip


UPLOAD = declared("document-upload")


def _documents(case: Case, permissions: CasePermissions) -> QuerySet[Document]:
    documents = case.documents.select_related("stage", "uploaded_by").order_by("-uploaded_at", "-id")
    if permissions.stage_ids is not None:
        documents = documents.filter(stage_id__in=permissions.stage_ids)
    return documents


class DocumentListApi(_CaseApi):
    """The documents kept on a case (of the stages the user sees); POST uploads one as a multipart form (``file``,
    ``kind``, ``description``, ``stage`` as the stage's id), through the same checks as the case page."""

    parser_classes = [MultiPartParser, FormParser]

    @_reads(DocumentSerializer, "documents_list", many=True)
    def get(self, request: Request, case_id: str) -> Response:
        case, permissions = case_for_request(request, case_id)
        documents = list(_documents(case, permissions))
        _audit(request, case, "Documents", shown=[d.pk for d in documents])
        return Response(DocumentSerializer(documents, many=True).data, headers={"ETag": case_etag(case)})

    @extend_schema(
        operation_id="documents_upload",
        request={"multipart/form-data": request_body("DocumentUploadRequest", UPLOAD)},
        parameters=[IF_MATCH],
        responses={201: DocumentSerializer, **WRITE},
    )
    def post(self, request: Request, case_id: str) -> Response:
        case, permissions = case_for_request(request, case_id)
        document = action_perform(request, case=case, permissions=permissions, action=UPLOAD, target=case)
        case.refresh_from_db(fields=["version"])
        data = DocumentSerializer(document).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": case_etag(case)})


class DocumentFileApi(_CaseApi):
    """The document's file, as an attachment; the download is on the case's audit trail, as on the case page."""

    @extend_schema(
        operation_id="documents_download",
        responses={(200, "*/*"): OpenApiTypes.BINARY, **READ},
    )
    def get(self, request: Request, case_id: str, document_id: str) -> Any:
        case, permissions = case_for_request(request, case_id)
        return document_file_response(
            case=case, permissions=permissions, document_id=document_id, acting_user=request_user(request)
        )


# -- the Ombudsman ------------------------------------------------------------------------------------------------


class OmbudsmanSerializer(serializers.ModelSerializer[OmbudsmanDetail]):
    complaint: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )

    class Meta:
        model = OmbudsmanDetail
        fields = ["complaint", "complaint_procedure", "lgsco_reference", "enquiry_due_date", "enquiry_responded_date",
                  "decision_date", "decision", "decision_label", "fault_found", "injustice_found",
                  "recommended_payment", "compliance_due_date", "complied_date"]  # fmt: skip


class OmbudsmanDetailApi(_CaseApi):
    """An Ombudsman case's enquiry, decision and compliance."""

    @_reads(OmbudsmanSerializer, "ombudsman_read")
    def get(self, request: Request, case_id: str) -> Response:
        case, _permissions = _whole_case(request, case_id)
        try:
            detail = case.ombudsman
        except OmbudsmanDetail.DoesNotExist:
            raise NotFoundError(NOT_OMBUDSMAN) from None
        _audit(request, case, "Ombudsman details")
        return Response(OmbudsmanSerializer(detail).data, headers={"ETag": case_etag(case)})


# -- learning actions -----------------------------------------------------------------------------------------------


class LearningActionSerializer(serializers.ModelSerializer[LearningAction]):
    owner: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    team: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = LearningAction
        fields = ["id", "finding", "action", "owner", "team", "due_date", "status", "implemented_date", "evidence",
                  "not_implemented_reason"]  # fmt: skip


class LearningActionListApi(_CaseApi):
    """The learning actions linked to a case."""

    @_reads(LearningActionSerializer, "learning_actions_list", many=True)
    def get(self, request: Request, case_id: str) -> Response:
        case, _permissions = _whole_case(request, case_id)
        actions = list(case.learning_actions.select_related("owner", "team").order_by("due_date", "id"))
        _audit(request, case, "Learning actions", shown=[a.pk for a in actions])
        return Response(LearningActionSerializer(actions, many=True).data)


class LearningActionDetailApi(_CaseApi):
    """One learning action linked to a case."""

    @_reads(LearningActionSerializer, "learning_actions_read")
    def get(self, request: Request, case_id: str, action_id: str) -> Response:
        case, _permissions = _whole_case(request, case_id)
        action = access_learning_action_for_case(case=case, action_id=action_id)
        _audit(request, case, "Learning action", subject=action, shown=[action.pk])
        return Response(LearningActionSerializer(action).data)
