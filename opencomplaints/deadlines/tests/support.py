"""Shared helpers for the deadline tests: hypothesis settings, strategies and independent reference answers."""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays
from dateutil.easter import easter
from hypothesis import settings
from hypothesis import strategies as st

from opencomplaints.deadlines.govuk_data import load_govuk_bank_holidays

#: No example database: the test run must not write files into the repository (.hypothesis/).
PROPERTY_SETTINGS = settings(database=None, deadline=None, max_examples=150)

#: Dates whose answers stay inside the calendar for any count the property tests use.
# Far enough before the calendar's end (2040-12-31) that 260 working days, after a day zero moved on by a receipt
# rule and the Christmas closures, still land inside it.
covered_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2039, 6, 30))
working_day_counts = st.integers(min_value=0, max_value=260)


@functools.lru_cache(maxsize=1)
def _reference_holidays() -> frozenset[date]:
    # Built the way the R5.15 sketch does it, independently of WorkingDayCalendar's indexes.
    years = range(2000, 2041)
    found = set(holidays.country_holidays("GB", subdiv="ENG", years=years))
    for year in years:
        found.update((date(year, 12, 25), date(year, 12, 26), easter(year) - timedelta(days=2)))
    return frozenset(found)


def reference_is_working_day(d: date) -> bool:
    """R5.8 predicate, written out directly."""
    return d.weekday() < 5 and d not in _reference_holidays()


def reference_add_working_days(day0: date, n: int) -> date:
    """Day-by-day loop from the R5.15 sketch."""
    d, counted = day0, 0
    while counted < n:
        d += timedelta(days=1)
        if reference_is_working_day(d):
            counted += 1
    return d


def govuk_add_working_days(day0: date, n: int) -> date:
    """Day-by-day loop using only the committed GOV.UK dates (valid for the years that file covers)."""
    govuk = load_govuk_bank_holidays().dates()
    d, counted = day0, 0
    while counted < n:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in govuk:
            counted += 1
    return d
