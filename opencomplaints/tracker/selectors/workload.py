"""The workload page: open cases, due this week, overdue and on hold, per officer and per team."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import users_who_may_own
from opencomplaints.cases.models import Case, Stage
from opencomplaints.common.dates import LONDON
from opencomplaints.tracker.selectors.conditions import (
    allocating_cases,
    due_this_week_q,
    on_hold_q,
    overdue_q,
    week_end,
)

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


def _workload_counts(today: date) -> dict[str, Count]:
    held = on_hold_q()
    return {
        "open_count": Count("pk", distinct=True),
        "due_count": Count("pk", filter=due_this_week_q(today) & ~held, distinct=True),
        "overdue_count": Count("pk", filter=overdue_q(today) & ~held, distinct=True),
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
    cases, councils = allocating_cases(user)
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
