from datetime import date
from decimal import Decimal

import pytest

from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import remedy_record
from opencomplaints.councils.tests.factories import RemedyTypeFactory


def test_financial_remedy_records_its_amount_r4_5(complaint, stage1, complaints_manager, payment):
    remedy = remedy_record(
        case=complaint,
        acting_user=complaints_manager,
        remedy_type=payment,
        stage=stage1,
        amount=Decimal("250.00"),
        agreed_date=date(2022, 6, 10),
        paid_date=date(2022, 6, 24),
        description="For the distress of the missed visits",
    )

    remedy.refresh_from_db()
    assert (remedy.amount, remedy.stage, remedy.paid_date) == (Decimal("250.00"), stage1, date(2022, 6, 24))


def test_financial_remedy_without_amount_refused_r4_5(complaint, complaints_manager, payment):
    with pytest.raises(ProcedureError) as error:
        remedy_record(case=complaint, acting_user=complaints_manager, remedy_type=payment)

    assert error.value.message == errors.REMEDY_NEEDS_AMOUNT.format(remedy_type="financial remedy")


def test_non_financial_remedy_has_no_amount(complaint, complaints_manager, apology):
    with pytest.raises(ProcedureError) as error:
        remedy_record(case=complaint, acting_user=complaints_manager, remedy_type=apology, amount=Decimal(10))

    assert error.value.message == errors.REMEDY_AMOUNT_NOT_FINANCIAL.format(remedy_type="apology")


def test_negative_amount_refused(complaint, complaints_manager, payment):
    with pytest.raises(ProcedureError) as error:
        remedy_record(case=complaint, acting_user=complaints_manager, remedy_type=payment, amount=Decimal(-5))

    assert error.value.message == errors.REMEDY_AMOUNT_NEGATIVE


def test_remedy_type_of_another_council_refused(complaint, complaints_manager, other_council):
    theirs = RemedyTypeFactory.create(council=other_council, code="apology", name="Apology")

    with pytest.raises(ProcedureError) as error:
        remedy_record(case=complaint, acting_user=complaints_manager, remedy_type=theirs)

    assert "belongs to another council" in error.value.message


def test_stage_of_another_case_refused(complaint, stage2, complaints_manager, apology):
    with pytest.raises(ProcedureError) as error:
        remedy_record(case=complaint, acting_user=complaints_manager, remedy_type=apology, stage=stage2)

    assert error.value.message == errors.REMEDY_STAGE_OTHER_CASE.format(reference=complaint.reference)


def test_payment_not_before_agreement(complaint, complaints_manager, payment):
    with pytest.raises(ProcedureError) as error:
        remedy_record(
            case=complaint,
            acting_user=complaints_manager,
            remedy_type=payment,
            amount=Decimal(100),
            agreed_date=date(2022, 6, 10),
            paid_date=date(2022, 6, 9),
        )

    assert error.value.message.startswith("The payment (Thursday 9 June 2022) cannot be before the agreement")


def test_payment_date_needs_an_amount(complaint, complaints_manager, apology):
    with pytest.raises(ProcedureError) as error:
        remedy_record(case=complaint, acting_user=complaints_manager, remedy_type=apology, paid_date=date(2022, 6, 9))

    assert error.value.message == errors.REMEDY_PAID_NEEDS_AMOUNT
