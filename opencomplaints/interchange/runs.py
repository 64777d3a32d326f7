"""The web import's steps, each a service the views call once: upload and check a file, confirm what its labels
mean, run the import, and list every problem. The uploaded file is kept in the default storage between steps and
deleted once the import has run (it holds personal data).

Confirming queues a job on the ``background`` task backend (``interchange.tasks``): a thread of the web process
without Redis, ``opencomplaints worker`` with it. A run whose process died mid-import is failed when next looked at
(:func:`import_run_fail_stalled`), so it never shows "Importing" for ever."""

from __future__ import annotations

import csv
import io
import logging
import os
import socket
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.common.dispatch import job_enqueue
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.interchange.importer import (
    STORED_ERRORS,
    Checked,
    file_digest,
    max_import_bytes,
    records_check,
    records_import,
)
from opencomplaints.interchange.models import ImportRun
from opencomplaints.interchange.parse import RowError, label_key
from opencomplaints.interchange.progress import WebProgress, web_progress_written_at
from opencomplaints.interchange.services import import_mapping_save
from opencomplaints.interchange.validate import CREATABLE_COLUMNS

__all__ = [
    "STALLED_AFTER",
    "import_run_confirm",
    "import_run_create",
    "import_run_errors_csv",
    "import_run_execute",
    "import_run_fail_stalled",
    "import_run_mappings_save",
    "import_run_process",
]

logger = logging.getLogger(__name__)

FILE_TOO_LARGE = (
    "The selected file must be smaller than {limit}. Split the records into several files, each with the header row."
)
FILE_EMPTY = "The selected file is empty"
FILE_GONE = "The uploaded file is no longer available. Upload it again."
#: The job that imports a confirmed run's file, provided by ``interchange.tasks`` (``common.dispatch``).
RECORDS_IMPORT_RUN = "interchange.records_import_run"

NOT_READY = "This import cannot run: {status}."
CREATE = "__create__"
# Why a run failed when its file was not at fault (``ImportRun.failure_reason``).
STALLED = (
    "The import stopped: nothing was heard from it for {minutes} minutes, so the server running it probably restarted"
)
BROKE = "The import stopped because of an unexpected error"
DIED = "The import stopped: the server process running it is no longer running (it probably restarted)"
NOT_QUEUED = "The import could not be started because the job queue did not answer"
FILE_LOST = "The uploaded file was no longer there when the import started"
COUNCIL_EXISTS = "A council has been set up since this import was checked. Upload the file again to import into it"

# A running import writes its progress after every chunk of records; before the first chunk it checks the whole
# file and plans every deadline, which takes about a minute for the largest file allowed (benchmarks/bench_import.py:
# 100,000 rows in 35 seconds all told). Ten minutes without a word is far beyond that, so the process must have died.
STALLED_AFTER = timedelta(minutes=10)
#: An archive import writes its figures after each part of the archive; one part (every document, say) can take
#: far longer than a chunk of records, so the silence that means its process died is longer.
ARCHIVE_STALLED_AFTER = timedelta(minutes=60)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def _store(data: bytes, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "dat"
    return default_storage.save(f"interchange/imports/{uuid.uuid4().hex}.{suffix[:8]}", ContentFile(data))


def _read(run: ImportRun) -> bytes:
    if not run.stored_file or not default_storage.exists(run.stored_file):
        raise DomainError(FILE_GONE, field="file")
    with default_storage.open(run.stored_file, "rb") as handle:
        data: bytes = handle.read()
    return data


def _check(run: ImportRun, data: bytes, today: date, *, create_missing: bool = False) -> Checked:
    if run.council is None:
        # Into an installation with no council yet: the import creates it (interchange §1).
        return records_check(
            data=data,
            filename=run.file_name,
            today=today,
            new_council_name=run.new_council_name,
            creating=[(column, name) for column, name in run.to_create],
            create_missing=create_missing,
        )
    return records_check(
        data=data,
        filename=run.file_name,
        today=today,
        councils=[run.council],
        default_council=run.council,
        creating=[(column, name) for column, name in run.to_create],
    )


def _apply_check(run: ImportRun, checked: Checked) -> None:
    validation = checked.validation
    run.rows = validation.rows
    run.file_format = checked.file_format
    run.error_count = len(validation.errors)
    run.errors = [[e.line, e.column, e.reason] for e in validation.errors[:STORED_ERRORS]]
    run.unknown_labels = [
        {
            "column": u.column,
            "label": u.label,
            "lines": list(u.lines[:20]),
            "count": len(u.lines),
            "suggestions": list(u.suggestions),
            "creatable": u.creatable,
        }
        for u in validation.unknown
    ]
    run.status = ImportRun.Status.READY if validation.ok else ImportRun.Status.INVALID


def import_run_create(
    *,
    council: Council | None,
    acting_user: User,
    filename: str,
    data: bytes,
    today: date,
    new_council_name: str = "",
    create_missing: bool = False,
) -> ImportRun:
    """Keep an uploaded file and check it; the run says whether it is ready or lists what is wrong.

    ``council`` ``None`` is an import into an installation with no council yet: it creates the council (named
    ``new_council_name``, else the default name) with the records and, with ``create_missing``, the teams, issue
    categories and service areas the file names."""
    limit = max_import_bytes()
    if len(data) > limit:
        raise DomainError(FILE_TOO_LARGE.format(limit=_megabytes(limit)), field="file")
    if not data:
        raise DomainError(FILE_EMPTY, field="file")
    if council is None and Council.objects.exists():
        raise DomainError(COUNCIL_EXISTS)
    run = ImportRun(
        council=council,
        started_by=acting_user,
        kind=ImportRun.Kind.RECORDS,
        source=ImportRun.Source.WEB,
        file_name=filename[:255],
        file_sha256=file_digest(data),
        file_size=len(data),
        new_council_name=" ".join(new_council_name.split())[:200] if council is None else "",
        stored_file=_store(data, filename),
    )
    checked = _check(run, data, today, create_missing=create_missing and council is None)
    run.to_create = [[column, name] for column, name in checked.creating]
    _apply_check(run, checked)
    run.save()
    return run


def import_run_mappings_save(
    *, run: ImportRun, choices: Mapping[tuple[str, str], str], acting_user: User, today: date
) -> ImportRun:
    """Record what the council's labels mean (``choices``: (column, label) → code or name, or ``CREATE`` for a
    name to create), keep the mappings for later imports, and check the file again."""
    assert run.council is not None  # noqa: S101 - web runs always have a council
    to_create = {(column, label_key(name)): [column, name] for column, name in run.to_create}
    with transaction.atomic():
        for (column, label), target in choices.items():
            if target == CREATE and column in CREATABLE_COLUMNS:
                to_create[(column, label_key(label))] = [column, " ".join(label.split())]
            elif target:
                import_mapping_save(
                    council=run.council, column=column, label=label, target=target, acting_user=acting_user
                )
        run.to_create = list(to_create.values())
        _apply_check(run, _check(run, _read(run), today))
        run.save()
    return run


def import_run_errors_csv(*, run: ImportRun, today: date) -> bytes:
    """Every problem with the run's file (line, column, reason) as CSV, worked out again from the file."""
    stored = [RowError(*e) for e in run.errors]
    errors: Sequence[RowError] = _check(run, _read(run), today).validation.errors if run.stored_file else stored
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["line", "column", "reason"])
    for error in errors:
        writer.writerow([error.line, error.column, error.reason])
    return buffer.getvalue().encode("utf-8-sig")


def import_run_confirm(*, run: ImportRun, acting_user: User, today: date) -> ImportRun:
    """Start the import of a checked file: mark it running and, once that is committed, queue the job that imports
    it on the ``background`` backend, so the request returns at once and the page can show the import's progress."""
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != ImportRun.Status.READY:
            raise DomainError(NOT_READY.format(status=locked.get_status_display().lower()))
        locked.status = ImportRun.Status.RUNNING
        locked.started_at = timezone.now()
        locked.save(update_fields=["status", "started_at", "updated_at"])
        WebProgress(locked.pk)(0, locked.rows)
        # After the commit: a worker must find the run RUNNING, and nothing is queued if the status was not saved.
        transaction.on_commit(lambda: _enqueue(locked, acting_user, today))
    locked.refresh_from_db()
    return locked


def _enqueue(run: ImportRun, acting_user: User, today: date) -> None:
    try:
        job_enqueue(RECORDS_IMPORT_RUN, run.pk, acting_user.pk, today.isoformat())
    except Exception:  # Redis down, or the pool shut down: say so now rather than leave the run "Importing"
        logger.exception("Import %s could not be queued", run.pk)
        _fail(run, NOT_QUEUED, timezone.now())


def import_run_process(*, run: ImportRun, acting_user: User | None, today: date) -> ImportRun:
    """The background job's work: import a confirmed run's file, once. A run no longer running (imported, failed,
    or given up as stalled) is left alone, so a job run again (a retry) changes nothing. An unexpected error marks
    the run failed and is raised again for the task backend to record; the import is all or nothing, so nothing of
    it remains."""
    if run.status != ImportRun.Status.RUNNING:
        return run
    if not run.stored_file or not default_storage.exists(run.stored_file):
        _fail(run, FILE_LOST, timezone.now())
        run.refresh_from_db()
        return run
    # The job has started: its first figures restart the clock :func:`import_run_fail_stalled` reads, and the
    # process is named so that its end is noticed at once.
    run.worker = _this_process()
    ImportRun.objects.filter(pk=run.pk).update(worker=run.worker)
    WebProgress(run.pk)(0, run.rows)
    try:
        return import_run_execute(run=run, acting_user=acting_user, today=today)
    except Exception:
        _fail(run, BROKE, timezone.now())
        raise


def _this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _process_gone(worker: str) -> bool:
    """Whether the process ``worker`` ("host:pid") ran on this machine and has ended. A process elsewhere cannot be
    asked, so it is never taken for gone (the silence of :data:`STALLED_AFTER` still fails it)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, but another user's process
        return False
    return False


def import_run_fail_stalled(*, run: ImportRun, now: datetime) -> ImportRun:
    """Fail a running import that has written no progress for :data:`STALLED_AFTER`: the process running it died
    (the web process restarted while it ran on a thread, or the worker was killed), so it will never finish. The
    user sees why and can upload the file again. Any other run is returned as it is."""
    if run.status != ImportRun.Status.RUNNING:
        return run
    if run.worker and _process_gone(run.worker):
        if _fail(run, DIED, now):
            logger.warning("Import %s was running in %s, which has ended; marked failed", run.pk, run.worker)
        run.refresh_from_db()
        return run
    # Figures kept in a process's own memory are lost when it restarts: then the start time is all there is.
    heard = max(t for t in (run.started_at, web_progress_written_at(run.pk), run.updated_at) if t is not None)
    silence = ARCHIVE_STALLED_AFTER if run.kind == ImportRun.Kind.ARCHIVE else STALLED_AFTER
    if now - heard <= silence:
        return run
    minutes = int(silence.total_seconds() // 60)
    if _fail(run, STALLED.format(minutes=minutes), now):
        logger.warning("Import %s had written no progress since %s and was marked failed", run.pk, heard)
    run.refresh_from_db()
    return run


def _fail(run: ImportRun, reason: str, now: datetime) -> bool:
    """Mark ``run`` failed, if it is still running, and delete its file; ``False`` if it had already finished
    (the import commits the run's result with its records, so a run still running has imported nothing)."""
    changed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.FAILED, failure_reason=reason, finished_at=now, stored_file="", updated_at=now
    )
    if changed and run.stored_file:
        default_storage.delete(run.stored_file)
    return bool(changed)


def import_run_execute(*, run: ImportRun, acting_user: User | None, today: date) -> ImportRun:
    """Run the import of ``run``'s file: all of it, or (on any problem) none of it, with the problems listed."""
    data = _read(run)
    if run.council is None and Council.objects.exists():
        # Checked as the first import of an empty installation, but a council was made since: never mix the two.
        _fail(run, COUNCIL_EXISTS, timezone.now())
        run.refresh_from_db()
        return run
    outcome = records_import(
        data=data,
        filename=run.file_name,
        acting_user=acting_user,
        today=today,
        councils=None if run.council is None else [run.council],
        default_council=run.council,
        new_council_name=run.new_council_name,
        creating=[(column, name) for column, name in run.to_create],
        progress=WebProgress(run.pk),
        run=run,
        source=ImportRun.Source.WEB,
    )
    if not outcome.ok:
        run.status = ImportRun.Status.FAILED
        run.error_count = len(outcome.errors)
        run.errors = [[e.line, e.column, e.reason] for e in outcome.errors[:STORED_ERRORS]]
        run.finished_at = timezone.now()
    else:
        run.refresh_from_db()
        if run.council is None and outcome.councils_created:
            # The history page and the council's managers find the first import under the council it created.
            run.council = Council.objects.filter(name=outcome.councils_created[0]).order_by("pk").first()
    default_storage.delete(run.stored_file)
    run.stored_file = ""
    run.save()
    return run
