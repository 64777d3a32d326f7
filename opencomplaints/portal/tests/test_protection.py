import pytest

from opencomplaints.cases.models import Case

pytestmark = pytest.mark.django_db

ADULT = "/complain/exampleton/adult"


def _ready(client):
    for step, data in [
        ("who", {"relationship": "young_person"}),
        ("complaint", {"what_happened": "x"}),
        ("advocate", {"advocate": "no"}),
        ("contact", {"contact": "anonymous"}),
    ]:
        client.post(f"{ADULT}/{step}/", data)


def test_a_filled_honeypot_sends_nothing(client, council):
    _ready(client)
    response = client.post(f"{ADULT}/check-answers/", {"website": "http://spam.example"})
    assert response.status_code == 200
    assert "Your answers could not be sent. Try again" in response.content.decode()
    assert not Case.objects.exists()


def test_a_filled_honeypot_on_a_question_is_refused(client, council):
    response = client.post(f"{ADULT}/who/", {"relationship": "parent", "website": "x"})
    assert response.status_code == 200
    assert "Your answers could not be sent. Try again" in response.content.decode()


def test_the_honeypot_is_hidden_from_people(client, council):
    page = client.get(f"{ADULT}/who/").content.decode()
    assert "<div hidden>" in page
    assert 'name="website"' in page


def test_submissions_are_rate_limited_per_address(client, council, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"PORTAL_RATE_LIMIT": 2, "PORTAL_RATE_LIMIT_SECONDS": 600}
    for _ in range(2):
        _ready(client)
        assert client.post(f"{ADULT}/check-answers/", {}).status_code == 302
    _ready(client)
    response = client.post(f"{ADULT}/check-answers/", {})
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    page = response.content.decode()
    assert "Sorry, there have been too many attempts" in page
    assert "Wait 10 minutes and try again. Your answers have not been lost." in page
    assert Case.objects.count() == 2
    # Another address is not held back.
    other = client.post(f"{ADULT}/check-answers/", {}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_reading_pages_is_not_limited(client, council, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"PORTAL_RATE_LIMIT": 1}
    for _ in range(5):
        assert client.get(f"{ADULT}/who/").status_code == 200


def test_behind_a_proxy_the_forwarded_address_counts(client, council, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"PORTAL_RATE_LIMIT": 1, "PORTAL_TRUSTED_PROXIES": 1}
    _ready(client)
    assert client.post(f"{ADULT}/check-answers/", {}, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
    _ready(client)
    assert client.post(f"{ADULT}/check-answers/", {}, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
    _ready(client)
    assert client.post(f"{ADULT}/check-answers/", {}, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429


def test_a_request_over_the_size_limit_is_refused_before_it_is_read(client, council, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"PORTAL_MAX_REQUEST_BYTES": 1024 * 1024}
    response = client.post(f"{ADULT}/who/", {"relationship": "parent", "padding": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413
    assert "The file is too big" in response.content.decode()


def test_form_data_too_large_to_read_gets_the_styled_page_not_a_bare_error(client, council, settings):
    # Under the portal's own limit, but over what Django reads into memory from a form (DATA_UPLOAD_MAX_MEMORY_SIZE).
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    client.post(f"{ADULT}/who/", {"relationship": "young_person"})
    response = client.post(f"{ADULT}/complaint/", {"what_happened": "x" * (128 * 1024)})
    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is too big" in page
    assert 'class="govuk-template' in page
    assert "Bad Request" not in page
