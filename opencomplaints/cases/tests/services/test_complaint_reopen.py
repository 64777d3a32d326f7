from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import (
    complaint_close,
    complaint_decline,
    complaint_escalate,
    complaint_reopen,
    complaint_withdraw,
    stage_respond,
)
from opencomplaints.cases.tests import factories as f


def test_reopening_an_open_case_refused(complaint, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        complaint_reopen(
            case=complaint, acting_user=complaints_manager, reason="Why not", reopened_date=date(2022, 6, 1)
        )

    assert error.value.message == errors.REOPEN_OPEN_CASE.format(reference=complaint.reference)


def test_reopening_needs_a_reason(complaint, complaints_manager):
    complaint_withdraw(case=complaint, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 1))

    with pytest.raises(ProcedureError) as error:
        complaint_reopen(case=complaint, acting_user=complaints_manager, reason=" ", reopened_date=date(2022, 6, 2))

    assert error.value.message == errors.REOPEN_NEEDS_REASON


def test_reopening_reopens_the_last_stage(complaint, stage1, complaints_manager):
    complaint_withdraw(case=complaint, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 1))

    complaint_reopen(
        case=complaint,
        acting_user=complaints_manager,
        reason="Withdrawn by mistake: it was the wrong family.",
        reopened_date=date(2022, 6, 2),
    )

    stage1.refresh_from_db()
    complaint.refresh_from_db()
    assert (stage1.response_date, stage1.outcome) == (None, "")
    assert (complaint.status, complaint.closed_date, complaint.outcome) == (c.CaseStatus.OPEN, None, "")
    assert complaint.next_due_date == date(2022, 6, 13)
    assert complaint.deadlines.get(key="stage1_response").met_date is None


def test_reopening_a_declined_complaint_returns_it_to_triage(council, complaints_manager):
    case = f.register(council, complaints_manager)
    complaint_decline(
        case=case, acting_user=complaints_manager, reason=c.DeclineReason.OUT_OF_SCOPE, decided_date=date(2022, 5, 31)
    )

    complaint_reopen(
        case=case,
        acting_user=complaints_manager,
        reason="It is about a child in need after all.",
        reopened_date=date(2022, 6, 6),
    )

    case.refresh_from_db()
    assert (case.status, case.acceptance, case.decline_reason) == (c.CaseStatus.TRIAGE, c.Acceptance.PENDING, "")


def test_reopening_without_the_stage_lets_a_late_request_in_r1_22(complaint, stage1, complaints_manager):
    stage_respond(
        stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 10), outcome=c.Outcome.NOT_UPHELD
    )
    complaint_close(case=complaint, acting_user=complaints_manager, closed_date=date(2022, 7, 11))

    complaint_reopen(
        case=complaint,
        acting_user=complaints_manager,
        reason="Stage 2 asked for late",
        reopened_date=date(2022, 8, 1),
        reopen_stage=False,
    )
    stage2 = complaint_escalate(
        case=complaint,
        acting_user=complaints_manager,
        request_received_date=date(2022, 8, 1),
        late_request_accepted=True,
        late_request_reason="Complainant was in hospital",
    )

    stage1.refresh_from_db()
    assert stage1.outcome == c.Outcome.NOT_UPHELD
    assert (stage2.request_in_window, stage2.late_request_accepted) == (False, True)


def test_reopening_not_before_closing(complaint, complaints_manager):
    complaint_withdraw(case=complaint, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 1))

    with pytest.raises(ProcedureError) as error:
        complaint_reopen(case=complaint, acting_user=complaints_manager, reason="x", reopened_date=date(2022, 5, 31))

    assert error.value.message == errors.REOPEN_BEFORE_CLOSED.format(
        reopened="Tuesday 31 May 2022", closed="Wednesday 1 June 2022"
    )
