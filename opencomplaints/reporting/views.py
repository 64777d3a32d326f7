from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_read_record
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.reporting.forms import ReportForm
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.renderers import CONTENT_TYPES, Format
from opencomplaints.reporting.renderers import render as render_report
from opencomplaints.reporting.renderers.common import report_filename
from opencomplaints.reporting.renderers.html import html_context
from opencomplaints.reporting.report import AnnualReport, build_report
from opencomplaints.reporting.selectors import report_inputs

DOWNLOADS = (Format.DOCX, Format.PDF, Format.XLSX, Format.JSON)
DOWNLOAD_NAMES = {
    Format.DOCX: "Word document for committee (DOCX)",
    Format.PDF: "PDF",
    Format.XLSX: "Spreadsheet, one sheet per table (XLSX)",
    Format.JSON: "Machine-readable figures, exact (JSON)",
}


def _form(request: HttpRequest) -> ReportForm:
    councils = list(councils_for_purpose(user=request.user, purpose=CouncilPurpose.REPORTS).order_by("name"))
    if not councils:
        raise Http404("Your role does not include reports for any council.")
    return ReportForm(request.GET or None, councils=councils, today=timezone.localdate())


def _report(request: HttpRequest, form: ReportForm, *, fmt: str) -> AnnualReport:
    councils = form.chosen_councils()
    inputs = report_inputs(councils=councils, period=form.period(), procedure=form.cleaned_data["procedure"])
    report = build_report(inputs, generated_on=timezone.localdate(), basis=Basis(form.cleaned_data["basis"]))
    user = request.user
    audit_read_record(
        acting_user=user if isinstance(user, User) else None,
        event_type=AuditEventType.REPORT_GENERATED,
        subject=councils[0] if len(councils) == 1 else None,
        summary=f"Report generated ({fmt}) for {', '.join(council.name for council in councils)}",
        details={"councils": [council.slug for council in councils], "format": fmt, "query": request.GET.urlencode()},
    )
    return report


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    """Choose a report, see it on the page, and download it in every format."""
    form = _form(request)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        report = _report(request, form, fmt="page")
        query = request.GET.copy()
        links = []
        for fmt in DOWNLOADS:
            query["format"] = fmt.value
            links.append({"name": DOWNLOAD_NAMES[fmt], "query": query.urlencode()})
        context |= html_context(report) | {"downloads": links}
    return render(request, "reporting/report_page.html", context)


@login_required
def report_download(request: HttpRequest) -> HttpResponse:
    """The chosen report as a file: DOCX, PDF, XLSX, HTML or JSON."""
    form = _form(request)
    try:
        fmt = Format(request.GET.get("format", ""))
    except ValueError as error:
        raise Http404("Unknown format.") from error
    if not form.is_valid():
        raise Http404("Choose the report on the reports page first.")
    report = _report(request, form, fmt=fmt.value)
    response = HttpResponse(render_report(report, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report, fmt.value)}"'
    return response
