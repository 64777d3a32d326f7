"""Vectorised working-day arithmetic for recomputing many deadlines at once.

When a new bank holiday is proclaimed (R5.4, R5.6 layer 3) every open case's deadlines must move; these
functions do that for arrays of dates with :func:`numpy.busday_offset` and :func:`numpy.busday_count`, giving
exactly the same answers as the scalar methods of
:class:`~opencomplaints.deadlines.calendar.WorkingDayCalendar` (R5.10, R5.11).

Dates are ``numpy.datetime64[D]`` arrays; ``NaT`` (an unknown date) passes through date arithmetic as ``NaT``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import numpy.typing as npt

from .calendar import CalendarRangeError, ReceiptRule, WorkingDayCalendar
from .procedures import Timescale, is_receipt_anchor

__all__ = [
    "BulkDueDates",
    "DateArray",
    "as_date_array",
    "bulk_add_working_days",
    "bulk_day_zero",
    "bulk_timescale_due_dates",
    "bulk_working_days_between",
]

type DateArray = npt.NDArray[np.datetime64]
type DateInput = DateArray | Sequence[date]
type IntInput = int | npt.NDArray[np.integer] | Sequence[int]

_DAY = np.timedelta64(1, "D")


def as_date_array(values: DateInput) -> DateArray:
    """``values`` as a ``datetime64[D]`` array.

    Arrays with a finer unit (hours, seconds...) are rejected rather than truncated, because a timestamp must
    first become a Europe/London local date (R5.12); the same goes for :class:`datetime.datetime` objects.
    """
    if isinstance(values, np.ndarray):
        if values.dtype == np.dtype("datetime64[D]"):
            return values
        raise TypeError(
            f"Expected a datetime64[D] array, not {values.dtype}; convert timestamps to Europe/London local "
            "dates first (R5.12)."
        )
    items = list(values)
    for item in items:
        if isinstance(item, datetime) or not isinstance(item, date):
            raise TypeError(
                f"Expected datetime.date values, not {type(item).__name__}; convert timestamps to "
                "Europe/London local dates first (R5.12)."
            )
    return np.array(items, dtype="datetime64[D]")


def _as_int_array(values: IntInput) -> npt.NDArray[np.int64]:
    array = np.asarray(values, dtype=np.int64)
    if array.size and int(array.min()) < 0:
        raise ValueError("Working-day counts must be zero or more.")
    return array


def _check_range(dates: DateArray, calendar: WorkingDayCalendar, what: str) -> None:
    known = dates[~np.isnat(dates)]
    if not known.size:
        return
    first, last = np.datetime64(calendar.first_day, "D"), np.datetime64(calendar.last_day, "D")
    lowest, highest = known.min(), known.max()
    if lowest < first or highest > last:
        outside = lowest if lowest < first else highest
        raise CalendarRangeError(
            f"{what} include {outside}, outside the years this calendar covers "
            f"({calendar.first_covered}-{calendar.last_covered})."
        )


def bulk_add_working_days(day0s: DateInput, working_days: IntInput, *, calendar: WorkingDayCalendar) -> DateArray:
    """Vectorised :meth:`~opencomplaints.deadlines.calendar.WorkingDayCalendar.add_working_days` (R5.10).

    ``working_days`` is one count for every date or an array of counts (broadcast against ``day0s``).
    Raises :class:`CalendarRangeError` if any input or answer falls outside the calendar.
    """
    starts = as_date_array(day0s)
    counts = _as_int_array(working_days)
    _check_range(starts, calendar, "Day 0 dates")
    # Day 0 may be a non-working day (R5.11 option A). Rolling it back to the previous working day does not
    # change the n-th working day after it for n >= 1, because no working day lies between the two; n == 0
    # keeps day 0.
    moved = np.busday_offset(starts, counts, roll="backward", busdaycal=calendar.busdaycalendar)
    result: DateArray = np.where(counts == 0, starts, moved)
    _check_range(result, calendar, "Due dates")
    return result


def bulk_working_days_between(
    starts: DateInput, ends: DateInput, *, calendar: WorkingDayCalendar
) -> npt.NDArray[np.int64]:
    """Vectorised :meth:`~opencomplaints.deadlines.calendar.WorkingDayCalendar.working_days_between`.

    Counts working days ``d`` with ``start < d <= end`` (0 when ``end <= start``). Unknown dates (``NaT``) are
    rejected: filter open cases out first.
    """
    begin = as_date_array(starts)
    finish = as_date_array(ends)
    if np.isnat(begin).any() or np.isnat(finish).any():
        raise ValueError("Cannot count working days to or from an unknown date (NaT); filter those rows out first.")
    _check_range(begin, calendar, "Start dates")
    _check_range(finish, calendar, "End dates")
    # numpy counts the half-open range [begin, end); shifting both by a day gives (start, end].
    counts = np.busday_count(begin + _DAY, finish + _DAY, busdaycal=calendar.busdaycalendar)
    result: npt.NDArray[np.int64] = np.where(finish > begin, counts, 0).astype(np.int64)
    return result


def bulk_day_zero(
    received: DateInput, *, calendar: WorkingDayCalendar, rule: ReceiptRule = ReceiptRule.ACTUAL_DATE
) -> DateArray:
    """Vectorised :func:`~opencomplaints.deadlines.calendar.day_zero` (R5.11)."""
    dates = as_date_array(received)
    _check_range(dates, calendar, "Receipt dates")
    if ReceiptRule(rule) is ReceiptRule.ACTUAL_DATE:
        return dates
    result: DateArray = np.busday_offset(dates, 0, roll="forward", busdaycal=calendar.busdaycalendar)
    _check_range(result, calendar, "Deemed receipt dates")
    return result


@dataclass(frozen=True, eq=False)
class BulkDueDates:
    """Due dates for many cases of one timescale; ``extended_due_on`` is ``None`` if it has no extension."""

    timescale: Timescale
    anchor_on: DateArray
    due_on: DateArray
    extended_due_on: DateArray | None


def bulk_timescale_due_dates(
    anchor_dates: DateInput,
    timescale: Timescale,
    *,
    calendar: WorkingDayCalendar,
    receipt_rule: ReceiptRule = ReceiptRule.ACTUAL_DATE,
) -> BulkDueDates:
    """Standard and extended due dates of a working-day ``timescale`` for many anchor dates (R5.13).

    The vectorised counterpart of one entry of
    :func:`~opencomplaints.deadlines.engine.stage_due_dates`, without agreed dates or holds.
    """
    if timescale.working_days is None:
        raise ValueError(f"{timescale.label} is not measured in working days, so it cannot be computed in bulk.")
    anchors = as_date_array(anchor_dates)
    if is_receipt_anchor(timescale.anchor):
        anchors = bulk_day_zero(anchors, calendar=calendar, rule=receipt_rule)
    due = bulk_add_working_days(anchors, timescale.working_days, calendar=calendar)
    extended = (
        None
        if timescale.extended_working_days is None
        else bulk_add_working_days(anchors, timescale.extended_working_days, calendar=calendar)
    )
    return BulkDueDates(timescale=timescale, anchor_on=anchors, due_on=due, extended_due_on=extended)
