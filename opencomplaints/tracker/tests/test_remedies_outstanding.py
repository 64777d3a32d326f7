"""Remedies outstanding over HTTP (docs/adr/0020-remedy-lifecycle.md): approved remedies not yet paid or
delivered, overdue first, for the complaints team; a proposal or a paid remedy is not listed."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from opencomplaints.cases.services import remedy_approve, remedy_pay, remedy_propose
from opencomplaints.councils.tests.factories import RemedyTypeFactory
from opencomplaints.tracker.tests.conftest import complaint, travel

pytestmark = pytest.mark.django_db

REMEDIES = reverse("tracker:remedy-list")


def references(response):
    body = response.text.split("<tbody", 1)[1]
    return re.findall(r">((?:CSC|NBY)-\d{4}-\d{4})<", body)


@pytest.fixture
def remedies(council, other_council, complaints_officer, complaints_manager, other_council_officer):
    payment = RemedyTypeFactory.create(council=council, code="financial", name="Financial remedy", is_financial=True)
    apology = RemedyTypeFactory.create(council=council, code="apology", name="Apology")

    def approved(remedy_type, due, amount=None):
        case = complaint(council, complaints_officer)
        remedy = remedy_propose(case=case, acting_user=complaints_officer, remedy_type=remedy_type, amount=amount)
        remedy_approve(remedy=remedy, acting_user=complaints_manager, approved_date=date(2022, 6, 10), due_date=due)
        return remedy

    made = {
        "later": approved(payment, date(2022, 7, 29), Decimal("120")),
        "overdue": approved(apology, date(2022, 6, 24)),
        "soon": approved(payment, date(2022, 7, 8), Decimal("250.50")),
        "paid": approved(payment, date(2022, 7, 1), Decimal("75")),
    }
    remedy_pay(remedy=made["paid"], acting_user=complaints_officer, paid_date=date(2022, 6, 30), payment_reference="B1")
    remedy_propose(
        case=complaint(council, complaints_officer), acting_user=complaints_officer, remedy_type=payment,
        amount=Decimal(40),
    )  # fmt: skip
    theirs = RemedyTypeFactory.create(council=other_council, code="apology", name="Apology")
    other = remedy_propose(
        case=complaint(other_council, other_council_officer), acting_user=other_council_officer, remedy_type=theirs
    )
    made["other"] = other
    return made


def test_approved_remedies_not_paid_overdue_first(client, complaints_manager, remedies):
    client.force_login(complaints_manager)
    with travel(date(2022, 7, 4)):
        response = client.get(REMEDIES)

    assert response.status_code == 200
    assert references(response) == [remedies[k].case.reference for k in ("overdue", "soon", "later")]
    text = response.text
    assert "Overdue" in text
    assert "£370.50" in text  # the payments still to make
    assert "Remedies outstanding" in text


def test_the_page_is_in_the_navigation_for_the_team(client, complaints_officer, remedies):
    client.force_login(complaints_officer)
    response = client.get(REMEDIES)

    assert f'href="{REMEDIES}"' in response.text


def test_refused_to_an_investigating_manager(client, investigating_manager):
    client.force_login(investigating_manager)

    assert client.get(REMEDIES).status_code == 403


def test_another_council_sees_none_of_ours(client, other_council_officer, remedies):
    client.force_login(other_council_officer)
    response = client.get(REMEDIES)

    assert "No remedies are waiting to be paid or delivered" in response.text
