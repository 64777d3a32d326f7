"""The web's whole-history archive import as a background job (issue 13): the page keeps the uploaded archive and
starts the job (:func:`archive_import_start`); the job imports it, all or nothing (:func:`archive_import_process`,
``archive.archive_import``); the page follows its progress and shows what it wrote, or why nothing was written.

An archive import is an ``ImportRun`` of kind ``archive``, so it is in the import history and a run whose process
died is failed as a records import's is (``runs.import_run_fail_stalled``: at once when its process is seen to be
gone, else after a silence)."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.common.dispatch import job_enqueue
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.interchange.archive import ArchiveError, archive_import
from opencomplaints.interchange.importer import file_digest
from opencomplaints.interchange.models import ImportRun
from opencomplaints.interchange.progress import WebProgress
from opencomplaints.interchange.runs import BROKE, FILE_LOST, NOT_QUEUED, _fail, _store, _this_process

__all__ = ["ARCHIVE_IMPORT_RUN", "archive_import_process", "archive_import_start"]

logger = logging.getLogger(__name__)

#: The job that imports an archive, provided by ``interchange.tasks`` (``common.dispatch``).
ARCHIVE_IMPORT_RUN = "interchange.archive_import_run"
ARCHIVE_EMPTY = "The selected archive is empty"
ARCHIVE_TOO_LARGE = (
    "The selected archive must be smaller than {limit}. Import it with the command opencomplaints import FILE.zip "
    "instead."
)
NOT_ADMINISTRATOR = "Only a system administrator can import a whole-history archive"


def archive_import_start(*, acting_user: User, data: bytes, file_name: str, max_bytes: int, now: datetime) -> ImportRun:
    """Keep the uploaded archive and start the job that imports it; the run is "Importing" until the job ends.
    The start is on the audit trail (1811); the import itself records its own event when it has written."""
    if not (acting_user.is_active and acting_user.is_superuser):
        raise DomainError(NOT_ADMINISTRATOR)
    if not data:
        raise DomainError(ARCHIVE_EMPTY, field="file")
    if len(data) > max_bytes:
        raise DomainError(ARCHIVE_TOO_LARGE.format(limit=f"{max_bytes / (1024 * 1024):.0f} MB"), field="file")
    with transaction.atomic():
        run = ImportRun.objects.create(
            started_by=acting_user,
            kind=ImportRun.Kind.ARCHIVE,
            source=ImportRun.Source.WEB,
            status=ImportRun.Status.RUNNING,
            file_name=file_name[:255],
            file_sha256=file_digest(data),
            file_size=len(data),
            file_format="zip",
            stored_file=_store(data, file_name),
            started_at=now,
        )
        audit_event_record(
            acting_user=acting_user,
            event_type=AuditEventType.ARCHIVE_IMPORT_STARTED,
            subject=run,
            summary=f"Whole-history archive import started (import {run.pk}, {len(data)} bytes)",
            after={"file_sha256": run.file_sha256, "size": len(data)},
        )
        WebProgress(run.pk)(0, 0)
        transaction.on_commit(lambda: _enqueue(run, acting_user))
    return run


def _enqueue(run: ImportRun, acting_user: User) -> None:
    try:
        job_enqueue(ARCHIVE_IMPORT_RUN, run.pk, acting_user.pk)
    except Exception:  # Redis down, or the pool shut down: say so now rather than leave the run "Importing"
        logger.exception("Archive import %s could not be queued", run.pk)
        _fail(run, NOT_QUEUED, timezone.now())


def archive_import_process(*, run: ImportRun, acting_user: User | None) -> ImportRun:
    """The job's work: import the run's archive, once. A run no longer running is left alone (a retry changes
    nothing). An archive that cannot be imported fails the run with the reason, and nothing is written (the import
    is one transaction); an unexpected error fails it too and is raised again for the task backend to record."""
    if run.status != ImportRun.Status.RUNNING:
        return run
    if not run.stored_file or not default_storage.exists(run.stored_file):
        _fail(run, FILE_LOST, timezone.now())
        run.refresh_from_db()
        return run
    run.worker = _this_process()
    ImportRun.objects.filter(pk=run.pk).update(worker=run.worker)
    progress = WebProgress(run.pk)
    progress(0, 0)
    with default_storage.open(run.stored_file, "rb") as handle:
        data: bytes = handle.read()
    try:
        outcome = archive_import(data=data, acting_user=acting_user, file_name=run.file_name, progress=progress)
    except ArchiveError as error:
        _finish(run, failure=error.message)
        return run
    except Exception:
        _fail(run, BROKE, timezone.now())
        raise
    council = Council.objects.filter(slug__in=outcome.councils).order_by("slug").first()
    _finish(run, council=council, created=outcome.total, outcome=asdict(outcome))
    return run


def _finish(
    run: ImportRun,
    *,
    failure: str = "",
    council: Council | None = None,
    created: int = 0,
    outcome: dict[str, object] | None = None,
) -> None:
    """Record the end of the run (if it is still running) and delete the kept archive: it holds personal data."""
    now = timezone.now()
    values: dict[str, object] = {"finished_at": now, "stored_file": "", "updated_at": now}
    if failure:
        # The reason, as the archive check wrote it; the full text is kept beside the short one the list shows.
        short = failure if len(failure) <= 300 else failure[:299] + "…"
        values |= {"status": ImportRun.Status.FAILED, "failure_reason": short, "outcome": {"error": failure}}
    else:
        values |= {"status": ImportRun.Status.COMPLETED, "council": council, "created": created}
        values |= {"rows": created, "outcome": outcome or {}}
    ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.RUNNING).update(**values)
    if run.stored_file:
        default_storage.delete(run.stored_file)
    run.refresh_from_db()
