"""Report files through the production worker against a real Redis on 127.0.0.1:6379: asking queues the job on RQ
with the row's id alone, the worker makes the file, and a job that raised is retried without making anything twice.

Skipped, saying why, when no Redis answers there, unless OPENCOMPLAINTS_REQUIRE_REDIS is set (as CI does), when
its absence is a failure. As in ``opencomplaints/jobs/tests/test_worker_redis.py``, the worker runs in the test's
own process (``--simple``) so it shares the test database. Each pytest-xdist worker uses the Redis database the
import's worker test uses (14, 13, …): a pytest-xdist worker runs one test at a time, and each empties the queue
before and after.
"""

import os
from datetime import date

import pytest
from asgiref.local import Local
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.tasks import task_backends
from django.utils import timezone

from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.models import ReportFile
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.services import files
from opencomplaints.reporting.tests.builder import CaseBuilder, S


def _database() -> int:
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
def long_queue(settings):
    """Settings as with REDIS_URL: both task backends on RQ, report files on the "long" queue as in production."""
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
    # Retried at once, so a burst worker sees the retry without waiting.
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"JOB_RETRY_SECONDS": [0, 0]}
    _reset_task_backends()
    queue = django_rq.get_queue("long")
    queue.empty()
    yield queue
    queue.empty()
    settings.TASKS = original
    _reset_task_backends()


def _work():
    call_command("worker", "--burst", "--simple", "--no-scheduler")


@pytest.fixture
def asked(council, complaints_manager):
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 4, 3), date(2023, 4, 14), "upheld"))
    b.flush()

    def ask() -> ReportFile:
        return files.report_file_request(
            acting_user=complaints_manager,
            councils=[council],
            period=reporting_year(2023),
            procedure="children_statutory",
            basis=Basis.RECEIVED,
            file_format="docx",
            now=timezone.now(),
        )

    return ask


def test_a_file_asked_for_is_queued_on_redis_and_made_by_the_worker(long_queue, asked):
    report_file = asked()
    # The request returns at once: the job waits in Redis for the worker, with the row's id alone.
    assert report_file.status == ReportFile.Status.QUEUED
    (job,) = long_queue.get_jobs()
    assert job.meta["backend_name"] == "background"
    assert list(job.args) == [report_file.pk]
    _work()
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.READY
    with default_storage.open(report_file.stored_file, "rb") as handle:
        assert handle.read(2) == b"PK"
    assert long_queue.count == 0


def test_a_job_that_raised_is_retried_and_makes_nothing(long_queue, asked, monkeypatch):
    runs, renders = [], []
    original = files.report_file_build

    def build(**kwargs):
        runs.append(ReportFile.objects.get(pk=kwargs["report_file_id"]).status)
        return original(**kwargs)

    def broken(report, fmt):
        renders.append(fmt)
        raise RuntimeError("out of memory")

    monkeypatch.setattr(files, "report_file_build", build)  # what the job calls
    monkeypatch.setattr(files, "render", broken)
    report_file = asked()
    _work()
    # The first attempt failed the file; RQ ran the job again, which found it failed and left it.
    assert runs == ["queued", "failed"]
    assert renders == ["docx"]
    report_file.refresh_from_db()
    assert (report_file.status, report_file.error_message) == (ReportFile.Status.FAILED, files.BROKE)
