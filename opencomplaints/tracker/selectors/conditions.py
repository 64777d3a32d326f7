"""Which cases a tracker reads: those the user may see (through the access function), the open ones, "my cases",
and the conditions the trackers, the workload and the dashboard count by (overdue, due this week, on hold)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases.access import CouncilPurpose, case_queryset_for_user, councils_for_purpose
from opencomplaints.cases.models import Case, Hold, Stage
from opencomplaints.councils.selectors import councils_for_user

OPEN_STATUSES = (c.CaseStatus.TRIAGE, c.CaseStatus.OPEN)


def open_stage_exists() -> Exists:
    return Exists(Stage.objects.filter(case=OuterRef("pk"), response_date__isnull=True))


def councils_clock() -> Q:
    """The case's next date is one of the council's deadlines. An answered complaint with no stage open waits on
    the complainant, whose window to ask for the next stage is only a flag, never a bar (R1.22, R1.29): it is never
    overdue for the council."""
    return ~Q(kind=c.Kind.COMPLAINT) | Q(open_stage_exists())


def overdue_q(today: date) -> Q:
    return Q(next_due_date__lt=today) & councils_clock()


def week_end(today: date) -> date:
    """The Sunday that ends ``today``'s week (Monday to Sunday)."""
    return today + timedelta(days=6 - today.weekday())


def due_this_week_q(today: date) -> Q:
    """Due from today to the end of this week, on the council's clock (an overdue case is not "due this week")."""
    return Q(next_due_date__gte=today, next_due_date__lte=week_end(today)) & councils_clock()


def on_hold_q() -> Q:
    """The case's open stage is on hold (R1.37)."""
    return Q(Exists(Hold.objects.filter(stage__case=OuterRef("pk"), stage__response_date__isnull=True, end_date=None)))


def my_cases_q(user: User | AnonymousUser) -> Q:
    if not user.is_authenticated:
        # Without this, "owner is nobody" would match every unowned case.
        return Q(pk__in=[])
    open_stages = Stage.objects.filter(response_date__isnull=True)
    involved = open_stages.filter(
        Q(investigating_officer_id=user.pk) | Q(independent_person_id=user.pk) | Q(panel_members__user_id=user.pk)
    ).values("case_id")
    return Q(owner_id=user.pk) | Q(pk__in=involved)


def visible_cases(user: User | AnonymousUser, council_ids: Sequence[int] | None = None) -> QuerySet[Case]:
    """The cases ``user`` may see, also narrowed to their councils' ids as a list of values. SQLite cannot tell
    how many councils the access function's subquery returns, guesses many, and then reads all 100,000 cases rather
    than the ``case_tracker`` index; with the ids written out it uses the index."""
    if council_ids is None:
        council_ids = list(councils_for_user(user=user).values_list("pk", flat=True))
    return case_queryset_for_user(user=user).filter(council_id__in=council_ids)


def open_cases(*, user: User | AnonymousUser, mine: bool, council_ids: Sequence[int] | None = None) -> QuerySet[Case]:
    cases = visible_cases(user, council_ids).filter(status__in=OPEN_STATUSES)
    if mine:
        cases = cases.filter(my_cases_q(user))
    return cases


def allocating_cases(user: User | AnonymousUser) -> tuple[QuerySet[Case], list[int]]:
    """The open cases of the councils where ``user`` may allocate (through the access function), and those
    councils' ids."""
    councils = list(councils_for_purpose(user=user, purpose=CouncilPurpose.ALLOCATE).values_list("pk", flat=True))
    cases = case_queryset_for_user(user=user).filter(council_id__in=councils, status__in=OPEN_STATUSES)
    return cases, councils
