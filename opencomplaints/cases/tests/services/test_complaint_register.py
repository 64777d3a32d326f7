from datetime import UTC, date, datetime

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import CaseChild, CaseComplainant, Deadline, Person
from opencomplaints.cases.services import ChildInput, ComplainantInput, LateAcceptance, PersonInput, complaint_register
from opencomplaints.cases.tests import factories as f
from opencomplaints.cases.tests.factories import RECEIVED, PersonFactory


def test_registers_in_triage_with_stage_1_and_its_due_date(council, complaints_manager, team, issue):
    case = f.register(council, complaints_manager, teams=[team, team], issues=[issue], summary=" Late visits ")

    assert case.reference == "CSC-2022-0001"
    assert case.kind == c.Kind.COMPLAINT
    assert case.status == c.CaseStatus.TRIAGE
    assert case.acceptance == c.Acceptance.PENDING
    assert case.current_stage == 1
    assert case.next_due_date == date(2022, 6, 13)
    assert case.summary == "Late visits"
    stage = f.stage(case, 1)
    assert (stage.received_date, stage.start_date, stage.response_date) == (RECEIVED, RECEIVED, None)
    assert list(case.case_teams.values_list("team_id", "service_area_id")) == [(team.pk, team.service_area_id)]
    assert list(case.case_issues.values_list("category_id", flat=True)) == [issue.pk]
    complainant = CaseComplainant.objects.get(case=case)
    assert complainant.is_primary
    assert complainant.sufficient_interest == c.SufficientInterestDecision.NOT_REQUIRED
    assert Deadline.objects.get(case=case).key == "stage1_response"


def test_references_are_numbered_per_council_and_year(council, other_council, complaints_manager):
    first = f.register(council, complaints_manager)
    second = f.register(council, complaints_manager)
    next_year = f.register(council, complaints_manager, received_date=date(2023, 1, 9))
    elsewhere = f.register(other_council, None)

    assert [first.reference, second.reference, next_year.reference] == [
        "CSC-2022-0001",
        "CSC-2022-0002",
        "CSC-2023-0001",
    ]
    assert elsewhere.reference == "NBY-2022-0001"


def test_generated_reference_skips_a_number_already_used(council, complaints_manager):
    f.register(council, complaints_manager, reference="CSC-2022-0001")

    assert f.register(council, complaints_manager).reference == "CSC-2022-0002"


def test_given_reference_must_be_unused(council, complaints_manager):
    f.register(council, complaints_manager, reference="LEGACY-17")

    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, reference="LEGACY-17")

    assert error.value.message == errors.REFERENCE_TAKEN.format(reference="LEGACY-17", council=council.name)


def test_needs_a_complainant_r1_4(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, complainants=[])

    assert error.value.message == errors.NEEDS_COMPLAINANT


def test_out_of_time_needs_discretion_decision_r1_12(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, grounds_arose_date=date(2021, 5, 25))

    assert error.value.message == errors.OUT_OF_TIME_NEEDS_DECISION.format(months=12, last_day="Wednesday 25 May 2022")


def test_a_year_to_the_day_is_in_time_r1_12(council, complaints_manager):
    case = f.register(council, complaints_manager, grounds_arose_date=date(2021, 5, 26))

    assert case.in_time is True
    assert case.late_acceptance_decided is None


def test_late_acceptance_needs_both_tests_r1_12(council, complaints_manager):
    late = LateAcceptance(accepted=True, not_reasonable_to_expect_reason="In hospital", still_possible_reason=" ")

    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, grounds_arose_date=date(2020, 1, 6), late_acceptance=late)

    assert error.value.message == errors.LATE_ACCEPTANCE_NEEDS_BOTH_REASONS


def test_late_complaint_accepted_with_both_reasons_r1_12(council, complaints_manager):
    late = LateAcceptance(
        accepted=True,
        not_reasonable_to_expect_reason="The young person was in hospital for most of the year.",
        still_possible_reason="The records and the social worker are still available.",
    )

    case = f.register(council, complaints_manager, grounds_arose_date=date(2020, 1, 6), late_acceptance=late)

    assert case.in_time is False
    assert case.late_acceptance_decided is True
    assert case.late_still_possible_reason == "The records and the social worker are still available."
    assert case.status == c.CaseStatus.TRIAGE


def test_late_complaint_refused_is_registered_declined_and_closed_r1_12(council, complaints_manager):
    late = LateAcceptance(
        accepted=False, not_reasonable_to_expect_reason="", still_possible_reason="The records were destroyed."
    )

    case = f.register(council, complaints_manager, grounds_arose_date=date(2019, 3, 1), late_acceptance=late)

    assert case.status == c.CaseStatus.CLOSED
    assert case.acceptance == c.Acceptance.DECLINED
    assert case.decline_reason == c.DeclineReason.OUT_OF_TIME
    assert case.closed_date == RECEIVED
    assert case.outcome == c.Outcome.NOT_ACCEPTED
    assert case.next_due_date is None
    assert f.stage(case, 1).outcome == c.Outcome.NOT_ACCEPTED


def test_late_refusal_needs_a_reason_r1_12(council, complaints_manager):
    late = LateAcceptance(accepted=False, not_reasonable_to_expect_reason="", still_possible_reason="")

    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, grounds_arose_date=date(2019, 3, 1), late_acceptance=late)

    assert error.value.message == errors.LATE_REFUSAL_NEEDS_REASON


def test_late_acceptance_not_needed_in_time_r1_12(council, complaints_manager):
    late = LateAcceptance(accepted=True, not_reasonable_to_expect_reason="a", still_possible_reason="b")

    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, grounds_arose_date=date(2022, 1, 4), late_acceptance=late)

    assert error.value.message == errors.LATE_ACCEPTANCE_NOT_NEEDED


def test_grounds_cannot_arise_after_receipt_r1_12(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, grounds_arose_date=date(2022, 5, 27))

    assert error.value.message == errors.GROUNDS_AFTER_RECEIVED.format(
        grounds="Friday 27 May 2022", received="Thursday 26 May 2022"
    )


def test_skipping_stage_1_needs_a_reason_r1_23(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, start_stage=2)

    assert error.value.message == errors.STAGE1_SKIP_NEEDS_REASON


def test_starting_at_stage_2_with_a_reason_r1_23(council, complaints_manager):
    case = f.register(
        council, complaints_manager, start_stage=2, stage1_skipped_reason="Serious allegations; agreed with the family."
    )

    stage = f.stage(case, 2)
    assert case.current_stage == 2
    assert stage.previous_stage_skipped_reason == "Serious allegations; agreed with the family."
    assert not case.stages.filter(number=1).exists()
    # Until the statement is agreed, 25 working days run from the request itself (R1.26 fallback).
    assert case.next_due_date == date(2022, 7, 4)
    assert list(case.deadlines.values_list("key", flat=True)) == ["stage2_response"]


def test_skip_reason_only_when_starting_at_stage_2_r1_23(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, stage1_skipped_reason="Because")

    assert error.value.message == errors.STAGE1_SKIP_REASON_ONLY_AT_STAGE2


@pytest.mark.parametrize("start_stage", [0, 3])
def test_only_stage_1_or_2_can_start_r1_23(council, complaints_manager, start_stage):
    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, start_stage=start_stage, stage1_skipped_reason="x")

    assert error.value.message == errors.START_STAGE_INVALID


def test_adults_procedure_has_no_stage_2(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        f.register(
            council,
            complaints_manager,
            procedure=c.Procedure.ADULTS_STATUTORY,
            start_stage=2,
            stage1_skipped_reason="x",
        )

    assert "has no stage 2" in error.value.message


def test_sufficient_interest_basis_waits_for_decision_r1_9(council, complaints_manager):
    grandparent = ComplainantInput(
        person=PersonInput(first_name="Maureen", last_name="Cartwright"),
        complainant_type=c.ComplainantType.PARENT_RELATIVE,
        eligibility_basis=c.EligibilityBasis.SUFFICIENT_INTEREST,
    )

    case = f.register(council, complaints_manager, complainants=[f.complainant(), grandparent])

    interest = dict(case.complainants.values_list("is_primary", "sufficient_interest"))
    assert interest == {True: c.SufficientInterestDecision.NOT_REQUIRED, False: c.SufficientInterestDecision.PENDING}


def test_team_of_another_council_refused(council, complaints_manager, other_team):
    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, teams=[other_team])

    assert error.value.message == errors.OTHER_COUNCIL.format(what="The team MASH", council=council.name)


def test_issue_of_another_council_refused(council, complaints_manager, other_issue):
    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, issues=[other_issue])

    assert error.value.message == errors.OTHER_COUNCIL.format(what="The issue category Delay", council=council.name)


def test_person_of_another_council_refused(council, other_council, complaints_manager):
    stranger = PersonFactory.create(council=other_council)
    given = ComplainantInput(person=PersonInput(person=stranger))

    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, complainants=[given])

    assert error.value.message == errors.OTHER_COUNCIL.format(what="The person chosen", council=council.name)


def test_existing_person_of_the_council_is_linked(council, complaints_manager):
    parent = PersonFactory.create(council=council, first_name="Dawn", last_name="Fletcher")

    case = f.register(council, complaints_manager, complainants=[ComplainantInput(person=PersonInput(person=parent))])

    assert case.complainants.get().person == parent


def test_owner_must_be_a_member_of_the_council(council, complaints_manager, other_council_officer):
    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, owner=other_council_officer)

    assert error.value.message == errors.NOT_A_MEMBER.format(user=other_council_officer, council=council.name)


def test_child_age_comes_from_date_of_birth(council, complaints_manager):
    child = ChildInput(
        person=PersonInput(first_name="Kai", last_name="Fletcher", date_of_birth=date(2010, 5, 27)),
        support_category=c.SupportCategory.CLA,
    )

    case = f.register(council, complaints_manager, children=[child])

    assert CaseChild.objects.get(case=case).age_at_receipt == 11


def test_child_over_25_refused(council, complaints_manager):
    child = ChildInput(person=PersonInput(first_name="Old", last_name="Hand"), age_at_receipt=30)

    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, children=[child])

    assert error.value.message == errors.CHILD_TOO_OLD.format(name="Old Hand", age=30)


def test_received_at_must_be_the_london_date_r5_12(council, complaints_manager):
    # 23:30 UTC on 26 May is 00:30 on 27 May in London (BST).
    late_evening = datetime(2022, 5, 26, 23, 30, tzinfo=UTC)

    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, received_at=late_evening)

    assert "is not the London date" in error.value.message
    case = f.register(council, complaints_manager, received_at=late_evening, received_date=date(2022, 5, 27))
    assert case.received_at == late_evening


def test_unknown_procedure_refused(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, procedure="pastoral")

    assert error.value.message.startswith("'pastoral' is not a procedure")


def test_corporate_procedure_only_for_corporate_complaints(council, complaints_manager):
    from opencomplaints.councils.tests.factories import CorporateProcedureFactory

    procedure = CorporateProcedureFactory.create(council=council)

    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, corporate_procedure=procedure)

    assert error.value.message == errors.CORPORATE_PROCEDURE_ONLY_FOR_CORPORATE


def test_invalid_choice_is_a_procedure_error(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        complaint_register(
            council=council,
            acting_user=complaints_manager,
            received_date=RECEIVED,
            received_via="carrier pigeon",
            complainants=[f.complainant()],
        )

    assert error.value.field == "received_via"


def test_the_same_person_named_twice_refused(council, complaints_manager):
    parent = PersonFactory.create(council=council, first_name="Dawn", last_name="Fletcher")
    given = ComplainantInput(person=PersonInput(person=parent))

    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, complainants=[given, given])

    assert error.value.message == errors.PERSON_TWICE.format(person="Dawn Fletcher", role="complainant")


def test_ethnicity_is_recorded_with_its_scheme_r6_2(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        f.register(council, complaints_manager, complainants=[f.complainant(ethnicity_code="WBRI")])

    assert error.value.message == errors.ETHNICITY_NEEDS_SCHEME.format(code="WBRI")


def test_a_young_person_complaining_about_their_own_care_is_one_person(council, complaints_manager):
    case = complaint_register(
        council=council,
        acting_user=complaints_manager,
        received_date=date(2022, 5, 26),
        complainants=[
            ComplainantInput(
                person=PersonInput(first_name="Jo", last_name="Example", date_of_birth=date(2007, 3, 1)),
                complainant_type=c.ComplainantType.CHILD_YOUNG_PERSON,
                eligibility_basis=c.EligibilityBasis.CHILD,
            )
        ],
        children=[ChildInput(same_as_complainant=True, support_category=c.SupportCategory.CLA)],
    )
    complainant = case.complainants.get()
    child = case.children.get()
    assert child.person == complainant.person
    assert child.age_at_receipt == 15
    assert Person.objects.filter(council=council).count() == 1


def test_a_child_needs_details_or_to_be_the_complainant_not_both(council, complaints_manager):
    for child in (ChildInput(), ChildInput(person=PersonInput(last_name="Other"), same_as_complainant=True)):
        with pytest.raises(ProcedureError, match="either their details or that they are the complainant"):
            complaint_register(
                council=council,
                acting_user=complaints_manager,
                received_date=date(2022, 5, 26),
                complainants=[ComplainantInput(person=PersonInput(last_name="Example"))],
                children=[child],
            )
