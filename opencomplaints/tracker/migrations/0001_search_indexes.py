"""Indexes for case search on PostgreSQL; nothing on other databases (SQLite searches with LIKE).

Each index's expression is exactly the SQL Django writes for the search in ``opencomplaints.tracker.selectors``
(``SearchVector`` over the same fields with the same configuration, ``istartswith``), so the planner uses it.
"""

from django.db import migrations

INDEXES = {
    "tracker_case_document": (
        "CREATE INDEX IF NOT EXISTS tracker_case_document ON cases_case USING gin "
        "(to_tsvector('english'::regconfig, COALESCE(reference, '') || ' ' || COALESCE(summary, '') || ' ' "
        "|| COALESCE(topic, '')))"
    ),
    "tracker_person_name": (
        "CREATE INDEX IF NOT EXISTS tracker_person_name ON cases_person USING gin "
        "(to_tsvector('simple'::regconfig, COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')))"
    ),
    "tracker_case_reference_prefix": (
        "CREATE INDEX IF NOT EXISTS tracker_case_reference_prefix ON cases_case (UPPER(reference::text) text_pattern_ops)"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in INDEXES.values():
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_stage_acknowledgement_deadline_kind_and_constraints"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
