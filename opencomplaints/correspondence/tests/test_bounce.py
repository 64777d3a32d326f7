"""A bounce (an RFC 3464 delivery status notification) for an email the council sent through its own server comes
back to the shared mailbox: the email is marked not delivered on its case and the notice is kept there, never
waiting in the inbox. Anything that only looks like one goes to the inbox as any other email."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.correspondence.inbound import bounce_parse, inbound_email_receive
from opencomplaints.correspondence.mailbox import MailboxConfig, mailbox_poll
from opencomplaints.correspondence.models import InboundEmail, InboundSource, InboundStatus
from opencomplaints.correspondence.tests.imap import append, imap_server
from opencomplaints.notifications.models import Delivery, Message, MessageStatus
from opencomplaints.notifications.senders import SmtpSender
from opencomplaints.notifications.services import message_queue, outbox_send_pending

pytestmark = pytest.mark.django_db
__all__ = ["imap_server"]


def _sent_by_smtp(case) -> Message:
    message = message_queue(
        template_key="follow_link",
        recipient="jordan.price@example.org",
        personalisation={
            "greeting": "Dear Jordan",
            "reference": case.reference,
            "follow_link": "http://127.0.0.1:8000/follow/abc/",
            "link_expires": "25 June 2022",
            "council": case.council.name,
        },
        idempotency_key=f"follow:{case.pk}",
        case=case,
    )
    outbox_send_pending(now=timezone.now(), sender=SmtpSender())
    message.refresh_from_db()
    assert (message.status, message.provider) == (MessageStatus.SENT, "smtp")
    return message


def dsn(reference: str, *, action: str = "failed", report_type: str = "delivery-status") -> bytes:
    """A bounce as Postfix writes one, returning the headers of the message it could not deliver."""
    return (
        "From: MAILER-DAEMON@mail.example.org (Mail Delivery System)\r\n"
        "To: complaints@exampleton.example.org\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-20220601101500@mail.example.org>\r\n"
        "Date: Wed, 01 Jun 2022 10:15:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type={report_type}; boundary="B1"\r\n'
        "\r\n"
        "--B1\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        "I'm sorry to have to inform you that your message could not be delivered.\r\n"
        "--B1\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mail.example.org\r\n"
        "\r\n"
        "Final-Recipient: rfc822; jordan.price@example.org\r\n"
        f"Action: {action}\r\n"
        "Status: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <jordan.price@example.org>: Recipient address rejected\r\n"
        "\r\n"
        "--B1\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        "From: complaints@exampleton.example.org\r\n"
        "To: jordan.price@example.org\r\n"
        "Subject: Follow your complaint\r\n"
        f"X-OpenComplaints-Reference: {reference}\r\n"
        "\r\n"
        "--B1--\r\n"
    ).encode()


def test_the_email_sent_carries_the_reference_the_bounce_returns(adult_case):
    message = _sent_by_smtp(adult_case)
    [sent] = mail.outbox
    assert sent.extra_headers["X-OpenComplaints-Reference"] == message.provider_id


def test_a_bounce_is_read_with_its_reason():
    bounce = bounce_parse(dsn("follow:7"))
    assert bounce is not None
    assert bounce.reference == "follow:7"
    assert "Recipient address rejected" in bounce.detail


@pytest.mark.parametrize(
    "raw",
    [
        dsn("follow:7", action="delayed"),
        dsn("follow:7", report_type="disposition-notification"),
        b"From: someone@example.org\r\nSubject: X-OpenComplaints-Reference: follow:7\r\n\r\nHello",
        b"",
    ],
)
def test_what_is_not_a_failed_delivery_is_not_a_bounce(raw):
    assert bounce_parse(raw) is None


def test_a_bounce_in_the_mailbox_marks_the_email_not_delivered_on_its_case(imap_server, adult_case):
    message = _sent_by_smtp(adult_case)
    append(dsn(message.provider_id))
    config = MailboxConfig(**{**imap_server.__dict__, "council_slug": adult_case.council.slug})
    assert mailbox_poll(config=config)["stored"] == 1
    message.refresh_from_db()
    assert (message.status, message.delivery) == (MessageStatus.FAILED, Delivery.NOT_DELIVERED)
    assert "Recipient address rejected" in message.delivery_detail
    email = InboundEmail.objects.get()
    assert (email.status, email.case) == (InboundStatus.BOUNCE, adult_case)
    assert AuditEvent.objects.filter(case=adult_case, event_type=AuditEventType.MESSAGE_NOT_DELIVERED).exists()


def test_a_bounce_for_a_message_that_is_not_ours_waits_in_the_inbox(adult_case):
    email, new = inbound_email_receive(
        council=adult_case.council, raw=dsn("follow:999999"), source=InboundSource.MAILBOX, received_at=timezone.now()
    )
    assert new
    assert email.status == InboundStatus.INBOX


def test_a_bounce_for_another_councils_message_is_not_applied(adult_case, other_council):
    message = _sent_by_smtp(adult_case)
    email, _ = inbound_email_receive(
        council=other_council, raw=dsn(message.provider_id), source=InboundSource.MAILBOX, received_at=timezone.now()
    )
    assert email.status == InboundStatus.INBOX
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_the_same_bounce_twice_is_stored_once(adult_case):
    message = _sent_by_smtp(adult_case)
    for _ in range(2):
        inbound_email_receive(
            council=adult_case.council,
            raw=dsn(message.provider_id),
            source=InboundSource.MAILBOX,
            received_at=timezone.now(),
        )
    assert InboundEmail.objects.count() == 1
    assert AuditEvent.objects.filter(case=adult_case, event_type=AuditEventType.MESSAGE_NOT_DELIVERED).count() == 1
