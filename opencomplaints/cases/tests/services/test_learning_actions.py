from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import (
    learning_action_complete,
    learning_action_create,
    learning_action_not_implemented,
    learning_action_update,
)
from opencomplaints.cases.tests import factories as f


@pytest.fixture
def action(council, complaint, complaints_manager, team):
    return learning_action_create(
        council=council,
        acting_user=complaints_manager,
        cases=[complaint],
        team=team,
        finding="Visits were cancelled without telling families.",
        action="Text families when a visit is cancelled.",
        due_date=date(2022, 9, 30),
    )


def test_learning_action_created_r1_40(action, complaint):
    assert action.status == c.LearningActionStatus.PLANNED
    assert list(action.cases.all()) == [complaint]


def test_learning_action_needs_finding_and_action_r1_40(council, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        learning_action_create(council=council, acting_user=complaints_manager, finding="", action="Train staff")

    assert error.value.message == errors.LEARNING_NEEDS_TEXT


def test_learning_action_case_of_another_council_refused(council, other_council, complaints_manager):
    theirs = f.accepted(other_council, None)

    with pytest.raises(ProcedureError) as error:
        learning_action_create(council=council, acting_user=complaints_manager, finding="a", action="b", cases=[theirs])

    assert error.value.message == errors.OTHER_COUNCIL.format(what=f"The case {theirs.reference}", council=council.name)


def test_implemented_needs_date_and_evidence_r1_40(action, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        learning_action_complete(
            action=action, acting_user=complaints_manager, implemented_date=date(2022, 9, 1), evidence=" "
        )

    assert error.value.message == errors.LEARNING_NEEDS_EVIDENCE
    with pytest.raises(ProcedureError):
        learning_action_complete(
            action=action, acting_user=complaints_manager, implemented_date=None, evidence="Texts sent since August"
        )


def test_implemented_with_evidence_r1_40(action, complaints_manager):
    learning_action_complete(
        action=action,
        acting_user=complaints_manager,
        implemented_date=date(2022, 9, 1),
        evidence="Texts sent since 1 September; audit of 20 cancellations.",
    )

    action.refresh_from_db()
    assert (action.status, action.implemented_date) == (c.LearningActionStatus.IMPLEMENTED, date(2022, 9, 1))


def test_not_implemented_needs_a_reason_r1_40(action, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        learning_action_not_implemented(action=action, acting_user=complaints_manager, reason="")

    assert error.value.message == errors.LEARNING_NEEDS_REASON


def test_not_implemented_with_reason_r1_40(action, complaints_manager):
    learning_action_not_implemented(
        action=action, acting_user=complaints_manager, reason="Replaced by the new case system's notifications."
    )

    action.refresh_from_db()
    assert action.status == c.LearningActionStatus.NOT_IMPLEMENTED


def test_finished_action_cannot_finish_again(action, complaints_manager):
    learning_action_not_implemented(action=action, acting_user=complaints_manager, reason="Superseded")

    with pytest.raises(ProcedureError) as error:
        learning_action_complete(
            action=action, acting_user=complaints_manager, implemented_date=date(2022, 9, 1), evidence="x"
        )

    assert error.value.message == errors.LEARNING_ALREADY_FINISHED.format(status="not implemented")


def test_update_changes_details_but_does_not_finish_r1_40(action, complaints_manager):
    learning_action_update(
        action=action,
        acting_user=complaints_manager,
        action_text="Text and email families.",
        status=c.LearningActionStatus.IN_PROGRESS,
        due_date=None,
    )

    action.refresh_from_db()
    assert (action.action, action.status, action.due_date) == (
        "Text and email families.",
        c.LearningActionStatus.IN_PROGRESS,
        None,
    )
    with pytest.raises(ProcedureError) as error:
        learning_action_update(action=action, acting_user=complaints_manager, status=c.LearningActionStatus.IMPLEMENTED)
    assert error.value.message == errors.LEARNING_STATUS_BY_UPDATE


def test_update_team_of_another_council_refused(action, complaints_manager, other_team):
    with pytest.raises(ProcedureError) as error:
        learning_action_update(action=action, acting_user=complaints_manager, team=other_team)

    assert "belongs to another council" in error.value.message
