"""The production worker against a real Redis on 127.0.0.1:6379: a job enqueued is run, a failing job is retried,
and a message is never sent twice.

Skipped, saying why, when no Redis answers there, unless OPENCOMPLAINTS_REQUIRE_REDIS is set (as CI does), when
its absence is a failure. The worker runs in the test's own process (``--simple``) so it shares the test database;
it uses Redis database 15, emptied of these queues' jobs before and after.
"""

import uuid

import pytest

from opencomplaints.jobs.tests import tasks as test_tasks
from opencomplaints.jobs.tests.redis import redis_or_skip, reset_task_backends, work
from opencomplaints.notifications.models import Message, MessageStatus
from opencomplaints.notifications.services import message_queue
from opencomplaints.notifications.tasks import outbox_send

REDIS_URL = "redis://127.0.0.1:6379/15"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


@pytest.fixture
def redis_queue(settings):
    redis_or_skip(REDIS_URL)
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
    reset_task_backends()
    queue = django_rq.get_queue(queue_name)
    queue.empty()
    yield queue_name
    queue.empty()
    settings.TASKS = original
    reset_task_backends()


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
    work()
    assert Message.objects.get().status == MessageStatus.SENT
    assert result.id


def test_a_failing_job_is_retried(redis_queue):
    _on(redis_queue, test_tasks.fails_once).enqueue("retry-me")
    work()
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
    work()
    assert test_tasks.ATTEMPTS["send-then-fail"] == 2
    assert len(mail.outbox) == 1
    assert Message.objects.get().attempts == 1
