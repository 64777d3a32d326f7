"""A job whose worker died in the middle of it (killed, or its machine lost) is run again by a worker that is still
running, within about ``JOB_ABANDONED_CHECK_SECONDS`` of the dead worker's last heartbeat lapsing, not RQ's default
of up to a quarter of an hour. ``scripts/production-smoke`` checks the same with real processes and SIGKILL.

Against the real Redis on 127.0.0.1:6379 (database 15), skipped without it unless OPENCOMPLAINTS_REQUIRE_REDIS."""

import time
import uuid

import pytest
from rq import Worker
from rq.job import JobStatus
from rq.registry import StartedJobRegistry

from opencomplaints.jobs.management.commands.worker import Command
from opencomplaints.jobs.tests import tasks as test_tasks
from opencomplaints.jobs.tests.redis import redis_or_skip, reset_task_backends

REDIS_URL = "redis://127.0.0.1:6379/15"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


@pytest.fixture
def queue_name(settings):
    redis_or_skip(REDIS_URL)
    import django_rq

    name = f"test-abandoned-{uuid.uuid4().hex[:8]}"
    settings.RQ_QUEUES = {
        name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600, "QUEUE_CLASS": "opencomplaints.jobs.queues.RetryingQueue"}
    }
    original = settings.TASKS
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    # Retried at once, and looked for every second, so the test takes seconds rather than minutes.
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"JOB_RETRY_SECONDS": [0, 0], "JOB_ABANDONED_CHECK_SECONDS": 1}
    test_tasks.ATTEMPTS.clear()
    reset_task_backends()
    django_rq.get_queue(name).empty()
    yield name
    django_rq.get_queue(name).empty()
    settings.TASKS = original
    reset_task_backends()


def _started_by_a_worker_that_dies(queue, *, heartbeat_lapses_in: int) -> str:
    """Dequeue the job as a worker does and start it, then stop: its heartbeat lapses in ``heartbeat_lapses_in``
    seconds and nothing renews it, as when the worker and its work horse are killed."""
    doomed = Worker([queue], connection=queue.connection, name=f"doomed-{uuid.uuid4().hex[:8]}")
    job, _queue = queue.dequeue_any([queue], None, connection=queue.connection)
    execution = doomed.prepare_execution(job)
    doomed.prepare_job_execution(job)
    with queue.connection.pipeline() as pipeline:
        StartedJobRegistry(queue=queue).add_execution(execution, pipeline, ttl=heartbeat_lapses_in, xx=True)
        pipeline.execute()
    assert job.get_status(refresh=True) == JobStatus.STARTED
    return str(job.id)


def test_a_job_whose_worker_died_is_run_again_by_a_running_worker(queue_name):
    test_tasks.counts.using(queue_name=queue_name).enqueue("abandoned")
    worker = Command()._worker([queue_name], simple=True)
    queue = worker.queues[0]
    # The heartbeat lapses after the worker below has started (and made its first check), so only a later check
    # can find the job: the one every JOB_ABANDONED_CHECK_SECONDS.
    job_id = _started_by_a_worker_that_dies(queue, heartbeat_lapses_in=2)
    assert test_tasks.ATTEMPTS == {}

    started = time.monotonic()
    worker.work(burst=False, max_idle_time=6, with_scheduler=False)

    assert test_tasks.ATTEMPTS == {"abandoned": 1}
    job = queue.fetch_job(job_id)
    assert job is not None
    assert job.get_status(refresh=True) == JobStatus.FINISHED
    assert job.retries_left == 1  # one of its two retries used
    assert time.monotonic() - started < 15


def test_workers_look_for_abandoned_jobs_as_often_as_the_setting_says(settings, queue_name):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"JOB_ABANDONED_CHECK_SECONDS": 30}
    worker = Command()._worker([queue_name], simple=False)
    assert worker.maintenance_interval == 30
    # RQ waits for a job for worker_ttl - 15 seconds between checks.
    assert worker.dequeue_timeout == 30
