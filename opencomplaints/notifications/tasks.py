"""The notification jobs. Each reads the clock here, at the edge, and passes the date down; each is safe to run
again (the outbox sends a message at most once, and every message has an idempotency key)."""

from __future__ import annotations

from datetime import date

from django.tasks import task
from django.utils import timezone

from opencomplaints.common.dispatch import job_provide
from opencomplaints.notifications import services, triggers


def _day(on: str | None) -> date:
    return date.fromisoformat(on) if on else timezone.localdate()


@task
def outbox_send() -> dict[str, int]:
    """Send every message that is due (new ones, and failed ones whose retry time has come)."""
    summary = services.outbox_send_pending(now=timezone.now())
    return {"sent": summary.sent, "retrying": summary.retrying, "failed": summary.failed}


@task
def deadline_scan(on: str | None = None) -> dict[str, int]:
    """The daily scan for the London date ``on`` (ISO format; today when not given)."""
    result = triggers.deadline_scan(today=_day(on))
    return {"reminders": result.reminders, "overdue_alerts": result.overdue_alerts}


@task
def weekly_digest(on: str | None = None) -> dict[str, int]:
    """The weekly tracker digest for the week containing ``on`` (ISO format; today when not given)."""
    return {"digests": triggers.weekly_digests_queue(today=_day(on))}


job_provide(services.OUTBOX_SEND, outbox_send.enqueue)
