"""The production worker against a real Redis on 127.0.0.1:6379: a job enqueued is run, a failing job is retried,
and a message is never sent twice.

Skipped, saying why, when no Redis answers there, unless OPENCOMPLAINTS_REQUIRE_REDIS is set (as CI does), when
its absence is a failure. The worker runs in the test's own process (``--simple``) so it shares the test database;
it uses Redis database 15, emptied of these queues' jobs before and after.
"""

import os
import uuid

import pytest
from asgiref.local import Local
from django.core.management import call_command
from django.tasks import task_backends

from opencomplaints.jobs.tests import tasks as test_tasks
from opencomplaints.notifications.models import Message, MessageStatus
from opencomplaints.notifications.services import message_queue
from opencomplaints.notifications.tasks import outbox_send

REDIS_URL = "redis://127.0.0.1:6379/15"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as error:
        message = f"Redis is not reachable at {REDIS_URL} ({error}): apt-get install redis-server, or start it"
        if os.environ.get("OPENCOMPLAINTS_REQUIRE_REDIS"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def redis_queue(settings):
    _redis_or_skip()
    import django_rq

    queue_name = f"test-{uuid.uuid4().hex[:8]}"
    settings.RQ_QUEUES = {
        queue_name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60, "QUEUE_CLASS": "opencomplaints.jobs.queues.RetryingQueue"}
    }
    original = settings.TASKS
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue_name]}}
    # Retried at once, so a burst worker sees the retry without waiting.
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"JOB_RETRY_SECONDS": [0, 0]}
    test_tasks.ATTEMPTS.clear()
    _reset_task_backends()
    queue = django_rq.get_queue(queue_name)
    queue.empty()
    yield queue_name
    queue.empty()
    settings.TASKS = original
    _reset_task_backends()


def _reset_task_backends():
    # Django does not reload the task backends when TASKS changes in a test.
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None  # type: ignore[attr-defined]
    task_backends._connections = Local(task_backends.thread_critical)  # type: ignore[attr-defined]


def _work():
    call_command("worker", "--burst", "--simple", "--no-scheduler")


def _on(queue_name, job):
    return job.using(queue_name=queue_name)


def test_a_job_enqueued_is_run_by_the_worker(redis_queue):
    message_queue(
        template_key="follow_link",
        recipient="alex@example.com",
        personalisation={
            "greeting": "Hello",
            "reference": "R1",
            "follow_link": "x",
            "link_expires": "y",
            "council": "C",
        },
        idempotency_key="redis:1",
    )
    result = _on(redis_queue, outbox_send).enqueue()
    assert Message.objects.get().status == MessageStatus.QUEUED
    _work()
    assert Message.objects.get().status == MessageStatus.SENT
    assert result.id


def test_a_failing_job_is_retried(redis_queue):
    _on(redis_queue, test_tasks.fails_once).enqueue("retry-me")
    _work()
    assert test_tasks.ATTEMPTS["retry-me"] == 2


def test_a_message_is_never_sent_twice(redis_queue):
    from django.core import mail

    message_queue(
        template_key="follow_link",
        recipient="alex@example.com",
        personalisation={
            "greeting": "Hello",
            "reference": "R1",
            "follow_link": "x",
            "link_expires": "y",
            "council": "C",
        },
        idempotency_key="redis:2",
    )
    # A job that sends and then fails (so it is retried), and two more sends of the same outbox.
    _on(redis_queue, test_tasks.send_then_fail).enqueue("send-then-fail")
    _on(redis_queue, outbox_send).enqueue()
    _on(redis_queue, outbox_send).enqueue()
    _work()
    assert test_tasks.ATTEMPTS["send-then-fail"] == 2
    assert len(mail.outbox) == 1
    assert Message.objects.get().attempts == 1
