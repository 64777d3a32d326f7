from datetime import date

import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import (
    EnquirerInput,
    LateAcceptance,
    case_receipt_correct,
    representation_register,
    stage_respond,
)
from opencomplaints.cases.tests import factories as f


def test_correcting_the_date_received_moves_day_0_r5_10(complaint, stage1, complaints_manager):
    case_receipt_correct(
        case=complaint,
        acting_user=complaints_manager,
        received_date=date(2022, 5, 27),
        reason="The email arrived on Friday; Thursday was the date it was written.",
    )

    stage1.refresh_from_db()
    complaint.refresh_from_db()
    assert (stage1.received_date, stage1.start_date) == (date(2022, 5, 27), date(2022, 5, 27))
    assert complaint.deadlines.get(key="stage1_response").due_date == date(2022, 6, 14)
    assert complaint.next_due_date == date(2022, 6, 14)
    event = AuditEvent.objects.filter(case=complaint).latest("id")
    assert event.event_type == AuditEventType.CASE_RECEIPT_CORRECTED
    assert event.before["received_date"] == "2022-05-26"
    assert event.after["received_date"] == "2022-05-27"


def test_enquiry_due_date_follows_the_corrected_date(council, complaints_manager):
    case = representation_register(
        council=council,
        acting_user=complaints_manager,
        kind=c.Kind.MP_ENQUIRY,
        received_date=date(2022, 5, 26),
        enquirer=EnquirerInput(enquirer_type=c.EnquirerType.MP, name="A Member"),
    )

    case_receipt_correct(case=case, acting_user=complaints_manager, received_date=date(2022, 5, 27), reason="Typo")

    assert case.response_due_date == date(2022, 6, 14)


def test_correction_needs_a_reason(complaint, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        case_receipt_correct(case=complaint, acting_user=complaints_manager, received_date=date(2022, 5, 27), reason="")

    assert error.value.message == errors.RECEIPT_CORRECTION_NEEDS_REASON


def test_correction_cannot_pass_a_later_event(complaint, stage1, complaints_manager):
    stage_respond(
        stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 1), outcome=c.Outcome.UPHELD
    )

    with pytest.raises(ProcedureError) as error:
        case_receipt_correct(
            case=complaint, acting_user=complaints_manager, received_date=date(2022, 6, 2), reason="Typo"
        )

    assert error.value.message == errors.RECEIPT_AFTER_LATER_EVENT.format(
        what="the response", when="Wednesday 1 June 2022"
    )


def test_correction_that_makes_a_complaint_late_needs_a_decision_r1_12(council, complaints_manager):
    case = f.accepted(council, complaints_manager, grounds_arose_date=date(2021, 5, 26))
    late = LateAcceptance(
        accepted=True, not_reasonable_to_expect_reason="In hospital", still_possible_reason="Records kept"
    )

    with pytest.raises(ProcedureError) as error:
        case_receipt_correct(case=case, acting_user=complaints_manager, received_date=date(2022, 5, 27), reason="Typo")
    assert error.value.message == errors.OUT_OF_TIME_NEEDS_DECISION.format(months=12, last_day="Thursday 26 May 2022")

    case_receipt_correct(
        case=case, acting_user=complaints_manager, received_date=date(2022, 5, 27), reason="Typo", late_acceptance=late
    )
    case.refresh_from_db()
    assert (case.in_time, case.late_acceptance_decided) == (False, True)
