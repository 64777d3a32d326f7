from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import complaint_withdraw, stage_hold, stage_respond


def test_withdrawn_at_stage_1_r1_36(complaint, stage1, complaints_manager):
    complaint_withdraw(
        case=complaint,
        acting_user=complaints_manager,
        withdrawn_date=date(2022, 6, 1),
        note="Phoned to say it is sorted",
    )

    stage1.refresh_from_db()
    assert (stage1.outcome, stage1.response_date) == (c.Outcome.WITHDRAWN, date(2022, 6, 1))
    assert (complaint.status, complaint.outcome, complaint.closed_date) == (
        c.CaseStatus.CLOSED,
        c.Outcome.WITHDRAWN,
        date(2022, 6, 1),
    )


def test_withdrawn_at_stage_2_r1_36(stage2, complaints_manager):
    complaint_withdraw(case=stage2.case, acting_user=complaints_manager, withdrawn_date=date(2022, 7, 1))

    stage2.refresh_from_db()
    assert stage2.outcome == c.Outcome.WITHDRAWN
    assert stage2.case.stages.get(number=1).outcome == c.Outcome.NOT_UPHELD


def test_withdrawal_ends_an_open_hold_r1_36(complaint, stage1, complaints_manager):
    hold = stage_hold(
        stage=stage1,
        acting_user=complaints_manager,
        start_date=date(2022, 5, 30),
        reason=c.HoldReason.COMPLAINANT_REQUEST,
    )

    complaint_withdraw(case=complaint, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 6))

    hold.refresh_from_db()
    assert hold.end_date == date(2022, 6, 6)


def test_closed_case_cannot_be_withdrawn_r1_36(complaint, complaints_manager):
    complaint_withdraw(case=complaint, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 1))

    with pytest.raises(ProcedureError) as error:
        complaint_withdraw(case=complaint, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 2))

    assert error.value.message == errors.CASE_CLOSED.format(reference=complaint.reference)


def test_nothing_to_withdraw_between_stages_r1_36(complaint, stage1, complaints_manager):
    stage_respond(
        stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 1), outcome=c.Outcome.UPHELD
    )

    with pytest.raises(ProcedureError) as error:
        complaint_withdraw(case=complaint, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 2))

    assert error.value.message == errors.WITHDRAW_NOTHING_OPEN.format(reference=complaint.reference)


def test_withdrawal_not_before_the_stage_was_received(stage2, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        complaint_withdraw(case=stage2.case, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 15))

    assert error.value.message.startswith("The withdrawal (Wednesday 15 June 2022) cannot be before")
