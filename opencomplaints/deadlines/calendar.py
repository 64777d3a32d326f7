"""Statutory working-day calendar for England and Wales.

A *working day* under the 2006 Regulations (reg 2, domain rule R1.2) and the 2009 adult Regulations (R2.8) is
any day that is not a Saturday, Sunday, Christmas Day, Boxing Day, Good Friday or a bank holiday in England
and Wales under the Banking and Financial Dealings Act 1971 (R5.1-R5.3), including proclaimed one-off days
(R5.4).

Counting convention (R5.10): the day of the event is day 0 and counting starts on the next working day, so
"within 10 working days of receipt" ends on the 10th working day after day 0.

Nothing in this module reads the clock: every date is an argument.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

import holidays
import numpy as np
from dateutil.easter import easter

__all__ = [
    "FIRST_COVERED_YEAR",
    "LAST_COVERED_YEAR",
    "CalendarOverride",
    "CalendarRangeError",
    "OverrideKind",
    "ReceiptRule",
    "WorkingDayCalendar",
    "day_zero",
    "england_and_wales_calendar",
]

#: Years covered by :func:`england_and_wales_calendar`. 2000 predates the 2006 Regulations (R1.1) so that
#: legacy imports of older records still count correctly; 2040 leaves room for long-running cases and
#: planning.
FIRST_COVERED_YEAR = 2000
LAST_COVERED_YEAR = 2040

_SATURDAY = 5


class CalendarRangeError(ValueError):
    """A date, or the result of a calculation, falls outside the years the calendar covers.

    Raised instead of answering, because outside its range the calendar does not know the bank holidays and a
    silently wrong deadline is worse than an error.
    """


class OverrideKind(StrEnum):
    """What a :class:`CalendarOverride` does (R5.6 layer 3)."""

    #: Make the day non-working, e.g. a newly proclaimed bank holiday not yet in the ``holidays`` package.
    ADD = "add"
    #: Make a listed holiday a working day again, e.g. a proclamation that was cancelled or moved.
    REMOVE = "remove"


@dataclass(frozen=True, slots=True)
class CalendarOverride:
    """A council-recorded correction to the statutory calendar (R5.6 layer 3, §8 ``calendar.overrides``).

    ``reason`` is required because overrides change statutory deadlines and must be auditable; ``source_url``
    should point at the proclamation or announcement where there is one.
    """

    on: date
    kind: OverrideKind
    reason: str
    source_url: str = ""

    def __post_init__(self) -> None:
        _require_plain_date(self.on, "on")
        # Accept the enum's string value too, so rows read from a database or a form need no conversion.
        object.__setattr__(self, "kind", OverrideKind(self.kind))
        if not self.reason.strip():
            raise ValueError(
                f"A calendar override for {self.on.isoformat()} needs a reason (for example the "
                "proclamation), because it changes statutory deadlines."
            )


class ReceiptRule(StrEnum):
    """How day 0 is chosen for something received on a non-working day (R5.11).

    §8 ``receipt_on_non_working_day``; the default is :attr:`ACTUAL_DATE`.
    """

    #: Day 0 is the calendar date of receipt, so a Saturday receipt behaves like Friday's (day 1 is Monday).
    ACTUAL_DATE = "actual_date"
    #: Receipt is deemed to happen on the next working day, which becomes day 0 (a Saturday receipt: day 1 is
    #: Tuesday).
    NEXT_WORKING_DAY = "next_working_day"


def _require_plain_date(value: object, name: str) -> None:
    # datetime is a subclass of date, and passing one would count from a UTC timestamp rather than the
    # Europe/London local date (R5.12), so it is rejected rather than truncated.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(
            f"{name} must be a datetime.date (convert timestamps to the Europe/London local date first, "
            f"R5.12), not {type(value).__name__}."
        )


@dataclass(frozen=True, eq=False)
class WorkingDayCalendar:
    """Working days between 1 January ``first_covered`` and 31 December ``last_covered``.

    Saturdays and Sundays are never working days; ``non_working_dates`` lists the other non-working days (it
    may also contain weekend dates, which is harmless). ``protected_dates`` are days the statute itself names
    (Christmas Day, Boxing Day, Good Friday: R1.2), which an override may not turn into working days.

    Lookups are O(1): the constructor precomputes a cumulative count of working days for every covered date
    and the ordinal of every working day, so no method walks the calendar day by day.
    """

    non_working_dates: frozenset[date]
    first_covered: int
    last_covered: int
    protected_dates: frozenset[date] = frozenset()
    overrides: tuple[CalendarOverride, ...] = ()
    name: str = "custom calendar"

    # Precomputed indexes; excluded from the constructor, repr and comparison.
    _origin: int = field(init=False, repr=False)
    _size: int = field(init=False, repr=False)
    _cumulative: list[int] = field(init=False, repr=False)
    _working_ordinals: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.first_covered > self.last_covered:
            raise ValueError(
                f"first_covered ({self.first_covered}) must not be after last_covered ({self.last_covered})."
            )
        for d in self.non_working_dates:
            _require_plain_date(d, "non_working_dates")
        origin = date(self.first_covered, 1, 1).toordinal()
        size = date(self.last_covered, 12, 31).toordinal() - origin + 1
        non_working = {d.toordinal() for d in self.non_working_dates}
        # The weekday of ordinal 1 (1 January year 1) is Monday, so (ordinal - 1) % 7 is date.weekday().
        cumulative: list[int] = []
        working: list[int] = []
        count = 0
        for ordinal in range(origin, origin + size):
            if (ordinal - 1) % 7 < _SATURDAY and ordinal not in non_working:
                count += 1
                working.append(ordinal)
            cumulative.append(count)
        object.__setattr__(self, "_origin", origin)
        object.__setattr__(self, "_size", size)
        object.__setattr__(self, "_cumulative", cumulative)
        object.__setattr__(self, "_working_ordinals", working)

    # -- range -----------------------------------------------------------------------------------------------

    @property
    def first_day(self) -> date:
        """The first date the calendar covers (1 January of ``first_covered``)."""
        return date(self.first_covered, 1, 1)

    @property
    def last_day(self) -> date:
        """The last date the calendar covers (31 December of ``last_covered``)."""
        return date(self.last_covered, 12, 31)

    def covers(self, d: date) -> bool:
        """Whether ``d`` lies within the covered years."""
        _require_plain_date(d, "d")
        return 0 <= d.toordinal() - self._origin < self._size

    def _index(self, d: date, name: str = "date") -> int:
        _require_plain_date(d, name)
        index = d.toordinal() - self._origin
        if 0 <= index < self._size:
            return index
        raise CalendarRangeError(
            f"{d.isoformat()} is outside the years this calendar covers "
            f"({self.first_covered}-{self.last_covered}); bank holidays are not known there, so no "
            "working-day answer can be given."
        )

    def require_covered(self, d: date) -> None:
        """Raise :class:`CalendarRangeError` (or :class:`TypeError`) unless the calendar covers ``d``."""
        self._index(d, "date")

    # -- scalar queries --------------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day (R1.2, R5.8)."""
        index = self._index(d, "d")
        previous = self._cumulative[index - 1] if index else 0
        return self._cumulative[index] != previous

    def add_working_days(self, day0: date, n: int) -> date:
        """The ``n``-th working day after ``day0`` (R5.10).

        ``day0`` is the day of the event and is never counted itself, even when it is a working day; it may be
        a non-working day (R5.11 option A), in which case counting still starts on the next working day. ``n
        == 0`` returns ``day0`` unchanged. Raises :class:`CalendarRangeError` when the answer would fall
        beyond the calendar.
        """
        if n < 0:
            raise ValueError(f"n must be zero or more working days, not {n}.")
        index = self._index(day0, "day0")
        if n == 0:
            return day0
        # _cumulative[index] working days fall on or before day0, so the next one is at that position in the
        # list.
        position = self._cumulative[index] + n - 1
        if position >= len(self._working_ordinals):
            raise CalendarRangeError(
                f"{n} working days after {day0.isoformat()} is beyond {self.last_day.isoformat()}, the last "
                "date this calendar covers."
            )
        return date.fromordinal(self._working_ordinals[position])

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days ``d`` with ``start < d <= end``; 0 when ``end <= start``.

        This is the inverse of :meth:`add_working_days`: ``working_days_between(d, add_working_days(d, n)) ==
        n``. It is the "working days taken" figure of interchange §2 (day 0 is the date received, R5.10).
        """
        start_index = self._index(start, "start")
        end_index = self._index(end, "end")
        if end_index <= start_index:
            return 0
        return self._cumulative[end_index] - self._cumulative[start_index]

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d`` (the same as ``add_working_days(d, 1)``)."""
        return self.add_working_days(d, 1)

    def working_day_on_or_after(self, d: date) -> date:
        """``d`` itself when it is a working day, otherwise the next working day (R5.11 option B)."""
        return d if self.is_working_day(d) else self.next_working_day(d)

    def non_working_weekdays(self, year: int) -> tuple[date, ...]:
        """The Monday-to-Friday dates in ``year`` that are not working days, in order."""
        if not self.first_covered <= year <= self.last_covered:
            raise CalendarRangeError(
                f"{year} is outside the years this calendar covers ({self.first_covered}-{self.last_covered})."
            )
        return tuple(sorted(d for d in self.non_working_dates if d.year == year and d.weekday() < _SATURDAY))

    # -- overrides -------------------------------------------------------------------------------------------

    def with_overrides(self, overrides: Iterable[CalendarOverride]) -> WorkingDayCalendar:
        """A new calendar with ``overrides`` applied on top of this one (R5.6 layer 3).

        ``ADD`` of a day that is already non-working is accepted and has no effect, so that an override
        recorded before the ``holidays`` package learnt of a proclamation keeps working after an upgrade.
        ``REMOVE`` must name a listed weekday holiday that the statute does not itself name (R1.2); anything
        else is a mistake and raises :class:`ValueError`.
        """
        overrides = tuple(overrides)
        if not overrides:
            return self
        added: set[date] = set()
        removed: set[date] = set()
        for override in overrides:
            if not isinstance(override, CalendarOverride):
                raise TypeError(f"Expected a CalendarOverride, not {type(override).__name__}.")
            self._index(override.on, "override date")
            if override.kind is OverrideKind.ADD:
                added.add(override.on)
                continue
            if override.on.weekday() >= _SATURDAY:
                raise ValueError(
                    f"Cannot make {override.on:%A %d %B %Y} a working day: weekends are never working days "
                    "under the Regulations (R1.2)."
                )
            if override.on in self.protected_dates:
                raise ValueError(
                    f"Cannot make {override.on:%A %d %B %Y} a working day: Christmas Day, Boxing Day and "
                    "Good Friday are excluded by the Regulations themselves (R1.2), not by proclamation."
                )
            if override.on not in self.non_working_dates:
                raise ValueError(
                    f"Cannot remove {override.on:%A %d %B %Y}: it is not a bank holiday in this calendar, so "
                    "it is already a working day."
                )
            removed.add(override.on)
        conflicting = added & removed
        if conflicting:
            listed = ", ".join(sorted(d.isoformat() for d in conflicting))
            raise ValueError(f"Overrides both add and remove the same day ({listed}); keep only one of them.")
        return WorkingDayCalendar(
            non_working_dates=(self.non_working_dates | added) - removed,
            first_covered=self.first_covered,
            last_covered=self.last_covered,
            protected_dates=self.protected_dates,
            overrides=self.overrides + overrides,
            name=self.name,
        )

    # -- vectorised support ----------------------------------------------------------------------------------

    @functools.cached_property
    def busdaycalendar(self) -> np.busdaycalendar:
        """A :class:`numpy.busdaycalendar` with the same weekend and weekday holidays, for :mod:`.bulk`.

        numpy's calendar has no notion of a covered range, so :mod:`.bulk` checks the range itself.
        """
        weekday_holidays = sorted(
            d.isoformat()
            for d in self.non_working_dates
            if d.weekday() < _SATURDAY and self.first_covered <= d.year <= self.last_covered
        )
        return np.busdaycalendar(weekmask="1111100", holidays=np.array(weekday_holidays, dtype="datetime64[D]"))


def day_zero(received_on: date, *, calendar: WorkingDayCalendar, rule: ReceiptRule = ReceiptRule.ACTUAL_DATE) -> date:
    """Day 0 for something received on ``received_on`` under the council's receipt rule (R5.10, R5.11)."""
    rule = ReceiptRule(rule)
    if rule is ReceiptRule.NEXT_WORKING_DAY:
        return calendar.working_day_on_or_after(received_on)
    # Still validated, so that a date outside the calendar fails here rather than later with a vaguer message.
    calendar.require_covered(received_on)
    return received_on


def _statutory_days(years: range) -> frozenset[date]:
    # R5.8: Christmas Day, Boxing Day and Good Friday are named by the Regulations themselves, so they are
    # kept as explicit exclusions even though the holidays package also lists them (defence in depth).
    days: set[date] = set()
    for year in years:
        days.update((date(year, 12, 25), date(year, 12, 26), easter(year) - timedelta(days=2)))
    return frozenset(days)


@functools.lru_cache(maxsize=1)
def _england_and_wales_base() -> WorkingDayCalendar:
    years = range(FIRST_COVERED_YEAR, LAST_COVERED_YEAR + 1)
    # R5.7a: without subdiv="ENG" the package omits Easter Monday and the summer bank holiday.
    bank_holidays = holidays.country_holidays("GB", subdiv="ENG", years=years)
    statutory = _statutory_days(years)
    return WorkingDayCalendar(
        non_working_dates=frozenset(bank_holidays.keys()) | statutory,
        first_covered=FIRST_COVERED_YEAR,
        last_covered=LAST_COVERED_YEAR,
        protected_dates=statutory,
        name="England and Wales statutory calendar",
    )


@functools.lru_cache(maxsize=32)
def _england_and_wales_with(overrides: tuple[CalendarOverride, ...]) -> WorkingDayCalendar:
    return _england_and_wales_base().with_overrides(overrides)


def _override_sort_key(override: CalendarOverride) -> tuple[date, str, str, str]:
    return (override.on, override.kind.value, override.reason, override.source_url)


def england_and_wales_calendar(overrides: Iterable[CalendarOverride] = ()) -> WorkingDayCalendar:
    """The statutory working-day calendar for England and Wales, 2000-2040 (R1.2, R5.6-R5.8).

    Bank holidays come from ``holidays.country_holidays("GB", subdiv="ENG")`` (R5.6, R5.7a), which holds the
    proclaimed one-off days (R5.4); Christmas Day, Boxing Day and Good Friday are added explicitly (R5.8).
    ``overrides`` record proclamations the package does not know yet (R5.6 layer 3). Calendars are cached, so
    calling this on every request is cheap.
    """
    ordered = tuple(sorted(overrides, key=_override_sort_key))
    if not ordered:
        return _england_and_wales_base()
    return _england_and_wales_with(ordered)
