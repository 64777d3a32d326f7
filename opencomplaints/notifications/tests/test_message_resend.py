"""A message that could not be sent: tried again, or recorded as sent by hand, by a person, through the same two
services from the case page and the admin; and how the page reads a message (its words, why it failed)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.services import complaint_close, stage_respond
from opencomplaints.cases.tests import factories as f
from opencomplaints.common.errors import DomainError
from opencomplaints.notifications import errors
from opencomplaints.notifications import services as notification_services
from opencomplaints.notifications.models import Channel, Message, MessageStatus
from opencomplaints.notifications.selectors import (
    EMAIL_FAILED,
    LINK_HIDDEN,
    NOTIFY_BUSY,
    NOTIFY_KEY_REFUSED,
    NOTIFY_REFUSED,
    NOTIFY_TRIAL_MODE,
    NOTIFY_UNAVAILABLE,
    SERVICE_FAILED,
    message_detail,
    message_failure_reason,
)
from opencomplaints.notifications.senders import SendError
from opencomplaints.notifications.services import (
    REDACTED,
    hand_sent_at,
    message_mark_sent,
    message_queue,
    message_retry,
    outbox_send_pending,
)
from opencomplaints.retention.services import case_anonymise

pytestmark = pytest.mark.django_db

LINK = "http://127.0.0.1:8000/follow/s3cret/"


class Refusing:
    name = "notify"

    def __init__(self, text="GOV.UK Notify: 400 - Bad address"):
        self.text = text

    def send(self, message):
        raise SendError(self.text, permanent=True)


def _failed(case=None, *, key="follow:1", error="GOV.UK Notify: 400 - Bad address"):
    message = message_queue(
        template_key="follow_link",
        recipient="sam.ward@example.org",
        personalisation={
            "greeting": "Dear Sam",
            "reference": case.reference if case else "CSC-2022-0001",
            "follow_link": LINK,
            "link_expires": "25 June 2022",
            "council": "Borough of Exampleton",
        },
        secret_keys=["follow_link"],
        idempotency_key=key,
        case=case,
    )
    outbox_send_pending(now=timezone.now(), sender=Refusing(error))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    return message


def _events(message, event_type):
    return list(AuditEvent.objects.filter(subject_id=str(message.pk), event_type=event_type).exclude(acting_user=None))


# -- trying again ----------------------------------------------------------------------------------------------


def test_trying_again_queues_it_and_records_who_did(complaint, complaints_officer, django_capture_on_commit_callbacks):
    message = _failed(complaint)
    with django_capture_on_commit_callbacks() as callbacks:
        message_retry(message=message, acting_user=complaints_officer)
    message.refresh_from_db()
    assert (message.status, message.next_attempt_at) == (MessageStatus.QUEUED, None)
    assert len(callbacks) == 1  # sending starts once it commits
    [event] = _events(message, AuditEventType.MESSAGE_QUEUED)
    assert (event.acting_user, event.case_id) == (complaints_officer, complaint.pk)
    assert event.summary == f"Link to follow a case (message #{message.pk}) queued to be sent again"
    assert event.after == {"status": "queued", "attempts": 1}


def test_only_a_failed_message_is_tried_again(complaint, complaints_officer):
    message = _failed(complaint)
    message_retry(message=message, acting_user=complaints_officer)
    with pytest.raises(DomainError) as refused:
        message_retry(message=message, acting_user=complaints_officer)
    assert refused.value.message == errors.RETRY_NOT_FAILED.format(status="queued")
    assert len(_events(message, AuditEventType.MESSAGE_QUEUED)) == 1


def test_a_change_and_its_audit_event_commit_together(complaint, complaints_officer, monkeypatch):
    message = _failed(complaint)

    def broken(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(notification_services, "audit_event_record", broken)
    for action in (
        lambda: message_retry(message=message, acting_user=complaints_officer),
        lambda: message_mark_sent(message=message, acting_user=complaints_officer, sent_at=timezone.now()),
    ):
        with pytest.raises(RuntimeError):
            action()
        message.refresh_from_db()
        assert message.status == MessageStatus.FAILED


# -- sent by hand ----------------------------------------------------------------------------------------------


def test_marking_as_sent_by_hand_records_how_and_when(complaint, complaints_officer):
    message = _failed(complaint)
    sent_at = timezone.now()
    message_mark_sent(message=message, acting_user=complaints_officer, sent_at=sent_at, sent_via="email")
    message.refresh_from_db()
    assert (message.status, message.provider, message.provider_id, message.sent_at, message.last_error) == (
        MessageStatus.SENT,
        "manual",
        "email",
        sent_at,
        "",
    )
    assert message.sent_by_hand
    [event] = _events(message, AuditEventType.MESSAGE_SENT)
    assert event.summary == f"Link to follow a case (message #{message.pk}) marked as sent by hand (by email)"
    assert event.after == {
        "status": "sent",
        "provider": "manual",
        "sent_via": "email",
        "sent_date": timezone.localdate(sent_at).isoformat(),
    }
    assert not event.texts.exists()


def test_the_follow_link_is_removed_once_sent_by_hand(complaint, complaints_officer):
    message = _failed(complaint)
    message_mark_sent(message=message, acting_user=complaints_officer, sent_at=timezone.now(), sent_via="email")
    message.refresh_from_db()
    assert "s3cret" not in message.body
    assert message.personalisation["follow_link"] == REDACTED


def test_how_it_went_may_be_left_unsaid_but_not_made_up(complaint, complaints_officer):
    message = _failed(complaint)
    with pytest.raises(DomainError) as refused:
        message_mark_sent(message=message, acting_user=complaints_officer, sent_at=timezone.now(), sent_via="fax")
    assert (refused.value.message, refused.value.field) == (errors.SENT_VIA_UNKNOWN, "sent_via")
    message_mark_sent(message=message, acting_user=complaints_officer, sent_at=timezone.now())
    [event] = _events(message, AuditEventType.MESSAGE_SENT)
    assert event.summary == f"Link to follow a case (message #{message.pk}) marked as sent by hand"


def test_the_date_sent_is_not_in_the_future_nor_before_the_message_was_written(complaint, complaints_officer):
    message = _failed(complaint)
    Message.objects.filter(pk=message.pk).update(created_at=datetime(2022, 6, 1, 9, tzinfo=UTC))
    for sent_at, text in (
        (timezone.now() + timedelta(hours=1), errors.SENT_IN_FUTURE),
        (datetime(2022, 5, 31, 12, tzinfo=UTC), errors.SENT_BEFORE_WRITTEN.format(date="1 June 2022")),
    ):
        with pytest.raises(DomainError) as refused:
            message_mark_sent(message=message, acting_user=complaints_officer, sent_at=sent_at, sent_via="post")
        assert (refused.value.message, refused.value.field) == (text, "sent_at")
    # The day it was written is fine, even at an earlier hour (a date is recorded, not a time).
    message_mark_sent(
        message=message, acting_user=complaints_officer, sent_at=datetime(2022, 5, 31, 23, tzinfo=UTC), sent_via="post"
    )


def test_a_day_before_today_is_recorded_as_the_start_of_that_day_in_london():
    now = datetime(2026, 7, 2, 15, 30, tzinfo=UTC)
    assert hand_sent_at(sent_on=date(2026, 7, 2), now=now) == now
    assert hand_sent_at(sent_on=date(2026, 7, 1), now=now) == datetime(2026, 6, 30, 23, tzinfo=UTC)  # BST
    assert hand_sent_at(sent_on=date(2026, 1, 5), now=now) == datetime(2026, 1, 5, tzinfo=UTC)  # GMT


def test_only_a_failed_message_is_marked_as_sent(complaint, complaints_officer):
    message = _failed(complaint)
    message_retry(message=message, acting_user=complaints_officer)
    with pytest.raises(DomainError) as refused:
        message_mark_sent(message=message, acting_user=complaints_officer, sent_at=timezone.now(), sent_via="post")
    assert refused.value.message == errors.MARK_SENT_NOT_FAILED.format(status="queued")


# -- after the retention period --------------------------------------------------------------------------------


def test_nothing_is_resent_once_the_case_is_anonymised(complaint, complaints_manager):
    message = _failed(complaint)
    stage_respond(
        stage=f.stage(complaint, 1),
        acting_user=complaints_manager,
        response_date=date(2022, 6, 10),
        outcome=c.Outcome.NOT_UPHELD,
    )
    complaint_close(case=complaint, acting_user=complaints_manager, closed_date=date(2022, 7, 15))
    case_anonymise(case=complaint, today=date(2028, 7, 15))
    for action in (
        lambda: message_retry(message=message, acting_user=complaints_manager),
        lambda: message_mark_sent(message=message, acting_user=complaints_manager, sent_at=timezone.now()),
    ):
        with pytest.raises(DomainError) as refused:
            action()
        assert refused.value.message == errors.WORDS_REMOVED
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    detail = message_detail(message=message)
    assert detail.words_removed
    assert (detail.recipient_lines, detail.subject, detail.body, detail.failure_reason) == ([], "", "", "")
    assert not detail.can_be_resent


# -- the admin's actions use the same services -----------------------------------------------------------------


def _admin_action(admin_client, action, message):
    return admin_client.post(
        reverse("admin:notifications_message_changelist"),
        {"action": action, "_selected_action": [message.pk], "index": 0},
        follow=True,
    )


def test_the_admin_tries_again_through_the_same_service(admin_client, admin_user, complaint):
    message = _failed(complaint)
    assert _admin_action(admin_client, "retry", message).status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    [event] = _events(message, AuditEventType.MESSAGE_QUEUED)
    assert event.acting_user == admin_user


def test_the_admin_marks_as_sent_through_the_same_service(admin_client, admin_user, complaint):
    message = _failed(complaint)
    assert _admin_action(admin_client, "mark_sent", message).status_code == 200
    message.refresh_from_db()
    assert (message.status, message.provider, message.provider_id) == (MessageStatus.SENT, "manual", "")
    assert "s3cret" not in message.body
    [event] = _events(message, AuditEventType.MESSAGE_SENT)
    assert event.acting_user == admin_user


# -- reading a message -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "plain"),
    [
        ("", ""),
        (errors.LETTER_NEEDS_NOTIFY, errors.LETTER_NEEDS_NOTIFY),
        (errors.INTERRUPTED, errors.INTERRUPTED),
        ("GOV.UK Notify: 400 - [{'error': 'ValidationError', 'message': 'email_address Not a valid email'}]", None),
        (
            "GOV.UK Notify: 400 - [{'error': 'BadRequestError', 'message': "
            '"Can\'t send to this recipient using a team-only API key"}]',
            NOTIFY_TRIAL_MODE,
        ),
        ("GOV.UK Notify: 403 - Invalid token: signature", NOTIFY_KEY_REFUSED),
        ("GOV.UK Notify: 429 - Exceeded rate limit", NOTIFY_BUSY),
        ("GOV.UK Notify: 503 - Request failed", NOTIFY_UNAVAILABLE),
        ("Email: [Errno 111] Connection refused", EMAIL_FAILED),
        ("KeyError: 'id'", SERVICE_FAILED),
    ],
)
def test_why_a_message_was_not_sent_in_plain_words(error, plain):
    expected = NOTIFY_REFUSED if plain is None else plain
    assert message_failure_reason(Message(last_error=error)) == expected


def test_the_page_shows_the_words_but_not_a_link_that_grants_access(complaint):
    message = _failed(complaint)
    detail = message_detail(message=message)
    assert LINK not in detail.body
    assert LINK_HIDDEN in detail.body
    assert detail.recipient_lines == ["sam.ward@example.org"]
    assert detail.failure_reason == NOTIFY_REFUSED
    assert detail.provider_error == "GOV.UK Notify: 400 - Bad address"
    assert detail.status_text == "Not sent"
    assert detail.can_be_resent
    assert not detail.is_letter


def test_a_letter_s_address_is_read_line_by_line(complaint):
    letter = message_queue(
        template_key="hold_letter",
        channel=Channel.LETTER,
        recipient="Sam Ward\n 1 High Street \n\nExampleton",
        personalisation={
            "greeting": "Dear Sam Ward",
            "reference": complaint.reference,
            "council": "Borough of Exampleton",
            "stage": "1",
            "start_date": "1 June 2022",
            "reason": "awaiting an advocate",
        },
        idempotency_key="hold:lines",
        case=complaint,
    )
    detail = message_detail(message=letter)
    assert detail.recipient_lines == ["Sam Ward", "1 High Street", "Exampleton"]
    assert (detail.is_letter, detail.status_text, detail.failure_reason) == (True, "Waiting to be sent", "")
