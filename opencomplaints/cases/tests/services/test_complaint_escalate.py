from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import (
    complaint_close,
    complaint_escalate,
    stage2_adjudicate,
    stage_respond,
)
from opencomplaints.cases.tests import factories as f

RESPONDED = date(2022, 6, 10)  # the stage 2 window then ends on Friday 8 July 2022


@pytest.fixture
def answered(complaint, stage1, complaints_manager):
    stage_respond(stage=stage1, acting_user=complaints_manager, response_date=RESPONDED, outcome=c.Outcome.NOT_UPHELD)
    return complaint


def test_request_in_the_window_opens_stage_2_r1_22(answered, complaints_manager):
    stage2 = complaint_escalate(case=answered, acting_user=complaints_manager, request_received_date=date(2022, 7, 8))

    answered.refresh_from_db()
    assert (stage2.number, stage2.request_in_window, stage2.late_request_accepted) == (2, True, None)
    assert (answered.current_stage, answered.outcome) == (2, "")
    window = answered.deadlines.get(key="stage2_request_window")
    assert window.met_date == date(2022, 7, 8)


def test_escalation_of_an_unanswered_stage_within_its_time_refused_r1_21(complaint, complaints_manager):
    """R1.21: while stage 1 is within the time allowed (due Monday 13 June 2022) it must be answered first."""
    with pytest.raises(ProcedureError) as error:
        complaint_escalate(case=complaint, acting_user=complaints_manager, request_received_date=date(2022, 6, 13))

    assert error.value.message == errors.ESCALATE_OPEN_STAGE.format(number=1, next=2, allowed="Monday 13 June 2022")
    assert complaint.stages.count() == 1


def test_unanswered_stage_1_escalated_once_the_time_allowed_has_passed_r1_21(complaint, complaints_manager):
    """R1.21: a stage 1 not resolved within the time allowed may go to stage 2."""
    stage2 = complaint_escalate(case=complaint, acting_user=complaints_manager, request_received_date=date(2022, 6, 14))

    complaint.refresh_from_db()
    assert (stage2.number, complaint.current_stage, complaint.closed_date) == (2, 2, None)
    assert stage2.request_in_window is None


def test_escalation_from_a_closed_case_refused(answered, complaints_manager):
    complaint_close(case=answered, acting_user=complaints_manager, closed_date=date(2022, 7, 11))

    with pytest.raises(ProcedureError) as error:
        complaint_escalate(case=answered, acting_user=complaints_manager, request_received_date=date(2022, 7, 12))

    assert error.value.message == errors.CASE_CLOSED.format(reference=answered.reference)


def test_late_stage_2_request_is_flagged_for_a_decision_r1_22(answered, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        complaint_escalate(case=answered, acting_user=complaints_manager, request_received_date=date(2022, 7, 11))

    assert error.value.message == errors.LATE_REQUEST_NEEDS_DECISION.format(
        next=2, request="Monday 11 July 2022", days=20, window_end="Friday 8 July 2022", rule="R1.22"
    )
    assert answered.stages.count() == 1


def test_late_stage_2_request_decision_needs_a_reason_r1_22(answered, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        complaint_escalate(
            case=answered,
            acting_user=complaints_manager,
            request_received_date=date(2022, 7, 11),
            late_request_accepted=True,
        )

    assert error.value.message == errors.LATE_REQUEST_NEEDS_REASON.format(next=2, rule="R1.22")


def test_late_stage_2_request_accepted_is_recorded_r1_22(answered, complaints_manager):
    stage2 = complaint_escalate(
        case=answered,
        acting_user=complaints_manager,
        request_received_date=date(2022, 7, 11),
        late_request_accepted=True,
        late_request_reason="The response went to an old address.",
    )

    assert (stage2.request_in_window, stage2.late_request_accepted) == (False, True)
    assert stage2.response_date is None


def test_late_stage_2_request_refused_is_recorded_not_silent_r1_22(answered, complaints_manager):
    stage2 = complaint_escalate(
        case=answered,
        acting_user=complaints_manager,
        request_received_date=date(2022, 9, 1),
        late_request_accepted=False,
        late_request_reason="Nearly three months late with no reason given.",
    )

    answered.refresh_from_db()
    assert (stage2.outcome, stage2.response_date) == (c.Outcome.NOT_ACCEPTED, date(2022, 9, 1))
    assert answered.status == c.CaseStatus.CLOSED


def test_no_decision_needed_in_the_window_r1_22(answered, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        complaint_escalate(
            case=answered,
            acting_user=complaints_manager,
            request_received_date=date(2022, 6, 20),
            late_request_accepted=True,
            late_request_reason="x",
        )

    assert error.value.message == errors.LATE_DECISION_NOT_NEEDED.format(
        next=2, window_end="Friday 8 July 2022", rule="R1.22"
    )


def test_request_cannot_come_before_the_response(answered, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        complaint_escalate(case=answered, acting_user=complaints_manager, request_received_date=date(2022, 6, 9))

    assert error.value.field == "request_received_date"


def test_late_stage_3_request_is_flagged_for_a_decision_r1_29(
    council, complaints_manager, investigating_officer, independent_person, adjudicator
):
    stage2 = f.at_stage2(council, complaints_manager)
    points = f.investigated(
        stage2, complaints_manager, investigating_officer=investigating_officer, independent_person=independent_person
    )
    stage2_adjudicate(
        stage=stage2,
        acting_user=complaints_manager,
        adjudicator=adjudicator,
        adjudication_date=date(2022, 8, 5),
        findings=dict.fromkeys(points, c.Finding.NOT_UPHELD),
    )

    with pytest.raises(ProcedureError) as error:
        complaint_escalate(case=stage2.case, acting_user=complaints_manager, request_received_date=date(2022, 9, 6))

    # 20 working days from Friday 5 August 2022 (29 August is the summer bank holiday).
    assert error.value.message == errors.LATE_REQUEST_NEEDS_DECISION.format(
        next=3, request="Tuesday 6 September 2022", days=20, window_end="Monday 5 September 2022", rule="R1.29"
    )


def test_there_is_no_stage_after_stage_3(stage3, complaints_manager, panel_members):
    from opencomplaints.cases.services import (
        stage3_panel_appoint,
        stage3_panel_record,
        stage3_report_record,
        stage3_respond,
    )

    case = stage3.case
    stage3_panel_appoint(
        stage=stage3, acting_user=complaints_manager, chair=panel_members[0], members=panel_members[1:]
    )
    stage3_panel_record(stage=stage3, acting_user=complaints_manager, panel_date=date(2022, 9, 20))
    stage3_report_record(stage=stage3, acting_user=complaints_manager, report_date=date(2022, 9, 23))
    stage3_respond(
        stage=stage3,
        acting_user=complaints_manager,
        response_date=date(2022, 10, 10),
        findings=dict.fromkeys(case.points.all(), c.Finding.NOT_UPHELD),
        recommendation_responses={},
    )
    from opencomplaints.cases.services import complaint_reopen

    complaint_reopen(
        case=case,
        acting_user=complaints_manager,
        reason="Ombudsman asked us to look again",
        reopened_date=date(2022, 11, 1),
        reopen_stage=False,
    )

    with pytest.raises(ProcedureError) as error:
        complaint_escalate(case=case, acting_user=complaints_manager, request_received_date=date(2022, 11, 2))

    assert error.value.message == errors.ESCALATE_NO_NEXT_STAGE.format(
        number=3, procedure="Children's social care statutory complaints (Children Act 1989, 2006 Regulations)"
    )


def test_stage_3_follows_the_adjudication_r1_29(stage2, complaints_manager):
    from opencomplaints.cases.models import Stage

    # A stage 2 ended without an adjudication (only possible by writing the row directly) cannot go to stage 3.
    Stage.objects.filter(pk=stage2.pk).update(response_date=date(2022, 8, 5), outcome=c.Outcome.NOT_UPHELD)

    with pytest.raises(ProcedureError) as error:
        complaint_escalate(case=stage2.case, acting_user=complaints_manager, request_received_date=date(2022, 8, 8))

    assert error.value.message == errors.REQUIRED_FIRST.format(
        missing="Record the stage 2 adjudication", action="opening stage 3", rule="R1.21, R1.29"
    )
