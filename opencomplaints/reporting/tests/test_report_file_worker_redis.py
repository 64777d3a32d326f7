"""Report files through the production worker against a real Redis on 127.0.0.1:6379: asking queues the job on RQ
with the row's id alone, the worker makes the file, and a job that raised is retried without making anything twice.

The Redis, the settings and the worker are set up as for every worker test (``opencomplaints/jobs/tests/redis.py``).
"""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from opencomplaints.jobs.tests.redis import production_backends, redis_url_for_this_worker, work
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.models import ReportFile
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.services import files
from opencomplaints.reporting.tests.builder import CaseBuilder, S

REDIS_URL = redis_url_for_this_worker()

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


@pytest.fixture
def long_queue(settings):
    """Settings as with REDIS_URL: both task backends on RQ, report files on the "long" queue as in production."""
    import django_rq

    with production_backends(settings, REDIS_URL):
        yield django_rq.get_queue("long")


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
    work()
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
    work()
    # The first attempt failed the file; RQ ran the job again, which found it failed and left it.
    assert runs == ["queued", "failed"]
    assert renders == ["docx"]
    report_file.refresh_from_db()
    assert (report_file.status, report_file.error_message) == (ReportFile.Status.FAILED, files.BROKE)
