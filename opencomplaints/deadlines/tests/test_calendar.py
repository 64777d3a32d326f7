"""Tests of the statutory working-day calendar (R1.2, §5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencomplaints.deadlines import (
    CalendarOverride,
    CalendarRangeError,
    OverrideKind,
    ReceiptRule,
    WorkingDayCalendar,
    day_zero,
    england_and_wales_calendar,
)

from .support import (
    PROPERTY_SETTINGS,
    covered_dates,
    reference_add_working_days,
    reference_is_working_day,
    working_day_counts,
)

CAL = england_and_wales_calendar()

# -- R5.5 fixtures ----------------------------------------------------------------------------------------------

R5_5_NON_WORKING = {
    2020: ["2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"],
    2021: ["2021-12-27", "2021-12-28"],
    2022: [
        "2022-01-03",
        "2022-04-15",
        "2022-04-18",
        "2022-05-02",
        "2022-06-02",
        "2022-06-03",
        "2022-08-29",
        "2022-09-19",
        "2022-12-26",
        "2022-12-27",
    ],
    2023: [
        "2023-01-02",
        "2023-04-07",
        "2023-04-10",
        "2023-05-01",
        "2023-05-08",
        "2023-05-29",
        "2023-08-28",
        "2023-12-25",
        "2023-12-26",
    ],
    2026: [
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    ],
    2027: [
        "2027-01-01",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
    ],
}


@pytest.mark.parametrize("day", [date.fromisoformat(d) for days in R5_5_NON_WORKING.values() for d in days], ids=str)
def test_r5_5_fixture_dates_are_not_working_days(day: date) -> None:
    assert not CAL.is_working_day(day)


# R5.5 gives only the notable days of 2020 and 2021, so completeness is checked for the full lists only.
@pytest.mark.parametrize("year", [2022, 2023, 2026, 2027])
def test_r5_5_lists_are_the_complete_weekday_holidays_of_their_year(year: int) -> None:
    assert CAL.non_working_weekdays(year) == tuple(date.fromisoformat(d) for d in R5_5_NON_WORKING[year])


def test_r5_5_spring_bank_holiday_2022_was_moved_so_30_may_2022_is_a_working_day() -> None:
    assert CAL.is_working_day(date(2022, 5, 30))


# -- R5.4 one-off and moved days -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "event"),
    [
        (date(2002, 6, 3), "Golden Jubilee"),
        (date(2002, 6, 4), "Spring bank holiday moved from 27 May"),
        (date(2011, 4, 29), "Royal Wedding"),
        (date(2012, 6, 4), "Spring bank holiday moved from 28 May"),
        (date(2012, 6, 5), "Diamond Jubilee"),
        (date(2020, 5, 8), "Early May bank holiday moved (VE Day 75)"),
        (date(2022, 6, 2), "Spring bank holiday moved from 30 May"),
        (date(2022, 6, 3), "Platinum Jubilee"),
        (date(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
        (date(2023, 5, 8), "Coronation of King Charles III"),
    ],
    ids=lambda value: str(value),
)
def test_r5_4_proclaimed_days_are_not_working_days(day: date, event: str) -> None:
    assert not CAL.is_working_day(day), event


@pytest.mark.parametrize(
    "day",
    [date(2002, 5, 27), date(2012, 5, 28), date(2020, 5, 4), date(2022, 5, 30)],
    ids=str,
)
def test_r5_4_days_a_bank_holiday_was_moved_from_are_working_days(day: date) -> None:
    assert CAL.is_working_day(day)


def test_r5_4_scotland_only_15_june_2026_is_a_working_day_in_england() -> None:
    assert CAL.is_working_day(date(2026, 6, 15))


def test_r1_2_christmas_boxing_day_and_good_friday_are_never_working_days() -> None:
    good_fridays = {
        2006: date(2006, 4, 14),
        2019: date(2019, 4, 19),
        2024: date(2024, 3, 29),
        2025: date(2025, 4, 18),
        2040: date(2040, 3, 30),
    }
    for year in range(CAL.first_covered, CAL.last_covered + 1):
        assert not CAL.is_working_day(date(year, 12, 25))
        assert not CAL.is_working_day(date(year, 12, 26))
    for good_friday in good_fridays.values():
        assert not CAL.is_working_day(good_friday)


def test_r5_7a_easter_monday_and_summer_bank_holiday_2025_are_included() -> None:
    # Without subdiv="ENG" the holidays package omits these two (R5.7a).
    assert not CAL.is_working_day(date(2025, 4, 21))
    assert not CAL.is_working_day(date(2025, 8, 25))


# -- R5.10 / R5.15 ----------------------------------------------------------------------------------------------


def test_r5_15_worked_example_stage1_due_13_june_2022() -> None:
    # Day 0 Thu 26 May; 27 May (1), 30 May (2), 31 May (3), 1 Jun (4), 2-3 Jun bank holidays,
    # 6-10 Jun (5-9), Mon 13 Jun (10).
    assert CAL.add_working_days(date(2022, 5, 26), 10) == date(2022, 6, 13)


def test_r5_15_worked_example_extended_due_27_june_2022() -> None:
    # Continuing from 13 Jun (10): 14-17 Jun (11-14), 20-24 Jun (15-19), Mon 27 Jun (20).
    assert CAL.add_working_days(date(2022, 5, 26), 20) == date(2022, 6, 27)


def test_r5_15_rule_only_calendar_gets_it_wrong_by_a_day() -> None:
    # A calendar that applies "last Monday in May" instead of the 2022 proclamation.
    rule_only = WorkingDayCalendar(
        non_working_dates=(CAL.non_working_dates - {date(2022, 6, 2), date(2022, 6, 3)}) | {date(2022, 5, 30)},
        first_covered=2022,
        last_covered=2022,
    )
    assert rule_only.add_working_days(date(2022, 5, 26), 10) == date(2022, 6, 10)


def test_r5_10_day_zero_is_not_counted_and_n_zero_returns_day_zero() -> None:
    assert CAL.add_working_days(date(2025, 1, 6), 1) == date(2025, 1, 7)
    assert CAL.add_working_days(date(2025, 1, 6), 0) == date(2025, 1, 6)
    assert CAL.add_working_days(date(2025, 1, 4), 0) == date(2025, 1, 4)


def test_r5_10_working_days_between_counts_after_start_up_to_and_including_end() -> None:
    assert CAL.working_days_between(date(2022, 5, 26), date(2022, 6, 13)) == 10
    assert CAL.working_days_between(date(2022, 5, 26), date(2022, 5, 26)) == 0
    assert CAL.working_days_between(date(2022, 6, 13), date(2022, 5, 26)) == 0
    # A weekend end date counts the same as the Friday before it.
    assert CAL.working_days_between(date(2025, 1, 6), date(2025, 1, 11)) == 4


def test_next_working_day_and_working_day_on_or_after() -> None:
    assert CAL.next_working_day(date(2022, 6, 1)) == date(2022, 6, 6)
    assert CAL.next_working_day(date(2025, 1, 6)) == date(2025, 1, 7)
    assert CAL.working_day_on_or_after(date(2025, 1, 6)) == date(2025, 1, 6)
    assert CAL.working_day_on_or_after(date(2025, 1, 4)) == date(2025, 1, 6)


@pytest.mark.parametrize(
    ("bst_sunday", "monday_after"),
    [
        (date(2024, 3, 31), date(2024, 4, 2)),  # also Easter Sunday: Monday 1 April is Easter Monday
        (date(2024, 10, 27), date(2024, 10, 28)),
        (date(2025, 3, 30), date(2025, 3, 31)),
        (date(2025, 10, 26), date(2025, 10, 27)),
    ],
    ids=str,
)
def test_r5_12_bst_changeovers_are_ordinary_calendar_dates(bst_sunday: date, monday_after: date) -> None:
    # Counting works on Europe/London local dates, so the changeover shifts nothing.
    assert not CAL.is_working_day(bst_sunday)
    assert CAL.next_working_day(bst_sunday) == monday_after
    assert CAL.working_days_between(bst_sunday - timedelta(days=1), monday_after) == 1


def test_r5_12_timestamps_are_rejected_rather_than_truncated() -> None:
    with pytest.raises(TypeError, match="Europe/London"):
        CAL.is_working_day(datetime(2025, 3, 30, 23, 30, tzinfo=UTC))
    with pytest.raises(TypeError):
        CAL.add_working_days("2025-03-30", 1)  # type: ignore[arg-type]


# -- R5.11 receipt rules -----------------------------------------------------------------------------------------


def test_r5_11_saturday_receipt_actual_date_behaves_like_friday() -> None:
    saturday = date(2025, 1, 4)
    day0 = day_zero(saturday, calendar=CAL)
    assert day0 == saturday
    assert CAL.add_working_days(day0, 1) == date(2025, 1, 6)
    assert CAL.add_working_days(day0, 10) == date(2025, 1, 17)
    assert CAL.add_working_days(day0, 10) == CAL.add_working_days(date(2025, 1, 3), 10)


def test_r5_11_saturday_receipt_deemed_next_working_day() -> None:
    day0 = day_zero(date(2025, 1, 4), calendar=CAL, rule=ReceiptRule.NEXT_WORKING_DAY)
    assert day0 == date(2025, 1, 6)
    assert CAL.add_working_days(day0, 1) == date(2025, 1, 7)
    assert CAL.add_working_days(day0, 10) == date(2025, 1, 20)


def test_r5_11_good_friday_receipt_deemed_received_after_easter_monday() -> None:
    assert day_zero(date(2025, 4, 18), calendar=CAL, rule=ReceiptRule.NEXT_WORKING_DAY) == date(2025, 4, 22)
    assert day_zero(date(2025, 4, 18), calendar=CAL, rule="next_working_day") == date(2025, 4, 22)  # type: ignore[arg-type]


def test_r5_11_rules_agree_for_a_working_day_receipt() -> None:
    for rule in ReceiptRule:
        assert day_zero(date(2025, 1, 7), calendar=CAL, rule=rule) == date(2025, 1, 7)


def test_day_zero_checks_the_range_under_either_rule() -> None:
    for rule in ReceiptRule:
        with pytest.raises(CalendarRangeError):
            day_zero(date(1999, 12, 31), calendar=CAL, rule=rule)


# -- range ------------------------------------------------------------------------------------------------------


def test_covered_range() -> None:
    assert (CAL.first_covered, CAL.last_covered) == (2000, 2040)
    assert CAL.first_day == date(2000, 1, 1)
    assert CAL.last_day == date(2040, 12, 31)
    assert CAL.covers(date(2040, 12, 31))
    assert not CAL.covers(date(2041, 1, 1))


@pytest.mark.parametrize("outside", [date(1999, 12, 31), date(2041, 1, 1)], ids=str)
def test_dates_outside_the_range_raise_rather_than_guess(outside: date) -> None:
    with pytest.raises(CalendarRangeError, match="2000-2040"):
        CAL.is_working_day(outside)
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days(outside, 5)
    with pytest.raises(CalendarRangeError):
        CAL.working_days_between(date(2020, 1, 1), outside)
    with pytest.raises(CalendarRangeError):
        CAL.non_working_weekdays(outside.year)


def test_results_beyond_the_range_raise() -> None:
    with pytest.raises(CalendarRangeError, match="beyond 2040-12-31"):
        CAL.add_working_days(date(2040, 12, 20), 20)
    assert CAL.add_working_days(date(2040, 12, 20), 5) == date(2040, 12, 31)


def test_negative_counts_are_rejected() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        CAL.add_working_days(date(2025, 1, 6), -1)


def test_calendar_needs_a_sensible_range() -> None:
    with pytest.raises(ValueError, match="must not be after"):
        WorkingDayCalendar(non_working_dates=frozenset(), first_covered=2030, last_covered=2020)


def test_weekend_dates_in_the_holiday_set_are_harmless() -> None:
    # The holidays package lists e.g. Sunday 25 December 2022 as well as its substitute (R5.7a).
    assert date(2022, 12, 25) in CAL.non_working_dates
    assert date(2022, 12, 25) not in CAL.non_working_weekdays(2022)


# -- overrides (R5.6 layer 3) ------------------------------------------------------------------------------------

NEW_PROCLAMATION = CalendarOverride(
    on=date(2026, 6, 8), kind=OverrideKind.ADD, reason="Hypothetical proclamation for testing"
)


def test_adding_a_proclaimed_day_moves_a_due_date() -> None:
    # Received Mon 1 Jun 2026: 2-5 Jun (1-4), 8-12 Jun (5-9), Mon 15 Jun (10).
    assert CAL.add_working_days(date(2026, 6, 1), 10) == date(2026, 6, 15)
    proclaimed = england_and_wales_calendar([NEW_PROCLAMATION])
    assert not proclaimed.is_working_day(date(2026, 6, 8))
    assert proclaimed.add_working_days(date(2026, 6, 1), 10) == date(2026, 6, 16)
    assert proclaimed.overrides == (NEW_PROCLAMATION,)
    # The base calendar is untouched.
    assert CAL.is_working_day(date(2026, 6, 8))


def test_removing_a_cancelled_day_moves_a_due_date_back() -> None:
    cancelled = CalendarOverride(on=date(2022, 6, 3), kind=OverrideKind.REMOVE, reason="Testing a cancellation")
    calendar = england_and_wales_calendar([cancelled])
    assert calendar.is_working_day(date(2022, 6, 3))
    assert calendar.add_working_days(date(2022, 5, 26), 10) == date(2022, 6, 10)


def test_adding_a_day_that_is_already_a_holiday_is_accepted_and_changes_nothing() -> None:
    already = CalendarOverride(on=date(2023, 5, 8), kind=OverrideKind.ADD, reason="Coronation, recorded early")
    calendar = england_and_wales_calendar([already])
    assert calendar.non_working_dates == CAL.non_working_dates


def test_override_kind_may_be_given_as_its_string_value() -> None:
    override = CalendarOverride(on=date(2026, 6, 8), kind="add", reason="From a form")  # type: ignore[arg-type]
    assert override.kind is OverrideKind.ADD


def test_calendars_with_the_same_overrides_are_cached_whatever_the_order() -> None:
    other = CalendarOverride(on=date(2026, 6, 9), kind=OverrideKind.ADD, reason="Second hypothetical day")
    assert england_and_wales_calendar([NEW_PROCLAMATION, other]) is england_and_wales_calendar(
        [other, NEW_PROCLAMATION]
    )
    assert england_and_wales_calendar() is CAL


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (CalendarOverride(date(2022, 6, 4), OverrideKind.REMOVE, "Saturday"), "weekends are never working days"),
        (CalendarOverride(date(2022, 5, 30), OverrideKind.REMOVE, "Not a holiday"), "not a bank holiday"),
        (CalendarOverride(date(2024, 12, 25), OverrideKind.REMOVE, "Christmas"), "Regulations themselves"),
        (CalendarOverride(date(2024, 3, 29), OverrideKind.REMOVE, "Good Friday"), "Regulations themselves"),
    ],
    ids=["weekend", "not-a-holiday", "christmas-day", "good-friday"],
)
def test_invalid_removals_are_rejected(override: CalendarOverride, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        england_and_wales_calendar([override])


def test_a_substitute_day_may_be_removed_but_christmas_day_may_not() -> None:
    # 27 December 2022 is a substitute bank holiday (proclaimed), unlike Christmas Day itself.
    substitute = CalendarOverride(date(2022, 12, 27), OverrideKind.REMOVE, "Testing a substitute")
    assert england_and_wales_calendar([substitute]).is_working_day(date(2022, 12, 27))


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_needs_a_reason(reason: str) -> None:
    with pytest.raises(ValueError, match="needs a reason"):
        CalendarOverride(on=date(2026, 6, 8), kind=OverrideKind.ADD, reason=reason)


def test_adding_and_removing_the_same_day_is_rejected() -> None:
    with pytest.raises(ValueError, match="both add and remove"):
        england_and_wales_calendar(
            [
                CalendarOverride(date(2022, 6, 3), OverrideKind.ADD, "one"),
                CalendarOverride(date(2022, 6, 3), OverrideKind.REMOVE, "other"),
            ]
        )


def test_overrides_outside_the_range_are_rejected() -> None:
    with pytest.raises(CalendarRangeError):
        england_and_wales_calendar([CalendarOverride(date(2045, 1, 2), OverrideKind.ADD, "Too far ahead")])


def test_override_dates_must_be_dates() -> None:
    with pytest.raises(TypeError):
        CalendarOverride(on=datetime(2026, 6, 8, tzinfo=UTC), kind=OverrideKind.ADD, reason="Timestamp")


# -- properties -------------------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(day0=covered_dates, n=st.integers(min_value=1, max_value=260))
def test_property_add_working_days_lands_on_a_working_day(day0: date, n: int) -> None:
    assert CAL.is_working_day(CAL.add_working_days(day0, n))


@PROPERTY_SETTINGS
@given(day0=covered_dates, n=working_day_counts)
def test_property_working_days_between_inverts_add_working_days(day0: date, n: int) -> None:
    assert CAL.working_days_between(day0, CAL.add_working_days(day0, n)) == n


@PROPERTY_SETTINGS
@given(first=covered_dates, second=covered_dates, n=working_day_counts)
def test_property_later_receipt_never_gives_an_earlier_due_date(first: date, second: date, n: int) -> None:
    earlier, later = sorted((first, second))
    assert CAL.add_working_days(earlier, n) <= CAL.add_working_days(later, n)
    for rule in ReceiptRule:
        assert CAL.add_working_days(day_zero(earlier, calendar=CAL, rule=rule), n) <= CAL.add_working_days(
            day_zero(later, calendar=CAL, rule=rule), n
        )


@PROPERTY_SETTINGS
@given(day0=covered_dates, n=working_day_counts)
def test_property_more_working_days_means_a_strictly_later_date(day0: date, n: int) -> None:
    assert CAL.add_working_days(day0, n + 1) > CAL.add_working_days(day0, n)


@PROPERTY_SETTINGS
@given(a=covered_dates, b=covered_dates, c=covered_dates)
def test_property_working_days_between_is_additive(a: date, b: date, c: date) -> None:
    a, b, c = sorted((a, b, c))
    assert CAL.working_days_between(a, b) + CAL.working_days_between(b, c) == CAL.working_days_between(a, c)


@PROPERTY_SETTINGS
@given(day0=covered_dates, n=st.integers(min_value=0, max_value=70))
def test_property_fast_index_matches_the_day_by_day_reference(day0: date, n: int) -> None:
    assert CAL.is_working_day(day0) == reference_is_working_day(day0)
    assert CAL.add_working_days(day0, n) == reference_add_working_days(day0, n)


def test_every_covered_day_matches_the_reference_predicate() -> None:
    day = CAL.first_day
    while day <= CAL.last_day:
        assert CAL.is_working_day(day) == reference_is_working_day(day), day
        day += timedelta(days=1)
