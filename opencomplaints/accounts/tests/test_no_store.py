"""Responses to a signed-in person carry ``Cache-Control: private, no-store``: a shared computer's browser cache or
a proxy must keep no copy of a page with personal data on it."""

import pytest
from django.urls import reverse

from opencomplaints.cases.tests.conftest import complaint  # noqa: F401 - a fixture shared with the case tests

pytestmark = pytest.mark.django_db


def _no_store(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.parametrize(
    "page",
    [
        lambda case: reverse("casework:case-detail", args=[case.pk]),
        lambda case: reverse("tracker:case-list"),
        lambda case: reverse("tracker:case-export"),
        lambda case: reverse("interchange:import-list"),
        lambda case: reverse("interchange:import-create"),
    ],
    ids=["case page", "tracker", "tracker CSV", "imports", "new import"],
)
def test_staff_pages_with_personal_data_are_never_stored(client, complaints_manager, complaint, page):  # noqa: F811
    client.force_login(complaints_manager)
    response = client.get(page(complaint))
    assert response.status_code == 200
    assert _no_store(response), response.get("Cache-Control")


def test_an_error_page_to_a_signed_in_person_is_not_stored_either(client, complaints_manager):
    client.force_login(complaints_manager)
    response = client.get("/cases/999999999/")
    assert response.status_code == 404
    assert _no_store(response)


def test_signing_out_is_not_stored(client, complaints_manager):
    client.force_login(complaints_manager)
    response = client.post(reverse("accounts:logout"))
    assert _no_store(response)


def test_a_page_without_personal_data_is_not_stored_either_once_signed_in(client, complaints_manager):
    client.force_login(complaints_manager)
    assert _no_store(client.get(reverse("web:deadline-calculator")))
