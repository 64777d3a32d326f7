from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from opencomplaints.councils.selectors import councils_for_user
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
    councils = list(councils_for_user(user=request.user).order_by("name"))
    if not councils:
        raise Http404("You do not have access to any council's records.")
    return ReportForm(request.GET or None, councils=councils, today=timezone.localdate())


def _report(form: ReportForm) -> AnnualReport:
    inputs = report_inputs(
        councils=form.chosen_councils(), period=form.period(), procedure=form.cleaned_data["procedure"]
    )
    return build_report(inputs, generated_on=timezone.localdate(), basis=Basis(form.cleaned_data["basis"]))


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    """Choose a report, see it on the page, and download it in every format."""
    form = _form(request)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        report = _report(form)
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
    report = _report(form)
    response = HttpResponse(render_report(report, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report, fmt.value)}"'
    return response
