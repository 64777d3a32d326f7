"""What the tests of the production worker share: a real Redis on 127.0.0.1:6379, task backends switched to RQ
as with ``REDIS_URL``, and a burst worker that runs jobs in the test's own process (``--simple``), so it sees the
test database.

Those tests are skipped, saying why, when no Redis answers, unless ``OPENCOMPLAINTS_REQUIRE_REDIS`` is set (as CI
does), when its absence is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from asgiref.local import Local
from django.core.management import call_command
from django.tasks import task_backends

__all__ = ["production_backends", "redis_or_skip", "redis_url_for_this_worker", "reset_task_backends", "work"]

QUEUE_CLASS = "opencomplaints.jobs.queues.RetryingQueue"


def redis_url_for_this_worker() -> str:
    """A Redis database for this pytest-xdist worker alone (14, 13, …; 15 is the jobs tests'), because the jobs
    go to the queues their tasks name, as in production, and no worker may take another's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return f"redis://127.0.0.1:6379/{14 - int(worker or 0) % 14}"


def redis_or_skip(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as error:
        message = f"Redis is not reachable at {url} ({error}): apt-get install redis-server, or start it"
        if os.environ.get("OPENCOMPLAINTS_REQUIRE_REDIS"):
            pytest.fail(message)
        pytest.skip(message)


def reset_task_backends() -> None:
    """Forget the task backends built so far: they are built once, from the TASKS of the moment."""
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None  # type: ignore[attr-defined]
    task_backends._connections = Local(task_backends.thread_critical)  # type: ignore[attr-defined]


@contextmanager
def production_backends(settings: Any, url: str) -> Iterator[None]:
    """Both task backends on RQ as in production (``default`` and ``long`` queues), jobs retried at once so a burst
    worker sees the retry without waiting, and the queues emptied before and after."""
    import django_rq

    redis_or_skip(url)
    queue = {"URL": url, "DEFAULT_TIMEOUT": 60, "QUEUE_CLASS": QUEUE_CLASS}
    settings.RQ_QUEUES = {"default": queue, "long": queue}
    original = settings.TASKS
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
        "background": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["long"]},
    }
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"JOB_RETRY_SECONDS": [0, 0]}
    reset_task_backends()
    for name in ("default", "long"):
        django_rq.get_queue(name).empty()
    try:
        yield
    finally:
        for name in ("default", "long"):
            django_rq.get_queue(name).empty()
        settings.TASKS = original
        reset_task_backends()


def work() -> None:
    """Run every queued job, retries included, in this process, then return."""
    call_command("worker", "--burst", "--simple", "--no-scheduler")
