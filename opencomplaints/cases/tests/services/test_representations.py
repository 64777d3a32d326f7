from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.deadlines import ENQUIRY_RESPONSE_WORKING_DAYS
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import ComplimentDetail, EnquiryDetail
from opencomplaints.cases.services import (
    ComplimentInput,
    EnquirerInput,
    representation_register,
    representation_respond,
)
from opencomplaints.cases.tests.factories import RECEIVED

MP = EnquirerInput(enquirer_type=c.EnquirerType.MP, name="Jo Bloggs MP", constituency_or_ward="Exampleton North")


def _enquiry(council, user, **kwargs):
    kwargs.setdefault("enquirer", MP)
    return representation_register(
        council=council,
        acting_user=user,
        kind=c.Kind.MP_ENQUIRY,
        received_date=RECEIVED,
        topic="Delay in an assessment",
        **kwargs,
    )


def test_mp_enquiry_is_due_in_ten_working_days(council, complaints_manager):
    case = _enquiry(council, complaints_manager)

    assert ENQUIRY_RESPONSE_WORKING_DAYS == 10
    assert (case.status, case.response_due_date, case.next_due_date) == (
        c.CaseStatus.OPEN,
        date(2022, 6, 13),
        date(2022, 6, 13),
    )
    assert case.procedure == ""
    assert EnquiryDetail.objects.get(case=case).enquirer_name == "Jo Bloggs MP"
    assert case.deadlines.get().key == "enquiry_response"


def test_enquiry_needs_its_enquirer(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        _enquiry(council, complaints_manager, enquirer=None)

    assert error.value.message == errors.ENQUIRY_NEEDS_ENQUIRER


def test_councillor_enquiry_comes_from_a_councillor(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        representation_register(
            council=council,
            acting_user=complaints_manager,
            kind=c.Kind.MEMBER_ENQUIRY,
            received_date=RECEIVED,
            enquirer=MP,
        )

    assert error.value.message == errors.ENQUIRER_TYPE_MISMATCH.format(
        kind="Councillor enquiry", expected="a councillor"
    )


def test_response_closes_the_enquiry(council, complaints_manager):
    case = _enquiry(council, complaints_manager)

    representation_respond(case=case, acting_user=complaints_manager, responded_date=date(2022, 6, 8))

    case.refresh_from_db()
    assert (case.status, case.responded_date, case.closed_date, case.next_due_date) == (
        c.CaseStatus.CLOSED,
        date(2022, 6, 8),
        date(2022, 6, 8),
        None,
    )
    assert case.deadlines.get().met_date == date(2022, 6, 8)


def test_compliment_names_the_team(council, complaints_manager, team):
    case = representation_register(
        council=council,
        acting_user=complaints_manager,
        kind=c.Kind.COMPLIMENT,
        received_date=RECEIVED,
        compliment=ComplimentInput(about_team=team, about_person="Sam", quote="Sam listened to us."),
    )

    assert ComplimentDetail.objects.get(case=case).about_team == team
    assert case.next_due_date is None


def test_compliment_about_another_councils_team_refused(council, complaints_manager, other_team):
    with pytest.raises(ProcedureError) as error:
        representation_register(
            council=council,
            acting_user=complaints_manager,
            kind=c.Kind.COMPLIMENT,
            received_date=RECEIVED,
            compliment=ComplimentInput(about_team=other_team),
        )

    assert "belongs to another council" in error.value.message


@pytest.mark.parametrize("kind", [c.Kind.COMPLAINT, c.Kind.OMBUDSMAN, "letter"])
def test_complaints_and_ombudsman_cases_have_their_own_registration(council, complaints_manager, kind):
    with pytest.raises(ProcedureError) as error:
        representation_register(council=council, acting_user=complaints_manager, kind=kind, received_date=RECEIVED)

    assert error.value.message == errors.REPRESENTATION_KIND_INVALID.format(kind=kind)


def test_complaint_is_not_answered_as_a_representation(complaint, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        representation_respond(case=complaint, acting_user=complaints_manager, responded_date=date(2022, 6, 1))

    assert error.value.message == errors.WRONG_KIND.format(
        reference=complaint.reference, kind="complaint", expected="a representation"
    )


def test_query_answered_then_closed_cannot_be_answered_again(council, complaints_manager):
    case = representation_register(
        council=council,
        acting_user=complaints_manager,
        kind=c.Kind.QUERY,
        received_date=RECEIVED,
        topic="Who is my social worker?",
    )
    representation_respond(case=case, acting_user=complaints_manager, responded_date=RECEIVED)

    with pytest.raises(ProcedureError) as error:
        representation_respond(case=case, acting_user=complaints_manager, responded_date=RECEIVED)

    assert error.value.message == errors.CASE_CLOSED.format(reference=case.reference)
