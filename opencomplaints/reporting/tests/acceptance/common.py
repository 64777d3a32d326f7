"""Shared by the acceptance tests: a report built once per module from case-level fixtures (rolled back after),
and dates spread through quarters."""

from datetime import date, timedelta

from django.db import transaction

from opencomplaints.deadlines import england_and_wales_calendar
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.periods import QUARTERS, reporting_quarter, reporting_year
from opencomplaints.reporting.report import build_report
from opencomplaints.reporting.selectors import report_inputs

CALENDAR = england_and_wales_calendar()


_REPORTS: dict[str, object] = {}


def cached_report(key, build, *, year, procedure, basis=Basis.RECEIVED):
    """The report built from the fixtures ``build()`` creates (it returns the councils). Built once per test run
    inside the first test's transaction, which rolls the fixtures back; the report itself is plain data, so the
    other tests reuse it."""
    if key not in _REPORTS:
        with transaction.atomic():
            councils = build()
            inputs = report_inputs(
                councils=councils, period=reporting_year(year), procedure=procedure, calendar=CALENDAR
            )
            _REPORTS[key] = build_report(inputs, generated_on=date(year + 1, 6, 1), basis=basis)
    return _REPORTS[key]


def quarter_dates(year: int, counts: tuple[int, ...], *, last_day: int = 20) -> list[date]:
    """``counts[i]`` dates in quarter i of reporting ``year``, spread over its working days up to ``last_day`` of
    each month (so a response a few weeks later stays in the quarter when needed)."""
    result = []
    for quarter, n in zip(QUARTERS, counts, strict=True):
        period = reporting_quarter(year, quarter)
        days = [
            period.start + timedelta(days=d)
            for d in range((period.end_exclusive - period.start).days)
            if (period.start + timedelta(days=d)).day <= last_day
            and CALENDAR.is_working_day(period.start + timedelta(days=d))
        ]
        result += [days[(i * len(days)) // max(n, 1)] for i in range(n)]
    return result


def working_days_before(day: date, n: int) -> date:
    """The date ``n`` working days before ``day`` (so that ``day`` is the ``n``-th working day after it)."""
    candidate = day - timedelta(days=n * 7 // 5)
    while CALENDAR.working_days_between(candidate, day) < n:
        candidate -= timedelta(days=1)
    while CALENDAR.working_days_between(candidate + timedelta(days=1), day) >= n:
        candidate += timedelta(days=1)
    return candidate


def expand(counts: dict[str, int]) -> list[str]:
    """``{"A": 2, "B": 1}`` → ``["A", "A", "B"]``."""
    return [name for name, n in counts.items() for _ in range(n)]
