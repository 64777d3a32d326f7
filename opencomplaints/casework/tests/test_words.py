"""Words a complaints officer uses (issue 15, item 8): no rule number reaches a page. The case page of a complaint
at each stage, of an Ombudsman case and of a compliment, and every action page each of them links to, are read
through and none shows a rule code ("R1.20", "§4", "reg 8"); those stay in the code's comments and the docs."""

import re
from datetime import date

import pytest
from django.urls import reverse

from opencomplaints.cases import constants as c
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import (
    ComplimentInput,
    complaint_point_add,
    ombudsman_case_register,
    representation_register,
    representation_respond,
)
from opencomplaints.casework.tests.test_case_detail import rich_case, text

pytestmark = pytest.mark.django_db

RULE_CODE = re.compile(r"\bR[1-9]\.[0-9]+|§ ?[0-9]|\breg\.? ?[0-9]+|\(R[1-9]")


def _pages_of(client, case):
    """The case page and every page of the case it links to (its actions and change links)."""
    home = reverse("casework:case-detail", args=[case.pk])
    page = text(client.get(home))
    links = set(re.findall(rf'href="({home}[^"#?]+)"', page))
    yield home, page
    for link in sorted(links):
        response = client.get(link)
        if response.get("Content-Type", "").startswith("text/html"):
            assert response.status_code == 200, link
            yield link, text(response)


def _assert_no_rule_codes(client, case):
    seen = 0
    for link, page in _pages_of(client, case):
        found = RULE_CODE.findall(page)
        assert not found, f"{link} shows {found}"
        seen += 1
    return seen


def test_no_page_of_a_complaint_at_any_stage_shows_a_rule_code(
    officer_client,
    council,
    complaints_manager,
    investigating_officer,
    independent_person,
    adjudicator,
    panel_members,
    apology,
    payment,
    stage1,
    stage2,
):
    complaint_point_add(case=stage1.case, acting_user=complaints_manager, description="Calls were not returned")
    closed = rich_case(
        council,
        complaints_manager,
        io=investigating_officer,
        ip=independent_person,
        adjudicator=adjudicator,
        panel=panel_members,
        apology=apology,
        payment=payment,
        points=2,
    )
    pages = sum(_assert_no_rule_codes(officer_client, case) for case in (stage1.case, stage2.case, closed))
    assert pages > 20


def test_no_page_of_an_ombudsman_case_or_a_compliment_shows_a_rule_code(officer_client, council, complaints_manager):
    ombudsman = ombudsman_case_register(
        council=council, acting_user=complaints_manager, received_date=date(2023, 1, 5), lgsco_reference="22 001 1"
    )
    compliment = representation_register(
        council=council,
        acting_user=complaints_manager,
        kind=c.Kind.COMPLIMENT,
        received_date=date(2023, 1, 5),
        compliment=ComplimentInput(about_person="The family's social worker"),
    )
    for case in (ombudsman, compliment):
        _assert_no_rule_codes(officer_client, case)
    respond = text(officer_client.get(reverse("casework:representation-respond", args=[compliment.pk])))
    assert "Upheld" not in respond


def test_a_compliment_is_not_upheld_and_an_enquiry_is_answered(council, complaints_manager):
    compliment = representation_register(
        council=council,
        acting_user=complaints_manager,
        kind=c.Kind.COMPLIMENT,
        received_date=date(2023, 1, 5),
        compliment=ComplimentInput(about_person="The family's social worker"),
    )
    with pytest.raises(ProcedureError) as error:
        representation_respond(
            case=compliment, acting_user=complaints_manager, responded_date=date(2023, 1, 6), outcome="upheld"
        )
    assert error.value.field == "outcome"
    assert "Thanked and passed on" in error.value.message

    query = representation_register(
        council=council, acting_user=complaints_manager, kind=c.Kind.QUERY, received_date=date(2023, 1, 5)
    )
    with pytest.raises(ProcedureError):
        representation_respond(
            case=query, acting_user=complaints_manager, responded_date=date(2023, 1, 6), outcome="partly_upheld"
        )
    representation_respond(
        case=query,
        acting_user=complaints_manager,
        responded_date=date(2023, 1, 6),
        outcome=c.Outcome.RESOLVED_INFORMALLY,
    )
    query.refresh_from_db()
    assert query.outcome == c.Outcome.RESOLVED_INFORMALLY
