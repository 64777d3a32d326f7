"""The remedy lifecycle (R3.7, R4.5; docs/adr/0020-remedy-lifecycle.md): proposed, approved with a due date, then
paid or delivered, or not delivered with a reason; every transition and every refusal."""

from datetime import date
from decimal import Decimal

import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import (
    ombudsman_case_register,
    ombudsman_compliance_record,
    ombudsman_decision_record,
    remedy_approve,
    remedy_change,
    remedy_mark_not_delivered,
    remedy_pay,
    remedy_propose,
)


@pytest.fixture
def proposed(complaint, stage1, complaints_officer, payment):
    return remedy_propose(
        case=complaint,
        acting_user=complaints_officer,
        remedy_type=payment,
        stage=stage1,
        amount=Decimal("250.00"),
        description="For the distress of the missed visits",
    )


@pytest.fixture
def approved(proposed, complaints_manager):
    return remedy_approve(
        remedy=proposed, acting_user=complaints_manager, approved_date=date(2022, 6, 10), due_date=date(2022, 7, 8)
    )


def _events(remedy, event_type):
    return AuditEvent.objects.filter(subject_id=str(remedy.pk), event_type=event_type)


# -- proposing and changing ---------------------------------------------------------------------------------------


def test_a_proposal_is_recorded_with_its_proposer(proposed, complaints_officer, complaint):
    proposed.refresh_from_db()
    assert (proposed.status, proposed.proposed_by, proposed.amount) == (
        c.RemedyStatus.PROPOSED,
        complaints_officer,
        Decimal("250.00"),
    )
    event = _events(proposed, AuditEventType.REMEDY_PROPOSED).get()
    assert event.case_id == complaint.pk
    assert event.summary == f"{complaint.reference}: Financial remedy (£250.00) proposed"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("250.505"), errors.REMEDY_AMOUNT_PENCE),
        (Decimal("1E+5") + Decimal("0.001"), errors.REMEDY_AMOUNT_PENCE),
        (Decimal("NaN"), errors.REMEDY_AMOUNT_PENCE),
        (Decimal("0"), errors.REMEDY_AMOUNT_TOO_SMALL),
        (Decimal("-5"), errors.REMEDY_AMOUNT_NEGATIVE),
        (Decimal("100000.01"), errors.REMEDY_AMOUNT_TOO_LARGE),
    ],
)
def test_amount_out_of_bounds_or_in_fractions_of_a_penny_refused(
    complaint, complaints_officer, payment, amount, message
):
    with pytest.raises(ProcedureError) as error:
        remedy_propose(case=complaint, acting_user=complaints_officer, remedy_type=payment, amount=amount)

    assert (error.value.message, error.value.field) == (message, "amount")


@pytest.mark.parametrize("amount", [Decimal("0.01"), Decimal("100000"), Decimal("1250.50")])
def test_amounts_at_the_bounds_accepted(complaint, complaints_officer, payment, amount):
    remedy = remedy_propose(case=complaint, acting_user=complaints_officer, remedy_type=payment, amount=amount)

    assert remedy.amount == amount


def test_a_financial_proposal_needs_its_amount(complaint, complaints_officer, payment):
    with pytest.raises(ProcedureError) as error:
        remedy_propose(case=complaint, acting_user=complaints_officer, remedy_type=payment)

    assert error.value.message == errors.REMEDY_NEEDS_AMOUNT.format(remedy_type="financial remedy")


def test_a_proposal_can_be_changed(proposed, complaints_officer, apology):
    remedy_change(
        remedy=proposed,
        acting_user=complaints_officer,
        remedy_type=proposed.remedy_type,
        stage=proposed.stage,
        description="For the distress of the missed visits",
        amount=Decimal("300.00"),
        due_date=date(2022, 7, 1),
    )

    proposed.refresh_from_db()
    assert (proposed.amount, proposed.due_date) == (Decimal("300.00"), date(2022, 7, 1))
    event = _events(proposed, AuditEventType.REMEDY_CHANGED).get()
    assert (event.before, event.after) == (
        {"amount": "250.00", "due_date": None},
        {"amount": "300.00", "due_date": "2022-07-01"},
    )


def test_a_change_that_changes_nothing_refused(proposed, complaints_officer):
    with pytest.raises(ProcedureError) as error:
        remedy_change(
            remedy=proposed,
            acting_user=complaints_officer,
            remedy_type=proposed.remedy_type,
            stage=proposed.stage,
            description=proposed.description,
            amount=proposed.amount,
        )

    assert error.value.message == errors.DETAILS_UNCHANGED


def test_change_after_approval_refused(approved, complaints_officer):
    with pytest.raises(ProcedureError) as error:
        remedy_change(
            remedy=approved, acting_user=complaints_officer, remedy_type=approved.remedy_type, amount=Decimal(500)
        )

    assert error.value.message == errors.REMEDY_NOT_EDITABLE.format(agreed="Friday 10 June 2022")
    approved.refresh_from_db()
    assert approved.amount == Decimal("250.00")


# -- approving ----------------------------------------------------------------------------------------------------


def test_a_manager_approves_with_the_due_date(approved, complaints_manager):
    approved.refresh_from_db()
    assert (approved.status, approved.agreed_date, approved.due_date, approved.approved_by) == (
        c.RemedyStatus.APPROVED,
        date(2022, 6, 10),
        date(2022, 7, 8),
        complaints_manager,
    )
    assert _events(approved, AuditEventType.REMEDY_APPROVED).get().summary.endswith("due by Friday 8 July 2022")


def test_the_adjudicator_may_approve(proposed, adjudicator):
    remedy = remedy_approve(
        remedy=proposed, acting_user=adjudicator, approved_date=date(2022, 6, 10), due_date=date(2022, 7, 8)
    )

    assert remedy.approved_by == adjudicator


@pytest.mark.parametrize("persona", ["complaints_officer", "investigating_manager", "other_council_officer"])
def test_a_role_that_may_not_approve_is_refused(request, proposed, persona, council):
    user = request.getfixturevalue(persona)

    with pytest.raises(ProcedureError) as error:
        remedy_approve(remedy=proposed, acting_user=user, approved_date=date(2022, 6, 10), due_date=date(2022, 7, 8))

    assert error.value.message == errors.REMEDY_APPROVER_ROLE.format(council=council.name)
    proposed.refresh_from_db()
    assert proposed.status == c.RemedyStatus.PROPOSED


def test_the_proposer_of_a_payment_may_not_approve_it(complaint, complaints_manager, payment):
    remedy = remedy_propose(case=complaint, acting_user=complaints_manager, remedy_type=payment, amount=Decimal(80))

    with pytest.raises(ProcedureError) as error:
        remedy_approve(
            remedy=remedy, acting_user=complaints_manager, approved_date=date(2022, 6, 10), due_date=date(2022, 7, 8)
        )

    assert error.value.message == errors.REMEDY_APPROVER_PROPOSED


def test_the_proposer_of_an_apology_may_approve_it(complaint, complaints_manager, apology):
    remedy = remedy_propose(case=complaint, acting_user=complaints_manager, remedy_type=apology)

    remedy_approve(
        remedy=remedy, acting_user=complaints_manager, approved_date=date(2022, 6, 10), due_date=date(2022, 6, 17)
    )

    assert remedy.status == c.RemedyStatus.APPROVED


def test_approval_needs_a_due_date(proposed, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        remedy_approve(remedy=proposed, acting_user=complaints_manager, approved_date=date(2022, 6, 10))

    assert (error.value.message, error.value.field) == (errors.REMEDY_NEEDS_DUE_DATE, "due_date")


def test_due_date_before_approval_refused(proposed, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        remedy_approve(
            remedy=proposed, acting_user=complaints_manager, approved_date=date(2022, 6, 10), due_date=date(2022, 6, 9)
        )

    assert error.value.field == "due_date"


def test_approving_twice_refused(approved, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        remedy_approve(remedy=approved, acting_user=complaints_manager, approved_date=date(2022, 6, 11))

    assert error.value.message == errors.REMEDY_NOT_PROPOSED.format(status="approved")


# -- paying, delivering, not delivering ---------------------------------------------------------------------------


def test_an_approved_payment_is_paid_with_its_reference(approved, complaints_officer):
    remedy_pay(
        remedy=approved, acting_user=complaints_officer, paid_date=date(2022, 6, 24), payment_reference="BACS 4471"
    )

    approved.refresh_from_db()
    assert (approved.status, approved.paid_date, approved.payment_reference, approved.status_label) == (
        c.RemedyStatus.PAID,
        date(2022, 6, 24),
        "BACS 4471",
        "Paid",
    )
    assert "paid on Friday 24 June 2022" in _events(approved, AuditEventType.REMEDY_PAID).get().summary


def test_a_payment_needs_its_reference(approved, complaints_officer):
    with pytest.raises(ProcedureError) as error:
        remedy_pay(remedy=approved, acting_user=complaints_officer, paid_date=date(2022, 6, 24), payment_reference=" ")

    assert (error.value.message, error.value.field) == (errors.REMEDY_NEEDS_PAYMENT_REFERENCE, "payment_reference")


def test_paid_before_approved_refused(proposed, complaints_officer):
    with pytest.raises(ProcedureError) as error:
        remedy_pay(remedy=proposed, acting_user=complaints_officer, paid_date=date(2022, 6, 24), payment_reference="X1")

    assert error.value.message == errors.REMEDY_PAID_NOT_APPROVED.format(status="proposed")
    proposed.refresh_from_db()
    assert (proposed.status, proposed.paid_date) == (c.RemedyStatus.PROPOSED, None)


def test_payment_dated_before_its_approval_refused(approved, complaints_officer):
    with pytest.raises(ProcedureError) as error:
        remedy_pay(remedy=approved, acting_user=complaints_officer, paid_date=date(2022, 6, 9), payment_reference="X1")

    assert error.value.field == "paid_date"


def test_an_apology_is_delivered_without_a_reference(complaint, complaints_officer, complaints_manager, apology):
    remedy = remedy_propose(case=complaint, acting_user=complaints_officer, remedy_type=apology)
    remedy_approve(
        remedy=remedy, acting_user=complaints_manager, approved_date=date(2022, 6, 10), due_date=date(2022, 6, 17)
    )

    remedy_pay(remedy=remedy, acting_user=complaints_officer, paid_date=date(2022, 6, 13))

    assert (remedy.status, remedy.status_label) == (c.RemedyStatus.PAID, "Delivered")


def test_not_delivered_with_its_reason(approved, complaints_officer):
    remedy_mark_not_delivered(
        remedy=approved,
        acting_user=complaints_officer,
        not_delivered_date=date(2022, 7, 1),
        reason="The complainant declined the payment",
    )

    approved.refresh_from_db()
    assert (approved.status, approved.not_delivered_date, approved.not_delivered_reason) == (
        c.RemedyStatus.NOT_DELIVERED,
        date(2022, 7, 1),
        "The complainant declined the payment",
    )
    event = _events(approved, AuditEventType.REMEDY_NOT_DELIVERED).get()
    assert "declined" not in str(event.after)  # the reason's words stay out of the trail


def test_a_proposal_may_be_not_delivered(proposed, complaints_manager):
    remedy_mark_not_delivered(
        remedy=proposed, acting_user=complaints_manager, not_delivered_date=date(2022, 6, 12), reason="Not approved"
    )

    assert proposed.status == c.RemedyStatus.NOT_DELIVERED


def test_not_delivered_without_a_reason_refused(approved, complaints_officer):
    with pytest.raises(ProcedureError) as error:
        remedy_mark_not_delivered(
            remedy=approved, acting_user=complaints_officer, not_delivered_date=date(2022, 7, 1), reason="  "
        )

    assert (error.value.message, error.value.field) == (errors.REMEDY_NOT_DELIVERED_NEEDS_REASON, "reason")


def test_nothing_follows_a_payment(approved, complaints_officer):
    remedy_pay(remedy=approved, acting_user=complaints_officer, paid_date=date(2022, 6, 24), payment_reference="X1")

    with pytest.raises(ProcedureError) as paid_again:
        remedy_pay(remedy=approved, acting_user=complaints_officer, paid_date=date(2022, 6, 25), payment_reference="X2")
    with pytest.raises(ProcedureError) as not_delivered:
        remedy_mark_not_delivered(
            remedy=approved, acting_user=complaints_officer, not_delivered_date=date(2022, 7, 1), reason="Oops"
        )

    assert paid_again.value.message == errors.REMEDY_ALREADY_FINISHED.format(status="paid")
    assert not_delivered.value.message == errors.REMEDY_ALREADY_FINISHED.format(status="paid")


# -- the Ombudsman's remedies -------------------------------------------------------------------------------------


@pytest.fixture
def lgsco_decided(council, complaint, complaints_manager):
    case = ombudsman_case_register(
        council=council,
        acting_user=complaints_manager,
        received_date=date(2022, 11, 1),
        lgsco_reference="22-012-345",
        complaint=complaint,
        enquiry_due_date=date(2022, 11, 29),
    )
    ombudsman_decision_record(
        case=case,
        acting_user=complaints_manager,
        decision=c.LgscoDecision.UPHELD_FAULT_INJUSTICE,
        decision_label="Upheld: fault and injustice",
        decision_date=date(2023, 2, 1),
        fault_found=True,
        injustice_found=True,
        recommended_payment=Decimal("300"),
        compliance_due_date=date(2023, 3, 1),
    )
    return case


def test_an_ombudsman_remedy_is_due_by_the_compliance_date(lgsco_decided, complaints_officer, payment):
    remedy = remedy_propose(
        case=lgsco_decided, acting_user=complaints_officer, remedy_type=payment, amount=Decimal("300")
    )

    assert remedy.due_date == date(2023, 3, 1)


def test_an_ombudsman_remedy_due_after_the_compliance_date_refused(lgsco_decided, complaints_officer, payment):
    with pytest.raises(ProcedureError) as error:
        remedy_propose(
            case=lgsco_decided,
            acting_user=complaints_officer,
            remedy_type=payment,
            amount=Decimal("300"),
            due_date=date(2023, 3, 2),
        )

    assert error.value.message == errors.REMEDY_DUE_AFTER_COMPLIANCE.format(
        compliance="Wednesday 1 March 2023", due="Thursday 2 March 2023"
    )


def test_compliance_waits_for_the_ombudsman_remedies(lgsco_decided, complaints_officer, complaints_manager, payment):
    remedy = remedy_propose(
        case=lgsco_decided, acting_user=complaints_officer, remedy_type=payment, amount=Decimal("300")
    )
    remedy_approve(remedy=remedy, acting_user=complaints_manager, approved_date=date(2023, 2, 3))

    with pytest.raises(ProcedureError) as error:
        ombudsman_compliance_record(case=lgsco_decided, acting_user=complaints_manager, complied_date=date(2023, 2, 20))
    assert error.value.message == errors.OMBUDSMAN_REMEDIES_OUTSTANDING.format(count=1, verb="has")

    remedy_pay(remedy=remedy, acting_user=complaints_officer, paid_date=date(2023, 2, 17), payment_reference="CHQ 88")
    ombudsman_compliance_record(case=lgsco_decided, acting_user=complaints_manager, complied_date=date(2023, 2, 20))

    lgsco_decided.refresh_from_db()
    assert lgsco_decided.ombudsman.compliance_met is True
    remedy.refresh_from_db()
    assert remedy.due_date == date(2023, 3, 1)
