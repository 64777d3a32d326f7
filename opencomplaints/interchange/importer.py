"""Importing a records file: all or nothing, idempotent by (council, ``ref``), fast enough for years of history.

An import is four steps, each a module with its own interface (docs/design/import-pipeline.md):

1. *parse* (:mod:`~opencomplaints.interchange.parse`): the file's bytes into a ``Table`` of text rows, each with its
   line number, or the reasons the file cannot be read;
2. *validate* (:mod:`~opencomplaints.interchange.validate`): every row checked against the councils' vocabularies
   and mappings (:mod:`~opencomplaints.interchange.mapping`) into ``Record`` values, and every problem as a
   ``RowError`` naming line, column and reason; any error and nothing is written;
3. *plan* (:mod:`~opencomplaints.interchange.plan`): the records grouped by case, matched with the stored cases,
   turned into the canonical records the export would give back (an unchanged case is not touched), and the new
   and changed cases turned into the rows to insert, update and delete, with their deadlines;
4. *write* (:mod:`~opencomplaints.interchange.write`): the councils and names the file needs, then each chunk's
   plan, with bulk inserts and upserts.

This module runs them in one transaction, in chunks of :data:`CHUNK` cases (a chunk the database refuses is written
again case by case to name the records it refuses), and records one ``ImportRun`` and one audit event for the
whole import. With a dry run, or any error, the transaction is rolled back.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.councils.models import Council
from opencomplaints.interchange.canonical import CouncilNames
from opencomplaints.interchange.learning import LearningCounts, learning_actions_check, learning_actions_write
from opencomplaints.interchange.mapping import import_councils
from opencomplaints.interchange.models import ImportRun
from opencomplaints.interchange.parse import DEFAULT_MAX_IMPORT_BYTES, FileRejected, RowError, read_table
from opencomplaints.interchange.plan import CaseGroup, Planner, chunks
from opencomplaints.interchange.validate import UnknownLabel, Validation, validate_table
from opencomplaints.interchange.write import configuration_write, plan_write

__all__ = [
    "CHUNK",
    "STORED_ERRORS",
    "Checked",
    "ImportOutcome",
    "Progress",
    "file_digest",
    "max_import_bytes",
    "records_check",
    "records_import",
]

Progress = Callable[[int, int], None]

#: Cases planned and written together: enough for the bulk writes to pay, few enough to keep memory flat.
CHUNK = 2000
# The most errors kept on an ImportRun row; the full list is worked out again from the file when asked for.
STORED_ERRORS = 1000
NOT_SAVED = "This record could not be saved: {message}"


def max_import_bytes() -> int:
    """The largest file an import accepts (``OPENCOMPLAINTS["MAX_IMPORT_BYTES"]``, 50 MiB unless set)."""
    value = settings.OPENCOMPLAINTS.get("MAX_IMPORT_BYTES", DEFAULT_MAX_IMPORT_BYTES)
    return int(value)


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class ImportOutcome:
    """What an import did (or, for a dry run or a file with errors, would have done)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown: list[UnknownLabel] = field(default_factory=list)
    councils_created: list[str] = field(default_factory=list)
    names_created: list[tuple[str, str]] = field(default_factory=list)
    file_format: str = ""
    dry_run: bool = False
    run: ImportRun | None = None
    learning: LearningCounts = field(default_factory=LearningCounts)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Checked:
    validation: Validation
    creating: tuple[tuple[str, str], ...]
    file_format: str
    allow_new: bool


def records_check(
    *,
    data: bytes,
    filename: str,
    today: date,
    councils: Sequence[Council] | None = None,
    default_council: Council | None = None,
    new_council_name: str = "",
    mappings: Mapping[tuple[str, str], str] | None = None,
    creating: Iterable[tuple[str, str]] = (),
    create_missing: bool = False,
) -> Checked:
    """Read and check ``data`` without writing anything.

    ``councils`` are those the file may name (``None``: every council of the installation; an installation with
    none lets the import create them). ``default_council`` takes rows with a blank ``council``; without one, an
    installation with a single council uses it. ``mappings`` add (column, label) → value mappings to the stored
    ones; ``creating`` lists (column, name) pairs of teams, issue categories and service areas to create;
    ``create_missing`` creates every name the councils do not have.
    """
    allow_new = False
    if councils is None:
        councils = list(Council.objects.order_by("slug"))
        allow_new = not councils
    if default_council is None and len(councils) == 1:
        default_council = councils[0]
    creating = tuple(creating)
    try:
        table = read_table(data, filename=filename, max_bytes=max_import_bytes())
    except FileRejected as rejected:
        return Checked(Validation(errors=rejected.errors), creating, "", allow_new)

    def check(creating: tuple[tuple[str, str], ...]) -> Validation:
        context = import_councils(
            councils=councils,
            default=default_council,
            allow_new=allow_new,
            new_name=new_council_name,
            extra_mappings=mappings,
            creating=creating,
        )
        return validate_table(table, councils=context, today=today)

    validation = check(creating)
    if create_missing and any(u.creatable for u in validation.unknown):
        creating = (*creating, *((u.column, u.label) for u in validation.unknown if u.creatable))
        validation = check(creating)
    return Checked(validation, creating, table.format, allow_new)


class _Rollback(Exception):
    pass


_COLLECTOR_LOCK = threading.Lock()
_COLLECTOR_PAUSES = 0


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while an import runs. An import holds millions of objects (its rows, records
    and model instances, none of them in reference cycles, so reference counting frees them); every full
    collection walks all of them, which took a fifth of a 100,000-row import and grew with its size. Imports
    running at once (the web's worker threads) pause it together; the last to finish turns it back on. A collector
    someone else switched off is left as it is."""
    global _COLLECTOR_PAUSES
    with _COLLECTOR_LOCK:
        pausing = _COLLECTOR_PAUSES > 0 or gc.isenabled()
        if pausing:
            _COLLECTOR_PAUSES += 1
            gc.disable()
    try:
        yield
    finally:
        if pausing:
            with _COLLECTOR_LOCK:
                _COLLECTOR_PAUSES -= 1
                if _COLLECTOR_PAUSES == 0:
                    gc.enable()


def _without_collector[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with _collector_paused():
            return function(*args, **kwargs)

    return paused


@_without_collector
def records_import(
    *,
    data: bytes,
    filename: str,
    acting_user: User | None,
    today: date,
    councils: Sequence[Council] | None = None,
    default_council: Council | None = None,
    new_council_name: str = "",
    mappings: Mapping[tuple[str, str], str] | None = None,
    creating: Iterable[tuple[str, str]] = (),
    create_missing: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    run: ImportRun | None = None,
    source: str = ImportRun.Source.COMMAND,
    learning_data: bytes | None = None,
    learning_filename: str = "",
) -> ImportOutcome:
    """Import the records in ``data`` (see the module docstring), or report why not. Arguments as for
    :func:`records_check`; ``progress(done, total)`` is called as records are written; ``run`` is the web's
    ``ImportRun`` to complete (the command line gets a new one). With ``dry_run`` every write is made and then
    rolled back, so the report is exactly what the import would do. Learning actions come with the records, in the
    same transaction (:mod:`~opencomplaints.interchange.learning`): from ``learning_data`` (a file of their own)
    or else from the records workbook's ``learning_actions`` sheet.
    """
    checked = records_check(
        data=data,
        filename=filename,
        today=today,
        councils=councils,
        default_council=default_council,
        new_council_name=new_council_name,
        mappings=mappings,
        creating=creating,
        create_missing=create_missing,
    )
    validation = checked.validation
    outcome = ImportOutcome(
        rows=validation.rows,
        errors=list(validation.errors),
        unknown=list(validation.unknown),
        file_format=checked.file_format,
        dry_run=dry_run,
    )
    learning_rows, learning_errors = (
        learning_actions_check(
            data=data if learning_data is None else learning_data,
            filename=filename if learning_data is None else learning_filename,
            today=today,
            max_bytes=max_import_bytes(),
            in_records_workbook=learning_data is None,
        )
        if learning_data is not None or checked.file_format == "xlsx"
        else ([], [])
    )
    if learning_errors:
        outcome.errors = sorted([*outcome.errors, *learning_errors])
    if not outcome.ok:
        return outcome
    if default_council is None and councils is not None and len(councils) == 1:
        default_council = councils[0]
    try:
        with transaction.atomic():
            configured = configuration_write(
                records=validation.records,
                creating=checked.creating,
                mappings=mappings or {},
                default_council=default_council,
                new_councils=validation.new_councils,
                acting_user=acting_user,
            )
            outcome.councils_created = configured.councils_created
            outcome.names_created = configured.names_created
            only_council = _only_council(configured.councils.values())
            _records_write(validation, configured.councils, today=today, outcome=outcome, progress=progress)
            if learning_rows and not outcome.errors:
                outcome.learning, learning_errors = learning_actions_write(
                    rows=learning_rows,
                    councils=list(Council.objects.order_by("slug")) if councils is None else councils,
                    default_council=default_council or only_council,
                    acting_user=acting_user,
                )
                outcome.errors.extend(learning_errors)
            if outcome.errors:
                outcome.errors.sort()
                raise _Rollback
            outcome.run = _record_run(
                run=run,
                outcome=outcome,
                data=data,
                filename=filename,
                acting_user=acting_user,
                council=default_council or only_council,
                source=source,
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        if dry_run and outcome.run is not None:
            outcome.run = None
    return outcome


def _record_run(
    *,
    run: ImportRun | None,
    outcome: ImportOutcome,
    data: bytes,
    filename: str,
    acting_user: User | None,
    council: Council | None,
    source: str,
) -> ImportRun:
    now = timezone.now()
    if run is None:
        run = ImportRun(
            kind=ImportRun.Kind.RECORDS,
            source=source,
            started_by=acting_user,
            file_name=filename[:255],
            file_sha256=file_digest(data),
            file_size=len(data),
            council=council,
            started_at=now,
        )
    run.status = ImportRun.Status.COMPLETED
    run.file_format = outcome.file_format
    run.rows, run.created, run.updated, run.unchanged = (
        outcome.rows,
        outcome.created,
        outcome.updated,
        outcome.unchanged,
    )
    run.error_count = 0
    run.errors = []
    run.unknown_labels = []
    run.finished_at = now
    run.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.IMPORT_COMPLETED,
        subject=run,
        summary=(
            f"Imported {run.file_name}: {outcome.rows} records, {outcome.created} new, {outcome.updated} updated, "
            f"{outcome.unchanged} unchanged"
        ),
        after={
            "file_name": run.file_name,
            "file_sha256": run.file_sha256,
            "rows": outcome.rows,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            "councils_created": outcome.councils_created,
            "names_created": outcome.names_created,
        },
    )
    return run


def _only_council(councils: Iterable[Council]) -> Council | None:
    distinct = {council.pk: council for council in councils}
    return next(iter(distinct.values())) if len(distinct) == 1 else None


def _records_write(
    validation: Validation,
    councils: Mapping[str, Council],
    *,
    today: date,
    outcome: ImportOutcome,
    progress: Progress | None,
) -> None:
    """Plan and write the valid records chunk by chunk; problems go to ``outcome.errors`` (and then nothing more
    is written: the caller rolls the transaction back)."""
    planner = Planner(names={slug: CouncilNames.load(council) for slug, council in councils.items()}, today=today)
    groups = planner.groups(validation.records)
    total = sum(len(g.records) for g in groups)
    if not planner.errors:
        if progress:
            progress(0, total)
        done = 0
        for chunk in chunks(groups, CHUNK):
            changed = planner.changes(chunk)
            if changed and not planner.errors:
                _chunk_write(planner, changed)
            done += sum(len(g.records) for g in chunk)
            if progress:
                progress(done, total)
    outcome.errors.extend(planner.errors)
    outcome.created, outcome.updated, outcome.unchanged = planner.created, planner.updated, planner.unchanged


def _chunk_write(planner: Planner, groups: Sequence[CaseGroup]) -> None:
    try:
        with transaction.atomic():
            plan = planner.plan(groups)
            if not planner.errors:
                plan_write(plan)
    except IntegrityError:
        # The chunk failed as a whole; write its cases one at a time to name the records the database rejects.
        for group in groups:
            try:
                with transaction.atomic():
                    plan = planner.plan([group])
                    if not planner.errors:
                        plan_write(plan)
            except IntegrityError as error:
                planner.error(group.lines, "", NOT_SAVED.format(message=str(error).splitlines()[0]))
        if not planner.errors:  # pragma: no cover - the chunk failed, so some case must
            planner.error([0], "", NOT_SAVED.format(message="the database refused the records"))
