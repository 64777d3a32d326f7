"""Remedies: what the council does to put things right (R3.7, R4.5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, Remedy, Stage
from opencomplaints.cases.services._common import (
    clean,
    lock_case,
    record,
    require_not_before,
    require_same_council,
    snapshot,
)
from opencomplaints.councils.models import RemedyType

__all__ = ["remedy_record"]

_FIELDS = ("remedy_type", "stage", "description", "amount", "agreed_date", "paid_date")


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
    """Record a remedy. A financial type records its amount (R4.5), any other type none; a payment date needs an
    amount. Remedies can be recorded after the case has closed, as payments often come later."""
    lock_case(case, stages=False)
    require_same_council(case.council_id, remedy_type, f"The remedy type {remedy_type}")
    if stage is not None and stage.case_id != case.pk:
        raise ProcedureError(errors.REMEDY_STAGE_OTHER_CASE.format(reference=case.reference), field="stage")
    if remedy_type.is_financial and amount is None:
        raise ProcedureError(errors.REMEDY_NEEDS_AMOUNT.format(remedy_type=remedy_type.name.lower()), field="amount")
    if not remedy_type.is_financial and amount is not None:
        raise ProcedureError(
            errors.REMEDY_AMOUNT_NOT_FINANCIAL.format(remedy_type=remedy_type.name.lower()), field="amount"
        )
    if amount is not None and amount < 0:
        raise ProcedureError(errors.REMEDY_AMOUNT_NEGATIVE, field="amount")
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
    remedy = Remedy(
        case=case,
        stage=stage,
        remedy_type=remedy_type,
        description=description.strip(),
        amount=amount,
        agreed_date=agreed_date,
        paid_date=paid_date,
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
