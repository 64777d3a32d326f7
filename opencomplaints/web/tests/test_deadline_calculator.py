import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("web:deadline-calculator")


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_empty_form_shows_no_errors(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert "There is a problem" not in response.text
    assert "Work out the due dates" in response.text


def test_due_dates_with_their_statutory_basis(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.get(
        URL,
        {
            "procedure": "children_statutory",
            "stage": "1",
            "received_0": "26",
            "received_1": "5",
            "received_2": "2022",
        },
    )
    assert response.status_code == 200
    assert "Monday 13 June 2022" in response.text
    assert "Monday 27 June 2022" in response.text
    assert "R1.20" in response.text


def test_corporate_response_assumes_acknowledgement_on_its_due_date(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.get(
        URL,
        {"procedure": "corporate", "stage": "1", "received_0": "6", "received_1": "1", "received_2": "2025"},
    )
    # Acknowledged within 5 working days (13 January 2025); response 10 working days after that (R3.5).
    assert "Monday 13 January 2025" in response.text
    assert "Monday 27 January 2025" in response.text
    assert "assume it is acknowledged on its due date" in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"procedure": "children_statutory", "stage": "1"}, "Enter the date received"),
        (
            {
                "procedure": "children_statutory",
                "stage": "1",
                "received_0": "31",
                "received_1": "2",
                "received_2": "2024",
            },
            "must be a real date",
        ),
        (
            {
                "procedure": "adults_statutory",
                "stage": "2",
                "received_0": "1",
                "received_1": "2",
                "received_2": "2024",
            },
            "The adults&#x27; statutory procedure has one stage",
        ),
        (
            {
                "procedure": "children_statutory",
                "stage": "1",
                "received_0": "1",
                "received_1": "2",
                "received_2": "1999",
            },
            "between 2000 and 2040",
        ),
    ],
)
def test_errors_use_the_error_summary(client, complaints_officer, params, message):
    client.force_login(complaints_officer)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert response.text.count("<title>Error: ") == 1
