"""The PDF: the print HTML of the report (the same sections, tables, charts and officer placeholders as the other
formats, after small-number suppression) drawn by WeasyPrint as a tagged PDF/UA-1 document: a structure tree,
language en-GB, the title shown in the window, bookmarks from the headings, tables with header rows and every
chart's text alternative. The Public Sector Bodies Accessibility Regulations apply to the documents a council
publishes."""

from __future__ import annotations

from weasyprint import HTML

from opencomplaints.reporting.renderers.html import render_print_html
from opencomplaints.reporting.report import AnnualReport

__all__ = ["PDF_VARIANT", "render_pdf"]

PDF_VARIANT = "pdf/ua-1"


def render_pdf(report: AnnualReport, *, min_cell: int | None = None) -> bytes:
    """The report as a tagged PDF (PDF/UA-1) on A4 pages, after small-number suppression."""
    document = HTML(string=render_print_html(report, min_cell=min_cell)).render(pdf_variant=PDF_VARIANT)
    return bytes(document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False))
