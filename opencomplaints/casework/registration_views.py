"""Registering a complaint (with its complainants and children), another representation or an Ombudsman case."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases import services
from opencomplaints.cases.access import (
    CouncilPurpose,
    case_queryset_for_user,
    councils_for_purpose,
    users_who_may_own,
)
from opencomplaints.cases.kinds import Shape, kind_for_slug, kind_of
from opencomplaints.casework import registration_forms as f
from opencomplaints.casework.error_summary import error_summary_items
from opencomplaints.casework.fields import CaseworkForm
from opencomplaints.casework.selectors import (
    PossibleDuplicates,
    ethnicity_categories,
    possible_duplicates,
)
from opencomplaints.casework.views import _case_url, _posted, _today, _user, casework_view
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council, IssueCategory, Team
from opencomplaints.councils.selectors import teams_active_on

NO_COUNCIL = (
    "You are not a member of any council with a role that registers cases (complaints manager or complaints "
    "officer), so you cannot register anything yet. Ask an administrator if you need to."
)

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
        chosen = kind_of(kind)
        if chosen.shape == Shape.COMPLAINT:
            return redirect("casework:complaint-register")
        if chosen.shape == Shape.OMBUDSMAN:
            return redirect("casework:ombudsman-register")
        return redirect("casework:representation-register", kind=chosen.slug)
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


def _prefill(request: HttpRequest) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """What a link may fill in on a blank registration form (an email being triaged from the inbox): the date and
    how it was received, the subject and summary, and the first complainant's name and email address."""
    if request.method != "GET":
        return {}, []
    query = request.GET
    initial: dict[str, Any] = {k: query[k][:2000] for k in ("summary", "topic") if query.get(k)}
    if query.get("received_via") in c.ReceivedVia.values:
        initial["received_via"] = query["received_via"]
    with contextlib.suppress(ValueError):
        initial["received_date"] = date.fromisoformat(query.get("received_date", ""))
    person = {k: query[k][:320] for k in ("first_name", "last_name", "email") if query.get(k)}
    return initial, [person] if person else []


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
    initial, people_initial = _prefill(request)
    form = f.ComplaintRegisterForm(
        data,
        councils=councils,
        issues=issues,
        teams=teams,
        today=today,
        initial=initial,
        owners=users_who_may_own(councils=councils),
        user=_user(request),
    )
    complainants = f.ComplainantFormSet(
        data, prefix="complainant", form_kwargs={"ethnicity": ethnicity}, initial=people_initial or None
    )
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


def _all_valid(form: CaseworkForm, *formsets: BaseFormSet[Any]) -> bool:
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
    declared = kind_for_slug(kind)
    if declared is None or declared.shape != Shape.REPRESENTATION:
        raise Http404("No such kind of representation")
    councils = _councils(request)
    if not councils:
        return _no_council(request)
    case_kind = declared.value
    today = _today()
    form = f.RepresentationRegisterForm(
        _posted(request),
        kind=case_kind,
        councils=councils,
        teams=_team_choices(councils, today),
        today=today,
        initial=_prefill(request)[0],
        owners=users_who_may_own(councils=councils),
        user=_user(request),
    )
    label = declared.label
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
    article, noun = declared.article, declared.in_sentence
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
        _posted(request),
        councils=councils,
        cases=case_queryset_for_user(user=user),
        initial=initial,
        today=_today(),
        owners=users_who_may_own(councils=councils),
        user=user,
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
