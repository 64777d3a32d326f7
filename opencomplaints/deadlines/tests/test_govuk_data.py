"""Tests of the committed GOV.UK bank-holiday data and its cross-check with the calendar (R5.5, R5.6)."""

from __future__ import annotations

import json
import warnings
from datetime import date
from importlib import resources

import pytest

from opencomplaints.deadlines import (
    CalendarOverride,
    GovukBankHoliday,
    GovukBankHolidays,
    OverrideKind,
    StaleBankHolidayDataWarning,
    YearDiscrepancy,
    calendar_discrepancies,
    coverage_shortfall,
    england_and_wales_calendar,
    load_govuk_bank_holidays,
    stale_data_message,
    warn_if_stale,
)
from opencomplaints.deadlines.govuk_data import DATA_FILE, parse_govuk_bank_holidays

CAL = england_and_wales_calendar()
DATA = load_govuk_bank_holidays()


def raw_file() -> dict[str, object]:
    text = resources.files("opencomplaints.deadlines").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    loaded = json.loads(text)
    assert isinstance(loaded, dict)
    return loaded


def test_file_keeps_the_govuk_structure_with_a_source_note() -> None:
    raw = raw_file()
    assert set(raw) == {"source", "division", "events"}
    assert raw["division"] == "england-and-wales"
    assert isinstance(raw["source"], str)
    assert "gov.uk/bank-holidays.json" in raw["source"]
    assert "govuk-bank-holidays" in raw["source"]
    events = raw["events"]
    assert isinstance(events, list)
    for event in events:
        assert set(event) == {"title", "date", "notes", "bunting"}


def test_loaded_data() -> None:
    assert DATA.division == "england-and-wales"
    assert DATA.events == tuple(sorted(DATA.events, key=lambda event: event.on))
    assert DATA.years_fully_covered() == tuple(range(2012, 2029))
    assert DATA.covered_until == date(2028, 12, 31)
    assert load_govuk_bank_holidays() is DATA


def test_govuk_lists_christmas_day_and_good_friday_as_events() -> None:
    # So its dates are directly comparable with the calendar's non-working weekdays: nothing to add.
    for year in DATA.years_fully_covered():
        titles = {event.title for event in DATA.events if event.on.year == year}
        assert {"Christmas Day", "Boxing Day", "Good Friday"} <= titles, year


def test_govuk_lists_substitute_days_not_weekend_dates() -> None:
    assert all(event.on.weekday() < 5 for event in DATA.events)
    substitute = {event.on for event in DATA.events if event.notes == "Substitute day"}
    assert {date(2022, 12, 27), date(2026, 12, 28)} <= substitute


def test_r5_5_fixture_days_are_in_the_govuk_data() -> None:
    for day in (date(2020, 5, 8), date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)):
        assert day in DATA.dates()
    assert date(2022, 5, 30) not in DATA.dates()


@pytest.mark.parametrize("year", DATA.years_fully_covered())
def test_r5_6_govuk_and_holidays_package_agree_exactly(year: int) -> None:
    assert DATA.dates_in_year(year) == frozenset(CAL.non_working_weekdays(year))


def test_r5_6_calendar_discrepancies_is_empty_for_the_statutory_calendar() -> None:
    assert calendar_discrepancies(CAL) == ()
    assert calendar_discrepancies(CAL, DATA) == ()


def test_r5_6_calendar_discrepancies_reports_overrides_and_missing_days() -> None:
    added = CalendarOverride(date(2026, 6, 8), OverrideKind.ADD, "Hypothetical proclamation")
    removed = CalendarOverride(date(2023, 5, 8), OverrideKind.REMOVE, "Hypothetical cancellation")
    calendar = england_and_wales_calendar([added, removed])
    assert calendar_discrepancies(calendar) == (
        YearDiscrepancy(year=2023, only_in_govuk=(date(2023, 5, 8),), only_in_calendar=()),
        YearDiscrepancy(year=2026, only_in_govuk=(), only_in_calendar=(date(2026, 6, 8),)),
    )


# -- freshness -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 11, 22), None),
        (date(2027, 12, 31), None),
        (date(2028, 1, 1), date(2029, 1, 1)),
        (date(2028, 6, 30), date(2029, 6, 30)),
    ],
    ids=str,
)
def test_coverage_shortfall_is_a_pure_function_of_its_dates(as_of: date, expected: date | None) -> None:
    assert coverage_shortfall(covered_until=date(2028, 12, 31), as_of=as_of) == expected


def test_coverage_shortfall_honours_the_months_ahead() -> None:
    assert coverage_shortfall(covered_until=date(2028, 12, 31), as_of=date(2028, 6, 30), months_ahead=6) is None
    assert coverage_shortfall(covered_until=date(2028, 12, 31), as_of=date(2028, 7, 1), months_ahead=6) == date(
        2029, 1, 1
    )


def test_stale_data_message_and_warning_with_injected_dates() -> None:
    assert stale_data_message(as_of=date(2027, 12, 31)) is None
    message = stale_data_message(as_of=date(2028, 3, 1))
    assert message is not None
    assert "31 December 2028" in message
    assert "1 March 2029" in message
    with pytest.warns(StaleBankHolidayDataWarning, match="Refresh it"):
        assert warn_if_stale(as_of=date(2028, 3, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not warn_if_stale(as_of=date(2027, 1, 1))


def test_stale_data_uses_injected_data() -> None:
    old = GovukBankHolidays(
        division="england-and-wales",
        source="test",
        events=(
            GovukBankHoliday("New Year\N{RIGHT SINGLE QUOTATION MARK}s Day", date(2020, 1, 1), "", True),
            GovukBankHoliday("Christmas Day", date(2020, 12, 25), "", True),
        ),
    )
    assert old.covered_until == date(2020, 12, 31)
    assert stale_data_message(as_of=date(2020, 6, 1), data=old) is not None


def test_committed_data_is_fresh_enough_today() -> None:
    # This test reads the clock on purpose (the engine never does): deadlines run up to a year ahead, so data that
    # does not reach a year past today gives wrong due dates, and the build fails naming the date the data runs out.
    today = date.today()  # noqa: DTZ011 - the real date is the point of this check
    message = stale_data_message(as_of=today)
    assert message is None, f"The bank-holiday data runs out on {DATA.covered_until:%d %B %Y}: {message}"


# -- parsing -------------------------------------------------------------------------------------------------------


def good_event() -> dict[str, object]:
    return {"title": "Boxing Day", "date": "2025-12-26", "notes": "", "bunting": True}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"division": "scotland", "events": [good_event()]}, "england-and-wales"),
        ({"division": "england-and-wales"}, "no 'events'"),
        ({"division": "england-and-wales", "events": []}, "no 'events'"),
        ({"division": "england-and-wales", "events": ["x"]}, "not an object"),
        ({"division": "england-and-wales", "events": [{**good_event(), "date": "26/12/2025"}]}, "invalid date"),
        ({"division": "england-and-wales", "events": [{**good_event(), "title": None}]}, "string"),
        ({"division": "england-and-wales", "events": [{**good_event(), "bunting": "yes"}]}, "bunting"),
    ],
)
def test_parse_rejects_malformed_data(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_govuk_bank_holidays(raw)


def test_incomplete_years_are_not_treated_as_covered() -> None:
    partial = parse_govuk_bank_holidays({"division": "england-and-wales", "events": [good_event()]})
    assert partial.years_fully_covered() == ()
    with pytest.raises(ValueError, match="complete year"):
        _ = partial.covered_until
