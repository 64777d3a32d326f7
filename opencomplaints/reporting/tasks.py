"""The report file jobs: making a file a person asked for (on the ``background`` backend: a thread of the web process
without Redis, the worker with it) and the daily clean-up (scheduled in ``jobs.scheduler``). Each reads the clock
here, at the edge, and is safe to run again."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from opencomplaints.common.dispatch import job_provide
from opencomplaints.jobs.pool import pool_connections_closed
from opencomplaints.reporting.services import files

__all__ = ["report_file_build", "report_files_expire"]


@task(backend="background", queue_name="long")
def report_file_build(report_file_id: int) -> dict[str, object]:
    """Make the report file ``report_file_id`` (see ``services.files.report_file_build``)."""
    with pool_connections_closed():
        report_file = files.report_file_build(report_file_id=report_file_id)
    return {"report_file": report_file_id, "status": report_file.status if report_file else "missing"}


@task
def report_files_expire(on: str | None = None) -> dict[str, int]:
    """Delete the report files whose time is up. The scheduler passes the London date of its slot as ``on``; files
    are compared with the time now, which is never earlier, so a file is never deleted before its expiry."""
    summary = files.report_files_expire(now=timezone.now())
    return {"expired": summary.expired, "stalled": summary.stalled, "orphans": summary.orphans}


job_provide(files.REPORT_FILE_BUILD, report_file_build.enqueue)
