"""What the scheduled jobs queue: reminders to case owners before a deadline, alerts to complaints managers when one
has passed, and the weekly tracker digest for senior managers.

Who is a complaints manager or a senior manager is a Django group (``COMPLAINTS_MANAGERS_GROUP``,
``SENIOR_MANAGERS_GROUP``, created by a migration and managed in the admin), limited to the members of the case's
council. Every message has an idempotency key naming the deadline, the kind of message and the date it is about, so
running a scan twice, or on a day after one was missed, never sends anything twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, Deadline, Hold, Remedy, Stage
from opencomplaints.common.dates import LONDON
from opencomplaints.councils.models import Council
from opencomplaints.notifications.models import Message, TemplateKey
from opencomplaints.notifications.services import (
    case_link,
    govuk_date,
    message_queue,
    panel_meeting_words,
    panel_people,
)

__all__ = [
    "COMPLAINTS_MANAGERS_GROUP",
    "SENIOR_MANAGERS_GROUP",
    "ScanResult",
    "deadline_reminders_queue",
    "deadline_scan",
    "overdue_alerts_queue",
    "panel_reminders_queue",
    "remedy_overdue_alerts_queue",
    "remedy_reminders_queue",
    "weekly_digests_queue",
]

COMPLAINTS_MANAGERS_GROUP = "Complaints managers"
SENIOR_MANAGERS_GROUP = "Senior managers"
# The digest lists this many overdue cases by name; the counts cover them all.
DIGEST_LIST_LENGTH = 10
DIGEST_WORKING_DAYS_AHEAD = 5


@dataclass(frozen=True)
class ScanResult:
    reminders: int
    overdue_alerts: int


def _link(name: str, *args: object) -> str:
    base: str = settings.OPENCOMPLAINTS["SITE_URL"]
    return base.rstrip("/") + reverse(name, args=args)


def _open_deadlines(
    *, after: date | None = None, until: date | None = None, before: date | None = None
) -> QuerySet[Deadline]:
    """The council's own deadlines still to be met on cases not closed, leaving out stages on hold (their clock
    is stopped, R1.37), whose effective date (the agreed extended date, or else the statutory one) is after
    ``after`` and no later than ``until``, or before ``before``."""
    on_hold = Hold.objects.filter(stage_id=OuterRef("stage_id"), end_date__isnull=True)
    extended, standard = Q(extended_due_date__isnull=False), Q(extended_due_date__isnull=True)
    if after is not None:
        extended &= Q(extended_due_date__gt=after)
        standard &= Q(due_date__gt=after)
    if until is not None:
        extended &= Q(extended_due_date__lte=until)
        standard &= Q(due_date__lte=until)
    if before is not None:
        extended &= Q(extended_due_date__lt=before)
        standard &= Q(due_date__lt=before)
    return (
        Deadline.objects.filter(met_date__isnull=True, kind=c.DeadlineKind.DEADLINE)
        .filter(extended | standard)
        .exclude(case__status=c.CaseStatus.CLOSED)
        .exclude(Exists(on_hold))
        .select_related("case", "case__council", "case__owner", "stage")
        .order_by("id")
    )


def _managers(council_id: int, group: str) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, groups__name=group, memberships__council_id=council_id)
        .exclude(email="")
        .distinct()
    )


def _deadline_details(deadline: Deadline, effective: date) -> dict[str, str]:
    case = deadline.case
    return {
        "reference": case.reference,
        "deadline": deadline.label,
        "due_date": govuk_date(effective),
        "case_link": _link("casework:case-detail", case.pk),
        "owner": str(case.owner) if case.owner else "nobody",
    }


def _queue_new(**kwargs: Any) -> int:
    """Queue a message unless its idempotency key has been queued already; 1 if it was new."""
    if Message.objects.filter(idempotency_key=kwargs["idempotency_key"]).exists():
        return 0
    message_queue(**kwargs)
    return 1


def _to_user_queue(
    template_key: str, user: User, case: Case, key: str, details: dict[str, str], working_days: int | None = None
) -> int:
    """Queue ``template_key`` to a member of staff about ``case``, addressed by name, unless ``key`` was queued
    already; a reminder says how many working days are left."""
    personalisation = {"name": user.get_full_name() or user.username}
    if working_days is not None:
        personalisation["working_days"] = f"{working_days} working day{'s' if working_days != 1 else ''}"
    return _queue_new(
        template_key=template_key, recipient=user.email, recipient_user=user,
        personalisation={**personalisation, **details}, idempotency_key=key, case=case,
    )  # fmt: skip


@transaction.atomic
def deadline_reminders_queue(*, today: date, working_days: int | None = None) -> int:
    """Remind each case owner of every deadline falling due after ``today`` and within ``working_days`` working
    days (``OPENCOMPLAINTS["REMINDER_WORKING_DAYS"]``, 3 by default, on the statutory calendar). One reminder per
    deadline and due date: an extension moves the date and brings a new reminder."""
    days = settings.OPENCOMPLAINTS["REMINDER_WORKING_DAYS"] if working_days is None else working_days
    horizon = working_day_calendar().add_working_days(today, days)
    queued = 0
    for deadline in _open_deadlines(after=today, until=horizon).filter(case__owner__isnull=False):
        owner = deadline.case.owner
        if owner is None or not owner.email or not owner.is_active:
            continue
        effective = deadline.effective_due_date
        left = working_day_calendar().working_days_between(today, effective)
        key = f"reminder:{deadline.pk}:{effective.isoformat()}:{owner.pk}"
        details = _deadline_details(deadline, effective)
        queued += _to_user_queue(TemplateKey.DEADLINE_REMINDER, owner, deadline.case, key, details, working_days=left)
    return queued


@transaction.atomic
def overdue_alerts_queue(*, today: date) -> int:
    """Alert the complaints managers of the case's council, once per deadline and due date, when a deadline has
    passed without being met."""
    queued = 0
    managers: dict[int, list[User]] = {}
    for deadline in _open_deadlines(before=today):
        council_id = deadline.case.council_id
        if council_id not in managers:
            managers[council_id] = list(_managers(council_id, COMPLAINTS_MANAGERS_GROUP))
        effective = deadline.effective_due_date
        details = _deadline_details(deadline, effective)
        for manager in managers[council_id]:
            key = f"overdue:{deadline.pk}:{effective.isoformat()}:{manager.pk}"
            queued += _to_user_queue(TemplateKey.OVERDUE_ALERT, manager, deadline.case, key, details)
    return queued


# -- approved remedies not yet paid or delivered (docs/adr/0020-remedy-lifecycle.md) ----------------------------


def _outstanding_remedies() -> QuerySet[Remedy]:
    """Approved remedies still to be paid or delivered, with a due date, on cases open or closed: a payment is
    often made after the case has closed."""
    return (
        Remedy.objects.filter(status=c.RemedyStatus.APPROVED, due_date__isnull=False)
        .select_related("case", "case__council", "case__owner", "remedy_type")
        .order_by("due_date", "id")
    )


def _remedy_details(remedy: Remedy) -> dict[str, str]:
    """The deadline templates' details for a remedy: its "deadline" is paying or delivering it."""
    case = remedy.case
    what = "payment" if remedy.amount is not None else "delivery"
    return {
        "reference": case.reference,
        "deadline": f"{what} of the agreed remedy ({remedy.remedy_type.name.lower()})",
        "due_date": govuk_date(remedy.due_date) if remedy.due_date else "",
        "case_link": _link("casework:case-detail", case.pk),
        "owner": str(case.owner) if case.owner else "nobody",
    }


@transaction.atomic
def remedy_reminders_queue(*, today: date, working_days: int | None = None) -> int:
    """Remind the case owner of each approved remedy due after ``today`` and within ``working_days`` working days
    (as for deadlines), once per remedy and due date."""
    days = settings.OPENCOMPLAINTS["REMINDER_WORKING_DAYS"] if working_days is None else working_days
    calendar = working_day_calendar()
    horizon = calendar.add_working_days(today, days)
    queued = 0
    for remedy in _outstanding_remedies().filter(due_date__gt=today, due_date__lte=horizon, case__owner__isnull=False):
        owner = remedy.case.owner
        if owner is None or not owner.email or not owner.is_active or remedy.due_date is None:
            continue
        left = calendar.working_days_between(today, remedy.due_date)
        key = f"remedy-reminder:{remedy.pk}:{remedy.due_date.isoformat()}:{owner.pk}"
        details = _remedy_details(remedy)
        queued += _to_user_queue(TemplateKey.DEADLINE_REMINDER, owner, remedy.case, key, details, working_days=left)
    return queued


# -- review panel meetings arranged ahead (issue 15) -----------------------------------------------------------


@transaction.atomic
def panel_reminders_queue(*, today: date, working_days: int | None = None) -> int:
    """Remind each member of a review panel, and the case owner, of its meeting when it falls after ``today`` and
    within ``working_days`` working days (``OPENCOMPLAINTS["REMINDER_WORKING_DAYS"]``, as for deadlines), once per
    meeting time: arranging it again for another day brings a new reminder. Not once the panel has met."""
    days = settings.OPENCOMPLAINTS["REMINDER_WORKING_DAYS"] if working_days is None else working_days
    calendar = working_day_calendar()
    horizon = calendar.add_working_days(today, days)
    start = datetime.combine(today + timedelta(days=1), time.min, tzinfo=LONDON)
    end = datetime.combine(horizon + timedelta(days=1), time.min, tzinfo=LONDON)
    stages = (
        Stage.objects.filter(
            panel_meeting_at__gte=start,
            panel_meeting_at__lt=end,
            panel_date__isnull=True,
            response_date__isnull=True,
            case__closed_date__isnull=True,
        )
        .select_related("case", "case__owner", "case__council")
        .order_by("panel_meeting_at", "id")
    )
    queued = 0
    for stage in stages:
        assert stage.panel_meeting_at is not None  # noqa: S101 - filtered on it
        meeting, where = panel_meeting_words(stage)
        left = calendar.working_days_between(today, timezone.localdate(stage.panel_meeting_at))
        for person in panel_people(stage):
            template_key = person.template_key(TemplateKey.PANEL_REMINDER)
            if template_key is None:
                continue
            queued += _queue_new(
                template_key=template_key,
                recipient=person.email,
                recipient_user=person.user,
                personalisation={
                    "name": person.name,
                    "reference": stage.case.reference,
                    "meeting": meeting,
                    "where": where,
                    "working_days": f"{left} working day{'s' if left != 1 else ''}",
                    "case_link": case_link(stage.case),
                    "council": stage.case.council.name,
                },
                idempotency_key=f"panel-reminder:{stage.pk}:{stage.panel_meeting_at.isoformat()}:{person.key}",
                case=stage.case,
            )
    return queued


@transaction.atomic
def remedy_overdue_alerts_queue(*, today: date) -> int:
    """Alert the complaints managers of the council, and the case owner, once per remedy and due date, when an
    approved remedy was not paid or delivered by its due date."""
    queued = 0
    managers: dict[int, list[User]] = {}
    for remedy in _outstanding_remedies().filter(due_date__lt=today):
        council_id = remedy.case.council_id
        if council_id not in managers:
            managers[council_id] = list(_managers(council_id, COMPLAINTS_MANAGERS_GROUP))
        owner = remedy.case.owner
        recipients = list(managers[council_id])
        if owner is not None and owner.is_active and owner.email and owner not in recipients:
            recipients.append(owner)
        details = _remedy_details(remedy)
        for user in recipients:
            key = f"remedy-overdue:{remedy.pk}:{remedy.due_date}:{user.pk}"
            queued += _to_user_queue(TemplateKey.OVERDUE_ALERT, user, remedy.case, key, details)
    return queued


def deadline_scan(*, today: date) -> ScanResult:
    """The daily scan: reminders of deadlines and approved remedies coming up, and alerts of those passed."""
    return ScanResult(
        reminders=deadline_reminders_queue(today=today)
        + remedy_reminders_queue(today=today)
        + panel_reminders_queue(today=today),
        overdue_alerts=overdue_alerts_queue(today=today) + remedy_overdue_alerts_queue(today=today),
    )


def _digest(council: Council, today: date) -> dict[str, str]:
    cases = Case.objects.filter(council=council).exclude(status=c.CaseStatus.CLOSED)
    horizon = working_day_calendar().add_working_days(today, DIGEST_WORKING_DAYS_AHEAD)
    overdue = cases.filter(next_due_date__lt=today).order_by("next_due_date", "id")
    lines = [
        f"* {case.reference}: due {govuk_date(case.next_due_date)}"
        for case in overdue[:DIGEST_LIST_LENGTH]
        if case.next_due_date is not None
    ]
    return {
        "council": council.name,
        "week_start": govuk_date(today - timedelta(days=today.weekday())),
        "open_count": str(cases.filter(status=c.CaseStatus.OPEN).count()),
        "triage_count": str(cases.filter(status=c.CaseStatus.TRIAGE).count()),
        "overdue_count": str(overdue.count()),
        "due_soon_count": str(cases.filter(next_due_date__gte=today, next_due_date__lte=horizon).count()),
        "overdue_list": "\n".join(lines) if lines else "None.",
        "tracker_link": _link("tracker:case-list"),
    }


@transaction.atomic
def weekly_digests_queue(*, today: date) -> int:
    """The weekly tracker digest for every senior manager, per council they belong to: one per week."""
    week = today - timedelta(days=today.weekday())
    queued = 0
    for council in Council.objects.order_by("pk"):
        recipients = list(_managers(council.pk, SENIOR_MANAGERS_GROUP))
        if not recipients:
            continue
        details = _digest(council, today)
        for user in recipients:
            queued += _queue_new(
                template_key=TemplateKey.WEEKLY_DIGEST,
                recipient=user.email,
                recipient_user=user,
                personalisation={"name": user.get_full_name() or user.username, **details},
                idempotency_key=f"digest:{council.pk}:{week.isoformat()}:{user.pk}",
            )
    return queued
