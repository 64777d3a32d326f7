import pytest
from django.core import mail

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case

pytestmark = pytest.mark.django_db

YOUNG = "/complain/exampleton/young-person"


def test_the_young_persons_version_asks_fewer_questions_and_offers_help_first(
    client, council, django_capture_on_commit_callbacks
):
    first = client.get(f"{YOUNG}/help/").content.decode()
    assert "Would you like someone to help you?" in first
    assert "An advocate is a grown-up who is on your side." in first
    steps = [
        ("help", {"advocate": "yes"}),
        ("complaint", {"what_happened": "My social worker keeps changing.", "put_right": "Keep the same one."}),
        ("contact", {"contact": "email"}),
        ("details", {"first_name": "Riley", "last_name": "Shaw", "email": "riley@example.com", "age": "13"}),
    ]
    for step, data in steps:
        response = client.post(f"{YOUNG}/{step}/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"{YOUNG}/check-answers/"
    check = client.get(f"{YOUNG}/check-answers/").content.decode()
    assert "Check what you told us" in check
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{YOUNG}/check-answers/", {})
    case = Case.objects.get()
    complainant = case.complainants.get()
    assert (complainant.complainant_type, complainant.on_behalf_of_child) == (
        c.ComplainantType.CHILD_YOUNG_PERSON,
        False,
    )
    assert "version for children and young people" in case.summary
    assert "Age given: 13." in case.summary
    assert "Asked for help from an advocate." in case.summary
    assert case.status == c.CaseStatus.TRIAGE
    page = client.get(response["Location"]).content.decode()
    assert "We have got your message" in page
    assert "We will find you an advocate." in page
    assert mail.outbox[0].to == ["riley@example.com"]


def test_a_young_person_can_stay_anonymous(client, council):
    for step, data in [
        ("help", {"advocate": "no"}),
        ("complaint", {"what_happened": "x"}),
        ("contact", {"contact": "anonymous"}),
    ]:
        response = client.post(f"{YOUNG}/{step}/", data)
    assert response["Location"] == f"{YOUNG}/check-answers/"
    client.post(f"{YOUNG}/check-answers/", {})
    assert Case.objects.get().complainants.get().person.full_name == ""


def test_a_compliment(client, council, django_capture_on_commit_callbacks):
    assert client.get("/compliment/")["Location"] == "/compliment/exampleton/"
    assert client.get("/compliment/exampleton/")["Location"] == "/compliment/exampleton/compliment/"
    assert client.post("/compliment/exampleton/compliment/", {}).status_code == 200
    client.post(
        "/compliment/exampleton/compliment/",
        {"quote": "Our social worker listened.", "about_person": "Assessment team"},
    )
    response = client.post("/compliment/exampleton/contact/", {"name": "Alex", "email": "alex@example.com"})
    assert response["Location"] == "/compliment/exampleton/check-answers/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compliment/exampleton/check-answers/", {})
    case = Case.objects.get()
    assert (case.kind, case.compliment.quote, case.compliment.about_person) == (
        c.Kind.COMPLIMENT,
        "Our social worker listened.",
        "Assessment team",
    )
    assert "Thank you for your compliment" in client.get(response["Location"]).content.decode()
    assert mail.outbox[0].subject == f"Thank you for your compliment: {case.reference}"


def test_a_compliment_without_contact_details(client, council):
    client.post("/compliment/exampleton/compliment/", {"quote": "Thank you."})
    client.post("/compliment/exampleton/contact/", {})
    client.post("/compliment/exampleton/check-answers/", {})
    assert Case.objects.get().kind == c.Kind.COMPLIMENT
