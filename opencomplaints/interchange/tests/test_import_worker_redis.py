"""The web import through the production worker against a real Redis on 127.0.0.1:6379: confirming queues the job
on RQ, the worker imports the file, its progress figures reach the web through the Redis cache, and a job that
raised is retried without doing anything twice.

Skipped, saying why, when no Redis answers there, unless OPENCOMPLAINTS_REQUIRE_REDIS is set (as CI does), when
its absence is a failure. As in ``opencomplaints/jobs/tests/test_worker_redis.py``, the worker runs in the test's
own process (``--simple``) so it shares the test database. Each pytest-xdist worker uses a Redis database of its own
(14, 13, …), whose queue is emptied before and after; the cache keys carry a prefix of their own, deleted after.
"""

import os
import uuid

import pytest
from asgiref.local import Local
from django.core.management import call_command
from django.tasks import task_backends
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case
from opencomplaints.interchange import runs
from opencomplaints.interchange.progress import web_progress
from opencomplaints.interchange.runs import import_run_confirm, import_run_create
from opencomplaints.interchange.tests.conftest import HAND_BUILT, TODAY


def _database() -> int:
    # The job goes to the queue its task names ("long", as in production), so each pytest-xdist worker has a
    # Redis database of its own, below the one the jobs tests use, and no worker takes another's jobs.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return 14 - int(worker or 0) % 14


REDIS_URL = f"redis://127.0.0.1:6379/{_database()}"

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


def _reset_task_backends():
    # Django does not reload the task backends when TASKS changes in a test.
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None  # type: ignore[attr-defined]
    task_backends._connections = Local(task_backends.thread_critical)  # type: ignore[attr-defined]


@pytest.fixture
def redis_queue(settings):
    """Settings as with REDIS_URL: both task backends on RQ (imports on the "long" queue, as in production), and
    the cache on Redis."""
    _redis_or_skip()
    import django_rq

    queue_settings = {
        "URL": REDIS_URL,
        "DEFAULT_TIMEOUT": 60,
        "QUEUE_CLASS": "opencomplaints.jobs.queues.RetryingQueue",
    }
    settings.RQ_QUEUES = {"default": queue_settings, "long": queue_settings}
    original = settings.TASKS
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
        "background": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["long"]},
    }
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    # Retried at once, so a burst worker sees the retry without waiting.
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"JOB_RETRY_SECONDS": [0, 0]}
    _reset_task_backends()
    queue = django_rq.get_queue("long")
    queue.empty()
    yield queue
    queue.empty()
    for key in queue.connection.scan_iter(f"{prefix}:*"):
        queue.connection.delete(key)
    settings.TASKS = original
    _reset_task_backends()


def _work():
    call_command("worker", "--burst", "--simple", "--no-scheduler")


@pytest.fixture
def ready_run(structured_council, complaints_manager):
    return import_run_create(
        council=structured_council,
        acting_user=complaints_manager,
        filename="records.csv",
        data=HAND_BUILT.encode(),
        today=TODAY,
    )


def test_a_confirmed_import_is_queued_on_redis_and_run_by_the_worker(
    redis_queue, ready_run, complaints_manager, client
):
    started = import_run_confirm(run=ready_run, acting_user=complaints_manager, today=TODAY)
    # The request returns at once: the job waits in Redis for the worker.
    assert started.status == "running"
    assert redis_queue.count == 1
    (job,) = redis_queue.get_jobs()
    assert job.meta["backend_name"] == "background"
    assert list(job.args) == [ready_run.pk, complaints_manager.pk, TODAY.isoformat()]
    assert not Case.objects.exists()
    client.force_login(complaints_manager)
    status = client.get(reverse("interchange:import-status", args=[ready_run.pk])).json()
    assert (status["status"], status["done"], status["total"]) == ("running", 0, 8)
    _work()
    ready_run.refresh_from_db()
    assert (ready_run.status, ready_run.created, ready_run.stored_file) == ("completed", 8, "")
    assert Case.objects.count() == 6
    # The worker's figures are in Redis, where any web process reads them.
    assert web_progress(ready_run.pk) == (8, 8)
    assert any(b":interchange:import:" in key for key in redis_queue.connection.keys("test-*"))
    assert redis_queue.count == 0


def test_a_job_that_raised_is_retried_and_does_nothing_more(redis_queue, ready_run, complaints_manager, monkeypatch):
    from opencomplaints.interchange import tasks

    jobs, imports = [], []

    def process(**kwargs):
        jobs.append(kwargs["run"].status)
        return runs.import_run_process(**kwargs)

    def broken(**kwargs):
        imports.append(1)
        raise RuntimeError("The database went away")

    monkeypatch.setattr(tasks, "import_run_process", process)
    monkeypatch.setattr(runs, "records_import", broken)
    import_run_confirm(run=ready_run, acting_user=complaints_manager, today=TODAY)
    _work()
    # The first attempt failed the run; RQ ran the job again, which found the run over and left it.
    assert jobs == ["running", "failed"]
    assert len(imports) == 1
    ready_run.refresh_from_db()
    assert (ready_run.status, ready_run.failure_reason, ready_run.stored_file) == ("failed", runs.BROKE, "")
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.IMPORT_COMPLETED).exists()
