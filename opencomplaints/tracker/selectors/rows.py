"""What every tracker row shows, whichever tracker: the flags (overdue, due soon, on hold...), the working
days left on the statutory calendar, and the short name of the type of case."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from opencomplaints.cases import constants as c
from opencomplaints.cases.kinds import kind_label
from opencomplaints.cases.models import Case
from opencomplaints.deadlines import WorkingDayCalendar

# The team's own rule of thumb: three working days is the last moment to chase a response that is due.
DUE_SOON_WORKING_DAYS = 3

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


def working_days_left(calendar: WorkingDayCalendar, today: date, due: date | None) -> int | None:
    """Working days from ``today`` to ``due`` on the statutory calendar (R1.2, R5.10); negative once it has
    passed. ``None`` with no due date, or one outside the years the calendar covers."""
    if due is None or not (calendar.covers(today) and calendar.covers(due)):
        return None
    if due >= today:
        return calendar.working_days_between(today, due)
    return -calendar.working_days_between(due, today)


def due_flags(due: date | None, left: int | None, today: date) -> list[Flag]:
    if due is None:
        return []
    if due < today:
        return [Flag.OVERDUE]
    if left is not None and left <= DUE_SOON_WORKING_DAYS:
        return [Flag.DUE_SOON]
    return []


def type_label(case: Case) -> str:
    if case.kind == c.Kind.COMPLAINT:
        return PROCEDURE_SHORT_NAMES.get(c.Procedure(case.procedure), "Complaint") if case.procedure else "Complaint"
    return kind_label(case.kind)
