"""Tests that the vectorised functions give exactly the scalar answers (R5.10, R5.11)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencomplaints.deadlines import (
    CHILDREN_STATUTORY,
    CalendarOverride,
    CalendarRangeError,
    OverrideKind,
    ReceiptRule,
    as_date_array,
    bulk_add_working_days,
    bulk_day_zero,
    bulk_timescale_due_dates,
    bulk_working_days_between,
    day_zero,
    england_and_wales_calendar,
    stage_due_dates,
)

from .support import PROPERTY_SETTINGS, covered_dates

CAL = england_and_wales_calendar()
RNG_SEED = 20250526


def sample_dates() -> list[date]:
    """Thousands of dates: random ones, every non-working weekday, and a run of weekends."""
    rng = np.random.default_rng(RNG_SEED)
    first = date(2000, 1, 1).toordinal()
    last = date(2039, 6, 30).toordinal()
    randoms = [date.fromordinal(int(o)) for o in rng.integers(first, last, size=4000)]
    holidays = sorted(d for d in CAL.non_working_dates if date(2000, 1, 1) <= d <= date(2039, 6, 30))
    weekends = [date(2024, 1, 6) + timedelta(days=7 * k + j) for k in range(200) for j in (0, 1)]
    return randoms + holidays + weekends


SAMPLE = sample_dates()


def scalar(values: np.ndarray) -> list[date]:
    return [date.fromisoformat(str(v)) for v in values]


def test_sample_covers_the_awkward_days() -> None:
    assert len(SAMPLE) > 4500
    assert sum(1 for d in SAMPLE if not CAL.is_working_day(d)) > 1500


@pytest.mark.parametrize("n", [0, 1, 5, 10, 20, 25, 30, 65])
def test_bulk_add_working_days_equals_scalar_for_every_sample_date(n: int) -> None:
    result = bulk_add_working_days(SAMPLE, n, calendar=CAL)
    assert result.dtype == np.dtype("datetime64[D]")
    assert scalar(result) == [CAL.add_working_days(d, n) for d in SAMPLE]


def test_bulk_add_working_days_with_an_array_of_counts() -> None:
    counts = np.random.default_rng(RNG_SEED).integers(0, 70, size=len(SAMPLE))
    result = bulk_add_working_days(as_date_array(SAMPLE), counts, calendar=CAL)
    assert scalar(result) == [CAL.add_working_days(d, int(n)) for d, n in zip(SAMPLE, counts, strict=True)]


def test_bulk_working_days_between_equals_scalar_including_reversed_ranges() -> None:
    rng = np.random.default_rng(RNG_SEED + 1)
    ends = [d + timedelta(days=int(k)) for d, k in zip(SAMPLE, rng.integers(-30, 120, size=len(SAMPLE)), strict=True)]
    result = bulk_working_days_between(SAMPLE, ends, calendar=CAL)
    assert result.dtype == np.int64
    assert result.tolist() == [CAL.working_days_between(s, e) for s, e in zip(SAMPLE, ends, strict=True)]


@pytest.mark.parametrize("rule", list(ReceiptRule))
def test_bulk_day_zero_equals_scalar(rule: ReceiptRule) -> None:
    assert scalar(bulk_day_zero(SAMPLE, calendar=CAL, rule=rule)) == [
        day_zero(d, calendar=CAL, rule=rule) for d in SAMPLE
    ]


@pytest.mark.parametrize("rule", list(ReceiptRule))
def test_bulk_stage1_due_dates_equal_the_engine(rule: ReceiptRule) -> None:
    timescale = CHILDREN_STATUTORY.stage(1).timescale("stage1_response")
    sample = SAMPLE[:1500]
    bulk = bulk_timescale_due_dates(sample, timescale, calendar=CAL, receipt_rule=rule)
    assert bulk.extended_due_on is not None
    expected = [
        stage_due_dates(
            procedure=CHILDREN_STATUTORY, stage=1, anchors={"received": d}, calendar=CAL, receipt_rule=rule
        )[0]
        for d in sample
    ]
    assert scalar(bulk.anchor_on) == [due.anchor_on for due in expected]
    assert scalar(bulk.due_on) == [due.due_on for due in expected]
    assert scalar(bulk.extended_due_on) == [due.extended_due_on for due in expected]


def test_bulk_timescale_without_extension_and_non_receipt_anchor() -> None:
    timescale = CHILDREN_STATUTORY.stage(3).timescale("stage3_panel_report")
    saturday = date(2025, 1, 4)
    bulk = bulk_timescale_due_dates([saturday], timescale, calendar=CAL, receipt_rule=ReceiptRule.NEXT_WORKING_DAY)
    assert bulk.extended_due_on is None
    assert scalar(bulk.anchor_on) == [saturday]
    assert scalar(bulk.due_on) == [CAL.add_working_days(saturday, 5)]


def test_bulk_timescale_needs_working_days() -> None:
    from opencomplaints.deadlines import ADULTS_STATUTORY

    with pytest.raises(ValueError, match="not measured in working days"):
        bulk_timescale_due_dates(
            [date(2025, 1, 6)], ADULTS_STATUTORY.stage(1).timescale("adults_response_period"), calendar=CAL
        )


def test_new_proclamation_moves_every_open_deadline() -> None:
    proclaimed = england_and_wales_calendar([CalendarOverride(date(2026, 6, 8), OverrideKind.ADD, "Hypothetical")])
    received = [date(2026, 5, 26), date(2026, 6, 1), date(2026, 6, 10)]
    before = bulk_add_working_days(received, 10, calendar=CAL)
    after = bulk_add_working_days(received, 10, calendar=proclaimed)
    assert scalar(before) == [date(2026, 6, 9), date(2026, 6, 15), date(2026, 6, 24)]
    assert scalar(after) == [date(2026, 6, 10), date(2026, 6, 16), date(2026, 6, 24)]
    assert scalar(after) == [proclaimed.add_working_days(d, 10) for d in received]


def test_busdaycalendar_is_cached_and_matches_the_weekday_holidays() -> None:
    assert CAL.busdaycalendar is CAL.busdaycalendar
    holidays = CAL.busdaycalendar.holidays
    assert np.datetime64("2022-06-03") in holidays
    assert np.datetime64("2022-12-25") not in holidays  # a Sunday: the weekmask covers it
    assert CAL.busdaycalendar.weekmask.tolist() == [True] * 5 + [False] * 2


def test_unknown_dates_pass_through_date_arithmetic() -> None:
    values = np.array(["2022-05-26", "NaT"], dtype="datetime64[D]")
    result = bulk_add_working_days(values, 10, calendar=CAL)
    assert str(result[0]) == "2022-06-13"
    assert np.isnat(result[1])


def test_unknown_dates_are_rejected_when_counting() -> None:
    values = np.array(["2022-05-26", "NaT"], dtype="datetime64[D]")
    with pytest.raises(ValueError, match="NaT"):
        bulk_working_days_between(values, values, calendar=CAL)


def test_bulk_range_errors() -> None:
    with pytest.raises(CalendarRangeError, match="Day 0 dates"):
        bulk_add_working_days([date(1999, 12, 31)], 1, calendar=CAL)
    with pytest.raises(CalendarRangeError, match="Due dates"):
        bulk_add_working_days([date(2040, 12, 20)], 20, calendar=CAL)
    with pytest.raises(CalendarRangeError, match="End dates"):
        bulk_working_days_between([date(2040, 12, 20)], [date(2041, 1, 2)], calendar=CAL)
    with pytest.raises(CalendarRangeError, match="Receipt dates"):
        bulk_day_zero([date(2041, 1, 2)], calendar=CAL)


def test_bulk_input_errors() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        bulk_add_working_days([date(2025, 1, 6)], -1, calendar=CAL)
    with pytest.raises(TypeError, match=r"R5\.12"):
        as_date_array(np.array(["2025-01-06T23:30"], dtype="datetime64[s]"))
    with pytest.raises(TypeError, match=r"R5\.12"):
        as_date_array([datetime(2025, 1, 6, 23, 30, tzinfo=UTC)])
    with pytest.raises(TypeError):
        as_date_array(["2025-01-06"])  # type: ignore[list-item]


def test_empty_input() -> None:
    assert bulk_add_working_days([], 10, calendar=CAL).size == 0
    assert bulk_working_days_between([], [], calendar=CAL).size == 0


@PROPERTY_SETTINGS
@given(
    pairs=st.lists(st.tuples(covered_dates, st.integers(min_value=0, max_value=260)), min_size=1, max_size=50),
    rule=st.sampled_from(list(ReceiptRule)),
)
def test_property_bulk_equals_scalar(pairs: list[tuple[date, int]], rule: ReceiptRule) -> None:
    dates = [d for d, _ in pairs]
    counts = np.array([n for _, n in pairs], dtype=np.int64)
    day0s = bulk_day_zero(dates, calendar=CAL, rule=rule)
    result = bulk_add_working_days(day0s, counts, calendar=CAL)
    expected = [CAL.add_working_days(day_zero(d, calendar=CAL, rule=rule), n) for d, n in pairs]
    assert scalar(result) == expected
    assert bulk_working_days_between(day0s, result, calendar=CAL).tolist() == [n for _, n in pairs]
