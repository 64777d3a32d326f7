import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import (
    ComplainantInput,
    PersonInput,
    complainant_sufficient_interest_decide,
    complaint_accept,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.cases.tests.factories import RECEIVED


def _interested(first="Maureen", last="Cartwright"):
    return ComplainantInput(
        person=PersonInput(first_name=first, last_name=last),
        complainant_type=c.ComplainantType.PARENT_RELATIVE,
        eligibility_basis=c.EligibilityBasis.SUFFICIENT_INTEREST,
    )


def test_accepting_opens_the_case(council, complaints_manager):
    case = f.register(council, complaints_manager)

    complaint_accept(case=case, acting_user=complaints_manager)

    case.refresh_from_db()
    assert (case.status, case.acceptance) == (c.CaseStatus.OPEN, c.Acceptance.ACCEPTED)


def test_triage_decides_once_r1_7(complaint, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        complaint_accept(case=complaint, acting_user=complaints_manager)

    assert error.value.message == errors.ACCEPT_NOT_IN_TRIAGE.format(reference=complaint.reference, decision="accepted")


def test_accepting_waits_for_the_sufficient_interest_decision_r1_9(council, complaints_manager):
    case = f.register(council, complaints_manager, complainants=[_interested()])

    with pytest.raises(ProcedureError) as error:
        complaint_accept(case=case, acting_user=complaints_manager)

    assert error.value.message == errors.ACCEPT_INTEREST_PENDING.format(person="Maureen Cartwright")


def test_sufficient_interest_found_then_accepted_r1_9(council, complaints_manager):
    case = f.register(council, complaints_manager, complainants=[_interested()])
    complainant = case.complainants.get()

    complainant_sufficient_interest_decide(
        complainant=complainant,
        acting_user=complaints_manager,
        has_interest=True,
        decided_date=RECEIVED,
        child_consulted=True,
    )
    complaint_accept(case=case, acting_user=complaints_manager)

    complainant.refresh_from_db()
    assert complainant.sufficient_interest == c.SufficientInterestDecision.HAS_INTEREST
    assert complainant.sufficient_interest_child_consulted is True
    assert case.acceptance == c.Acceptance.ACCEPTED


def test_no_sufficient_interest_cannot_be_accepted_r1_9(council, complaints_manager):
    case = f.register(council, complaints_manager, complainants=[_interested()])
    complainant_sufficient_interest_decide(
        complainant=case.complainants.get(),
        acting_user=complaints_manager,
        has_interest=False,
        decided_date=RECEIVED,
        child_consulted=None,
        notified_date=RECEIVED,
    )

    with pytest.raises(ProcedureError) as error:
        complaint_accept(case=case, acting_user=complaints_manager)

    assert error.value.message == errors.ACCEPT_NO_INTEREST.format(person="Maureen Cartwright")


def test_finding_no_sufficient_interest_needs_notification_r1_9(council, complaints_manager):
    case = f.register(council, complaints_manager, complainants=[_interested()])

    with pytest.raises(ProcedureError) as error:
        complainant_sufficient_interest_decide(
            complainant=case.complainants.get(),
            acting_user=complaints_manager,
            has_interest=False,
            decided_date=RECEIVED,
            child_consulted=False,
        )

    assert error.value.message == errors.INTEREST_REFUSAL_NEEDS_NOTICE.format(person="Maureen Cartwright")


def test_sufficient_interest_only_for_those_bases_r1_9(complaint, complaints_manager):
    complainant = complaint.complainants.get()

    with pytest.raises(ProcedureError) as error:
        complainant_sufficient_interest_decide(
            complainant=complainant,
            acting_user=complaints_manager,
            has_interest=True,
            decided_date=RECEIVED,
            child_consulted=None,
        )

    assert error.value.message == errors.INTEREST_NOT_NEEDED.format(person=complainant.person)
