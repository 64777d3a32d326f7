import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_needs_sign_in(client):
    assert client.get(reverse("tracker:case-list")).status_code == 302


def test_sign_in_page_is_gov_uk_styled(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'class="govuk-template' in response.text
    assert 'lang="en-GB"' in response.text
    assert "Skip to main content" in response.text


def test_wrong_password_shows_an_error_summary(client, complaints_officer):
    response = client.post(reverse("accounts:login"), {"username": complaints_officer.username, "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a correct username and password" in response.text


def test_signing_in_reaches_the_home_page(client, complaints_officer):
    from opencomplaints.accounts.tests.two_factor import confirmed_device, current_code

    device = confirmed_device(complaints_officer)
    response = client.post(
        reverse("accounts:login"),
        {"username": complaints_officer.username, "password": "correct-horse-battery-staple"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two-factor-verify"))
    response = client.post(response.redirect_chain[-1][0], {"code": current_code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("tracker:case-list")
    assert "Sign out" in response.text


def test_unknown_pages_get_the_gov_uk_not_found_page(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_static_assets_are_packaged(client):
    from django.contrib.staticfiles import finders

    for path in (
        "opencomplaints/application.css",
        "govuk-frontend/govuk-frontend.min.js",
        "opencomplaints/init.js",
    ):
        assert finders.find(path), path
