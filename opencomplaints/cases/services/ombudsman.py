"""Ombudsman cases (§4): a complaint the Local Government and Social Care Ombudsman considers, its enquiries,
decision and the council's compliance with any remedy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import deadlines, errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, OmbudsmanDetail, Remedy
from opencomplaints.cases.services._common import (
    changes,
    clean,
    day,
    lock_case,
    record,
    require_not_before,
    require_open,
    require_same_council,
    save_changes,
    snapshot,
)
from opencomplaints.cases.services.allocation import require_may_own
from opencomplaints.cases.services.references import reference_for
from opencomplaints.councils.models import Council
from opencomplaints.councils.selectors import local_timescales_current

__all__ = [
    "ombudsman_case_register",
    "ombudsman_compliance_record",
    "ombudsman_decision_record",
    "ombudsman_enquiry_respond",
]

_DETAIL_FIELDS = (
    "lgsco_reference",
    "complaint",
    "enquiry_due_date",
    "enquiry_responded_date",
    "decision",
    "decision_label",
    "decision_date",
    "fault_found",
    "injustice_found",
    "recommended_payment",
    "compliance_due_date",
    "complied_date",
)
_CASE_FIELDS = ("status", "next_due_date", "response_due_date", "closed_date")


def _detail(case: Case) -> OmbudsmanDetail:
    lock_case(case, stages=False)
    if case.kind != c.Kind.OMBUDSMAN:
        raise ProcedureError(
            errors.WRONG_KIND.format(
                reference=case.reference, kind=case.get_kind_display().lower(), expected="an Ombudsman case"
            )
        )
    detail = OmbudsmanDetail.objects.select_for_update().get(case=case)
    detail.case = case
    return detail


def _save(
    case: Case,
    detail: OmbudsmanDetail,
    *,
    fields: list[str],
    case_fields: list[str],
    acting_user: User | None,
    event_type: AuditEventType,
    summary: str,
    before: dict[str, object],
) -> None:
    save_changes(detail, fields)
    derived = deadlines.case_deadlines_refresh(case=case, ombudsman=detail)
    save_changes(case, [*case_fields, *derived])
    after = {**snapshot(detail, _DETAIL_FIELDS), **{f"case.{k}": v for k, v in snapshot(case, _CASE_FIELDS).items()}}
    old, new = changes(before, after)
    record(
        acting_user=acting_user,
        event_type=event_type,
        subject=detail,
        case=case,
        summary=summary,
        before=old,
        after=new,
    )


def _before(case: Case, detail: OmbudsmanDetail) -> dict[str, object]:
    return {**snapshot(detail, _DETAIL_FIELDS), **{f"case.{k}": v for k, v in snapshot(case, _CASE_FIELDS).items()}}


@transaction.atomic
def ombudsman_case_register(
    *,
    council: Council,
    acting_user: User | None,
    received_date: date,
    lgsco_reference: str,
    complaint: Case | None = None,
    enquiry_due_date: date | None = None,
    summary: str = "",
    reference: str | None = None,
    owner: User | None = None,
) -> Case:
    """Register the Ombudsman's contact about a complaint (§4), with the date its enquiries must be answered, and
    the officer who owns it."""
    require_same_council(council, complaint, "The complaint")
    require_may_own(council, owner)
    if complaint is not None and complaint.kind != c.Kind.COMPLAINT:
        raise ProcedureError(errors.OMBUDSMAN_COMPLAINT_NOT_COMPLAINT, field="complaint")
    if enquiry_due_date is not None:
        require_not_before(
            enquiry_due_date,
            received_date,
            what="The Ombudsman's due date",
            other_what="the date received",
            field="enquiry_due_date",
        )
    case = Case(
        council=council,
        local_timescales=local_timescales_current(council=council),
        reference=reference_for(council=council, reference=reference, received_date=received_date),
        kind=c.Kind.OMBUDSMAN,
        procedure="",
        received_date=received_date,
        summary=summary.strip(),
        linked_case=complaint,
        owner=owner,
    )
    detail = OmbudsmanDetail(
        case=case, complaint=complaint, lgsco_reference=lgsco_reference.strip(), enquiry_due_date=enquiry_due_date
    )
    rows, summary_fields = deadlines.case_deadlines_plan(case=case, ombudsman=detail)
    deadlines.case_summary_apply(case, summary_fields)
    clean(case)
    case.save()
    detail.case = case
    clean(detail)
    detail.save()
    deadlines.case_deadlines_store(case=case, rows=rows, existing=())
    record(
        acting_user=acting_user,
        event_type=AuditEventType.OMBUDSMAN_CASE_REGISTERED,
        subject=case,
        case=case,
        summary=f"Ombudsman case {detail.lgsco_reference or case.reference} registered",
        after={
            "reference": case.reference,
            "received_date": received_date,
            "lgsco_reference": detail.lgsco_reference,
            "complaint": complaint.pk if complaint else None,
            "enquiry_due_date": enquiry_due_date,
            "owner": case.owner_id,
            "status": case.status,
            "next_due_date": case.next_due_date,
        },
    )
    return case


@transaction.atomic
def ombudsman_enquiry_respond(*, case: Case, acting_user: User | None, responded_date: date) -> OmbudsmanDetail:
    """Record the date the council answered the Ombudsman's enquiries."""
    detail = _detail(case)
    require_open(case)
    if detail.enquiry_responded_date is not None:
        raise ProcedureError(
            errors.OMBUDSMAN_ENQUIRY_ALREADY_ANSWERED.format(responded=day(detail.enquiry_responded_date))
        )
    require_not_before(responded_date, case.received_date, what="The reply", other_what="the date received")
    before = _before(case, detail)
    detail.enquiry_responded_date = responded_date
    _save(
        case,
        detail,
        fields=["enquiry_responded_date"],
        case_fields=[],
        acting_user=acting_user,
        event_type=AuditEventType.OMBUDSMAN_ENQUIRY_RESPONDED,
        summary=f"Ombudsman's enquiries on {case.reference} answered",
        before=before,
    )
    return detail


@transaction.atomic
def ombudsman_decision_record(
    *,
    case: Case,
    acting_user: User | None,
    decision: str,
    decision_date: date,
    decision_label: str = "",
    fault_found: bool | None = None,
    injustice_found: bool | None = None,
    recommended_payment: Decimal | None = None,
    compliance_due_date: date | None = None,
) -> OmbudsmanDetail:
    """Record the Ombudsman's decision (R4.1-R4.4) in its normalised form and its own words. With a remedy to
    comply with by ``compliance_due_date`` the case stays open until compliance is recorded; otherwise it closes."""
    detail = _detail(case)
    require_open(case)
    if detail.decision != c.LgscoDecision.IN_PROGRESS:
        raise ProcedureError(
            errors.OMBUDSMAN_ALREADY_DECIDED.format(decision_date=day(detail.decision_date))
            if detail.decision_date
            else errors.OMBUDSMAN_DECISION_IN_PROGRESS
        )
    if decision == c.LgscoDecision.IN_PROGRESS or decision not in c.LgscoDecision.values:
        raise ProcedureError(errors.OMBUDSMAN_DECISION_IN_PROGRESS, field="decision")
    if decision.startswith("upheld") and fault_found is False:
        raise ProcedureError(errors.OMBUDSMAN_UPHELD_NO_FAULT, field="fault_found")
    require_not_before(decision_date, case.received_date, what="The decision", other_what="the date received")
    if recommended_payment is not None and recommended_payment < 0:
        raise ProcedureError(errors.REMEDY_AMOUNT_NEGATIVE, field="recommended_payment")
    if compliance_due_date is not None:
        require_not_before(
            compliance_due_date,
            decision_date,
            what="The compliance date",
            other_what="the decision",
            field="compliance_due_date",
        )
    before = _before(case, detail)
    detail.decision = decision
    detail.decision_label = decision_label.strip()
    detail.decision_date = decision_date
    detail.fault_found = fault_found
    detail.injustice_found = injustice_found
    detail.recommended_payment = recommended_payment
    detail.compliance_due_date = compliance_due_date
    case_fields: list[str] = []
    if compliance_due_date is None:
        case.closed_date = decision_date
        case_fields.append("closed_date")
    _save(
        case,
        detail,
        fields=[
            "decision",
            "decision_label",
            "decision_date",
            "fault_found",
            "injustice_found",
            "recommended_payment",
            "compliance_due_date",
        ],
        case_fields=case_fields,
        acting_user=acting_user,
        event_type=AuditEventType.OMBUDSMAN_DECISION_RECORDED,
        summary=f"Ombudsman's decision on {case.reference}: {c.LgscoDecision(decision).label}",
        before=before,
    )
    return detail


@transaction.atomic
def ombudsman_compliance_record(*, case: Case, acting_user: User | None, complied_date: date) -> OmbudsmanDetail:
    """Record that the council did what the Ombudsman asked; the case closes."""
    detail = _detail(case)
    require_open(case)
    if detail.decision == c.LgscoDecision.IN_PROGRESS or detail.decision_date is None:
        raise ProcedureError(errors.OMBUDSMAN_NEEDS_DECISION)
    if detail.compliance_due_date is None:
        raise ProcedureError(errors.OMBUDSMAN_NO_COMPLIANCE_DUE)
    # The Ombudsman's remedies follow the remedy lifecycle: compliance waits until each is settled.
    outstanding = Remedy.objects.filter(case=case, status__in=(c.RemedyStatus.PROPOSED, c.RemedyStatus.APPROVED))
    if count := outstanding.count():
        verb = "has" if count == 1 else "have"
        raise ProcedureError(errors.OMBUDSMAN_REMEDIES_OUTSTANDING.format(count=count, verb=verb))
    require_not_before(complied_date, detail.decision_date, what="Compliance", other_what="the decision")
    before = _before(case, detail)
    detail.complied_date = complied_date
    case.closed_date = complied_date
    _save(
        case,
        detail,
        fields=["complied_date"],
        case_fields=["closed_date"],
        acting_user=acting_user,
        event_type=AuditEventType.OMBUDSMAN_COMPLIANCE_RECORDED,
        summary=f"Ombudsman's remedy on {case.reference} complied with",
        before=before,
    )
    return detail
