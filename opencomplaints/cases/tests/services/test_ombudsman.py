from datetime import date
from decimal import Decimal

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import (
    ombudsman_case_register,
    ombudsman_compliance_record,
    ombudsman_decision_record,
    ombudsman_enquiry_respond,
)
from opencomplaints.cases.tests import factories as f


@pytest.fixture
def lgsco(council, complaint, complaints_manager):
    return ombudsman_case_register(
        council=council,
        acting_user=complaints_manager,
        received_date=date(2022, 11, 1),
        lgsco_reference="22-012-345",
        complaint=complaint,
        enquiry_due_date=date(2022, 11, 29),
    )


def test_ombudsman_case_is_due_on_the_enquiry_date(lgsco, complaint):
    assert (lgsco.kind, lgsco.status, lgsco.response_due_date, lgsco.next_due_date) == (
        c.Kind.OMBUDSMAN,
        c.CaseStatus.OPEN,
        date(2022, 11, 29),
        date(2022, 11, 29),
    )
    assert lgsco.ombudsman.complaint == complaint
    assert lgsco.linked_case == complaint


def test_enquiries_answered(lgsco, complaints_manager):
    ombudsman_enquiry_respond(case=lgsco, acting_user=complaints_manager, responded_date=date(2022, 11, 25))

    lgsco.refresh_from_db()
    assert lgsco.next_due_date is None
    assert lgsco.deadlines.get().met_date == date(2022, 11, 25)


def test_decision_without_a_remedy_closes_the_case(lgsco, complaints_manager):
    ombudsman_decision_record(
        case=lgsco,
        acting_user=complaints_manager,
        decision=c.LgscoDecision.NOT_UPHELD,
        decision_label="No fault",
        decision_date=date(2023, 2, 1),
        fault_found=False,
    )

    lgsco.refresh_from_db()
    assert (lgsco.status, lgsco.closed_date) == (c.CaseStatus.CLOSED, date(2023, 2, 1))


def test_decision_with_a_remedy_waits_for_compliance(lgsco, complaints_manager):
    ombudsman_decision_record(
        case=lgsco,
        acting_user=complaints_manager,
        decision=c.LgscoDecision.UPHELD_FAULT_INJUSTICE,
        decision_label="Upheld: fault and injustice",
        decision_date=date(2023, 2, 1),
        fault_found=True,
        injustice_found=True,
        recommended_payment=Decimal("300"),
        compliance_due_date=date(2023, 3, 1),
    )
    lgsco.refresh_from_db()
    assert (lgsco.status, lgsco.next_due_date) == (c.CaseStatus.OPEN, date(2022, 11, 29))

    ombudsman_compliance_record(case=lgsco, acting_user=complaints_manager, complied_date=date(2023, 2, 20))

    lgsco.refresh_from_db()
    assert (lgsco.status, lgsco.closed_date) == (c.CaseStatus.CLOSED, date(2023, 2, 20))
    assert lgsco.ombudsman.compliance_met is True


def test_in_progress_is_not_a_decision(lgsco, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        ombudsman_decision_record(
            case=lgsco,
            acting_user=complaints_manager,
            decision=c.LgscoDecision.IN_PROGRESS,
            decision_date=date(2023, 2, 1),
        )

    assert error.value.message == errors.OMBUDSMAN_DECISION_IN_PROGRESS


def test_compliance_needs_a_remedy_due(lgsco, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        ombudsman_compliance_record(case=lgsco, acting_user=complaints_manager, complied_date=date(2023, 2, 20))

    assert error.value.message == errors.OMBUDSMAN_NEEDS_DECISION


def test_complaint_of_another_council_refused(council, other_council, complaints_manager):
    theirs = f.accepted(other_council, None)

    with pytest.raises(ProcedureError) as error:
        ombudsman_case_register(
            council=council,
            acting_user=complaints_manager,
            received_date=date(2022, 11, 1),
            lgsco_reference="22-1",
            complaint=theirs,
        )

    assert error.value.message == errors.OTHER_COUNCIL.format(what="The complaint", council=council.name)


def test_enquiry_due_not_before_receipt(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        ombudsman_case_register(
            council=council,
            acting_user=complaints_manager,
            received_date=date(2022, 11, 1),
            lgsco_reference="22-1",
            enquiry_due_date=date(2022, 10, 1),
        )

    assert error.value.field == "enquiry_due_date"
