"""Remedies outstanding (docs/adr/0020-remedy-lifecycle.md): every approved remedy not yet paid or delivered, on the
cases the user may see, overdue first (soonest due first, so the longest overdue lead), with the working days
left or past."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import F, OrderBy

from opencomplaints.accounts.models import User
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.access import CouncilPurpose, case_queryset_for_user, councils_for_purpose
from opencomplaints.cases.models import Remedy
from opencomplaints.tracker.selectors.rows import Flag, due_flags, working_days_left

__all__ = ["OutstandingRemedyPage", "OutstandingRemedyRow", "outstanding_remedy_page"]

REMEDY_PAGE_SIZE = 50


@dataclass(frozen=True)
class OutstandingRemedyRow:
    case_id: int
    reference: str
    remedy: str
    description: str
    amount: Decimal | None
    approved_date: date | None
    due_date: date | None
    working_days_left: int | None
    owner: str
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class OutstandingRemedyPage:
    rows: list[OutstandingRemedyRow]
    page: Page[Remedy]
    overdue: int
    total_amount: Decimal


def outstanding_remedy_page(
    *, user: User | AnonymousUser, today: date, page_number: int | str | None = 1, page_size: int | None = None
) -> OutstandingRemedyPage:
    """Approved remedies still to be paid or delivered on the cases ``user`` may see, in the councils where their
    role sees remedies. Queries: the page, its count, the overdue count and total, the calendar."""
    councils = list(councils_for_purpose(user=user, purpose=CouncilPurpose.REMEDIES).values_list("pk", flat=True))
    remedies = Remedy.objects.filter(
        status=c.RemedyStatus.APPROVED,
        case__council_id__in=councils,
        case__in=case_queryset_for_user(user=user).filter(council_id__in=councils),
    )
    overdue = remedies.filter(due_date__lt=today).count()
    total = sum((a for a in remedies.values_list("amount", flat=True) if a is not None), Decimal("0.00"))
    ordered = remedies.select_related("case", "case__owner", "remedy_type").order_by(
        OrderBy(F("due_date"), nulls_last=True), "id"
    )
    page = Paginator(ordered, page_size or REMEDY_PAGE_SIZE).get_page(page_number)
    calendar = working_day_calendar()
    rows = []
    for remedy in page.object_list:
        left = working_days_left(calendar, today, remedy.due_date)
        rows.append(
            OutstandingRemedyRow(
                case_id=remedy.case_id,
                reference=remedy.case.reference,
                remedy=remedy.remedy_type.name,
                description=remedy.description,
                amount=remedy.amount,
                approved_date=remedy.agreed_date,
                due_date=remedy.due_date,
                working_days_left=left,
                owner=str(remedy.case.owner) if remedy.case.owner else "No owner",
                flags=tuple(due_flags(remedy.due_date, left, today)),
            )
        )
    return OutstandingRemedyPage(rows=rows, page=page, overdue=overdue, total_amount=total)
