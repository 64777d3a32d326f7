import pytest
from django.core import mail

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case
from opencomplaints.notifications.models import Message, MessageStatus, TemplateKey
from opencomplaints.portal.models import FollowToken

pytestmark = pytest.mark.django_db

BASE = "/complain/exampleton/adult"


def _adult(client, *, who="parent", contact="email", details=None):
    steps = [("who", {"relationship": who})]
    if who != "young_person":
        steps += [
            ("agreement", {"consent": "given"}),
            (
                "child",
                {
                    "first_name": "Jamie",
                    "last_name": "Ward",
                    "date_of_birth_0": "3",
                    "date_of_birth_1": "4",
                    "date_of_birth_2": "2012",
                },
            ),
        ]
    steps += [
        ("complaint", {"what_happened": "Nobody returned my calls for six weeks.", "put_right": "An apology."}),
        ("advocate", {"advocate": "yes"}),
        ("contact", {"contact": contact}),
    ]
    if contact != "anonymous":
        steps.append(("details", details or {"first_name": "Sam", "last_name": "Ward", "email": "sam@example.com"}))
    for step, data in steps:
        response = client.post(f"{BASE}/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return client.get(f"{BASE}/check-answers/")


def test_the_start_page_offers_both_versions(client, council):
    response = client.get("/complain/", follow=True)
    page = response.content.decode()
    assert "Make a complaint about children's social care" in page
    assert "Start the version for children and young people" in page
    assert "Borough of Exampleton: complaints and compliments" in page
    assert "Sign out" not in page


def test_several_councils_are_offered_to_choose_from(client, council, other_council):
    page = client.get("/complain/").content.decode()
    assert "Which council is your complaint about?" in page
    assert "/complain/northby/" in page


def test_a_complaint_on_behalf_of_a_child_lands_in_triage_with_its_acknowledgement(
    client, council, django_capture_on_commit_callbacks
):
    check = _adult(client)
    page = check.content.decode()
    assert "Check your answers before sending" in page
    assert "Yes, they know and they agree" in page
    assert "3 April 2012" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/check-answers/", {})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.status, case.acceptance, case.received_via) == (
        c.CaseStatus.TRIAGE,
        c.Acceptance.PENDING,
        c.ReceivedVia.ONLINE,
    )
    assert case.advocacy_offered is True
    assert "Nobody returned my calls for six weeks." in case.summary
    assert "Asked for help from an advocate." in case.summary
    complainant = case.complainants.get()
    assert (complainant.on_behalf_of_child, complainant.child_consent) == (True, c.ChildConsent.GIVEN)
    assert (complainant.complainant_type, complainant.eligibility_basis) == (
        c.ComplainantType.PARENT_RELATIVE,
        c.EligibilityBasis.PARENT,
    )
    assert complainant.person.email == "sam@example.com"
    assert case.children.get().person.full_name == "Jamie Ward"
    confirmation = client.get(response["Location"]).content.decode()
    assert case.reference in confirmation
    assert "Complaint sent" in confirmation
    [email] = mail.outbox
    assert email.to == ["sam@example.com"]
    assert email.subject == f"We have received your complaint: {case.reference}"
    assert "We aim to reply by" in email.body
    assert "You asked for help from an advocate." in email.body
    assert "/follow/" in email.body
    message = Message.objects.get(template_key=TemplateKey.ACKNOWLEDGEMENT)
    assert message.status == MessageStatus.SENT
    assert "/follow/" not in message.body  # the link is removed from the stored copy once sent
    assert FollowToken.objects.filter(case=case).count() == 1


def test_the_complaint_is_kept_when_the_email_cannot_be_sent(
    client, council, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "opencomplaints.portal.tests.test_complaint_journey.BrokenEmailBackend"}}
    _adult(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/check-answers/", {})
    assert response.status_code == 302
    case = Case.objects.get()
    message = Message.objects.get(case=case, template_key=TemplateKey.ACKNOWLEDGEMENT)
    assert message.status == MessageStatus.QUEUED
    assert message.next_attempt_at is not None
    assert "Connection refused" in message.last_error


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused")


def test_the_acknowledgement_is_written_in_the_same_transaction(client, council, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("opencomplaints.portal.services.message_queue", broken)
    _adult(client)
    with pytest.raises(RuntimeError):
        client.post(f"{BASE}/check-answers/", {})
    assert not Case.objects.exists()
    assert Message.objects.count() == 0


def test_an_anonymous_complaint_says_what_it_limits_and_sends_nothing(client, council):
    check = _adult(client, who="young_person", contact="anonymous")
    assert "I do not want to give my name" in check.content.decode()
    response = client.post(f"{BASE}/check-answers/", {})
    case = Case.objects.get()
    assert case.complainants.get().person.full_name == ""
    # A young person complaining about their own care is the child concerned too, recorded once.
    assert case.children.get().person == case.complainants.get().person
    assert "Anonymous" in case.summary
    assert not Message.objects.exists()
    assert not FollowToken.objects.exists()
    assert "we cannot tell you what happens" in client.get(response["Location"]).content.decode()


def test_the_anonymous_choice_explains_its_limits(client, council):
    for step, data in [
        ("who", {"relationship": "young_person"}),
        ("complaint", {"what_happened": "x"}),
        ("advocate", {"advocate": "no"}),
    ]:
        client.post(f"{BASE}/{step}/", data)
    page = client.get(f"{BASE}/contact/").content.decode()
    assert "we will not be able to tell you what we find" in page


def test_by_post_queues_a_letter_without_a_follow_link(client, council):
    _adult(
        client,
        contact="post",
        details={
            "first_name": "Sam",
            "last_name": "Ward",
            "address": "1 High Street\nExampleton",
            "postcode": "EX1 1AA",
        },
    )
    client.post(f"{BASE}/check-answers/", {})
    message = Message.objects.get()
    assert message.channel == "letter"
    assert message.recipient == "Sam Ward\n1 High Street\nExampleton\nEX1 1AA"
    assert "give us an email address and we will send you a link" in message.body
    assert not FollowToken.objects.exists()


def test_questions_are_answered_in_order(client, council):
    response = client.get(f"{BASE}/contact/")
    assert response["Location"] == f"{BASE}/who/"
    assert client.get(f"{BASE}/check-answers/")["Location"] == f"{BASE}/who/"


def test_questions_that_do_not_apply_are_skipped(client, council):
    response = client.post(f"{BASE}/who/", {"relationship": "young_person"})
    assert response["Location"] == f"{BASE}/complaint/"
    assert client.get(f"{BASE}/agreement/")["Location"] == f"{BASE}/complaint/"


def test_changing_an_answer_returns_to_check_answers(client, council):
    _adult(client)
    response = client.post(f"{BASE}/complaint/?change=1", {"what_happened": "Changed"})
    assert response["Location"] == f"{BASE}/check-answers/"
    assert "Changed" in client.get(f"{BASE}/check-answers/").content.decode()


def test_answers_are_kept_when_going_back(client, council):
    _adult(client)
    page = client.get(f"{BASE}/complaint/").content.decode()
    assert "Nobody returned my calls for six weeks." in page


def test_an_unknown_council_or_question_is_not_found(client, council):
    assert client.get("/complain/nowhere/").status_code == 404
    assert client.get(f"{BASE}/nonsense/").status_code == 404
    assert client.get("/complain/exampleton/other/who/").status_code == 404
