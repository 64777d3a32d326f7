from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import complaint_decline
from opencomplaints.cases.tests import factories as f


def test_declining_closes_with_not_accepted_r1_7(council, complaints_manager):
    case = f.register(council, complaints_manager)

    complaint_decline(
        case=case,
        acting_user=complaints_manager,
        reason=c.DeclineReason.OUT_OF_SCOPE,
        redirected_to=c.Route.CONFERENCE_COMPLAINTS,
        note="About a child protection conference (R1.7).",
        decided_date=date(2022, 5, 31),
    )

    case.refresh_from_db()
    assert case.status == c.CaseStatus.CLOSED
    assert case.acceptance == c.Acceptance.DECLINED
    assert case.redirected_to == c.Route.CONFERENCE_COMPLAINTS
    assert case.closed_date == date(2022, 5, 31)
    assert case.outcome == c.Outcome.NOT_ACCEPTED
    stage = f.stage(case, 1)
    assert (stage.response_date, stage.outcome) == (date(2022, 5, 31), c.Outcome.NOT_ACCEPTED)


def test_declining_deferred_complaint_ends_its_hold_r1_13(complaint, stage1, complaints_manager):
    from opencomplaints.cases.services import stage_hold

    hold = stage_hold(
        stage=stage1,
        acting_user=complaints_manager,
        start_date=date(2022, 5, 30),
        reason=c.HoldReason.COURT_PROCEEDINGS,
    )

    complaint_decline(
        case=complaint,
        acting_user=complaints_manager,
        reason=c.DeclineReason.DEFERRED_PENDING_PROCEEDINGS,
        decided_date=date(2022, 6, 1),
    )

    hold.refresh_from_db()
    assert hold.end_date == date(2022, 6, 1)


def test_decline_needs_a_reason_r1_7(council, complaints_manager):
    case = f.register(council, complaints_manager)

    with pytest.raises(ProcedureError) as error:
        complaint_decline(case=case, acting_user=complaints_manager, reason="", decided_date=date(2022, 5, 31))

    assert error.value.message == errors.DECLINE_REASON_INVALID


def test_closed_case_cannot_be_declined(council, complaints_manager):
    case = f.register(council, complaints_manager)
    complaint_decline(
        case=case, acting_user=complaints_manager, reason=c.DeclineReason.INELIGIBLE, decided_date=date(2022, 5, 31)
    )

    with pytest.raises(ProcedureError) as error:
        complaint_decline(
            case=case, acting_user=complaints_manager, reason=c.DeclineReason.INELIGIBLE, decided_date=date(2022, 6, 1)
        )

    assert error.value.message == errors.CASE_CLOSED.format(reference=case.reference)


def test_decision_cannot_be_before_receipt(council, complaints_manager):
    case = f.register(council, complaints_manager)

    with pytest.raises(ProcedureError) as error:
        complaint_decline(
            case=case, acting_user=complaints_manager, reason=c.DeclineReason.INELIGIBLE, decided_date=date(2022, 5, 25)
        )

    assert error.value.message == errors.DATE_BEFORE.format(
        what="The decision",
        when="Wednesday 25 May 2022",
        other="the date received",
        other_when="Thursday 26 May 2022",
    )
