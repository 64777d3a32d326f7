"""The owner chosen at registration: the officer registering by default, anyone who may own cases instead, never
someone whose role may not."""

from datetime import date

import pytest
from django.urls import reverse

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, Stage
from opencomplaints.casework.tests.test_register import REGISTER, complaint_data, day, text

pytestmark = pytest.mark.django_db


def test_the_officer_registering_owns_the_complaint_by_default(
    officer_client, council, complaints_officer, investigating_officer
):
    page = text(officer_client.get(REGISTER))
    assert "Who owns the case?" in page
    assert f'<option value="{complaints_officer.pk}" selected>' in page
    # Only people who may own cases are offered.
    assert str(investigating_officer) not in page
    response = officer_client.post(REGISTER, complaint_data(owner=complaints_officer.pk))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.owner == complaints_officer
    assert Stage.objects.get(case=case).owner == complaints_officer


def test_another_owner_or_no_one_can_be_chosen(officer_client, council, complaints_manager):
    officer_client.post(REGISTER, complaint_data(owner=complaints_manager.pk))
    assert Case.objects.get().owner == complaints_manager
    officer_client.post(REGISTER, complaint_data(owner="", register_anyway="yes"))
    assert Case.objects.latest("pk").owner is None


def test_someone_who_may_not_own_cases_is_refused_and_nothing_is_lost(officer_client, council, investigating_officer):
    response = officer_client.post(REGISTER, complaint_data(owner=investigating_officer.pk))
    assert response.status_code == 400
    assert "Select the owner from the list" in text(response)
    assert "The social worker did not return calls." in text(response)
    assert not Case.objects.exists()


def test_a_representation_and_an_ombudsman_case_have_an_owner(officer_client, council, complaints_manager, complaint):
    target = reverse("casework:representation-register", args=["query"])
    data = {**day("received_date", date(2022, 5, 26)), "received_via": "letter", "topic": "Respite care"}
    officer_client.post(target, {**data, "owner": complaints_manager.pk})
    assert Case.objects.get(kind=c.Kind.QUERY).owner == complaints_manager
    target = reverse("casework:ombudsman-register")
    data = {**day("received_date", date(2022, 9, 1)), "lgsco_reference": "22 004 567"}
    assert "Who owns the case?" in text(officer_client.get(target))
    officer_client.post(target, {**data, "owner": complaints_manager.pk})
    assert Case.objects.get(kind=c.Kind.OMBUDSMAN).owner == complaints_manager
