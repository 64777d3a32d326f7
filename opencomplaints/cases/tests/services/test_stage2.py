from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Recommendation
from opencomplaints.cases.services import (
    PointInput,
    RecommendationInput,
    stage2_adjudicate,
    stage2_appoint,
    stage2_report_receive,
    stage2_statement_agree,
)
from opencomplaints.cases.tests import factories as f


@pytest.fixture
def points(stage2, complaints_manager, investigating_officer, independent_person):
    return f.investigated(
        stage2, complaints_manager, investigating_officer=investigating_officer, independent_person=independent_person
    )


def test_io_and_ip_must_be_different_people_r1_25(stage2, complaints_manager, investigating_officer):
    with pytest.raises(ProcedureError) as error:
        stage2_appoint(
            stage=stage2,
            acting_user=complaints_manager,
            appointed_date=date(2022, 6, 21),
            investigating_officer=investigating_officer,
            independent_person=investigating_officer,
        )

    assert error.value.message == errors.IO_IS_IP.format(user=investigating_officer)


def test_io_and_ip_differ_when_appointed_separately_r1_25(stage2, complaints_manager, investigating_officer):
    stage2_appoint(
        stage=stage2,
        acting_user=complaints_manager,
        appointed_date=date(2022, 6, 21),
        investigating_officer=investigating_officer,
    )

    with pytest.raises(ProcedureError) as error:
        stage2_appoint(
            stage=stage2,
            acting_user=complaints_manager,
            appointed_date=date(2022, 6, 22),
            independent_person=investigating_officer,
        )

    assert error.value.message == errors.IO_IS_IP.format(user=investigating_officer)


def test_appointees_must_be_members_of_the_council(stage2, complaints_manager, other_council_officer):
    with pytest.raises(ProcedureError) as error:
        stage2_appoint(
            stage=stage2,
            acting_user=complaints_manager,
            appointed_date=date(2022, 6, 21),
            investigating_officer=other_council_officer,
        )

    assert error.value.message == errors.NOT_A_MEMBER.format(
        user=other_council_officer, council="Borough of Exampleton"
    )


def test_appointment_names_someone_r1_25(stage2, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage2_appoint(stage=stage2, acting_user=complaints_manager, appointed_date=date(2022, 6, 21))

    assert error.value.message == errors.APPOINT_NOBODY


def test_stage_2_steps_only_at_stage_2(stage1, complaints_manager, investigating_officer):
    with pytest.raises(ProcedureError) as error:
        stage2_appoint(
            stage=stage1,
            acting_user=complaints_manager,
            appointed_date=date(2022, 6, 21),
            investigating_officer=investigating_officer,
        )

    assert error.value.message == errors.NOT_STAGE.format(number=2)


def test_statement_agreed_is_the_start_date_r1_26(stage2, complaints_manager, issue):
    case = stage2.case
    case.refresh_from_db()
    assert case.next_due_date == date(2022, 7, 25)  # 25 working days from the request, until the statement

    stage2_statement_agree(
        stage=stage2,
        acting_user=complaints_manager,
        agreed_date=date(2022, 7, 1),
        points=["Visits were missed", PointInput(description="Records were wrong", issue=issue)],
    )

    case.refresh_from_db()
    stage2.refresh_from_db()
    assert (stage2.start_date, stage2.statement_agreed_date) == (date(2022, 7, 1), date(2022, 7, 1))
    assert case.next_due_date == date(2022, 8, 5)
    assert list(case.points.values_list("number", "description", "issue")) == [
        (1, "Visits were missed", None),
        (2, "Records were wrong", issue.pk),
    ]


def test_statement_lists_at_least_one_point_r1_24(stage2, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage2_statement_agree(stage=stage2, acting_user=complaints_manager, agreed_date=date(2022, 7, 1), points=[])

    assert error.value.message == errors.STATEMENT_NEEDS_POINTS


def test_statement_point_issue_of_another_council_refused(stage2, complaints_manager, other_issue):
    with pytest.raises(ProcedureError) as error:
        stage2_statement_agree(
            stage=stage2, acting_user=complaints_manager, agreed_date=date(2022, 7, 1), points=[("Late", other_issue)]
        )

    assert "belongs to another council" in error.value.message


def test_statement_agreed_again_replaces_the_points_r1_24(stage2, complaints_manager):
    stage2_statement_agree(stage=stage2, acting_user=complaints_manager, agreed_date=date(2022, 7, 1), points=["One"])

    stage2_statement_agree(
        stage=stage2, acting_user=complaints_manager, agreed_date=date(2022, 7, 4), points=["One", "Two"]
    )

    assert list(stage2.case.points.values_list("description", flat=True)) == ["One", "Two"]


def test_report_needs_the_statement_first_r1_24(stage2, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage2_report_receive(stage=stage2, acting_user=complaints_manager, report_date=date(2022, 7, 20))

    assert error.value.message == errors.REQUIRED_FIRST.format(
        missing="Agree the statement of complaint", action="recording the investigation report", rule="R1.24"
    )


def test_adjudication_needs_the_independent_person_r1_25(
    stage2, complaints_manager, investigating_officer, adjudicator
):
    stage2_appoint(
        stage=stage2,
        acting_user=complaints_manager,
        appointed_date=date(2022, 6, 21),
        investigating_officer=investigating_officer,
    )
    stage2_statement_agree(stage=stage2, acting_user=complaints_manager, agreed_date=date(2022, 7, 1), points=["A"])
    stage2_report_receive(stage=stage2, acting_user=complaints_manager, report_date=date(2022, 7, 20))

    with pytest.raises(ProcedureError) as error:
        stage2_adjudicate(
            stage=stage2,
            acting_user=complaints_manager,
            adjudicator=adjudicator,
            adjudication_date=date(2022, 8, 1),
            findings={},
        )

    assert error.value.message == errors.REQUIRED_FIRST.format(
        missing="Appoint the independent person", action="adjudicating", rule="R1.25, R1.28"
    )


def test_adjudication_needs_a_finding_on_every_point_r1_25(stage2, points, complaints_manager, adjudicator):
    with pytest.raises(ProcedureError) as error:
        stage2_adjudicate(
            stage=stage2,
            acting_user=complaints_manager,
            adjudicator=adjudicator,
            adjudication_date=date(2022, 8, 1),
            findings={points[0]: c.Finding.UPHELD},
        )

    assert error.value.message == errors.FINDINGS_MISSING.format(number=2, points="2")


@pytest.mark.parametrize(
    ("findings", "outcome"),
    [
        ((c.Finding.UPHELD, c.Finding.UPHELD), c.Outcome.UPHELD),
        ((c.Finding.NOT_UPHELD, c.Finding.NO_FINDING), c.Outcome.NOT_UPHELD),
        ((c.Finding.UPHELD, c.Finding.NOT_UPHELD), c.Outcome.PARTLY_UPHELD),
        ((c.Finding.PARTLY_UPHELD, c.Finding.PARTLY_UPHELD), c.Outcome.PARTLY_UPHELD),
        ((c.Finding.UPHELD, c.Finding.NO_FINDING), c.Outcome.UPHELD),
    ],
)
def test_adjudication_outcome_rolls_up_from_the_findings_r1_25(
    stage2, points, complaints_manager, adjudicator, findings, outcome
):
    stage2_adjudicate(
        stage=stage2,
        acting_user=complaints_manager,
        adjudicator=adjudicator,
        adjudication_date=date(2022, 8, 1),
        findings=dict(zip(points, findings, strict=True)),
    )

    stage2.refresh_from_db()
    assert (stage2.outcome, stage2.response_date, stage2.adjudication_date) == (
        outcome,
        date(2022, 8, 1),
        date(2022, 8, 1),
    )
    assert stage2.findings.count() == 2


def test_adjudication_is_the_stage_2_response_r1_28(stage2, points, complaints_manager, adjudicator):
    stage2_adjudicate(
        stage=stage2,
        acting_user=complaints_manager,
        adjudicator=adjudicator,
        adjudication_date=date(2022, 8, 1),
        findings=dict.fromkeys(points, c.Finding.UPHELD),
        recommendations=["Apologise in writing", RecommendationInput(text="Review the visit schedule", accepted=True)],
    )

    met = dict(stage2.deadlines.values_list("key", "met_date"))
    assert met == {
        "stage2_response": date(2022, 8, 1),
        "stage2_adjudication": date(2022, 8, 1),
        "stage3_request_window": None,
    }
    assert list(Recommendation.objects.filter(stage=stage2).values_list("number", "accepted")) == [(1, None), (2, True)]


def test_not_following_an_investigation_recommendation_needs_a_reason_r1_33(
    stage2, points, complaints_manager, adjudicator
):
    with pytest.raises(ProcedureError) as error:
        stage2_adjudicate(
            stage=stage2,
            acting_user=complaints_manager,
            adjudicator=adjudicator,
            adjudication_date=date(2022, 8, 1),
            findings=dict.fromkeys(points, c.Finding.UPHELD),
            recommendations=[RecommendationInput(text="Pay £250", accepted=False)],
        )

    assert error.value.message == errors.RECOMMENDATION_REJECTED_WITHOUT_REASON.format(number=1)


def test_stated_outcome_must_match_the_findings_r1_25(stage2, points, complaints_manager, adjudicator):
    # The dedicated service never passes an outcome; the shared response check refuses a contradicting one.
    from opencomplaints.cases.services._common import lock_stage
    from opencomplaints.cases.services.stages import respond

    state = lock_stage(stage2)
    with pytest.raises(ProcedureError) as error:
        respond(
            state,
            stage2,
            response_date=date(2022, 8, 1),
            outcome=c.Outcome.UPHELD,
            findings=dict.fromkeys(points, c.Finding.NOT_UPHELD),
        )

    assert error.value.message == errors.OUTCOME_DISAGREES_WITH_FINDINGS.format(
        number=2, rolled_up="not upheld", outcome="upheld"
    )
