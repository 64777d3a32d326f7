from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import stage_hold, stage_respond, stage_resume


def test_hold_moves_the_adjusted_date_not_the_statutory_one_r1_37(complaint, stage1, complaints_manager):
    stage_hold(
        stage=stage1,
        acting_user=complaints_manager,
        start_date=date(2022, 5, 30),
        reason=c.HoldReason.AWAITING_ADVOCATE,
        note="Advocacy service contacted",
    )
    deadline = complaint.deadlines.get(key="stage1_response")
    # While the hold is open the clock has stopped: no adjusted date can be given yet.
    assert (deadline.due_date, deadline.adjusted_due_date) == (date(2022, 6, 13), None)

    stage_resume(stage=stage1, acting_user=complaints_manager, end_date=date(2022, 6, 6))

    deadline.refresh_from_db()
    # 30 May to 3 June held: 3 working days (2 and 3 June are the Jubilee holidays), so 13 June becomes 16 June.
    assert (deadline.due_date, deadline.adjusted_due_date) == (date(2022, 6, 13), date(2022, 6, 16))
    complaint.refresh_from_db()
    assert complaint.next_due_date == date(2022, 6, 13)


def test_only_one_open_hold_at_a_time_r1_37(stage1, complaints_manager):
    stage_hold(
        stage=stage1,
        acting_user=complaints_manager,
        start_date=date(2022, 5, 30),
        reason=c.HoldReason.COURT_PROCEEDINGS,
    )

    with pytest.raises(ProcedureError) as error:
        stage_hold(stage=stage1, acting_user=complaints_manager, start_date=date(2022, 6, 1), reason=c.HoldReason.OTHER)

    assert error.value.message == errors.HOLD_ALREADY_OPEN.format(number=1, start="Monday 30 May 2022")


def test_holds_cannot_overlap_r1_37(stage1, complaints_manager):
    stage_hold(
        stage=stage1,
        acting_user=complaints_manager,
        start_date=date(2022, 5, 30),
        reason=c.HoldReason.COURT_PROCEEDINGS,
    )
    stage_resume(stage=stage1, acting_user=complaints_manager, end_date=date(2022, 6, 6))

    with pytest.raises(ProcedureError) as error:
        stage_hold(stage=stage1, acting_user=complaints_manager, start_date=date(2022, 6, 1), reason=c.HoldReason.OTHER)

    assert error.value.message == errors.HOLD_OVERLAPS.format(start="Wednesday 1 June 2022", end="Monday 6 June 2022")


def test_resume_needs_an_open_hold_r1_37(stage1, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage_resume(stage=stage1, acting_user=complaints_manager, end_date=date(2022, 6, 6))

    assert error.value.message == errors.HOLD_NONE_OPEN.format(number=1)


def test_resume_cannot_be_before_the_hold_r1_37(stage1, complaints_manager):
    stage_hold(
        stage=stage1, acting_user=complaints_manager, start_date=date(2022, 6, 6), reason=c.HoldReason.COURT_PROCEEDINGS
    )

    with pytest.raises(ProcedureError) as error:
        stage_resume(stage=stage1, acting_user=complaints_manager, end_date=date(2022, 6, 1))

    assert error.value.message == errors.HOLD_RESUME_BEFORE_START.format(
        end="Wednesday 1 June 2022", start="Monday 6 June 2022"
    )


def test_cannot_respond_while_on_hold_r1_37(stage1, complaints_manager):
    stage_hold(
        stage=stage1,
        acting_user=complaints_manager,
        start_date=date(2022, 5, 30),
        reason=c.HoldReason.AWAITING_ADVOCATE,
    )

    with pytest.raises(ProcedureError) as error:
        stage_respond(
            stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 10), outcome=c.Outcome.UPHELD
        )

    assert error.value.message == errors.RESPOND_WHILE_ON_HOLD.format(number=1, start="Monday 30 May 2022")


def test_hold_reason_must_be_known(stage1, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage_hold(stage=stage1, acting_user=complaints_manager, start_date=date(2022, 5, 30), reason="holiday")

    assert error.value.field == "reason"
