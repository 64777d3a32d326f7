"""The indexes the annual report's reads rely on (docs/performance.md) exist after migrating."""

import importlib

from django.db import connection

report_indexes = importlib.import_module("opencomplaints.reporting.migrations.0002_report_indexes")


def _indexes(table):
    if connection.vendor == "postgresql":
        sql = "SELECT indexname FROM pg_indexes WHERE tablename = %s"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [table])
        return {name for (name,) in cursor.fetchall()}


def test_the_report_indexes_exist(db):
    hint = "A migration rebuilt the table without it: re-create it with reporting migration 0002's statements."
    assert report_indexes.CASE_INDEX in _indexes("cases_case"), hint
    assert report_indexes.STAGE_INDEX in _indexes("cases_stage"), hint
