"""Letters for post as A4 files: a PDF (one letter, or the day's print queue in one file, each letter starting on a
new page) and an editable DOCX. WeasyPrint and python-docx, as the report renderers use."""

from __future__ import annotations

import io
from collections.abc import Sequence
from html import escape

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from weasyprint import HTML

from opencomplaints.correspondence.models import Letter
from opencomplaints.correspondence.selectors import LONDON, govuk_date

__all__ = ["letter_docx", "letters_pdf"]


def _date(letter: Letter) -> str:
    when = letter.sent_at or letter.created_at
    return govuk_date(when.astimezone(LONDON).date())


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


_PDF_VARIANT = "pdf/ua-1"

_STYLE = """
@page { size: A4; margin: 2cm 2.5cm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4; }
.letter { break-before: page; }
.letter:first-child { break-before: auto; }
.letterhead { text-align: right; margin-bottom: 1cm; }
h1 { font-size: 12pt; margin: 12pt 0 6pt; }
p { margin: 0 0 8pt; }
"""


def _block(text: str) -> str:
    return "<br>".join(escape(line) for line in text.splitlines())


def _letter_html(letter: Letter) -> str:
    words = "".join(f"<p>{_block(part)}</p>" for part in _paragraphs(letter.body))
    return (
        f'<section class="letter"><p class="letterhead">{_block(letter.letterhead)}</p>'
        f"<p>{_block(letter.recipient)}</p><p>{escape(_date(letter))}</p>"
        f"<h1>{escape(letter.subject)}</h1>{words}<p>{_block(letter.signature)}</p></section>"
    )


def letters_pdf(letters: Sequence[Letter]) -> bytes:
    """The letters in one tagged A4 PDF (PDF/UA-1, language en-GB, titled), each beginning on a new page:
    letterhead, address, date, subject, words and signature, exactly as the preview shows them. WeasyPrint, as the
    report's PDF uses."""
    title = letters[0].subject if len(letters) == 1 else "Letters for post"
    html = (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body>{''.join(_letter_html(letter) for letter in letters)}</body></html>"
    )
    document = HTML(string=html).render(pdf_variant=_PDF_VARIANT)
    return bytes(document.write_pdf(pdf_variant=_PDF_VARIANT))


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
