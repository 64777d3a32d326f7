from django.conf import settings

from opencomplaints.calendars.models import BankHolidayOverride
from opencomplaints.deadlines import (
    CalendarOverride,
    ReceiptRule,
    WorkingDayCalendar,
    england_and_wales_calendar,
)
from opencomplaints.deadlines import (
    OverrideKind as EngineOverrideKind,
)


def calendar_overrides() -> tuple[CalendarOverride, ...]:
    """The overrides recorded in the database, as the deadline engine takes them."""
    rows = BankHolidayOverride.objects.order_by("on_date").values_list("on_date", "kind", "reason", "source_url")
    return tuple(
        CalendarOverride(on=on, kind=EngineOverrideKind(kind), reason=reason, source_url=url)
        for on, kind, reason, url in rows
    )


def working_day_calendar() -> WorkingDayCalendar:
    """The statutory calendar with every recorded override applied.

    One small query per call; the calendar itself is cached by the engine for each distinct set of overrides, so
    every process (web and worker alike) sees a new override at once.
    """
    return england_and_wales_calendar(calendar_overrides())


def receipt_rule() -> ReceiptRule:
    """The installation's rule for representations received on a non-working day (R5.11)."""
    return ReceiptRule(settings.OPENCOMPLAINTS["RECEIPT_RULE"])
