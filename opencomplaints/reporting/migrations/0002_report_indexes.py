"""Indexes for the annual report's reads of the cases app's tables (docs/performance.md, "Annual report").

Stages carry no council, so the report finds a council's stages through its complaints' ids
(``opencomplaints.records.queries``). The first index gives those ids without reading the cases; the second
carries every column the trend figures and the escalation table read, so ten years of a council's stages are
counted from the index alone. They belong to the report, which is why they are made here rather than in the
cases app. PostgreSQL keeps the extra columns as ``INCLUDE`` payload; SQLite has no ``INCLUDE``, so there they
are key columns (its indexes always carry the row id).

A later migration of the cases app that rebuilds one of these tables on SQLite drops indexes it does not know
about: ``reporting.tests.test_indexes`` then fails, and this migration's statements re-create them.
"""

from django.db import migrations

CASE_INDEX = "reporting_case_complaints"
STAGE_INDEX = "reporting_stage_trend"
STAGE_COLUMNS = ("number", "received_date", "response_date", "outcome", "extended", "statement_agreed_date")

POSTGRESQL = (
    f"CREATE INDEX IF NOT EXISTS {CASE_INDEX} ON cases_case (council_id, kind, procedure) INCLUDE (id)",
    f"CREATE INDEX IF NOT EXISTS {STAGE_INDEX} ON cases_stage (case_id) INCLUDE (id, {', '.join(STAGE_COLUMNS)})",
)
PORTABLE = (
    f"CREATE INDEX IF NOT EXISTS {CASE_INDEX} ON cases_case (council_id, kind, procedure)",
    f"CREATE INDEX IF NOT EXISTS {STAGE_INDEX} ON cases_stage (case_id, {', '.join(STAGE_COLUMNS)})",
)


def create_indexes(apps, schema_editor):
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else PORTABLE
    for statement in statements:
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    for name in (CASE_INDEX, STAGE_INDEX):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("cases", "0003_stage_reference"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
