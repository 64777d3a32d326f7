"""Acceptance: correspondence from a council's templates, composed on the case, previewed and sent by email or
put in the print queue as an A4 PDF, without anything internal in the words."""

import io

import docx
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case, Person
from opencomplaints.casework.tests.test_register import complaint_data
from opencomplaints.correspondence.inbound import inbound_email_receive
from opencomplaints.correspondence.models import InboundEmail, InboundSource, InboundStatus, Letter, LetterStatus
from opencomplaints.correspondence.tests.conftest import SECRETS
from opencomplaints.correspondence.tests.imap import PDF, append, imap_server, message, unread_count
from opencomplaints.correspondence.tests.test_bounce import dsn
from opencomplaints.notifications.services import outbox_send_pending

pytestmark = pytest.mark.django_db
__all__ = ["imap_server"]  # the real IMAP server's fixture


@pytest.fixture
def officer(client, complaints_officer):
    client.force_login(complaints_officer)
    return client


def _compose(client, case, step, **changes):
    url = reverse("correspondence:compose", args=[case.pk])
    page = client.get(url, {"step": step})
    assert page.status_code == 200
    values = page.context["values"]
    form = {"step": step, "audience": page.context["audience"], **values, **changes}
    response = client.post(url, form)
    assert response.status_code == 302, response.context and response.context["errors"]
    return Letter.objects.get(case=case, step=step), page


def test_an_acknowledgement_is_composed_previewed_and_emailed_to_an_adult(officer, adult_case):
    letter, page = _compose(officer, adult_case, "acknowledgement")
    assert page.context["audience"] == "adult"
    assert letter.recipient == "jordan.price@example.org"
    preview = officer.get(reverse("correspondence:letter-preview", args=[adult_case.pk, letter.pk]))
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Dear Jordan Price" in text
    assert adult_case.reference in text
    assert "Send the email" in text
    assert not mail.outbox  # nothing goes before the preview is confirmed
    assert officer.post(reverse("correspondence:letter-preview", args=[adult_case.pk, letter.pk])).status_code == 302
    outbox_send_pending(now=timezone.now())
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["jordan.price@example.org"]
    assert sent.subject == f"We have received your complaint: {adult_case.reference}"
    assert "Complaints team" in sent.body  # the signature block
    letter.refresh_from_db()
    assert letter.status == LetterStatus.EMAILED
    event = AuditEvent.objects.get(case=adult_case, event_type=AuditEventType.LETTER_SENT)
    assert event.after["channel"] == "email"
    assert event.texts.filter(path="recipient", text="jordan.price@example.org").exists()


def test_a_child_gets_the_young_persons_acknowledgement_by_post(officer, child_case):
    letter, page = _compose(officer, child_case, "acknowledgement")
    assert page.context["audience"] == "young_person"
    assert letter.channel == "post"
    assert letter.recipient.splitlines() == ["Riley Hughes", "12 Mill Lane", "Ashford", "AB1 2CD"]
    assert "Childline" in letter.body
    assert letter.subject == "We got your complaint"
    officer.post(reverse("correspondence:letter-preview", args=[child_case.pk, letter.pk]))
    letter.refresh_from_db()
    assert letter.status == LetterStatus.TO_PRINT


def test_the_extension_letter_does_not_show_the_internal_reason(officer, adult_case):
    letter, _ = _compose(officer, adult_case, "extension")
    preview = officer.get(reverse("correspondence:letter-preview", args=[adult_case.pk, letter.pk]))
    text = preview.content.decode()
    assert "4 July 2022" in text  # the new date is shared
    for secret in SECRETS.values():
        assert secret not in text
        assert secret not in letter.body


def test_a_postal_letter_is_in_the_print_queue_as_an_a4_pdf(officer, child_case):
    letter, _ = _compose(officer, child_case, "hold")
    officer.post(reverse("correspondence:letter-preview", args=[child_case.pk, letter.pk]))
    queue = officer.get(reverse("correspondence:print-queue"))
    assert child_case.reference in queue.content.decode()
    pdf = officer.get(reverse("correspondence:print-queue"), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages] == [(595, 842)]  # A4
    document = docx.Document(
        io.BytesIO(officer.get(reverse("correspondence:letter-file", args=[child_case.pk, letter.pk, "docx"])).content)
    )
    width = document.sections[0].page_width
    assert width is not None
    assert round(width.cm, 1) == 21.0
    assert officer.post(reverse("correspondence:print-queue")).status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.PRINTED
    assert AuditEvent.objects.filter(case=child_case, event_type=AuditEventType.LETTER_PRINTED).exists()


def test_a_letter_with_the_officers_prompt_left_in_is_not_sent(officer, adult_case):
    letter, _ = _compose(officer, adult_case, "decline")
    response = officer.post(reverse("correspondence:letter-preview", args=[adult_case.pk, letter.pk]))
    assert response.status_code == 400
    assert "Replace the words in square brackets" in response.content.decode()
    letter.refresh_from_db()
    assert letter.is_draft


def test_another_councils_officer_cannot_compose_on_the_case(client, other_council_officer, adult_case):
    client.force_login(other_council_officer)
    assert client.get(reverse("correspondence:compose", args=[adult_case.pk]), {"step": "hold"}).status_code == 404


# -- email coming in (the shared mailbox on a real IMAP server: Dovecot, started by .ci/start-dovecot) ----------


def _poll(imap_server, council):
    from opencomplaints.correspondence.mailbox import MailboxConfig, mailbox_poll

    return mailbox_poll(config=MailboxConfig(**{**imap_server.__dict__, "council_slug": council.slug}))


def test_an_inbound_email_with_a_case_reference_and_an_attachment_lands_on_the_case(officer, imap_server, adult_case):
    append(
        message(
            subject=f"Further information about {adult_case.reference}",
            body="I attach the letter the school sent me.",
            sender="Jordan Price <jordan.price@example.org>",
            attachments=[("school-letter.pdf", PDF, "application", "pdf")],
        )
    )
    assert _poll(imap_server, adult_case.council)["stored"] == 1
    page = officer.get(reverse("casework:case-detail", args=[adult_case.pk])).content.decode()
    assert f"Email: Further information about {adult_case.reference}" in page
    assert "school-letter.pdf" in page  # in the case's documents
    email = InboundEmail.objects.get()
    assert email.case == adult_case
    assert email.documents.get().case == adult_case
    assert unread_count() == 0


def test_an_unknown_sender_lands_in_the_inbox_and_is_registered_as_a_complaint(officer, imap_server, council):
    append(
        message(
            subject="My son's support plan",
            body="Nobody has replied to me about my son's support plan.",
            sender="Jo Marsh <jo.marsh@example.com>",
        )
    )
    _poll(imap_server, council)
    email = InboundEmail.objects.get(status=InboundStatus.INBOX)
    inbox = officer.get(reverse("correspondence:inbox")).content.decode()
    assert "My son&#x27;s support plan" in inbox or "My son's support plan" in inbox
    item = officer.get(reverse("correspondence:inbox-email", args=[email.pk]))
    register_link = item.context["links"]["complaint"]
    form_page = officer.get(register_link)
    assert form_page.status_code == 200
    assert form_page.context["form"].initial["summary"] == "Nobody has replied to me about my son's support plan."
    assert form_page.context["form"].initial["received_via"] == "email"
    assert form_page.context["complainants"].forms[0].initial == {
        "first_name": "Jo",
        "last_name": "Marsh",
        "email": "jo.marsh@example.com",
    }
    registered = officer.post(reverse("casework:complaint-register"), complaint_data(summary=email.body))
    assert registered.status_code == 302
    case = Case.objects.get(summary=email.body)
    filed = officer.post(
        reverse("correspondence:inbox-email", args=[email.pk]), {"action": "file", "reference": case.reference}
    )
    assert filed.status_code == 302
    email.refresh_from_db()
    assert email.status == InboundStatus.FILED
    assert email.case == case
    assert "There are no emails waiting" in officer.get(reverse("correspondence:inbox")).content.decode()


def test_a_duplicate_message_is_ignored(imap_server, council):
    raw = message(subject="Hello", body="The same message, delivered twice", message_id="<twice@example.org>")
    append(raw)
    assert _poll(imap_server, council) == {"stored": 1, "duplicates": 0, "left_unread": 0}
    append(raw)
    assert _poll(imap_server, council) == {"stored": 0, "duplicates": 1, "left_unread": 0}
    assert InboundEmail.objects.count() == 1
    assert unread_count() == 0


def test_an_email_that_bounces_shows_on_the_case_and_suggests_the_postal_letter(officer, adult_case):
    person = Person.objects.get(complaints_made__case=adult_case, complaints_made__is_primary=True)
    Person.objects.filter(pk=person.pk).update(address="4 Orchard Row\nExampleton", postcode="EX1 2AB")
    letter, _ = _compose(officer, adult_case, "acknowledgement")
    officer.post(reverse("correspondence:letter-preview", args=[adult_case.pk, letter.pk]))
    outbox_send_pending(now=timezone.now())
    letter.refresh_from_db()
    inbound_email_receive(
        council=adult_case.council,
        raw=dsn(letter.message.provider_id),
        source=InboundSource.MAILBOX,
        received_at=timezone.now(),
    )
    page = officer.get(reverse("casework:case-detail", args=[adult_case.pk]))
    text = page.content.decode()
    assert "Emailed but not delivered" in text
    assert "Delivery failure notice" in text
    [item] = [i for i in page.context["correspondence"] if i.warning]
    compose = officer.get(item.warning_href)
    assert compose.status_code == 200
    assert compose.context["values"]["channel"] == "post"
    assert compose.context["values"]["recipient"].splitlines()[1:] == ["4 Orchard Row", "Exampleton", "EX1 2AB"]
