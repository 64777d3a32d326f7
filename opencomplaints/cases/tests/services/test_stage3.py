from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import PanelMember
from opencomplaints.cases.services import (
    RecommendationResponse,
    stage3_panel_appoint,
    stage3_panel_record,
    stage3_report_record,
    stage3_respond,
)


@pytest.fixture
def reported(stage3, complaints_manager, panel_members):
    stage3_panel_appoint(
        stage=stage3, acting_user=complaints_manager, chair=panel_members[0], members=panel_members[1:]
    )
    stage3_panel_record(stage=stage3, acting_user=complaints_manager, panel_date=date(2022, 9, 20))
    stage3_report_record(
        stage=stage3,
        acting_user=complaints_manager,
        report_date=date(2022, 9, 23),
        recommendations=["Apologise in writing", "Review the visit schedule"],
    )
    return stage3


def test_panel_is_three_people_one_chairing_r1_30(stage3, complaints_manager, panel_members):
    stage3_panel_appoint(
        stage=stage3, acting_user=complaints_manager, chair=panel_members[0], members=panel_members[1:]
    )

    roles = sorted(PanelMember.objects.filter(stage=stage3).values_list("role", flat=True))
    assert roles == [c.PanelRole.CHAIR, c.PanelRole.MEMBER, c.PanelRole.MEMBER]


@pytest.mark.parametrize("how_many", [1, 3])
def test_panel_of_other_than_three_refused_r1_30(stage3, complaints_manager, panel_members, adjudicator, how_many):
    members = [*panel_members[1:], adjudicator][:how_many]

    with pytest.raises(ProcedureError) as error:
        stage3_panel_appoint(stage=stage3, acting_user=complaints_manager, chair=panel_members[0], members=members)

    assert error.value.message == errors.PANEL_SIZE.format(count=how_many + 1)


def test_panel_members_must_be_different_people_r1_30(stage3, complaints_manager, panel_members):
    with pytest.raises(ProcedureError) as error:
        stage3_panel_appoint(
            stage=stage3,
            acting_user=complaints_manager,
            chair=panel_members[0],
            members=[panel_members[1], panel_members[1]],
        )

    assert error.value.message == errors.PANEL_SIZE.format(count=2)


def test_chair_is_not_listed_again_as_a_member_r1_30(stage3, complaints_manager, panel_members):
    with pytest.raises(ProcedureError) as error:
        stage3_panel_appoint(
            stage=stage3, acting_user=complaints_manager, chair=panel_members[0], members=panel_members[:2]
        )

    assert error.value.message == errors.PANEL_CHAIR_ALSO_MEMBER


def test_panel_may_not_include_the_stage_2_independent_person_r1_30(
    stage3, complaints_manager, panel_members, independent_person
):
    with pytest.raises(ProcedureError) as error:
        stage3_panel_appoint(
            stage=stage3, acting_user=complaints_manager, chair=independent_person, members=panel_members[1:]
        )

    assert error.value.message == errors.PANEL_INCLUDES_IP.format(user=independent_person)


def test_panel_cannot_change_after_it_met_r1_30(reported, complaints_manager, panel_members):
    with pytest.raises(ProcedureError) as error:
        stage3_panel_appoint(
            stage=reported,
            acting_user=complaints_manager,
            chair=panel_members[1],
            members=[panel_members[0], panel_members[2]],
        )

    assert error.value.message == errors.PANEL_ALREADY_MET.format(panel_date=date(2022, 9, 20))


def test_panel_meeting_needs_the_panel_r1_30(stage3, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage3_panel_record(stage=stage3, acting_user=complaints_manager, panel_date=date(2022, 9, 20))

    assert error.value.message == errors.REQUIRED_FIRST.format(
        missing="Appoint the review panel", action="recording the panel meeting", rule="R1.30, R1.31"
    )


def test_panel_report_needs_the_meeting_r1_32(stage3, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage3_report_record(stage=stage3, acting_user=complaints_manager, report_date=date(2022, 9, 23))

    assert error.value.message == errors.REQUIRED_FIRST.format(
        missing="Record the date the panel met", action="recording the panel's report", rule="R1.32"
    )


def test_not_following_a_panel_recommendation_needs_a_reason_r1_33(reported, complaints_manager):
    first, second = reported.recommendations.order_by("number")

    with pytest.raises(ProcedureError) as error:
        stage3_respond(
            stage=reported,
            acting_user=complaints_manager,
            response_date=date(2022, 10, 10),
            findings=dict.fromkeys(reported.case.points.all(), c.Finding.UPHELD),
            recommendation_responses={first: True, second: RecommendationResponse(accepted=False)},
        )

    assert error.value.message == errors.RECOMMENDATION_REJECTED_WITHOUT_REASON.format(number=2)


def test_every_panel_recommendation_is_answered_r1_33(reported, complaints_manager):
    first = reported.recommendations.get(number=1)

    with pytest.raises(ProcedureError) as error:
        stage3_respond(
            stage=reported,
            acting_user=complaints_manager,
            response_date=date(2022, 10, 10),
            findings=dict.fromkeys(reported.case.points.all(), c.Finding.UPHELD),
            recommendation_responses={first: True},
        )

    assert error.value.message == errors.RECOMMENDATION_NOT_ANSWERED.format(number=2)


def test_stage_3_response_needs_a_finding_on_every_point_r1_25(reported, complaints_manager):
    first, second = reported.recommendations.order_by("number")

    with pytest.raises(ProcedureError) as error:
        stage3_respond(
            stage=reported,
            acting_user=complaints_manager,
            response_date=date(2022, 10, 10),
            findings={},
            recommendation_responses={first: True, second: True},
        )

    assert error.value.message == errors.FINDINGS_MISSING.format(number=3, points="1, 2")


def test_stage_3_response_ends_the_procedure_r1_33(reported, complaints_manager):
    first, second = reported.recommendations.order_by("number")
    one, two = reported.case.points.order_by("number")

    stage3_respond(
        stage=reported,
        acting_user=complaints_manager,
        response_date=date(2022, 10, 10),
        findings={one: c.Finding.UPHELD, two: c.Finding.NOT_UPHELD},
        recommendation_responses={first: True, second: (False, "The schedule was changed in June.")},
    )

    case = reported.case
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_date) == (
        c.CaseStatus.CLOSED,
        c.Outcome.PARTLY_UPHELD,
        date(2022, 10, 10),
    )
    assert list(reported.recommendations.values_list("accepted", "reason")) == [
        (True, ""),
        (False, "The schedule was changed in June."),
    ]
    due = dict(reported.deadlines.values_list("key", "due_date"))
    assert due == {
        "stage3_panel": date(2022, 9, 28),
        "stage3_panel_report": date(2022, 9, 27),
        "stage3_response": date(2022, 10, 14),
    }


def test_stage_3_response_not_before_the_report_r1_33(reported, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage3_respond(
            stage=reported,
            acting_user=complaints_manager,
            response_date=date(2022, 9, 22),
            findings={},
            recommendation_responses={},
        )

    assert error.value.message.startswith("The response (Thursday 22 September 2022) cannot be before")
