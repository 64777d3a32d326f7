"""The JSON output: the exact core of interchange §3, plus the report's other tables (also exact: JSON is for
the council's own use and is never published as it is)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from opencomplaints.reporting.metrics.table import Suppressed, Table
from opencomplaints.reporting.report import AnnualReport

__all__ = ["render_json", "report_json"]


def _value(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, Suppressed):
        return str(value)
    return value


def _table(table: Table) -> dict[str, Any]:
    return {
        "title": table.title,
        "columns": list(table.column_titles),
        "rows": [[_value(v) for v in row] for row in table.rows],
        "notes": list(table.notes),
        "source": table.source,
    }


def report_json(report: AnnualReport) -> dict[str, Any]:
    """The core keys of interchange §3, then ``councils``, ``counting_basis``, the ``timescales`` timeliness was
    counted by (interchange §4: the report says which it used) and every table by key."""
    return {
        **report.core,
        "councils": list(report.council_names),
        "counting_basis": list(report.counting_basis),
        "breakdown_basis": str(report.basis),
        **({"timescales": report.timescales} if report.timescales is not None else {}),
        "tables": {table.key: _table(table) for table in report.tables},
    }


def render_json(report: AnnualReport) -> bytes:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False).encode("utf-8")
