"""The web import through the production worker against a real Redis on 127.0.0.1:6379: confirming queues the job
on RQ, the worker imports the file, its progress figures reach the web through the Redis cache, and a job that
raised is retried without doing anything twice.

The Redis, the settings and the worker are set up as for every worker test (``opencomplaints/jobs/tests/redis.py``);
the cache keys carry a prefix of their own, deleted after.
"""

import uuid

import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case
from opencomplaints.interchange import runs
from opencomplaints.interchange.progress import web_progress
from opencomplaints.interchange.runs import import_run_confirm, import_run_create
from opencomplaints.interchange.tests.conftest import HAND_BUILT, TODAY
from opencomplaints.jobs.tests.redis import production_backends, redis_url_for_this_worker, work

REDIS_URL = redis_url_for_this_worker()

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


@pytest.fixture
def redis_queue(settings):
    """Settings as with REDIS_URL: both task backends on RQ (imports on the "long" queue, as in production), and
    the cache on Redis."""
    import django_rq

    with production_backends(settings, REDIS_URL):
        prefix = f"test-{uuid.uuid4().hex[:8]}"
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": prefix,
            }
        }
        queue = django_rq.get_queue("long")
        yield queue
        for key in queue.connection.scan_iter(f"{prefix}:*"):
            queue.connection.delete(key)


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
    work()
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
    work()
    # The first attempt failed the run; RQ ran the job again, which found the run over and left it.
    assert jobs == ["running", "failed"]
    assert len(imports) == 1
    ready_run.refresh_from_db()
    assert (ready_run.status, ready_run.failure_reason, ready_run.stored_file) == ("failed", runs.BROKE, "")
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.IMPORT_COMPLETED).exists()
