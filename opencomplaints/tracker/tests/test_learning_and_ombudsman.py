"""The learning-action tracker (R1.40 item 10) and the Ombudsman tracker (R4.1-R4.6) over HTTP."""

import re
from datetime import date

import pytest
from django.urls import reverse

from opencomplaints.cases import constants as c
from opencomplaints.cases.services import (
    learning_action_complete,
    learning_action_create,
    ombudsman_case_register,
    ombudsman_decision_record,
    ombudsman_enquiry_respond,
)
from opencomplaints.tracker.tests.conftest import RECEIVED, complaint, travel

pytestmark = pytest.mark.django_db

LEARNING = reverse("tracker:learning-action-list")
OMBUDSMAN = reverse("tracker:ombudsman-list")


def rows(response):
    return re.findall(
        r'<tr class="govuk-table__row">\s*<t[hd] [^>]*>(.*?)</t[hd]>', response.text.split("<tbody", 1)[1], re.S
    )


@pytest.fixture
def actions(council, other_council, complaints_officer, complaints_manager, other_council_officer, team):
    case = complaint(council, complaints_officer)
    made = {
        "training": learning_action_create(
            council=council,
            acting_user=complaints_manager,
            finding="Calls were not returned",
            action="Train the team on call-backs",
            cases=[case],
            owner=complaints_officer,
            team=team,
            due_date=date(2022, 9, 1),
        ),
        "leaflet": learning_action_create(
            council=council,
            acting_user=complaints_manager,
            finding="Families did not know how to complain",
            action="Rewrite the leaflet",
            due_date=date(2022, 9, 7),
        ),
        "policy": learning_action_create(
            council=council,
            acting_user=complaints_manager,
            finding="Assessments were late",
            action="Review the assessment policy",
            owner=complaints_manager,
            due_date=date(2022, 8, 1),
        ),
        "other": learning_action_create(
            council=other_council,
            acting_user=other_council_officer,
            finding="Another council's finding",
            action="Another council's action",
            due_date=date(2022, 8, 1),
        ),
    }
    learning_action_complete(
        action=made["policy"], acting_user=complaints_manager, implemented_date=date(2022, 8, 10), evidence="Issued"
    )
    return made


def test_learning_actions_open_by_default_soonest_first(client, actions, complaints_officer):
    client.force_login(complaints_officer)
    with travel(date(2022, 9, 5)):
        response = client.get(LEARNING)
    assert response.status_code == 200
    text = response.text
    assert text.index("Train the team on call-backs") < text.index("Rewrite the leaflet")
    assert "Review the assessment policy" not in text
    assert "Another council" not in text
    # Due 1 September, so overdue on 5 September; the leaflet is due on 7 September: two working days.
    assert '<strong class="govuk-tag govuk-!-font-size-16 govuk-tag--red">Overdue</strong>' in text
    assert '<strong class="govuk-tag govuk-!-font-size-16 govuk-tag--orange">Due soon</strong>' in text
    assert "CSC-2022-0001" in text
    assert "Ola Pennington" in text
    assert "Assessment East" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "all"}, ["Review the assessment policy", "Train the team", "Rewrite the leaflet"]),
        ({"status": "implemented"}, ["Review the assessment policy"]),
        ({"overdue": "on"}, ["Train the team"]),
        ({"owner": "none"}, ["Rewrite the leaflet"]),
    ],
)
def test_learning_action_filters(client, actions, complaints_officer, query, expected):
    client.force_login(complaints_officer)
    with travel(date(2022, 9, 5)):
        found = rows(client.get(LEARNING, query))
    assert len(found) == len(expected)
    for cell, start in zip(found, expected, strict=True):
        assert cell.strip().startswith(start)


def test_owner_filter_of_learning_actions(client, actions, complaints_officer):
    client.force_login(complaints_officer)
    found = rows(client.get(LEARNING, {"owner": complaints_officer.pk}))
    assert len(found) == 1
    assert found[0].strip().startswith("Train the team")


def test_a_bad_learning_filter_is_reported(client, actions, complaints_officer):
    client.force_login(complaints_officer)
    response = client.get(LEARNING, {"status": "lost"})
    assert "Select a status from the list" in response.text
    assert "<title>Error: Learning actions" in response.text
    # The default (open actions) still applies.
    assert len(rows(response)) == 2


def test_learning_action_queries_do_not_grow(client, actions, council, complaints_officer, django_assert_num_queries):
    client.force_login(complaints_officer)
    # Session, user, the two-factor device, the owner filter's teams and officers, the count, the page, its cases,
    # the calendar, and which of the navigation's sections the user may open.
    with django_assert_num_queries(10):
        client.get(LEARNING)
    for n in range(5):
        learning_action_create(
            council=council, acting_user=complaints_officer, finding="More", action=f"Action {n}", cases=[]
        )
    with django_assert_num_queries(10):
        client.get(LEARNING)


@pytest.fixture
def ombudsman_cases(council, other_council, complaints_officer, other_council_officer):
    complaint_case = complaint(council, complaints_officer)
    enquiring = ombudsman_case_register(
        council=council,
        acting_user=complaints_officer,
        received_date=date(2022, 9, 1),
        lgsco_reference="22 004 321",
        complaint=complaint_case,
        enquiry_due_date=date(2022, 9, 29),
    )
    complying = ombudsman_case_register(
        council=council,
        acting_user=complaints_officer,
        received_date=RECEIVED,
        lgsco_reference="22 001 234",
        enquiry_due_date=date(2022, 6, 23),
    )
    ombudsman_enquiry_respond(case=complying, acting_user=complaints_officer, responded_date=date(2022, 6, 20))
    ombudsman_decision_record(
        case=complying,
        acting_user=complaints_officer,
        decision=c.LgscoDecision.UPHELD_FAULT_INJUSTICE,
        decision_label="Upheld: fault and injustice",
        decision_date=date(2022, 8, 1),
        compliance_due_date=date(2022, 9, 1),
    )
    closed = ombudsman_case_register(
        council=council,
        acting_user=complaints_officer,
        received_date=RECEIVED,
        lgsco_reference="22 000 999",
    )
    ombudsman_decision_record(
        case=closed,
        acting_user=complaints_officer,
        decision=c.LgscoDecision.NOT_UPHELD,
        decision_date=date(2022, 7, 1),
    )
    ombudsman_case_register(
        council=other_council, acting_user=other_council_officer, received_date=RECEIVED, lgsco_reference="22 777 777"
    )
    return {"enquiring": enquiring, "complying": complying, "closed": closed, "complaint": complaint_case}


def test_ombudsman_cases_open_soonest_due_first(client, ombudsman_cases, complaints_officer):
    client.force_login(complaints_officer)
    with travel(date(2022, 9, 27)):
        response = client.get(OMBUDSMAN)
    assert response.status_code == 200
    text = response.text
    assert text.index("22 001 234") < text.index("22 004 321")
    assert "22 000 999" not in text
    assert "22 777 777" not in text
    # The remedy was due on 1 September: overdue. The reply is due on 29 September: two working days away.
    assert "Due 1 September 2022" in text
    assert '<strong class="govuk-tag govuk-!-font-size-16 govuk-tag--red">Overdue</strong>' in text
    assert "Due 29 September 2022" in text
    assert '<strong class="govuk-tag govuk-!-font-size-16 govuk-tag--orange">Due soon</strong>' in text
    assert "Replied 20 June 2022" in text
    assert "Upheld: fault and injustice, 1 August 2022" in text
    assert ombudsman_cases["complaint"].reference in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "closed"}, ["22 000 999"]),
        ({"status": "all"}, ["22 001 234", "22 004 321", "22 000 999"]),
        ({"overdue": "on"}, ["22 001 234"]),
    ],
)
def test_ombudsman_filters(client, ombudsman_cases, complaints_officer, query, expected):
    client.force_login(complaints_officer)
    with travel(date(2022, 9, 27)):
        text = client.get(OMBUDSMAN, query).text
    shown = re.findall(r'<td class="govuk-table__cell">(\d\d \d{3} \d{3})</td>', text)
    assert shown == expected


def test_ombudsman_queries(client, ombudsman_cases, complaints_officer, django_assert_num_queries):
    client.force_login(complaints_officer)
    # Session, user, the two-factor device, the user's councils, the count, the page (with the details and
    # complaints), the calendar, and which of the navigation's sections the user may open.
    with django_assert_num_queries(8):
        client.get(OMBUDSMAN, {"status": "all"})
