"""Reads of case data for the screens, the API and reports. Callers pass a case or council they obtained through
``opencomplaints.cases.access``; these functions do not check access themselves."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from opencomplaints.audit.models import AuditEvent, AuditEventText, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, CaseAccessGrant, Deadline, LearningAction, Person
from opencomplaints.councils.models import Council
from opencomplaints.deadlines import add_calendar_months

__all__ = [
    "DUPLICATE_WINDOW_MONTHS",
    "TimelineEntry",
    "case_access_grants",
    "case_deadlines",
    "case_possible_duplicates",
    "case_timeline",
    "learning_action_list",
    "open_cases",
    "text_label",
]

# R1.14: a complaint by (or about) the same person within a year is probably a repeat or re-raised complaint.
DUPLICATE_WINDOW_MONTHS = 12


@dataclass(frozen=True)
class TimelineEntry:
    """One event in a case's history, as the audit trail recorded it. ``texts`` are the words the event recorded
    (a reason, a note, a name), labelled: they are kept beside the audit row, not in it, until the records retention
    removes them with the case's other personal data."""

    event_time: datetime
    event_type: int
    label: str
    acting_user: str
    summary: str
    before: dict[str, Any]
    after: dict[str, Any]
    texts: tuple[tuple[str, str], ...] = ()


# Reads of the case are on its "who has seen this case" page, not its timeline of what was done to it.
READS_NOT_ON_TIMELINE = (
    AuditEventType.CASE_VIEWED,
    AuditEventType.SEARCH_PERFORMED,
    AuditEventType.EXPORT_DOWNLOADED,
    AuditEventType.REPORT_GENERATED,
    AuditEventType.BREAK_GLASS,
    AuditEventType.ACCESS_LOG_VIEWED,
    AuditEventType.MESSAGE_VIEWED,
)

# What the words under each key of an event are, for the timeline.
TEXT_LABELS = {
    "about_person": "Who was praised",
    "action": "Action",
    "advocate_name": "Advocate",
    "advocate_organisation": "Advocate's organisation",
    "decision_label": "The Ombudsman's wording",
    "decline_note": "Note",
    "description": "Description",
    "enquirer_name": "Enquirer",
    "evidence": "Evidence",
    "extension_reason": "Reason for the extension",
    "finding": "Finding",
    "late_not_reasonable_to_expect_reason": "Why the complaint could not reasonably have been made in time",
    "late_request_reason": "Reason for the decision on the late request",
    "late_still_possible_reason": "Why it is still possible to consider the complaint",
    "not_implemented_reason": "Why it will not be implemented",
    "note": "Note",
    "original_name": "File",
    "person_name": "Person",
    "points": "Point",
    "previous_stage_skipped_reason": "Why stage 1 was not used",
    "reason": "Reason",
    "recommendations": "Recommendation",
    "stage1_skipped_reason": "Why stage 1 was not used",
    "summary": "Summary",
    "topic": "Topic",
}
_PATH_STEP = re.compile(r"\[(\d+)\]|\.([^.\[]+)")


def text_label(path: str) -> str:
    """``points[1]`` is "Point 2", ``recommendations.3.reason`` "Recommendation 3: reason"."""
    key = re.split(r"[.\[]", path, maxsplit=1)[0]
    label = TEXT_LABELS.get(key, key.replace("_", " ").capitalize())
    for position, name in _PATH_STEP.findall(path[len(key) :]):
        if position:
            label += f" {int(position) + 1}"
        elif name.isdigit():
            label += f" {name}"
        else:
            label += f": {name.replace('_', ' ')}"
    return label


def _texts(texts: list[AuditEventText]) -> tuple[tuple[str, str], ...]:
    """The words an event recorded, labelled; a value it changed (a corrected name, a reworded point) as what it
    was and what it became, so the timeline shows the correction itself."""
    before = {t.path: t.text for t in texts if t.side == AuditEventText.Side.BEFORE}
    return tuple(
        (text_label(t.path), f"{before[t.path]}, changed to {t.text}" if t.path in before else t.text)
        for t in texts
        if t.side == AuditEventText.Side.AFTER
    )


def case_timeline(*, case: Case) -> list[TimelineEntry]:
    """Everything done to the case, oldest first, with who did it, what changed and the words recorded with it
    (two indexed queries)."""
    events = (
        AuditEvent.objects.filter(case=case)
        .exclude(event_type__in=READS_NOT_ON_TIMELINE)
        .select_related("acting_user")
        .prefetch_related(Prefetch("texts", queryset=AuditEventText.objects.order_by("id")))
        .order_by("event_time", "id")
    )
    return [
        TimelineEntry(
            event_time=event.event_time,
            event_type=event.event_type,
            label=event.event_type_label,
            acting_user=str(event.acting_user) if event.acting_user else "System",
            summary=event.summary,
            before=event.before,
            after=event.after,
            texts=_texts(list(event.texts.all())),
        )
        for event in events
    ]


def case_possible_duplicates(
    *,
    council: Council,
    received_date: date,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    exclude_case: Case | None = None,
) -> QuerySet[Case]:
    """Cases of ``council`` received within 12 months either side of ``received_date`` whose complainant or
    child has the same surname and either the same first name or the same date of birth (R1.14)."""
    last_name = last_name.strip()
    if not last_name:
        return Case.objects.none()
    same_person = Q()
    if first_name.strip():
        same_person |= Q(first_name__iexact=first_name.strip())
    if date_of_birth is not None:
        same_person |= Q(date_of_birth=date_of_birth)
    if not same_person:
        return Case.objects.none()
    people = Person.objects.filter(Q(council=council, last_name__iexact=last_name) & same_person).values("pk")
    cases = Case.objects.filter(
        Q(complainants__person__in=people) | Q(children__person__in=people),
        council=council,
        received_date__gte=add_calendar_months(received_date, -DUPLICATE_WINDOW_MONTHS),
        received_date__lte=add_calendar_months(received_date, DUPLICATE_WINDOW_MONTHS),
    )
    if exclude_case is not None:
        cases = cases.exclude(pk=exclude_case.pk)
    return cases.distinct().order_by("-received_date", "-id")


def open_cases(*, council: Council, kind: str | None = None) -> QuerySet[Case]:
    """The tracker: open cases (and those in triage), the most urgent first; cases with nothing due last."""
    cases = Case.objects.filter(council=council).exclude(status=c.CaseStatus.CLOSED)
    if kind is not None:
        cases = cases.filter(kind=kind)
    return cases.order_by("next_due_date", "received_date", "id")


def case_deadlines(*, case: Case) -> QuerySet[Deadline]:
    """The case's deadlines in due-date order, with the stage each belongs to."""
    return Deadline.objects.filter(case=case).select_related("stage").order_by("due_date", "id")


def learning_action_list(*, council: Council, status: str | None = None) -> QuerySet[LearningAction]:
    """The council's learning actions, soonest due first, optionally of one status (R1.40 item 10)."""
    actions = LearningAction.objects.filter(council=council)
    if status is not None:
        actions = actions.filter(status=status)
    return actions.select_related("owner", "team").prefetch_related("cases").order_by("due_date", "id")


def case_access_grants(*, case: Case, now: datetime) -> list[CaseAccessGrant]:
    """The people who may see the restricted ``case`` at ``now`` (named, or with emergency access), by name."""
    grants = (
        CaseAccessGrant.objects.filter(case=case, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("user", "granted_by")
    )
    return sorted(grants, key=lambda grant: (grant.user.last_name, grant.user.first_name, grant.pk))
