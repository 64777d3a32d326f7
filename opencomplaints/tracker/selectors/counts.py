"""The counts at the top of the tracker: the open cases by stage, overdue and due this week, in one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases.kinds import representation_kinds
from opencomplaints.cases.models import Case
from opencomplaints.tracker.selectors.conditions import due_this_week_q, open_cases, overdue_q


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


def stage_q(stage: StageFilter) -> Q:
    if stage is StageFilter.TRIAGE:
        return Q(status=c.CaseStatus.TRIAGE)
    if stage is StageFilter.REPRESENTATION:
        return Q(status=c.CaseStatus.OPEN, kind__in=representation_kinds())
    if stage is StageFilter.OMBUDSMAN:
        return Q(status=c.CaseStatus.OPEN, kind=c.Kind.OMBUDSMAN)
    return Q(status=c.CaseStatus.OPEN, kind=c.Kind.COMPLAINT, current_stage=int(stage.value))


@dataclass(frozen=True, kw_only=True)
class StageCounts:
    total: int
    overdue: int
    by_stage: tuple[tuple[StageFilter, int], ...]
    due_this_week: int = 0


def counts_of(cases: QuerySet[Case], today: date) -> StageCounts:
    buckets = {stage.name: Count("pk", filter=stage_q(stage)) for stage in StageFilter}
    totals = cases.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_q(today)),
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
    return counts_of(open_cases(user=user, mine=mine), today)
