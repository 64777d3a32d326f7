from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from opencomplaints.notifications import errors
from opencomplaints.notifications.models import Channel, Message, MessageStatus
from opencomplaints.notifications.senders import NotifySender, SendError, SmtpSender
from opencomplaints.notifications.services import REDACTED, message_queue, message_retry, outbox_send_pending
from opencomplaints.notifications.tests.conftest import EMAIL_TEMPLATE, LETTER_TEMPLATE

pytestmark = pytest.mark.django_db

FOLLOW = {
    "greeting": "Dear Alex",
    "reference": "CSC-2022-0001",
    "follow_link": "http://127.0.0.1:8000/follow/s3cret/",
    "link_expires": "25 June 2022",
    "council": "Borough of Exampleton",
}


def _queue(key="follow:1", **overrides):
    values = {
        "template_key": "follow_link",
        "recipient": "alex@example.com",
        "personalisation": FOLLOW,
        "idempotency_key": key,
        "secret_keys": ["follow_link"],
    }
    return message_queue(**(values | overrides))


class FlakySender:
    """Fails the first ``failures`` calls (transiently unless ``permanent``), then succeeds; counts every call."""

    name = "flaky"

    def __init__(self, failures=0, permanent=False):
        self.failures, self.permanent, self.calls = failures, permanent, []

    def send(self, message):
        self.calls.append(message)
        if len(self.calls) <= self.failures:
            raise SendError("Provider unavailable", permanent=self.permanent)
        return f"id-{len(self.calls)}"


def test_sends_by_email_and_marks_sent():
    message = _queue()
    now = timezone.now()
    summary = outbox_send_pending(now=now, sender=SmtpSender())
    message.refresh_from_db()
    assert summary.sent == 1
    assert (message.status, message.attempts, message.provider, message.sent_at) == (MessageStatus.SENT, 1, "smtp", now)
    [email] = mail.outbox
    assert email.subject == "Your link to follow complaint CSC-2022-0001"
    assert "http://127.0.0.1:8000/follow/s3cret/" in email.body


def test_the_follow_link_is_removed_from_the_log_once_sent():
    message = _queue()
    outbox_send_pending(now=timezone.now(), sender=SmtpSender())
    message.refresh_from_db()
    assert "s3cret" not in message.body
    assert message.personalisation["follow_link"] == REDACTED


def test_a_sent_message_is_never_sent_again():
    _queue()
    sender = FlakySender()
    for _ in range(3):
        outbox_send_pending(now=timezone.now(), sender=sender)
    assert len(sender.calls) == 1


def test_a_failure_is_tried_again_after_the_delay(settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"MESSAGE_RETRY_MINUTES": [5, 30]}
    message = _queue()
    sender = FlakySender(failures=1)
    now = timezone.now()
    assert outbox_send_pending(now=now, sender=sender).retrying == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        MessageStatus.QUEUED,
        1,
        now + timedelta(minutes=5),
    )
    assert message.last_error == "Provider unavailable"
    # Not before its time...
    outbox_send_pending(now=now + timedelta(minutes=4), sender=sender)
    assert len(sender.calls) == 1
    # ...then once.
    outbox_send_pending(now=now + timedelta(minutes=5), sender=sender)
    message.refresh_from_db()
    assert (message.status, message.attempts, len(sender.calls)) == (MessageStatus.SENT, 2, 2)


def test_after_the_last_retry_the_message_fails_for_a_person_to_see(settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"MESSAGE_RETRY_MINUTES": [1]}
    message = _queue()
    sender = FlakySender(failures=5)
    now = timezone.now()
    outbox_send_pending(now=now, sender=sender)
    summary = outbox_send_pending(now=now + timedelta(minutes=1), sender=sender)
    message.refresh_from_db()
    assert summary.failed == 1
    assert (message.status, message.attempts, message.next_attempt_at) == (MessageStatus.FAILED, 2, None)
    outbox_send_pending(now=now + timedelta(days=1), sender=sender)
    assert len(sender.calls) == 2


def test_a_permanent_refusal_is_not_retried():
    message = _queue()
    outbox_send_pending(now=timezone.now(), sender=FlakySender(failures=1, permanent=True))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_an_interrupted_send_is_never_sent_again_automatically():
    message = _queue()
    now = timezone.now()
    # The worker claimed it and died before the provider answered.
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, attempts=1, updated_at=now)
    sender = FlakySender()
    assert outbox_send_pending(now=now + timedelta(minutes=16), sender=sender).interrupted == 1
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.FAILED, errors.INTERRUPTED)
    assert sender.calls == []
    # A person checks and sends it again.
    message_retry(message=message, acting_user=None)
    outbox_send_pending(now=now + timedelta(minutes=17), sender=sender)
    assert len(sender.calls) == 1


def test_email_cannot_post_a_letter():
    message = _queue(channel=Channel.LETTER, recipient="Alex Smith\n1 High Street\nExampleton\nEX1 1AA")
    outbox_send_pending(now=timezone.now(), sender=SmtpSender())
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.FAILED, errors.LETTER_NEEDS_NOTIFY)


def test_sends_email_through_notify(fake_notify):
    message = _queue()
    outbox_send_pending(now=timezone.now())
    message.refresh_from_db()
    [request] = fake_notify.received
    assert request.path == "/v2/notifications/email"
    assert request.body["email_address"] == "alex@example.com"
    assert request.body["template_id"] == EMAIL_TEMPLATE
    assert request.body["reference"] == "follow:1"
    assert request.body["personalisation"]["subject"] == "Your link to follow complaint CSC-2022-0001"
    assert "s3cret" in request.body["personalisation"]["body"]
    assert (message.status, message.provider, message.provider_id) == (
        MessageStatus.SENT,
        "notify",
        request.notification_id,
    )


def test_sends_a_letter_through_notify_with_the_address_lines(fake_notify):
    _queue(channel=Channel.LETTER, recipient="Alex Smith\n1 High Street\nExampleton\nEX1 1AA")
    outbox_send_pending(now=timezone.now())
    [request] = fake_notify.received
    assert request.path == "/v2/notifications/letter"
    assert request.body["template_id"] == LETTER_TEMPLATE
    personalisation = request.body["personalisation"]
    assert [personalisation[f"address_line_{n}"] for n in range(1, 5)] == [
        "Alex Smith",
        "1 High Street",
        "Exampleton",
        "EX1 1AA",
    ]


def test_a_template_with_its_own_notify_template_sends_the_personalisation(fake_notify):
    from opencomplaints.notifications.models import MessageTemplate

    MessageTemplate.objects.filter(key="follow_link").update(notify_template_id="33333333-0000-4000-8000-000000000003")
    _queue()
    outbox_send_pending(now=timezone.now())
    [request] = fake_notify.received
    assert request.body["template_id"] == "33333333-0000-4000-8000-000000000003"
    assert request.body["personalisation"]["reference"] == "CSC-2022-0001"


def test_notify_failing_then_recovering_sends_once(fake_notify):
    message = _queue()
    fake_notify.fail_next(500)
    now = timezone.now()
    outbox_send_pending(now=now)
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert "500" in message.last_error
    outbox_send_pending(now=now + timedelta(hours=1))
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(fake_notify.received) == 1


def test_notify_refusing_a_request_is_permanent(fake_notify):
    message = _queue()
    fake_notify.fail_next(400)
    outbox_send_pending(now=timezone.now())
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_a_wrong_api_key_is_refused_by_the_fake_like_notify(fake_notify):
    sender = NotifySender(
        api_key=f"wrong-{'4a5b6c7d-0000-4000-8000-000000000001'}-{'00000000-0000-4000-8000-000000000000'}",
        base_url=fake_notify.url,
        email_template_id=EMAIL_TEMPLATE,
        letter_template_id=LETTER_TEMPLATE,
    )
    message = _queue()
    outbox_send_pending(now=timezone.now(), sender=sender)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "Invalid token" in message.last_error
    assert fake_notify.received == []
