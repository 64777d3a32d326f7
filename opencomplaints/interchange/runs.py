"""The web import's steps, each a service the views call once: upload and check a file, confirm what its labels
mean, run the import, and list every problem. The uploaded file is kept in the default storage between steps and
deleted once the import has run (it holds personal data)."""

from __future__ import annotations

import csv
import io
import logging
import threading
import uuid
from collections.abc import Mapping, Sequence
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
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
from opencomplaints.interchange.parsing import CREATABLE_COLUMNS, RowError, label_key
from opencomplaints.interchange.progress import WebProgress
from opencomplaints.interchange.services import import_mapping_save

__all__ = [
    "import_run_confirm",
    "import_run_create",
    "import_run_errors_csv",
    "import_run_execute",
    "import_run_mappings_save",
]

logger = logging.getLogger(__name__)

FILE_TOO_LARGE = (
    "The selected file must be smaller than {limit}. Split the records into several files, each with the header row."
)
FILE_EMPTY = "The selected file is empty"
FILE_GONE = "The uploaded file is no longer available. Upload it again."
NOT_READY = "This import cannot run: {status}."
CREATE = "__create__"


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


def _check(run: ImportRun, data: bytes, today: date) -> Checked:
    assert run.council is not None  # noqa: S101 - web runs always have a council
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


def import_run_create(*, council: Council, acting_user: User, filename: str, data: bytes, today: date) -> ImportRun:
    """Keep an uploaded file and check it; the run says whether it is ready or lists what is wrong."""
    limit = max_import_bytes()
    if len(data) > limit:
        raise DomainError(FILE_TOO_LARGE.format(limit=_megabytes(limit)), field="file")
    if not data:
        raise DomainError(FILE_EMPTY, field="file")
    run = ImportRun(
        council=council,
        started_by=acting_user,
        kind=ImportRun.Kind.RECORDS,
        source=ImportRun.Source.WEB,
        file_name=filename[:255],
        file_sha256=file_digest(data),
        file_size=len(data),
        stored_file=_store(data, filename),
    )
    _apply_check(run, _check(run, data, today))
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
    """Start the import of a checked file: in a background thread of this process (so the page can show its
    progress), or in the request when ``OPENCOMPLAINTS["IMPORT_IN_BACKGROUND"]`` is false."""
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != ImportRun.Status.READY:
            raise DomainError(NOT_READY.format(status=locked.get_status_display().lower()))
        locked.status = ImportRun.Status.RUNNING
        locked.started_at = timezone.now()
        locked.save(update_fields=["status", "started_at", "updated_at"])
    WebProgress(locked.pk)(0, locked.rows)
    if settings.OPENCOMPLAINTS.get("IMPORT_IN_BACKGROUND", True):
        thread = threading.Thread(
            target=_execute_in_thread, args=(locked.pk, acting_user.pk, today), name=f"import-{locked.pk}", daemon=True
        )
        thread.start()
    else:
        import_run_execute(run=locked, acting_user=acting_user, today=today)
        locked.refresh_from_db()
    return locked


def _execute_in_thread(run_pk: int, user_pk: int, today: date) -> None:
    try:
        run = ImportRun.objects.get(pk=run_pk)
        user = User.objects.get(pk=user_pk)
        import_run_execute(run=run, acting_user=user, today=today)
    except Exception:  # the thread has no caller to tell, so the run is marked failed and the error logged
        logger.exception("Import %s failed", run_pk)
        ImportRun.objects.filter(pk=run_pk, status=ImportRun.Status.RUNNING).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now()
        )
    finally:
        connections.close_all()


def import_run_execute(*, run: ImportRun, acting_user: User, today: date) -> ImportRun:
    """Run the import of ``run``'s file: all of it, or (on any problem) none of it, with the problems listed."""
    assert run.council is not None  # noqa: S101 - web runs always have a council
    data = _read(run)
    outcome = records_import(
        data=data,
        filename=run.file_name,
        acting_user=acting_user,
        today=today,
        councils=[run.council],
        default_council=run.council,
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
    default_storage.delete(run.stored_file)
    run.stored_file = ""
    run.save()
    return run
