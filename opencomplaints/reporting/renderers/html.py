"""The HTML report: the page in the app and a standalone file, from the same templates. GOV.UK Design System
markup (``govuk-table``, headings, a contents list); every chart is an inline SVG with a text alternative,
followed by its data table. Small numbers are suppressed first (R6.7)."""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string

from opencomplaints.reporting.metrics.table import ColumnKind, Table
from opencomplaints.reporting.renderers.charts import chart_png, chart_svg
from opencomplaints.reporting.renderers.common import (
    DOCUMENT_CHARTS,
    chart_data,
    format_cell,
    min_cell_setting,
    public_definition,
    public_text,
    publishable,
)
from opencomplaints.reporting.report import AnnualReport, base_key

__all__ = ["html_context", "render_html_document", "render_print_html", "table_context"]

_NUMERIC = {ColumnKind.COUNT, ColumnKind.PERCENT, ColumnKind.MONEY, ColumnKind.NUMBER}


def _table(table: Table, number: int, *, printed: bool) -> dict[str, Any]:
    # The printed document (the PDF) draws the main charts only, as pictures with their text alternative; the page
    # draws every chart as an inline SVG.
    chart = chart_data(table) if not printed or base_key(table.key) in DOCUMENT_CHARTS else None
    last = len(table.rows) - 1
    return {
        "key": table.key,
        "number": number,
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
        "notes": [public_text(note) for note in table.notes],
        "definition": public_definition(table),
        "chart_svg": chart_svg(chart, f"chart-{table.key}") if chart and not printed else "",
        "chart_png": base64.b64encode(chart_png(chart)).decode() if chart and printed else "",
        "chart_alt": chart.alt_text if chart else "",
    }


def table_context(table: Table) -> dict[str, Any]:
    """One table (already suppressed for publication) as the page's table template draws it."""
    return _table(table, 1, printed=False)


def html_context(report: AnnualReport, *, min_cell: int | None = None, printed: bool = False) -> dict[str, Any]:
    """The template context of the report, suppressed for publication; ``printed`` for the PDF."""
    threshold = min_cell_setting() if min_cell is None else min_cell
    published = publishable(report, threshold)
    numbers = iter(range(1, len(published.tables) + 1))
    return {
        "report": published,
        "council": " and ".join(published.council_names),
        "printed": printed,
        "withheld_below": threshold - 1,
        "min_cell": threshold,
        "sections": [
            {
                "number": s.number,
                "key": s.key,
                "title": s.title,
                "sentences": [public_text(sentence) for sentence in s.sentences],
                "placeholders": s.placeholders,
                "tables": [_table(t, next(numbers), printed=printed) for t in s.tables],
            }
            for s in published.sections
        ],
    }


def render_html_document(report: AnnualReport, *, min_cell: int | None = None) -> bytes:
    """A standalone HTML file of the report (for the command line, or to publish on a website)."""
    return render_to_string("reporting/report_document.html", html_context(report, min_cell=min_cell)).encode()


def render_print_html(report: AnnualReport, *, min_cell: int | None = None) -> str:
    """The report as the HTML the PDF is drawn from: A4 pages, a title page, a contents list with page numbers,
    page numbers in the footer, and the main charts as pictures with their text alternative."""
    return render_to_string("reporting/report_print.html", html_context(report, min_cell=min_cell, printed=True))
