"""The casework pages. Each view reads through the access functions, parses a form, makes one service call and
turns a ``DomainError`` into a message on the form (convention 1). "Today" is London's date, read here and passed
down."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseFormSet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.selectors import case_access_log as case_access_log_events
from opencomplaints.audit.selectors import event_text
from opencomplaints.audit.services import audit_read_record
from opencomplaints.cases import constants as c
from opencomplaints.cases import services
from opencomplaints.cases.access import (
    ROLES_SEEING_CASES,
    CasePermissions,
    CouncilPurpose,
    access_case_by_id,
    access_case_for_break_glass,
    case_permissions,
    case_queryset_for_user,
    councils_for_purpose,
)
from opencomplaints.cases.models import Case, Stage
from opencomplaints.cases.selectors import case_access_grants
from opencomplaints.cases.services.restrictions import BREAK_GLASS_HOURS
from opencomplaints.casework import forms as f
from opencomplaints.casework import services as casework_services
from opencomplaints.casework.access import (
    DOCUMENT_NOT_FOUND,
    MESSAGE_NOT_FOUND,
    access_case_stage,
    access_complainant_for_case,
    access_document_for_case,
    access_learning_action_for_case,
    access_message_for_case,
)
from opencomplaints.casework.actions import case_actions
from opencomplaints.casework.error_summary import error_summary_items
from opencomplaints.casework.selectors import (
    PossibleDuplicates,
    case_brief,
    case_page,
    case_request_window,
    ethnicity_categories,
    possible_duplicates,
)
from opencomplaints.casework.templatetags.casework import govuk_date, govuk_datetime
from opencomplaints.casework.visibility import visible_actions, visible_page
from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.councils.models import Council, IssueCategory, Team
from opencomplaints.councils.selectors import teams_active_on
from opencomplaints.notifications import selectors as notification_selectors
from opencomplaints.notifications import services as notification_services
from opencomplaints.notifications.models import Message
from opencomplaints.notifications.selectors import MessageDetail

type ViewFunction = Callable[..., HttpResponseBase]

NO_COUNCIL = (
    "You are not a member of any council with a role that registers cases (complaints manager or complaints "
    "officer), so you cannot register anything yet. Ask an administrator if you need to."
)


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


def _message_url(message: Message) -> str:
    return reverse("casework:message-detail", args=[message.case_id, message.pk])


def _members(council: Council) -> QuerySet[User]:
    return User.objects.filter(memberships__council=council, is_active=True).order_by("last_name", "first_name")


def _action(
    request: HttpRequest,
    *,
    case: Case,
    form: f.CaseworkForm,
    perform: Callable[[], str],
    stage: Stage | None = None,
    outbox_message: MessageDetail | None = None,
) -> HttpResponse:
    """The shared shape of every action: on a valid POST make the one service call ``perform`` and go back to the
    case (or to the message acted on) with its success message; otherwise (or when the service refuses) show the
    form again, keeping what was typed."""
    back_url = _message_url(outbox_message.message) if outbox_message else _case_url(case)
    if request.method == "POST" and form.is_valid():
        try:
            message = perform()
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, message)
            return redirect(back_url)
    context = {
        "brief": case_brief(case=case),
        "stage": stage,
        "outbox_message": outbox_message,
        "back_url": back_url,
        "form": form,
        "errors": error_summary_items(form),
        "title": form.title,
    }
    return render(request, "casework/action_form.html", context, status=400 if form.is_bound and form.errors else 200)


# -- registering -----------------------------------------------------------------------------------------------


def _councils(request: HttpRequest) -> list[Council]:
    return list(councils_for_purpose(user=_user(request), purpose=CouncilPurpose.REGISTER).order_by("name"))


def _no_council(request: HttpRequest) -> HttpResponse:
    return render(request, "casework/no_council.html", {"message": NO_COUNCIL}, status=403)


@casework_view()
def register(request: HttpRequest) -> HttpResponse:
    """Choose what to register."""
    if not _councils(request):
        return _no_council(request)
    form = f.RegisterChoiceForm(_posted(request), today=_today())
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        if kind == c.Kind.COMPLAINT:
            return redirect("casework:complaint-register")
        if kind == c.Kind.OMBUDSMAN:
            return redirect("casework:ombudsman-register")
        slug = next(s for s, k in f.REPRESENTATION_SLUGS.items() if k == kind)
        return redirect("casework:representation-register", kind=slug)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "casework/register_choose.html", {"form": form, "errors": error_summary_items(form)}, status=status
    )


def _with_extra_form(data: Any, prefix: str) -> Any:
    copied = data.copy()
    total = f"{prefix}-TOTAL_FORMS"
    try:
        count = int(copied.get(total, "0"))
    except ValueError:
        count = 0
    copied[total] = str(min(count + 1, 10))
    return copied


@casework_view()
def complaint_register(request: HttpRequest) -> HttpResponse:
    """Register a complaint: the complaint, its complainants and its children on one page. Likely duplicates
    (the same complainant or child within 12 months, R1.14) are shown first, to register anyway or to check."""
    councils = _councils(request)
    if not councils:
        return _no_council(request)
    today = _today()
    data = _posted(request)
    adding = data is not None and ("add_complainant" in data or "add_child" in data)
    if adding:
        data = _with_extra_form(data, "complainant" if "add_complainant" in data else "child")
    issues = _issue_choices(councils)
    teams = _team_choices(councils, today)
    ethnicity = ethnicity_categories()
    form = f.ComplaintRegisterForm(data, councils=councils, issues=issues, teams=teams, today=today)
    complainants = f.ComplainantFormSet(data, prefix="complainant", form_kwargs={"ethnicity": ethnicity})
    children = f.ChildFormSet(data, prefix="child", form_kwargs={"ethnicity": ethnicity, "today": today})
    duplicates: list[Any] = []
    if data is not None and not adding and _all_valid(form, complainants, children):
        council = form.chosen_council(form.cleaned_data)
        people = [x.complainant_input() for x in _filled(complainants)]
        young = [x.child_input() for x in _filled(children)]
        if "register_anyway" not in data:
            duplicates = possible_duplicates(
                council=council,
                received_date=form.cleaned_data["received_date"],
                people=[
                    (p.person.first_name, p.person.last_name, p.person.date_of_birth)
                    for p in [*people, *young]
                    if p.person is not None and p.person.last_name
                ],
            )
            duplicates = _visible_duplicates(_user(request), duplicates)
        if not duplicates:
            try:
                case = services.complaint_register(
                    council=council,
                    acting_user=_user(request),
                    complainants=people,
                    children=young,
                    **form.service_arguments(),
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"Complaint {case.reference} registered")
                return redirect(_case_url(case))
    if adding:
        # Adding a person is not submitting: show the page again as it was, without judging the answers yet.
        form.details_helper.form_show_errors = False
        for each in (form, *complainants, *children):
            each.helper.form_show_errors = False
    errors = [] if adding else error_summary_items(form, complainants, children)
    context = {
        "form": form,
        "complainants": complainants,
        "children": children,
        "duplicates": duplicates,
        "errors": errors,
    }
    return render(request, "casework/complaint_register.html", context, status=400 if errors else 200)


def _visible_duplicates(user: User, found: list[PossibleDuplicates]) -> list[PossibleDuplicates]:
    """Only the possible duplicates the user may see: a restricted case is not revealed even by its reference."""
    ids = {case.pk for each in found for case in each.cases}
    visible = set(case_queryset_for_user(user=user).filter(pk__in=ids).values_list("pk", flat=True))
    kept = [PossibleDuplicates(person=each.person, cases=[c for c in each.cases if c.pk in visible]) for each in found]
    return [each for each in kept if each.cases]


def _all_valid(form: f.CaseworkForm, *formsets: BaseFormSet[Any]) -> bool:
    results = [form.is_valid(), *[formset.is_valid() for formset in formsets]]
    return all(results)


def _filled(formset: BaseFormSet[Any]) -> list[Any]:
    return [x for x in formset.forms if x.has_changed() or x in formset.forms[: formset.min_num]]


def _issue_choices(councils: list[Council]) -> QuerySet[IssueCategory]:
    return IssueCategory.objects.filter(council__in=councils, is_active=True).order_by("name")


def _team_choices(councils: list[Council], today: date) -> QuerySet[Team]:
    teams = Team.objects.none()
    for council in councils:
        teams |= teams_active_on(council=council, on_date=today)
    return teams.order_by("name")


@casework_view()
def representation_register(request: HttpRequest, kind: str) -> HttpResponse:
    """Register a potential complaint, query, MP or councillor enquiry, or compliment."""
    if kind not in f.REPRESENTATION_SLUGS:
        raise Http404("No such kind of representation")
    councils = _councils(request)
    if not councils:
        return _no_council(request)
    case_kind = f.REPRESENTATION_SLUGS[kind]
    today = _today()
    form = f.RepresentationRegisterForm(
        _posted(request), kind=case_kind, councils=councils, teams=_team_choices(councils, today), today=today
    )
    label = c.Kind(case_kind).label
    if request.method == "POST" and form.is_valid():
        try:
            case = services.representation_register(
                council=form.chosen_council(form.cleaned_data), acting_user=_user(request), **form.service_arguments()
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{label} {case.reference} registered")
            return redirect(_case_url(case))
    article, noun = f.REPRESENTATION_NAMES[case_kind]
    errors = error_summary_items(form)
    return render(
        request,
        "casework/register_form.html",
        {"form": form, "errors": errors, "title": f"Register {article} {noun}", "submit_label": f"Register the {noun}"},
        status=400 if errors else 200,
    )


@casework_view()
def ombudsman_register(request: HttpRequest) -> HttpResponse:
    """Register a case the Local Government and Social Care Ombudsman has opened (§4)."""
    councils = _councils(request)
    if not councils:
        return _no_council(request)
    user = _user(request)
    initial = {}
    complaint_id = request.GET.get("complaint", "")
    if complaint_id.isdigit():
        complaint = case_queryset_for_user(user=user).filter(pk=int(complaint_id)).first()
        if complaint is not None:
            initial["complaint_reference"] = complaint.reference
    form = f.OmbudsmanRegisterForm(
        _posted(request), councils=councils, cases=case_queryset_for_user(user=user), initial=initial, today=_today()
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.ombudsman_case_register(
                council=form.chosen_council(form.cleaned_data), acting_user=user, **form.service_arguments()
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"Ombudsman case {case.reference} registered")
            return redirect(_case_url(case))
    errors = error_summary_items(form)
    return render(
        request,
        "casework/register_form.html",
        {"form": form, "errors": errors, "title": form.title, "submit_label": form.submit_label},
        status=400 if errors else 200,
    )


# -- the case page ---------------------------------------------------------------------------------------------


@casework_view(("GET",))
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """Everything about one case, and the actions that make sense for it now."""
    user = _user(request)
    case, permissions = _checked(request, case_id)
    page = visible_page(case_page(case=case, today=_today()), permissions)
    audit_read_record(
        acting_user=user,
        event_type=AuditEventType.CASE_VIEWED,
        subject=case,
        case_id=case.pk,
        summary=f"{case.reference} viewed" + (" with emergency access" if permissions.break_glass_until else ""),
        details={"role": permissions.role, "break_glass": permissions.break_glass_until is not None},
    )
    context = {
        "page": page,
        "actions": visible_actions(case_actions(page), permissions),
        "case": page.case,
        "permissions": permissions,
    }
    return render(request, "casework/case_detail.html", context)


# -- actions on a stage ----------------------------------------------------------------------------------------


def _stage(request: HttpRequest, case_id: int, stage_id: int) -> Stage:
    return access_case_stage(user=_user(request), case_id=case_id, stage_id=stage_id)


@casework_view()
def stage_extend(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    form = f.StageExtendForm(_posted(request), stage=stage, today=_today())

    def perform() -> str:
        data = form.cleaned_data
        # The extension letter (reasons and the new date, R1.20, R1.26) is queued in the same transaction.
        notification_services.stage_extend_and_notify(
            stage=stage,
            acting_user=_user(request),
            extended_due_date=data["extended_due_date"],
            reason=data["reason"],
            notified_date=data["notified_date"],
        )
        return f"Stage {stage.number} extended to {govuk_date(data['extended_due_date'])}"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage_hold(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    form = f.StageHoldForm(_posted(request), stage=stage, today=_today())

    def perform() -> str:
        data = form.cleaned_data
        notification_services.stage_hold_and_notify(
            stage=stage,
            acting_user=_user(request),
            start_date=data["start_date"],
            reason=data["reason"],
            note=data["note"],
        )
        return f"Stage {stage.number} on hold from {govuk_date(data['start_date'])}"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage_resume(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    form = f.StageResumeForm(_posted(request), stage=stage, today=_today())

    def perform() -> str:
        services.stage_resume(stage=stage, acting_user=_user(request), end_date=form.cleaned_data["end_date"])
        return f"Stage {stage.number} resumed"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage_acknowledge(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    form = f.StageAcknowledgeForm(_posted(request), stage=stage, today=_today())

    def perform() -> str:
        services.stage_acknowledge(
            stage=stage, acting_user=_user(request), acknowledged_date=form.cleaned_data["acknowledged_date"]
        )
        return f"Acknowledgement of stage {stage.number} recorded"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage_respond(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    points = list(stage.case.points.order_by("number"))
    form = f.StageRespondForm(_posted(request), stage=stage, points=points, today=_today())

    def perform() -> str:
        data = form.cleaned_data
        services.stage_respond(
            stage=stage,
            acting_user=_user(request),
            response_date=data["response_date"],
            outcome=data.get("outcome") or None,
            findings=form.findings() or None,
        )
        return f"Stage {stage.number} response recorded: {stage.get_outcome_display().lower()}"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage2_appoint(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    form = f.Stage2AppointForm(_posted(request), stage=stage, members=_members(stage.case.council), today=_today())

    def perform() -> str:
        data = form.cleaned_data
        services.stage2_appoint(
            stage=stage,
            acting_user=_user(request),
            appointed_date=data["appointed_date"],
            investigating_officer=data.get("investigating_officer"),
            independent_person=data.get("independent_person"),
        )
        return "Stage 2 appointments recorded"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage2_statement(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    points = list(stage.case.points.order_by("number"))
    form = f.Stage2StatementForm(_posted(request), stage=stage, points=points, today=_today())

    def perform() -> str:
        agreed = form.point_list()
        services.stage2_statement_agree(
            stage=stage, acting_user=_user(request), agreed_date=form.cleaned_data["agreed_date"], points=agreed
        )
        return f"Statement of complaint agreed with {len(agreed)} point{'s' if len(agreed) != 1 else ''}"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage2_report(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    form = f.Stage2ReportForm(_posted(request), stage=stage, today=_today())

    def perform() -> str:
        services.stage2_report_receive(
            stage=stage, acting_user=_user(request), report_date=form.cleaned_data["report_date"]
        )
        return "Investigation report recorded"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage2_adjudicate(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    points = list(stage.case.points.order_by("number"))
    form = f.Stage2AdjudicateForm(
        _posted(request), stage=stage, members=_members(stage.case.council), points=points, today=_today()
    )

    def perform() -> str:
        data = form.cleaned_data
        services.stage2_adjudicate(
            stage=stage,
            acting_user=_user(request),
            adjudicator=data["adjudicator"],
            adjudication_date=data["adjudication_date"],
            findings=form.findings(),
            recommendations=form.recommendation_list(),
        )
        return f"Stage 2 adjudication recorded: {stage.get_outcome_display().lower()}"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage3_panel_appoint(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    form = f.Stage3PanelAppointForm(
        _posted(request),
        stage=stage,
        members=_members(stage.case.council),
        current=list(stage.panel_members.all()),
        today=_today(),
    )

    def perform() -> str:
        data = form.cleaned_data
        services.stage3_panel_appoint(
            stage=stage, acting_user=_user(request), chair=data["chair"], members=list(data["members"])
        )
        return "Review panel appointed"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage3_panel_record(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    form = f.Stage3PanelRecordForm(_posted(request), stage=stage, today=_today())

    def perform() -> str:
        services.stage3_panel_record(
            stage=stage, acting_user=_user(request), panel_date=form.cleaned_data["panel_date"]
        )
        return "Panel meeting recorded"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage3_report(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    form = f.Stage3ReportForm(_posted(request), stage=stage, today=_today())

    def perform() -> str:
        services.stage3_report_record(
            stage=stage,
            acting_user=_user(request),
            report_date=form.cleaned_data["report_date"],
            recommendations=form.recommendation_list(),
        )
        return "Panel's report recorded"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


@casework_view()
def stage3_respond(request: HttpRequest, case_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, case_id, stage_id)
    form = f.Stage3RespondForm(
        _posted(request),
        stage=stage,
        points=list(stage.case.points.order_by("number")),
        recommendations=list(stage.recommendations.order_by("number")),
        today=_today(),
    )

    def perform() -> str:
        data = form.cleaned_data
        services.stage3_respond(
            stage=stage,
            acting_user=_user(request),
            response_date=data["response_date"],
            findings=form.findings(),
            recommendation_responses=form.responses(),
        )
        return f"Response to the review panel recorded: {stage.get_outcome_display().lower()}"

    return _action(request, case=stage.case, form=form, perform=perform, stage=stage)


# -- actions on a complaint ------------------------------------------------------------------------------------


def _case(request: HttpRequest, case_id: int) -> Case:
    return _checked(request, case_id)[0]


@casework_view()
def complaint_accept(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.ComplaintAcceptForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        services.complaint_accept(case=case, acting_user=_user(request))
        return f"Complaint {case.reference} accepted"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def complaint_decline(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.ComplaintDeclineForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        data = form.cleaned_data
        services.complaint_decline(
            case=case,
            acting_user=_user(request),
            reason=data["reason"],
            decided_date=data["decided_date"],
            redirected_to=data.get("redirected_to", ""),
            note=data.get("note", ""),
        )
        return f"Complaint {case.reference} recorded as not accepted"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def complaint_escalate(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    window = case_request_window(case=case)
    form = f.ComplaintEscalateForm(
        _posted(request), case=case, window_end=window.effective_due_date if window else None, today=_today()
    )

    def perform() -> str:
        data = form.cleaned_data
        stage = services.complaint_escalate(
            case=case,
            acting_user=_user(request),
            request_received_date=data["request_received_date"],
            late_request_accepted=f.yes_no_value(data.get("late_request_accepted")),
            late_request_reason=data.get("late_request_reason", ""),
        )
        if stage.outcome == c.Outcome.NOT_ACCEPTED:
            return f"The late request for stage {stage.number} was recorded as not accepted"
        return f"Stage {stage.number} opened"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def complaint_withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.ComplaintWithdrawForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        data = form.cleaned_data
        services.complaint_withdraw(
            case=case, acting_user=_user(request), withdrawn_date=data["withdrawn_date"], note=data.get("note", "")
        )
        return f"Complaint {case.reference} recorded as withdrawn"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def complaint_close(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.ComplaintCloseForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        services.complaint_close(case=case, acting_user=_user(request), closed_date=form.cleaned_data["closed_date"])
        return f"Complaint {case.reference} closed"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def case_support(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.CaseSupportForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        data = form.cleaned_data
        services.case_support_record(
            case=case,
            acting_user=_user(request),
            mediation=data["mediation"],
            advocacy_offered=f.yes_no_value(data["advocacy_offered"]),
            advocacy_provided=f.yes_no_value(data["advocacy_provided"]),
            advocate_name=data["advocate_name"],
            advocate_organisation=data["advocate_organisation"],
        )
        return "Mediation and advocacy recorded"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def complaint_reopen(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.ComplaintReopenForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        data = form.cleaned_data
        services.complaint_reopen(
            case=case,
            acting_user=_user(request),
            reason=data["reason"],
            reopened_date=data["reopened_date"],
            reopen_stage=data["reopen_stage"] == "yes",
        )
        return f"Complaint {case.reference} reopened"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def complainant_interest_decide(request: HttpRequest, case_id: int, complainant_id: int) -> HttpResponse:
    case = _case(request, case_id)
    complainant = access_complainant_for_case(case=case, complainant_id=complainant_id)
    form = f.ComplainantInterestForm(_posted(request), case=case, today=_today())
    form.fields["has_interest"].label = f"Does {complainant.person} have sufficient interest in the child's welfare?"

    def perform() -> str:
        data = form.cleaned_data
        services.complainant_sufficient_interest_decide(
            complainant=complainant,
            acting_user=_user(request),
            has_interest=data["has_interest"] == "yes",
            decided_date=data["decided_date"],
            child_consulted=data["child_consulted"] == "yes",
            notified_date=data.get("notified_date"),
        )
        return f"Sufficient-interest decision for {complainant.person} recorded"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def remedy_record(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.RemedyRecordForm(
        _posted(request),
        case=case,
        remedy_types=case.council.remedy_types.filter(is_active=True).order_by("name"),
        stages=case.stages.order_by("number"),
        today=_today(),
    )

    def perform() -> str:
        data = form.cleaned_data
        remedy = services.remedy_record(
            case=case,
            acting_user=_user(request),
            remedy_type=data["remedy_type"],
            stage=data.get("stage"),
            description=data.get("description", ""),
            amount=data.get("amount"),
            agreed_date=data.get("agreed_date"),
            paid_date=data.get("paid_date"),
        )
        return f"{remedy.remedy_type} recorded"

    return _action(request, case=case, form=form, perform=perform)


def _learning_form_kwargs(case: Case) -> dict[str, Any]:
    council = case.council
    return {"members": _members(council), "teams": council.teams.filter(active_until__isnull=True).order_by("name")}


@casework_view()
def learning_action_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.LearningActionForm(_posted(request), case=case, today=_today(), **_learning_form_kwargs(case))

    def perform() -> str:
        data = form.cleaned_data
        services.learning_action_create(
            council=case.council,
            acting_user=_user(request),
            finding=data["finding"],
            action=data["action"],
            cases=[case],
            owner=data.get("owner"),
            team=data.get("team"),
            due_date=data.get("due_date"),
        )
        return "Learning action added"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def learning_action_update(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    case = _case(request, case_id)
    action = access_learning_action_for_case(case=case, action_id=action_id)
    initial = {
        "finding": action.finding,
        "action": action.action,
        "owner": action.owner_id,
        "team": action.team_id,
        "due_date": action.due_date,
        "status": action.status,
    }
    form = f.LearningActionUpdateForm(
        _posted(request), case=case, initial=initial, today=_today(), **_learning_form_kwargs(case)
    )

    def perform() -> str:
        data = form.cleaned_data
        services.learning_action_update(
            action=action,
            acting_user=_user(request),
            finding=data["finding"],
            action_text=data["action"],
            owner=data.get("owner"),
            team=data.get("team"),
            due_date=data.get("due_date"),
            status=data["status"],
        )
        return "Learning action updated"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def learning_action_complete(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    case = _case(request, case_id)
    action = access_learning_action_for_case(case=case, action_id=action_id)
    form = f.LearningActionCompleteForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        data = form.cleaned_data
        services.learning_action_complete(
            action=action,
            acting_user=_user(request),
            implemented_date=data["implemented_date"],
            evidence=data["evidence"],
        )
        return "Learning action recorded as implemented"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def learning_action_not_implemented(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    case = _case(request, case_id)
    action = access_learning_action_for_case(case=case, action_id=action_id)
    form = f.LearningActionNotImplementedForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        services.learning_action_not_implemented(
            action=action, acting_user=_user(request), reason=form.cleaned_data["reason"]
        )
        return "Learning action recorded as not implemented"

    return _action(request, case=case, form=form, perform=perform)


# -- other representations and the Ombudsman -------------------------------------------------------------------


@casework_view()
def representation_respond(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.RepresentationRespondForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        data = form.cleaned_data
        services.representation_respond(
            case=case,
            acting_user=_user(request),
            responded_date=data["responded_date"],
            outcome=data.get("outcome", ""),
        )
        return f"Response to {case.reference} recorded"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def ombudsman_decision(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.OmbudsmanDecisionForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        data = form.cleaned_data
        services.ombudsman_decision_record(
            case=case,
            acting_user=_user(request),
            decision=data["decision"],
            decision_date=data["decision_date"],
            decision_label=data.get("decision_label", ""),
            fault_found=f.yes_no_value(data.get("fault_found")),
            injustice_found=f.yes_no_value(data.get("injustice_found")),
            recommended_payment=data.get("recommended_payment"),
            compliance_due_date=data.get("compliance_due_date"),
        )
        return "Ombudsman's decision recorded"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def ombudsman_compliance(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.OmbudsmanComplianceForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        services.ombudsman_compliance_record(
            case=case, acting_user=_user(request), complied_date=form.cleaned_data["complied_date"]
        )
        return "Compliance with the Ombudsman's remedy recorded"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def ombudsman_enquiry_respond(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.OmbudsmanEnquiryRespondForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        services.ombudsman_enquiry_respond(
            case=case, acting_user=_user(request), responded_date=form.cleaned_data["responded_date"]
        )
        return "Reply to the Ombudsman's enquiries recorded"

    return _action(request, case=case, form=form, perform=perform)


# -- documents -------------------------------------------------------------------------------------------------


@casework_view()
def document_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    case, permissions = _checked(request, case_id)
    stages = case.stages.order_by("number")
    if permissions.stage_ids is not None:
        stages = stages.filter(pk__in=permissions.stage_ids)
    form = f.DocumentUploadForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        case=case,
        stages=stages,
        limit_text=filesizeformat(casework_services.max_upload_bytes()),
        today=_today(),
    )
    if permissions.stage_ids is not None:
        # Someone who sees only their stage files what they add there, or they could not see it again.
        stage_field = form.fields["stage"]
        stage_field.required = True
        stage_field.label = "Which stage is it about?"
        stage_field.empty_label = None  # type: ignore[attr-defined]
        stage_field.error_messages["required"] = "Select the stage it is about"

    def perform() -> str:
        data = form.cleaned_data
        document = casework_services.document_upload(
            case=case,
            acting_user=_user(request),
            file=data["file"],
            description=data.get("description", ""),
            kind=data["kind"],
            stage=data.get("stage"),
        )
        return f"{document.original_name} uploaded"

    return _action(request, case=case, form=form, perform=perform)


@casework_view(("GET",))
def document_download(request: HttpRequest, case_id: int, document_id: int) -> HttpResponseBase:
    """The only way a stored file leaves the server: for someone who may see the case, as an attachment, recorded
    on the case's audit trail."""
    case, permissions = _checked(request, case_id)
    document = access_document_for_case(case=case, document_id=document_id)
    if not permissions.sees_stage(document.stage_id):
        raise NotFoundError(DOCUMENT_NOT_FOUND)
    casework_services.document_download_record(document=document, acting_user=_user(request))
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Nothing in a downloaded file may run as this site, even if a browser were to display it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


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
    audit_read_record(
        acting_user=_user(request),
        event_type=AuditEventType.MESSAGE_VIEWED,
        subject=message,
        case_id=case.pk,
        summary=f"{message.name_without_recipient} about {case.reference} read"
        + (" with emergency access" if permissions.break_glass_until else ""),
        details={
            "role": permissions.role,
            "break_glass": permissions.break_glass_until is not None,
            "words_shown": not detail.words_removed,
        },
    )
    context = {
        "case": case,
        "detail": detail,
        "message": message,
        "can_retry": detail.can_be_resent and permissions.allows("message-retry"),
        "can_mark_sent": detail.can_be_resent and permissions.allows("message-mark-sent"),
    }
    return render(request, "casework/message_detail.html", context)


@casework_view()
def message_retry(request: HttpRequest, case_id: int, message_id: int) -> HttpResponse:
    case, _, message = _case_message(request, case_id, message_id)
    form = f.MessageRetryForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        notification_services.message_retry(message=message, acting_user=_user(request))
        return f"{message.get_template_key_display()} queued to be sent again"

    return _action(
        request,
        case=case,
        form=form,
        perform=perform,
        outbox_message=notification_selectors.message_detail(message=message),
    )


@casework_view()
def message_mark_sent(request: HttpRequest, case_id: int, message_id: int) -> HttpResponse:
    case, _, message = _case_message(request, case_id, message_id)
    form = f.MessageMarkSentForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        data = form.cleaned_data
        notification_services.message_mark_sent(
            message=message,
            acting_user=_user(request),
            sent_at=notification_services.hand_sent_at(sent_on=data["sent_date"], now=timezone.now()),
            sent_via=data["sent_via"],
        )
        return f"{message.get_template_key_display()} recorded as sent on {govuk_date(data['sent_date'])}"

    return _action(
        request,
        case=case,
        form=form,
        perform=perform,
        outbox_message=notification_selectors.message_detail(message=message),
    )


# -- who may see a case, and who has seen it (docs/adr/0005-roles-and-access.md) ---------------------------------

ACCESS_LOG_PAGE_SIZE = 50
# What the page says where a reason was given but removed with the case's other personal data.
REMOVED_AFTER_RETENTION = "Removed after the retention period"


def _nameable(case: Case) -> QuerySet[User]:
    """The members of the case's council whose role sees cases: those who can be named on it."""
    return User.objects.filter(
        memberships__council=case.council, memberships__role__in=ROLES_SEEING_CASES, is_active=True
    ).order_by("last_name", "first_name")


@casework_view(("GET",))
def case_access_log(request: HttpRequest, case_id: int) -> HttpResponse:
    """Who has seen the case, when, what and why, and who may see it: for complaints managers."""
    user = _user(request)
    case = _case(request, case_id)
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
    audit_read_record(
        acting_user=user,
        event_type=AuditEventType.ACCESS_LOG_VIEWED,
        subject=case,
        case_id=case.pk,
        summary=f"Who has seen {case.reference} viewed",
    )
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
def case_restrict(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, case_id)
    form = f.CaseRestrictForm(_posted(request), case=case, members=_nameable(case).exclude(pk=user.pk), today=_today())

    def perform() -> str:
        data = form.cleaned_data
        services.case_restrict(
            case=case, acting_user=user, reason=data["reason"], named_users=list(data["named_users"])
        )
        return f"{case.reference} is restricted: only the people named on it can see it"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def case_unrestrict(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = f.CaseUnrestrictForm(_posted(request), case=case, today=_today())

    def perform() -> str:
        services.case_unrestrict(case=case, acting_user=_user(request), reason=form.cleaned_data["reason"])
        return f"The restriction on {case.reference} was lifted"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def case_access_grant(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    named = [grant.user_id for grant in case_access_grants(case=case, now=timezone.now())]
    form = f.CaseAccessGrantForm(
        _posted(request), case=case, members=_nameable(case).exclude(pk__in=named), today=_today()
    )

    def perform() -> str:
        data = form.cleaned_data
        services.case_access_grant(case=case, user=data["user"], acting_user=_user(request), reason=data["reason"])
        return f"{data['user']} can now see {case.reference}"

    return _action(request, case=case, form=form, perform=perform)


@casework_view()
def case_access_revoke(request: HttpRequest, case_id: int, grant_id: int) -> HttpResponse:
    case = _case(request, case_id)
    grant = next((g for g in case_access_grants(case=case, now=timezone.now()) if g.pk == grant_id), None)
    if grant is None:
        raise NotFoundError("Access not found")
    form = f.CaseAccessRevokeForm(_posted(request), case=case, person=grant.user, today=_today())

    def perform() -> str:
        services.case_access_revoke(grant=grant, acting_user=_user(request))
        return f"{grant.user} can no longer see {case.reference}"

    return _action(request, case=case, form=form, perform=perform)


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
