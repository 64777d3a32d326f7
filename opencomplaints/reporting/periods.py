"""Reporting periods: reporting years, quarters and any other span of days (R1.41, interchange §2).

Plain Python, no clock. Every period is half-open, ``[start, end_exclusive)``, so consecutive periods neither
overlap nor leave a gap; the inclusive last day is offered for display and for the JSON core's ``period.end``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "QUARTERS",
    "Period",
    "custom_period",
    "quarter_of",
    "reporting_quarter",
    "reporting_year",
    "reporting_year_label",
    "reporting_year_of",
    "trend_years",
]

#: Quarters of the reporting year (interchange §2): Q1 April to June, Q2 July to September, Q3 October to December,
#: Q4 January to March.
QUARTERS: tuple[str, ...] = ("Q1", "Q2", "Q3", "Q4")

_ONE_DAY = timedelta(days=1)
_QUARTER_START_MONTHS = {"Q1": 4, "Q2": 7, "Q3": 10, "Q4": 1}


def reporting_year_of(day: date) -> int:
    """The reporting year ``day`` falls in, named by the year it starts: 31 March 2024 is in 2023 (2023/24)."""
    return day.year if day.month >= 4 else day.year - 1


def reporting_year_label(year: int) -> str:
    """``2023`` → ``"2023/24"``, the way councils write reporting years."""
    return f"{year}/{(year + 1) % 100:02d}"


def quarter_of(day: date) -> str:
    """The reporting-year quarter of ``day``: ``"Q1"`` for April to June … ``"Q4"`` for January to March."""
    return QUARTERS[((day.month - 4) % 12) // 3]


@dataclass(frozen=True)
class Period:
    """A span of days ``[start, end_exclusive)`` with a label such as ``"2023/24"``."""

    start: date
    end_exclusive: date
    label: str

    def __post_init__(self) -> None:
        if self.end_exclusive <= self.start:
            raise ValueError(
                f"A reporting period must end after it starts: {self.start.isoformat()} to {self.end.isoformat()}."
            )

    @property
    def end(self) -> date:
        """The last day of the period (inclusive), as reports and the JSON core write it."""
        return self.end_exclusive - _ONE_DAY

    @property
    def is_reporting_year(self) -> bool:
        """Whether the period is exactly one reporting year (1 April to 31 March)."""
        return self.start.month == 4 and self.start.day == 1 and self.end_exclusive == date(self.start.year + 1, 4, 1)

    @property
    def reporting_year(self) -> int:
        """The reporting year the period ends in (the year trend tables end with)."""
        return reporting_year_of(self.end)

    def contains(self, day: date | None) -> bool:
        """Whether ``day`` falls in the period (``None`` never does)."""
        return day is not None and self.start <= day < self.end_exclusive

    def previous(self) -> Period:
        """The same days one year earlier: the previous reporting year, or the same quarter last year."""
        start = _year_earlier(self.start)
        end_exclusive = _year_earlier(self.end_exclusive)
        if self.is_reporting_year:
            label = reporting_year_label(self.start.year - 1)
        elif self.label.startswith("Q") and " " in self.label:
            label = f"{self.label.split(' ')[0]} {reporting_year_label(reporting_year_of(start))}"
        else:
            label = _span_label(start, end_exclusive - _ONE_DAY)
        return Period(start=start, end_exclusive=end_exclusive, label=label)


def _year_earlier(day: date) -> date:
    # 29 February has no counterpart a year earlier; 28 February keeps the period inside the same month.
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return date(day.year - 1, day.month, day.day)


def _span_label(start: date, end: date) -> str:
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


def reporting_year(year: int) -> Period:
    """Reporting year ``year``: 1 April ``year`` to 31 March ``year + 1`` (``--year 2023`` is 2023/24)."""
    return Period(start=date(year, 4, 1), end_exclusive=date(year + 1, 4, 1), label=reporting_year_label(year))


def reporting_quarter(year: int, quarter: str) -> Period:
    """Quarter ``"Q1"``-``"Q4"`` of reporting year ``year``, labelled e.g. ``"Q3 2023/24"``."""
    if quarter not in _QUARTER_START_MONTHS:
        raise ValueError(f"{quarter!r} is not a quarter; use one of {', '.join(QUARTERS)}.")
    month = _QUARTER_START_MONTHS[quarter]
    start = date(year + 1 if quarter == "Q4" else year, month, 1)
    end_month = month + 3
    end_exclusive = date(start.year + 1, 1, 1) if end_month > 12 else date(start.year, end_month, 1)
    return Period(start=start, end_exclusive=end_exclusive, label=f"{quarter} {reporting_year_label(year)}")


def custom_period(start: date, end: date) -> Period:
    """The days from ``start`` to ``end`` inclusive. A span that is exactly a reporting year or one of its
    quarters gets that label, so the same engine reports a year, a quarter or any other period."""
    period = Period(start=start, end_exclusive=end + _ONE_DAY, label=_span_label(start, end))
    year = reporting_year(reporting_year_of(start))
    if period.start == year.start and period.end_exclusive == year.end_exclusive:
        return year
    quarter = reporting_quarter(reporting_year_of(start), quarter_of(start))
    if period.start == quarter.start and period.end_exclusive == quarter.end_exclusive:
        return quarter
    return period


def trend_years(period: Period, *, count: int = 10) -> tuple[int, ...]:
    """The ``count`` reporting years ending with the one ``period`` ends in, oldest first."""
    last = period.reporting_year
    return tuple(range(last - count + 1, last + 1))
