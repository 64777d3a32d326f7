"""The report page and the report files asked for from it. Reports are aggregate figures, for the people whose role
includes reports for a council (``CouncilPurpose.REPORTS``); a report file is its requester's alone, and only while
they may still see reports for every one of its councils."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_read_record
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.cases.purposes import purpose_required
from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.councils.models import Council
from opencomplaints.reporting import services
from opencomplaints.reporting.assembly import annual_report
from opencomplaints.reporting.forms import MEASURE_NAMES, ReportFileForm, ReportForm, SaveTableForm, TableBuilderForm
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.crosstab import as_table, crosstab, limited
from opencomplaints.reporting.models import ReportFile
from opencomplaints.reporting.renderers import CONTENT_TYPES, Format
from opencomplaints.reporting.renderers.common import min_cell_setting
from opencomplaints.reporting.renderers.crosstab import render_table_csv
from opencomplaints.reporting.renderers.html import html_context, table_context
from opencomplaints.reporting.renderers.xlsx import render_table_xlsx
from opencomplaints.reporting.report import AnnualReport
from opencomplaints.reporting.selectors import (
    procedure_rules_for,
    records_for_report,
    report_file_for_user,
    report_files_for_user,
    saved_tables_for,
    service_area_names,
)
from opencomplaints.reporting.suppression import suppress_table

RECENT_FILES = 50
NO_REPORTS = "Your role does not include reports for any council."
View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - every view here is behind login_required
    return user


def _form(request: HttpRequest, data: Any) -> ReportForm:
    councils = list(councils_for_purpose(user=request.user, purpose=CouncilPurpose.REPORTS).order_by("name"))
    if not councils:
        raise Http404(NO_REPORTS)
    return ReportForm(data, councils=councils, today=timezone.localdate())


def _report(request: HttpRequest, form: ReportForm) -> AnnualReport:
    councils = form.chosen_councils()
    report = annual_report(
        councils=councils,
        period=form.period(),
        procedure=form.cleaned_data["procedure"],
        generated_on=timezone.localdate(),
        basis=Basis(form.cleaned_data["basis"]),
    )
    audit_read_record(
        acting_user=_user(request),
        event_type=AuditEventType.REPORT_GENERATED,
        subject=councils[0] if len(councils) == 1 else None,
        summary=f"Report generated (page) for {', '.join(council.name for council in councils)}",
        details={"councils": [council.slug for council in councils], "format": "page", "query": form.query_string()},
    )
    return report


def _report_url(query: str) -> str:
    return f"{reverse('reporting:report')}?{query}" if query else reverse("reporting:report")


@purpose_required(CouncilPurpose.REPORTS)
def report_page(request: HttpRequest) -> HttpResponse:
    """Choose a report, see it on the page, and ask for it as a file in each format."""
    form = _form(request, request.GET or None)
    context: dict[str, Any] = {"form": form, "report_file_days": settings.OPENCOMPLAINTS["REPORT_FILE_DAYS"]}
    if form.is_bound and form.is_valid():
        report = _report(request, form)
        context |= html_context(report) | {"formats": ReportFile.FileFormat.choices, "query": form.query_string()}
    return render(request, "reporting/report_page.html", context)


@purpose_required(CouncilPurpose.REPORTS)
@require_POST
def report_file_request(request: HttpRequest) -> HttpResponse:
    """Ask for the report as a file; it is made in the background and the file's page follows its progress."""
    file_form = ReportFileForm(request.POST)
    if not file_form.is_valid():
        raise Http404("Choose the report and the file's format on the reports page.")
    form = _form(request, file_form.report_data())
    back = _report_url(form.query_string())
    if not form.is_valid():  # e.g. a council no longer the user's: the report page says what is wrong
        return redirect(back)
    try:
        report_file = services.report_file_request(
            acting_user=_user(request),
            councils=form.chosen_councils(),
            period=form.period(),
            procedure=form.cleaned_data["procedure"],
            basis=form.cleaned_data["basis"],
            file_format=file_form.cleaned_data["format"],
            query=form.query_string(),
            now=timezone.now(),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    return redirect("reporting:report-file-detail", report_file_id=report_file.pk)


@purpose_required(CouncilPurpose.REPORTS)
def report_file_list(request: HttpRequest) -> HttpResponse:
    """The report files the user has asked for, newest first, with what became of each."""
    report_files = report_files_for_user(user=request.user)[:RECENT_FILES]
    context = {"report_files": report_files, "report_file_days": settings.OPENCOMPLAINTS["REPORT_FILE_DAYS"]}
    return render(request, "reporting/report_file_list.html", context)


def _report_file(request: HttpRequest, report_file_id: int) -> ReportFile:
    try:
        report_file = report_file_for_user(user=request.user, report_file_id=report_file_id)
    except NotFoundError as error:
        raise Http404(error.message) from error
    return services.report_file_fail_stalled(report_file=report_file, now=timezone.now())


@login_required
def report_file_detail(request: HttpRequest, report_file_id: int) -> HttpResponse:
    """One report file: "Preparing" (refreshing itself, with or without JavaScript), then its download, or why it
    could not be made."""
    report_file = _report_file(request, report_file_id)
    context = {
        "report_file": report_file,
        "report_url": _report_url(report_file.query),
        "status_url": reverse("reporting:report-file-status", args=[report_file.pk]),
        "report_file_days": settings.OPENCOMPLAINTS["REPORT_FILE_DAYS"],
    }
    return render(request, "reporting/report_file_detail.html", context)


@login_required
def report_file_status(request: HttpRequest, report_file_id: int) -> JsonResponse:
    """The file page's status, for its script."""
    report_file = _report_file(request, report_file_id)
    return JsonResponse({"status": report_file.status, "in_progress": report_file.in_progress})


@login_required
def report_file_download(request: HttpRequest, report_file_id: int) -> HttpResponseBase:
    """The file itself, once it is ready."""
    report_file = _report_file(request, report_file_id)
    if report_file.status != ReportFile.Status.READY:
        return redirect("reporting:report-file-detail", report_file_id=report_file.pk)
    try:
        handle = services.report_file_open(report_file=report_file, acting_user=_user(request))
    except DomainError as error:
        raise Http404(error.message) from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=report_file.file_name,
        content_type=CONTENT_TYPES[Format(report_file.file_format)],
    )


def _builder_form(request: HttpRequest, data: Any) -> TableBuilderForm:
    councils = list(councils_for_purpose(user=request.user, purpose=CouncilPurpose.REPORTS).order_by("name"))
    if not councils:
        raise Http404(NO_REPORTS)
    return TableBuilderForm(
        data, councils=councils, today=timezone.localdate(), service_areas=service_area_names(councils=councils)
    )


def _may_save(request: HttpRequest, councils: list[Council]) -> bool:
    """Saving a table changes what the council's report publishes: the council-wide complaints team's to do."""
    allowed = set(councils_for_purpose(user=request.user, purpose=CouncilPurpose.REGISTER).values_list("pk", flat=True))
    return len(councils) == 1 and councils[0].pk in allowed


def _builder_url(query: str) -> str:
    return f"{reverse('reporting:table-builder')}?{query}" if query else reverse("reporting:table-builder")


@purpose_required(CouncilPurpose.REPORTS)
def table_builder(request: HttpRequest) -> HttpResponse:
    """Count one measure by one or two dimensions (a table by any dimension), suppressed for publication, download
    it as CSV or XLSX, and save it to the council's annual report."""
    if request.method == "POST":
        return _table_builder_post(request)
    form = _builder_form(request, request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        councils = form.chosen_councils()
        query, period = form.query(), form.period()
        area = form.cleaned_data.get("service_area") or None
        records = records_for_report(councils=councils, period=period, procedure=query.procedure)
        result = crosstab(
            limited(records, area), period, query, working_day_calendar(), procedure_rules_for(councils=councils)
        )
        title = f"{MEASURE_NAMES[query.measure]} by {form.cleaned_data['rows'].replace('_', ' ')}, {period.label}"
        table = suppress_table(as_table(result, key="table", title=title), min_cell_setting())
        audit_read_record(
            acting_user=_user(request),
            event_type=AuditEventType.REPORT_GENERATED,
            subject=councils[0] if len(councils) == 1 else None,
            summary=f"Table generated (page) for {', '.join(council.name for council in councils)}",
            details={"councils": [c.slug for c in councils], "format": "table", "query": form.query_string()},
        )
        download = request.GET.get("download")
        if download == "csv":
            response = HttpResponse(render_table_csv(table), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="complaints-table.csv"'
            return response
        if download == "xlsx":
            response = HttpResponse(render_table_xlsx(table), content_type=CONTENT_TYPES[Format.XLSX])
            response["Content-Disposition"] = 'attachment; filename="complaints-table.xlsx"'
            return response
        may_save = _may_save(request, councils)
        context |= {
            "table": table_context(table),
            "query": form.query_string(),
            "may_save": may_save,
            "save_form": SaveTableForm(initial={"title": title.rsplit(", ", 1)[0], "query": form.query_string()}),
            "saved": list(saved_tables_for(councils=councils, procedure=query.procedure)) if may_save else [],
        }
    return render(request, "reporting/table_builder.html", context)


def _table_builder_post(request: HttpRequest) -> HttpResponse:
    """Save the table shown to the council's report, or take a saved one off it."""
    save = SaveTableForm(request.POST)
    query_string = request.POST.get("query", "")
    form = _builder_form(request, QueryDict(query_string))
    back = _builder_url(query_string)
    if not form.is_valid() or not _may_save(request, form.chosen_councils()):
        messages.error(request, "Only the complaints team of the council can change the tables of its report.")
        return redirect(back)
    councils = form.chosen_councils()
    remove = request.POST.get("remove")
    if remove:
        saved = saved_tables_for(councils=councils, procedure=form.query().procedure).filter(pk=remove).first()
        if saved is None:
            raise Http404("Saved table not found")
        services.saved_table_remove(acting_user=_user(request), saved_table=saved)
        messages.success(request, f"“{saved.title}” was taken off the report.")
        return redirect(back)
    if not save.is_valid():
        messages.error(request, "Enter a title for the table")
        return redirect(back)
    try:
        services.saved_table_create(
            acting_user=_user(request),
            council=councils[0],
            query=form.query(),
            title=save.cleaned_data["title"],
            service_area=form.cleaned_data.get("service_area") or None,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, f"“{save.cleaned_data['title']}” was added to the annual report.")
    return redirect(back)
