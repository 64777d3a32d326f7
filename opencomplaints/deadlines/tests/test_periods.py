"""Tests of calendar-month periods (R5.14, R1.12, R2.4, R2.6)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencomplaints.deadlines import (
    add_calendar_months,
    is_within_time_limit,
    period_beginning_end,
    time_limit_last_day,
)

from .support import PROPERTY_SETTINGS

any_date = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 15), 1, date(2025, 2, 15)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # R5.14: last day of the shorter month
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
    ],
    ids=str,
)
def test_r5_14_add_calendar_months(start: date, months: int, expected: date) -> None:
    assert add_calendar_months(start, months) == expected


def test_r5_14_within_one_year_after_ends_on_the_same_date_next_year() -> None:
    assert time_limit_last_day(date(2024, 3, 3)) == date(2025, 3, 3)


def test_r5_14_29_february_plus_one_year_is_28_february() -> None:
    assert time_limit_last_day(date(2024, 2, 29)) == date(2025, 2, 28)
    assert is_within_time_limit(grounds_arose_on=date(2024, 2, 29), received_on=date(2025, 2, 28))
    assert not is_within_time_limit(grounds_arose_on=date(2024, 2, 29), received_on=date(2025, 3, 1))


def test_r5_14_31_january_plus_one_month() -> None:
    assert time_limit_last_day(date(2025, 1, 31), months=1) == date(2025, 2, 28)
    assert period_beginning_end(date(2025, 1, 31), 1) == date(2025, 2, 28)


def test_r1_12_in_time_flag_on_the_last_day_and_the_day_after() -> None:
    grounds = date(2023, 9, 14)
    assert is_within_time_limit(grounds_arose_on=grounds, received_on=date(2023, 9, 14))
    assert is_within_time_limit(grounds_arose_on=grounds, received_on=date(2024, 9, 14))
    assert not is_within_time_limit(grounds_arose_on=grounds, received_on=date(2024, 9, 15))


def test_r2_4_twelve_month_limit_uses_the_same_rule() -> None:
    assert is_within_time_limit(grounds_arose_on=date(2024, 5, 31), received_on=date(2025, 5, 31), months=12)


def test_r1_12_receipt_before_the_grounds_arose_is_a_data_error() -> None:
    with pytest.raises(ValueError, match="before the date the grounds arose"):
        is_within_time_limit(grounds_arose_on=date(2025, 2, 1), received_on=date(2025, 1, 1))


def test_r5_14_six_months_beginning_on_15_january_2025_ends_14_july_2025() -> None:
    assert period_beginning_end(date(2025, 1, 15), 6) == date(2025, 7, 14)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2024, 8, 28), date(2025, 2, 27)),  # corresponding date exists: the day before it
        (date(2024, 8, 29), date(2025, 2, 28)),  # no 29 February 2025: the shorter month's last day
        (date(2024, 8, 31), date(2025, 2, 28)),
        (date(2024, 9, 1), date(2025, 2, 28)),
        (date(2023, 8, 31), date(2024, 2, 29)),
    ],
    ids=str,
)
def test_r5_14_six_month_period_month_end_rule(start: date, expected: date) -> None:
    assert period_beginning_end(start, 6) == expected


@pytest.mark.parametrize("months", [0, -1])
def test_periods_must_be_at_least_a_month(months: int) -> None:
    with pytest.raises(ValueError, match="at least one month"):
        period_beginning_end(date(2025, 1, 15), months)
    with pytest.raises(ValueError, match="at least one month"):
        time_limit_last_day(date(2025, 1, 15), months)


@PROPERTY_SETTINGS
@given(start=any_date, months=st.integers(min_value=1, max_value=24))
def test_property_period_ends_before_the_corresponding_date_and_after_it_starts(start: date, months: int) -> None:
    end = period_beginning_end(start, months)
    assert start < end <= add_calendar_months(start, months)


@PROPERTY_SETTINGS
@given(first=any_date, second=any_date, months=st.integers(min_value=1, max_value=24))
def test_property_later_start_never_gives_an_earlier_end(first: date, second: date, months: int) -> None:
    earlier, later = sorted((first, second))
    assert period_beginning_end(earlier, months) <= period_beginning_end(later, months)
    assert time_limit_last_day(earlier, months) <= time_limit_last_day(later, months)
