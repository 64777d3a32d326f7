"""The casework pages. Each view reads through the access functions, parses a form, makes one service call and
turns a ``DomainError`` into a message on the form (convention 1). The actions are declared in
``casework.declarations`` and served by :func:`case_action`; registering is in ``casework.registration_views``.
"Today" is London's date, read here and passed down."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.selectors import case_access_log as case_access_log_events
from opencomplaints.audit.selectors import event_text
from opencomplaints.audit.services import audit_read_record
from opencomplaints.cases import services
from opencomplaints.cases.access import (
    CasePermissions,
    access_case_by_id,
    access_case_for_break_glass,
    case_permissions,
)
from opencomplaints.cases.errors import StaleVersion
from opencomplaints.cases.models import Case, Stage
from opencomplaints.cases.selectors import case_access_grants
from opencomplaints.cases.services.restrictions import BREAK_GLASS_HOURS
from opencomplaints.casework import forms as f
from opencomplaints.casework import services as casework_services
from opencomplaints.casework.access import (
    MESSAGE_NOT_FOUND,
    access_message_for_case,
)
from opencomplaints.casework.actions import case_actions
from opencomplaints.casework.declarations import ACTIONS, Action, Done
from opencomplaints.casework.downloads import document_file_response
from opencomplaints.casework.error_summary import error_summary_items
from opencomplaints.casework.fields import VERSION_FIELD, CaseworkForm, keep_typed_with_version
from opencomplaints.casework.selectors import (
    case_brief,
    case_page,
)
from opencomplaints.casework.templatetags.casework import govuk_datetime
from opencomplaints.casework.timeline import ChangeEntry, case_page_timeline, changes_since
from opencomplaints.casework.visibility import visible_actions, visible_page
from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.notifications import selectors as notification_selectors
from opencomplaints.notifications.models import Message
from opencomplaints.notifications.selectors import MessageDetail

type ViewFunction = Callable[..., HttpResponseBase]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required has run
    return user


# Reached for a case the user cannot (yet) see, so these check access themselves.
NOT_YET_VISIBLE = frozenset({"case-break-glass"})


def _refused(request: HttpRequest, case_id: int | str) -> HttpResponse | None:
    """Every action on a case passes here first: a case the user may not see is a 404 (``NotFoundError``), an
    action their role may not use on it a 403, for GET and POST alike (``cases.access.case_permissions``). A
    complaints manager asking for a restricted case they are not named on is sent to ask for emergency access."""
    name = request.resolver_match.url_name if request.resolver_match else ""
    if name in NOT_YET_VISIBLE:
        return None
    user = _user(request)
    try:
        case = access_case_by_id(user=user, case_id=case_id)
    except NotFoundError:
        if name == "case-detail":
            case = access_case_for_break_glass(user=user, case_id=case_id)
            return redirect("casework:case-break-glass", case_id=case.pk)
        raise
    permissions = case_permissions(user=user, case=case)
    if not permissions.allows(name or ""):
        return render(request, "casework/forbidden.html", {"case": case}, status=403)
    # The view reads the same case and permissions again; keep them for it rather than query twice.
    setattr(request, _CHECKED, (case, permissions))
    return None


_CHECKED = "_opencomplaints_checked_case"


def _checked(request: HttpRequest, case_id: int | str) -> tuple[Case, CasePermissions]:
    """The case and the user's permissions on it, as the decorator checked them (or afresh, for a view reached
    another way)."""
    checked: tuple[Case, CasePermissions] | None = getattr(request, _CHECKED, None)
    if checked is not None and str(checked[0].pk) == str(case_id):
        return checked
    user = _user(request)
    case = access_case_by_id(user=user, case_id=case_id)
    return case, case_permissions(user=user, case=case)


def casework_view(methods: tuple[str, ...] = ("GET", "POST")) -> Callable[[ViewFunction], ViewFunction]:
    """Signed-in users only; a record the user may not see (or that does not exist) is a 404, an action their role
    may not use a 403."""

    def decorate(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                if "case_id" in kwargs and (refused := _refused(request, kwargs["case_id"])) is not None:
                    return refused
                return view(request, *args, **kwargs)
            except NotFoundError as error:
                raise Http404(error.message) from error

        guarded: ViewFunction = login_required(require_http_methods(list(methods))(wrapped))
        return guarded

    return decorate


def _today() -> date:
    return timezone.localdate()


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _case_url(case: Case) -> str:
    return reverse("casework:case-detail", args=[case.pk])


def _read_recorded(
    request: HttpRequest,
    *,
    event: AuditEventType,
    subject: Any,
    case: Case,
    summary: str,
    permissions: CasePermissions | None = None,
    **details: Any,
) -> None:
    """Record on the case's audit trail that the user read ``subject``; with their ``permissions``, also their role
    and whether it was with emergency access."""
    if permissions is not None:
        summary += " with emergency access" if permissions.break_glass_until else ""
        details = {"role": permissions.role, "break_glass": permissions.break_glass_until is not None, **details}
    audit_read_record(
        acting_user=_user(request), event_type=event, subject=subject, case_id=case.pk, summary=summary,
        details=details,
    )  # fmt: skip


def _message_url(message: Message) -> str:
    return reverse("casework:message-detail", args=[message.case_id, message.pk])


def _action(
    request: HttpRequest,
    *,
    case: Case,
    form: CaseworkForm,
    perform: Callable[[], str],
    stage: Stage | None = None,
    outbox_message: MessageDetail | None = None,
) -> HttpResponse:
    """The shared shape of every action: on a valid POST make the one service call ``perform`` and go back to the
    case (or to the message acted on) with its success message; otherwise (or when the service refuses) show the
    form again, keeping what was typed."""
    back_url = _message_url(outbox_message.message) if outbox_message else _case_url(case)
    changed_since: list[ChangeEntry] = []
    if request.method == "POST" and form.is_valid():
        try:
            message = perform()
        except StaleVersion as stale:
            form.add_domain_error(stale)
            changed_since = changes_since(case=case, count=stale.current - stale.expected)
            keep_typed_with_version(form, stale.current)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, message)
            return redirect(back_url)
    context = {
        "changed_since": changed_since,
        "brief": case_brief(case=case),
        "stage": stage,
        "outbox_message": outbox_message,
        "back_url": back_url,
        "form": form,
        "errors": error_summary_items(form),
        "title": form.title,
    }
    return render(request, "casework/action_form.html", context, status=400 if form.is_bound and form.errors else 200)


# -- the case page ---------------------------------------------------------------------------------------------


@casework_view(("GET",))
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """Everything about one case, and the actions that make sense for it now."""
    user = _user(request)
    case, permissions = _checked(request, case_id)
    page = visible_page(case_page(case=case, today=_today()), permissions)
    _read_recorded(
        request, event=AuditEventType.CASE_VIEWED, subject=case, case=case, summary=f"{case.reference} viewed",
        permissions=permissions,
    )  # fmt: skip
    context = {
        "page": page,
        "timeline": case_page_timeline(page=page, user=user, permissions=permissions),
        "can_add_note": permissions.allows("case-note-add"),
        "actions": visible_actions(case_actions(page), permissions),
        "case": page.case,
        "permissions": permissions,
    }
    return render(request, "casework/case_detail.html", context)


# -- the actions (casework.declarations) ------------------------------------------------------------------------


def case_action(request: HttpRequest, case_id: int, *, action: Action, **ids: int) -> HttpResponse:
    """Every declared action: read its record, show its form, and on a valid POST make its one service call."""
    user = _user(request)
    case, permissions = _checked(request, case_id)
    target = action.target.load(case, permissions, user, ids)
    form = action.form(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        case=case,
        target=target,
        keyword=action.target.keyword,
        user=user,
        permissions=permissions,
        today=_today(),
    )

    def perform() -> str:
        result = casework_services.declared_action_perform(
            action=action, case=case, acting_user=user, version=form.cleaned_data.get(VERSION_FIELD),
            arguments=form.service_arguments(),
        )  # fmt: skip
        return action.success(Done(case=case, target=target, result=result, data=form.cleaned_data))

    stage = target if isinstance(target, Stage) else None
    outbox = notification_selectors.message_detail(message=target) if isinstance(target, Message) else None
    return _action(request, case=case, form=form, perform=perform, stage=stage, outbox_message=outbox)


def action_patterns() -> list[URLPattern]:
    """One URL an action, below its case and record."""
    view = casework_view()(case_action)
    return [path(f"<int:case_id>/{a.target.route}{a.path}", view, {"action": a}, name=a.name) for a in ACTIONS]


@casework_view(("GET",))
def document_download(request: HttpRequest, case_id: int, document_id: int) -> HttpResponseBase:
    """The only way a stored file leaves the server: for someone who may see the case, as an attachment, recorded
    on the case's audit trail."""
    case, permissions = _checked(request, case_id)
    return document_file_response(
        case=case, permissions=permissions, document_id=document_id, acting_user=_user(request)
    )


# -- messages (docs/adr/0004-background-jobs.md) --------------------------------------------------------------


def _case_message(request: HttpRequest, case_id: int, message_id: int) -> tuple[Case, CasePermissions, Message]:
    """A message about the case: part of the whole case, so seen by those who see the case's messages section."""
    case, permissions = _checked(request, case_id)
    if not permissions.sees_whole_case:
        raise NotFoundError(MESSAGE_NOT_FOUND)
    return case, permissions, access_message_for_case(case=case, message_id=message_id)


@casework_view(("GET",))
def message_detail(request: HttpRequest, case_id: int, message_id: int) -> HttpResponse:
    """One message in full, as sent or to be sent: to print and post a letter that could not be sent, or to see why
    it was not. A case anonymised after the retention period shows no recipient or words."""
    case, permissions, message = _case_message(request, case_id, message_id)
    detail = notification_selectors.message_detail(message=message)
    _read_recorded(
        request, event=AuditEventType.MESSAGE_VIEWED, subject=message, case=case,
        summary=f"{message.name_without_recipient} about {case.reference} read", permissions=permissions,
        words_shown=not detail.words_removed,
    )  # fmt: skip
    context = {
        "case": case,
        "detail": detail,
        "message": message,
        "can_retry": detail.can_be_resent and permissions.allows("message-retry"),
        "can_mark_sent": detail.can_be_resent and permissions.allows("message-mark-sent"),
    }
    return render(request, "casework/message_detail.html", context)


# -- who may see a case, and who has seen it (docs/adr/0005-roles-and-access.md) ---------------------------------

ACCESS_LOG_PAGE_SIZE = 50
# What the page says where a reason was given but removed with the case's other personal data.
REMOVED_AFTER_RETENTION = "Removed after the retention period"


@casework_view(("GET",))
def case_access_log(request: HttpRequest, case_id: int) -> HttpResponse:
    """Who has seen the case, when, what and why, and who may see it: for complaints managers."""
    case, _ = _checked(request, case_id)
    events = Paginator(case_access_log_events(case_id=case.pk), ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "event_time": event.event_time,
            "who": str(event.acting_user) if event.acting_user else "System",
            "what": event.event_type_label,
            "summary": event.summary,
            "reason": REMOVED_AFTER_RETENTION if (reason := event_text(event, "reason")) is None else reason,
        }
        for event in events.object_list
    ]
    grants = case_access_grants(case=case, now=timezone.now())
    # Recorded after the page is read, so the list shows who had looked before this visit.
    _read_recorded(
        request, event=AuditEventType.ACCESS_LOG_VIEWED, subject=case, case=case,
        summary=f"Who has seen {case.reference} viewed",
    )  # fmt: skip
    context = {
        "case": case,
        "rows": rows,
        "events": events,
        "grants": grants,
        "pagination": {
            "items": [],
            "previous": f"?page={events.previous_page_number()}" if events.has_previous() else "",
            "next": f"?page={events.next_page_number()}" if events.has_next() else "",
        }
        if events.paginator.num_pages > 1
        else None,
    }
    return render(request, "casework/case_access_log.html", context)


@casework_view()
def case_break_glass(request: HttpRequest, case_id: int) -> HttpResponse:
    """A complaints manager's emergency access to a restricted case they are not named on: they say why, it is
    recorded, and it ends by itself. Nothing of the case but its reference is shown before then."""
    user = _user(request)
    case = access_case_for_break_glass(user=user, case_id=case_id)
    form = f.BreakGlassForm(_posted(request), case=case, today=_today())
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.case_break_glass(case=case, acting_user=user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            until = govuk_datetime(grant.expires_at)
            messages.success(request, f"You can see {case.reference} until {until}. Your reason is recorded.")
            return redirect(_case_url(case))
    errors = error_summary_items(form)
    context = {"case": case, "form": form, "errors": errors, "hours": BREAK_GLASS_HOURS}
    return render(request, "casework/case_break_glass.html", context, status=400 if errors else 200)
