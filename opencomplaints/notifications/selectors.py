"""Reads of the message log, for a case's page. Callers pass a case they obtained through
``opencomplaints.cases.access``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from opencomplaints.cases.models import Case
from opencomplaints.notifications import errors
from opencomplaints.notifications.models import Channel, Delivery, Message, MessageStatus, SentVia

__all__ = [
    "LINK_HIDDEN",
    "MessageDetail",
    "message_detail",
    "message_failure_reason",
    "message_list_for_case",
    "message_words_removed",
]

# Shown in place of a value that grants access (a follow link) in a message not yet sent: staff read the words,
# but only the complainant gets the link.
LINK_HIDDEN = "[link only sent to the recipient]"


def message_list_for_case(*, case: Case) -> QuerySet[Message]:
    """Every message about ``case``, newest first: what was sent, to whom, when, and whether it went."""
    return Message.objects.filter(case=case).order_by("-created_at", "-id")


def message_words_removed(*, message: Message) -> bool:
    """Whether the personal data of the message's case was removed after the retention period: its recipient and
    words were replaced then (``retention.services``), and none may be shown or sent afterwards. Asked through the
    case's ``anonymisation`` relation, which the retention app (a layer above) declares: this app imports none of it.
    """
    return message.case_id is not None and Case.objects.filter(pk=message.case_id, anonymisation__isnull=False).exists()


# A provider's reason, in words a caseworker can act on. The provider's own text is shown as well, for support.
_NOTIFY_STATUS = re.compile(r"^GOV\.UK Notify: (\d{3})\b")
_TRIAL_MODE = re.compile(r"team-only API key|trial mode", re.IGNORECASE)
NOTIFY_TRIAL_MODE = (
    "GOV.UK Notify only sends to the service's own team while the service is in trial mode, or with a team-only "
    "key, so it would not send this message to the complainant."
)
NOTIFY_REFUSED = (
    "GOV.UK Notify would not accept this message: it found something wrong with the address or the details sent, "
    "so trying again will not help until that is put right."
)
NOTIFY_KEY_REFUSED = (
    "GOV.UK Notify did not accept the service's key. The service's Notify settings need checking by whoever looks "
    "after this installation."
)
NOTIFY_BUSY = "GOV.UK Notify was handling too many messages from the service at the time."
NOTIFY_UNAVAILABLE = "GOV.UK Notify could not be reached, or was not working, at the time."
EMAIL_FAILED = "The email server did not accept the message, or could not be reached."
SERVICE_FAILED = "Something went wrong in this service while sending the message."
NOT_DELIVERED = (
    "The message was sent, but it did not reach the recipient: the address may be wrong or no longer used, or the "
    "mailbox full. Check the address with the complainant, or send it by post instead."
)


def message_failure_reason(message: Message) -> str:
    """Why ``message`` was not sent (yet), in plain words; blank when nothing went wrong."""
    text = message.last_error.strip()
    if not text:
        return ""
    if text.startswith(errors.NOT_DELIVERED_PREFIX):
        return NOT_DELIVERED
    if text in {errors.INTERRUPTED, errors.LETTER_NEEDS_NOTIFY}:
        return text  # already written for the people who read it
    if (match := _NOTIFY_STATUS.match(text)) is not None:
        status = int(match.group(1))
        if _TRIAL_MODE.search(text):
            return NOTIFY_TRIAL_MODE
        if status == 403:
            return NOTIFY_KEY_REFUSED
        if status == 429:
            return NOTIFY_BUSY
        if status >= 500:
            return NOTIFY_UNAVAILABLE
        return NOTIFY_REFUSED
    if text.startswith("Email: "):
        return EMAIL_FAILED
    return SERVICE_FAILED


@dataclass(frozen=True, kw_only=True)
class MessageDetail:
    """One message as its page shows it. With ``words_removed`` there is nothing of its recipient, words or error."""

    message: Message
    words_removed: bool
    recipient_lines: list[str]
    subject: str
    body: str
    failure_reason: str
    provider_error: str
    sent_via: str  # how a person sent it, where they did ("By post"); blank otherwise

    @property
    def is_letter(self) -> bool:
        return self.message.channel == Channel.LETTER

    @property
    def is_failed(self) -> bool:
        return self.message.status == MessageStatus.FAILED

    @property
    def can_be_resent(self) -> bool:
        """Whether a person may try it again or record that it went another way (``message_retry``,
        ``message_mark_sent``)."""
        return self.is_failed and not self.words_removed

    @property
    def status_text(self) -> str:
        """The status in plain words."""
        message = self.message
        if message.status == MessageStatus.QUEUED:
            return "Waiting to be tried again" if message.attempts else "Waiting to be sent"
        if message.status == MessageStatus.SENDING:
            return "Being sent"
        if message.status == MessageStatus.FAILED:
            return "Sent, but not delivered" if message.delivery == Delivery.NOT_DELIVERED else "Not sent"
        return "Sent by hand" if message.sent_by_hand else "Sent"


def _secrets_hidden(message: Message, text: str) -> str:
    for key in message.secret_keys:
        secret = str(message.personalisation.get(key, ""))
        if secret:
            text = text.replace(secret, LINK_HIDDEN)
    return text


def message_detail(*, message: Message) -> MessageDetail:
    """``message`` as its page shows it (one query, whether the case was anonymised): the words as sent, or as they
    will be sent, with any access link hidden; why it was not sent, in plain words and in the provider's."""
    removed = message_words_removed(message=message)
    if removed:
        return MessageDetail(
            message=message,
            words_removed=True,
            recipient_lines=[],
            subject="",
            body="",
            failure_reason="",
            provider_error="",
            sent_via="",
        )
    failed = message.status in {MessageStatus.FAILED, MessageStatus.QUEUED}
    by_hand = message.sent_by_hand and message.provider_id in SentVia.values
    return MessageDetail(
        message=message,
        words_removed=False,
        recipient_lines=[line.strip() for line in message.recipient.splitlines() if line.strip()],
        subject=_secrets_hidden(message, message.subject),
        body=_secrets_hidden(message, message.body),
        failure_reason=message_failure_reason(message) if failed else "",
        provider_error=_secrets_hidden(message, message.last_error.strip()) if failed else "",
        sent_via=SentVia(message.provider_id).label if by_hand else "",
    )
