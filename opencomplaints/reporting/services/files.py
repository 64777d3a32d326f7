"""Report files: the annual report as a DOCX, PDF, XLSX or JSON file, made by a background job (the ``background``
task backend, docs/adr/0004-background-jobs.md) so that the report page never waits for a large document.

A person asks for a file (:func:`report_file_request`); the job makes it (:func:`report_file_build`) from the same
selectors, builder and renderers as the page; the person downloads it (:func:`report_file_open`) for
``OPENCOMPLAINTS["REPORT_FILE_DAYS"]`` days, after which the daily job deletes it (:func:`report_files_expire`).
Asking and downloading are on the audit trail. What a report file shares with an export file (its states, storing,
failing, opening and deleting it) is ``common.job_files``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_read_record
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.common.errors import DomainError
from opencomplaints.common.job_files import JobFiles
from opencomplaints.councils.models import Council
from opencomplaints.reporting.assembly import annual_report
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.models import ReportFile
from opencomplaints.reporting.periods import Period
from opencomplaints.reporting.renderers import render
from opencomplaints.reporting.renderers.common import report_filename

__all__ = [
    "MAX_IN_PROGRESS",
    "REPORT_FILE_BUILD",
    "STALLED_AFTER",
    "ExpirySummary",
    "report_file_build",
    "report_file_fail_stalled",
    "report_file_open",
    "report_file_request",
    "report_files_expire",
]

logger = logging.getLogger(__name__)

#: Where the files are kept in the default storage.
FILES_DIRECTORY = "reporting/files"
#: The job that makes a file, provided by ``reporting.tasks`` (``common.dispatch``).
REPORT_FILE_BUILD = "reporting.report_file_build"
#: Files one person may have waiting or being made at once: each is a job on a small pool.
MAX_IN_PROGRESS = 5
#: A file still not made this long after it was asked for (or its job started) never will be: the process making
#: it stopped (the web process restarted while the job ran on one of its threads, or the worker was killed).
STALLED_AFTER = timedelta(minutes=30)

UNKNOWN_FORMAT = "Choose the format of the file: DOCX, PDF, XLSX or JSON"
NO_COUNCIL = "Choose the council"
NOT_YOUR_COUNCIL = "You cannot see reports for {council}"
TOO_MANY = (
    "You already have {count} report files being prepared. Wait for one of them to be ready before asking for another"
)
NOT_QUEUED = "The file could not be started because the job queue did not answer. Ask for it again in a few minutes"
BROKE = (
    "The file could not be made because of an unexpected error. Ask for it again, and if it fails again tell your "
    "system administrator"
)
ACCESS_LOST = "The file was not made because you can no longer see reports for {councils}"
STALLED = "The file was not finished: the server making it probably restarted. Ask for it again"
NOT_READY = "The file is not ready to download"
FILE_GONE = "The file is no longer available. Ask for it again from the report page"

JOB_FILES = JobFiles(
    model=ReportFile,
    directory=FILES_DIRECTORY,
    stalled_after=STALLED_AFTER,
    logger=logger,
    label="Report file",
    not_queued=NOT_QUEUED,
    stalled=STALLED,
    not_ready=NOT_READY,
    gone=FILE_GONE,
)


def report_file_request(
    *,
    acting_user: User,
    councils: Sequence[Council],
    period: Period,
    procedure: str,
    basis: Basis | str,
    file_format: str,
    query: str = "",
    now: datetime,
) -> ReportFile:
    """Ask for the report on ``councils`` over ``period`` as a file in ``file_format``, for ``acting_user`` alone.

    The row is saved as queued and the job that makes the file is queued once the transaction commits. Asking again
    for the same file while it is still being made (a second press of the button) returns the first request. The
    request is recorded on the audit trail as a report generated."""
    if file_format not in ReportFile.FileFormat.values:
        raise DomainError(UNKNOWN_FORMAT, field="format")
    if not councils:
        raise DomainError(NO_COUNCIL, field="council")
    allowed = set(councils_for_purpose(user=acting_user, purpose=CouncilPurpose.REPORTS).values_list("pk", flat=True))
    for council in councils:
        if council.pk not in allowed:
            raise DomainError(NOT_YOUR_COUNCIL.format(council=council.name), field="council")
    basis = Basis(basis)
    council_ids = {council.pk for council in councils}
    with transaction.atomic():
        waiting = JOB_FILES.waiting_lock(requested_by=acting_user)
        for existing in waiting:
            same = (
                existing.file_format == file_format
                and (existing.period_start, existing.period_end, existing.period_label)
                == (period.start, period.end, period.label)
                and (existing.procedure, existing.basis) == (procedure, basis.value)
                and {council.pk for council in existing.councils.all()} == council_ids
            )
            if same:
                return existing
        if len(waiting) >= MAX_IN_PROGRESS:
            raise DomainError(TOO_MANY.format(count=len(waiting)))
        report_file = ReportFile.objects.create(
            requested_by=acting_user,
            period_start=period.start,
            period_end=period.end,
            period_label=period.label,
            procedure=procedure,
            basis=basis.value,
            query=query[:1000],
            generated_on=timezone.localdate(now),
            file_format=file_format,
            expires_at=now + timedelta(days=settings.OPENCOMPLAINTS["REPORT_FILE_DAYS"]),
        )
        report_file.councils.set(councils)
        names = ", ".join(council.name for council in sorted(councils, key=lambda council: council.name))
        audit_read_record(
            acting_user=acting_user,
            event_type=AuditEventType.REPORT_GENERATED,
            subject=councils[0] if len(councils) == 1 else None,
            summary=f"Report file asked for ({file_format}) for {names}",
            details={
                "councils": sorted(council.slug for council in councils),
                "format": file_format,
                "query": report_file.query,
                "report_file": report_file.pk,
            },
        )
        # After the commit: the job must find the row, and nothing is queued if it was not saved.
        transaction.on_commit(lambda: JOB_FILES.enqueue(REPORT_FILE_BUILD, report_file.pk))
    return report_file


def report_file_build(*, report_file_id: int) -> ReportFile | None:
    """The background job's work: make the file, store it and mark it ready. ``None`` if the row is gone.

    Safe to run again (RQ runs a job that raised again): a file that is ready, failed or deleted is left as it is,
    so a file is never made twice and a failure stays recorded for the person to see (they can ask again). If
    the person can no longer see reports for one of the councils, the file is not made. An unexpected error marks
    the file failed and is raised again for the task backend to record."""
    report_file = _claim(report_file_id)
    if report_file is None or report_file.status != ReportFile.Status.PREPARING:
        return report_file
    councils = list(report_file.councils.order_by("name"))
    refused = _councils_refused(report_file, councils)
    if refused or not councils:
        JOB_FILES.fail(report_file.pk, ACCESS_LOST.format(councils=", ".join(refused) or "its council"), timezone.now())
        report_file.refresh_from_db()
        return report_file
    try:
        report = annual_report(
            councils=councils,
            period=report_file.period,
            procedure=report_file.procedure,
            generated_on=report_file.generated_on,
            basis=Basis(report_file.basis),
        )
        data = render(report, report_file.file_format)
        file_name = report_filename(report, report_file.file_format)
    except Exception:
        logger.exception("Report file %s could not be made", report_file.pk)
        JOB_FILES.fail(report_file.pk, BROKE, timezone.now())
        raise
    JOB_FILES.store(report_file, data, file_name=file_name)
    report_file.refresh_from_db()
    return report_file


def _claim(report_file_id: int) -> ReportFile | None:
    return JOB_FILES.claim(report_file_id)


def _councils_refused(report_file: ReportFile, councils: Sequence[Council]) -> list[str]:
    if report_file.requested_by is None:
        return [council.name for council in councils]
    allowed = set(
        councils_for_purpose(user=report_file.requested_by, purpose=CouncilPurpose.REPORTS).values_list("pk", flat=True)
    )
    return [council.name for council in councils if council.pk not in allowed]


def report_file_fail_stalled(*, report_file: ReportFile, now: datetime) -> ReportFile:
    """Fail a file that has been waiting or being made for longer than :data:`STALLED_AFTER`: the process making
    it stopped, so it will never be ready. The person sees why and can ask again. Any other file is returned as
    it is."""
    return JOB_FILES.fail_stalled(report_file, now)


def report_file_open(*, report_file: ReportFile, acting_user: User) -> IO[bytes]:
    """The contents of a ready file, to send to ``acting_user`` (who asked for it and may still see it: see
    ``selectors.report_file_for_user``). The download is recorded on the audit trail."""
    handle = JOB_FILES.open(report_file)
    councils = list(report_file.councils.order_by("name"))
    audit_read_record(
        acting_user=acting_user,
        event_type=AuditEventType.REPORT_FILE_DOWNLOADED,
        subject=report_file,
        summary=f"Report file downloaded ({report_file.file_format}) for {', '.join(c.name for c in councils)}",
        details={
            "councils": [council.slug for council in councils],
            "format": report_file.file_format,
            "file_name": report_file.file_name,
            "size": report_file.size,
        },
    )
    return handle


@dataclass(frozen=True)
class ExpirySummary:
    expired: int
    stalled: int
    orphans: int


def report_files_expire(*, now: datetime) -> ExpirySummary:
    """The daily clean-up: delete every file whose time is up and mark its row deleted; fail files that stalled;
    and delete stored files no row names (left by a process that stopped between storing a file and saving its
    row). Rows are kept, so the person's list says the file was deleted."""
    stalled, expired = JOB_FILES.expire(now)
    return ExpirySummary(expired=expired, stalled=stalled, orphans=_orphans_delete(now))


def _orphans_delete(now: datetime) -> int:
    try:
        _directories, names = default_storage.listdir(FILES_DIRECTORY)
    except FileNotFoundError:  # no file has been made yet
        return 0
    known = set(ReportFile.objects.exclude(stored_file="").values_list("stored_file", flat=True))
    deleted = 0
    for name in names:
        path = f"{FILES_DIRECTORY}/{name}"
        # A file stored this moment by a job still running has no row naming it yet.
        if path not in known and default_storage.get_modified_time(path) < now - STALLED_AFTER:
            default_storage.delete(path)
            deleted += 1
    return deleted
