"""Reports, imports and exports as jobs (docs/api.md): start one, poll its state, download the file it made.

Each is the page's own service, with the page's access rule and messages: a report file is the report page's
(``reporting.services.files``, for roles with reports, ``CouncilPurpose.REPORTS``); an import is the import page's
upload, check and import (``interchange.runs``: the same validation, all or nothing, the same line-numbered
problems) and an export the export page's records file or whole-history archive (``interchange.export_files``),
both for the people who manage a council's records (``CouncilPurpose.INTERCHANGE``). Starting is a change, so a
read-only credential is refused it (``TokenScopePermission``). A job is seen only by its own requester (an
import also by its council's managers), within the councils of the credential: any other is not found."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.http import FileResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opencomplaints.api.authentication import TokenScopePermission, credential_council_ids
from opencomplaints.api.errors import ErrorSerializer
from opencomplaints.api.resources import request_user
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.councils.models import Council
from opencomplaints.interchange import export_files
from opencomplaints.interchange.forms import ExportForm, ImportUploadForm
from opencomplaints.interchange.importer import max_import_bytes
from opencomplaints.interchange.models import ExportFile, ImportRun
from opencomplaints.interchange.progress import web_progress
from opencomplaints.interchange.runs import import_run_confirm, import_run_create, import_run_fail_stalled
from opencomplaints.interchange.selectors import (
    EXPORT_NOT_FOUND,
    RUN_NOT_FOUND,
    export_file_for_user,
    import_run_for_user,
)
from opencomplaints.reporting import services as reporting_services
from opencomplaints.reporting.forms import ReportForm
from opencomplaints.reporting.models import BASIS_CHOICES, PROCEDURE_CHOICES, ReportFile
from opencomplaints.reporting.renderers import CONTENT_TYPES, Format
from opencomplaints.reporting.selectors import REPORT_FILE_NOT_FOUND, report_file_for_user
from opencomplaints.reporting.services.files import NOT_READY as REPORT_NOT_READY
from opencomplaints.reporting.services.files import UNKNOWN_FORMAT as REPORT_UNKNOWN_FORMAT

__all__ = [
    "ExportFileApi",
    "ExportFileDetailApi",
    "ExportStartApi",
    "ImportConfirmApi",
    "ImportDetailApi",
    "ImportStartApi",
    "ReportFileApi",
    "ReportFileDetailApi",
    "ReportStartApi",
]

#: Problems listed in an import's answer (every one is in the import page's CSV).
SHOWN_ERRORS = 500
NO_REPORTS = "Your role does not include reports for any council this credential reaches."
NO_INTERCHANGE = "Your role does not include importing or exporting the records of any council this credential reaches."
NOT_AN_OBJECT = "Send the request's fields as a JSON object or a form."
BAD_DATE = "Enter {noun} as a date, like 2026-04-01"
BAD_FLAG = "Enter true or false"
#: The import page's own words for a file over the limit (``interchange.views.import_create``).
TOO_LARGE = (
    "The selected file must be smaller than {size:.0f} MB. Split the records into several files, each with the "
    "header row."
)

START = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 415: ErrorSerializer, 429: ErrorSerializer}
POLL = {401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 429: ErrorSerializer}
DOWNLOAD = {
    **POLL,
    409: OpenApiResponse(ErrorSerializer, description="The job has not made its file (yet): poll it first."),
}


class JobNotReady(DomainError):
    """A download asked for before the job made its file: 409."""

    code = "not_ready"


class _JobApi(APIView):
    permission_classes = [IsAuthenticated, TokenScopePermission]


def _councils(request: Request, purpose: CouncilPurpose, refusal: str) -> list[Council]:
    """The councils the user may do ``purpose`` in, narrowed to the credential's; 403 when there are none."""
    councils = councils_for_purpose(user=request_user(request), purpose=purpose).order_by("name")
    narrowed = credential_council_ids(request)
    if narrowed is not None:
        councils = councils.filter(pk__in=narrowed)
    found = list(councils)
    if not found:
        raise exceptions.PermissionDenied(refusal)
    return found


def _within_credential(request: Request, council_ids: Iterable[int | None], message: str) -> None:
    """A job of a council the credential does not reach is not found, as one that does not exist is not."""
    narrowed = credential_council_ids(request)
    if narrowed is not None and any(pk is None or pk not in narrowed for pk in council_ids):
        raise NotFoundError(message)


def _id(text: str, message: str) -> str:
    """A job's id from the URL: digits that fit the database's integer, else not found."""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise NotFoundError(message)
    return text


def _body(request: Request) -> Mapping[str, Any]:
    data = request.data
    if not isinstance(data, Mapping):
        raise exceptions.ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
    return data


def _form_errors(form: forms.Form) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def _refused(form: forms.Form) -> exceptions.ValidationError:
    return exceptions.ValidationError(_form_errors(form))


def _flag(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise exceptions.ValidationError({name: [BAD_FLAG]})


def _accepted(data: Any, url: str, code: int = status.HTTP_202_ACCEPTED) -> Response:
    return Response(data, status=code, headers={"Location": url})


# -- reports --------------------------------------------------------------------------------------------------------


class ReportStartRequest(serializers.Serializer[dict[str, Any]]):
    """For the schema: the report page's choices, and the file's format."""

    council = serializers.CharField(
        required=False, help_text="The council's slug, or all for all your councils combined; not needed with one."
    )
    year = serializers.IntegerField(help_text="The reporting year by its first year: 2025 is 1 April 2025 to 31 March.")
    quarter = serializers.ChoiceField(choices=["Q1", "Q2", "Q3", "Q4"], required=False, help_text="Part of the year.")
    start = serializers.DateField(required=False, help_text="Or any other period: its first day (with end).")
    end = serializers.DateField(required=False, help_text="The period's last day (with start).")
    procedure = serializers.ChoiceField(choices=PROCEDURE_CHOICES, required=False, default="children_statutory")
    basis = serializers.ChoiceField(choices=BASIS_CHOICES, required=False, default="received")
    format = serializers.ChoiceField(choices=ReportFile.FileFormat.choices)


class ReportFileSerializer(serializers.ModelSerializer[ReportFile]):
    format = serializers.CharField(source="file_format")
    councils = serializers.SerializerMethodField()
    error = serializers.CharField(source="error_message")
    file_url = serializers.SerializerMethodField(help_text="Where to download the file, once it is ready.")

    class Meta:
        model = ReportFile
        fields = ["id", "status", "format", "councils", "period_start", "period_end", "period_label",
                  "procedure", "basis", "created_at", "finished_at", "expires_at", "error", "file_name", "size",
                  "file_url"]  # fmt: skip

    def get_councils(self, report_file: ReportFile) -> list[str]:
        return sorted(council.slug for council in report_file.councils.all())

    def get_file_url(self, report_file: ReportFile) -> str | None:
        if report_file.status != ReportFile.Status.READY:
            return None
        return reverse("api:v1:report-file", args=[report_file.pk])


def _report_form_data(body: Mapping[str, Any], councils: list[Council]) -> QueryDict:
    """The API's fields as the report page's form reads them (a date as its day, month and year)."""
    data = QueryDict(mutable=True)
    if len(councils) == 1:
        data["council"] = councils[0].slug
    data["procedure"], data["basis"] = "children_statutory", "received"
    for key in ("council", "year", "quarter", "procedure", "basis"):
        if body.get(key) not in (None, ""):
            data[key] = str(body[key])
    for key, noun in (("start", "the first day"), ("end", "the last day")):
        value = body.get(key)
        if value in (None, ""):
            continue
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            raise exceptions.ValidationError({key: [BAD_DATE.format(noun=noun)]}) from None
        data[f"{key}_0"], data[f"{key}_1"], data[f"{key}_2"] = str(day.day), str(day.month), str(day.year)
    return data


def _report_file(request: Request, report_file_id: str) -> ReportFile:
    report_file = report_file_for_user(
        user=request_user(request), report_file_id=_id(report_file_id, REPORT_FILE_NOT_FOUND)
    )
    _within_credential(request, [c.pk for c in report_file.councils.all()], REPORT_FILE_NOT_FOUND)
    return reporting_services.report_file_fail_stalled(report_file=report_file, now=timezone.now())


class ReportStartApi(_JobApi):
    """Start a report file: the report page's choices (council, year or period, procedure, basis) and a format.
    The file is made in the background; poll the answer's ``Location`` until it is ready."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        operation_id="reports_start",
        request=ReportStartRequest,
        responses={202: ReportFileSerializer, **START},
    )
    def post(self, request: Request) -> Response:
        councils = _councils(request, CouncilPurpose.REPORTS, NO_REPORTS)
        body = _body(request)
        form = ReportForm(_report_form_data(body, councils), councils=councils, today=timezone.localdate())
        file_format = str(body.get("format") or "")
        errors = {} if form.is_valid() else _form_errors(form)
        if file_format not in ReportFile.FileFormat.values:
            errors["format"] = [REPORT_UNKNOWN_FORMAT]
        if errors:
            raise exceptions.ValidationError(errors)
        report_file = reporting_services.report_file_request(
            acting_user=request_user(request),
            councils=form.chosen_councils(),
            period=form.period(),
            procedure=form.cleaned_data["procedure"],
            basis=form.cleaned_data["basis"],
            file_format=file_format,
            query=form.query_string(),
            now=timezone.now(),
        )
        data = ReportFileSerializer(report_file).data
        return _accepted(data, reverse("api:v1:report-detail", args=[report_file.pk]))


class ReportFileDetailApi(_JobApi):
    """A report file's state: queued, preparing, ready (with ``file_url``), failed (with ``error``) or expired."""

    @extend_schema(operation_id="reports_read", responses={200: ReportFileSerializer, **POLL})
    def get(self, request: Request, report_file_id: str) -> Response:
        return Response(ReportFileSerializer(_report_file(request, report_file_id)).data)


class ReportFileApi(_JobApi):
    """The report file, once ready; the download is on the audit trail."""

    @extend_schema(operation_id="reports_download", responses={(200, "*/*"): OpenApiTypes.BINARY, **DOWNLOAD})
    def get(self, request: Request, report_file_id: str) -> Any:
        report_file = _report_file(request, report_file_id)
        if report_file.status != ReportFile.Status.READY:
            raise JobNotReady(f"{REPORT_NOT_READY}: it is {report_file.get_status_display().lower()}")
        handle = reporting_services.report_file_open(report_file=report_file, acting_user=request_user(request))
        return _file(handle, report_file.file_name, CONTENT_TYPES[Format(report_file.file_format)])


def _file(handle: Any, name: str, content_type: str) -> FileResponse:
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# -- imports --------------------------------------------------------------------------------------------------------


class ImportStartRequest(serializers.Serializer[dict[str, Any]]):
    """For the schema: the import page's upload."""

    file = serializers.FileField(help_text="A CSV (UTF-8), XLSX or JSON Lines file in the interchange format.")
    council = serializers.CharField(required=False, help_text="The council's slug; not needed with one.")
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Only check the file; start the import later with confirm."
    )


class ImportProblemSerializer(serializers.Serializer[dict[str, Any]]):
    line = serializers.IntegerField(allow_null=True, help_text="The file's line (1 is the header row).")
    column = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class ProgressSerializer(serializers.Serializer[dict[str, int]]):
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class ImportRunSerializer(serializers.ModelSerializer[ImportRun]):
    council: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    problem_count = serializers.IntegerField(source="error_count", help_text="Every problem found in the file.")
    problems = serializers.SerializerMethodField(help_text="The problems by line and column (the first 500).")
    more_problems = serializers.SerializerMethodField(help_text="Problems beyond those listed here.")
    progress = serializers.SerializerMethodField(help_text="While running: records imported so far, of the total.")

    class Meta:
        model = ImportRun
        fields = ["id", "kind", "status", "council", "file_name", "file_format", "rows", "created", "updated",
                  "unchanged", "problem_count", "problems", "more_problems", "unknown_labels", "failure_reason",
                  "created_at", "started_at", "finished_at", "progress"]  # fmt: skip

    @extend_schema_field(ImportProblemSerializer(many=True))
    def get_problems(self, run: ImportRun) -> list[dict[str, Any]]:
        return [{"line": e[0], "column": e[1], "reason": e[2]} for e in run.errors[:SHOWN_ERRORS]]

    def get_more_problems(self, run: ImportRun) -> int:
        return max(run.error_count - min(len(run.errors), SHOWN_ERRORS), 0)

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, run: ImportRun) -> dict[str, int]:
        done, total = web_progress(run.pk) or (0, run.rows)
        if run.status != ImportRun.Status.RUNNING:
            done = total
        return {"done": done, "total": total}


def _run(request: Request, run_id: str) -> ImportRun:
    from_page = import_run_for_user(user=request_user(request), run_id=_id(run_id, RUN_NOT_FOUND))
    _within_credential(request, [from_page.council_id] if from_page.council_id else [None], RUN_NOT_FOUND)
    return import_run_fail_stalled(run=from_page, now=timezone.now())


class ImportStartApi(_JobApi):
    """Upload a records file (``multipart/form-data``): it is checked at once, as on the import page. A file
    without problems is imported in the background, all of it or none (unless ``dry_run``); one with problems is
    not, and the answer lists them by line and column. Poll the answer's ``Location``."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="imports_start",
        request={"multipart/form-data": ImportStartRequest},
        responses={201: ImportRunSerializer, 413: ErrorSerializer, 415: ErrorSerializer, **START},
    )
    def post(self, request: Request) -> Response:
        councils = _councils(request, CouncilPurpose.INTERCHANGE, NO_INTERCHANGE)
        body = _body(request)
        dry_run = _flag(body, "dry_run")
        form = ImportUploadForm(body, request.FILES, councils=councils)
        if not form.is_valid():
            raise _refused(form)
        upload = form.cleaned_data["file"]
        if upload.size > max_import_bytes():
            raise DomainError(TOO_LARGE.format(size=max_import_bytes() / (1024 * 1024)), field="file")
        user = request_user(request)
        today = timezone.localdate()
        run = import_run_create(
            council=form.chosen_council(), acting_user=user, filename=upload.name, data=upload.read(), today=today
        )
        if run.status == ImportRun.Status.READY and not dry_run:
            run = import_run_confirm(run=run, acting_user=user, today=today)
        data = ImportRunSerializer(run).data
        return _accepted(data, reverse("api:v1:import-detail", args=[run.pk]), status.HTTP_201_CREATED)


class ImportDetailApi(_JobApi):
    """An import's state (ready, invalid, running, completed, failed), its counts and its problems by line. An
    import whose process died is failed, saying why."""

    @extend_schema(operation_id="imports_read", responses={200: ImportRunSerializer, **POLL})
    def get(self, request: Request, run_id: str) -> Response:
        return Response(ImportRunSerializer(_run(request, run_id)).data)


class ImportConfirmApi(_JobApi):
    """Start the import of a file checked with ``dry_run`` and found ready."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(operation_id="imports_confirm", request=None, responses={202: ImportRunSerializer, **START, **POLL})
    def post(self, request: Request, run_id: str) -> Response:
        run = _run(request, run_id)
        if run.council_id is None or run.council_id not in {
            c.pk for c in _councils(request, CouncilPurpose.INTERCHANGE, NO_INTERCHANGE)
        }:
            raise NotFoundError(RUN_NOT_FOUND)
        run = import_run_confirm(run=run, acting_user=request_user(request), today=timezone.localdate())
        return _accepted(ImportRunSerializer(run).data, reverse("api:v1:import-detail", args=[run.pk]))


# -- exports --------------------------------------------------------------------------------------------------------


class ExportStartRequest(serializers.Serializer[dict[str, Any]]):
    """For the schema: the export page's choices."""

    council = serializers.CharField(
        required=False, help_text="The council's slug, or all for all your councils; not needed with one."
    )
    format = serializers.ChoiceField(
        choices=["csv", "xlsx", "jsonl", "zip"], help_text="A records file, or zip for the whole-history archive."
    )


class ExportFileSerializer(serializers.ModelSerializer[ExportFile]):
    format = serializers.CharField(source="file_format")
    councils = serializers.SerializerMethodField()
    error = serializers.CharField(source="error_message")
    file_url = serializers.SerializerMethodField(help_text="Where to download the file, once it is ready.")

    class Meta:
        model = ExportFile
        fields = ["id", "status", "format", "councils", "rows", "created_at", "finished_at", "expires_at", "error",
                  "file_name", "size", "file_url"]  # fmt: skip

    def get_councils(self, export_file: ExportFile) -> list[str]:
        return sorted(council.slug for council in export_file.councils.all())

    def get_file_url(self, export_file: ExportFile) -> str | None:
        if export_file.status != ExportFile.Status.READY:
            return None
        return reverse("api:v1:export-file", args=[export_file.pk])


def _export_file(request: Request, export_file_id: str) -> ExportFile:
    export_file = export_file_for_user(user=request_user(request), export_file_id=_id(export_file_id, EXPORT_NOT_FOUND))
    _within_credential(request, [c.pk for c in export_file.councils.all()], EXPORT_NOT_FOUND)
    return export_files.export_file_fail_stalled(export_file=export_file, now=timezone.now())


class ExportStartApi(_JobApi):
    """Start an export: every record of a council in the interchange format (csv, xlsx, jsonl), or its
    whole-history archive (zip). Made in the background; poll the answer's ``Location``."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        operation_id="exports_start", request=ExportStartRequest, responses={202: ExportFileSerializer, **START}
    )
    def post(self, request: Request) -> Response:
        councils = _councils(request, CouncilPurpose.INTERCHANGE, NO_INTERCHANGE)
        form = ExportForm(_body(request), councils=councils)
        if not form.is_valid():
            raise _refused(form)
        export_file = export_files.export_file_request(
            acting_user=request_user(request),
            councils=form.chosen_councils(),
            file_format=form.cleaned_data["format"],
            now=timezone.now(),
        )
        data = ExportFileSerializer(export_file).data
        return _accepted(data, reverse("api:v1:export-detail", args=[export_file.pk]))


class ExportFileDetailApi(_JobApi):
    """An export's state: queued, preparing, ready (with ``file_url``), failed (with ``error``) or expired."""

    @extend_schema(operation_id="exports_read", responses={200: ExportFileSerializer, **POLL})
    def get(self, request: Request, export_file_id: str) -> Response:
        return Response(ExportFileSerializer(_export_file(request, export_file_id)).data)


class ExportFileApi(_JobApi):
    """The export's file, once ready; the download is on the audit trail."""

    @extend_schema(operation_id="exports_download", responses={(200, "*/*"): OpenApiTypes.BINARY, **DOWNLOAD})
    def get(self, request: Request, export_file_id: str) -> Any:
        export_file = _export_file(request, export_file_id)
        if export_file.status != ExportFile.Status.READY:
            raise JobNotReady(f"{export_files.NOT_READY}: it is {export_file.get_status_display().lower()}")
        handle = export_files.export_file_open(export_file=export_file, acting_user=request_user(request))
        return _file(handle, export_file.file_name, export_files.export_file_content_type(export_file))
