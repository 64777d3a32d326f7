"""The committed GOV.UK bank-holiday data for England and Wales (R5.5, R5.6 layer 2).

GOV.UK is the source of truth for current and near years. The project cannot fetch it at run time, so a copy
is committed in ``data/bank_holidays_england_and_wales.json`` and used to cross-check the ``holidays``-package
calendar in tests and in operational checks. GOV.UK lists Christmas Day and Good Friday alongside the bank
holidays, and lists substitute days rather than weekend dates, so its dates are directly comparable with a
calendar's non-working weekdays.

Nothing here reads the clock: freshness is judged against an ``as_of`` date supplied by the caller.
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources

from .calendar import WorkingDayCalendar
from .periods import add_calendar_months

__all__ = [
    "DATA_FILE",
    "GovukBankHoliday",
    "GovukBankHolidays",
    "StaleBankHolidayDataWarning",
    "YearDiscrepancy",
    "calendar_discrepancies",
    "coverage_shortfall",
    "load_govuk_bank_holidays",
    "parse_govuk_bank_holidays",
    "stale_data_message",
    "warn_if_stale",
]

DATA_FILE = "bank_holidays_england_and_wales.json"
_PACKAGE = __name__.rpartition(".")[0]
_DIVISION = "england-and-wales"


class StaleBankHolidayDataWarning(UserWarning):
    """The committed GOV.UK data does not reach far enough ahead; refresh the data file."""


@dataclass(frozen=True)
class GovukBankHoliday:
    """One GOV.UK event."""

    title: str
    on: date
    notes: str
    bunting: bool


@dataclass(frozen=True)
class GovukBankHolidays:
    """The GOV.UK events of one division, in date order, with a note of where the copy came from."""

    division: str
    source: str
    events: tuple[GovukBankHoliday, ...]

    def dates(self) -> frozenset[date]:
        """Every event date."""
        return frozenset(event.on for event in self.events)

    def dates_in_year(self, year: int) -> frozenset[date]:
        """The event dates in ``year``."""
        return frozenset(event.on for event in self.events if event.on.year == year)

    def years_fully_covered(self) -> tuple[int, ...]:
        """Years the file lists in full.

        GOV.UK publishes whole years, but a year is only treated as complete when it has both a January event
        (New Year's Day or its substitute, which always falls in January) and a December event (Christmas), so
        a partial first or last year is never mistaken for a complete one.
        """
        january = {event.on.year for event in self.events if event.on.month == 1}
        december = {event.on.year for event in self.events if event.on.month == 12}
        return tuple(sorted(january & december))

    @property
    def covered_until(self) -> date:
        """The last date the file can vouch for: 31 December of its last complete year."""
        years = self.years_fully_covered()
        if not years:
            raise ValueError("The GOV.UK bank-holiday data does not cover any complete year.")
        return date(years[-1], 12, 31)


def parse_govuk_bank_holidays(raw: Mapping[str, object]) -> GovukBankHolidays:
    """Validate and parse data in GOV.UK's ``bank-holidays.json`` division format (plus a ``source`` note)."""
    division = raw.get("division")
    if division != _DIVISION:
        raise ValueError(f"Expected the {_DIVISION!r} division, not {division!r}.")
    events_raw = raw.get("events")
    if not isinstance(events_raw, list) or not events_raw:
        raise ValueError("The bank-holiday data has no 'events' list.")
    events: list[GovukBankHoliday] = []
    for position, item in enumerate(events_raw):
        if not isinstance(item, dict):
            raise ValueError(f"Event {position} is not an object.")
        title, when, notes, bunting = (
            item.get("title"),
            item.get("date"),
            item.get("notes", ""),
            item.get("bunting"),
        )
        if not isinstance(title, str) or not isinstance(when, str) or not isinstance(notes, str):
            raise ValueError(f"Event {position} needs string 'title', 'date' and 'notes'.")
        if not isinstance(bunting, bool):
            raise ValueError(f"Event {position} needs a true/false 'bunting'.")
        try:
            on = date.fromisoformat(when)
        except ValueError:
            raise ValueError(f"Event {position} has an invalid date {when!r} (expected YYYY-MM-DD).") from None
        events.append(GovukBankHoliday(title=title, on=on, notes=notes, bunting=bunting))
    source = raw.get("source", "")
    return GovukBankHolidays(
        division=_DIVISION,
        source=source if isinstance(source, str) else "",
        events=tuple(sorted(events, key=lambda event: event.on)),
    )


@functools.lru_cache(maxsize=1)
def load_govuk_bank_holidays() -> GovukBankHolidays:
    """The committed GOV.UK data for England and Wales (read once, then cached)."""
    text = resources.files(_PACKAGE).joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    raw = json.loads(text)
    if not isinstance(raw, dict):
        raise ValueError(f"{DATA_FILE} must contain a JSON object.")
    return parse_govuk_bank_holidays(raw)


# -- freshness -----------------------------------------------------------------------------------------------


def coverage_shortfall(*, covered_until: date, as_of: date, months_ahead: int = 12) -> date | None:
    """The date the data ought to reach but does not, or ``None`` if it is fresh enough on ``as_of``.

    The data must reach ``months_ahead`` months past ``as_of``, because deadlines run into the coming months
    and the data must cover at least the next year of them.
    """
    required = add_calendar_months(as_of, months_ahead)
    return required if covered_until < required else None


def stale_data_message(*, as_of: date, data: GovukBankHolidays | None = None, months_ahead: int = 12) -> str | None:
    """A message saying the data needs refreshing, or ``None`` if it is fresh enough on ``as_of``."""
    data = data or load_govuk_bank_holidays()
    required = coverage_shortfall(covered_until=data.covered_until, as_of=as_of, months_ahead=months_ahead)
    if required is None:
        return None
    return (
        f"The committed GOV.UK bank-holiday data ({DATA_FILE}) runs only to {data.covered_until:%d %B %Y}, "
        f"but deadlines need it to reach {required:%d %B %Y}. Refresh it from "
        "https://www.gov.uk/bank-holidays.json and check the calendar for new proclamations (R5.6)."
    )


def warn_if_stale(*, as_of: date, data: GovukBankHolidays | None = None, months_ahead: int = 12) -> bool:
    """Emit :class:`StaleBankHolidayDataWarning` if the data is stale on ``as_of``; return whether it was."""
    message = stale_data_message(as_of=as_of, data=data, months_ahead=months_ahead)
    if message is None:
        return False
    warnings.warn(message, StaleBankHolidayDataWarning, stacklevel=2)
    return True


# -- cross-check ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearDiscrepancy:
    """Weekdays on which GOV.UK and a calendar disagree in one year."""

    year: int
    only_in_govuk: tuple[date, ...]
    only_in_calendar: tuple[date, ...]


def calendar_discrepancies(
    calendar: WorkingDayCalendar, data: GovukBankHolidays | None = None
) -> tuple[YearDiscrepancy, ...]:
    """Compare a calendar's non-working weekdays with GOV.UK for every year both fully cover (R5.6 layer 2).

    An empty result means they agree exactly. A day only in GOV.UK usually means a new proclamation that needs
    a calendar override (or a ``holidays`` upgrade); a day only in the calendar is worth investigating.
    """
    data = data or load_govuk_bank_holidays()
    found: list[YearDiscrepancy] = []
    for year in data.years_fully_covered():
        if not calendar.first_covered <= year <= calendar.last_covered:
            continue
        # Weekend dates carry no information for working days (GOV.UK lists substitutes instead, but be safe).
        govuk = frozenset(d for d in data.dates_in_year(year) if d.weekday() < 5)
        ours = frozenset(calendar.non_working_weekdays(year))
        if govuk != ours:
            found.append(
                YearDiscrepancy(
                    year=year,
                    only_in_govuk=tuple(sorted(govuk - ours)),
                    only_in_calendar=tuple(sorted(ours - govuk)),
                )
            )
    return tuple(found)
