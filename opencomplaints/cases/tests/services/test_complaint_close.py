from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import complaint_close, stage_respond


def test_closing_with_an_open_stage_refused(complaint, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        complaint_close(case=complaint, acting_user=complaints_manager, closed_date=date(2022, 6, 1))

    assert error.value.message == errors.CLOSE_WITH_OPEN_STAGE.format(number=1, reference=complaint.reference)


def test_closing_after_the_response(complaint, stage1, complaints_manager):
    stage_respond(
        stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 10), outcome=c.Outcome.UPHELD
    )

    complaint_close(case=complaint, acting_user=complaints_manager, closed_date=date(2022, 7, 11))

    complaint.refresh_from_db()
    assert (complaint.status, complaint.closed_date, complaint.next_due_date) == (
        c.CaseStatus.CLOSED,
        date(2022, 7, 11),
        None,
    )


def test_closing_before_the_last_response_refused(complaint, stage1, complaints_manager):
    stage_respond(
        stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 10), outcome=c.Outcome.UPHELD
    )

    with pytest.raises(ProcedureError) as error:
        complaint_close(case=complaint, acting_user=complaints_manager, closed_date=date(2022, 6, 9))

    assert error.value.message == errors.CLOSE_BEFORE_RESPONSE.format(
        closed="Thursday 9 June 2022", response="Friday 10 June 2022"
    )


def test_closing_a_closed_case_refused(complaint, stage1, complaints_manager):
    stage_respond(
        stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 10), outcome=c.Outcome.UPHELD
    )
    complaint_close(case=complaint, acting_user=complaints_manager, closed_date=date(2022, 7, 11))

    with pytest.raises(ProcedureError) as error:
        complaint_close(case=complaint, acting_user=complaints_manager, closed_date=date(2022, 7, 12))

    assert error.value.message == errors.CASE_CLOSED.format(reference=complaint.reference)
