"""Remedies: what the council does to put things right (R3.7, R4.5), followed from proposal to delivery.

A remedy is proposed (and may be changed while it is only a proposal), approved by a complaints manager or the
adjudicator with the date it is due, then recorded as paid (or, when it is not a payment, delivered) or as not
delivered, with the reason (R3.7: say what and by when, follow through, explain if undeliverable). Someone other
than its proposer approves a payment. A remedy on an Ombudsman case is due by the Ombudsman's compliance date
(docs/adr/0020-remedy-lifecycle.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.access import REMEDY_APPROVER_ROLES
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, OmbudsmanDetail, Remedy, Stage
from opencomplaints.cases.services._common import (
    changes,
    clean,
    day,
    lock_case,
    record,
    require_not_before,
    require_same_council,
    save_changes,
    snapshot,
)
from opencomplaints.councils.models import CouncilMembership, RemedyType

__all__ = [
    "REMEDY_AMOUNT_MAX",
    "REMEDY_AMOUNT_MIN",
    "remedy_approve",
    "remedy_change",
    "remedy_mark_not_delivered",
    "remedy_pay",
    "remedy_propose",
    "remedy_record",
]

_FIELDS = ("remedy_type", "stage", "description", "amount", "due_date", "agreed_date", "paid_date", "status")
_PROPOSAL_FIELDS = ("remedy_type", "stage", "description", "amount", "due_date")
# A payment of less than a penny is no payment, and more than this is taken for a typing mistake.
REMEDY_AMOUNT_MIN = Decimal("0.01")
REMEDY_AMOUNT_MAX = Decimal("100000")
_PENNY = Decimal("0.01")


def _status_word(remedy: Remedy) -> str:
    return remedy.status_label.lower()


def _pounds(amount: Decimal | None) -> str:
    return "" if amount is None else f" (£{amount:,.2f})"


def _require_amount(remedy_type: RemedyType, amount: Decimal | None) -> None:
    """A financial type records its amount in pounds and pence, within sensible bounds (R4.5); any other none."""
    name = remedy_type.name.lower()
    if amount is None:
        if remedy_type.is_financial:
            raise ProcedureError(errors.REMEDY_NEEDS_AMOUNT.format(remedy_type=name), field="amount")
        return
    if not remedy_type.is_financial:
        raise ProcedureError(errors.REMEDY_AMOUNT_NOT_FINANCIAL.format(remedy_type=name), field="amount")
    try:
        in_pence = amount.is_finite() and amount == amount.quantize(_PENNY)
    except InvalidOperation:
        in_pence = False
    if not in_pence:
        raise ProcedureError(errors.REMEDY_AMOUNT_PENCE, field="amount")
    if amount < 0:
        raise ProcedureError(errors.REMEDY_AMOUNT_NEGATIVE, field="amount")
    if amount < REMEDY_AMOUNT_MIN:
        raise ProcedureError(errors.REMEDY_AMOUNT_TOO_SMALL, field="amount")
    if amount > REMEDY_AMOUNT_MAX:
        raise ProcedureError(errors.REMEDY_AMOUNT_TOO_LARGE, field="amount")


def _require_parts(case: Case, remedy_type: RemedyType, stage: Stage | None, amount: Decimal | None) -> None:
    require_same_council(case.council_id, remedy_type, f"The remedy type {remedy_type}")
    if stage is not None and stage.case_id != case.pk:
        raise ProcedureError(errors.REMEDY_STAGE_OTHER_CASE.format(reference=case.reference), field="stage")
    _require_amount(remedy_type, amount)


def _compliance_due(case: Case) -> date | None:
    """The date the Ombudsman asked for its remedies by, on an Ombudsman case."""
    if case.kind != c.Kind.OMBUDSMAN:
        return None
    return OmbudsmanDetail.objects.filter(case=case).values_list("compliance_due_date", flat=True).first()


def _due(case: Case, due_date: date | None) -> date | None:
    """The due date as given, or on an Ombudsman case the compliance date, which it may not be later than."""
    compliance = _compliance_due(case)
    if due_date is None:
        return compliance
    require_not_before(
        due_date, case.received_date, what="The due date", other_what="the date received", field="due_date"
    )
    if compliance is not None and due_date > compliance:
        raise ProcedureError(
            errors.REMEDY_DUE_AFTER_COMPLIANCE.format(compliance=day(compliance), due=day(due_date)), field="due_date"
        )
    return due_date


def _locked(remedy: Remedy) -> Remedy:
    """``remedy`` read afresh under the lock of its case, which every change to the case takes."""
    state = lock_case(remedy.case, stages=False)
    remedy.refresh_from_db()
    remedy.case = state.case
    return remedy


def _require_proposed(remedy: Remedy) -> None:
    if remedy.status == c.RemedyStatus.PROPOSED:
        return
    if remedy.status == c.RemedyStatus.APPROVED and remedy.agreed_date is not None:
        raise ProcedureError(errors.REMEDY_NOT_EDITABLE.format(agreed=day(remedy.agreed_date)))
    raise ProcedureError(errors.REMEDY_ALREADY_FINISHED.format(status=_status_word(remedy)))


def _require_approver(remedy: Remedy, user: User | None) -> None:
    """R3.7 and the council's scheme of delegation: a complaints manager or the adjudicator approves; a payment is
    approved by someone other than the person who proposed it (four eyes on every payment)."""
    case = remedy.case
    role = None
    if user is not None:
        role = (
            CouncilMembership.objects.filter(user_id=user.pk, council_id=case.council_id)
            .values_list("role", flat=True)
            .first()
        )
    if user is None or role not in REMEDY_APPROVER_ROLES:
        raise ProcedureError(errors.REMEDY_APPROVER_ROLE.format(council=case.council.name))
    if remedy.amount is not None and remedy.proposed_by_id == user.pk:
        raise ProcedureError(errors.REMEDY_APPROVER_PROPOSED)


def _summary(event: str, remedy: Remedy) -> str:
    return f"{remedy.case.reference}: {remedy.remedy_type.name}{_pounds(remedy.amount)} {event}"


@transaction.atomic
def remedy_propose(
    *,
    case: Case,
    acting_user: User | None,
    remedy_type: RemedyType,
    stage: Stage | None = None,
    description: str = "",
    amount: Decimal | None = None,
    due_date: date | None = None,
) -> Remedy:
    """Propose a remedy: what would put things right and, where known, by when. It can be changed until it is
    approved. Remedies can be proposed after the case has closed, as the Ombudsman's often are."""
    lock_case(case, stages=False)
    _require_parts(case, remedy_type, stage, amount)
    remedy = Remedy(
        case=case,
        stage=stage,
        remedy_type=remedy_type,
        description=description.strip(),
        amount=amount,
        due_date=_due(case, due_date),
        proposed_by=acting_user,
        status=c.RemedyStatus.PROPOSED,
    )
    clean(remedy)
    remedy.save()
    record(
        acting_user=acting_user,
        event_type=AuditEventType.REMEDY_PROPOSED,
        subject=remedy,
        case=case,
        summary=_summary("proposed", remedy),
        after=snapshot(remedy, _FIELDS),
    )
    return remedy


@transaction.atomic
def remedy_change(
    *,
    remedy: Remedy,
    acting_user: User | None,
    remedy_type: RemedyType,
    stage: Stage | None = None,
    description: str = "",
    amount: Decimal | None = None,
    due_date: date | None = None,
) -> Remedy:
    """Change a proposed remedy. Once approved it stands as agreed: a change is refused, and a remedy that cannot
    be delivered as agreed is recorded as not delivered and a new one proposed."""
    remedy = _locked(remedy)
    _require_proposed(remedy)
    case = remedy.case
    _require_parts(case, remedy_type, stage, amount)
    was = snapshot(remedy, _PROPOSAL_FIELDS)
    remedy.remedy_type, remedy.stage, remedy.description = remedy_type, stage, description.strip()
    remedy.amount, remedy.due_date = amount, _due(case, due_date)
    before, after = changes(was, snapshot(remedy, _PROPOSAL_FIELDS))
    if not after:
        raise ProcedureError(errors.DETAILS_UNCHANGED)
    save_changes(remedy, after)
    record(
        acting_user=acting_user,
        event_type=AuditEventType.REMEDY_CHANGED,
        subject=remedy,
        case=case,
        summary=_summary("changed", remedy),
        before=before,
        after=after,
    )
    return remedy


@transaction.atomic
def remedy_approve(
    *, remedy: Remedy, acting_user: User | None, approved_date: date, due_date: date | None = None
) -> Remedy:
    """Approve a proposed remedy on ``approved_date``, to be delivered by ``due_date`` (or the date already
    proposed). Only a complaints manager or the adjudicator may, and not the proposer of a payment."""
    remedy = _locked(remedy)
    if remedy.status != c.RemedyStatus.PROPOSED:
        raise ProcedureError(errors.REMEDY_NOT_PROPOSED.format(status=_status_word(remedy)))
    _require_approver(remedy, acting_user)
    case = remedy.case
    require_not_before(
        approved_date, case.received_date, what="The approval", other_what="the date received", field="approved_date"
    )
    due = _due(case, due_date or remedy.due_date)
    if due is None:
        raise ProcedureError(errors.REMEDY_NEEDS_DUE_DATE, field="due_date")
    require_not_before(due, approved_date, what="The due date", other_what="the approval", field="due_date")
    before = snapshot(remedy, _FIELDS)
    remedy.status, remedy.agreed_date, remedy.due_date = c.RemedyStatus.APPROVED, approved_date, due
    remedy.approved_by = acting_user
    save_changes(remedy, ["status", "agreed_date", "due_date", "approved_by"])
    record(
        acting_user=acting_user,
        event_type=AuditEventType.REMEDY_APPROVED,
        subject=remedy,
        case=case,
        summary=_summary("approved", remedy) + f", due by {day(due)}",
        before=before,
        after=snapshot(remedy, _FIELDS),
    )
    return remedy


def _require_approved(remedy: Remedy) -> None:
    if remedy.status in (c.RemedyStatus.PAID, c.RemedyStatus.NOT_DELIVERED):
        raise ProcedureError(errors.REMEDY_ALREADY_FINISHED.format(status=_status_word(remedy)))
    if remedy.status != c.RemedyStatus.APPROVED:
        raise ProcedureError(errors.REMEDY_PAID_NOT_APPROVED.format(status=_status_word(remedy)))


@transaction.atomic
def remedy_pay(*, remedy: Remedy, acting_user: User | None, paid_date: date, payment_reference: str = "") -> Remedy:
    """Record an approved remedy as paid on ``paid_date``, with the payment's reference (or, when it is not a
    payment, as delivered that day)."""
    remedy = _locked(remedy)
    _require_approved(remedy)
    reference = payment_reference.strip()
    if remedy.amount is not None and not reference:
        raise ProcedureError(errors.REMEDY_NEEDS_PAYMENT_REFERENCE, field="payment_reference")
    if remedy.agreed_date is not None:
        what = "The payment" if remedy.amount is not None else "The delivery"
        require_not_before(paid_date, remedy.agreed_date, what=what, other_what="the approval", field="paid_date")
    before = snapshot(remedy, _FIELDS)
    remedy.status, remedy.paid_date, remedy.payment_reference = c.RemedyStatus.PAID, paid_date, reference
    save_changes(remedy, ["status", "paid_date", "payment_reference"])
    record(
        acting_user=acting_user,
        event_type=AuditEventType.REMEDY_PAID,
        subject=remedy,
        case=remedy.case,
        summary=_summary("paid" if remedy.amount is not None else "delivered", remedy) + f" on {day(paid_date)}",
        before=before,
        after=snapshot(remedy, (*_FIELDS, "payment_reference")),
    )
    return remedy


@transaction.atomic
def remedy_mark_not_delivered(
    *, remedy: Remedy, acting_user: User | None, not_delivered_date: date, reason: str
) -> Remedy:
    """Record that a remedy, approved or only proposed, will not be delivered, and why: the complainant is told
    (R3.7: explain if undeliverable)."""
    remedy = _locked(remedy)
    if remedy.status in (c.RemedyStatus.PAID, c.RemedyStatus.NOT_DELIVERED):
        raise ProcedureError(errors.REMEDY_ALREADY_FINISHED.format(status=_status_word(remedy)))
    reason = reason.strip()
    if not reason:
        raise ProcedureError(errors.REMEDY_NOT_DELIVERED_NEEDS_REASON, field="reason")
    since, since_what = (
        (remedy.agreed_date, "the approval") if remedy.agreed_date else (remedy.case.received_date, "the date received")
    )
    require_not_before(not_delivered_date, since, what="The date", other_what=since_what, field="not_delivered_date")
    before = snapshot(remedy, _FIELDS)
    remedy.status, remedy.not_delivered_date = c.RemedyStatus.NOT_DELIVERED, not_delivered_date
    remedy.not_delivered_reason = reason
    save_changes(remedy, ["status", "not_delivered_date", "not_delivered_reason"])
    record(
        acting_user=acting_user,
        event_type=AuditEventType.REMEDY_NOT_DELIVERED,
        subject=remedy,
        case=remedy.case,
        summary=_summary("not delivered", remedy),
        before=before,
        after=snapshot(remedy, (*_FIELDS, "not_delivered_reason")),
    )
    return remedy


@transaction.atomic
def remedy_record(
    *,
    case: Case,
    acting_user: User | None,
    remedy_type: RemedyType,
    stage: Stage | None = None,
    description: str = "",
    amount: Decimal | None = None,
    agreed_date: date | None = None,
    paid_date: date | None = None,
) -> Remedy:
    """Record a remedy already agreed or paid, in one step (records brought in from before the service; the
    demonstration's history): it takes the state its dates show, as the migration gave every earlier remedy.
    Day-to-day work goes through ``remedy_propose`` and the steps after it. A payment date needs an amount."""
    lock_case(case, stages=False)
    _require_parts(case, remedy_type, stage, amount)
    if paid_date is not None and amount is None:
        raise ProcedureError(errors.REMEDY_PAID_NEEDS_AMOUNT, field="paid_date")
    if agreed_date is not None:
        require_not_before(agreed_date, case.received_date, what="The agreement", other_what="the date received")
    if paid_date is not None:
        require_not_before(
            paid_date,
            agreed_date or case.received_date,
            what="The payment",
            other_what="the agreement" if agreed_date else "the date received",
        )
    status = c.RemedyStatus.PAID if paid_date else c.RemedyStatus.APPROVED if agreed_date else c.RemedyStatus.PROPOSED
    remedy = Remedy(
        case=case,
        stage=stage,
        remedy_type=remedy_type,
        description=description.strip(),
        amount=amount,
        agreed_date=agreed_date,
        paid_date=paid_date,
        status=status,
        proposed_by=acting_user,
    )
    clean(remedy)
    remedy.save()
    record(
        acting_user=acting_user,
        event_type=AuditEventType.REMEDY_RECORDED,
        subject=remedy,
        case=case,
        summary=f"Remedy recorded on {case.reference}: {remedy_type.name}",
        after=snapshot(remedy, _FIELDS),
    )
    return remedy
