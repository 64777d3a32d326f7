"""Reads for the complaints team's trackers and search.

Every read starts from the cases (or councils) the user may see: ``opencomplaints.cases.access.case_queryset_for_user``
and ``opencomplaints.councils.selectors.councils_for_user``. A page of a tracker costs one query for its rows, one for
the number of rows, and a fixed number for their related data, however many rows there are.

"Today" is always an argument: the views pass ``timezone.localdate()`` (the London date), so tests can pass any day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connections, models
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, TruncMonth

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent
from opencomplaints.audit.services.reads import ACCESS_EVENT_TYPES, READ_EVENT_TYPES
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.access import (
    CASE_OWNER_ROLES,
    CouncilPurpose,
    case_queryset_for_user,
    councils_for_purpose,
    users_who_may_own,
)
from opencomplaints.cases.kinds import kind_label, representation_kinds
from opencomplaints.cases.models import (
    Case,
    CaseChild,
    CaseComplainant,
    CaseTeam,
    Deadline,
    Hold,
    LearningAction,
    OmbudsmanDetail,
    Person,
    Stage,
)
from opencomplaints.common.dates import LONDON
from opencomplaints.councils.models import CouncilMembership, Team
from opencomplaints.councils.selectors import councils_for_user
from opencomplaints.deadlines import CalendarRangeError, WorkingDayCalendar
from opencomplaints.notifications.models import Channel, Message, MessageStatus
from opencomplaints.tracker.models import SavedView

__all__ = [
    "DUE_SOON_WORKING_DAYS",
    "LEARNING_PAGE_SIZE",
    "OMBUDSMAN_PAGE_SIZE",
    "SEARCH_PAGE_SIZE",
    "TRACKER_PAGE_SIZE",
    "Dashboard",
    "DashboardCase",
    "FilterOptions",
    "Flag",
    "LearningActionFilters",
    "LearningActionPage",
    "LearningActionRow",
    "LearningStatusFilter",
    "MonthTrend",
    "OmbudsmanFilters",
    "OmbudsmanPage",
    "OmbudsmanRow",
    "OmbudsmanStatusFilter",
    "SearchPage",
    "SearchResult",
    "StageCounts",
    "StageFilter",
    "TrackerFilters",
    "TrackerPage",
    "TrackerRow",
    "TrackerSort",
    "Workload",
    "WorkloadRow",
    "case_search",
    "dashboard",
    "due_this_week_q",
    "learning_action_page",
    "ombudsman_page",
    "on_hold_q",
    "saved_views_for_user",
    "search_terms",
    "tracker_counts",
    "tracker_filter_options",
    "tracker_page",
    "week_end",
    "working_days_left",
    "workload",
]

TRACKER_PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20
LEARNING_PAGE_SIZE = 50
OMBUDSMAN_PAGE_SIZE = 50
# The team's own rule of thumb: three working days is the last moment to chase a response that is due.
DUE_SOON_WORKING_DAYS = 3
# Longer search texts are cut here; nobody types more than this into a search box on purpose.
SEARCH_MAX_TERMS = 10
# A search shows at most this many cases: nobody pages further, and a search this broad needs more words. Within
# the limit PostgreSQL ranks the matches, which recomputes each one's text; for every case a very common word
# matches that would take seconds.
SEARCH_LIMIT = 1_000

OPEN_STATUSES = (c.CaseStatus.TRIAGE, c.CaseStatus.OPEN)
PROCEDURE_SHORT_NAMES = {
    c.Procedure.CHILDREN_STATUTORY: "Children's complaint",
    c.Procedure.CORPORATE: "Corporate complaint",
    c.Procedure.ADULTS_STATUTORY: "Adults' complaint",
}


class Flag(StrEnum):
    """Something about a case or action that needs the team's attention, shown as a tag."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_HOLD = "on_hold"
    AWAITING_REPORT = "awaiting_report"
    AWAITING_ADJUDICATION = "awaiting_adjudication"
    # An email to the complainant was not sent, or was sent and not delivered (a bounce, a Notify failure): the
    # case page suggests the postal letter.
    EMAIL_NOT_SENT = "email_not_sent"

    @property
    def label(self) -> str:
        return _FLAG_LABELS[self]


_FLAG_LABELS = {
    Flag.OVERDUE: "Overdue",
    Flag.DUE_SOON: "Due soon",
    Flag.ON_HOLD: "On hold",
    Flag.AWAITING_REPORT: "Awaiting investigator's report",
    Flag.AWAITING_ADJUDICATION: "Awaiting adjudication",
    Flag.EMAIL_NOT_SENT: "Email not sent",
}


class StageFilter(StrEnum):
    """Where an open case is: the buckets of the counts at the top of the tracker, which never overlap."""

    TRIAGE = "triage"
    STAGE_1 = "1"
    STAGE_2 = "2"
    STAGE_3 = "3"
    REPRESENTATION = "other"
    OMBUDSMAN = "ombudsman"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]


_STAGE_LABELS = {
    StageFilter.TRIAGE: "Triage",
    StageFilter.STAGE_1: "Stage 1",
    StageFilter.STAGE_2: "Stage 2",
    StageFilter.STAGE_3: "Stage 3",
    StageFilter.REPRESENTATION: "Enquiries, queries and compliments",
    StageFilter.OMBUDSMAN: "Ombudsman cases",
}


def _stage_q(stage: StageFilter) -> Q:
    if stage is StageFilter.TRIAGE:
        return Q(status=c.CaseStatus.TRIAGE)
    if stage is StageFilter.REPRESENTATION:
        return Q(status=c.CaseStatus.OPEN, kind__in=representation_kinds())
    if stage is StageFilter.OMBUDSMAN:
        return Q(status=c.CaseStatus.OPEN, kind=c.Kind.OMBUDSMAN)
    return Q(status=c.CaseStatus.OPEN, kind=c.Kind.COMPLAINT, current_stage=int(stage.value))


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
class StageCounts:
    total: int
    overdue: int
    by_stage: tuple[tuple[StageFilter, int], ...]
    due_this_week: int = 0


@dataclass(frozen=True, kw_only=True)
class TrackerPage:
    rows: list[TrackerRow]
    page: Page[Case]
    sort: TrackerSort
    counts: StageCounts | None


@dataclass(frozen=True, kw_only=True)
class FilterOptions:
    """The choices of the filters: the teams and the officers of the user's councils, as (id, label)."""

    teams: list[tuple[int, str]]
    officers: list[tuple[int, str]]
    # Those of the officers who may own a case (``cases.access.CASE_OWNER_ROLES``): the allocation's choices.
    owners: list[tuple[int, str]] = field(default_factory=list)
    # The councils the officers were read from (every council of the user's that has a member, so every council
    # where they may see a case), for ``tracker_page`` to use rather than asking again.
    council_ids: tuple[int, ...] | None = None


def working_days_left(calendar: WorkingDayCalendar, today: date, due: date | None) -> int | None:
    """Working days from ``today`` to ``due`` on the statutory calendar (R1.2, R5.10); negative once it has
    passed. ``None`` with no due date, or one outside the years the calendar covers."""
    if due is None or not (calendar.covers(today) and calendar.covers(due)):
        return None
    if due >= today:
        return calendar.working_days_between(today, due)
    return -calendar.working_days_between(due, today)


def _due_flags(due: date | None, left: int | None, today: date) -> list[Flag]:
    if due is None:
        return []
    if due < today:
        return [Flag.OVERDUE]
    if left is not None and left <= DUE_SOON_WORKING_DAYS:
        return [Flag.DUE_SOON]
    return []


def _open_stage_exists() -> Exists:
    return Exists(Stage.objects.filter(case=OuterRef("pk"), response_date__isnull=True))


def _councils_clock() -> Q:
    """The case's next date is one of the council's deadlines. An answered complaint with no stage open waits on
    the complainant, whose window to ask for the next stage is only a flag, never a bar (R1.22, R1.29): it is never
    overdue for the council."""
    return ~Q(kind=c.Kind.COMPLAINT) | Q(_open_stage_exists())


def _overdue_q(today: date) -> Q:
    return Q(next_due_date__lt=today) & _councils_clock()


def week_end(today: date) -> date:
    """The Sunday that ends ``today``'s week (Monday to Sunday)."""
    return today + timedelta(days=6 - today.weekday())


def due_this_week_q(today: date) -> Q:
    """Due from today to the end of this week, on the council's clock (an overdue case is not "due this week")."""
    return Q(next_due_date__gte=today, next_due_date__lte=week_end(today)) & _councils_clock()


def on_hold_q() -> Q:
    """The case's open stage is on hold (R1.37)."""
    return Q(Exists(Hold.objects.filter(stage__case=OuterRef("pk"), stage__response_date__isnull=True, end_date=None)))


def _my_cases_q(user: User | AnonymousUser) -> Q:
    if not user.is_authenticated:
        # Without this, "owner is nobody" would match every unowned case.
        return Q(pk__in=[])
    open_stages = Stage.objects.filter(response_date__isnull=True)
    involved = open_stages.filter(
        Q(investigating_officer_id=user.pk) | Q(independent_person_id=user.pk) | Q(panel_members__user_id=user.pk)
    ).values("case_id")
    return Q(owner_id=user.pk) | Q(pk__in=involved)


def _visible_cases(user: User | AnonymousUser, council_ids: Sequence[int] | None = None) -> QuerySet[Case]:
    """The cases ``user`` may see, also narrowed to their councils' ids as a list of values. SQLite cannot tell
    how many councils the access function's subquery returns, guesses many, and then reads all 100,000 cases rather
    than the ``case_tracker`` index; with the ids written out it uses the index."""
    if council_ids is None:
        council_ids = list(councils_for_user(user=user).values_list("pk", flat=True))
    return case_queryset_for_user(user=user).filter(council_id__in=council_ids)


def _open_cases(*, user: User | AnonymousUser, mine: bool, council_ids: Sequence[int] | None = None) -> QuerySet[Case]:
    cases = _visible_cases(user, council_ids).filter(status__in=OPEN_STATUSES)
    if mine:
        cases = cases.filter(_my_cases_q(user))
    return cases


def _filtered(cases: QuerySet[Case], filters: TrackerFilters, today: date) -> QuerySet[Case]:
    if filters.procedure:
        cases = cases.filter(kind=c.Kind.COMPLAINT, procedure=filters.procedure)
    if filters.stage is not None:
        cases = cases.filter(_stage_q(filters.stage))
    if filters.team_id is not None:
        # A case names a team at most once, so the join cannot repeat a case.
        cases = cases.filter(case_teams__team_id=filters.team_id)
    if filters.unassigned:
        cases = cases.filter(owner__isnull=True)
    elif filters.owner_id is not None:
        cases = cases.filter(owner_id=filters.owner_id)
    if filters.overdue:
        cases = cases.filter(_overdue_q(today))
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


def _type_label(case: Case) -> str:
    if case.kind == c.Kind.COMPLAINT:
        return PROCEDURE_SHORT_NAMES.get(c.Procedure(case.procedure), "Complaint") if case.procedure else "Complaint"
    return kind_label(case.kind)


def _tracker_row(case: Case, *, calendar: WorkingDayCalendar, today: date) -> TrackerRow:
    open_stages: list[Stage] = getattr(case, "open_stages", [])
    open_stage = open_stages[0] if open_stages else None
    due = case.next_due_date
    left = working_days_left(calendar, today, due)
    waiting_on_complainant = case.kind == c.Kind.COMPLAINT and open_stage is None
    flags = [] if waiting_on_complainant else _due_flags(due, left, today)
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
        type_label=_type_label(case),
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
    cases = _filtered(_open_cases(user=user, mine=filters.mine, council_ids=council_ids), filters, today)
    if sort.column == "stage":
        cases = cases.annotate(stage_order=_stage_order())
    cases = _with_row_data(cases.order_by(*_ordering(sort)))
    page = Paginator(cases, page_size or TRACKER_PAGE_SIZE).get_page(page_number)
    calendar = working_day_calendar()
    on_page = list(page.object_list)
    _add_names_and_email_flags(on_page)
    rows = [_tracker_row(case, calendar=calendar, today=today) for case in on_page]
    counts = _counts(_open_cases(user=user, mine=filters.mine, council_ids=council_ids), today) if with_counts else None
    return TrackerPage(rows=rows, page=page, sort=sort, counts=counts)


def _counts(cases: QuerySet[Case], today: date) -> StageCounts:
    buckets = {stage.name: Count("pk", filter=_stage_q(stage)) for stage in StageFilter}
    totals = cases.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=_overdue_q(today)),
        due_this_week=Count("pk", filter=due_this_week_q(today)),
        **buckets,
    )
    return StageCounts(
        total=totals["total"],
        overdue=totals["overdue"],
        by_stage=tuple((stage, totals[stage.name]) for stage in StageFilter),
        due_this_week=totals["due_this_week"],
    )


def tracker_counts(*, user: User | AnonymousUser, today: date, mine: bool = False) -> StageCounts:
    """How many open cases there are at each stage, and how many are overdue (two queries: the user's councils,
    then the counts)."""
    return _counts(_open_cases(user=user, mine=mine), today)


def tracker_filter_options(*, user: User | AnonymousUser) -> FilterOptions:
    """The teams and officers of the councils ``user`` may see (two queries). A team is named with its council
    when the user sees more than one council, and marked when it no longer exists."""
    councils = councils_for_user(user=user)
    teams = list(Team.objects.filter(council__in=councils).select_related("council").order_by("name", "council__name"))
    several = len({team.council_id for team in teams}) > 1
    team_choices = []
    for team in teams:
        label = f"{team.name} ({team.council.name})" if several else team.name
        if team.active_until is not None:
            label += " (closed)"
        team_choices.append((team.pk, label))
    memberships = (
        CouncilMembership.objects.filter(council__in=councils, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "user_id")
    )
    officers: dict[int, User] = {}
    owners: dict[int, User] = {}
    council_ids: set[int] = set()
    for membership in memberships:
        council_ids.add(membership.council_id)
        officers.setdefault(membership.user_id, membership.user)
        if membership.role in CASE_OWNER_ROLES:
            owners.setdefault(membership.user_id, membership.user)
    return FilterOptions(
        teams=team_choices,
        officers=[(pk, str(user)) for pk, user in officers.items()],
        owners=[(pk, str(user)) for pk, user in owners.items()],
        council_ids=tuple(sorted(council_ids)),
    )


def saved_views_for_user(*, user: User) -> list[SavedView]:
    """The tracker views ``user`` saved, by name (one query)."""
    return list(SavedView.objects.filter(user=user).order_by("name", "id"))


# -- search ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SearchResult:
    case_id: int
    reference: str
    type_label: str
    status_label: str
    received_date: date
    complainants: tuple[str, ...]
    children: tuple[str, ...]
    summary: str


@dataclass(frozen=True, kw_only=True)
class SearchPage:
    text: str
    results: list[SearchResult]
    page: Page[int]
    ranked: bool
    truncated: bool


def search_terms(text: str) -> list[str]:
    """The words of a search, lower case, without punctuation (at most ``SEARCH_MAX_TERMS``)."""
    return re.findall(r"\w+", text.lower())[:SEARCH_MAX_TERMS]


def _all_terms(fields: Sequence[str], terms: Sequence[str]) -> Q:
    """Every term appears in at least one of ``fields`` (case-insensitive, anywhere in the text)."""
    condition = Q()
    for term in terms:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    return condition


def _people_matching(*, user: User | AnonymousUser, terms: Sequence[str], postgres: bool) -> QuerySet[Person]:
    """People of the user's councils whose name has every term: on PostgreSQL as words or beginnings of words
    (the ``tracker_person_name`` index), elsewhere anywhere in the first or last name."""
    people = Person.objects.filter(council__in=councils_for_user(user=user).values("pk"))
    if postgres:
        prefixes = " & ".join(f"'{term}':*" for term in terms)
        return people.annotate(name=SearchVector("first_name", "last_name", config="simple")).filter(
            name=SearchQuery(prefixes, config="simple", search_type="raw")
        )
    return people.filter(_all_terms(("first_name", "last_name"), terms))


def case_search(
    *,
    user: User | AnonymousUser,
    text: str,
    page_number: int | str | None = 1,
    page_size: int | None = None,
) -> SearchPage:
    """Cases ``user`` may see, open or closed, found by ``text``: a reference (the council's, or the Ombudsman's),
    a complainant's or child's name, or words of the summary or topic.

    On PostgreSQL the words are matched by full-text search (English stemming, ``websearch`` syntax) over the
    reference, summary and topic, and names by word beginnings, each with its index; elsewhere each word must appear
    somewhere in those fields or in one person's name. The case with exactly that reference comes first, then those
    whose reference begins with it, then (on PostgreSQL) the best text matches, then the newest. At most
    ``SEARCH_LIMIT`` cases are found.

    Queries: the matching cases' ids in order, (on PostgreSQL) their ranks, the page's cases, their complainants
    and their children.
    """
    text = text.strip()
    terms = search_terms(text)
    visible = case_queryset_for_user(user=user)
    if not text:
        return SearchPage(text=text, results=[], page=Paginator([], 1).get_page(1), ranked=False, truncated=False)
    postgres = connections[visible.db].vendor == "postgresql"
    reference = text.upper()

    # Each way of matching is its own branch, so on PostgreSQL each uses its own index.
    branches: list[QuerySet[Any]] = [OmbudsmanDetail.objects.filter(lgsco_reference__iexact=text).values("case_id")]
    document = SearchVector("reference", "summary", "topic", config="english")
    text_query = SearchQuery(text, config="english", search_type="websearch") if postgres and terms else None
    if terms:
        people = _people_matching(user=user, terms=terms, postgres=postgres).values("pk")
        branches += [
            CaseComplainant.objects.filter(person__in=people).values("case_id"),
            CaseChild.objects.filter(person__in=people).values("case_id"),
        ]
        if text_query is not None:
            branches.append(visible.annotate(document=document).filter(document=text_query).values("pk"))
        else:
            branches.append(visible.filter(_all_terms(("reference", "summary", "topic"), terms)).values("pk"))
    by_reference = visible.filter(reference__istartswith=reference).values("pk")
    reference_order = models.Case(
        When(reference__iexact=reference, then=Value(0)),
        When(reference__istartswith=reference, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    candidates = list(
        visible.filter(pk__in=by_reference.union(*branches))
        .annotate(reference_order=reference_order)
        .order_by("reference_order", "-received_date", "-id")
        .values_list("pk", "reference_order", "received_date")[: SEARCH_LIMIT + 1]
    )
    truncated = len(candidates) > SEARCH_LIMIT
    del candidates[SEARCH_LIMIT:]
    ranked = False
    if text_query is not None and not truncated and candidates:
        ranked = True
        ranks = dict(
            visible.filter(pk__in=[pk for pk, _, _ in candidates])
            .annotate(rank=SearchRank(document, text_query))
            .values_list("pk", "rank")
        )
        candidates.sort(key=lambda row: (row[1], -ranks.get(row[0], 0.0), -row[2].toordinal(), -row[0]))
    page = Paginator([pk for pk, _, _ in candidates], page_size or SEARCH_PAGE_SIZE).get_page(page_number)
    cases = visible.filter(pk__in=list(page.object_list)).prefetch_related(
        Prefetch(
            "complainants", queryset=CaseComplainant.objects.select_related("person").order_by("-is_primary", "id")
        ),
        Prefetch("children", queryset=CaseChild.objects.select_related("person").order_by("id")),
    )
    by_id = {case.pk: case for case in cases}
    results = [
        SearchResult(
            case_id=case.pk,
            reference=case.reference,
            type_label=_type_label(case),
            status_label=c.CaseStatus(case.status).label,
            received_date=case.received_date,
            complainants=tuple(str(link.person) for link in case.complainants.all()),
            children=tuple(str(link.person) for link in case.children.all()),
            summary=case.topic or case.summary,
        )
        for case in (by_id[pk] for pk in page.object_list if pk in by_id)
    ]
    return SearchPage(text=text, results=results, page=page, ranked=ranked, truncated=truncated)


# -- learning actions --------------------------------------------------------------------------------------------


class LearningStatusFilter(StrEnum):
    OPEN = "open"
    PLANNED = c.LearningActionStatus.PLANNED.value
    IN_PROGRESS = c.LearningActionStatus.IN_PROGRESS.value
    IMPLEMENTED = c.LearningActionStatus.IMPLEMENTED.value
    NOT_IMPLEMENTED = c.LearningActionStatus.NOT_IMPLEMENTED.value
    ALL = "all"

    @property
    def label(self) -> str:
        if self is LearningStatusFilter.OPEN:
            return "Planned or in progress"
        if self is LearningStatusFilter.ALL:
            return "Any status"
        return c.LearningActionStatus(self.value).label


OPEN_LEARNING_STATUSES = (c.LearningActionStatus.PLANNED, c.LearningActionStatus.IN_PROGRESS)


@dataclass(frozen=True, kw_only=True)
class LearningActionFilters:
    status: LearningStatusFilter = LearningStatusFilter.OPEN
    owner_id: int | None = None
    unassigned: bool = False
    overdue: bool = False


@dataclass(frozen=True, kw_only=True)
class LearningActionRow:
    action_id: int
    action: str
    finding: str
    owner: str
    team: str
    due_date: date | None
    working_days_left: int | None
    status_label: str
    cases: tuple[tuple[int, str], ...]
    flags: tuple[Flag, ...]


@dataclass(frozen=True, kw_only=True)
class LearningActionPage:
    rows: list[LearningActionRow]
    page: Page[LearningAction]


def learning_action_page(
    *,
    user: User | AnonymousUser,
    filters: LearningActionFilters,
    today: date,
    page_number: int | str | None = 1,
    page_size: int | None = None,
) -> LearningActionPage:
    """The learning actions of the councils where the user's role sees learning (R1.40 item 10), soonest due
    first, with who owns each, when it is due and whether it is overdue as of ``today``. Queries: the page, its
    count, its cases, the calendar."""
    councils = councils_for_purpose(user=user, purpose=CouncilPurpose.LEARNING)
    actions = LearningAction.objects.filter(council__in=councils.values("pk"))
    if filters.status is LearningStatusFilter.OPEN:
        actions = actions.filter(status__in=OPEN_LEARNING_STATUSES)
    elif filters.status is not LearningStatusFilter.ALL:
        actions = actions.filter(status=filters.status.value)
    if filters.unassigned:
        actions = actions.filter(owner__isnull=True)
    elif filters.owner_id is not None:
        actions = actions.filter(owner_id=filters.owner_id)
    if filters.overdue:
        actions = actions.filter(status__in=OPEN_LEARNING_STATUSES, due_date__lt=today)
    actions = (
        actions.select_related("owner", "team")
        .prefetch_related(
            Prefetch("cases", queryset=case_queryset_for_user(user=user).only("id", "reference").order_by("reference"))
        )
        .order_by(OrderBy(F("due_date"), nulls_last=True), "id")
    )
    page = Paginator(actions, page_size or LEARNING_PAGE_SIZE).get_page(page_number)
    calendar = working_day_calendar()
    rows = []
    for action in page.object_list:
        still_open = action.status in OPEN_LEARNING_STATUSES
        left = working_days_left(calendar, today, action.due_date) if still_open else None
        rows.append(
            LearningActionRow(
                action_id=action.pk,
                action=action.action,
                finding=action.finding,
                owner=str(action.owner) if action.owner is not None else "Not assigned",
                team=action.team.name if action.team is not None else "",
                due_date=action.due_date,
                working_days_left=left,
                status_label=c.LearningActionStatus(action.status).label,
                cases=tuple((case.pk, case.reference) for case in action.cases.all()),
                flags=tuple(_due_flags(action.due_date, left, today)) if still_open else (),
            )
        )
    return LearningActionPage(rows=rows, page=page)


# -- Ombudsman cases ---------------------------------------------------------------------------------------------


class OmbudsmanStatusFilter(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"

    @property
    def label(self) -> str:
        return {"open": "Open", "closed": "Closed", "all": "Open or closed"}[self.value]


@dataclass(frozen=True, kw_only=True)
class OmbudsmanFilters:
    status: OmbudsmanStatusFilter = OmbudsmanStatusFilter.OPEN
    overdue: bool = False


@dataclass(frozen=True, kw_only=True)
class OmbudsmanRow:
    case_id: int
    reference: str
    lgsco_reference: str
    complaint: tuple[int, str] | None
    received_date: date
    owner: str
    status_label: str
    enquiry_due_date: date | None
    enquiry_responded_date: date | None
    enquiry_flags: tuple[Flag, ...]
    decision: str
    decision_wording: str
    decision_date: date | None
    compliance_due_date: date | None
    complied_date: date | None
    compliance_flags: tuple[Flag, ...]


@dataclass(frozen=True, kw_only=True)
class OmbudsmanPage:
    rows: list[OmbudsmanRow]
    page: Page[Case]


def _ombudsman_overdue_q(today: date) -> Q:
    return Q(ombudsman__enquiry_due_date__lt=today, ombudsman__enquiry_responded_date__isnull=True) | Q(
        ombudsman__compliance_due_date__lt=today, ombudsman__complied_date__isnull=True
    )


def ombudsman_page(
    *,
    user: User | AnonymousUser,
    filters: OmbudsmanFilters,
    today: date,
    page_number: int | str | None = 1,
    page_size: int | None = None,
) -> OmbudsmanPage:
    """Ombudsman cases (§4, R4.1-R4.6) the user may see: the reply to the Ombudsman's enquiries, the decision and
    the compliance with any remedy, each with its due date as of ``today``. Open cases come soonest due first.
    Queries: the page (with its Ombudsman details and complaints), its count, the calendar."""
    cases = _visible_cases(user).filter(kind=c.Kind.OMBUDSMAN)
    if filters.status is OmbudsmanStatusFilter.OPEN:
        cases = cases.exclude(status=c.CaseStatus.CLOSED)
    elif filters.status is OmbudsmanStatusFilter.CLOSED:
        cases = cases.filter(status=c.CaseStatus.CLOSED)
    if filters.overdue:
        cases = cases.exclude(status=c.CaseStatus.CLOSED).filter(_ombudsman_overdue_q(today))
    cases = cases.select_related("owner", "ombudsman", "ombudsman__complaint").order_by(
        OrderBy(F("next_due_date"), nulls_last=True), F("received_date").desc(), "id"
    )
    page = Paginator(cases, page_size or OMBUDSMAN_PAGE_SIZE).get_page(page_number)
    calendar = working_day_calendar()
    rows = []
    for case in page.object_list:
        detail: OmbudsmanDetail | None = getattr(case, "ombudsman", None)
        still_open = case.status != c.CaseStatus.CLOSED

        def flags(due: date | None, done: date | None, *, open_: bool = still_open) -> tuple[Flag, ...]:
            if not open_ or done is not None or due is None:
                return ()
            return tuple(_due_flags(due, working_days_left(calendar, today, due), today))

        complaint = detail.complaint if detail is not None else None
        rows.append(
            OmbudsmanRow(
                case_id=case.pk,
                reference=case.reference,
                lgsco_reference=detail.lgsco_reference if detail else "",
                complaint=(complaint.pk, complaint.reference) if complaint is not None else None,
                received_date=case.received_date,
                owner=str(case.owner) if case.owner is not None else "Not assigned",
                status_label=c.CaseStatus(case.status).label,
                enquiry_due_date=detail.enquiry_due_date if detail else None,
                enquiry_responded_date=detail.enquiry_responded_date if detail else None,
                enquiry_flags=flags(detail.enquiry_due_date, detail.enquiry_responded_date) if detail else (),
                decision=detail.get_decision_display() if detail else "",
                decision_wording=detail.decision_label if detail else "",
                decision_date=detail.decision_date if detail else None,
                compliance_due_date=detail.compliance_due_date if detail else None,
                complied_date=detail.complied_date if detail else None,
                compliance_flags=flags(detail.compliance_due_date, detail.complied_date) if detail else (),
            )
        )
    return OmbudsmanPage(rows=rows, page=page)


# -- workload and the manager's dashboard (the alloc strand) ---------------------------------------------------

# A case with no change recorded for this many working days is "stuck" on the dashboard.
STUCK_WORKING_DAYS = 10
DASHBOARD_LIST_SIZE = 10
# The tracker's owner filter value for cases nobody owns (``filters.UNASSIGNED``).
UNASSIGNED_KEY = "none"


@dataclass(frozen=True, kw_only=True)
class WorkloadRow:
    """One officer's (or team's) open cases. ``due_this_week`` and ``overdue`` leave out the cases on hold, which
    are counted apart: a hold does not move the statutory date (R1.37), but nobody can work on them."""

    key: str  # the tracker filter value: an officer's or team's id, or "none"
    name: str
    open: int
    due_this_week: int
    overdue: int
    on_hold: int


@dataclass(frozen=True, kw_only=True)
class PanelMeetingRow:
    """A review panel meeting arranged and not yet held."""

    case_id: int
    reference: str
    meeting_at: datetime
    place: str
    online: bool
    owner: str


@dataclass(frozen=True, kw_only=True)
class Workload:
    officers: list[WorkloadRow]
    teams: list[WorkloadRow]
    week_end: date
    panels: list[PanelMeetingRow] = field(default_factory=list)


# The workload page lists this many panel meetings to come, the soonest first.
PANEL_MEETINGS_LISTED = 20


def _panel_meetings(cases: QuerySet[Case], today: date) -> list[PanelMeetingRow]:
    """The review panel meetings arranged from ``today`` on and not yet held, of ``cases`` (one query)."""
    start = datetime.combine(today, time.min, tzinfo=LONDON)
    stages = (
        Stage.objects.filter(case__in=cases, panel_meeting_at__gte=start, panel_date__isnull=True,
                             response_date__isnull=True)
        .select_related("case", "case__owner")
        .order_by("panel_meeting_at", "id")[:PANEL_MEETINGS_LISTED]
    )  # fmt: skip
    return [
        PanelMeetingRow(
            case_id=s.case_id,
            reference=s.case.reference,
            meeting_at=s.panel_meeting_at,
            place=s.panel_meeting_place,
            online=s.panel_meeting_online,
            owner=str(s.case.owner) if s.case.owner else "No one yet",
        )
        for s in stages
        if s.panel_meeting_at is not None
    ]


def _allocating_cases(user: User | AnonymousUser) -> tuple[QuerySet[Case], list[int]]:
    """The open cases of the councils where ``user`` may allocate (through the access function), and those
    councils' ids."""
    councils = list(councils_for_purpose(user=user, purpose=CouncilPurpose.ALLOCATE).values_list("pk", flat=True))
    cases = case_queryset_for_user(user=user).filter(council_id__in=councils, status__in=OPEN_STATUSES)
    return cases, councils


def _workload_counts(today: date) -> dict[str, Count]:
    held = on_hold_q()
    return {
        "open_count": Count("pk", distinct=True),
        "due_count": Count("pk", filter=due_this_week_q(today) & ~held, distinct=True),
        "overdue_count": Count("pk", filter=_overdue_q(today) & ~held, distinct=True),
        "held_count": Count("pk", filter=held, distinct=True),
    }


def _workload_row(key: str, name: str, row: Mapping[str, Any]) -> WorkloadRow:
    return WorkloadRow(
        key=key,
        name=name,
        open=row["open_count"],
        due_this_week=row["due_count"],
        overdue=row["overdue_count"],
        on_hold=row["held_count"],
    )


def workload(*, user: User | AnonymousUser, today: date) -> Workload:
    """Open cases, those due this week and those overdue, per officer and per team, in the councils where ``user``
    may allocate; every officer who may own cases is listed, with none if they have none. Queries: the councils,
    the officers' counts, the teams' counts, the officers who may own cases."""
    cases, councils = _allocating_cases(user)
    counts = _workload_counts(today)
    names = ("owner_id", "owner__first_name", "owner__last_name", "owner__username")
    by_owner = {row["owner_id"]: row for row in cases.order_by().values(*names).annotate(**counts)}
    empty = {"open_count": 0, "due_count": 0, "overdue_count": 0, "held_count": 0}
    officers = [
        _workload_row(str(owner.pk), str(owner), by_owner.pop(owner.pk, empty))
        for owner in users_who_may_own(councils=councils)
    ]
    # Cases owned by someone whose role no longer lets them own cases still count, under their name.
    for owner_id, row in by_owner.items():
        if owner_id is not None:
            name = f"{row['owner__first_name']} {row['owner__last_name']}".strip() or row["owner__username"]
            officers.append(_workload_row(str(owner_id), name, row))
    officers.sort(key=lambda r: (-r.open, r.name))
    if None in by_owner:
        officers.append(_workload_row(UNASSIGNED_KEY, "Not assigned", by_owner[None]))
    team_rows = cases.order_by().values("case_teams__team_id", "case_teams__team__name").annotate(**counts)
    teams = [
        _workload_row(str(row["case_teams__team_id"] or ""), row["case_teams__team__name"] or "No team", row)
        for row in team_rows
    ]
    teams.sort(key=lambda r: (r.key == "", -r.open, r.name))
    return Workload(officers=officers, teams=teams, week_end=week_end(today), panels=_panel_meetings(cases, today))


@dataclass(frozen=True, kw_only=True)
class DashboardCase:
    case_id: int
    reference: str
    type_label: str
    owner: str
    due_date: date | None
    on_hold: bool = False


@dataclass(frozen=True, kw_only=True)
class MonthTrend:
    month: date  # the first of the month
    received: int
    answered: int
    on_time: int

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.answered) if self.answered else None


@dataclass(frozen=True, kw_only=True)
class Dashboard:
    today: date
    received_today: int
    open: int
    due_this_week: int
    overdue: int
    on_hold: int
    stuck: int
    awaiting_acknowledgement: int
    due: list[DashboardCase]
    stuck_cases: list[DashboardCase]
    unacknowledged_cases: list[DashboardCase]
    trends: list[MonthTrend]
    year_start: date
    stuck_since: date
    stuck_working_days: int


def _working_days_before(calendar: WorkingDayCalendar, today: date, n: int) -> date:
    """The day ``n`` working days before ``today`` (``today`` minus ``n`` weeks' worth where the calendar stops)."""
    day = today
    if not calendar.covers(today):
        return today - timedelta(days=n * 7 // 5)
    while calendar.covers(day - timedelta(days=1)) and calendar.working_days_between(day, today) < n:
        day -= timedelta(days=1)
    return day


def _year_start(today: date) -> date:
    """1 April of the reporting year ``today`` is in (April to March, as the annual report counts)."""
    return date(today.year if today.month >= 4 else today.year - 1, 4, 1)


def _dashboard_case(case: Case) -> DashboardCase:
    return DashboardCase(
        case_id=case.pk,
        reference=case.reference,
        type_label=_type_label(case),
        owner=str(case.owner) if case.owner is not None else "Not assigned",
        due_date=case.next_due_date,
        on_hold=bool(getattr(case, "held", False)),
    )


def dashboard(*, user: User | AnonymousUser, today: date) -> Dashboard:
    """The manager's dashboard for the councils where ``user`` may allocate, as of ``today``: today's counts, the
    next cases due, the cases stuck (no change recorded for ``STUCK_WORKING_DAYS`` working days, or a stage not
    yet acknowledged), and this reporting year's cases received and answered on time by month.

    A fixed number of queries whatever the data: the councils, the calendar's overrides, the counts, the cases due,
    the stuck cases, the cases awaiting acknowledgement, the cases received by month, the answers by month."""
    cases, councils = _allocating_cases(user)
    calendar = working_day_calendar()
    since = _working_days_before(calendar, today, STUCK_WORKING_DAYS)
    changes = AuditEvent.objects.filter(case=OuterRef("pk"), event_time__date__gte=since).exclude(
        event_type__in=READ_EVENT_TYPES | ACCESS_EVENT_TYPES
    )
    stuck_q = ~Q(Exists(changes))
    unacknowledged_q = Q(
        Exists(
            Deadline.objects.filter(
                case=OuterRef("pk"), key__endswith="acknowledgement", met_date__isnull=True, due_date__lte=today
            )
        )
    ) & Q(Exists(Stage.objects.filter(case=OuterRef("pk"), response_date__isnull=True, acknowledged_date=None)))
    visible = case_queryset_for_user(user=user).filter(council_id__in=councils)
    totals = visible.aggregate(
        received_today=Count("pk", filter=Q(received_date=today)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        due_this_week=Count("pk", filter=Q(status__in=OPEN_STATUSES) & due_this_week_q(today)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES) & _overdue_q(today)),
        on_hold=Count("pk", filter=Q(status__in=OPEN_STATUSES) & on_hold_q()),
        stuck=Count("pk", filter=Q(status__in=OPEN_STATUSES) & stuck_q),
        unacknowledged=Count("pk", filter=Q(status__in=OPEN_STATUSES) & unacknowledged_q),
    )
    row_fields = ("id", "reference", "kind", "procedure", "next_due_date", "received_date")
    owner_fields = ("owner__first_name", "owner__last_name", "owner__username")
    listed = (
        cases.select_related("owner")
        .only(*row_fields, *owner_fields)
        .annotate(
            held=Exists(Hold.objects.filter(stage__case=OuterRef("pk"), stage__response_date=None, end_date=None))
        )
    )
    due = list(
        listed.filter(next_due_date__gte=today)
        .filter(_councils_clock())
        .order_by("next_due_date", "id")[:DASHBOARD_LIST_SIZE]
    )
    stuck = list(
        listed.filter(stuck_q).order_by(OrderBy(F("next_due_date"), nulls_last=True), "id")[:DASHBOARD_LIST_SIZE]
    )
    unacknowledged = list(listed.filter(unacknowledged_q).order_by("received_date", "id")[:DASHBOARD_LIST_SIZE])
    year_start = _year_start(today)
    received = dict(
        visible.filter(received_date__gte=year_start, received_date__lte=today)
        .annotate(month=TruncMonth("received_date"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    answers = {
        row["month"]: row
        for row in Deadline.objects.filter(
            case__in=visible.values("pk"),
            kind=c.DeadlineKind.DEADLINE,
            statutory=True,
            key__endswith="response",
            met_date__gte=year_start,
            met_date__lte=today,
        )
        .annotate(month=TruncMonth("met_date"))
        .order_by()
        .values("month")
        .annotate(
            answered=Count("pk"),
            on_time=Count("pk", filter=Q(met_date__lte=Coalesce("extended_due_date", "due_date"))),
        )
    }
    months = []
    month = year_start
    while month <= today:
        answer: Mapping[str, Any] = answers.get(month, {})
        months.append(
            MonthTrend(
                month=month,
                received=received.get(month, 0),
                answered=answer.get("answered", 0),
                on_time=answer.get("on_time", 0),
            )
        )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return Dashboard(
        today=today,
        received_today=totals["received_today"],
        open=totals["open"],
        due_this_week=totals["due_this_week"],
        overdue=totals["overdue"],
        on_hold=totals["on_hold"],
        stuck=totals["stuck"],
        awaiting_acknowledgement=totals["unacknowledged"],
        due=[_dashboard_case(x) for x in due],
        stuck_cases=[_dashboard_case(x) for x in stuck],
        unacknowledged_cases=[_dashboard_case(x) for x in unacknowledged],
        trends=months,
        year_start=year_start,
        stuck_since=since,
        stuck_working_days=STUCK_WORKING_DAYS,
    )
