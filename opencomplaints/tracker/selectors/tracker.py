"""The main tracker: one page of the open cases the user may see, filtered and sorted, with each case's row.

A page costs one query for its rows, one for the number of rows, and a fixed number for their related data, however
many rows there are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.expressions import OrderBy

from opencomplaints.accounts.models import User
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, CaseComplainant, CaseTeam, Hold, Stage
from opencomplaints.councils.selectors import councils_for_user
from opencomplaints.deadlines import CalendarRangeError, WorkingDayCalendar
from opencomplaints.notifications.models import Channel, Message, MessageStatus
from opencomplaints.tracker.selectors.conditions import due_this_week_q, on_hold_q, open_cases, overdue_q
from opencomplaints.tracker.selectors.counts import StageCounts, StageFilter, counts_of, stage_q
from opencomplaints.tracker.selectors.rows import Flag, due_flags, type_label, working_days_left

TRACKER_PAGE_SIZE = 50


class TrackerSort(StrEnum):
    """The tracker's orders; a leading "-" reverses one."""

    DUE = "due"
    DUE_DESC = "-due"
    REFERENCE = "reference"
    REFERENCE_DESC = "-reference"
    RECEIVED = "received"
    RECEIVED_DESC = "-received"
    OWNER = "owner"
    OWNER_DESC = "-owner"
    STAGE = "stage"
    STAGE_DESC = "-stage"

    @property
    def column(self) -> str:
        return self.value.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.value.startswith("-")


def _stage_order() -> models.Case:
    return models.Case(
        When(status=c.CaseStatus.TRIAGE, then=Value(0)),
        When(kind=c.Kind.COMPLAINT, then=F("current_stage")),
        When(kind=c.Kind.OMBUDSMAN, then=Value(5)),
        default=Value(4),
        output_field=IntegerField(),
    )


def _ordering(sort: TrackerSort) -> list[OrderBy]:
    desc = sort.descending

    def by(expression: Any) -> OrderBy:
        # Cases with nothing recorded (no due date, no owner) go last whichever way the column is sorted.
        return OrderBy(expression, descending=desc, nulls_last=True)

    due = by(F("next_due_date"))
    columns = {
        "due": [due],
        "reference": [by(F("reference"))],
        "received": [by(F("received_date"))],
        "owner": [by(F("owner__last_name")), by(F("owner__first_name"))],
        "stage": [by(F("stage_order"))],
    }
    tie_breaks = [OrderBy(F("next_due_date"), nulls_last=True), OrderBy(F("received_date")), OrderBy(F("id"))]
    return columns[sort.column] + tie_breaks


@dataclass(frozen=True, kw_only=True)
class TrackerFilters:
    """What the tracker is narrowed to. ``mine`` is "My cases": cases the user owns, or investigates, is the
    independent person for, or sits on the panel of, at their open stage."""

    procedure: str = ""
    stage: StageFilter | None = None
    team_id: int | None = None
    owner_id: int | None = None
    unassigned: bool = False
    overdue: bool = False
    mine: bool = False
    due_this_week: bool = False
    leave_out_on_hold: bool = False


@dataclass(frozen=True, kw_only=True)
class TrackerRow:
    case_id: int
    reference: str
    type_label: str
    stage_label: str
    owner: str
    teams: tuple[str, ...]
    received_date: date
    due_date: date | None
    working_days_left: int | None
    flags: tuple[Flag, ...]
    complainant: str = ""
    version: int = 0
    # R1.37: while the stage is on hold, the due date allowing for the hold if work resumed today, for case
    # management only and always labelled; the statutory date (``due_date``) never moves.
    adjusted_due_date: date | None = None

    @property
    def on_hold(self) -> bool:
        return Flag.ON_HOLD in self.flags


@dataclass(frozen=True, kw_only=True)
class TrackerPage:
    rows: list[TrackerRow]
    page: Page[Case]
    sort: TrackerSort
    counts: StageCounts | None


def _filtered(cases: QuerySet[Case], filters: TrackerFilters, today: date) -> QuerySet[Case]:
    if filters.procedure:
        cases = cases.filter(kind=c.Kind.COMPLAINT, procedure=filters.procedure)
    if filters.stage is not None:
        cases = cases.filter(stage_q(filters.stage))
    if filters.team_id is not None:
        # A case names a team at most once, so the join cannot repeat a case.
        cases = cases.filter(case_teams__team_id=filters.team_id)
    if filters.unassigned:
        cases = cases.filter(owner__isnull=True)
    elif filters.owner_id is not None:
        cases = cases.filter(owner_id=filters.owner_id)
    if filters.overdue:
        cases = cases.filter(overdue_q(today))
    if filters.due_this_week:
        cases = cases.filter(due_this_week_q(today))
    if filters.leave_out_on_hold:
        cases = cases.exclude(on_hold_q())
    return cases


def _stage_label(case: Case, open_stage: Stage | None) -> str:
    if case.status == c.CaseStatus.TRIAGE:
        return "Triage"
    if case.kind == c.Kind.COMPLAINT:
        if open_stage is not None:
            return f"Stage {open_stage.number}"
        return f"Stage {case.current_stage} answered" if case.current_stage else "No stage open"
    if case.kind == c.Kind.OMBUDSMAN:
        detail = getattr(case, "ombudsman", None)
        if detail is None or detail.enquiry_responded_date is None:
            return "Enquiries"
        if detail.decision == c.LgscoDecision.IN_PROGRESS:
            return "Awaiting decision"
        return "Compliance"
    return "Awaiting response"


def _tracker_row(case: Case, *, calendar: WorkingDayCalendar, today: date) -> TrackerRow:
    open_stages: list[Stage] = getattr(case, "open_stages", [])
    open_stage = open_stages[0] if open_stages else None
    due = case.next_due_date
    left = working_days_left(calendar, today, due)
    waiting_on_complainant = case.kind == c.Kind.COMPLAINT and open_stage is None
    flags = [] if waiting_on_complainant else due_flags(due, left, today)
    adjusted: date | None = None
    if open_stage is not None:
        # R1.37: a hold never moves the statutory date, so an overdue case on hold shows both tags.
        held_from: date | None = getattr(open_stage, "held_from", None)
        if held_from is not None:
            flags.append(Flag.ON_HOLD)
            adjusted = _adjusted_for_hold(calendar, today, due, held_from)
        # R1.26-R1.28: the investigation runs from the agreed statement to the report, then the adjudication.
        if open_stage.number == 2 and open_stage.statement_agreed_date is not None:
            if open_stage.investigator_report_date is None:
                flags.append(Flag.AWAITING_REPORT)
            elif open_stage.adjudication_date is None:
                flags.append(Flag.AWAITING_ADJUDICATION)
    if getattr(case, "email_not_sent", False):
        flags.append(Flag.EMAIL_NOT_SENT)
    return TrackerRow(
        case_id=case.pk,
        reference=case.reference,
        type_label=type_label(case),
        stage_label=_stage_label(case, open_stage),
        owner=str(case.owner) if case.owner is not None else "Not assigned",
        teams=tuple(link.team.name for link in case.case_teams.all()),
        received_date=case.received_date,
        due_date=due,
        working_days_left=left,
        flags=tuple(flags),
        complainant=" ".join(
            x for x in (getattr(case, "complainant_first", ""), getattr(case, "complainant_last", "")) if x
        ),
        version=case.version,
        adjusted_due_date=adjusted,
    )


def _adjusted_for_hold(calendar: WorkingDayCalendar, today: date, due: date | None, held_from: date) -> date | None:
    """The due date allowing for the hold if work resumed today: the working days that were left when the hold
    began, counted on from today. ``None`` when the calendar cannot say, or nothing was left when it began."""
    if due is None or due < held_from or not (calendar.covers(held_from) and calendar.covers(due)):
        return None
    start = max(today, held_from)
    if not calendar.covers(start):
        return None
    left = calendar.working_days_between(held_from, due)
    try:
        return calendar.add_working_days(start, left)
    except CalendarRangeError:
        return None


# The columns a row needs; the rest (the summary above all) would only make the sort carry more.
ROW_FIELDS = (
    "id",
    "reference",
    "kind",
    "procedure",
    "status",
    "current_stage",
    "received_date",
    "next_due_date",
    "version",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "ombudsman__enquiry_responded_date",
    "ombudsman__decision",
)


def _with_row_data(cases: QuerySet[Case]) -> QuerySet[Case]:
    open_stages = Stage.objects.filter(response_date__isnull=True).annotate(
        held_from=Subquery(Hold.objects.filter(stage=OuterRef("pk"), end_date__isnull=True).values("start_date")[:1])
    )
    return (
        cases.select_related("owner", "ombudsman")
        .only(*ROW_FIELDS)
        .prefetch_related(
            Prefetch("case_teams", queryset=CaseTeam.objects.select_related("team").order_by("position", "id")),
            Prefetch("stages", queryset=open_stages, to_attr="open_stages"),
        )
    )


def _add_names_and_email_flags(cases: Sequence[Case]) -> None:
    """The primary complainant's name and whether an email to the case failed, for the page's cases only (one
    query). As subqueries of the page's own query, both SQLite and PostgreSQL worked them out for every open case
    before sorting and cutting the page, which cost about 25 ms with 100,000 cases."""
    if not cases:
        return
    primary = CaseComplainant.objects.filter(case=OuterRef("pk"), is_primary=True)
    extras = {
        pk: (first, last, failed)
        for pk, first, last, failed in Case.objects.filter(pk__in=[case.pk for case in cases])
        .annotate(
            complainant_first=Subquery(primary.values("person__first_name")[:1]),
            complainant_last=Subquery(primary.values("person__last_name")[:1]),
            email_not_sent=Exists(
                Message.objects.filter(case=OuterRef("pk"), channel=Channel.EMAIL, status=MessageStatus.FAILED)
            ),
        )
        .values_list("pk", "complainant_first", "complainant_last", "email_not_sent")
    }
    for case in cases:
        first, last, failed = extras.get(case.pk, (None, None, False))
        case.complainant_first = first  # type: ignore[attr-defined]
        case.complainant_last = last  # type: ignore[attr-defined]
        case.email_not_sent = failed  # type: ignore[attr-defined]


def tracker_page(
    *,
    user: User | AnonymousUser,
    filters: TrackerFilters,
    today: date,
    sort: TrackerSort = TrackerSort.DUE,
    page_number: int | str | None = 1,
    page_size: int | None = None,
    with_counts: bool = True,
    council_ids: Sequence[int] | None = None,
) -> TrackerPage:
    """One page of the open cases (and those in triage) ``user`` may see, narrowed by ``filters`` and sorted by
    ``sort``, with each case's working days left on the statutory calendar and its flags as of ``today``; and,
    unless ``with_counts`` is false, the counts of every open case by stage (as :func:`tracker_counts`).

    Queries: the user's councils (unless ``council_ids`` gives them), the page's cases, their number, their teams,
    their open stages, their complainants' names and failed emails, the calendar's overrides, and the counts.
    """
    if council_ids is None:
        council_ids = list(councils_for_user(user=user).values_list("pk", flat=True))
    cases = _filtered(open_cases(user=user, mine=filters.mine, council_ids=council_ids), filters, today)
    if sort.column == "stage":
        cases = cases.annotate(stage_order=_stage_order())
    cases = _with_row_data(cases.order_by(*_ordering(sort)))
    page = Paginator(cases, page_size or TRACKER_PAGE_SIZE).get_page(page_number)
    calendar = working_day_calendar()
    on_page = list(page.object_list)
    _add_names_and_email_flags(on_page)
    rows = [_tracker_row(case, calendar=calendar, today=today) for case in on_page]
    counts = (
        counts_of(open_cases(user=user, mine=filters.mine, council_ids=council_ids), today) if with_counts else None
    )
    return TrackerPage(rows=rows, page=page, sort=sort, counts=counts)
