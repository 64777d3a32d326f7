"""Writes of the notifications app: queue a message in the caller's transaction, send the outbox, and the thin
wrappers that tell the complainant about an extension or a hold in the same transaction as the change itself."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.cases.models import Case, CaseComplainant, Hold, Stage
from opencomplaints.cases.services import stage3_panel_schedule, stage_extend, stage_hold
from opencomplaints.common.dates import LONDON
from opencomplaints.common.dispatch import job_enqueue
from opencomplaints.common.errors import DomainError
from opencomplaints.notifications import errors
from opencomplaints.notifications.defaults import DEFAULT_TEMPLATES
from opencomplaints.notifications.models import (
    CONTACT_TEMPLATE_KEYS,
    SENT_BY_HAND,
    Channel,
    Delivery,
    Message,
    MessageStatus,
    MessageTemplate,
    SentVia,
    TemplateKey,
)
from opencomplaints.notifications.rendering import render
from opencomplaints.notifications.selectors import message_words_removed
from opencomplaints.notifications.senders import Outgoing, Sender, SendError, sender_from_settings

__all__ = [
    "OUTBOX_SEND",
    "REDACTED",
    "OutboxSummary",
    "case_link",
    "complainant_contact",
    "govuk_date",
    "hand_sent_at",
    "message_delivery_record",
    "message_mark_sent",
    "message_queue",
    "message_retry",
    "outbox_send_pending",
    "panel_meeting_words",
    "panel_people",
    "stage3_panel_schedule_and_notify",
    "stage_extend_and_notify",
    "stage_hold_and_notify",
]

logger = logging.getLogger(__name__)

REDACTED = "(removed once sent)"
#: The job that works the outbox, provided by ``notifications.tasks`` (``common.dispatch``).
OUTBOX_SEND = "notifications.outbox_send"
# A row left "sending" this long was interrupted mid-call (the process died): it is not known whether the provider
# took it, so it is never handed over again without a person deciding.
SENDING_STALE_AFTER = timedelta(minutes=15)


def govuk_date(value: date) -> str:
    """``13 June 2022``, the GOV.UK style for dates in messages."""
    return f"{value.day} {value:%B %Y}"


def _retry_delays() -> tuple[timedelta, ...]:
    minutes: list[int] = settings.OPENCOMPLAINTS["MESSAGE_RETRY_MINUTES"]
    return tuple(timedelta(minutes=m) for m in minutes)


def _template(key: str) -> MessageTemplate:
    template = MessageTemplate.objects.filter(key=key).first()
    if template is not None:
        return template
    default = next((t for t in DEFAULT_TEMPLATES if t[0] == key), None)
    if default is None:
        raise DomainError(errors.TEMPLATE_MISSING.format(key=key), field="template_key")
    return MessageTemplate(key=key, subject=default[1], body=default[2])


def _send_soon() -> None:
    job_enqueue(OUTBOX_SEND)


@transaction.atomic
def message_queue(
    *,
    template_key: str,
    recipient: str,
    personalisation: Mapping[str, object],
    idempotency_key: str,
    channel: str = Channel.EMAIL,
    case: Case | None = None,
    recipient_user: User | None = None,
    secret_keys: Collection[str] = (),
    acting_user: User | None = None,
) -> Message:
    """Write one message to the outbox, in the caller's transaction, filled in from its template now.

    Queuing the same ``idempotency_key`` again returns the message already queued and writes nothing: a job that
    runs twice, or a scan that sees the same deadline on two days, never sends two messages. Sending starts once
    the transaction commits (at once with the in-process job backend, on the worker with Redis).
    """
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if not recipient.strip():
        raise DomainError(
            errors.RECIPIENT_MISSING.format(channel=Channel(channel).label.lower(), template=template_key),
            field="recipient",
        )
    template = _template(str(template_key))
    values = {name: str(value) for name, value in personalisation.items()}
    label = template.get_key_display().lower()
    message = Message(
        case=case,
        channel=channel,
        recipient=recipient.strip(),
        recipient_user=recipient_user,
        template_key=template_key,
        personalisation=values,
        secret_keys=sorted(secret_keys),
        subject=render(template.subject, values, template=label),
        body=render(template.body, values, template=label),
        notify_template_id=template.notify_template_id,
        idempotency_key=idempotency_key,
    )
    try:
        # A savepoint: a concurrent writer of the same key must not break the caller's whole transaction.
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return Message.objects.get(idempotency_key=idempotency_key)
    if case is not None:
        audit_event_record(
            acting_user=acting_user,
            event_type=AuditEventType.MESSAGE_QUEUED,
            subject=message,
            case_id=case.pk,
            summary=f"{template.get_key_display()} queued ({message.get_channel_display().lower()})",
            after={"template_key": template_key, "channel": channel},
        )
    transaction.on_commit(_send_soon, robust=True)
    return message


@dataclass(frozen=True)
class OutboxSummary:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    interrupted: int = 0


def _claim(now: datetime, limit: int) -> list[Message]:
    """Take up to ``limit`` messages that are due, marking them "sending" in a transaction of their own, so two
    workers never take the same row (``SKIP LOCKED`` on PostgreSQL; SQLite writes one transaction at a time)."""
    with transaction.atomic():
        due = Message.objects.filter(status=MessageStatus.QUEUED).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        rows = list(due.order_by("id")[:limit])
        for row in rows:
            row.status = MessageStatus.SENDING
            row.attempts += 1
            row.updated_at = now
        Message.objects.bulk_update(rows, ["status", "attempts", "updated_at"])
    return rows


def _interrupted(now: datetime) -> int:
    stale = Message.objects.filter(status=MessageStatus.SENDING, updated_at__lt=now - SENDING_STALE_AFTER)
    return stale.update(
        status=MessageStatus.FAILED, next_attempt_at=None, last_error=errors.INTERRUPTED, updated_at=now
    )


def _audit_name(message: Message) -> str:
    # The audit trail names a message by its kind and id, never by its recipient (docs/adr/0006-retention.md).
    return message.name_without_recipient


def _record_result(message: Message, *, event_type: AuditEventType, summary: str) -> None:
    if message.case_id is not None:
        audit_event_record(
            acting_user=None,
            event_type=event_type,
            subject=message,
            case_id=message.case_id,
            summary=summary,
            after={"status": message.status, "attempts": message.attempts, "provider": message.provider},
        )


def _secrets_remove(message: Message) -> None:
    """Blank the values that grant access (a follow link) in the stored copy, once the message has gone."""
    for key in message.secret_keys:
        secret = message.personalisation.get(key, "")
        if secret:
            message.body = message.body.replace(secret, REDACTED)
            message.subject = message.subject.replace(secret, REDACTED)
            message.personalisation[key] = REDACTED


# What a message gone (by the provider or by hand) has changed.
SENT_FIELDS = ["status", "provider", "provider_id", "sent_at", "next_attempt_at", "last_error"]
SENT_FIELDS += ["subject", "body", "personalisation", "updated_at"]


def _gone(message: Message, *, provider: str, provider_id: str, sent_at: datetime) -> None:
    """Mark ``message`` as sent, with no retry due and its access-granting values blanked (not saved yet)."""
    _secrets_remove(message)
    message.status = MessageStatus.SENT
    message.provider, message.provider_id, message.sent_at = provider, provider_id, sent_at
    message.next_attempt_at = None
    message.last_error = ""


def _sent(message: Message, *, provider: str, provider_id: str, now: datetime) -> None:
    _gone(message, provider=provider, provider_id=provider_id, sent_at=now)
    message.updated_at = now
    with transaction.atomic():
        message.save(update_fields=SENT_FIELDS)
        _record_result(message, event_type=AuditEventType.MESSAGE_SENT, summary=f"{_audit_name(message)} sent")


def _not_sent(message: Message, *, error: str, permanent: bool, now: datetime) -> bool:
    """Record a failed attempt; returns whether it will be tried again."""
    delays = _retry_delays()
    retry = not permanent and message.attempts <= len(delays)
    message.status = MessageStatus.QUEUED if retry else MessageStatus.FAILED
    message.next_attempt_at = now + delays[message.attempts - 1] if retry else None
    message.last_error = error[:2000]
    message.updated_at = now
    with transaction.atomic():
        message.save(update_fields=["status", "next_attempt_at", "last_error", "updated_at"])
        if not retry:
            _record_result(
                message, event_type=AuditEventType.MESSAGE_FAILED, summary=f"{_audit_name(message)} could not be sent"
            )
    return retry


def outbox_send_pending(*, now: datetime, sender: Sender | None = None, limit: int = 100) -> OutboxSummary:
    """Hand every due message to the provider, at most once each.

    A message is claimed (marked "sending") and committed before the provider is called, then marked "sent" with
    the provider's id. A failure is tried again later, after ``OPENCOMPLAINTS["MESSAGE_RETRY_MINUTES"]`` (one
    delay per retry), unless the provider refused it for good; then, or once the retries run out, it is "failed"
    for a person to look at. A sent message is never claimed again, and neither is one whose sending was
    interrupted: whether the provider took it cannot be known, so a person decides.
    """
    sender = sender or sender_from_settings()
    interrupted = _interrupted(now)
    sent = retrying = failed = 0
    for message in _claim(now, limit):
        outgoing = Outgoing(
            channel=message.channel,
            recipient=message.recipient,
            subject=message.subject,
            body=message.body,
            reference=message.idempotency_key,
            personalisation=dict(message.personalisation),
            notify_template_id=message.notify_template_id,
        )
        try:
            provider_id = sender.send(outgoing)
        except SendError as error:
            permanent, text = error.permanent, str(error)
        except Exception as error:  # a bug or an outage in a provider client must not stop the other messages
            logger.exception("Sending message %s failed", message.pk)
            permanent, text = False, f"{type(error).__name__}: {error}"
        else:
            _sent(message, provider=sender.name, provider_id=provider_id, now=now)
            sent += 1
            continue
        if _not_sent(message, error=text, permanent=permanent, now=now):
            retrying += 1
        else:
            failed += 1
    return OutboxSummary(sent=sent, retrying=retrying, failed=failed, interrupted=interrupted)


def _failed_for_update(message: Message, *, not_failed: str) -> Message:
    """``message`` locked for a person's decision about it: only a failed message, and only while its words exist."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != MessageStatus.FAILED:
        raise DomainError(not_failed.format(status=message.get_status_display().lower()))
    if message_words_removed(message=message):
        raise DomainError(errors.WORDS_REMOVED)
    return message


@transaction.atomic
def message_retry(*, message: Message, acting_user: User | None) -> Message:
    """Queue a failed message again, for a person who has checked it should go (e.g. after an interruption): it is
    sent on the next run, to the same recipient with the same words, and tried again as a new message would be if
    the provider is unavailable. The case page and the admin's action both come here."""
    message = _failed_for_update(message, not_failed=errors.RETRY_NOT_FAILED)
    message.status = MessageStatus.QUEUED
    message.next_attempt_at = None
    # Sent again, it has not been delivered (or bounced) yet.
    message.delivery, message.delivery_at, message.delivery_detail = Delivery.UNKNOWN, None, ""
    message.save(
        update_fields=["status", "next_attempt_at", "delivery", "delivery_at", "delivery_detail", "updated_at"]
    )
    if message.case_id is not None:
        audit_event_record(
            acting_user=acting_user,
            event_type=AuditEventType.MESSAGE_QUEUED,
            subject=message,
            case_id=message.case_id,
            summary=f"{_audit_name(message)} queued to be sent again",
            after={"status": message.status, "attempts": message.attempts},
        )
    transaction.on_commit(_send_soon, robust=True)
    return message


DELIVERY_DETAIL_LIMIT = 2000


@transaction.atomic
def message_delivery_record(
    *, provider: str, provider_id: str, delivered: bool, detail: str, at: datetime
) -> Message | None:
    """Record what ``provider`` said afterwards about the message it took as ``provider_id`` (a GOV.UK Notify
    callback; a bounce returned to the council's mailbox for an email sent through its server). Not delivered,
    the message is failed again, so the case page offers what a failed message offers: try again, or send the
    words another way (the postal letter). Returns the message, or None when no sent message has that id; the same
    news twice is recorded once."""
    if not provider_id:
        return None
    message = (
        Message.objects.select_for_update()
        .filter(provider=provider, provider_id=provider_id, status__in=[MessageStatus.SENT, MessageStatus.FAILED])
        .first()
    )
    if message is None or message.sent_at is None:
        return None
    outcome = Delivery.DELIVERED if delivered else Delivery.NOT_DELIVERED
    if message.delivery == outcome:
        return message
    detail = detail.strip()[:DELIVERY_DETAIL_LIMIT]
    message.delivery, message.delivery_at, message.delivery_detail = outcome, at, detail
    fields = ["delivery", "delivery_at", "delivery_detail", "updated_at"]
    if not delivered:
        message.status = MessageStatus.FAILED
        message.last_error = errors.NOT_DELIVERED_PREFIX + (detail or "no reason given")
        fields += ["status", "last_error"]
    message.save(update_fields=fields)
    _record_result(
        message,
        event_type=AuditEventType.MESSAGE_DELIVERED if delivered else AuditEventType.MESSAGE_NOT_DELIVERED,
        summary=f"{_audit_name(message)} {'delivered' if delivered else 'not delivered'}",
    )
    return message


def hand_sent_at(*, sent_on: date, now: datetime) -> datetime:
    """The time to record for a message a person sent themselves on ``sent_on``: now if that is today, otherwise
    the start of that day in London (people say on which day they posted a letter, not at what time)."""
    if sent_on == timezone.localtime(now, LONDON).date():
        return now
    return datetime.combine(sent_on, time.min, tzinfo=LONDON)


@transaction.atomic
def message_mark_sent(*, message: Message, acting_user: User | None, sent_at: datetime, sent_via: str = "") -> Message:
    """Record that a failed message went out another way (a letter printed and posted, an email sent from a
    mailbox): it will never be sent automatically. ``sent_via`` is how (``SentVia``), blank where the person did not
    say (the admin's action). The case page and the admin's action both come here."""
    message = _failed_for_update(message, not_failed=errors.MARK_SENT_NOT_FAILED)
    if sent_via and sent_via not in SentVia.values:
        raise DomainError(errors.SENT_VIA_UNKNOWN, field="sent_via")
    if sent_at > timezone.now():
        raise DomainError(errors.SENT_IN_FUTURE, field="sent_at")
    written = timezone.localtime(message.created_at, LONDON).date()
    if timezone.localtime(sent_at, LONDON).date() < written:
        raise DomainError(errors.SENT_BEFORE_WRITTEN.format(date=govuk_date(written)), field="sent_at")
    _gone(message, provider=SENT_BY_HAND, provider_id=sent_via, sent_at=sent_at)
    message.save(update_fields=SENT_FIELDS)
    if message.case_id is not None:
        how = f" ({SentVia(sent_via).label.lower()})" if sent_via else ""
        audit_event_record(
            acting_user=acting_user,
            event_type=AuditEventType.MESSAGE_SENT,
            subject=message,
            case_id=message.case_id,
            summary=f"{_audit_name(message)} marked as sent by hand{how}",
            after={
                "status": message.status,
                "provider": SENT_BY_HAND,
                "sent_via": sent_via,
                "sent_date": timezone.localtime(sent_at, LONDON).date(),
            },
        )
    return message


@dataclass(frozen=True)
class Contact:
    """Where a message to the complainant goes, and how to greet them."""

    channel: str
    recipient: str
    greeting: str


def complainant_contact(case: Case, *, post: bool = False) -> Contact | None:
    """The primary complainant's email address, or else their postal address (with ``post``, the postal address
    first: the letter sent instead of an email that did not arrive); ``None`` for an anonymous complainant, who has
    asked not to be contacted."""
    primary = CaseComplainant.objects.filter(case=case, is_primary=True).select_related("person").first()
    if primary is None:
        return None
    person = primary.person
    greeting = f"Dear {person.full_name}" if person.full_name else "Hello"
    if person.email and not (post and person.address.strip()):
        return Contact(channel=Channel.EMAIL, recipient=person.email, greeting=greeting)
    if person.address.strip():
        lines = [person.full_name, *person.address.splitlines(), person.postcode]
        return Contact(
            channel=Channel.LETTER, recipient="\n".join(x.strip() for x in lines if x.strip()), greeting=greeting
        )
    return None


def _tell_complainant(
    case: Case, *, template_key: str, idempotency_key: str, details: Mapping[str, str], acting_user: User | None
) -> Message | None:
    contact = complainant_contact(case)
    if contact is None:
        return None
    return message_queue(
        template_key=template_key,
        channel=contact.channel,
        recipient=contact.recipient,
        personalisation={
            "greeting": contact.greeting,
            "reference": case.reference,
            "council": case.council.name,
            **details,
        },
        idempotency_key=idempotency_key,
        case=case,
        acting_user=acting_user,
    )


@transaction.atomic
def stage_extend_and_notify(
    *, stage: Stage, acting_user: User | None, extended_due_date: date, reason: str, notified_date: date | None
) -> Stage:
    """``stage_extend``, and the extension letter to the complainant (the reasons and the new date, R1.20, R1.26)
    queued in the same transaction: the extension is never recorded as notified without its letter."""
    standard = stage.deadlines.filter(key=f"stage{stage.number}_response").values_list("due_date", flat=True).first()
    stage = stage_extend(
        stage=stage,
        acting_user=acting_user,
        extended_due_date=extended_due_date,
        reason=reason,
        notified_date=notified_date,
    )
    _tell_complainant(
        stage.case,
        template_key=TemplateKey.EXTENSION_LETTER,
        idempotency_key=f"extension:{stage.pk}:{extended_due_date.isoformat()}",
        details={
            "stage": str(stage.number),
            "due_date": govuk_date(standard) if standard else "the standard date",
            "extended_due_date": govuk_date(extended_due_date),
            "reason": reason.strip(),
        },
        acting_user=acting_user,
    )
    return stage


def panel_meeting_words(stage: Stage) -> tuple[str, str]:
    """When and where a review panel meets, as its messages say it: ("Tuesday 15 November 2022 at 10am", "at
    County Hall, Room 2" or "online")."""
    assert stage.panel_meeting_at is not None  # noqa: S101 - the callers read arranged meetings only
    when = timezone.localtime(stage.panel_meeting_at, LONDON)
    place = stage.panel_meeting_place
    where = "online" if not place else f"at {place}" + (", or online" if stage.panel_meeting_online else "")
    hour, suffix = when.hour % 12 or 12, "am" if when.hour < 12 else "pm"
    clock = f"{hour}{suffix}" if when.minute == 0 else f"{hour}:{when.minute:02d}{suffix}"
    return f"{govuk_date(when.date())} at {clock}", where


@dataclass(frozen=True)
class PanelRecipient:
    """Someone told about a review panel's meeting: a user, or a contact without an account (``user`` is then
    ``None``), who is sent the version of the message for contacts (``CONTACT_TEMPLATE_KEYS``)."""

    name: str
    email: str
    user: User | None
    # Part of the message's idempotency key: a user's id (as before contacts), ``contact:<id>`` for a contact.
    key: str

    def template_key(self, key: str) -> str | None:
        """The message this recipient is sent for ``key``; ``None`` when a contact cannot be sent it."""
        return key if self.user is not None else CONTACT_TEMPLATE_KEYS.get(key)


def panel_people(stage: Stage) -> list[PanelRecipient]:
    """Who hears about a review panel's meeting: its members (the chair first) and the case owner, each once, if
    they can be emailed. A member who is a contact is told at their email address, if they have one."""
    people: list[PanelRecipient] = []
    members = stage.panel_members.select_related("user", "contact").order_by("role", "id")
    for m in members:
        if m.user is not None and m.user.is_active and m.user.email:
            name = m.user.get_full_name() or m.user.username
            people.append(PanelRecipient(name, m.user.email, m.user, str(m.user.pk)))
        elif m.contact is not None and m.contact.email:
            people.append(PanelRecipient(m.contact.name, m.contact.email, None, m.ref))
    owner = stage.case.owner
    in_panel = any(m.user_id == owner.pk for m in members) if owner is not None else True
    if owner is not None and not in_panel and owner.is_active and owner.email:
        people.append(PanelRecipient(owner.get_full_name() or owner.username, owner.email, owner, str(owner.pk)))
    return people


def case_link(case: Case) -> str:
    base: str = settings.OPENCOMPLAINTS["SITE_URL"]
    return base.rstrip("/") + reverse("casework:case-detail", args=[case.pk])


@transaction.atomic
def stage3_panel_schedule_and_notify(
    *, stage: Stage, acting_user: User | None, meeting_at: datetime, place: str = "", online: bool = False
) -> Stage:
    """``stage3_panel_schedule``, and each panel member and the case owner told in the same transaction: once per
    meeting time, so arranging it again for another day tells them again. The daily scan reminds them before it
    (``notifications.triggers.panel_reminders_queue``)."""
    stage = stage3_panel_schedule(stage=stage, acting_user=acting_user, meeting_at=meeting_at, place=place,
                                  online=online)  # fmt: skip
    meeting, where = panel_meeting_words(stage)
    members = stage.panel_members.select_related("user", "contact").order_by("role", "id")
    panel = ", ".join(f"{m.person} (chair)" if m.role == "chair" else str(m.person) for m in members)
    assert stage.panel_meeting_at is not None  # noqa: S101 - just arranged
    for person in panel_people(stage):
        template_key = person.template_key(TemplateKey.PANEL_ARRANGED)
        if template_key is None:
            continue
        message_queue(
            template_key=template_key,
            recipient=person.email,
            recipient_user=person.user,
            personalisation={
                "name": person.name,
                "reference": stage.case.reference,
                "meeting": meeting,
                "where": where,
                "panel": panel,
                "case_link": case_link(stage.case),
                "council": stage.case.council.name,
            },
            idempotency_key=f"panel-arranged:{stage.pk}:{stage.panel_meeting_at.isoformat()}:{person.key}",
            case=stage.case,
            acting_user=acting_user,
        )
    return stage


@transaction.atomic
def stage_hold_and_notify(
    *, stage: Stage, acting_user: User | None, start_date: date, reason: str, note: str = ""
) -> Hold:
    """``stage_hold``, and the hold letter to the complainant queued in the same transaction (R1.13, R1.19)."""
    hold = stage_hold(stage=stage, acting_user=acting_user, start_date=start_date, reason=reason, note=note)
    _tell_complainant(
        stage.case,
        template_key=TemplateKey.HOLD_LETTER,
        idempotency_key=f"hold:{hold.pk}",
        details={
            "stage": str(stage.number),
            "start_date": govuk_date(start_date),
            "reason": hold.get_reason_display().lower(),
        },
        acting_user=acting_user,
    )
    return hold
