"""The HTML report: the page in the app and a standalone file, from the same templates. GOV.UK Design System
markup (``govuk-table``, headings, a contents list); every chart is an inline SVG with a text alternative,
followed by its data table. Small numbers are suppressed first (R6.7)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from opencomplaints.reporting.metrics.table import ColumnKind, Table
from opencomplaints.reporting.renderers.charts import chart_svg
from opencomplaints.reporting.renderers.common import chart_data, format_cell, publishable
from opencomplaints.reporting.report import AnnualReport

__all__ = ["html_context", "render_html_document"]

_NUMERIC = {ColumnKind.COUNT, ColumnKind.PERCENT, ColumnKind.MONEY, ColumnKind.NUMBER}


def _table(table: Table) -> dict[str, Any]:
    chart = chart_data(table)
    last = len(table.rows) - 1
    return {
        "key": table.key,
        "title": table.title,
        "columns": [{"title": c.title, "numeric": c.kind in _NUMERIC} for c in table.columns],
        "rows": [
            {
                "total": table.total_row and r == last,
                "cells": [
                    {"text": format_cell(v, c), "numeric": c.kind in _NUMERIC, "header": i == 0}
                    for i, (v, c) in enumerate(zip(row, table.columns, strict=True))
                ],
            }
            for r, row in enumerate(table.rows)
        ],
        "notes": table.notes,
        "source": table.source,
        "definition": table.definition,
        "chart_svg": chart_svg(chart, f"chart-{table.key}") if chart else "",
        "chart_alt": chart.alt_text if chart else "",
    }


def html_context(report: AnnualReport, *, min_cell: int | None = None) -> dict[str, Any]:
    """The template context of the report, suppressed for publication."""
    published = publishable(report, min_cell)
    return {
        "report": published,
        "sections": [
            {
                "number": s.number,
                "key": s.key,
                "title": s.title,
                "sentences": s.sentences,
                "placeholders": s.placeholders,
                "tables": [_table(t) for t in s.tables],
            }
            for s in published.sections
        ],
    }


def render_html_document(report: AnnualReport, *, min_cell: int | None = None) -> bytes:
    """A standalone HTML file of the report (for the command line, or to publish on a website)."""
    return render_to_string("reporting/report_document.html", html_context(report, min_cell=min_cell)).encode()
