"""Point by point at every stage: the points of complaint recorded at stage 1, a finding and a response on each,
the outcome derived from them (or another with a reason), the stage 2 statement keeping the points answered at
stage 1, and the council's response to recommendations with their follow-up (issue 15, item 4; R1.25, R1.33)."""

from datetime import date

import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import ComplaintPoint, PointFinding, Recommendation
from opencomplaints.cases.services import (
    RecommendationInput,
    complaint_escalate,
    complaint_point_add,
    complaint_point_change,
    complaint_point_remove,
    complaint_withdraw,
    recommendation_follow_up_done,
    recommendation_respond,
    stage2_adjudicate,
    stage2_statement_agree,
    stage_respond,
)
from opencomplaints.cases.tests import factories as f

CALLS = "The social worker did not return my calls"
VISITS = "Visits to my son were cancelled at short notice"
PLAN = "The care plan was not shared with me"


@pytest.fixture
def three_points(complaint, complaints_manager, issue):
    return [
        complaint_point_add(case=complaint, acting_user=complaints_manager, description=CALLS, issue=issue),
        complaint_point_add(case=complaint, acting_user=complaints_manager, description=f"  {VISITS} "),
        complaint_point_add(case=complaint, acting_user=complaints_manager, description=PLAN),
    ]


def test_points_are_added_at_stage_1_numbered_in_order_and_audited(complaint, three_points, issue):
    assert list(complaint.points.values_list("number", "description", "issue")) == [
        (1, CALLS, issue.pk),
        (2, VISITS, None),
        (3, PLAN, None),
    ]
    event = AuditEvent.objects.filter(event_type=AuditEventType.POINT_ADDED).latest("pk")
    assert event.case_id == complaint.pk
    assert event.after["number"] == 3


def test_a_point_needs_words(complaint, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        complaint_point_add(case=complaint, acting_user=complaints_manager, description="   ")

    assert (error.value.message, error.value.field) == (errors.POINT_NEEDS_DESCRIPTION, "description")


def test_a_point_cannot_have_another_councils_issue(complaint, complaints_manager, other_issue):
    with pytest.raises(ProcedureError):
        complaint_point_add(case=complaint, acting_user=complaints_manager, description=CALLS, issue=other_issue)


def test_a_point_is_changed_before_the_response(three_points, complaints_manager):
    point = complaint_point_change(point=three_points[1], acting_user=complaints_manager, description="Visits cut")

    point.refresh_from_db()
    assert point.description == "Visits cut"
    event = AuditEvent.objects.get(event_type=AuditEventType.POINT_CHANGED)
    assert set(event.after) == {"description"}


def test_changing_nothing_is_refused(three_points, complaints_manager, issue):
    with pytest.raises(ProcedureError) as error:
        complaint_point_change(point=three_points[0], acting_user=complaints_manager, description=CALLS, issue=issue)

    assert error.value.message == errors.DETAILS_UNCHANGED


def test_removing_a_point_renumbers_the_rest(complaint, three_points, complaints_manager):
    complaint_point_remove(point=three_points[0], acting_user=complaints_manager)

    assert list(complaint.points.values_list("number", "description")) == [(1, VISITS), (2, PLAN)]
    assert AuditEvent.objects.filter(event_type=AuditEventType.POINT_REMOVED).count() == 1


def _respond_point_by_point(stage, user, points, findings, **kwargs):
    return stage_respond(
        stage=stage,
        acting_user=user,
        response_date=date(2022, 6, 8),
        findings=dict(zip(points, findings, strict=True)),
        responses={points[0]: "We are sorry: your calls should have been returned within a day."},
        **kwargs,
    )


@pytest.mark.parametrize(
    ("findings", "outcome"),
    [
        ((c.Finding.UPHELD, c.Finding.UPHELD, c.Finding.NO_FINDING), c.Outcome.UPHELD),
        ((c.Finding.UPHELD, c.Finding.NOT_UPHELD, c.Finding.NOT_UPHELD), c.Outcome.PARTLY_UPHELD),
        ((c.Finding.NOT_UPHELD, c.Finding.NOT_UPHELD, c.Finding.NOT_UPHELD), c.Outcome.NOT_UPHELD),
    ],
)
def test_stage_1_outcome_is_derived_from_the_points(stage1, three_points, complaints_manager, findings, outcome):
    _respond_point_by_point(stage1, complaints_manager, three_points, findings)

    stage1.refresh_from_db()
    assert (stage1.outcome, stage1.outcome_override_reason) == (outcome, "")
    rows = PointFinding.objects.filter(stage=stage1).order_by("point__number")
    assert [r.finding for r in rows] == list(findings)
    assert rows[0].response.startswith("We are sorry")
    assert [r.response for r in rows[1:]] == ["", ""]
    event = AuditEvent.objects.get(event_type=AuditEventType.STAGE_RESPONDED)
    assert list(event.after["responses"]) == [str(three_points[0].pk)]


def test_stage_1_with_points_needs_a_finding_on_every_one(stage1, three_points, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage_respond(
            stage=stage1,
            acting_user=complaints_manager,
            response_date=date(2022, 6, 8),
            outcome=c.Outcome.UPHELD,
            findings={three_points[0]: c.Finding.UPHELD},
        )

    assert error.value.message == errors.FINDINGS_MISSING.format(number=1, points="2, 3")


def test_another_outcome_than_the_points_give_needs_a_reason(stage1, three_points, complaints_manager):
    findings = (c.Finding.UPHELD, c.Finding.NOT_UPHELD, c.Finding.NOT_UPHELD)
    with pytest.raises(ProcedureError) as error:
        _respond_point_by_point(stage1, complaints_manager, three_points, findings, outcome=c.Outcome.UPHELD)

    assert error.value.field == "outcome_reason"
    assert "partly upheld" in error.value.message

    reason = "The missed calls caused the other two problems."
    _respond_point_by_point(
        stage1, complaints_manager, three_points, findings, outcome=c.Outcome.UPHELD, outcome_reason=reason
    )
    stage1.refresh_from_db()
    assert (stage1.outcome, stage1.outcome_override_reason) == (c.Outcome.UPHELD, reason)
    event = AuditEvent.objects.get(event_type=AuditEventType.STAGE_RESPONDED)
    assert "outcome_override_reason" in event.after


def test_points_cannot_change_once_answered(stage1, three_points, complaints_manager):
    _respond_point_by_point(stage1, complaints_manager, three_points, (c.Finding.UPHELD,) * 3)

    with pytest.raises(ProcedureError) as error:
        complaint_point_change(point=three_points[0], acting_user=complaints_manager, description="Other words")
    assert error.value.message == errors.POINTS_NO_OPEN_STAGE.format(reference=stage1.case.reference)


def test_stage_2_statement_keeps_the_points_answered_at_stage_1(
    stage1, three_points, complaints_manager, investigating_officer, independent_person, adjudicator
):
    _respond_point_by_point(stage1, complaints_manager, three_points, (c.Finding.NOT_UPHELD,) * 3)
    case = stage1.case
    stage2 = complaint_escalate(case=case, acting_user=complaints_manager, request_received_date=date(2022, 6, 20))

    with pytest.raises(ProcedureError) as error:
        complaint_point_add(case=case, acting_user=complaints_manager, description="A fourth point")
    assert error.value.message == errors.POINTS_BY_STATEMENT.format(number=2)
    with pytest.raises(ProcedureError) as error:
        stage2_statement_agree(
            stage=stage2, acting_user=complaints_manager, agreed_date=date(2022, 7, 1), points=[CALLS, VISITS]
        )
    assert error.value.message == errors.STATEMENT_DROPS_ANSWERED_POINT.format(number=3)

    points = f.investigated(
        stage2,
        complaints_manager,
        investigating_officer=investigating_officer,
        independent_person=independent_person,
        points=(CALLS, "Visits were cancelled", PLAN, "Nobody replied to my emails"),
    )
    assert [p.pk for p in points[:3]] == [p.pk for p in three_points]
    assert PointFinding.objects.filter(stage=stage1).count() == 3
    stage2_adjudicate(
        stage=stage2,
        acting_user=complaints_manager,
        adjudicator=adjudicator,
        adjudication_date=date(2022, 8, 5),
        findings=dict.fromkeys(points, c.Finding.UPHELD),
        recommendations=["Return calls within one working day", RecommendationInput(text="Write the care plan")],
        response_sent_via=c.ResponseSentVia.POST,
    )
    stage2.refresh_from_db()
    assert stage2.outcome == c.Outcome.UPHELD
    # R1.29: a letter posted on Friday 5 August is deemed received two working days later.
    assert stage2.response_received_date == date(2022, 8, 9)


@pytest.fixture
def adjudicated(stage3):
    """Stage 2 adjudicated on Friday 5 August 2022 with two recommendations, stage 3 open."""
    stage2 = stage3.case.stages.get(number=2)
    Recommendation.objects.bulk_create(
        [
            Recommendation(stage=stage2, number=1, text="Return calls within one working day"),
            Recommendation(stage=stage2, number=2, text="Pay £150 for the time and trouble"),
        ]
    )
    return stage2


def test_the_council_responds_to_a_recommendation_with_a_follow_up(adjudicated, complaints_manager):
    first = adjudicated.recommendations.get(number=1)

    recommendation_respond(
        recommendation=first,
        acting_user=complaints_manager,
        accepted=True,
        follow_up_action="Team manager to remind the team at the next meeting",
        follow_up_due_date=date(2022, 9, 1),
    )
    recommendation_follow_up_done(recommendation=first, acting_user=complaints_manager, done_date=date(2022, 8, 30))

    first.refresh_from_db()
    assert (first.accepted, first.follow_up_due_date, first.follow_up_done_date) == (
        True,
        date(2022, 9, 1),
        date(2022, 8, 30),
    )
    kinds = AuditEvent.objects.filter(case=adjudicated.case).values_list("event_type", flat=True)
    assert {AuditEventType.RECOMMENDATION_RESPONDED, AuditEventType.RECOMMENDATION_FOLLOWED_UP} <= set(kinds)


def test_not_following_a_recommendation_needs_the_reason_r1_33(adjudicated, complaints_manager):
    second = adjudicated.recommendations.get(number=2)
    with pytest.raises(ProcedureError) as error:
        recommendation_respond(recommendation=second, acting_user=complaints_manager, accepted=False)
    assert (error.value.message, error.value.field) == (
        errors.RECOMMENDATION_REJECTED_WITHOUT_REASON.format(number=2),
        "reason",
    )

    with pytest.raises(ProcedureError) as error:
        recommendation_respond(
            recommendation=second,
            acting_user=complaints_manager,
            accepted=False,
            reason="Paid under the remedies already agreed",
            follow_up_action="Pay it",
        )
    assert error.value.message == errors.FOLLOW_UP_NOT_FOLLOWED

    recommendation_respond(
        recommendation=second,
        acting_user=complaints_manager,
        accepted=False,
        reason="Paid under the remedies already agreed",
    )
    second.refresh_from_db()
    assert (second.accepted, second.reason) == (False, "Paid under the remedies already agreed")


def test_follow_up_refusals(adjudicated, complaints_manager):
    first = adjudicated.recommendations.get(number=1)
    with pytest.raises(ProcedureError) as error:
        recommendation_respond(
            recommendation=first, acting_user=complaints_manager, accepted=True, follow_up_due_date=date(2022, 9, 1)
        )
    assert error.value.message == errors.FOLLOW_UP_DATE_NEEDS_ACTION

    with pytest.raises(ProcedureError) as error:
        recommendation_respond(
            recommendation=first,
            acting_user=complaints_manager,
            accepted=True,
            follow_up_action="Remind the team",
            follow_up_due_date=date(2022, 8, 1),
        )
    assert error.value.field == "follow_up_due_date"

    with pytest.raises(ProcedureError) as error:
        recommendation_follow_up_done(recommendation=first, acting_user=complaints_manager, done_date=date(2022, 9, 1))
    assert error.value.message == errors.FOLLOW_UP_NONE.format(number=1)


def test_an_open_stages_recommendations_wait_for_its_response(stage3, complaints_manager):
    rec = Recommendation.objects.create(stage=stage3, number=1, text="Apologise")
    with pytest.raises(ProcedureError) as error:
        recommendation_respond(recommendation=rec, acting_user=complaints_manager, accepted=True)

    assert error.value.message == errors.RECOMMENDATION_STAGE_OPEN.format(number=3)


def test_points_of_a_closed_case_cannot_change(complaint, three_points, complaints_manager):
    complaint_withdraw(case=complaint, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 1))
    with pytest.raises(ProcedureError):
        complaint_point_remove(point=ComplaintPoint.objects.get(pk=three_points[0].pk), acting_user=complaints_manager)
