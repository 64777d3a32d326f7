from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.services import stage_respond
from opencomplaints.cases.tests import factories as f
from opencomplaints.casework.models import Document
from opencomplaints.common.errors import NotFoundError
from opencomplaints.notifications.models import Message, TemplateKey
from opencomplaints.portal.models import FollowToken, PortalFeedback
from opencomplaints.portal.selectors import FollowLinkExpired, follow_token_resolve
from opencomplaints.portal.services import follow_token_issue, follow_token_revoke

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def case(council, complaints_manager):
    return f.register(council, complaints_manager, complainants=[f.complainant(email="sam@example.com")])


@pytest.fixture
def link(case):
    _, raw = follow_token_issue(case=case, now=timezone.now())
    return raw


def test_the_follow_page_shows_status_stage_and_due_date_in_plain_words(client, case, link):
    response = client.get(f"/follow/{link}/")
    page = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert case.reference in page
    assert "Received" in page
    assert "We have received your complaint and are deciding how we will look into it." in page
    assert "Stage 1: local resolution" in page
    assert "We aim to reply by" in page
    assert "13 June 2022" in page
    assert "Give feedback" not in page
    # Nothing personal is shown.
    assert case.complainants.get().person.last_name not in page


def test_only_the_hash_is_stored(case, link):
    assert not FollowToken.objects.filter(token_hash=link).exists()
    assert FollowToken.objects.get(case=case).token_hash != link


def test_an_unknown_link_does_not_work(client, case):
    response = client.get("/follow/not-a-real-token-at-all/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_an_expired_link_does_not_work(client, case, link, settings):
    token = follow_token_resolve(raw=link, now=timezone.now())
    with pytest.raises(FollowLinkExpired):
        follow_token_resolve(raw=link, now=token.expires_at)
    FollowToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(f"/follow/{link}/")
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_links_last_the_configured_number_of_days(case, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"FOLLOW_LINK_DAYS": 7}
    now = timezone.now()
    token, _ = follow_token_issue(case=case, now=now)
    assert token.expires_at == now + timedelta(days=7)


def test_a_revoked_link_does_not_work(client, case, link, complaints_manager):
    token = follow_token_resolve(raw=link, now=timezone.now())
    follow_token_revoke(token=token, acting_user=complaints_manager, now=timezone.now())
    assert client.get(f"/follow/{link}/").status_code == 404
    assert AuditEvent.objects.filter(case=case, event_type=AuditEventType.FOLLOW_LINK_REVOKED).exists()


def test_a_link_only_works_for_its_purpose(case, link):
    with pytest.raises(NotFoundError):
        follow_token_resolve(raw=link, now=timezone.now(), purpose="something_else")


def test_issuing_a_link_is_on_the_audit_trail(case, link):
    assert AuditEvent.objects.filter(case=case, event_type=AuditEventType.FOLLOW_LINK_ISSUED).count() == 1


def test_adding_a_document(client, case, link):
    url = f"/follow/{link}/documents/"
    assert "Send a document" in client.get(url).content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("letter.pdf", PDF), "description": "The letter"})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.case, document.uploaded_by, document.description) == (
        case,
        None,
        "From the complainant: The letter",
    )
    assert "We have received your document" in client.get(response["Location"]).content.decode()


def test_a_document_of_the_wrong_type_is_refused(client, case, link):
    response = client.post(f"/follow/{link}/documents/", {"file": SimpleUploadedFile("run.exe", b"MZ\x90\x00binary")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The selected file must be a" in page
    assert not Document.objects.exists()


def test_no_document_chosen(client, case, link):
    page = client.post(f"/follow/{link}/documents/", {}).content.decode()
    assert "Select a document to send" in page


def test_feedback_only_after_a_response_and_only_once(client, case, link, complaints_manager):
    url = f"/follow/{link}/feedback/"
    refused = client.post(url, {"rating": "satisfied"})
    assert "You can tell us what you think once we have replied to your complaint" in refused.content.decode()
    from opencomplaints.cases.services import complaint_accept

    complaint_accept(case=case, acting_user=complaints_manager)
    stage_respond(
        stage=f.stage(case, 1),
        acting_user=complaints_manager,
        response_date=date(2022, 6, 10),
        outcome=c.Outcome.UPHELD,
    )
    page = client.get(f"/follow/{link}/").content.decode()
    assert "Replied" in page
    assert "We replied on 10 June 2022." in page
    assert "Give feedback" in page
    assert "Select how you feel about our reply" in client.post(url, {}).content.decode()
    response = client.post(url, {"rating": "satisfied", "comments": "Quick and fair."})
    assert response.status_code == 302
    feedback = PortalFeedback.objects.get()
    assert feedback.stage is not None
    assert (feedback.case, feedback.stage.number, feedback.rating, feedback.comments) == (
        case,
        1,
        "satisfied",
        "Quick and fair.",
    )
    assert AuditEvent.objects.filter(case=case, event_type=AuditEventType.PORTAL_FEEDBACK_RECEIVED).exists()
    again = client.post(url, {"rating": "dissatisfied"})
    assert "You have already told us what you think of this reply" in again.content.decode()
    assert "Thank you for telling us what you think of our reply." in client.get(f"/follow/{link}/").content.decode()


def test_asking_for_a_new_link(client, case):
    assert "There is a problem" in client.post("/follow/", {}).content.decode()
    response = client.post("/follow/", {"reference": case.reference.lower(), "email": "SAM@example.com"})
    assert response["Location"] == "/follow/link-sent/"
    message = Message.objects.get(template_key=TemplateKey.FOLLOW_LINK)
    assert message.recipient == "sam@example.com"
    assert "/follow/" in message.body
    assert FollowToken.objects.filter(case=case).count() == 1


def test_asking_for_a_link_with_the_wrong_email_says_the_same_and_sends_nothing(client, case):
    response = client.post("/follow/", {"reference": case.reference, "email": "someone@example.com"})
    assert response["Location"] == "/follow/link-sent/"
    assert not Message.objects.exists()
    assert not FollowToken.objects.exists()
