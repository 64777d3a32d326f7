"""Calendar-period arithmetic: time limits and response periods measured in months, not working days (R5.14).

The 1-year limit for children's representations (R1.12), the 12-month adult limit (R2.4) and the 6-month adult
response period (R2.6) are calendar periods. Month ends follow one documented rule [CONFIG, R5.14]: when the
corresponding day does not exist in the target month (31 January + 1 month, 29 February + 1 year), the period
uses the last day of the shorter month.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

__all__ = [
    "add_calendar_months",
    "is_within_time_limit",
    "period_beginning_end",
    "time_limit_last_day",
]


def add_calendar_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` calendar months (``n`` may be negative).

    The day of the month is kept where it exists; otherwise the result is the last day of the target month
    (31 January 2025 + 1 month = 28 February 2025; 29 February 2024 + 12 months = 28 February 2025), R5.14.
    """
    # relativedelta clips to the end of a shorter month, which is exactly the R5.14 rule.
    result: date = d + relativedelta(months=n)
    return result


def time_limit_last_day(grounds_arose_on: date, months: int = 12) -> date:
    """The last day on which representations are in time, for a limit of ``months`` "after" the grounds arose.

    "Within one year after X" makes the same date a year later the last valid day (R1.12, R2.4, R5.14), so
    grounds arising on 3 March 2024 give 3 March 2025; 29 February 2024 gives 28 February 2025.
    """
    if months < 1:
        raise ValueError(f"A time limit must be at least one month, not {months}.")
    return add_calendar_months(grounds_arose_on, months)


def is_within_time_limit(*, grounds_arose_on: date, received_on: date, months: int = 12) -> bool:
    """The ``in_time`` flag of R1.12 / R2.4: whether ``received_on`` is in time.

    In time means within ``months`` after the grounds arose (see :func:`time_limit_last_day`).

    ``False`` never means the complaint is refused: the council may still consider it under its discretion
    (R1.12 tests (a) and (b)); the flag only prompts that decision.
    """
    if received_on < grounds_arose_on:
        raise ValueError(
            f"The date received ({received_on.isoformat()}) is before the date the grounds arose "
            f"({grounds_arose_on.isoformat()}); check both dates."
        )
    return received_on <= time_limit_last_day(grounds_arose_on, months)


def period_beginning_end(start_on: date, months: int) -> date:
    """The last day of a period of ``months`` months *beginning on* ``start_on`` (R2.6, R5.14).

    Such a period includes its first day, so it ends the day before the corresponding date: 6 months beginning
    on 15 January 2025 ends on 14 July 2025. Where the corresponding date does not exist (6 months beginning
    on 31 August 2024: there is no 31 February) the period ends on the last day of the shorter month (28
    February 2025), the same month-end rule as :func:`add_calendar_months`.
    """
    if months < 1:
        raise ValueError(f"A period must be at least one month, not {months}.")
    corresponding = add_calendar_months(start_on, months)
    if corresponding.day != start_on.day:
        # Clipped to a month end: there is no corresponding date, so the whole of the shorter month is
        # included.
        return corresponding
    return corresponding - timedelta(days=1)
