"""Webhooks: a council's systems told of changes to its cases (docs/api.md, docs/adr/0023-oauth-and-webhooks.md).

When each event is raised:

- ``case.registered``, ``stage.responded``, ``case.closed``: from the change's audit event (``common.dispatch``
  ``CHANGE_RECORDED``, raised in the change's transaction), so every way a case is registered, answered or closed
  raises it, a change rolled back raises nothing, and ``cases`` knows nothing of the API;
- ``stage.due_soon`` (a deadline due within ``REMINDER_WORKING_DAYS`` working days, as the owner's reminder) and
  ``stage.overdue`` (a deadline passed unmet): by the daily scan, once per deadline and due date.

A delivery is a JSON POST, signed: ``X-OpenComplaints-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>" with the subscription's secret>``. The payload names the case (id, reference, kind, status, its API
address) and never its people or words: the receiver reads what it needs through the API, with its own
credential. A failed attempt (no answer, or not 2xx) is tried again after 30 seconds, 2 minutes, 8 minutes, 32
minutes and about 2 hours (each delay four times the last); after the sixth it is left failed in the log."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.api.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from opencomplaints.api.services.tokens import TokenError
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record, audit_read_record
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, Deadline, Hold
from opencomplaints.common.dispatch import job_enqueue, job_provided
from opencomplaints.councils.models import Council

__all__ = [
    "BACKOFF_FACTOR",
    "BACKOFF_SECONDS",
    "MAX_ATTEMPTS",
    "SIGNATURE_HEADER",
    "WEBHOOK_DELIVER",
    "on_change_recorded",
    "webhook_deliver",
    "webhook_event_record",
    "webhook_sign",
    "webhook_signature_verify",
    "webhook_subscription_create",
    "webhook_subscription_enable",
    "webhooks_deadlines_record",
    "webhooks_due",
    "webhooks_enabled",
]

logger = logging.getLogger(__name__)

WEBHOOK_DELIVER = "webhook-deliver"
WEBHOOK_DELIVER_LATER = "webhook-deliver-later"
SIGNATURE_HEADER = "X-OpenComplaints-Signature"
BACKOFF_SECONDS = 30
BACKOFF_FACTOR = 4
MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 10
#: A delivery left "sending" this long (its worker died) is sent again.
STUCK_AFTER = timedelta(minutes=10)
#: How far a receiver should accept a signature's time from its own clock.
TOLERANCE_SECONDS = 300

#: The audit events that raise each webhook event.
EVENTS_BY_AUDIT: dict[int, WebhookEvent] = {
    AuditEventType.COMPLAINT_REGISTERED: WebhookEvent.CASE_REGISTERED,
    AuditEventType.REPRESENTATION_REGISTERED: WebhookEvent.CASE_REGISTERED,
    AuditEventType.OMBUDSMAN_CASE_REGISTERED: WebhookEvent.CASE_REGISTERED,
    AuditEventType.STAGE_RESPONDED: WebhookEvent.STAGE_RESPONDED,
    AuditEventType.STAGE2_ADJUDICATED: WebhookEvent.STAGE_RESPONDED,
    AuditEventType.STAGE3_RESPONDED: WebhookEvent.STAGE_RESPONDED,
    AuditEventType.REPRESENTATION_RESPONDED: WebhookEvent.STAGE_RESPONDED,
    AuditEventType.CASE_CLOSED: WebhookEvent.CASE_CLOSED,
    AuditEventType.COMPLAINT_WITHDRAWN: WebhookEvent.CASE_CLOSED,
    AuditEventType.COMPLAINT_DECLINED: WebhookEvent.CASE_CLOSED,
}

URL_NOT_HTTPS = "The address must start with https:// (http:// only for this machine, such as http://127.0.0.1)."
EVENTS_UNKNOWN = "Choose the events from: {events}."
LOCAL_HOSTS = {"localhost"}


# -- subscriptions ----------------------------------------------------------------------------------------------


def _checked_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        local = host in LOCAL_HOSTS or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if not host or not (parts.scheme == "https" or (parts.scheme == "http" and local)) or len(url) > 500:
        raise TokenError(URL_NOT_HTTPS, field="url")
    return url


def _checked_events(events: Sequence[str]) -> list[str]:
    chosen = sorted(set(events))
    if not chosen or any(e not in WebhookEvent.values for e in chosen):
        raise TokenError(EVENTS_UNKNOWN.format(events=", ".join(WebhookEvent.values)), field="events")
    return chosen


@transaction.atomic
def webhook_subscription_create(
    *,
    council: Council,
    name: str,
    url: str,
    events: Sequence[str],
    acting_user: User | None,
    enabled: bool = True,
) -> tuple[WebhookSubscription, str]:
    """A subscription for ``council`` to ``events`` at ``url``, and its signing secret (to show once)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError("Enter the receiving system's name, in 100 characters or fewer.", field="name")
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    subscription = WebhookSubscription.objects.create(
        council=council, name=name, url=_checked_url(url), secret=secret, events=_checked_events(events),
        enabled=enabled, created_at=timezone.now(),
    )  # fmt: skip
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.WEBHOOK_CREATED,
        subject=subscription,
        summary=f"Webhook subscription {subscription.pk} created for {council.name}",
        after={"council": council.pk, "events": subscription.events, "enabled": enabled},
    )
    return subscription, secret


@transaction.atomic
def webhook_subscription_enable(
    *, subscription: WebhookSubscription, enabled: bool, acting_user: User | None
) -> WebhookSubscription:
    """Start or stop telling the subscription of events (a disabled one is told of nothing that happens meanwhile)."""
    if subscription.enabled == enabled:
        raise TokenError(f"The subscription is already {'enabled' if enabled else 'disabled'}.")
    subscription.enabled = enabled
    subscription.save(update_fields=["enabled"])
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.WEBHOOK_CHANGED,
        subject=subscription,
        summary=f"Webhook subscription {subscription.pk} {'enabled' if enabled else 'disabled'}",
        before={"enabled": not enabled},
        after={"enabled": enabled},
    )
    return subscription


# -- events -----------------------------------------------------------------------------------------------------


def _payload(event: str, delivery_id: uuid.UUID, case: Case, extra: dict[str, Any]) -> dict[str, Any]:
    base = settings.OPENCOMPLAINTS["SITE_URL"].rstrip("/")
    return {
        "id": str(delivery_id),
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "council": case.council.slug,
        "case": {
            "id": case.pk,
            "reference": case.reference,
            "kind": case.kind,
            "status": case.status,
            "current_stage": case.current_stage,
            "next_due_date": case.next_due_date.isoformat() if case.next_due_date else None,
            "url": f"{base}/api/v1/cases/{case.pk}/",
        },
        **extra,
    }


def _enqueue(ids: list[int]) -> None:
    for pk in ids:
        try:
            job_enqueue(WEBHOOK_DELIVER, pk)
        except Exception:  # Redis down: the retry sweep sends it
            logger.exception("Could not queue webhook delivery %s", pk)


def _enqueue_later(pk: int, when: datetime) -> None:
    """Queue the retry for its time where the queue can wait (Redis); otherwise the sweep sends it when due."""
    if job_provided(WEBHOOK_DELIVER_LATER):
        try:
            job_enqueue(WEBHOOK_DELIVER_LATER, pk, when.isoformat())
        except Exception:  # Redis down, or a queue that cannot wait: the sweep sends it
            logger.info("Webhook delivery %s left to the sweep", pk)


def webhook_event_record(
    *, event: WebhookEvent, case: Case, key: str | None = None, extra: dict[str, Any] | None = None
) -> list[WebhookDelivery]:
    """Record ``event`` about ``case`` for each enabled subscription of its council that wants it, in the caller's
    transaction, and queue their delivery when it commits. ``key`` names the event so it is recorded once (the scan
    raises the same deadline's event each day); without one, each call is a new event."""
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(council_id=case.council_id, enabled=True) if event in s.events
    ]
    now = timezone.now()
    made = []
    for subscription in subscriptions:
        delivery_id = uuid.uuid4()
        once = key or f"{event}:{delivery_id}"
        if WebhookDelivery.objects.filter(subscription=subscription, key=once).exists():
            continue
        made.append(
            WebhookDelivery.objects.create(
                subscription=subscription, event=event, key=once, delivery_id=delivery_id, case=case,
                payload=_payload(event, delivery_id, case, extra or {}), next_attempt_at=now, created_at=now,
                updated_at=now,
            )
        )  # fmt: skip
    if made:
        ids = [d.pk for d in made]
        transaction.on_commit(lambda: _enqueue(ids))
    return made


def on_change_recorded(*, event_type: int, case_id: int | None, **_: Any) -> None:
    """The listener of ``common.dispatch.CHANGE_RECORDED``: the webhook event of an audit event, if it has one."""
    event = EVENTS_BY_AUDIT.get(event_type)
    # Most installations have no subscription: one small query, and an import registering thousands pays no more.
    if event is None or case_id is None or not webhooks_enabled():
        return
    case = Case.objects.select_related("council").filter(pk=case_id).first()
    if case is not None:
        webhook_event_record(event=event, case=case)


def _open_deadlines() -> Any:
    on_hold = Hold.objects.filter(stage_id=OuterRef("stage_id"), end_date__isnull=True)
    return (
        Deadline.objects.filter(met_date__isnull=True, kind=c.DeadlineKind.DEADLINE)
        .exclude(case__status=c.CaseStatus.CLOSED)
        .exclude(Exists(on_hold))
        .select_related("case", "case__council", "stage")
        .order_by("id")
    )


@transaction.atomic
def webhooks_deadlines_record(*, today: date) -> int:
    """The daily scan: ``stage.due_soon`` for each deadline falling due after ``today`` within the reminders'
    working days, ``stage.overdue`` for each passed unmet (a stage on hold is left out: its clock is stopped).
    Once per deadline and due date, so an extension brings new events. Returns how many were recorded."""
    councils = set(WebhookSubscription.objects.filter(enabled=True).values_list("council_id", flat=True))
    if not councils:
        return 0
    horizon = working_day_calendar().add_working_days(today, settings.OPENCOMPLAINTS["REMINDER_WORKING_DAYS"])
    recorded = 0
    for deadline in _open_deadlines().filter(case__council_id__in=councils):
        due = deadline.effective_due_date
        if due is None or today == due or due > horizon:
            continue
        event = WebhookEvent.STAGE_OVERDUE if due < today else WebhookEvent.STAGE_DUE_SOON
        extra = {"deadline": {"label": deadline.label, "due_date": due.isoformat(),
                              "stage": deadline.stage.number if deadline.stage else None}}  # fmt: skip
        key = f"{event}:{deadline.pk}:{due.isoformat()}"
        recorded += len(webhook_event_record(event=event, case=deadline.case, key=key, extra=extra))
    return recorded


# -- delivery ---------------------------------------------------------------------------------------------------


def webhook_sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_signature_verify(*, secret: str, header: str, body: bytes, now: datetime) -> bool:
    """What a receiver checks: the signature is ours over this body, made within five minutes of ``now``."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    timestamp = parts.get("t", "")
    if not (timestamp.isascii() and timestamp.isdigit()) or abs(now.timestamp() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(webhook_sign(secret, int(timestamp), body), header)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a place to send the payload on to."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - https or this machine
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as error:
        return int(error.code), f"Answered {error.code}"
    except (OSError, ValueError) as error:  # no answer: refused, timed out, not found
        return None, f"{type(error).__name__}: {error}"[:300]


def _due(now: datetime) -> Q:
    """Deliveries whose attempt is due, or whose worker died sending them."""
    due = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now)
    return due | Q(status=DeliveryStatus.SENDING, updated_at__lt=now - STUCK_AFTER)


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    claimed = WebhookDelivery.objects.filter(_due(now), pk=delivery_id, subscription__enabled=True).update(
        status=DeliveryStatus.SENDING, updated_at=now
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)


def webhook_deliver(*, delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """One attempt at delivery ``delivery_id``, if it is due (``None`` when it is not: delivered, another worker has
    it, or its retry time has not come). A 2xx answer delivers it; anything else schedules the next attempt, four
    times later than the last, until ``MAX_ATTEMPTS``. Safe to run again."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    body = json.dumps(delivery.payload, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "OpenComplaints-Webhooks/1",
        "X-OpenComplaints-Event": delivery.event,
        "X-OpenComplaints-Delivery": str(delivery.delivery_id),
        SIGNATURE_HEADER: webhook_sign(delivery.subscription.secret, int(now.timestamp()), body),
    }
    code, error = _post(delivery.subscription.url, body, headers)
    finished = timezone.now()
    delivery.attempts += 1
    delivery.last_status_code = code
    delivery.updated_at = finished
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at, delivery.last_error = DeliveryStatus.DELIVERED, finished, ""
    else:
        delivery.last_error = error or f"Answered {code}"
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = now + timedelta(
                seconds=BACKOFF_SECONDS * BACKOFF_FACTOR ** (delivery.attempts - 1)
            )
    with transaction.atomic():
        delivery.save()
        if delivery.status == DeliveryStatus.RETRYING:
            transaction.on_commit(lambda: _enqueue_later(delivery.pk, delivery.next_attempt_at))
        if delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
            # What left the system about the case, and where to: on the case's record of who has seen it.
            audit_read_record(
                acting_user=None,
                event_type=AuditEventType.WEBHOOK_DELIVERED
                if delivery.status == DeliveryStatus.DELIVERED
                else AuditEventType.WEBHOOK_FAILED,
                subject=delivery,
                case_id=delivery.case_id,
                summary=f"Webhook {delivery.event} to subscription {delivery.subscription_id}: {delivery.status}",
                details={"attempts": delivery.attempts, "status_code": code},
            )
    return delivery


def webhooks_enabled() -> bool:
    """Whether any subscription is on (the scheduler runs the webhook jobs only then)."""
    return WebhookSubscription.objects.filter(enabled=True).exists()


def webhooks_due(*, now: datetime) -> list[int]:
    """The deliveries whose attempt is due (or whose worker died sending them)."""
    due = WebhookDelivery.objects.filter(_due(now), subscription__enabled=True).order_by("id")
    return list(due.values_list("pk", flat=True))
