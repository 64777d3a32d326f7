"""The webhook jobs, run by the worker (docs/adr/0004-background-jobs.md): one delivery attempt, the sweep that
sends what is due again (every minute), and the daily scan of deadlines due soon or passed. Each reads the clock
here and is safe to run again."""

from __future__ import annotations

from datetime import date, datetime

from django.tasks import default_task_backend, task
from django.utils import timezone

from opencomplaints.api.services import webhooks
from opencomplaints.common.dispatch import CHANGE_RECORDED, event_listen, job_provide


@task
def webhook_deliver(delivery_id: int) -> dict[str, str]:
    """One attempt at a delivery (nothing when it is not due)."""
    delivery = webhooks.webhook_deliver(delivery_id=delivery_id)
    return {"status": delivery.status if delivery else "not due"}


@task
def webhooks_retry(on: str | None = None) -> dict[str, int]:
    """Every delivery whose attempt is due: new ones the queue missed (Redis was down) and retries."""
    due = webhooks.webhooks_due(now=timezone.now())
    for pk in due:
        webhooks.webhook_deliver(delivery_id=pk)
    return {"attempted": len(due)}


@task
def webhooks_deadlines(on: str | None = None) -> dict[str, int]:
    """The daily scan for the London date ``on`` (ISO format; today when not given)."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    return {"recorded": webhooks.webhooks_deadlines_record(today=today)}


def _deliver_later(delivery_id: int, when: str) -> object:
    """Queue the attempt for ``when`` (ISO), where the queue can wait; raises where it cannot (the sweep sends it)."""
    if not default_task_backend.supports_defer:
        raise NotImplementedError("This queue cannot wait")
    return webhook_deliver.using(run_after=datetime.fromisoformat(when)).enqueue(delivery_id)


job_provide(webhooks.WEBHOOK_DELIVER, webhook_deliver.enqueue)
job_provide(webhooks.WEBHOOK_DELIVER_LATER, _deliver_later)
event_listen(CHANGE_RECORDED, "api.webhooks", webhooks.on_change_recorded)
