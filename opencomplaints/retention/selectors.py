"""Which cases have reached the end of their retention period (docs/adr/0006-retention.md)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import QuerySet

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case
from opencomplaints.retention.models import CaseAnonymisation, LegalHold

__all__ = ["retention_cutoff", "retention_due_cases"]


def retention_cutoff(*, today: date, years: int | None = None) -> date:
    """The latest closure date whose retention period has ended by ``today``: the same day ``years`` years before
    (28 February for 29 February in a year that has none)."""
    years = settings.OPENCOMPLAINTS["RETENTION_YEARS"] if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def retention_due_cases(*, today: date) -> QuerySet[Case]:
    """Closed cases whose retention period has ended, with no legal hold in place, not yet anonymised; oldest
    closure first."""
    return (
        Case.objects.filter(status=c.CaseStatus.CLOSED, closed_date__lte=retention_cutoff(today=today))
        .exclude(pk__in=LegalHold.objects.filter(lifted_at__isnull=True).values("case_id"))
        .exclude(pk__in=CaseAnonymisation.objects.values("case_id"))
        .order_by("closed_date", "id")
    )
