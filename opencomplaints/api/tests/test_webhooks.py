"""Webhooks against a local HTTP server (no network): an event raised by a change is delivered once its transaction
commits, signed so the receiver can check it; a failure is tried again with exponential backoff and the delivery
log says what happened; deadlines due soon or passed are told once per due date."""

from __future__ import annotations

import io
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from opencomplaints.api.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from opencomplaints.api.services import TokenError
from opencomplaints.api.services import webhooks as w
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.tests import factories as f

pytestmark = pytest.mark.django_db


class Receiver:
    """A local server answering each POST with the next of ``codes`` (then 200), keeping what it was sent."""

    def __init__(self, codes: list[int] | None = None) -> None:
        self.codes = list(codes or [])
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.codes.pop(0) if receiver.codes else 200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def attempt(pk, now=None) -> WebhookDelivery:
    delivery = w.webhook_deliver(delivery_id=pk, now=now)
    assert delivery is not None
    return delivery


def subscribe(council, url, events=tuple(WebhookEvent.values)):
    return w.webhook_subscription_create(council=council, name="CRM", url=url, events=events, acting_user=None)


def test_a_registration_is_delivered_on_commit_signed_with_the_subscription_s_secret(
    council, complaints_manager, receiver, django_capture_on_commit_callbacks
):
    _subscription, secret = subscribe(council, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        case = f.register(council, complaints_manager)
    delivery = WebhookDelivery.objects.get(event=WebhookEvent.CASE_REGISTERED)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert (delivery.attempts, delivery.last_status_code) == (1, 200)
    headers, body = receiver.received[0]
    payload = json.loads(body)
    assert payload["event"] == "case.registered"
    assert payload["case"]["reference"] == case.reference
    # Nothing about the people: the receiver reads what it may through the API.
    assert complaints_manager.last_name not in body.decode()
    assert headers["x-opencomplaints-event"] == "case.registered"
    signature = headers[w.SIGNATURE_HEADER.lower()]
    assert w.webhook_signature_verify(secret=secret, header=signature, body=body, now=timezone.now())
    assert not w.webhook_signature_verify(secret="whsec_other", header=signature, body=body, now=timezone.now())
    assert not w.webhook_signature_verify(secret=secret, header=signature, body=body + b" ", now=timezone.now())
    later = timezone.now() + timedelta(minutes=10)
    assert not w.webhook_signature_verify(secret=secret, header=signature, body=body, now=later)
    assert AuditEvent.objects.filter(event_type=AuditEventType.WEBHOOK_DELIVERED, case=case).exists()


def test_a_failure_is_retried_with_exponential_backoff_and_logged(council, complaints_manager):
    server = Receiver(codes=[500, 503])
    try:
        subscribe(council, server.url, events=[WebhookEvent.CASE_REGISTERED])
        f.register(council, complaints_manager)  # the commit's queueing is left to the sweep here
        delivery = WebhookDelivery.objects.get()
        started = timezone.now()
        first = attempt(delivery.pk, started)
        assert (first.status, first.attempts, first.last_status_code) == (DeliveryStatus.RETRYING, 1, 500)
        assert first.next_attempt_at - started >= timedelta(seconds=w.BACKOFF_SECONDS)
        # Not due yet: nothing is sent.
        assert w.webhooks_due(now=started) == []
        assert w.webhook_deliver(delivery_id=delivery.pk, now=started) is None
        second_at = first.next_attempt_at
        second = attempt(delivery.pk, second_at)
        assert (second.status, second.attempts, second.last_status_code) == (DeliveryStatus.RETRYING, 2, 503)
        gap = second.next_attempt_at - second_at
        assert gap >= timedelta(seconds=w.BACKOFF_SECONDS * w.BACKOFF_FACTOR)
        assert w.webhooks_due(now=second.next_attempt_at) == [delivery.pk]
        third = attempt(delivery.pk, second.next_attempt_at)
        assert (third.status, third.attempts, third.last_status_code) == (DeliveryStatus.DELIVERED, 3, 200)
        assert len(server.received) == 3
        # The same delivery each time: the receiver can tell a retry by its id.
        assert len({h["x-opencomplaints-delivery"] for h, _ in server.received}) == 1
        assert w.webhook_deliver(delivery_id=delivery.pk, now=timezone.now() + timedelta(days=1)) is None
    finally:
        server.close()


def test_after_the_last_attempt_the_delivery_is_left_failed(council, complaints_manager, monkeypatch):
    monkeypatch.setattr(w, "MAX_ATTEMPTS", 2)
    subscribe(council, "http://127.0.0.1:9/nobody-listens", events=[WebhookEvent.CASE_REGISTERED])
    f.register(council, complaints_manager)
    delivery = WebhookDelivery.objects.get()
    first = attempt(delivery.pk)
    assert first.status == DeliveryStatus.RETRYING
    assert first.last_status_code is None
    assert first.last_error
    second = attempt(delivery.pk, first.next_attempt_at)
    assert second.status == DeliveryStatus.FAILED
    assert AuditEvent.objects.filter(event_type=AuditEventType.WEBHOOK_FAILED).count() == 1


def test_only_the_events_subscribed_to_and_only_enabled_subscriptions(council, other_council, complaints_manager):
    subscribe(council, "https://crm.example.gov.uk/hooks", events=[WebhookEvent.CASE_CLOSED])
    off, _secret = subscribe(council, "https://warehouse.example.gov.uk/hooks")
    w.webhook_subscription_enable(subscription=off, enabled=False, acting_user=None)
    subscribe(other_council, "https://northby.example.gov.uk/hooks")
    f.accepted(council, complaints_manager)
    assert not WebhookDelivery.objects.exists()


def test_a_response_and_a_closure_raise_their_events(council, complaints_manager):
    subscribe(council, "https://crm.example.gov.uk/hooks")
    case = f.accepted(council, complaints_manager)
    from opencomplaints.cases import constants as c
    from opencomplaints.cases.services import complaint_close, stage_respond

    stage = f.stage(case, 1)
    stage_respond(stage=stage, acting_user=complaints_manager, response_date=stage.received_date + timedelta(days=5),
                  outcome=c.Outcome.NOT_UPHELD)  # fmt: skip
    complaint_close(case=case, acting_user=complaints_manager, closed_date=stage.received_date + timedelta(days=40))
    events = list(WebhookDelivery.objects.order_by("id").values_list("event", flat=True))
    assert events == ["case.registered", "stage.responded", "case.closed"]


def test_deadlines_due_soon_and_passed_are_told_once_per_due_date(council, complaints_manager):
    subscribe(
        council, "https://crm.example.gov.uk/hooks", events=[WebhookEvent.STAGE_DUE_SOON, WebhookEvent.STAGE_OVERDUE]
    )
    case = f.accepted(council, complaints_manager)
    deadline = case.deadlines.filter(met_date__isnull=True, kind="deadline").order_by("due_date").first()
    assert deadline is not None
    due = deadline.effective_due_date
    assert w.webhooks_deadlines_record(today=due - timedelta(days=1)) >= 1
    assert w.webhooks_deadlines_record(today=due - timedelta(days=1)) == 0
    assert w.webhooks_deadlines_record(today=due + timedelta(days=1)) >= 1
    events = set(WebhookDelivery.objects.values_list("event", flat=True))
    assert events == {"stage.due_soon", "stage.overdue"}
    payload = WebhookDelivery.objects.filter(event="stage.overdue").order_by("id")[0].payload
    assert payload["deadline"]["due_date"] == due.isoformat()


def test_a_subscription_needs_https_and_known_events(council):
    with pytest.raises(TokenError, match="https"):
        subscribe(council, "http://crm.example.gov.uk/hooks")
    with pytest.raises(TokenError, match="Choose the events"):
        subscribe(council, "https://crm.example.gov.uk/hooks", events=["case.exploded"])


def test_the_command_prints_the_secret_once_and_lists_the_log(council):
    out, err = io.StringIO(), io.StringIO()
    call_command("api-webhook", "create", "--council", council.slug, "--url", "https://crm.example.gov.uk/hooks",
                 "--event", "case.registered", "--disabled", stdout=out, stderr=err)  # fmt: skip
    assert out.getvalue().startswith("whsec_")
    assert "shown only now" in err.getvalue()
    listed = io.StringIO()
    call_command("api-webhook", "list", stdout=listed)
    assert "disabled  0 deliveries, 0 failed" in listed.getvalue()
    with pytest.raises(CommandError, match="https"):
        call_command("api-webhook", "create", "--council", council.slug, "--url", "ftp://x", "--event",
                     "case.closed", stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip


def test_the_delivery_log_is_shown_to_administrators(client, council, complaints_manager):
    from opencomplaints.accounts.tests.personas import superuser

    subscription, _secret = subscribe(council, "https://crm.example.gov.uk/hooks")
    f.register(council, complaints_manager)
    client.force_login(superuser())
    page = client.get(f"/admin/api/webhooksubscription/{subscription.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "case.registered" in text
    assert "Waiting to be sent" in text


def test_the_worker_sweeps_the_deliveries_due_while_a_subscription_is_on(council, complaints_manager, receiver):
    from opencomplaints.api import tasks
    from opencomplaints.jobs.scheduler import schedules

    assert "webhook-retry" not in {s.name for s in schedules()}
    subscribe(council, receiver.url, events=[WebhookEvent.CASE_REGISTERED])
    assert {"webhook-retry", "webhook-deadlines"} <= {s.name for s in schedules()}
    f.register(council, complaints_manager)  # queued on commit, which a test's transaction never reaches
    assert tasks.webhooks_retry.call() == {"attempted": 1}
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED
    assert len(receiver.received) == 1
