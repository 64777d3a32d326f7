"""The web import's job, on the ``background`` task backend: a thread of the web process without Redis, the RQ
worker with it (docs/adr/0004-background-jobs.md). Its arguments are plain JSON, as Django's tasks require.

The job is safe to run again (RQ runs a job that raised again after ``JOB_RETRY_SECONDS``): a run that is no
longer running is left alone, and the import is all or nothing and matches records by their ref."""

from __future__ import annotations

from datetime import date

from django.tasks import task
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.common.dispatch import job_provide
from opencomplaints.interchange import export_files
from opencomplaints.interchange.archive_runs import ARCHIVE_IMPORT_RUN, archive_import_process
from opencomplaints.interchange.models import ImportRun
from opencomplaints.interchange.runs import RECORDS_IMPORT_RUN, import_run_process
from opencomplaints.jobs.pool import pool_connections_closed

__all__ = ["archive_import_run", "export_file_build", "export_files_expire", "records_import_run"]


@task(backend="background", queue_name="long")
def records_import_run(run_id: int, user_id: int | None, today: str) -> dict[str, int | str]:
    """Import the file of the confirmed run ``run_id`` for the user ``user_id``, as on the date ``today`` (ISO)."""
    with pool_connections_closed():
        run = ImportRun.objects.select_related("council").filter(pk=run_id).first()
        if run is None:
            return {"run": run_id, "status": "missing"}
        user = User.objects.filter(pk=user_id).first() if user_id is not None else None
        run = import_run_process(run=run, acting_user=user, today=date.fromisoformat(today))
        return {"run": run.pk, "status": run.status}


@task(backend="background", queue_name="long")
def archive_import_run(run_id: int, user_id: int | None) -> dict[str, int | str]:
    """Import the whole-history archive of the run ``run_id`` for the system administrator ``user_id``."""
    with pool_connections_closed():
        run = ImportRun.objects.filter(pk=run_id, kind=ImportRun.Kind.ARCHIVE).first()
        if run is None:
            return {"run": run_id, "status": "missing"}
        user = User.objects.filter(pk=user_id).first() if user_id is not None else None
        run = archive_import_process(run=run, acting_user=user)
        return {"run": run.pk, "status": run.status}


@task(backend="background", queue_name="long")
def export_file_build(export_file_id: int) -> dict[str, object]:
    """Make the export ``export_file_id`` (see ``export_files.export_file_build``)."""
    with pool_connections_closed():
        export_file = export_files.export_file_build(export_file_id=export_file_id)
    return {"export_file": export_file_id, "status": export_file.status if export_file else "missing"}


@task
def export_files_expire(on: str | None = None) -> dict[str, int]:
    """Delete the exports whose time is up (scheduled beside the report files' clean-up)."""
    return {"expired": export_files.export_files_expire(now=timezone.now())}


job_provide(RECORDS_IMPORT_RUN, records_import_run.enqueue)
job_provide(ARCHIVE_IMPORT_RUN, archive_import_run.enqueue)
job_provide(export_files.EXPORT_FILE_BUILD, export_file_build.enqueue)
