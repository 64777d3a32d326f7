"""The audit trail is append-only in the database itself: triggers on ``audit_auditevent`` refuse every DELETE, and
every UPDATE but one, on PostgreSQL and SQLite (created by migration ``audit.0007``, changed by ``audit.0009``), so
neither a bug, the admin nor a stray query can change or remove what was recorded.

The one UPDATE allowed is the records retention's redaction of a row (``audit.services.redaction``): it sets
``redacted_at``, which must have been empty, so it happens once; every other column stays as it was, except that

* in ``before`` and ``after`` a top-level value may be replaced by the redaction marker, ``{"redacted": true,
  "characters": N}`` for a string of N characters and ``{"redacted": true}`` for anything else, with no key added
  or removed;
* one stretch of ``summary`` may be replaced by ``[removed after the retention period]``, the rest unchanged.

So a redaction can only take words away; it can neither add nor alter anything, and it cannot be repeated.

Two things may still remove rows, each only by dropping the triggers inside one transaction (DDL is transactional
on both databases, so a failure restores them, and on PostgreSQL nobody else can touch the table until it commits):

* ``manage.py flush``, which empties every table of the database at once (PostgreSQL's ``TRUNCATE`` does not fire
  row triggers; on SQLite the flush runs through ``audit_trail_unlocked``);
* rebuilding the demonstration data (``demo-data --replace``), which refuses to run on a database holding any
  council that is not a demonstration council.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

__all__ = [
    "APPEND_ONLY_MESSAGE",
    "REDACTED_SUMMARY",
    "audit_trail_unlocked",
    "create_sql",
    "drop_sql",
    "install_flush_unlock",
    "triggers_installed",
]

APPEND_ONLY_MESSAGE = "The audit trail is append-only: its rows cannot be changed or deleted"
# What stands in a redacted summary for the words taken out of it.
REDACTED_SUMMARY = "[removed after the retention period]"

_POSTGRESQL_CREATE = [
    """
    CREATE OR REPLACE FUNCTION audit_auditevent_redacts(old_value jsonb, new_value jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
        SELECT jsonb_typeof(old_value) = 'object' AND jsonb_typeof(new_value) = 'object'
        AND (SELECT count(*) FROM jsonb_object_keys(new_value)) = (SELECT count(*) FROM jsonb_object_keys(old_value))
        AND NOT EXISTS (
            SELECT 1 FROM jsonb_each(old_value) AS o
            WHERE (new_value -> o.key) IS DISTINCT FROM o.value
            AND (new_value -> o.key) IS DISTINCT FROM (
                CASE WHEN jsonb_typeof(o.value) = 'string'
                THEN jsonb_build_object('redacted', true, 'characters', length(o.value #>> '{}'))
                ELSE '{"redacted": true}'::jsonb END
            )
        )
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION audit_auditevent_summary_redacts(old_summary text, new_summary text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
        SELECT new_summary = old_summary OR COALESCE((
            SELECT cut.p > 0
            AND left(old_summary, cut.p - 1) = left(new_summary, cut.p - 1)
            AND right(old_summary, cut.s) = right(new_summary, cut.s)
            AND (cut.p - 1) + cut.s < length(old_summary)
            FROM (
                SELECT strpos(new_summary, '{REDACTED_SUMMARY}') AS p,
                length(new_summary) - strpos(new_summary, '{REDACTED_SUMMARY}') + 1 - length('{REDACTED_SUMMARY}') AS s
            ) AS cut
        ), false)
    $$
    """,  # noqa: S608 - built from this module's constants, never from input
    f"""
    CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE'
            AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND OLD.redacted_by_id IS NULL
            AND NEW.id = OLD.id
            AND NEW.event_time = OLD.event_time
            AND NEW.acting_user_id IS NOT DISTINCT FROM OLD.acting_user_id
            AND NEW.event_type = OLD.event_type
            AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id
            AND NEW.subject_type = OLD.subject_type
            AND NEW.subject_id = OLD.subject_id
            AND audit_auditevent_redacts(OLD.before, NEW.before)
            AND audit_auditevent_redacts(OLD.after, NEW.after)
            AND audit_auditevent_summary_redacts(OLD.summary, NEW.summary)
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{APPEND_ONLY_MESSAGE} (% refused)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()
    """,
]
_POSTGRESQL_DROP = ["DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent"]
_POSTGRESQL_DROP_FUNCTION = [
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
    "DROP FUNCTION IF EXISTS audit_auditevent_summary_redacts(text, text)",
    "DROP FUNCTION IF EXISTS audit_auditevent_redacts(jsonb, jsonb)",
]


def _sqlite_redacts(column: str) -> str:
    # Every top-level value of the old JSON object is in the new one, unchanged or replaced by the marker, and the
    # new one has no other keys. COALESCE: a comparison with a key that is missing is NULL, which must not pass.
    return f"""
        json_type(OLD.{column}) = 'object' AND json_type(NEW.{column}) = 'object'
        AND (SELECT count(*) FROM json_each(NEW.{column})) = (SELECT count(*) FROM json_each(OLD.{column}))
        AND NOT EXISTS (
            SELECT 1 FROM json_each(OLD.{column}) AS o WHERE NOT COALESCE(
                (json_type(NEW.{column}, o.fullkey) IS o.type AND json_extract(NEW.{column}, o.fullkey) IS o.value)
                OR (
                    json_type(NEW.{column}, o.fullkey) = 'object'
                    AND json_type(NEW.{column}, o.fullkey || '.redacted') = 'true'
                    AND (SELECT count(*) FROM json_each(NEW.{column}, o.fullkey))
                        = (CASE WHEN o.type = 'text' THEN 2 ELSE 1 END)
                    AND (
                        o.type <> 'text'
                        OR (
                            json_type(NEW.{column}, o.fullkey || '.characters') = 'integer'
                            AND json_extract(NEW.{column}, o.fullkey || '.characters') = length(o.value)
                        )
                    )
                ),
                0
            )
        )"""  # noqa: S608 - built from this module's constants, never from input


_SQLITE_CUT = f"instr(NEW.summary, '{REDACTED_SUMMARY}')"
_SQLITE_KEPT_END = f"(length(NEW.summary) - {_SQLITE_CUT} + 1 - length('{REDACTED_SUMMARY}'))"

_SQLITE_CREATE = [
    f"""
    CREATE TRIGGER audit_auditevent_only_redaction BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} (UPDATE refused)') WHERE NOT COALESCE((
        OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND OLD.redacted_by_id IS NULL
        AND NEW.id IS OLD.id
        AND NEW.event_time IS OLD.event_time
        AND NEW.acting_user_id IS OLD.acting_user_id
        AND NEW.event_type IS OLD.event_type
        AND NEW.case_id IS OLD.case_id
        AND NEW.subject_type IS OLD.subject_type
        AND NEW.subject_id IS OLD.subject_id
        AND {_sqlite_redacts("before")}
        AND {_sqlite_redacts("after")}
        AND (
            NEW.summary IS OLD.summary
            OR (
                {_SQLITE_CUT} > 0
                AND substr(OLD.summary, 1, {_SQLITE_CUT} - 1) = substr(NEW.summary, 1, {_SQLITE_CUT} - 1)
                AND substr(OLD.summary, length(OLD.summary) - {_SQLITE_KEPT_END} + 1)
                    = substr(NEW.summary, length(NEW.summary) - {_SQLITE_KEPT_END} + 1)
                AND ({_SQLITE_CUT} - 1) + {_SQLITE_KEPT_END} < length(OLD.summary)
            )
        )
    ), 0); END
    """,
    f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} (DELETE refused)'); END
    """,
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_only_redaction",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]


def create_sql(vendor: str) -> list[str]:
    """The statements that create the triggers on ``vendor`` (none on a database without them)."""
    return {"postgresql": _POSTGRESQL_CREATE, "sqlite": _SQLITE_CREATE}.get(vendor, [])


def drop_sql(vendor: str, *, with_function: bool = False) -> list[str]:
    """The statements that drop the triggers (and, on PostgreSQL with ``with_function``, their function)."""
    if vendor == "postgresql":
        return _POSTGRESQL_DROP + (_POSTGRESQL_DROP_FUNCTION if with_function else [])
    return _SQLITE_DROP if vendor == "sqlite" else []


def _run(using: str, statements: Sequence[str]) -> None:
    with connections[using].cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


_INSTALLED = {
    "postgresql": "SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'audit_auditevent_append_only'",
    "sqlite": (
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
        "AND name IN ('audit_auditevent_only_redaction', 'audit_auditevent_no_delete')"
    ),
}


def triggers_installed(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the append-only triggers are in place (false on a database the audit migrations have not reached)."""
    query = _INSTALLED.get(connections[using].vendor)
    if query is None:
        return False
    with connections[using].cursor() as cursor:
        cursor.execute(query)
        row = cursor.fetchone()
    return bool(row and row[0])


@contextmanager
def audit_trail_unlocked(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Inside one transaction: drop the triggers, run the block, create them again. If the block fails, the
    transaction rolls back and the triggers were never gone. A database without the triggers is left without."""
    vendor = connections[using].vendor
    with transaction.atomic(using=using):
        installed = triggers_installed(using)
        if installed:
            _run(using, drop_sql(vendor))
        yield
        if installed:
            _run(using, create_sql(vendor))


def install_flush_unlock() -> None:
    """Let ``flush`` empty the audit table on SQLite, as ``TRUNCATE`` already does on PostgreSQL (flush is how the
    test runner resets a database between transactional tests). Row-by-row changes stay refused."""
    from django.conf import settings

    if not any(db["ENGINE"] == "django.db.backends.sqlite3" for db in settings.DATABASES.values()):
        return
    # The backend's base module first: importing its operations module on its own is circular.
    from django.db.backends.sqlite3.base import DatabaseWrapper

    DatabaseOperations = DatabaseWrapper.ops_class
    original: Callable[..., Any] = DatabaseOperations.execute_sql_flush
    if getattr(original, "_audit_unlocked", False):
        return

    def execute_sql_flush(self: Any, sql_list: Sequence[str]) -> None:
        with audit_trail_unlocked(self.connection.alias):
            original(self, sql_list)

    execute_sql_flush._audit_unlocked = True  # type: ignore[attr-defined]  # marks the wrapper, so it is installed once
    DatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign,assignment]  # see the docstring
