from datetime import date

import pytest
from django.core import mail
from django.db import transaction

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.tests import factories as f
from opencomplaints.common.errors import DomainError
from opencomplaints.notifications.models import Channel, Message, MessageStatus, MessageTemplate
from opencomplaints.notifications.services import message_queue

pytestmark = pytest.mark.django_db


def _queue(**overrides):
    values = {
        "template_key": "follow_link",
        "recipient": "alex@example.com",
        "personalisation": {
            "greeting": "Dear Alex",
            "reference": "CSC-2022-0001",
            "follow_link": "http://127.0.0.1:8000/follow/secret/",
            "link_expires": "25 June 2022",
            "council": "Borough of Exampleton",
        },
        "idempotency_key": "follow:1",
    }
    return message_queue(**(values | overrides))


def test_writes_the_filled_in_message_to_the_outbox():
    message = _queue()
    assert message.status == MessageStatus.QUEUED
    assert message.channel == Channel.EMAIL
    assert message.subject == "Your link to follow complaint CSC-2022-0001"
    assert "http://127.0.0.1:8000/follow/secret/" in message.body
    assert message.body.startswith("Dear Alex,")


def test_the_same_key_never_makes_a_second_message():
    first = _queue()
    second = _queue(recipient="someone.else@example.com")
    assert second.pk == first.pk
    assert Message.objects.count() == 1


def test_keeps_the_words_it_was_queued_with():
    message = _queue()
    MessageTemplate.objects.filter(key="follow_link").update(subject="Changed")
    message.refresh_from_db()
    assert message.subject == "Your link to follow complaint CSC-2022-0001"


def test_a_missing_placeholder_is_refused_and_nothing_is_written():
    with pytest.raises(DomainError) as error:
        _queue(personalisation={"greeting": "Hello"})
    assert "((reference))" in error.value.message
    assert not Message.objects.exists()


def test_a_blank_recipient_is_refused():
    with pytest.raises(DomainError) as error:
        _queue(recipient="  ")
    assert error.value.message == "There is no email address to send the follow_link to."


def test_an_unknown_template_is_refused():
    with pytest.raises(DomainError) as error:
        _queue(template_key="nonsense")
    assert "There is no message template 'nonsense'" in error.value.message


def test_is_rolled_back_with_the_callers_transaction():
    def queue_then_fail():
        with transaction.atomic():
            _queue()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        queue_then_fail()
    assert not Message.objects.exists()


def test_a_message_about_a_case_is_on_its_audit_trail(council, complaints_manager):
    case = f.register(council, complaints_manager, date(2022, 5, 26))
    message = _queue(case=case)
    event = AuditEvent.objects.get(event_type=AuditEventType.MESSAGE_QUEUED)
    assert (event.case_id, event.subject_id) == (case.pk, str(message.pk))


def test_is_sent_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
        assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [m.to for m in mail.outbox] == [["alex@example.com"]]
