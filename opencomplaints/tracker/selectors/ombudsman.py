"""The tracker of Ombudsman cases (§4, R4.1-R4.6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import F, Q
from django.db.models.expressions import OrderBy

from opencomplaints.accounts.models import User
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, OmbudsmanDetail
from opencomplaints.tracker.selectors.conditions import visible_cases
from opencomplaints.tracker.selectors.rows import Flag, due_flags, working_days_left

OMBUDSMAN_PAGE_SIZE = 50


class OmbudsmanStatusFilter(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"

    @property
    def label(self) -> str:
        return {"open": "Open", "closed": "Closed", "all": "Open or closed"}[self.value]


@dataclass(frozen=True, kw_only=True)
class OmbudsmanFilters:
    status: OmbudsmanStatusFilter = OmbudsmanStatusFilter.OPEN
    overdue: bool = False


@dataclass(frozen=True, kw_only=True)
class OmbudsmanRow:
    case_id: int
    reference: str
    lgsco_reference: str
    complaint: tuple[int, str] | None
    received_date: date
    owner: str
    status_label: str
    enquiry_due_date: date | None
    enquiry_responded_date: date | None
    enquiry_flags: tuple[Flag, ...]
    decision: str
    decision_wording: str
    decision_date: date | None
    compliance_due_date: date | None
    complied_date: date | None
    compliance_flags: tuple[Flag, ...]


@dataclass(frozen=True, kw_only=True)
class OmbudsmanPage:
    rows: list[OmbudsmanRow]
    page: Page[Case]


def _ombudsman_overdue_q(today: date) -> Q:
    return Q(ombudsman__enquiry_due_date__lt=today, ombudsman__enquiry_responded_date__isnull=True) | Q(
        ombudsman__compliance_due_date__lt=today, ombudsman__complied_date__isnull=True
    )


def ombudsman_page(
    *,
    user: User | AnonymousUser,
    filters: OmbudsmanFilters,
    today: date,
    page_number: int | str | None = 1,
    page_size: int | None = None,
) -> OmbudsmanPage:
    """Ombudsman cases (§4, R4.1-R4.6) the user may see: the reply to the Ombudsman's enquiries, the decision and
    the compliance with any remedy, each with its due date as of ``today``. Open cases come soonest due first.
    Queries: the page (with its Ombudsman details and complaints), its count, the calendar."""
    cases = visible_cases(user).filter(kind=c.Kind.OMBUDSMAN)
    if filters.status is OmbudsmanStatusFilter.OPEN:
        cases = cases.exclude(status=c.CaseStatus.CLOSED)
    elif filters.status is OmbudsmanStatusFilter.CLOSED:
        cases = cases.filter(status=c.CaseStatus.CLOSED)
    if filters.overdue:
        cases = cases.exclude(status=c.CaseStatus.CLOSED).filter(_ombudsman_overdue_q(today))
    cases = cases.select_related("owner", "ombudsman", "ombudsman__complaint").order_by(
        OrderBy(F("next_due_date"), nulls_last=True), F("received_date").desc(), "id"
    )
    page = Paginator(cases, page_size or OMBUDSMAN_PAGE_SIZE).get_page(page_number)
    calendar = working_day_calendar()
    rows = []
    for case in page.object_list:
        detail: OmbudsmanDetail | None = getattr(case, "ombudsman", None)
        still_open = case.status != c.CaseStatus.CLOSED

        def flags(due: date | None, done: date | None, *, open_: bool = still_open) -> tuple[Flag, ...]:
            if not open_ or done is not None or due is None:
                return ()
            return tuple(due_flags(due, working_days_left(calendar, today, due), today))

        complaint = detail.complaint if detail is not None else None
        rows.append(
            OmbudsmanRow(
                case_id=case.pk,
                reference=case.reference,
                lgsco_reference=detail.lgsco_reference if detail else "",
                complaint=(complaint.pk, complaint.reference) if complaint is not None else None,
                received_date=case.received_date,
                owner=str(case.owner) if case.owner is not None else "Not assigned",
                status_label=c.CaseStatus(case.status).label,
                enquiry_due_date=detail.enquiry_due_date if detail else None,
                enquiry_responded_date=detail.enquiry_responded_date if detail else None,
                enquiry_flags=flags(detail.enquiry_due_date, detail.enquiry_responded_date) if detail else (),
                decision=detail.get_decision_display() if detail else "",
                decision_wording=detail.decision_label if detail else "",
                decision_date=detail.decision_date if detail else None,
                compliance_due_date=detail.compliance_due_date if detail else None,
                complied_date=detail.complied_date if detail else None,
                compliance_flags=flags(detail.compliance_due_date, detail.complied_date) if detail else (),
            )
        )
    return OmbudsmanPage(rows=rows, page=page)
