"""The publication pages: the council's reports (drafts, waiting for approval, published), a draft's page where
officers write each section's narrative beside its figures and the year's context figures, the approval and
publication buttons, and the published files exactly as they were published. Thin: each request makes one call
to ``services.publication`` and turns a ``DomainError`` into a message."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_read_record
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.cases.purposes import purpose_required
from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.councils.models import Role
from opencomplaints.reporting.frozen import report_thaw
from opencomplaints.reporting.metrics.benchmarking import CONTEXT_FIELDS
from opencomplaints.reporting.metrics.selection import COMBINED
from opencomplaints.reporting.models import ContextFigures, ReportDraft
from opencomplaints.reporting.publication_forms import (
    ContextFiguresForm,
    DraftStartForm,
    NarrativeForm,
    QuoteReviewForm,
    ReturnForm,
)
from opencomplaints.reporting.publication_selectors import (
    draft_quotes,
    report_draft_for_user,
    report_drafts_for_user,
    roles_in_council,
)
from opencomplaints.reporting.renderers import CONTENT_TYPES, Format
from opencomplaints.reporting.renderers.html import html_context
from opencomplaints.reporting.report import narrative_prompts
from opencomplaints.reporting.services import publication

__all__ = [
    "report_draft_context_save",
    "report_draft_detail",
    "report_draft_download",
    "report_draft_list",
    "report_draft_narrative_save",
    "report_draft_quote_review",
    "report_draft_reproduce",
    "report_draft_return",
    "report_draft_transition",
]

NO_REPORTS = "Your role does not include reports for any council."


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - every view here is behind purpose_required
    return user


def _draft(request: HttpRequest, draft_id: int) -> ReportDraft:
    try:
        return report_draft_for_user(user=request.user, draft_id=draft_id)
    except NotFoundError as error:
        raise Http404(error.message) from error


def _detail_url(draft: ReportDraft, anchor: str = "") -> str:
    url = reverse("reporting:report-draft-detail", args=[draft.pk])
    return f"{url}#{anchor}" if anchor else url


def _start_form(request: HttpRequest, data: Any = None) -> DraftStartForm:
    councils = list(councils_for_purpose(user=request.user, purpose=CouncilPurpose.REGISTER).order_by("name"))
    return DraftStartForm(data, councils=councils, today=timezone.localdate())


@purpose_required(CouncilPurpose.REPORTS)
def report_draft_list(request: HttpRequest) -> HttpResponse:
    """The council's annual reports on their way to publication and published, and a form to start one."""
    form = _start_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = publication.report_draft_start(
                council=form.chosen_council(),
                procedure=form.cleaned_data["procedure"],
                year=form.cleaned_data["year"],
                acting_user=_user(request),
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The report was started. Write each section's narrative below.")
            return redirect(_detail_url(draft))
    context = {
        "drafts": report_drafts_for_user(user=request.user),
        "form": form,
        "may_start": bool(form.councils),
    }
    return render(request, "reporting/report_draft_list.html", context, status=400 if form.errors else 200)


def _sections(draft: ReportDraft, body: dict[str, Any], narratives: dict[str, Any], editing: bool) -> list[Any]:
    """The report's sections as the page draws them, each with what officers are asked to write and what they
    wrote (pre-filled with the sentences drafted from the figures)."""
    prompts = narrative_prompts(body["report"])
    sections = []
    for section in body["sections"]:
        saved = narratives.get(section["key"])
        drafted = "\n\n".join(section["sentences"])
        sections.append(
            section
            | {
                "prompt": " ".join(prompts.get(section["key"], ())),
                "asks": section["key"] in prompts,
                "text": saved.text if saved and saved.text else drafted,
                "note": saved.note if saved else "",
                "written": bool(saved and saved.text),
                "editing": editing,
            }
        )
    return sections


def _page(
    request: HttpRequest,
    draft: ReportDraft,
    *,
    errors: list[dict[str, str]] | None = None,
    narrative: dict[str, str] | None = None,
    context_form: ContextFiguresForm | None = None,
    return_form: ReturnForm | None = None,
    reproduced: list[publication.Reproduction] | None = None,
    quote_error: dict[str, Any] | None = None,
) -> HttpResponse:
    roles = roles_in_council(user=request.user, council_id=draft.council_id)
    editing = draft.editable and bool(roles & publication.EDITORS)
    narratives = {n.section: n for n in draft.narratives.all()}
    if draft.frozen:
        report = report_thaw(json.loads(draft.report_json))
        body = html_context(report, min_cell=draft.min_cell)
    else:
        # While it is being written the page shows the sentences drafted from the figures, to edit; once
        # submitted, the narrative in their place, as it will be published.
        report = publication.draft_report(draft, generated_on=timezone.localdate(), narrative=not editing)
        body = html_context(report)
    sections = _sections(draft, body, narratives, editing)
    if narrative:  # a narrative that could not be saved is shown again as it was typed
        for section in sections:
            if section["key"] == narrative["section"]:
                section |= {"text": narrative["text"], "note": narrative["note"], "error": narrative["error"]}
    figures = ContextFigures.objects.filter(council=draft.council, year=draft.year).first()
    quotes = [] if draft.frozen else draft_quotes(draft)
    context = {
        "draft": draft,
        "report": body["report"],
        "council": body["council"],
        "withheld_below": body["withheld_below"],
        "sections": sections,
        "errors": errors or [],
        "editing": editing,
        "may_approve": draft.status == ReportDraft.Status.SUBMITTED and Role.COMPLAINTS_MANAGER in roles,
        "may_publish": draft.status == ReportDraft.Status.APPROVED and Role.COMPLAINTS_MANAGER in roles,
        "may_correct": draft.status == ReportDraft.Status.PUBLISHED
        and bool(roles & publication.EDITORS)
        and not hasattr(draft, "correction"),
        "context_form": context_form
        or ContextFiguresForm(initial={name: getattr(figures, name) for name, _ in CONTEXT_FIELDS} if figures else {}),
        "return_form": return_form or ReturnForm(),
        "files": list(draft.files.defer("content")) if draft.frozen else [],
        "reproduced": reproduced,
        "all_identical": reproduced is not None and all(r.identical for r in reproduced),
        # The combined report's context figures are its children's part's (the council's social care activity).
        "context_section": "children.context" if draft.procedure == COMBINED else "context",
        "quotes": quotes,
        "quotes_waiting": sum(1 for q in quotes if q.waiting),
        "may_review_quotes": not draft.frozen and Role.COMPLAINTS_MANAGER in roles,
        # The words as written name people: only for the complaints team, never for report viewers.
        "show_quotes": bool(roles & publication.EDITORS),
        "quote_error": quote_error,
    }
    status = 400 if errors else 200
    return render(request, "reporting/report_draft_detail.html", context, status=status)


@purpose_required(CouncilPurpose.REPORTS)
def report_draft_detail(request: HttpRequest, draft_id: int) -> HttpResponse:
    """A report: its figures section by section, with the narrative being written beside them, the approval and
    publication steps, and once published its frozen files."""
    return _page(request, _draft(request, draft_id))


@purpose_required(CouncilPurpose.REPORTS)
@require_POST
def report_draft_narrative_save(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft(request, draft_id)
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        raise Http404("Choose the section on the report's page.")
    section = form.cleaned_data["section"]
    try:
        publication.report_narrative_save(
            draft=draft,
            section=section,
            text=form.cleaned_data["text"],
            note=form.cleaned_data["note"],
            acting_user=_user(request),
            now=timezone.now(),
        )
    except DomainError as error:
        kept = {"section": section, "text": form.cleaned_data["text"], "note": form.cleaned_data["note"]}
        return _page(
            request,
            draft,
            errors=[{"href": f"#narrative-{section}", "message": error.message}],
            narrative=kept | {"error": error.message},
        )
    messages.success(request, "The narrative was saved.")
    return redirect(_detail_url(draft, f"section-{section}"))


@purpose_required(CouncilPurpose.REPORTS)
@require_POST
def report_draft_context_save(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft(request, draft_id)
    form = ContextFiguresForm(request.POST)
    if not form.is_valid():
        errors = [{"href": f"#id_{name}", "message": str(e)} for name, es in form.errors.items() for e in es]
        return _page(request, draft, errors=errors, context_form=form)
    try:
        publication.report_context_figures_save(
            draft=draft, figures=form.figures(), acting_user=_user(request), now=timezone.now()
        )
    except DomainError as error:
        return _page(request, draft, errors=[{"href": "#context-figures", "message": error.message}], context_form=form)
    messages.success(request, "The context figures were saved.")
    return redirect(_detail_url(draft, "section-context"))


@dataclass(frozen=True)
class Transition:
    """A step a report takes by pressing one button: the service that takes it and what the page then says."""

    service: Callable[..., ReportDraft]
    done: str


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(publication.report_submit, "The report was submitted for approval."),
    "approve": Transition(publication.report_approve, "The report was approved. It can now be published."),
    "publish": Transition(
        publication.report_publish, "The report was published. Its files are kept exactly as they are now."
    ),
}


@purpose_required(CouncilPurpose.REPORTS)
@require_POST
def report_draft_transition(request: HttpRequest, draft_id: int, step: str) -> HttpResponse:
    """Submit, approve or publish a report (``TRANSITIONS``)."""
    transition = TRANSITIONS.get(step)
    if transition is None:
        raise Http404("There is no such step.")
    draft = _draft(request, draft_id)
    now: datetime = timezone.now()
    try:
        transition.service(draft=draft, acting_user=_user(request), now=now)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, transition.done)
    return redirect(_detail_url(draft))


@purpose_required(CouncilPurpose.REPORTS)
@require_POST
def report_draft_return(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Return a report to the officers with a comment."""
    draft = _draft(request, draft_id)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        errors = [{"href": "#id_comment", "message": str(e)} for e in form.errors.get("comment", [])]
        return _page(request, draft, errors=errors, return_form=form)
    try:
        publication.report_return(
            draft=draft, comment=form.cleaned_data["comment"], acting_user=_user(request), now=timezone.now()
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The report was returned with your comment.")
    return redirect(_detail_url(draft))


@purpose_required(CouncilPurpose.REPORTS)
@require_POST
def report_draft_quote_review(request: HttpRequest, draft_id: int, compliment_id: int) -> HttpResponse:
    """A complaints manager approves a quote as redacted, approves their own changes to it, or rejects it."""
    draft = _draft(request, draft_id)
    form = QuoteReviewForm(request.POST)
    anchor = f"quote-{compliment_id}"
    if not form.is_valid():
        message = str(next(iter(form.errors.values()))[0])
        error = {"compliment": compliment_id, "message": message, "text": request.POST.get("text", "")}
        return _page(request, draft, errors=[{"href": f"#{anchor}", "message": message}], quote_error=error)
    decision = form.cleaned_data["decision"]
    try:
        publication.report_quote_review(
            draft=draft,
            compliment_id=compliment_id,
            approve=decision != "reject",
            text=form.cleaned_data["text"] if decision == "edit" else None,
            acting_user=_user(request),
            now=timezone.now(),
        )
    except DomainError as error:
        kept = {"compliment": compliment_id, "message": error.message, "text": form.cleaned_data["text"]}
        href = f"#quote-text-{compliment_id}" if error.field == "text" else f"#{anchor}"
        return _page(request, draft, errors=[{"href": href, "message": error.message}], quote_error=kept)
    messages.success(request, "The quote was rejected." if decision == "reject" else "The quote was approved.")
    return redirect(_detail_url(draft, anchor))


@purpose_required(CouncilPurpose.REPORTS)
@require_POST
def report_draft_reproduce(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Make the published files again from the frozen figures and say whether each came out byte for byte."""
    draft = _draft(request, draft_id)
    try:
        reproduced = publication.report_reproduce(draft=draft)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_detail_url(draft))
    return _page(request, draft, reproduced=reproduced)


@purpose_required(CouncilPurpose.REPORTS)
def report_draft_download(request: HttpRequest, draft_id: int, file_format: str) -> HttpResponse:
    """A published file, byte for byte as it was published (``json``: the frozen figures themselves)."""
    draft = _draft(request, draft_id)
    if not draft.frozen:
        raise Http404("The report is not published.")
    if file_format == "json":
        html = draft.files.filter(file_format=Format.HTML).only("file_name").first()
        stem = html.file_name.rsplit(".", 1)[0] if html else "complaints-report"
        content, name = draft.report_json.encode(), f"{stem}-frozen-figures.json"
        content_type = CONTENT_TYPES[Format.JSON]
    else:
        stored = draft.files.filter(file_format=file_format).first()
        if stored is None:
            raise Http404("The report has no file in that format.")
        content, name = bytes(stored.content), stored.file_name
        content_type = CONTENT_TYPES[Format(file_format)]
    audit_read_record(
        acting_user=_user(request),
        event_type=AuditEventType.PUBLISHED_REPORT_DOWNLOADED,
        subject=draft,
        summary=f"Published report downloaded ({file_format}): {draft}",
        details={"format": file_format},
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
