from datetime import date

import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Deadline, PointFinding
from opencomplaints.cases.services import (
    complaint_accept,
    complaint_escalate,
    stage_acknowledge,
    stage_respond,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.cases.tests.factories import ComplaintPointFactory


def test_stage_1_response_leaves_the_case_open_for_the_request_window_r1_22(complaint, stage1, complaints_manager):
    stage_respond(
        stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 10), outcome=c.Outcome.PARTLY_UPHELD
    )

    complaint.refresh_from_db()
    assert complaint.status == c.CaseStatus.OPEN
    assert complaint.outcome == c.Outcome.PARTLY_UPHELD
    response = complaint.deadlines.get(key="stage1_response")
    assert response.met_date == date(2022, 6, 10)
    window = complaint.deadlines.get(key="stage2_request_window")
    assert (window.stage, window.kind, window.due_date) == (stage1, c.DeadlineKind.REQUEST_WINDOW, date(2022, 7, 8))
    # With nothing left for the council to do, the tracker shows when the window ends.
    assert complaint.next_due_date == date(2022, 7, 8)


def test_response_cannot_be_before_receipt(stage1, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage_respond(
            stage=stage1, acting_user=complaints_manager, response_date=date(2022, 5, 25), outcome=c.Outcome.UPHELD
        )

    assert error.value.message == errors.RESPOND_BEFORE_RECEIVED.format(
        response="Wednesday 25 May 2022", number=1, received="Thursday 26 May 2022"
    )


def test_response_needs_the_complaint_accepted_r1_7(council, complaints_manager):
    case = f.register(council, complaints_manager)

    with pytest.raises(ProcedureError) as error:
        stage_respond(
            stage=f.stage(case, 1),
            acting_user=complaints_manager,
            response_date=date(2022, 6, 1),
            outcome=c.Outcome.UPHELD,
        )

    assert error.value.message == errors.NOT_ACCEPTED_YET


def test_a_stage_is_answered_once(stage1, complaints_manager):
    stage_respond(
        stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 1), outcome=c.Outcome.UPHELD
    )

    with pytest.raises(ProcedureError) as error:
        stage_respond(
            stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 2), outcome=c.Outcome.UPHELD
        )

    assert error.value.message == errors.STAGE_CLOSED.format(number=1, reference=stage1.case.reference)


@pytest.mark.parametrize("outcome", [c.Outcome.WITHDRAWN, c.Outcome.NOT_ACCEPTED, "", None])
def test_withdrawn_and_not_accepted_are_not_responses_r1_36(stage1, complaints_manager, outcome):
    with pytest.raises(ProcedureError) as error:
        stage_respond(stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 1), outcome=outcome)

    assert error.value.field == "outcome"


def test_stage_1_findings_must_be_the_cases_points_and_another_outcome_needs_a_reason(
    complaint, stage1, complaints_manager
):
    point = ComplaintPointFactory.create(case=complaint, number=1, description="No reply to emails")

    stage_respond(
        stage=stage1,
        acting_user=complaints_manager,
        response_date=date(2022, 6, 1),
        outcome=c.Outcome.RESOLVED_INFORMALLY,
        findings={point: c.Finding.UPHELD},
        outcome_reason="Agreed with the complainant on the telephone.",
    )

    assert PointFinding.objects.get(stage=stage1).finding == c.Finding.UPHELD
    stage1.refresh_from_db()
    assert (stage1.outcome, stage1.outcome_override_reason) == (
        c.Outcome.RESOLVED_INFORMALLY,
        "Agreed with the complainant on the telephone.",
    )


def test_finding_on_another_cases_point_refused(complaint, stage1, complaints_manager):
    stranger = ComplaintPointFactory.create()

    with pytest.raises(ProcedureError) as error:
        stage_respond(
            stage=stage1,
            acting_user=complaints_manager,
            response_date=date(2022, 6, 1),
            outcome=c.Outcome.UPHELD,
            findings={stranger: c.Finding.UPHELD},
        )

    assert error.value.message == errors.FINDING_NOT_A_POINT.format(reference=complaint.reference)


def test_childrens_stage_2_is_answered_by_adjudication_r1_28(stage2, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage_respond(
            stage=stage2, acting_user=complaints_manager, response_date=date(2022, 7, 1), outcome=c.Outcome.UPHELD
        )

    assert error.value.message == errors.USE_DEDICATED_RESPONSE.format(
        number=2, service="the adjudication", rule="R1.28"
    )


def test_last_stage_of_the_adults_procedure_closes_the_case(council, complaints_manager):
    case = f.accepted(council, complaints_manager, procedure=c.Procedure.ADULTS_STATUTORY)

    stage_respond(
        stage=f.stage(case, 1),
        acting_user=complaints_manager,
        response_date=date(2022, 9, 1),
        outcome=c.Outcome.NOT_UPHELD,
    )

    case.refresh_from_db()
    assert (case.status, case.closed_date, case.next_due_date) == (c.CaseStatus.CLOSED, date(2022, 9, 1), None)
    period = case.deadlines.get(key="adults_response_period")
    # Six months beginning on 26 May 2022 (R2.6, R5.14).
    assert (period.due_date, period.working_days, period.met_date) == (date(2022, 11, 25), None, date(2022, 9, 1))


def test_corporate_complaint_two_stages_then_closes(council, complaints_manager):
    from opencomplaints.councils.tests.factories import CorporateProcedureFactory

    CorporateProcedureFactory.create(council=council)
    case = f.accepted(council, complaints_manager, procedure=c.Procedure.CORPORATE)
    stage_acknowledge(stage=f.stage(case, 1), acting_user=complaints_manager, acknowledged_date=date(2022, 5, 27))
    stage_respond(
        stage=f.stage(case, 1),
        acting_user=complaints_manager,
        response_date=date(2022, 6, 9),
        outcome=c.Outcome.NOT_UPHELD,
    )
    stage2 = complaint_escalate(case=case, acting_user=complaints_manager, request_received_date=date(2022, 6, 20))

    stage_respond(
        stage=stage2, acting_user=complaints_manager, response_date=date(2022, 7, 15), outcome=c.Outcome.PARTLY_UPHELD
    )

    case.refresh_from_db()
    assert case.status == c.CaseStatus.CLOSED
    keys = set(Deadline.objects.filter(case=case).values_list("key", flat=True))
    assert keys == {
        "stage1_acknowledgement",
        "stage1_response",
        "stage2_request_window",
        "stage2_acknowledgement",
        "stage2_response",
    }


def test_every_stage_acknowledgement_is_recorded(stage1, complaints_manager):
    """The children's procedure sets no acknowledgement timescale, but the return counts acknowledgements (§4):
    the date is recorded, audited, and changes no deadline."""
    due_before = sorted((d.key, d.effective_due_date) for d in stage1.deadlines.all())
    stage_acknowledge(stage=stage1, acting_user=complaints_manager, acknowledged_date=date(2022, 5, 27))

    stage1.refresh_from_db()
    assert stage1.acknowledged_date == date(2022, 5, 27)
    assert sorted((d.key, d.effective_due_date) for d in stage1.deadlines.all()) == due_before
    event = AuditEvent.objects.filter(event_type=AuditEventType.STAGE_ACKNOWLEDGED).get()
    assert event.case_id == stage1.case_id


def test_once_accepted_the_stage_can_be_answered(council, complaints_manager):
    case = f.register(council, complaints_manager)
    complaint_accept(case=case, acting_user=complaints_manager)

    stage_respond(
        stage=f.stage(case, 1), acting_user=complaints_manager, response_date=date(2022, 6, 1), outcome=c.Outcome.UPHELD
    )

    assert case.outcome == c.Outcome.UPHELD
