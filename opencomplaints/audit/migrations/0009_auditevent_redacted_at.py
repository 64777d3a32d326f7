"""Audit rows may be redacted once, by the records retention: ``redacted_at`` and ``redacted_by`` columns, and
triggers that allow an UPDATE only when it sets ``redacted_at`` and takes words away
(``opencomplaints.audit.append_only`` explains the rule).

The columns are nullable and have no default, so SQLite adds it with a plain ``ALTER TABLE ... ADD COLUMN``: rebuilding
the table would drop the triggers. The statements are written out here rather than imported, so this migration
keeps doing what it did when it was written; a test checks that ``append_only`` still holds the same ones.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

APPEND_ONLY_MESSAGE = "The audit trail is append-only: its rows cannot be changed or deleted"
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

CREATE = {"postgresql": _POSTGRESQL_CREATE, "sqlite": _SQLITE_CREATE}
DROP = {"postgresql": _POSTGRESQL_DROP + _POSTGRESQL_DROP_FUNCTION, "sqlite": _SQLITE_DROP}

# What migration 0007 created: put back when this one is reversed.
_PREVIOUS_CREATE = {
    "postgresql": [
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
    ],
    "sqlite": [
        f"""
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} (UPDATE refused)'); END
    """,
        f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} (DELETE refused)'); END
    """,
    ],
}
_PREVIOUS_DROP = {
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


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    _execute(schema_editor, _PREVIOUS_DROP.get(vendor, []) + CREATE.get(vendor, []))


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _execute(schema_editor, DROP.get(schema_editor.connection.vendor, []))


def restore_previous(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _execute(schema_editor, _PREVIOUS_CREATE.get(schema_editor.connection.vendor, []))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0008_event_type_without_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Reversed, the columns go before 0007's triggers come back: SQLite removes a foreign key column by rebuilding
    # the table, which would drop them.
    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_previous, elidable=False),
        migrations.AddField(
            model_name="auditevent",
            name="redacted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="redacted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(forwards, drop, elidable=False),
    ]
