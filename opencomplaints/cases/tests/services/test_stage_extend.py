from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import stage2_statement_agree, stage_extend, stage_respond

TOLD = date(2022, 6, 8)


def test_stage_1_extended_to_20_working_days_r1_20(complaint, stage1, complaints_manager):
    stage_extend(
        stage=stage1,
        acting_user=complaints_manager,
        extended_due_date=date(2022, 6, 27),
        reason="Complex: three teams involved.",
        notified_date=TOLD,
    )

    stage1.refresh_from_db()
    assert stage1.extended
    deadline = complaint.deadlines.get(key="stage1_response")
    assert (deadline.due_date, deadline.extended_due_date) == (date(2022, 6, 13), date(2022, 6, 27))
    complaint.refresh_from_db()
    assert complaint.next_due_date == date(2022, 6, 27)


def test_stage_1_extension_beyond_20_working_days_refused_r1_20(stage1, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage_extend(
            stage=stage1,
            acting_user=complaints_manager,
            extended_due_date=date(2022, 6, 28),
            reason="Complex",
            notified_date=TOLD,
        )

    assert error.value.message == errors.EXTENSION_TOO_LONG.format(
        number=1,
        days=20,
        anchor="Thursday 26 May 2022",
        latest="Monday 27 June 2022",
        extended="Tuesday 28 June 2022",
        rule="R1.20",
    )


def test_extension_needs_a_reason_r1_20(stage1, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage_extend(
            stage=stage1,
            acting_user=complaints_manager,
            extended_due_date=date(2022, 6, 20),
            reason="  ",
            notified_date=TOLD,
        )

    assert error.value.message == errors.EXTENSION_NEEDS_REASON.format(number=1, rule="R1.20")


def test_extension_needs_the_notification_date_r1_20(stage1, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage_extend(
            stage=stage1,
            acting_user=complaints_manager,
            extended_due_date=date(2022, 6, 20),
            reason="Complex",
            notified_date=None,
        )

    assert error.value.message == errors.EXTENSION_NEEDS_NOTICE.format(rule="R1.20")


def test_extension_cannot_bring_the_deadline_forward_r1_20(stage1, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage_extend(
            stage=stage1,
            acting_user=complaints_manager,
            extended_due_date=date(2022, 6, 13),
            reason="Complex",
            notified_date=TOLD,
        )

    assert error.value.message == errors.EXTENSION_NOT_LATER.format(
        extended="Monday 13 June 2022", due="Monday 13 June 2022", rule="R1.20"
    )


def test_stage_2_extended_to_65_working_days_from_the_statement_r1_26(stage2, complaints_manager):
    stage2_statement_agree(
        stage=stage2, acting_user=complaints_manager, agreed_date=date(2022, 7, 1), points=["Visits were missed"]
    )

    # 65 working days from Friday 1 July 2022, past the summer bank holiday and the State Funeral (19 September).
    stage_extend(
        stage=stage2,
        acting_user=complaints_manager,
        extended_due_date=date(2022, 10, 4),
        reason="Witnesses on leave",
        notified_date=date(2022, 8, 1),
    )

    deadline = stage2.deadlines.get(key="stage2_response")
    assert (deadline.anchor_date, deadline.due_date, deadline.extended_due_date) == (
        date(2022, 7, 1),
        date(2022, 8, 5),
        date(2022, 10, 4),
    )


def test_stage_2_extension_beyond_65_working_days_refused_r1_26(stage2, complaints_manager):
    stage2_statement_agree(
        stage=stage2, acting_user=complaints_manager, agreed_date=date(2022, 7, 1), points=["Visits were missed"]
    )

    with pytest.raises(ProcedureError) as error:
        stage_extend(
            stage=stage2,
            acting_user=complaints_manager,
            extended_due_date=date(2022, 10, 5),
            reason="Witnesses on leave",
            notified_date=date(2022, 8, 1),
        )

    assert error.value.message == errors.EXTENSION_TOO_LONG.format(
        number=2,
        days=65,
        anchor="Friday 1 July 2022",
        latest="Tuesday 4 October 2022",
        extended="Wednesday 5 October 2022",
        rule="R1.26",
    )


def test_stage_2_extension_waits_for_the_statement_r1_26(stage2, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage_extend(
            stage=stage2,
            acting_user=complaints_manager,
            extended_due_date=date(2022, 8, 1),
            reason="Witnesses on leave",
            notified_date=date(2022, 7, 1),
        )

    assert error.value.message == errors.REQUIRED_FIRST.format(
        missing="Agree the statement of complaint", action="extending the stage", rule="R1.26"
    )


def test_statement_agreed_again_must_keep_the_extension_within_65_days_r1_26(stage2, complaints_manager):
    stage2_statement_agree(
        stage=stage2, acting_user=complaints_manager, agreed_date=date(2022, 7, 1), points=["Visits were missed"]
    )
    stage_extend(
        stage=stage2,
        acting_user=complaints_manager,
        extended_due_date=date(2022, 8, 10),
        reason="Witnesses on leave",
        notified_date=date(2022, 8, 1),
    )

    with pytest.raises(ProcedureError) as error:
        stage2_statement_agree(
            stage=stage2,
            acting_user=complaints_manager,
            agreed_date=date(2022, 7, 8),
            points=["Visits were missed", "Assessment was late"],
        )

    assert error.value.message == errors.STATEMENT_BREAKS_EXTENSION.format(
        extended="Wednesday 10 August 2022",
        agreed="Friday 8 July 2022",
        due="Friday 12 August 2022",
        latest="Tuesday 11 October 2022",
    )


def test_stage_3_cannot_be_extended_r1_31(stage3, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        stage_extend(
            stage=stage3,
            acting_user=complaints_manager,
            extended_due_date=date(2022, 10, 31),
            reason="Panel members on leave",
            notified_date=date(2022, 8, 20),
        )

    assert error.value.message == errors.EXTENSION_NOT_ALLOWED.format(
        number=3,
        procedure="Children's social care statutory complaints (Children Act 1989, 2006 Regulations)",
        rule="R1.29, R1.31, R1.32, R1.33",
    )


def test_answered_stage_cannot_be_extended_r1_20(stage1, complaints_manager):
    stage_respond(
        stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 10), outcome=c.Outcome.UPHELD
    )

    with pytest.raises(ProcedureError) as error:
        stage_extend(
            stage=stage1,
            acting_user=complaints_manager,
            extended_due_date=date(2022, 6, 20),
            reason="Complex",
            notified_date=TOLD,
        )

    assert error.value.message == errors.STAGE_CLOSED.format(number=1, reference=stage1.case.reference)
