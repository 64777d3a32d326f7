"""The tracker, "My cases" and the CSV export over HTTP, as the named personas."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.services import ombudsman_case_register
from opencomplaints.tracker.selectors import tracker as tracker_selectors
from opencomplaints.tracker.tests.conftest import RECEIVED, complaint, travel

pytestmark = pytest.mark.django_db

HOME = reverse("tracker:case-list")
MINE = reverse("tracker:my-cases")
EXPORT = reverse("tracker:case-export")


def references(response):
    """The references in the table's rows, in order."""
    return re.findall(
        r'<th scope="row" class="govuk-table__header app-nowrap"[^>]*>\s*(?:<a [^>]*>)?([A-Z]+-\d{4}-\d{4})',
        response.text,
    )


def exported(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def signed_in(client, complaints_officer):
    client.force_login(complaints_officer)
    return client


@pytest.mark.parametrize("url", [HOME, MINE, EXPORT])
def test_signed_out_users_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_home_page_is_the_tracker(signed_in, council, complaints_officer, team):
    complaint(council, complaints_officer, owner=complaints_officer, teams=[team])
    with travel(date(2022, 6, 8)):
        response = signed_in.get(HOME)
    assert response.status_code == 200
    assert references(response) == ["CSC-2022-0001"]
    text = response.text
    for expected in ("Stage 1", "Ola Pennington", "Assessment East", "26 May 2022", "13 Jun 2022"):
        assert expected in text
    assert '<strong class="govuk-tag govuk-!-font-size-16 govuk-tag--orange">Due soon</strong>' in text
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Working days left">3</td>' in text


def test_tags_on_known_dates(signed_in, council, complaints_officer):
    complaint(council, complaints_officer)
    with travel(date(2022, 6, 14)):
        response = signed_in.get(HOME)
    assert '<strong class="govuk-tag govuk-!-font-size-16 govuk-tag--red">Overdue</strong>' in response.text
    assert (
        '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Working days left">-1</td>'
        in response.text
    )
    with travel(date(2022, 6, 1)):
        response = signed_in.get(HOME)
    assert "govuk-tag" not in response.text.split("<tbody", 1)[1]


def test_counts_at_the_top_link_to_their_filter(signed_in, council, complaints_officer):
    complaint(council, complaints_officer)
    complaint(council, complaints_officer, received=date(2022, 6, 20))
    with travel(date(2022, 6, 14)):
        response = signed_in.get(HOME)
    assert re.search(r'href="\?stage=1"><span class="app-summary-counts__value">2</span> Stage 1', response.text)
    assert re.search(r'href="\?overdue=on"><span class="app-summary-counts__value">1</span> overdue', response.text)


def test_the_other_councils_cases_never_appear(
    client, council, other_council, complaints_officer, other_council_officer
):
    complaint(council, complaints_officer)
    complaint(other_council, other_council_officer)
    client.force_login(other_council_officer)
    assert references(client.get(HOME)) == ["NBY-2022-0001"]
    assert [row[0] for row in exported(client.get(EXPORT))[1:]] == ["NBY-2022-0001"]
    assert "Assessment East" not in client.get(HOME).text


@pytest.fixture
def mixed(council, complaints_officer, complaints_manager, team, second_team):
    """Four open cases, two of them the officer's, in different teams, procedures, stages and due dates; made in
    an order that differs from every sort order."""
    unowned = complaint(council, complaints_officer, received=date(2022, 7, 1), teams=[team, second_team])
    first = complaint(council, complaints_officer, owner=complaints_officer, teams=[team])
    ombudsman = ombudsman_case_register(
        council=council,
        acting_user=complaints_officer,
        received_date=RECEIVED,
        lgsco_reference="22 001 234",
        enquiry_due_date=date(2022, 7, 30),
    )
    # The corporate procedure's first date is the acknowledgement, 5 working days after receipt (R3.5): 11 July.
    corporate = complaint(
        council,
        complaints_officer,
        received=date(2022, 7, 4),
        owner=complaints_manager,
        teams=[second_team],
        procedure=c.Procedure.CORPORATE,
    )
    return {"first": first, "corporate": corporate, "unowned": unowned, "ombudsman": ombudsman}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["first", "corporate", "unowned", "ombudsman"]),
        ({"procedure": "corporate"}, ["corporate"]),
        ({"procedure": "children_statutory"}, ["first", "unowned"]),
        ({"stage": "ombudsman"}, ["ombudsman"]),
        ({"stage": "1"}, ["first", "corporate", "unowned"]),
        ({"overdue": "on"}, ["first"]),
        ({"owner": "none"}, ["unowned", "ombudsman"]),
        ({"procedure": "children_statutory", "owner": "none"}, ["unowned"]),
    ],
)
def test_filters(signed_in, mixed, query, expected):
    with travel(date(2022, 7, 5)):
        response = signed_in.get(HOME, query)
    assert references(response) == [mixed[name].reference for name in expected]


def test_team_and_owner_filters_use_ids(signed_in, mixed, team, second_team, complaints_manager):
    with travel(date(2022, 7, 5)):
        assert references(signed_in.get(HOME, {"team": second_team.pk})) == [
            mixed["corporate"].reference,
            mixed["unowned"].reference,
        ]
        assert references(signed_in.get(HOME, {"owner": complaints_manager.pk})) == [mixed["corporate"].reference]


def test_a_bad_filter_is_reported_and_the_others_still_apply(signed_in, mixed):
    with travel(date(2022, 7, 5)):
        response = signed_in.get(HOME, {"team": "999999", "procedure": "corporate"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Select a team from the list" in response.text
    assert "<title>Error: Cases" in response.text
    assert references(response) == [mixed["corporate"].reference]
    # The choice that was fine is kept in the form.
    assert '<option value="corporate" selected>' in response.text


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["first", "corporate", "unowned", "ombudsman"]),
        ("-due", ["ombudsman", "unowned", "corporate", "first"]),
        ("reference", ["unowned", "first", "ombudsman", "corporate"]),
        ("-reference", ["corporate", "ombudsman", "first", "unowned"]),
        ("received", ["first", "ombudsman", "unowned", "corporate"]),
        ("-received", ["corporate", "unowned", "first", "ombudsman"]),
        ("owner", ["corporate", "first", "unowned", "ombudsman"]),
        ("-stage", ["ombudsman", "first", "corporate", "unowned"]),
        ("nonsense", ["first", "corporate", "unowned", "ombudsman"]),
    ],
)
def test_sorting(signed_in, mixed, sort, expected):
    with travel(date(2022, 7, 5)):
        response = signed_in.get(HOME, {"sort": sort} if sort else {})
    assert references(response) == [mixed[name].reference for name in expected]


def test_sort_links_keep_the_filters_and_mark_the_sorted_column(signed_in, mixed):
    with travel(date(2022, 7, 5)):
        response = signed_in.get(HOME, {"procedure": "children_statutory", "sort": "reference"})
    text = response.text
    assert 'aria-sort="ascending"' in text
    assert 'href="?procedure=children_statutory&amp;sort=-reference"' in text
    assert 'href="?procedure=children_statutory&amp;sort=owner"' in text
    # The hidden field keeps the sort when the filters are applied again.
    assert '<input type="hidden" name="sort" value="reference" id="id_sort">' in text


def test_pagination(signed_in, council, complaints_officer, monkeypatch):
    monkeypatch.setattr(tracker_selectors, "TRACKER_PAGE_SIZE", 2)
    made = [complaint(council, complaints_officer, received=date(2022, 5, 26 + n)) for n in range(5)]
    with travel(date(2022, 6, 1)):
        first = signed_in.get(HOME, {"stage": "1"})
        second = signed_in.get(HOME, {"stage": "1", "page": "2"})
        last = signed_in.get(HOME, {"stage": "1", "page": "99"})
    assert references(first) == [made[0].reference, made[1].reference]
    assert references(second) == [made[2].reference, made[3].reference]
    assert references(last) == [made[4].reference]
    assert "Showing 3 to 4" in second.text
    assert 'href="?stage=1&amp;page=3" rel="next"' in second.text
    assert 'href="?stage=1&amp;page=1" rel="prev"' in second.text
    assert 'aria-current="page">2</a>' in second.text


def test_my_cases(client, council, complaints_officer, complaints_manager):
    mine = complaint(council, complaints_manager, owner=complaints_officer)
    complaint(council, complaints_manager, owner=complaints_manager)
    client.force_login(complaints_officer)
    response = client.get(MINE)
    assert references(response) == [mine.reference]
    assert re.search(r"<h1[^>]*>My cases</h1>", response.text)
    # Everything on this page is the user's, so there is no owner filter.
    assert 'name="owner"' not in response.text
    assert f'href="{EXPORT}?page=1&amp;scope=mine"' in response.text


def test_the_export_is_the_rows_and_columns_on_screen(signed_in, mixed, monkeypatch):
    monkeypatch.setattr(tracker_selectors, "TRACKER_PAGE_SIZE", 2)
    with travel(date(2022, 7, 5)):
        page = signed_in.get(HOME, {"procedure": "children_statutory", "sort": "-due"})
        response = signed_in.get(EXPORT, {"procedure": "children_statutory", "sort": "-due", "page": "1"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cases-2022-07-05-page-1.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = exported(response)
    headers = re.findall(r'<th scope="col" class="govuk-table__header[^"]*"[^>]*>\s*(?:<a [^>]*>)?([^<]+)', page.text)
    assert rows[0] == [h.strip() for h in headers]
    assert [row[0] for row in rows[1:]] == references(page)
    assert rows[1:] == [
        [
            mixed["unowned"].reference,
            "Alex Smith",
            "Children's complaint",
            "Stage 1",
            "Not assigned",
            "Assessment East, Disabled Children",
            "2022-07-01",
            "2022-07-15",
            "8",
            "",
        ],
        [
            mixed["first"].reference,
            "Alex Smith",
            "Children's complaint",
            "Stage 1",
            "Ola Pennington",
            "Assessment East",
            "2022-05-26",
            "2022-06-13",
            "-16",
            "Overdue",
        ],
    ]


def test_the_export_is_recorded_with_its_filters_but_not_words_typed(signed_in, council, complaints_officer, team):
    case = complaint(council, complaints_officer, owner=complaints_officer, teams=[team])
    query = {
        "stage": "1",
        "team": str(team.pk),
        "overdue": "on",
        "sort": "-reference",
        "page": "1",
        # Words in the address that no filter takes, and a name where a case owner's id belongs.
        "q": "Alex Smith",
        "owner": "Smith",
    }
    with travel(date(2022, 7, 5)):
        assert signed_in.get(EXPORT, query).status_code == 200
    event = AuditEvent.objects.get(event_type=AuditEventType.EXPORT_DOWNLOADED)
    typed = len("q=Alex+Smith&owner=Smith")
    assert event.after["filters"] == {
        "stage": "1",
        "team": str(team.pk),
        "overdue": True,
        "sort": "-reference",
        "page": 1,
        "other": {"free_text": True, "characters": typed},
    }
    assert event.after["references"] == [case.reference]
    assert "Smith" not in str(event.after) + event.summary
    # An export is on no case, so what was typed is kept nowhere, not even beside the row.
    assert not event.texts.exists()


def test_an_export_of_my_cases_with_nothing_typed_keeps_no_free_text(signed_in):
    assert signed_in.get(EXPORT, {"scope": "mine", "page": "1"}).status_code == 200
    event = AuditEvent.objects.get(event_type=AuditEventType.EXPORT_DOWNLOADED)
    assert event.after["filters"] == {"page": 1, "scope": "mine"}


def test_the_export_neutralises_spreadsheet_formulas(signed_in, council, complaints_officer, team, second_team):
    team.name = '=HYPERLINK("http://evil.example","Click")'
    team.save()
    second_team.name = "@SUM(A1:A2)"
    second_team.save()
    complaints_officer.first_name = "+Ola"
    complaints_officer.last_name = "-Pennington"
    complaints_officer.save()
    complaint(council, complaints_officer, owner=complaints_officer, teams=[team])
    complaint(council, complaints_officer, teams=[second_team])
    with travel(date(2022, 6, 20)):
        rows = exported(signed_in.get(EXPORT))
    owners = {row[4] for row in rows[1:]}
    teams = {row[5] for row in rows[1:]}
    assert owners == {"'+Ola -Pennington", "Not assigned"}
    assert teams == {'\'=HYPERLINK("http://evil.example","Click")', "'@SUM(A1:A2)"}
    # Numbers stay numbers: a negative count of working days is not a formula.
    assert {row[8] for row in rows[1:]} == {"-5"}


def test_the_number_of_queries_does_not_grow_with_the_cases(
    client, council, complaints_officer, team, second_team, django_assert_num_queries
):
    client.force_login(complaints_officer)

    def make(n):
        for i in range(n):
            complaint(council, complaints_officer, owner=complaints_officer, teams=[team, second_team][: 1 + i % 2])

    # Session, user, the two-factor device, the filters' teams and officers (which give the user's councils too), the
    # page's count and rows, its teams, its open stages (with their holds), its primary complainants and failed
    # emails (one query for the page's cases only, not a subquery run for every open case), the calendar's
    # overrides, the counts by stage, which of the navigation's sections the user may open, and the user's saved
    # views ("My cases" has none of its own, so one fewer).
    expected = 14
    make(3)
    with django_assert_num_queries(expected):
        assert len(references(client.get(HOME))) == 3
    make(27)
    with django_assert_num_queries(expected):
        assert len(references(client.get(HOME))) == 30
    with django_assert_num_queries(expected - 1):
        assert len(references(client.get(MINE))) == 30
