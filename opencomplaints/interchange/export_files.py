"""Export files: the records file (CSV, XLSX, JSON Lines) or the whole-history archive (ZIP) of some councils, made
by a background job (the ``background`` task backend, docs/adr/0004-background-jobs.md) for a program that asked
through the API, so that no request waits for a large file.

The same shape as the report files (``reporting.services.files``): asking (:func:`export_file_request`) saves a
queued row and queues the job once committed; the job (:func:`export_file_build`) makes the file with the same
services as the export page (``exporter.records_export``, ``archive.archive_export``, each with its own audit
event); the person downloads it (:func:`export_file_open`, on the audit trail) for
``OPENCOMPLAINTS["REPORT_FILE_DAYS"]`` days, after which the daily job deletes it (:func:`export_files_expire`).
What the two kinds share (their states, storing, failing, opening and deleting a file) is ``common.job_files``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record, audit_read_record
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.common.errors import DomainError
from opencomplaints.common.job_files import JobFiles
from opencomplaints.councils.models import Council
from opencomplaints.interchange.archive import ARCHIVE_CONTENT_TYPE, archive_export
from opencomplaints.interchange.exporter import CONTENT_TYPES, FORMATS, records_export
from opencomplaints.interchange.models import ExportFile

__all__ = [
    "EXPORT_FILE_BUILD",
    "MAX_IN_PROGRESS",
    "STALLED_AFTER",
    "ExportNotReady",
    "export_file_build",
    "export_file_content_type",
    "export_file_fail_stalled",
    "export_file_open",
    "export_file_request",
    "export_files_expire",
]

logger = logging.getLogger(__name__)

FILES_DIRECTORY = "interchange/exports"
#: The job that makes an export file, provided by ``interchange.tasks`` (``common.dispatch``).
EXPORT_FILE_BUILD = "interchange.export_file_build"
ARCHIVE = "zip"
MAX_IN_PROGRESS = 3
#: An export still not made this long after it was asked for (or its job started) never will be.
STALLED_AFTER = timedelta(minutes=30)

UNKNOWN_FORMAT = "Choose the format: csv, xlsx, jsonl, or zip for the whole-history archive"
NO_COUNCIL = "Choose the council"
NOT_YOUR_COUNCIL = "You cannot export the records of {council}"
TOO_MANY = "You already have {count} exports being prepared. Wait for one of them to be ready before asking for another"
NOT_QUEUED = "The export could not be started because the job queue did not answer. Ask for it again in a few minutes"
BROKE = (
    "The export could not be made because of an unexpected error. Ask for it again, and if it fails again tell "
    "your system administrator"
)
ACCESS_LOST = "The export was not made because you can no longer export the records of {councils}"
STALLED = "The export was not finished: the server making it probably restarted. Ask for it again"
NOT_READY = "The export is not ready to download"
FILE_GONE = "The export is no longer available. Ask for it again"


class ExportNotReady(DomainError):
    """A download of an export still being made (or failed): the API answers 409."""

    code = "not_ready"


JOB_FILES = JobFiles(
    model=ExportFile,
    directory=FILES_DIRECTORY,
    stalled_after=STALLED_AFTER,
    logger=logger,
    label="Export file",
    not_queued=NOT_QUEUED,
    stalled=STALLED,
    not_ready=NOT_READY,
    gone=FILE_GONE,
    not_ready_error=ExportNotReady,
)


def _managed(user: User) -> set[int]:
    return set(councils_for_purpose(user=user, purpose=CouncilPurpose.INTERCHANGE).values_list("pk", flat=True))


def export_file_content_type(export_file: ExportFile) -> str:
    return ARCHIVE_CONTENT_TYPE if export_file.file_format == ARCHIVE else CONTENT_TYPES[export_file.file_format]


def export_file_request(
    *, acting_user: User, councils: Sequence[Council], file_format: str, now: datetime
) -> ExportFile:
    """Ask for the records file (``file_format`` csv, xlsx or jsonl) or the whole-history archive (zip) of
    ``councils``, for ``acting_user`` alone; the councils must be ones they manage (``CouncilPurpose.INTERCHANGE``,
    as the export page requires). The row is saved as queued and its job queued once the transaction commits;
    asking again for the same export while it is being made returns the first request. Audited (1810)."""
    if file_format not in (*FORMATS, ARCHIVE):
        raise DomainError(UNKNOWN_FORMAT, field="format")
    if not councils:
        raise DomainError(NO_COUNCIL, field="council")
    allowed = _managed(acting_user)
    for council in councils:
        if council.pk not in allowed:
            raise DomainError(NOT_YOUR_COUNCIL.format(council=council.name), field="council")
    council_ids = {council.pk for council in councils}
    with transaction.atomic():
        waiting = JOB_FILES.waiting_lock(requested_by=acting_user)
        for existing in waiting:
            if existing.file_format == file_format and {c.pk for c in existing.councils.all()} == council_ids:
                return existing
        if len(waiting) >= MAX_IN_PROGRESS:
            raise DomainError(TOO_MANY.format(count=len(waiting)))
        export_file = ExportFile.objects.create(
            requested_by=acting_user,
            file_format=file_format,
            expires_at=now + timedelta(days=settings.OPENCOMPLAINTS["REPORT_FILE_DAYS"]),
        )
        export_file.councils.set(councils)
        ordered = sorted(councils, key=lambda council: council.slug)
        what = "Whole-history archive" if file_format == ARCHIVE else f"Records file ({file_format.upper()})"
        audit_event_record(
            acting_user=acting_user,
            event_type=AuditEventType.EXPORT_FILE_REQUESTED,
            subject=export_file,
            summary=f"{what} asked for of {', '.join(c.name for c in ordered)}",
            after={"councils": [c.slug for c in ordered], "format": file_format},
        )
        transaction.on_commit(lambda: JOB_FILES.enqueue(EXPORT_FILE_BUILD, export_file.pk))
    return export_file


def export_file_build(*, export_file_id: int) -> ExportFile | None:
    """The background job's work: make the export, store it and mark it ready; ``None`` if the row is gone.

    Safe to run again: an export that is ready, failed or deleted is left as it is. If the person no longer
    manages one of its councils the file is not made. An unexpected error marks it failed and is raised again
    for the task backend to record."""
    export_file = JOB_FILES.claim(export_file_id)
    if export_file is None or export_file.status != ExportFile.Status.PREPARING:
        return export_file
    councils = list(export_file.councils.order_by("slug"))
    user = export_file.requested_by
    allowed = _managed(user) if user is not None else set()
    refused = [council.name for council in councils if council.pk not in allowed]
    if refused or not councils or user is None:
        JOB_FILES.fail(export_file.pk, ACCESS_LOST.format(councils=", ".join(refused) or "its council"), timezone.now())
        export_file.refresh_from_db()
        return export_file
    which = councils[0].slug if len(councils) == 1 else "all"
    day = timezone.localdate()
    try:
        if export_file.file_format == ARCHIVE:
            file_name = f"archive-{which}-{day:%Y-%m-%d}.zip"
            data, counts = archive_export(councils=councils, acting_user=user)
            rows = sum(counts.values())
        else:
            file_name = f"records-{which}-{day:%Y-%m-%d}.{export_file.file_format}"
            data, rows = records_export(
                councils=councils, fmt=export_file.file_format, acting_user=user, file_name=file_name
            )
    except Exception:
        logger.exception("Export file %s could not be made", export_file.pk)
        JOB_FILES.fail(export_file.pk, BROKE, timezone.now())
        raise
    JOB_FILES.store(export_file, data, file_name=file_name, rows=rows)
    export_file.refresh_from_db()
    return export_file


def export_file_fail_stalled(*, export_file: ExportFile, now: datetime) -> ExportFile:
    """Fail an export waiting or being made for longer than :data:`STALLED_AFTER`: the process making it stopped."""
    return JOB_FILES.fail_stalled(export_file, now)


def export_file_open(*, export_file: ExportFile, acting_user: User) -> IO[bytes]:
    """The contents of a ready export, to send to ``acting_user`` (see ``selectors.export_file_for_user``); the
    download is on the audit trail, as a download of case data."""
    handle = JOB_FILES.open(export_file)
    councils = list(export_file.councils.order_by("slug"))
    audit_read_record(
        acting_user=acting_user,
        event_type=AuditEventType.EXPORT_DOWNLOADED,
        subject=export_file,
        summary=f"Export downloaded ({export_file.file_name}) of {', '.join(c.name for c in councils)}",
        details={"councils": [c.slug for c in councils], "format": export_file.file_format, "size": export_file.size},
    )
    return handle


def export_files_expire(*, now: datetime) -> int:
    """The daily clean-up: fail exports that stalled, and delete every file whose time is up (its row is kept,
    marked deleted). Returns how many files were deleted."""
    _stalled, expired = JOB_FILES.expire(now)
    return expired
