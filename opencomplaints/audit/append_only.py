"""The audit trail is append-only in the database itself: triggers refuse every UPDATE and DELETE of a row of
``audit_auditevent`` on PostgreSQL and SQLite (created by migration ``audit.0006``), so neither a bug, the admin
nor a stray query can change or remove what was recorded.

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
    "audit_trail_unlocked",
    "create_sql",
    "drop_sql",
    "install_flush_unlock",
    "triggers_installed",
]

APPEND_ONLY_MESSAGE = "The audit trail is append-only: its rows cannot be changed or deleted"

_POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
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
_POSTGRESQL_DROP_FUNCTION = ["DROP FUNCTION IF EXISTS audit_auditevent_append_only()"]

_SQLITE_CREATE = [
    f"""
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} (UPDATE refused)'); END
    """,
    f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} (DELETE refused)'); END
    """,
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
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
        "AND name IN ('audit_auditevent_no_update', 'audit_auditevent_no_delete')"
    ),
}


def triggers_installed(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the append-only triggers are in place (false before migration ``audit.0006`` has run)."""
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
