import pytest

from opencomplaints.common.errors import DomainError
from opencomplaints.notifications.rendering import placeholders, render


def test_fills_every_placeholder_like_notify():
    text = "Dear ((name)), your reference is (( reference )). ((name))"
    assert render(text, {"name": "Alex", "reference": "CSC-2026-0001"}, template="t") == (
        "Dear Alex, your reference is CSC-2026-0001. Alex"
    )


def test_lists_placeholders_once_in_order():
    assert placeholders("((b)) ((a)) ((b))") == ["b", "a"]


def test_refuses_to_leave_a_gap():
    with pytest.raises(DomainError) as error:
        render("Due ((due_date))", {}, template="deadline reminder")
    assert error.value.message == "The deadline reminder template needs ((due_date)), which was not given."


def test_leaves_other_brackets_alone():
    assert render("(not a placeholder) ((x))", {"x": 1}, template="t") == "(not a placeholder) 1"
