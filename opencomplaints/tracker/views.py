"""The complaints team's trackers and search. Each view parses the query string, asks the tracker selectors, and
renders; "today" is the London date, read here and nowhere below."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_read_record
from opencomplaints.cases.access import CouncilPurpose, case_queryset_for_user
from opencomplaints.cases.purposes import home_url, purpose_required, request_may
from opencomplaints.cases.services import case_allocate_bulk
from opencomplaints.casework.error_summary import ErrorItem, error_summary_items
from opencomplaints.common.errors import DomainError
from opencomplaints.tracker.filters import (
    LearningActionFilterForm,
    OmbudsmanFilterForm,
    SearchForm,
    TrackerFilterForm,
)
from opencomplaints.tracker.forms import ALLOCATE_UNKNOWN_CASES, AllocationForm, SavedViewForm
from opencomplaints.tracker.remedies import outstanding_remedy_page
from opencomplaints.tracker.selectors import (
    TrackerPage,
    TrackerRow,
    TrackerSort,
    WorkloadRow,
    case_search,
    dashboard,
    learning_action_page,
    ombudsman_page,
    saved_views_for_user,
    tracker_filter_options,
    tracker_page,
    week_end,
    workload,
)
from opencomplaints.tracker.services import saved_view_create, saved_view_delete

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection"); the tab and carriage
# return are there because some spreadsheets strip them and then read what follows.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MINE = "mine"
View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort: str = ""
    numeric: bool = False


# The tracker's columns, in order: the table and the CSV export both come from this list.
TRACKER_COLUMNS = (
    Column("reference", "Reference", sort="reference"),
    Column("complainant", "Complainant"),
    Column("type", "Type"),
    Column("stage", "Stage", sort="stage"),
    Column("owner", "Owner", sort="owner"),
    Column("teams", "Team"),
    Column("received", "Received", sort="received"),
    Column("due", "Due", sort="due"),
    Column("left", "Working days left", numeric=True),
    Column("flags", "Status"),
)


def _query(params: Mapping[str, object]) -> str:
    """``params`` without its empty values, as a query string with its "?" (just "?", the page itself without a
    query, when nothing is left)."""
    query = QueryDict(mutable=True)
    for name, value in params.items():
        if value not in (None, "", False):
            query[name] = "on" if value is True else str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _pagination(page: Page[Any], params: Mapping[str, object]) -> dict[str, Any] | None:
    """The GOV.UK pagination component's items: the first and last pages, the current one and its neighbours,
    with an ellipsis for each gap."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    current = page.number
    wanted = sorted({1, paginator.num_pages, current - 1, current, current + 1} & set(paginator.page_range))
    items: list[dict[str, Any]] = []
    previous_number = 0
    for number in wanted:
        if number - previous_number > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": _query({**params, "page": number}), "current": number == current})
        previous_number = number
    return {
        "items": items,
        "previous": _query({**params, "page": current - 1}) if page.has_previous() else "",
        "next": _query({**params, "page": current + 1}) if page.has_next() else "",
    }


def _range(page: Page[Any]) -> dict[str, int]:
    return {"first": page.start_index(), "last": page.end_index(), "total": page.paginator.count}


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required has run
    return user


# -- the tracker -------------------------------------------------------------------------------------------------


def _tracker_form(request: HttpRequest, *, mine: bool) -> TrackerFilterForm:
    options = tracker_filter_options(user=request.user)
    return TrackerFilterForm(request.GET or None, options=options, mine=mine)


def _sort_headers(sort: TrackerSort, params: Mapping[str, object]) -> list[dict[str, Any]]:
    headers = []
    for column in TRACKER_COLUMNS:
        # A column heading as govuk/components/table.html reads it.
        header: dict[str, Any] = {
            "text": column.title,
            "format": "numeric" if column.numeric else "",
            "href": "",
            "aria_sort": "",
        }
        if column.sort:
            current = sort.column == column.sort
            descending_next = current and not sort.descending
            header["href"] = _query({**params, "sort": f"-{column.sort}" if descending_next else column.sort})
            header["action"] = "sort descending" if descending_next else "sort ascending"
            if current:
                header["aria_sort"] = "descending" if sort.descending else "ascending"
        headers.append(header)
    return headers


def _tracker(
    request: HttpRequest,
    *,
    mine: bool,
    allocation: AllocationForm | None = None,
    save_view: SavedViewForm | None = None,
    errors: list[ErrorItem] | None = None,
) -> HttpResponse:
    """The tracker's page; a POST form answered with errors (allocation, saving a view) passes itself bound, to be
    shown again with what was entered and ticked."""
    today = timezone.localdate()
    options = tracker_filter_options(user=request.user)
    form = TrackerFilterForm(request.GET or None, options=options, mine=mine)
    filters, sort = form.filters(), form.sort_order()
    result = tracker_page(
        user=request.user,
        filters=filters,
        sort=sort,
        today=today,
        page_number=request.GET.get("page"),
        council_ids=options.council_ids,
    )
    params = form.params()
    sorted_params = {**params, "sort": "" if sort is TrackerSort.DUE else sort.value}
    export = {**sorted_params, "page": result.page.number, "scope": MINE if mine else ""}
    may_allocate = not mine and request_may(request, CouncilPurpose.ALLOCATE)
    if may_allocate and allocation is None:
        allocation = AllocationForm(owners=options.owners)
    query = _query(sorted_params).removeprefix("?")
    if save_view is None:
        save_view = SavedViewForm(initial={"query": query})
    headers = _sort_headers(sort, params)
    if may_allocate:
        headers.insert(0, {"text": "Select", "visually_hidden": True})
    context = {
        "title": "My cases" if mine else "Cases",
        "mine": mine,
        "today": today,
        "form": form,
        "result": result,
        "range": _range(result.page),
        "filtered": any(value for value in params.values()),
        "counts": result.counts,
        "count_links": [
            {"label": stage.label, "count": number, "href": _query({"stage": stage.value})}
            for stage, number in (result.counts.by_stage if result.counts else ())
        ],
        "overdue_href": _query({"overdue": True}),
        "headers": headers,
        "pagination": _pagination(result.page, sorted_params),
        "export_href": reverse("tracker:case-export") + _query(export),
        "week_end": week_end(today),
        "due_this_week_href": _query({"due_this_week": True}),
        "may_allocate": may_allocate,
        "allocation": allocation,
        "ticked": set(allocation.case_ids()) if allocation is not None and allocation.is_bound else set(),
        "query": query,
        "save_view": save_view,
        "saved_views": [] if mine else saved_views_for_user(user=_signed_in(request)),
        "post_errors": errors or [],
    }
    status = 400 if errors else 200
    return render(request, "tracker/case_list.html", context, status=status)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The home page: every open case the user may see, with its stage, owner, team and due date. Someone whose
    role sees no case is sent to the first page their role has (a report viewer to the reports)."""
    if not request_may(request, CouncilPurpose.CASES):
        return redirect(home_url(request))
    return _tracker(request, mine=False)


@purpose_required(CouncilPurpose.CASES)
def my_cases(request: HttpRequest) -> HttpResponse:
    """The open cases the user owns or works on at their current stage."""
    return _tracker(request, mine=True)


def _neutralised(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_row(row: TrackerRow) -> list[object]:
    return [
        row.reference,
        row.complainant,
        row.type_label,
        row.stage_label,
        row.owner,
        ", ".join(row.teams),
        row.received_date.isoformat(),
        row.due_date.isoformat() if row.due_date else "",
        "" if row.working_days_left is None else row.working_days_left,
        "; ".join(flag.label for flag in row.flags),
    ]


def _csv(rows: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.title for column in TRACKER_COLUMNS])
    for row in rows:
        writer.writerow([_neutralised(value) for value in row])
    return buffer.getvalue()


def _understood(form: TrackerFilterForm, name: str, value: str) -> bool:
    """Whether the export applied ``value`` of the query-string parameter ``name`` as it is."""
    if name == "page":
        return value.isdigit()
    if name == "scope":
        return value in ("", MINE)
    if name == "sort":
        return value in ("", *TrackerSort._value2member_map_)
    return name in form.fields and name not in form.errors


def _export_filters(request: HttpRequest, form: TrackerFilterForm, result: TrackerPage) -> dict[str, object]:
    """The export's query for the audit trail: the filters as the tracker applied them, and anything else in the
    query string (a parameter it does not know, a value it could not use) only as ``FreeText``: that was typed
    rather than chosen, and may well be a person's name."""
    sort = form.sort_order()
    applied: dict[str, object] = {
        **form.params(),
        "sort": "" if sort is TrackerSort.DUE else sort.value,
        "page": result.page.number,
        "scope": MINE if form.mine else "",
    }
    filters = {name: value for name, value in applied.items() if value not in (None, "", False)}
    other = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        typed = [value for value in values if not _understood(form, name, value)]
        if typed:
            other.setlist(name, typed)
    if other:
        filters["other"] = FreeText(other.urlencode())
    return filters


@purpose_required(CouncilPurpose.CASES)
def case_export(request: HttpRequest) -> HttpResponse:
    """The rows and columns the tracker (or "My cases") shows for the same query string, as a CSV file."""
    mine = request.GET.get("scope") == MINE
    today = timezone.localdate()
    form = _tracker_form(request, mine=mine)
    result: TrackerPage = tracker_page(
        user=request.user,
        filters=form.filters(),
        sort=form.sort_order(),
        today=today,
        page_number=request.GET.get("page"),
        with_counts=False,
    )
    # A byte order mark, so spreadsheet programs read the file as UTF-8 (names with accents, "Children's").
    content = "\ufeff" + _csv(_csv_row(row) for row in result.rows)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"{'my-cases' if mine else 'cases'}-{today.isoformat()}-page-{result.page.number}.csv"
    audit_read_record(
        acting_user=_signed_in(request),
        event_type=AuditEventType.EXPORT_DOWNLOADED,
        summary=f"Tracker exported as CSV: {len(result.rows)} cases ({name})",
        details={
            "file_name": name,
            "filters": _export_filters(request, form, result),
            "references": [r.reference for r in result.rows],
        },
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- allocation and saved views ---------------------------------------------------------------------------------


def _back_to_tracker(request: HttpRequest) -> str:
    """The tracker with the filters it was showing (the POST forms carry them in their address)."""
    query = request.GET.urlencode()
    return reverse("tracker:case-list") + (f"?{query}" if query else "")


def _allocation_errors(form: AllocationForm) -> list[ErrorItem]:
    items = []
    first = form.case_ids()[:1]
    for message in form.non_field_errors():
        # A message about the ticked cases links to the first checkbox of the table.
        items.append(ErrorItem(f"#select-{first[0]}" if first else "#allocation", str(message)))
    for name in ("owner", "reason"):
        items += [ErrorItem(f"#{form[name].auto_id}", str(message)) for message in form[name].errors]
    return items


@purpose_required(CouncilPurpose.ALLOCATE)
@require_POST
def case_allocate(request: HttpRequest) -> HttpResponse:
    """Give the cases ticked on the tracker to one officer (or to no one), with a reason: all of them or none."""
    user = _signed_in(request)
    options = tracker_filter_options(user=user)
    form = AllocationForm(request.POST, owners=options.owners)
    if form.is_valid():
        ids = form.case_ids()
        cases = list(case_queryset_for_user(user=user).filter(pk__in=ids).select_related("council"))
        owner_id = form.owner_id()
        owner = User.objects.filter(pk=owner_id).first() if owner_id is not None else None
        if len(cases) != len(ids):
            form.add_error(None, ALLOCATE_UNKNOWN_CASES)
        else:
            try:
                result = case_allocate_bulk(
                    cases=cases, owner=owner, reason=form.cleaned_data["reason"], acting_user=user,
                    versions=form.versions(),
                )  # fmt: skip
            except DomainError as error:
                form.add_error("owner" if error.field == "owner" else None, error.message)
            else:
                messages.success(request, _allocated_message(result.changed, result.unchanged, owner))
                return redirect(_back_to_tracker(request))
    return _tracker(request, mine=False, allocation=form, errors=_allocation_errors(form))


def _allocated_message(changed: list[Any], unchanged: list[Any], owner: User | None) -> str:
    who = str(owner) if owner is not None else "no one"
    text = f"{len(changed)} case{'' if len(changed) == 1 else 's'} given to {who}"
    if unchanged:
        text += f"; {len(unchanged)} {'was' if len(unchanged) == 1 else 'were'} theirs already"
    return text


@purpose_required(CouncilPurpose.CASES)
@require_POST
def saved_view_create_view(request: HttpRequest) -> HttpResponse:
    """Name the tracker's current filters, to open them again from the tracker."""
    form = SavedViewForm(request.POST)
    if form.is_valid():
        try:
            view = saved_view_create(
                acting_user=_signed_in(request), name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
        except DomainError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, f"View {view.name} saved")
            return redirect(reverse("tracker:case-list") + (f"?{view.query}" if view.query else ""))
    return _tracker(request, mine=False, save_view=form, errors=error_summary_items(form))


@purpose_required(CouncilPurpose.CASES)
@require_POST
def saved_view_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of the user's saved views."""
    try:
        saved_view_delete(acting_user=_signed_in(request), saved_view_id=pk)
    except DomainError as error:
        raise Http404(error.message) from error
    messages.success(request, "View deleted")
    return redirect("tracker:case-list")


# -- workload and the manager's dashboard ---------------------------------------------------------------------


def _tracker_link(**params: object) -> str:
    return reverse("tracker:case-list") + _query(params)


@purpose_required(CouncilPurpose.ALLOCATE)
def workload_page(request: HttpRequest) -> HttpResponse:
    """Each officer's and each team's open cases, those due this week and those overdue (cases on hold apart),
    each number a link to the tracker showing those cases."""
    today = timezone.localdate()
    result = workload(user=request.user, today=today)

    def links(kind: str, row: WorkloadRow) -> dict[str, str]:
        base: dict[str, object] = {kind: row.key} if row.key else {}
        return {
            "open": _tracker_link(**base) if row.key else "",
            "due": _tracker_link(**base, due_this_week=True, leave_out_on_hold=True) if row.key else "",
            "overdue": _tracker_link(**base, overdue=True, leave_out_on_hold=True) if row.key else "",
        }

    context = {
        "today": today,
        "workload": result,
        "officers": [(row, links("owner", row)) for row in result.officers],
        "teams": [(row, links("team", row)) for row in result.teams],
    }
    return render(request, "tracker/workload.html", context)


@purpose_required(CouncilPurpose.ALLOCATE)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The manager's dashboard: today's counts, what is due, what is stuck and this year's trends."""
    today = timezone.localdate()
    summary = dashboard(user=request.user, today=today)
    context = {
        "today": today,
        "dashboard": summary,
        "links": {
            "open": _tracker_link(),
            "due_this_week": _tracker_link(due_this_week=True),
            "overdue": _tracker_link(overdue=True),
            "overdue_not_held": _tracker_link(overdue=True, leave_out_on_hold=True),
        },
    }
    return render(request, "tracker/dashboard.html", context)


# -- search ------------------------------------------------------------------------------------------------------


@purpose_required(CouncilPurpose.CASES)
def search(request: HttpRequest) -> HttpResponse:
    """Find cases, open or closed, by reference, a person's name or words from the case."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["q"]
        found = case_search(user=request.user, text=text, page_number=request.GET.get("page"))
        # The results name complainants and children, so the search and what it showed are recorded.
        audit_read_record(
            acting_user=_signed_in(request),
            event_type=AuditEventType.SEARCH_PERFORMED,
            summary=f"Cases searched: {found.page.paginator.count} found",
            details={
                # The words searched for are often a person's name: the trail keeps their length, not them.
                "text": FreeText(text),
                "page": found.page.number,
                "found": found.page.paginator.count,
                "shown": [result.case_id for result in found.results],
            },
        )
        context |= {
            "found": found,
            "range": _range(found.page),
            "pagination": _pagination(found.page, {"q": text}),
        }
    return render(request, "tracker/search.html", context)


# -- learning actions and Ombudsman cases ----------------------------------------------------------------------


@purpose_required(CouncilPurpose.LEARNING)
def learning_action_list(request: HttpRequest) -> HttpResponse:
    """Learning actions (R1.40 item 10): who owns each, when it is due, and which are overdue."""
    today = timezone.localdate()
    form = LearningActionFilterForm(request.GET or None, options=tracker_filter_options(user=request.user))
    filters = form.filters()
    result = learning_action_page(user=request.user, filters=filters, today=today, page_number=request.GET.get("page"))
    return render(
        request,
        "tracker/learning_action_list.html",
        {
            "form": form,
            "result": result,
            "range": _range(result.page),
            "pagination": _pagination(result.page, form.params()),
        },
    )


@purpose_required(CouncilPurpose.OMBUDSMAN)
def ombudsman_list(request: HttpRequest) -> HttpResponse:
    """Ombudsman cases (R4.1-R4.6): the reply to the enquiries, the decision, and compliance with any remedy."""
    today = timezone.localdate()
    form = OmbudsmanFilterForm(request.GET or None)
    filters = form.filters()
    result = ombudsman_page(user=request.user, filters=filters, today=today, page_number=request.GET.get("page"))
    return render(
        request,
        "tracker/ombudsman_list.html",
        {
            "form": form,
            "result": result,
            "range": _range(result.page),
            "pagination": _pagination(result.page, form.params()),
        },
    )


@purpose_required(CouncilPurpose.REMEDIES)
def remedy_list(request: HttpRequest) -> HttpResponse:
    """Remedies outstanding: approved, not yet paid or delivered, overdue first (docs/adr/0020-remedy-lifecycle.md)."""
    result = outstanding_remedy_page(user=request.user, today=timezone.localdate(), page_number=request.GET.get("page"))
    context = {"result": result, "range": _range(result.page), "pagination": _pagination(result.page, {})}
    return render(request, "tracker/remedy_list.html", context)
