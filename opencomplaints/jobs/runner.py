"""Running the schedule and the queue: shared by ``opencomplaints worker`` and ``opencomplaints run-scheduled-jobs``.

Each tick enqueues the scheduled jobs that are due and a send of the outbox, whose messages wait for a retry
time; the jobs themselves are run by the in-process backend at once, or by the Redis worker."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone

from opencomplaints.jobs.scheduler import scheduled_jobs_run
from opencomplaints.notifications.tasks import outbox_send

__all__ = ["schedule_loop", "schedule_tick", "uses_redis"]

logger = logging.getLogger(__name__)


def uses_redis() -> bool:
    """Whether jobs go to a Redis queue for a worker, rather than running in the process that enqueues them."""
    # ``default_task_backend`` is a proxy, which ``isinstance`` does not see through.
    return not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


def schedule_tick() -> list[str]:
    """Enqueue what is due now; returns the names of the scheduled jobs started."""
    runs = scheduled_jobs_run(now=timezone.now())
    outbox_send.enqueue()
    return [run.name for run in runs]


def schedule_loop(stop: threading.Event, *, interval: float, on_tick: Callable[[list[str]], None]) -> None:
    """Tick every ``interval`` seconds until ``stop`` is set; a failing tick is logged and the loop goes on."""
    while not stop.is_set():
        # A long-running process must not keep a database connection the server has dropped.
        close_old_connections()
        try:
            on_tick(schedule_tick())
        except Exception:  # one bad tick (the database restarting) must not stop the schedule for good
            logger.exception("The scheduler tick failed")
        finally:
            close_old_connections()
        stop.wait(interval)
