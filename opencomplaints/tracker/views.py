"""The complaints team's trackers and search. Each view parses the query string, asks the tracker selectors, and
renders; "today" is the London date, read here and nowhere below."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_read_record
from opencomplaints.cases.access import CouncilPurpose
from opencomplaints.cases.purposes import home_url, purpose_required, request_may
from opencomplaints.tracker.filters import (
    LearningActionFilterForm,
    OmbudsmanFilterForm,
    SearchForm,
    TrackerFilterForm,
)
from opencomplaints.tracker.remedies import outstanding_remedy_page
from opencomplaints.tracker.selectors import (
    TrackerPage,
    TrackerRow,
    TrackerSort,
    case_search,
    learning_action_page,
    ombudsman_page,
    tracker_filter_options,
    tracker_page,
)

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


def _tracker(request: HttpRequest, *, mine: bool) -> HttpResponse:
    today = timezone.localdate()
    form = _tracker_form(request, mine=mine)
    filters, sort = form.filters(), form.sort_order()
    result = tracker_page(
        user=request.user, filters=filters, sort=sort, today=today, page_number=request.GET.get("page")
    )
    params = form.params()
    sorted_params = {**params, "sort": "" if sort is TrackerSort.DUE else sort.value}
    export = {**sorted_params, "page": result.page.number, "scope": MINE if mine else ""}
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
        "headers": _sort_headers(sort, params),
        "pagination": _pagination(result.page, sorted_params),
        "export_href": reverse("tracker:case-export") + _query(export),
    }
    return render(request, "tracker/case_list.html", context)


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
