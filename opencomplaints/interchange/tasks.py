"""The web import's job, on the ``background`` task backend: a thread of the web process without Redis, the RQ
worker with it (docs/adr/0004-background-jobs.md). Its arguments are plain JSON, as Django's tasks require.

The job is safe to run again (RQ runs a job that raised again after ``JOB_RETRY_SECONDS``): a run that is no
longer running is left alone, and the import is all or nothing and matches records by their ref."""

from __future__ import annotations

from datetime import date

from django.tasks import task

from opencomplaints.accounts.models import User
from opencomplaints.common.dispatch import job_provide
from opencomplaints.interchange.models import ImportRun
from opencomplaints.interchange.runs import RECORDS_IMPORT_RUN, import_run_process
from opencomplaints.jobs.pool import pool_connections_closed

__all__ = ["records_import_run"]


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


job_provide(RECORDS_IMPORT_RUN, records_import_run.enqueue)
