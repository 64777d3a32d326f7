"""Email coming in: the shared mailbox read from a real IMAP server (Dovecot), filing by case reference, the inbox,
duplicates by Message-ID, nothing lost when the database fails, and email files added to a case."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.correspondence import inbound, mailbox
from opencomplaints.correspondence.mailbox import MailboxConfig, MailboxUnavailable, mailbox_poll
from opencomplaints.correspondence.models import InboundEmail, InboundSource, InboundStatus
from opencomplaints.correspondence.selectors import case_correspondence
from opencomplaints.correspondence.tests.imap import PDF, append, imap_server, message, unread_count
from opencomplaints.jobs.scheduler import LONDON, Schedule, latest_slot

pytestmark = pytest.mark.django_db
__all__ = ["imap_server"]


def _config(server: MailboxConfig, council) -> MailboxConfig:
    return MailboxConfig(**{**server.__dict__, "council_slug": council.slug})


def test_a_message_quoting_a_reference_is_filed_on_the_case_with_its_attachment(imap_server, adult_case):
    append(
        message(
            subject=f"Re: your complaint {adult_case.reference}",
            body="Here is the letter I mentioned.",
            attachments=[("letter.pdf", PDF, "application", "pdf")],
        )
    )
    counts = mailbox_poll(config=_config(imap_server, adult_case.council))
    assert counts == {"stored": 1, "duplicates": 0, "left_unread": 0}
    email = InboundEmail.objects.get()
    assert email.status == InboundStatus.FILED
    assert email.case == adult_case
    assert [d.original_name for d in email.documents.all()] == ["letter.pdf"]
    assert adult_case.documents.filter(original_name="letter.pdf").exists()
    assert unread_count() == 0  # marked read once stored
    assert AuditEvent.objects.filter(case=adult_case, event_type=AuditEventType.INBOUND_EMAIL_RECEIVED).exists()
    assert [item.direction for item in case_correspondence(adult_case)] == ["received"]


def test_an_attachment_the_document_checks_refuse_is_listed_not_added(imap_server, adult_case):
    append(
        message(
            subject=adult_case.reference,
            body="See attached.",
            attachments=[("run-me.exe", b"MZ\x90\x00binary", "application", "octet-stream")],
        )
    )
    mailbox_poll(config=_config(imap_server, adult_case.council))
    email = InboundEmail.objects.get()
    assert email.documents.count() == 0
    assert email.refused_attachments[0]["name"] == "run-me.exe"
    assert "must be a" in email.refused_attachments[0]["problem"]


def test_a_message_without_a_reference_waits_in_the_inbox(imap_server, council):
    append(message(subject="Bins not collected", body="My bins have not been collected for three weeks."))
    mailbox_poll(config=_config(imap_server, council))
    email = InboundEmail.objects.get()
    assert email.status == InboundStatus.INBOX
    assert email.case is None
    assert email.from_address == "sam.okafor@example.org"
    assert email.from_name == "Sam Okafor"


def test_the_same_message_twice_is_stored_once(imap_server, council):
    raw = message(subject="Hello", body="Words", message_id="<same-one@example.org>")
    append(raw, raw)
    counts = mailbox_poll(config=_config(imap_server, council))
    assert counts == {"stored": 1, "duplicates": 1, "left_unread": 0}
    assert InboundEmail.objects.count() == 1
    assert unread_count() == 0


def test_a_message_that_cannot_be_stored_stays_unread_and_is_read_next_time(imap_server, council, monkeypatch):
    append(message(subject="Hello", body="Words"))
    real = mailbox.inbound_email_receive

    def database_down(**kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(mailbox, "inbound_email_receive", database_down)
    assert mailbox_poll(config=_config(imap_server, council))["left_unread"] == 1
    assert unread_count() == 1
    monkeypatch.setattr(mailbox, "inbound_email_receive", real)
    assert mailbox_poll(config=_config(imap_server, council))["stored"] == 1
    assert unread_count() == 0


def test_an_unreachable_mailbox_is_tried_again_then_reported(council):
    waits: list[float] = []
    config = MailboxConfig(
        host="127.0.0.1",
        port=1,
        user="x",
        password="y",
        folder="INBOX",
        ssl=False,
        council_slug=council.slug,
        retry_seconds=(1, 5),
        timeout=1,
    )
    with pytest.raises(MailboxUnavailable):
        mailbox_poll(config=config, sleep=waits.append)
    assert waits == [1, 5]


def test_wrong_password_is_unavailable_not_a_crash(imap_server, council):
    config = MailboxConfig(**{**_config(imap_server, council).__dict__, "password": "wrong"})
    with pytest.raises(MailboxUnavailable):
        mailbox_poll(config=config, sleep=lambda _: None)


def test_nothing_is_polled_without_a_mailbox(settings):
    settings.OPENCOMPLAINTS = {**settings.OPENCOMPLAINTS, "IMAP_HOST": ""}
    assert mailbox_poll() == {"stored": 0, "duplicates": 0, "left_unread": 0}


def test_the_poll_is_scheduled_every_few_minutes_when_a_mailbox_is_set(settings):
    from opencomplaints.jobs.scheduler import schedules

    assert "mailbox-poll" not in [s.name for s in schedules()]
    settings.OPENCOMPLAINTS = {**settings.OPENCOMPLAINTS, "IMAP_HOST": "imap.example.gov.uk", "IMAP_POLL_MINUTES": 5}
    poll = next(s for s in schedules() if s.name == "mailbox-poll")
    slot = latest_slot(poll, datetime(2026, 3, 2, 10, 7, 30, tzinfo=LONDON))
    assert slot == datetime(2026, 3, 2, 10, 5, tzinfo=LONDON)
    assert latest_slot(Schedule("x", "y", poll.at, every_minutes=15), slot) == datetime(
        2026, 3, 2, 10, 0, tzinfo=LONDON
    )


def test_an_email_without_a_message_id_is_named_by_its_digest(council):
    raw = b"From: a@example.org\r\nSubject: No id\r\n\r\nWords\r\n"
    first, new = inbound.inbound_email_receive(
        council=council, raw=raw, source=InboundSource.MAILBOX, received_at=timezone.now()
    )
    again, new_again = inbound.inbound_email_receive(
        council=council, raw=raw, source=InboundSource.MAILBOX, received_at=timezone.now()
    )
    assert new
    assert not new_again
    assert first.pk == again.pk
    assert first.message_id.startswith("sha256:")


def test_an_html_only_email_keeps_its_words_without_the_markup(council):
    raw = (
        b"From: a@example.org\r\nSubject: HTML\r\nMessage-ID: <h@example.org>\r\nContent-Type: text/html\r\n\r\n"
        b"<p>My <b>bins</b></p>\r\n"
    )
    email, _ = inbound.inbound_email_receive(
        council=council, raw=raw, source=InboundSource.MAILBOX, received_at=timezone.now()
    )
    assert email.body == "My bins"


@pytest.fixture
def officer(client, complaints_officer):
    client.force_login(complaints_officer)
    return client


def _in_inbox(council, **kwargs):
    raw = message(subject="Broken streetlight", body="The light outside number 4 is out.", **kwargs)
    email, _ = inbound.inbound_email_receive(
        council=council, raw=raw, source=InboundSource.MAILBOX, received_at=timezone.now()
    )
    return email


def test_an_inbox_email_is_filed_on_a_case_by_its_reference(officer, adult_case):
    email = _in_inbox(adult_case.council, attachments=[("photo.pdf", PDF, "application", "pdf")])
    url = reverse("correspondence:inbox-email", args=[email.pk])
    assert "Broken streetlight" in officer.get(reverse("correspondence:inbox")).content.decode()
    refused = officer.post(url, {"action": "file", "reference": "NOT-2026-9999"})
    assert refused.status_code == 400
    assert "Enter the reference of a case" in refused.content.decode()
    response = officer.post(url, {"action": "file", "reference": adult_case.reference.lower()})
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == InboundStatus.FILED
    assert email.case == adult_case
    assert email.documents.get().original_name == "photo.pdf"
    assert AuditEvent.objects.filter(case=adult_case, event_type=AuditEventType.INBOUND_EMAIL_FILED).exists()
    assert officer.get(url).status_code == 404  # no longer in the inbox


def test_discarding_needs_a_reason(officer, council):
    email = _in_inbox(council)
    url = reverse("correspondence:inbox-email", args=[email.pk])
    refused = officer.post(url, {"action": "discard", "reason": " "})
    assert refused.status_code == 400
    assert "Enter why the email is being discarded" in refused.content.decode()
    assert officer.post(url, {"action": "discard", "reason": "Spam"}).status_code == 302
    email.refresh_from_db()
    assert email.status == InboundStatus.DISCARDED
    assert email.discard_reason == "Spam"


def test_an_eml_file_is_added_to_a_case(officer, adult_case):
    raw = message(subject="Forwarded", body="From my MP", attachments=[("note.pdf", PDF, "application", "pdf")])
    url = reverse("correspondence:email-add", args=[adult_case.pk])
    assert officer.get(url).status_code == 200
    response = officer.post(url, {"file": SimpleUploadedFile("forwarded.eml", raw)})
    assert response.status_code == 302
    email = InboundEmail.objects.get(case=adult_case)
    assert email.source == InboundSource.UPLOAD
    assert email.documents.count() == 1
    again = officer.post(url, {"file": SimpleUploadedFile("forwarded.eml", raw)}, follow=True)
    assert "already stored" in again.content.decode()
    assert InboundEmail.objects.count() == 1
    page = officer.get(reverse("casework:case-detail", args=[adult_case.pk])).content.decode()
    assert "Email: Forwarded" in page
    assert "Add an email file" in page


def test_a_file_that_is_not_an_email_is_refused_clearly(officer, adult_case):
    url = reverse("correspondence:email-add", args=[adult_case.pk])
    response = officer.post(url, {"file": SimpleUploadedFile("notes.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1junk")})
    assert response.status_code == 400
    assert "not an email that can be read" in response.content.decode()
    assert officer.post(url, {}).status_code == 400
    assert not InboundEmail.objects.exists()
