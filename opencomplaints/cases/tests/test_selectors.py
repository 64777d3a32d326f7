from datetime import date

from opencomplaints.cases import constants as c
from opencomplaints.cases.selectors import (
    case_deadlines,
    case_possible_duplicates,
    learning_action_list,
    open_cases,
)
from opencomplaints.cases.services import (
    ChildInput,
    PersonInput,
    complaint_withdraw,
    learning_action_create,
    learning_action_not_implemented,
)
from opencomplaints.cases.tests import factories as f


def test_same_complainant_within_a_year_is_a_possible_duplicate_r1_14(council, other_council, complaints_manager):
    earlier = f.register(
        council,
        complaints_manager,
        received_date=date(2021, 9, 1),
        complainants=[f.complainant(first_name="Dawn", last_name="Fletcher")],
    )
    f.register(
        council,
        complaints_manager,
        received_date=date(2021, 5, 1),
        complainants=[f.complainant(first_name="Dawn", last_name="Fletcher")],
    )  # over a year before
    f.register(other_council, None, complainants=[f.complainant(first_name="Dawn", last_name="Fletcher")])

    found = case_possible_duplicates(
        council=council, first_name="dawn", last_name="FLETCHER", received_date=date(2022, 5, 26)
    )

    assert list(found) == [earlier]


def test_same_child_by_date_of_birth_is_a_possible_duplicate_r1_14(council, complaints_manager):
    child = ChildInput(person=PersonInput(first_name="Kai", last_name="Fletcher", date_of_birth=date(2010, 5, 27)))
    earlier = f.register(council, complaints_manager, received_date=date(2022, 1, 10), children=[child])

    found = case_possible_duplicates(
        council=council,
        first_name="Kaiden",
        last_name="Fletcher",
        date_of_birth=date(2010, 5, 27),
        received_date=date(2022, 5, 26),
    )

    assert list(found) == [earlier]
    assert not case_possible_duplicates(
        council=council, last_name="Fletcher", received_date=date(2022, 5, 26), exclude_case=earlier
    ).exists()


def test_open_cases_most_urgent_first(council, complaints_manager):
    later = f.accepted(council, complaints_manager, received_date=date(2022, 6, 1))
    sooner = f.accepted(council, complaints_manager)
    closed = f.accepted(council, complaints_manager)
    complaint_withdraw(case=closed, acting_user=complaints_manager, withdrawn_date=date(2022, 5, 27))

    assert list(open_cases(council=council)) == [sooner, later]
    assert list(open_cases(council=council, kind=c.Kind.COMPLIMENT)) == []


def test_case_deadlines_in_due_order(complaint):
    assert [d.key for d in case_deadlines(case=complaint)] == ["stage1_response"]


def test_learning_actions_by_status(council, complaints_manager):
    first = learning_action_create(
        council=council, acting_user=complaints_manager, finding="f", action="One", due_date=date(2022, 9, 1)
    )
    second = learning_action_create(
        council=council, acting_user=complaints_manager, finding="f", action="Two", due_date=date(2022, 8, 1)
    )
    learning_action_not_implemented(action=first, acting_user=complaints_manager, reason="Superseded")

    assert list(learning_action_list(council=council)) == [second, first]
    assert list(learning_action_list(council=council, status=c.LearningActionStatus.PLANNED)) == [second]
