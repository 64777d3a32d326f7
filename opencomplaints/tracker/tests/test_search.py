"""Search by reference, person, child or free text. The same tests run on SQLite and on PostgreSQL
(``DATABASE_URL=postgres://...``), where full-text search and its indexes answer instead of LIKE."""

import re
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from opencomplaints.cases import constants as c
from opencomplaints.cases.services import EnquirerInput, ombudsman_case_register, representation_register
from opencomplaints.tracker.filters import SEARCH_NO_WORDS, SEARCH_REQUIRED, SEARCH_TOO_LONG
from opencomplaints.tracker.selectors import case_search
from opencomplaints.tracker.selectors import search as search_selectors
from opencomplaints.tracker.tests.conftest import RECEIVED, complaint

pytestmark = pytest.mark.django_db

URL = reverse("tracker:search")
# The page quotes the search in curly quotes, as GOV.UK style has it.
OPEN, CLOSE = "\u2018", "\u2019"


@pytest.fixture
def cases(council, other_council, complaints_officer, other_council_officer):
    made = {
        "smith": complaint(
            council,
            complaints_officer,
            name=("Alexandra", "Smith"),
            children=[("Riley", "Smith")],
            summary="The social worker did not return calls about the child protection plan.",
        ),
        "patel": complaint(
            council,
            complaints_officer,
            name=("Priya", "Patel"),
            children=[("Jordan", "Okonkwo")],
            summary="The assessment was late and the family was not told why.",
        ),
        "enquiry": representation_register(
            council=council,
            acting_user=complaints_officer,
            kind=c.Kind.MP_ENQUIRY,
            received_date=RECEIVED,
            topic="Placement stability for a looked after child",
            enquirer=EnquirerInput(enquirer_type="mp", name="Jo Member"),
        ),
        "other": complaint(
            other_council,
            other_council_officer,
            name=("Alexandra", "Smith"),
            summary="The social worker did not return calls.",
        ),
    }
    for n in range(11):
        # Sharing the prefix of the first reference: CSC-2022-0001 must still come first for its own reference.
        complaint(council, complaints_officer, received=date(2022, 6, 1), name=("Sam", f"Tester{n}"))
    return made


def found(user, text, **kwargs):
    return [result.reference for result in case_search(user=user, text=text, **kwargs).results]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Smith", ["smith"]),
        ("alexandra smith", ["smith"]),
        ("Alex", ["smith"]),  # the beginning of a name is enough
        ("Riley", ["smith"]),  # a child's name
        ("okonkwo", ["patel"]),
        ("Jordan Okonkwo", ["patel"]),
        ("Patel", ["patel"]),
        ("assessment late", ["patel"]),  # words of the summary, in any order
        ("calls", ["smith"]),
        ("placement stability", ["enquiry"]),  # the topic of an enquiry
        ("Nobody Atall", []),
        ("Riley Patel", []),  # one person's name must have every word
    ],
)
def test_finds_people_and_words(cases, complaints_officer, text, expected):
    assert found(complaints_officer, text) == [cases[name].reference for name in expected]


def test_finds_by_reference_exact_match_first(cases, complaints_officer):
    assert found(complaints_officer, "csc-2022-0001")[0] == cases["smith"].reference == "CSC-2022-0001"
    assert found(complaints_officer, " CSC-2022-0002 ")[0] == cases["patel"].reference


def test_references_beginning_with_the_search_come_next(cases, complaints_officer):
    # CSC-2022-0010 to CSC-2022-0014 begin with it; on SQLite CSC-2022-0001 also holds every word, so follows them.
    results = found(complaints_officer, "CSC-2022-001")
    assert sorted(results[:5]) == [f"CSC-2022-{n:04d}" for n in range(10, 15)]
    assert set(results[5:]) <= {"CSC-2022-0001"}


def test_finds_by_the_ombudsmans_reference(council, complaints_officer):
    case = ombudsman_case_register(
        council=council, acting_user=complaints_officer, received_date=RECEIVED, lgsco_reference="22 001 234"
    )
    assert found(complaints_officer, "22 001 234") == [case.reference]


def test_never_finds_the_other_councils_cases(cases, complaints_officer, other_council_officer):
    assert found(other_council_officer, "Smith") == [cases["other"].reference]
    assert found(other_council_officer, "CSC-2022-0001") == []
    assert cases["other"].reference not in found(complaints_officer, "social worker calls")


def test_people_named_in_the_results(cases, complaints_officer):
    (result,) = case_search(user=complaints_officer, text="Riley").results
    assert result.complainants == ("Alexandra Smith",)
    assert result.children == ("Riley Smith",)
    assert result.status_label == "Open"


def test_full_text_search_stems_english_words_on_postgresql(cases, complaints_officer):
    if connection.vendor != "postgresql":
        pytest.skip("stemming is PostgreSQL's full-text search")
    # "assessments" and "calling" are not in the text, but their stems are.
    assert found(complaints_officer, "assessments") == [cases["patel"].reference]
    assert found(complaints_officer, "calling") == [cases["smith"].reference]
    assert case_search(user=complaints_officer, text="calls").ranked


def test_the_search_page(client, cases, complaints_officer):
    client.force_login(complaints_officer)
    response = client.get(URL, {"q": "Riley"})
    assert response.status_code == 200
    assert f"1 case found for {OPEN}Riley{CLOSE}" in response.text
    assert "Riley Smith" in response.text
    assert f"<title>Search results for {OPEN}Riley{CLOSE}" in response.text
    assert re.search(r"CSC-2022-0001", response.text)


def test_the_empty_search_page_shows_no_error(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert "There is a problem" not in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [("", SEARCH_REQUIRED), ("   ", SEARCH_REQUIRED), ("?!", SEARCH_NO_WORDS), ("x" * 201, SEARCH_TOO_LONG)],
)
def test_bad_searches_say_what_to_do(client, complaints_officer, query, message):
    client.force_login(complaints_officer)
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert "<title>Error: Search cases" in response.text


def test_no_results(client, cases, complaints_officer):
    client.force_login(complaints_officer)
    response = client.get(URL, {"q": "zebra"})
    assert f"No cases found for {OPEN}zebra{CLOSE}" in response.text


def test_search_pages_keep_the_search(client, cases, complaints_officer, monkeypatch):
    monkeypatch.setattr(search_selectors, "SEARCH_PAGE_SIZE", 5)
    client.force_login(complaints_officer)
    response = client.get(URL, {"q": "Sam", "page": "2"})
    assert f"11 cases found for {OPEN}Sam{CLOSE}" in response.text
    assert "Showing 6 to 10" in response.text
    assert 'href="?q=Sam&amp;page=3" rel="next"' in response.text


def test_the_number_of_queries_does_not_grow_with_the_results(
    client, cases, complaints_officer, django_assert_num_queries
):
    client.force_login(complaints_officer)
    # Session, user, two-factor device, the matching ids in order, (PostgreSQL) their ranks, the page, its
    # complainants and children, the record of the search, and which of the navigation's sections the user may open.
    expected = 10 if connection.vendor == "postgresql" else 9
    with django_assert_num_queries(expected):
        client.get(URL, {"q": "Sam"})
    with django_assert_num_queries(expected):
        client.get(URL, {"q": "social worker"})


def test_a_very_broad_search_is_cut_short_and_says_so(client, cases, complaints_officer, monkeypatch):
    monkeypatch.setattr(search_selectors, "SEARCH_LIMIT", 4)
    client.force_login(complaints_officer)
    found = case_search(user=complaints_officer, text="Sam")
    assert found.truncated
    assert not found.ranked
    assert len(found.results) == 4
    response = client.get(URL, {"q": "Sam"})
    assert "More than 4 cases match" in response.text
    assert f"The first 4 cases found for {OPEN}Sam{CLOSE}" in response.text
