"""The tracker of learning actions (R1.40 item 10)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch
from django.db.models.expressions import OrderBy

from opencomplaints.accounts.models import User
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.access import CouncilPurpose, case_queryset_for_user, councils_for_purpose
from opencomplaints.cases.models import LearningAction
from opencomplaints.tracker.selectors.rows import Flag, due_flags, working_days_left

LEARNING_PAGE_SIZE = 50


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
                flags=tuple(due_flags(action.due_date, left, today)) if still_open else (),
            )
        )
    return LearningActionPage(rows=rows, page=page)
