"""Jobs for the worker tests. The worker runs them in the test's own process (``--simple``), so a module-level
counter sees every attempt."""

from django.tasks import task
from django.utils import timezone

from opencomplaints.notifications.services import outbox_send_pending

ATTEMPTS: dict[str, int] = {}


@task
def fails_once(name: str) -> int:
    ATTEMPTS[name] = ATTEMPTS.get(name, 0) + 1
    if ATTEMPTS[name] == 1:
        raise RuntimeError("First attempt fails on purpose")
    return ATTEMPTS[name]


@task
def send_then_fail(name: str) -> int:
    """Sends the outbox, then fails the first time: the retry must not send anything again."""
    ATTEMPTS[name] = ATTEMPTS.get(name, 0) + 1
    outbox_send_pending(now=timezone.now())
    if ATTEMPTS[name] == 1:
        raise RuntimeError("Failing after sending, on purpose")
    return ATTEMPTS[name]


@task
def counts(name: str) -> int:
    ATTEMPTS[name] = ATTEMPTS.get(name, 0) + 1
    return ATTEMPTS[name]
