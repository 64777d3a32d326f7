"""Renderers: the same :class:`~opencomplaints.reporting.report.AnnualReport` drawn as HTML, DOCX, PDF, XLSX or
JSON. The publishing formats (HTML, DOCX, PDF, XLSX) suppress small numbers first; JSON is the exact core."""

from __future__ import annotations

from enum import StrEnum

from opencomplaints.reporting.report import AnnualReport

__all__ = ["CONTENT_TYPES", "Format", "render"]


class Format(StrEnum):
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"
    XLSX = "xlsx"
    JSON = "json"


CONTENT_TYPES: dict[Format, str] = {
    Format.HTML: "text/html; charset=utf-8",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.PDF: "application/pdf",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.JSON: "application/json",
}


def render(report: AnnualReport, fmt: Format | str, *, min_cell: int | None = None) -> bytes:
    """``report`` as a file in ``fmt``. ``min_cell`` overrides the suppression threshold of the settings."""
    # Each format's library is imported only when that format is asked for: python-docx and WeasyPrint are slow to
    # import and most requests need neither.
    match Format(fmt):
        case Format.JSON:
            from opencomplaints.reporting.renderers.json import render_json

            return render_json(report)
        case Format.HTML:
            from opencomplaints.reporting.renderers.html import render_html_document

            return render_html_document(report, min_cell=min_cell)
        case Format.XLSX:
            from opencomplaints.reporting.renderers.xlsx import render_xlsx

            return render_xlsx(report, min_cell=min_cell)
        case Format.DOCX:
            from opencomplaints.reporting.renderers.docx import render_docx

            return render_docx(report, min_cell=min_cell)
        case Format.PDF:
            from opencomplaints.reporting.renderers.pdf import render_pdf

            return render_pdf(report, min_cell=min_cell)
