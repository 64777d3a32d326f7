"""The generator's shared sources of chance and time: one seeded ``random.Random`` and ``Faker("en_GB")``, the
statutory working-day calendar and the end date, with the reporting-year windows of the period.

Determinism: every part of the generator draws from the one ``Draws`` of a build, in a fixed order, so the same
seed gives the same plan. Nothing reads the clock: the end date is passed in, and ``happened`` leaves out every
event after it, so cases still running on that day are open.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from faker import Faker

from opencomplaints.deadlines import WorkingDayCalendar, add_calendar_months


def year_windows(*, end_date: date, years: int) -> tuple[tuple[date, date], ...]:
    """The ``years`` consecutive 12-month windows ending on ``end_date``, oldest first (first and last days)."""
    windows = []
    for i in range(years):
        back = years - 1 - i
        last = add_calendar_months(end_date, -12 * back)
        first = add_calendar_months(end_date, -12 * (back + 1)) + timedelta(days=1)
        windows.append((first, last))
    return tuple(windows)


def restructure_date(*, start_date: date, end_date: date) -> date:
    """The first day of the new structure: the 1 April nearest the middle of the period (councils restructure at
    the start of a reporting year), or the first of the month nearest the middle when no 1 April fits."""
    middle = start_date + (end_date - start_date) / 2
    margin = timedelta(days=90)
    aprils = [
        date(year, 4, 1)
        for year in range(start_date.year, end_date.year + 1)
        if start_date + margin <= date(year, 4, 1) <= end_date - margin
    ]
    if aprils:
        return min(aprils, key=lambda day: abs(day - middle))
    return add_calendar_months(middle.replace(day=1), 1)


# -- the planner ------------------------------------------------------------------------------------------------


def weighted[T](rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    values = [value for value, _ in options]
    weights = [weight for _, weight in options]
    return rng.choices(values, weights=weights, k=1)[0]


def present[T](value: T | None) -> T:
    """``value``, which the plan's own sequence of events guarantees is there (a stage responded to, say)."""
    if value is None:
        raise ValueError("The demonstration plan is inconsistent: an event it depends on is missing.")
    return value


def money(rng: random.Random, low: int, high: int, step: int) -> Decimal:
    return Decimal(rng.randrange(low, high + 1, step)).quantize(Decimal("0.01"))


class Draws:
    """The seeded generators, the calendar and the period of one build."""

    def __init__(self, *, seed: int, years: int, end_date: date, calendar: WorkingDayCalendar) -> None:
        self.seed = seed
        self.years = years
        self.end = end_date
        self.calendar = calendar
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.windows = year_windows(end_date=end_date, years=years)
        self.start = self.windows[0][0]
        self.restructure_on = restructure_date(start_date=self.start, end_date=end_date)
        self._phone = 0

    def add(self, day: date, n: int) -> date:
        return self.calendar.add_working_days(day, n)

    def back(self, day: date, n: int) -> date:
        """The working day ``n`` working days before ``day`` (so that ``add(back(d, n), n) == d`` for a working
        day ``d``)."""
        candidate = day - timedelta(days=n + n // 5 * 2 + 10)
        while self.calendar.working_days_between(candidate, day) > n:
            candidate += timedelta(days=1)
        while not self.calendar.is_working_day(candidate):
            candidate -= timedelta(days=1)
        return candidate

    def between(self, first: date, last: date) -> int:
        return self.calendar.working_days_between(first, last)

    def working_day_in(self, first: date, last: date) -> date:
        day = first + timedelta(days=self.rng.randrange((last - first).days + 1))
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        if day > last:
            day = self.back(last + timedelta(days=1), 1)
        return day

    def happened(self, day: date | None) -> date | None:
        """``day`` if it is on or before the end date; events after it have not happened yet."""
        return day if day is not None and day <= self.end else None

    def phone(self) -> str:
        # Ofcom reserves 07700 900000-900999 for drama, so a demo number never rings anyone.
        self._phone = (self._phone + self.rng.randint(1, 37)) % 1000
        return f"07700 900{self._phone:03d}"
