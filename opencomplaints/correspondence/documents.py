"""Letters for post as A4 files: a PDF (one letter, or the day's print queue in one file, each letter starting on a
new page) and an editable DOCX. ReportLab and python-docx, as the report renderers use."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from opencomplaints.correspondence.models import Letter
from opencomplaints.correspondence.selectors import LONDON, govuk_date

__all__ = ["letter_docx", "letters_pdf"]


def _date(letter: Letter) -> str:
    when = letter.sent_at or letter.created_at
    return govuk_date(when.astimezone(LONDON).date())


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def _lines(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.splitlines())


def letters_pdf(letters: Sequence[Letter]) -> bytes:
    """The letters in one A4 PDF, each beginning on a new page: letterhead, address, date, subject, words and
    signature, exactly as the preview shows them."""
    styles = getSampleStyleSheet()
    body = ParagraphStyle("LetterBody", parent=styles["BodyText"], fontName="Helvetica", fontSize=11, leading=15)
    head = ParagraphStyle("Letterhead", parent=body, alignment=2)
    subject = ParagraphStyle("Subject", parent=body, fontName="Helvetica-Bold", fontSize=12, spaceBefore=12)
    story: list[object] = []
    for number, letter in enumerate(letters):
        if number:
            story.append(PageBreak())
        story += [Paragraph(_lines(letter.letterhead), head), Spacer(1, 1 * cm)]
        story += [Paragraph(_lines(letter.recipient), body), Spacer(1, 0.6 * cm), Paragraph(_date(letter), body)]
        story.append(Paragraph(escape(letter.subject), subject))
        story += [Paragraph(_lines(part), body) for part in _paragraphs(letter.body)]
        story += [Spacer(1, 0.4 * cm), Paragraph(_lines(letter.signature), body)]
    output = io.BytesIO()
    title = letters[0].subject if len(letters) == 1 else "Letters for post"
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title,
        lang="en-GB",
    )
    document.build(story)
    return output.getvalue()


def letter_docx(letter: Letter) -> bytes:
    """The letter as an editable A4 Word document."""
    document = DocxDocument()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.core_properties.title = letter.subject
    document.core_properties.language = "en-GB"
    head = document.add_paragraph(letter.letterhead)
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(letter.recipient)
    document.add_paragraph(_date(letter))
    document.add_heading(letter.subject, level=1)
    for part in _paragraphs(letter.body):
        document.add_paragraph(part)
    document.add_paragraph(letter.signature)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
