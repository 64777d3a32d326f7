from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from opencomplaints.calendars.selectors import receipt_rule, working_day_calendar
from opencomplaints.deadlines import PROCEDURES, DueDate, stage_due_dates
from opencomplaints.web.forms import DeadlineCalculatorForm


def _receipt_anchors(stage: int, received: date) -> dict[str, date]:
    anchors = {"received" if stage == 1 else f"stage{stage}_request_received": received}
    return anchors


@login_required
def deadline_calculator(request: HttpRequest) -> HttpResponse:
    """Work out every due date of a stage from the date it was received, with the rule behind each."""
    form = DeadlineCalculatorForm(request.GET or None)
    due_dates: tuple[DueDate, ...] = ()
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        procedure = PROCEDURES[form.cleaned_data["procedure"]]
        stage = int(form.cleaned_data["stage"])
        received: date = form.cleaned_data["received"]
        calendar = working_day_calendar()
        anchors = _receipt_anchors(stage, received)
        due_dates = stage_due_dates(
            procedure=procedure, stage=stage, anchors=anchors, calendar=calendar, receipt_rule=receipt_rule()
        )
        # Corporate responses run from the acknowledgement; until one is recorded, assume it is sent on its due date.
        acknowledgement = next((d for d in due_dates if d.key.endswith("_acknowledgement")), None)
        if acknowledgement is not None:
            anchors["acknowledged" if stage == 1 else f"stage{stage}_acknowledged"] = acknowledgement.due_on
            due_dates = stage_due_dates(
                procedure=procedure,
                stage=stage,
                anchors=anchors,
                calendar=calendar,
                receipt_rule=receipt_rule(),
            )
        context |= {
            "procedure": procedure,
            "stage": procedure.stage(stage),
            "received": received,
            "due_dates": [d for d in due_dates if d.timescale.kind == "deadline"],
            "assumed_acknowledgement": acknowledgement,
        }
    return render(request, "web/deadline_calculator.html", context)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "web/page_not_found.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors' data beyond the basics: an error page must never show case data.
    return render(request, "web/server_error.html", status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Django refused before any view read it. One too large to read (more form data than
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``) gets the portal's "too big" page there (413), as a file over the portal's own
    limit does; anything else a plain styled page, never Django's bare text."""
    try:
        public = "portal" in resolve(request.path_info).namespaces
    except Resolver404:
        public = False
    if public and isinstance(exception, (RequestDataTooBig, TooManyFieldsSent)):
        limit = min(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.OPENCOMPLAINTS["PORTAL_MAX_REQUEST_BYTES"])
        context = {"limit_mb": max(1, limit // (1024 * 1024))}
        return render(request, "portal/request_too_large.html", context, status=413)
    return render(request, "web/bad_request.html", status=400)
