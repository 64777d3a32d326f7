"""Files a background job makes for one person to download for a while: the report files
(``reporting.services.files``) and the export files (``interchange.export_files``).

Both kinds go through the same states (queued, preparing, ready, failed, deleted) in the same way, written here once:
claiming the row for the job, storing the file and marking it ready, failing it, opening it and deleting it when its
time is up. Who may ask, what the file holds and what goes on the audit trail are each kind's own, in its module.
Files live in the default storage, which the web server never serves."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any, ClassVar, Protocol

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from opencomplaints.common.dispatch import job_enqueue
from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.common.models import JobFileStatus

__all__ = ["IN_PROGRESS", "JobFile", "JobFiles"]

#: A file waiting for its job or being made by it.
IN_PROGRESS = (JobFileStatus.QUEUED, JobFileStatus.PREPARING)


class JobFile(Protocol):
    """The fields a file's row has, whatever the file holds (``ReportFile``, ``ExportFile``)."""

    objects: ClassVar[models.Manager[Any]]
    pk: Any
    status: str
    stored_file: str
    file_format: str
    updated_at: datetime

    @property
    def in_progress(self) -> bool: ...

    def save(self, *, update_fields: list[str]) -> None: ...

    def refresh_from_db(self) -> None: ...


@dataclass(frozen=True)
class JobFiles[F: JobFile]:
    """One kind of file: its model (its ``status`` a :class:`JobFileStatus`), where its files are kept, and what the
    person is told when it goes wrong."""

    model: type[F]
    #: Where the files are kept in the default storage.
    directory: str
    #: A file still not made this long after it was asked for (or its job started) never will be.
    stalled_after: timedelta
    #: The module's logger, so that the log says which kind of file it was.
    logger: logging.Logger
    #: "Report file", "Export file": how the log names one.
    label: str
    not_queued: str
    stalled: str
    not_ready: str
    gone: str
    not_ready_error: type[DomainError] = DomainError

    def _rows(self) -> models.Manager[Any]:
        # A method, not a property: django-stubs reads a property returning a manager as the manager's descriptor.
        return self.model.objects

    def waiting_lock(self, *, requested_by: object) -> list[F]:
        """The person's files waiting or being made, locked (with their councils) so that two requests at once
        cannot both pass the limit on how many they may have."""
        return list(
            self._rows()
            .select_for_update()
            .filter(requested_by=requested_by, status__in=IN_PROGRESS)
            .prefetch_related("councils")
        )

    def enqueue(self, job: str, pk: int) -> None:
        """Queue ``job`` for the file ``pk`` (after the commit: the job must find the row)."""
        try:
            job_enqueue(job, pk)
        except Exception:  # Redis down, or the pool shut down: say so now rather than leave the file "Preparing"
            self.logger.exception("%s %s could not be queued", self.label, pk)
            self.fail(pk, self.not_queued, timezone.now())

    def claim(self, pk: int) -> F | None:
        """The file's row, marked preparing if it was waiting or being made; ``None`` if the row is gone."""
        with transaction.atomic():
            job_file: F | None = self._rows().select_for_update().filter(pk=pk).first()
            if job_file is not None and job_file.in_progress:
                job_file.status = JobFileStatus.PREPARING
                job_file.save(update_fields=["status", "updated_at"])
        return job_file

    def store(self, job_file: F, data: bytes, **fields: object) -> None:
        """Store ``data`` and mark the file ready with ``fields`` (its name, rows...). If another run of the job
        finished first, or the file was given up meanwhile, what was stored is deleted again."""
        stored = default_storage.save(f"{self.directory}/{uuid.uuid4().hex}.{job_file.file_format}", ContentFile(data))
        now = timezone.now()
        try:
            finished = (
                self._rows()
                .filter(pk=job_file.pk, status=JobFileStatus.PREPARING)
                .update(
                    status=JobFileStatus.READY,
                    stored_file=stored,
                    size=len(data),
                    finished_at=now,
                    updated_at=now,
                    **fields,
                )
            )
        except Exception:
            default_storage.delete(stored)
            raise
        if not finished:
            default_storage.delete(stored)

    def fail(self, pk: int, message: str, now: datetime) -> bool:
        """Mark the file failed with ``message`` if it is still waiting or being made; ``False`` if it was not."""
        changed = (
            self._rows()
            .filter(pk=pk, status__in=IN_PROGRESS)
            .update(
                status=JobFileStatus.FAILED,
                error_message=message,
                finished_at=now,
                updated_at=now,
            )
        )
        return bool(changed)

    def fail_stalled(self, job_file: F, now: datetime) -> F:
        """Fail a file waiting or being made for longer than ``stalled_after``: the process making it stopped, so
        it will never be ready. Any other file is returned as it is."""
        if job_file.in_progress and now - job_file.updated_at > self.stalled_after:
            if self.fail(job_file.pk, self.stalled, now):
                self.logger.warning("%s %s was not finished and was marked failed", self.label, job_file.pk)
            job_file.refresh_from_db()
        return job_file

    def open(self, job_file: F) -> IO[bytes]:
        """The stored contents of a ready file."""
        if job_file.status != JobFileStatus.READY:
            raise self.not_ready_error(self.not_ready)
        try:
            handle: IO[bytes] = default_storage.open(job_file.stored_file, "rb")
        except FileNotFoundError as error:
            raise NotFoundError(self.gone) from error
        return handle

    def expire(self, now: datetime) -> tuple[int, int]:
        """Fail the files that stalled, and delete every file whose time is up (its row is kept, marked deleted, so
        the person's list says so). Returns how many stalled and how many were deleted."""
        stalled = (
            self._rows()
            .filter(status__in=IN_PROGRESS, updated_at__lt=now - self.stalled_after)
            .update(status=JobFileStatus.FAILED, error_message=self.stalled, finished_at=now, updated_at=now)
        )
        expired = 0
        due = self._rows().filter(expires_at__lte=now).exclude(status=JobFileStatus.EXPIRED)
        for pk, stored in due.values_list("pk", "stored_file"):
            # The file goes first: if marking the row fails, the next run finds it again, and nothing is left behind.
            if stored:
                default_storage.delete(stored)
            expired += self._rows().filter(pk=pk).update(status=JobFileStatus.EXPIRED, stored_file="", updated_at=now)
        return stalled, expired
