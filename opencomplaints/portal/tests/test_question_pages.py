"""Every question page refuses bad answers with the Design System's error messages, and keeps what was typed."""

import pytest

from opencomplaints.cases.models import Case

pytestmark = pytest.mark.django_db

ADULT = "/complain/exampleton/adult"
YOUNG = "/complain/exampleton/young-person"


def _errors(response):
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "<title>Error: " in page
    return page


def _reach(client, base, steps):
    for step, data in steps:
        assert client.post(f"{base}/{step}/", data).status_code == 302


@pytest.mark.parametrize(
    ("earlier", "step", "data", "message"),
    [
        ([], "who", {}, "Select who you are"),
        (
            [("who", {"relationship": "parent"})],
            "agreement",
            {},
            "Select whether the child or young person agrees to the complaint",
        ),
        (
            [("who", {"relationship": "parent"}), ("agreement", {"consent": "given"})],
            "child",
            {"first_name": "", "last_name": "Ward"},
            "Enter the child or young person&#x27;s first name",
        ),
        (
            [("who", {"relationship": "parent"}), ("agreement", {"consent": "given"})],
            "child",
            {
                "first_name": "Jamie",
                "last_name": "Ward",
                "date_of_birth_0": "31",
                "date_of_birth_1": "2",
                "date_of_birth_2": "2012",
            },
            "Their date of birth must be a real date",
        ),
        (
            [("who", {"relationship": "young_person"})],
            "complaint",
            {"what_happened": "  "},
            "Enter what your complaint is about",
        ),
        (
            [("who", {"relationship": "young_person"})],
            "complaint",
            {"what_happened": "x" * 5001},
            "Your complaint must be 5000 characters or fewer",
        ),
        (
            [("who", {"relationship": "young_person"}), ("complaint", {"what_happened": "x"})],
            "advocate",
            {},
            "Select whether you would like help from an advocate",
        ),
        (
            [
                ("who", {"relationship": "young_person"}),
                ("complaint", {"what_happened": "x"}),
                ("advocate", {"advocate": "no"}),
            ],
            "contact",
            {},
            "Select how we should contact you",
        ),
    ],
)
def test_adult_questions(client, council, earlier, step, data, message):
    _reach(client, ADULT, earlier)
    page = _errors(client.post(f"{ADULT}/{step}/", data))
    assert message in page


@pytest.mark.parametrize(
    ("contact", "data", "messages"),
    [
        ("email", {}, ["Enter your first name", "Enter your last name", "Enter your email address"]),
        (
            "email",
            {"first_name": "Sam", "last_name": "Ward", "email": "not-an-address"},
            ["Enter an email address in the correct format, like name@example.com"],
        ),
        ("post", {"first_name": "Sam", "last_name": "Ward"}, ["Enter your address", "Enter your postcode"]),
    ],
)
def test_adult_details(client, council, contact, data, messages):
    _reach(
        client,
        ADULT,
        [
            ("who", {"relationship": "young_person"}),
            ("complaint", {"what_happened": "x"}),
            ("advocate", {"advocate": "no"}),
            ("contact", {"contact": contact}),
        ],
    )
    page = _errors(client.post(f"{ADULT}/details/", data))
    for message in messages:
        assert message in page


@pytest.mark.parametrize(
    ("earlier", "step", "data", "message"),
    [
        ([], "help", {}, "Tell us if you would like someone to help you"),
        ([("help", {"advocate": "yes"})], "complaint", {}, "Tell us what went wrong"),
        (
            [("help", {"advocate": "yes"}), ("complaint", {"what_happened": "x"})],
            "contact",
            {},
            "Tell us how we can tell you what happens next",
        ),
        (
            [("help", {"advocate": "yes"}), ("complaint", {"what_happened": "x"}), ("contact", {"contact": "email"})],
            "details",
            {"first_name": "", "last_name": "", "email": "", "age": "3"},
            "Your age must be 5 or more",
        ),
        (
            [("help", {"advocate": "yes"}), ("complaint", {"what_happened": "x"}), ("contact", {"contact": "email"})],
            "details",
            {},
            "Tell us your first name",
        ),
    ],
)
def test_young_person_questions(client, council, earlier, step, data, message):
    _reach(client, YOUNG, earlier)
    page = _errors(client.post(f"{YOUNG}/{step}/", data))
    assert message in page


def test_what_was_typed_is_kept_after_an_error(client, council):
    _reach(
        client,
        ADULT,
        [
            ("who", {"relationship": "young_person"}),
            ("complaint", {"what_happened": "x"}),
            ("advocate", {"advocate": "no"}),
            ("contact", {"contact": "email"}),
        ],
    )
    page = _errors(client.post(f"{ADULT}/details/", {"first_name": "Sam", "last_name": "", "email": "sam@example.com"}))
    assert 'value="Sam"' in page
    assert 'value="sam@example.com"' in page


def test_every_form_has_a_csrf_token(client, council):
    page = client.get(f"{ADULT}/who/").content.decode()
    assert "csrfmiddlewaretoken" in page


def test_csrf_is_enforced(council):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"{ADULT}/who/", {"relationship": "parent"}).status_code == 403
    assert not Case.objects.exists()
