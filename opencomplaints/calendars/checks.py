"""System checks (run by ``opencomplaints check`` and at start-up) that the statutory calendar can be trusted."""

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from opencomplaints.calendars.selectors import calendar_overrides
from opencomplaints.deadlines import (
    CalendarOverride,
    calendar_discrepancies,
    england_and_wales_calendar,
    stale_data_message,
)


def _overrides() -> tuple[CalendarOverride, ...]:
    try:
        return calendar_overrides()
    except DatabaseError:
        return ()  # Not migrated yet: check the installed data alone.


@register(Tags.compatibility)
def check_bank_holiday_data(**kwargs: Any) -> list[CheckMessage]:
    """Warn when the installed ``holidays`` data and the committed GOV.UK copy disagree (R5.6 layer 2), unless an
    override already settles the difference, and when the GOV.UK copy stops covering the next 12 months."""
    messages: list[CheckMessage] = []
    for year in calendar_discrepancies(england_and_wales_calendar(_overrides())):
        days = ", ".join(d.isoformat() for d in (*year.only_in_govuk, *year.only_in_calendar))
        messages.append(
            Warning(
                f"The working-day calendar and the GOV.UK bank holidays disagree in {year.year} ({days}).",
                hint="Upgrade the holidays package or record a calendar override for a newly proclaimed day.",
                id="opencomplaints.W001",
            )
        )
    stale = stale_data_message(as_of=timezone.localdate())
    if stale:
        messages.append(
            Warning(
                stale,
                hint="Refresh opencomplaints/deadlines/data from GOV.UK (or the govuk-bank-holidays package).",
                id="opencomplaints.W002",
            )
        )
    return messages
