"""Database triggers that refuse every UPDATE and DELETE of an audit event, on PostgreSQL and SQLite.

The statements are written out here rather than imported, so this migration keeps doing what it did when it was
written; ``opencomplaints.audit.append_only`` holds the same statements for dropping and recreating the triggers
inside one transaction, and a test checks that the two agree.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

MESSAGE = "The audit trail is append-only: its rows cannot be changed or deleted"

CREATE = {
    "postgresql": [
        f"""
    CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """,
        """
    CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()
    """,
    ],
    "sqlite": [
        f"""
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (UPDATE refused)'); END
    """,
        f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (DELETE refused)'); END
    """,
    ],
}
DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
        "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
        "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    ],
}


def _execute(schema_editor: BaseDatabaseSchemaEditor, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _execute(schema_editor, CREATE.get(schema_editor.connection.vendor, []))


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _execute(schema_editor, DROP.get(schema_editor.connection.vendor, []))


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_read_and_access_event_types")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
