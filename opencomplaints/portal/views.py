"""The public portal's pages. No sign-in: a person reaches their own case only through the follow link emailed to
them. Each page parses the request, makes one call (the session store for a question, a service for a
submission, a selector for a read) and turns a ``DomainError`` into the form's error."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.councils.models import Council
from opencomplaints.portal import errors
from opencomplaints.portal.flows import (
    FLOWS,
    URL_VERSIONS,
    Flow,
    Step,
    WizardStore,
    complaint_submission,
    compliment_submission,
    from_session,
)
from opencomplaints.portal.forms import (
    HONEYPOT_FIELD,
    CheckAnswersForm,
    DocumentForm,
    FeedbackForm,
    LinkRequestForm,
    PortalForm,
)
from opencomplaints.portal.models import FollowToken
from opencomplaints.portal.protection import limit_request_size, rate_limited
from opencomplaints.portal.selectors import (
    FollowLinkExpired,
    case_progress,
    council_for_portal,
    councils_for_portal,
    follow_token_resolve,
)
from opencomplaints.portal.services import (
    follow_link_request,
    portal_complaint_submit,
    portal_compliment_submit,
    portal_document_add,
    portal_feedback_give,
)

DONE_KEY = "portal-done"


def _council(slug: str) -> Council:
    try:
        return council_for_portal(slug=slug)
    except NotFoundError as error:
        raise Http404(error.message) from error


def _add_domain_error(form: PortalForm, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _posted(request: HttpRequest) -> QueryDict | None:
    # An empty POST is still a submission, to be checked (and refused) like any other.
    return request.POST if request.method == "POST" else None


def _honeypot_rejected(form: PortalForm) -> bool:
    if form.honeypot_filled:
        form.add_error(None, errors.HONEYPOT)
        return True
    return False


def _upload_limit_mb() -> int:
    config = settings.OPENCOMPLAINTS
    return int(min(config["PORTAL_MAX_REQUEST_BYTES"], config["MAX_UPLOAD_BYTES"]) // (1024 * 1024))


def _page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    # Pages about a person's complaint are never kept by a browser's or a proxy's cache.
    response["Cache-Control"] = "no-store"
    return response


# -- starting ------------------------------------------------------------------------------------------------


def _choose_council(request: HttpRequest, *, kind: str, url_name: str) -> HttpResponse:
    councils = list(councils_for_portal())
    if len(councils) == 1:
        return redirect(url_name, council=councils[0].slug)
    return _page(
        request,
        "portal/council_choose.html",
        {"councils": councils, "kind": kind, "url_name": url_name},
    )


def complaint_start(request: HttpRequest) -> HttpResponse:
    return _choose_council(request, kind="complaint", url_name="portal:complaint-council-start")


def compliment_start(request: HttpRequest) -> HttpResponse:
    return _choose_council(request, kind="compliment", url_name="portal:compliment-council-start")


def complaint_council_start(request: HttpRequest, council: str) -> HttpResponse:
    return _page(request, "portal/complaint_start.html", {"council": _council(council)})


def compliment_council_start(request: HttpRequest, council: str) -> HttpResponse:
    return redirect("portal:compliment-question", council=_council(council).slug, step="compliment")


# -- question pages ------------------------------------------------------------------------------------------


def _flow(version: str | None) -> Flow:
    name = "compliment" if version is None else URL_VERSIONS.get(version)
    if name is None:
        raise Http404("No such version")
    return FLOWS[name]


def _step_url(flow: Flow, council: Council, step: Step | None, version: str | None) -> str:
    if flow.kind == "compliment":
        if step is None:
            return reverse("portal:compliment-check", kwargs={"council": council.slug})
        return reverse("portal:compliment-question", kwargs={"council": council.slug, "step": step.slug})
    if step is None:
        return reverse("portal:complaint-check", kwargs={"council": council.slug, "version": version})
    return reverse("portal:complaint-question", kwargs={"council": council.slug, "version": version, "step": step.slug})


def _start_url(flow: Flow, council: Council) -> str:
    if flow.kind == "compliment":
        return reverse("portal:compliment-start")
    return reverse("portal:complaint-council-start", kwargs={"council": council.slug})


@rate_limited("answer")
@limit_request_size
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, council: str, step: str, version: str | None = None) -> HttpResponse:
    """One question page of a journey: its answers are kept in the session until the journey is sent."""
    place = _council(council)
    flow = _flow(version)
    current = flow.step(step)
    if current is None:
        raise Http404("No such question")
    store = WizardStore(request.session, flow=flow, council_slug=place.slug)
    answers = store.answers
    if not current.applies(answers):
        return HttpResponseRedirect(_step_url(flow, place, flow.first_unanswered(answers), version))
    # Questions are answered in order: an earlier one left unanswered comes first.
    missing = flow.first_unanswered(answers)
    order = [s.slug for s in flow.applicable(answers)]
    if missing is not None and order.index(missing.slug) < order.index(current.slug):
        return HttpResponseRedirect(_step_url(flow, place, missing, version))
    changing = request.GET.get("change") == "1"
    kwargs = current.form_kwargs(answers)
    if request.method == "POST":
        form = current.form_class(request.POST, **kwargs)
        if form.is_valid() and not _honeypot_rejected(form):
            answers = store.save(current.slug, form.cleaned_data)
            following = flow.first_unanswered(answers) if changing else flow.next_after(current.slug, answers)
            return HttpResponseRedirect(_step_url(flow, place, following, version))
    else:
        form = current.form_class(initial=from_session(answers.get(current.slug, {})), **kwargs)
    previous = flow.previous(current.slug, answers)
    back = (
        _step_url(flow, place, None, version)
        if changing
        else (_step_url(flow, place, previous, version) if previous else _start_url(flow, place))
    )
    return _page(
        request,
        "portal/question.html",
        {
            "council": place,
            "flow": flow,
            "step": current,
            "form": form,
            "back_url": back,
            "young_person": flow.name == "young_person",
            "honeypot": HONEYPOT_FIELD,
        },
    )


def _answer_rows(
    flow: Flow, council: Council, answers: dict[str, dict[str, Any]], version: str | None
) -> list[dict[str, str]]:
    """The check-answers summary: each question with the answer given, in words, and where to change it."""
    rows = []
    for step in flow.applicable(answers):
        form = step.form_class(**step.form_kwargs(answers))
        given = from_session(answers.get(step.slug, {}))
        for name, field in form.fields.items():
            if name == HONEYPOT_FIELD:
                continue
            value = given.get(name)
            choices = dict(getattr(field, "choices", []) or [])
            if value in (None, ""):
                shown = "Not given"
            elif choices:
                shown = str(choices.get(value, value))
            elif hasattr(value, "strftime"):
                shown = f"{value.day} {value:%B %Y}"
            else:
                shown = str(value)
            rows.append(
                {
                    "question": str(field.label).removesuffix(" (optional)"),
                    "answer": shown,
                    "change_url": _step_url(flow, council, step, version) + "?change=1",
                    "change_label": str(field.label).removesuffix(" (optional)").lower(),
                }
            )
    return rows


@rate_limited("submit")
@limit_request_size
@require_http_methods(["GET", "POST"])
def check_answers(request: HttpRequest, council: str, version: str | None = None) -> HttpResponse:
    """Check your answers, then send: the one moment anything is written."""
    place = _council(council)
    flow = _flow(version)
    store = WizardStore(request.session, flow=flow, council_slug=place.slug)
    answers = store.answers
    missing = flow.first_unanswered(answers)
    if missing is not None:
        return HttpResponseRedirect(_step_url(flow, place, missing, version))
    form = CheckAnswersForm(_posted(request))
    if request.method == "POST" and form.is_valid() and not _honeypot_rejected(form):
        try:
            if flow.kind == "compliment":
                submitted = portal_compliment_submit(
                    council=place, answers=compliment_submission(answers), received_at=timezone.now()
                )
            else:
                submitted = portal_complaint_submit(
                    council=place, answers=complaint_submission(flow, answers), received_at=timezone.now()
                )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            store.clear()
            contact = answers.get("contact", {})
            request.session[DONE_KEY] = {
                "reference": submitted.case.reference,
                "flow": flow.name,
                "contact": contact.get("contact") or ("email" if contact.get("email") else "none"),
                "advocate": answers.get("help", answers.get("advocate", {})).get("advocate", ""),
            }
            name = "portal:compliment-confirmation" if flow.kind == "compliment" else "portal:complaint-confirmation"
            return redirect(name, council=place.slug)
    return _page(
        request,
        "portal/check_answers.html",
        {
            "council": place,
            "flow": flow,
            "rows": _answer_rows(flow, place, answers, version),
            "form": form,
            "back_url": _step_url(flow, place, flow.applicable(answers)[-1], version),
            "young_person": flow.name == "young_person",
            "honeypot": HONEYPOT_FIELD,
        },
    )


def confirmation(request: HttpRequest, council: str) -> HttpResponse:
    place = _council(council)
    done = request.session.get(DONE_KEY)
    if not done:
        return redirect("portal:complaint-council-start", council=place.slug)
    return _page(request, "portal/confirmation.html", {"council": place, "done": done})


# -- following a case ----------------------------------------------------------------------------------------


def _token(request: HttpRequest, raw: str) -> FollowToken | HttpResponse:
    try:
        return follow_token_resolve(raw=raw, now=timezone.now())
    except FollowLinkExpired:
        return _page(request, "portal/link_invalid.html", {"expired": True}, status=410)
    except NotFoundError:
        return _page(request, "portal/link_invalid.html", {"expired": False}, status=404)


def follow_detail(request: HttpRequest, token: str) -> HttpResponse:
    found = _token(request, token)
    if isinstance(found, HttpResponse):
        return found
    return _page(
        request,
        "portal/follow_detail.html",
        {"progress": case_progress(token=found), "token": token, "council": found.case.council},
    )


@rate_limited("follow")
@limit_request_size
@require_http_methods(["GET", "POST"])
def follow_document_add(request: HttpRequest, token: str) -> HttpResponse:
    found = _token(request, token)
    if isinstance(found, HttpResponse):
        return found
    form = DocumentForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and not _honeypot_rejected(form):
        try:
            portal_document_add(
                token=found, file=form.cleaned_data["file"], description=form.cleaned_data["description"]
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(request, "We have received your document. Thank you.")
            return redirect("portal:follow-detail", token=token)
    return _page(
        request,
        "portal/follow_document_add.html",
        {
            "form": form,
            "token": token,
            "council": found.case.council,
            "honeypot": HONEYPOT_FIELD,
            "limit_mb": _upload_limit_mb(),
        },
    )


@rate_limited("follow")
@limit_request_size
@require_http_methods(["GET", "POST"])
def follow_feedback_give(request: HttpRequest, token: str) -> HttpResponse:
    found = _token(request, token)
    if isinstance(found, HttpResponse):
        return found
    form = FeedbackForm(_posted(request))
    if request.method == "POST" and form.is_valid() and not _honeypot_rejected(form):
        try:
            portal_feedback_give(
                token=found, rating=form.cleaned_data["rating"], comments=form.cleaned_data["comments"]
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(request, "Thank you for your feedback.")
            return redirect("portal:follow-detail", token=token)
    return _page(
        request,
        "portal/follow_feedback.html",
        {"form": form, "token": token, "council": found.case.council, "honeypot": HONEYPOT_FIELD},
    )


@rate_limited("link")
@limit_request_size
@require_http_methods(["GET", "POST"])
def follow_link_request_view(request: HttpRequest) -> HttpResponse:
    form = LinkRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid() and not _honeypot_rejected(form):
        follow_link_request(
            reference=form.cleaned_data["reference"], email=form.cleaned_data["email"], now=timezone.now()
        )
        return redirect("portal:follow-link-sent")
    return _page(request, "portal/follow_link_request.html", {"form": form, "honeypot": HONEYPOT_FIELD})


def follow_link_sent(request: HttpRequest) -> HttpResponse:
    return _page(request, "portal/follow_link_sent.html", {})
