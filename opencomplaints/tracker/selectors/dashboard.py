"""The manager's dashboard: today's counts, what is due, what is stuck, and this year's trends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, TruncMonth

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent
from opencomplaints.audit.services.reads import ACCESS_EVENT_TYPES, READ_EVENT_TYPES
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.access import case_queryset_for_user
from opencomplaints.cases.models import Case, Deadline, Hold, Stage
from opencomplaints.deadlines import WorkingDayCalendar
from opencomplaints.tracker.selectors.conditions import (
    OPEN_STATUSES,
    allocating_cases,
    councils_clock,
    due_this_week_q,
    on_hold_q,
    overdue_q,
)
from opencomplaints.tracker.selectors.rows import type_label

STUCK_WORKING_DAYS = 10
DASHBOARD_LIST_SIZE = 10


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
        type_label=type_label(case),
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
    cases, councils = allocating_cases(user)
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
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES) & overdue_q(today)),
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
        .filter(councils_clock())
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
