"""Delivery status: what the provider says after it took a message. A GOV.UK Notify receipt (its callback, with
the bearer token set in Notify) or a bounce returned to the council's mailbox marks the message delivered or not
delivered; not delivered, the message is failed again, so the case page offers to send it another way."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.notifications.models import Delivery, Message, MessageStatus
from opencomplaints.notifications.selectors import NOT_DELIVERED, message_detail
from opencomplaints.notifications.services import (
    message_delivery_record,
    message_queue,
    message_retry,
    outbox_send_pending,
)

pytestmark = pytest.mark.django_db

TOKEN = "notify-callback-token-for-tests"
RECEIPTS = "/notifications/notify/receipts/"


class Taking:
    """A provider that takes every message and names it by a fixed id."""

    name = "notify"

    def __init__(self, provider_id="0b7f3a5e-8c2d-4a70-9d7e-2f1c6b3e9a11"):
        self.provider_id = provider_id

    def send(self, message):
        return self.provider_id


def _words(case):
    return {
        "greeting": "Dear Sam",
        "reference": case.reference,
        "follow_link": "http://127.0.0.1:8000/follow/abc/",
        "link_expires": "25 June 2022",
        "council": "Borough of Exampleton",
    }


def _sent(case, *, provider_id="0b7f3a5e-8c2d-4a70-9d7e-2f1c6b3e9a11"):
    message = message_queue(
        template_key="follow_link",
        recipient="sam.ward@example.org",
        personalisation=_words(case),
        idempotency_key=f"ack:{case.pk}",
        case=case,
    )
    outbox_send_pending(now=timezone.now(), sender=Taking(provider_id))
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    return message


def _receipt(client, body, *, token=TOKEN):
    return client.post(
        RECEIPTS,
        data=json.dumps(body) if not isinstance(body, bytes) else body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def receipts_on(settings):
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN


def test_the_url_is_the_one_the_settings_name():
    assert reverse("notifications:notify-receipt") == RECEIPTS


def test_a_delivered_receipt_marks_the_message_delivered(client, complaint, receipts_on):
    message = _sent(complaint)
    response = _receipt(
        client,
        {"id": message.provider_id, "status": "delivered", "completed_at": "2022-06-01T10:15:00.000000Z"},
    )
    assert response.status_code == 204
    message.refresh_from_db()
    assert (message.status, message.delivery) == (MessageStatus.SENT, Delivery.DELIVERED)
    assert message.delivery_at == datetime(2022, 6, 1, 10, 15, tzinfo=UTC)
    assert AuditEvent.objects.filter(case=complaint, event_type=AuditEventType.MESSAGE_DELIVERED).count() == 1


def test_a_permanent_failure_fails_the_message_and_says_why_in_plain_words(client, complaint, receipts_on):
    message = _sent(complaint)
    assert _receipt(client, {"id": message.provider_id, "status": "permanent-failure"}).status_code == 204
    message.refresh_from_db()
    assert (message.status, message.delivery) == (MessageStatus.FAILED, Delivery.NOT_DELIVERED)
    detail = message_detail(message=message)
    assert detail.status_text == "Sent, but not delivered"
    assert detail.failure_reason == NOT_DELIVERED
    assert detail.can_be_resent
    assert "does not exist" in message.delivery_detail
    [event] = AuditEvent.objects.filter(case=complaint, event_type=AuditEventType.MESSAGE_NOT_DELIVERED)
    assert event.summary == f"Link to follow a case (message #{message.pk}) not delivered"


def test_the_same_receipt_twice_is_recorded_once(client, complaint, receipts_on):
    message = _sent(complaint)
    for _ in range(2):
        _receipt(client, {"id": message.provider_id, "status": "temporary-failure"})
    assert AuditEvent.objects.filter(case=complaint, event_type=AuditEventType.MESSAGE_NOT_DELIVERED).count() == 1


def test_a_receipt_still_on_its_way_changes_nothing(client, complaint, receipts_on):
    message = _sent(complaint)
    assert _receipt(client, {"id": message.provider_id, "status": "sending"}).status_code == 204
    message.refresh_from_db()
    assert message.delivery == Delivery.UNKNOWN


def test_a_receipt_for_an_unknown_notification_is_taken_and_changes_nothing(client, complaint, receipts_on):
    message = _sent(complaint)
    assert _receipt(client, {"id": "not-ours", "status": "permanent-failure"}).status_code == 204
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.parametrize("token", ["wrong", ""])
def test_a_receipt_without_the_token_is_refused_and_changes_nothing(client, complaint, receipts_on, token):
    message = _sent(complaint)
    response = _receipt(client, {"id": message.provider_id, "status": "permanent-failure"}, token=token)
    assert response.status_code == 401
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_receipts_are_refused_while_no_token_is_set(client, complaint, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    message = _sent(complaint)
    response = _receipt(client, {"id": message.provider_id, "status": "permanent-failure"}, token="")
    assert response.status_code == 404


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"status": "delivered"}', b"\xff\xfe"])
def test_a_malformed_receipt_gets_a_clear_400(client, receipts_on, body):
    response = _receipt(client, body)
    assert response.status_code == 400
    assert "JSON object" in response.json()["title"]


def test_only_post_is_answered(client, receipts_on):
    assert client.get(RECEIPTS).status_code == 405


def test_trying_again_forgets_the_earlier_delivery(complaint, complaints_officer):
    message = _sent(complaint)
    message_delivery_record(
        provider="notify", provider_id=message.provider_id, delivered=False, detail="bounced", at=timezone.now()
    )
    message_retry(message=Message.objects.get(pk=message.pk), acting_user=complaints_officer)
    message.refresh_from_db()
    assert (message.status, message.delivery, message.delivery_detail) == (MessageStatus.QUEUED, "", "")


def test_a_message_never_sent_is_not_marked(complaint):
    message = message_queue(
        template_key="follow_link",
        recipient="sam.ward@example.org",
        personalisation=_words(complaint),
        idempotency_key="never-sent",
        case=complaint,
    )
    assert (
        message_delivery_record(provider="notify", provider_id="", delivered=True, detail="", at=timezone.now()) is None
    )
    message.refresh_from_db()
    assert message.delivery == Delivery.UNKNOWN
