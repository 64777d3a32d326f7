"""What an uploaded file really is, from its bytes: plain Python, no Django.

The browser's content type is whatever the sender's machine guessed, and an extension is only a name, so neither
decides. The bytes must be one of the allowed formats, and the name must end with an extension of that format
(so a file is never downloaded under a name that makes the reader's computer open it as something else).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

__all__ = ["ALLOWED_FORMATS", "FileFormat", "format_for_name", "sniff_format"]


@dataclass(frozen=True)
class FileFormat:
    label: str
    content_type: str
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileFormat("PDF", "application/pdf", (".pdf",))
DOCX = FileFormat("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
DOC = FileFormat("DOC", "application/msword", (".doc",))
XLSX = FileFormat("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
ODT = FileFormat("ODT", "application/vnd.oasis.opendocument.text", (".odt",))
PNG = FileFormat("PNG", "image/png", (".png",))
JPEG = FileFormat("JPEG", "image/jpeg", (".jpg", ".jpeg"))
TXT = FileFormat("TXT", "text/plain", (".txt",))
EML = FileFormat("EML", "message/rfc822", (".eml",))
MSG = FileFormat("MSG", "application/vnd.ms-outlook", (".msg",))

ALLOWED_FORMATS: tuple[FileFormat, ...] = (PDF, DOCX, DOC, XLSX, ODT, PNG, JPEG, TXT, EML, MSG)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# Stream names in an OLE2 compound file's directory are UTF-16LE.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_OUTLOOK_STREAM = "__substg1.0_".encode("utf-16-le")
_ODT_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.text"
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]")
_MAIL_HEADERS = (b"from:", b"to:", b"subject:", b"date:", b"received:", b"message-id:", b"mime-version:")


def format_for_name(name: str) -> FileFormat | None:
    """The allowed format a file name's extension claims, if any."""
    suffix = PurePath(name).suffix.lower()
    return next((f for f in ALLOWED_FORMATS if suffix in f.extensions), None)


def _text(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Control characters other than whitespace mean a binary file, whatever it decodes to.
        if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
            return None
        return text
    return None


def _zip_format(data: bytes) -> FileFormat | None:
    # ODF puts an uncompressed "mimetype" entry first (ODF 1.2 part 3, 3.3), right after the 30-byte header.
    if data[30:].startswith(_ODT_MIMETYPE):
        return ODT
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def _is_email(data: bytes) -> bool:
    lines = data.lstrip(b"\r\n").splitlines()[:50]
    headers = [line.lower() for line in lines if _HEADER_LINE.match(line)]
    return bool(lines) and bool(_HEADER_LINE.match(lines[0])) and any(h.startswith(_MAIL_HEADERS) for h in headers)


def sniff_format(data: bytes, name: str) -> FileFormat | None:
    """The allowed format the bytes ``data`` are, or ``None`` when they are none of them.

    Binary formats are told by their signatures. Two pairs share a container and are told apart by what is inside
    it: Word 97-2003 documents and Outlook messages are both OLE2 compound files (a ``WordDocument`` stream, or
    ``__substg1.0_`` property streams); DOCX and XLSX are both ZIP packages (``word/`` or ``xl/``). Text has no
    signature: a ``.txt`` or ``.eml`` name is believed only for bytes that are text, and for ``.eml`` only when they
    begin with mail headers.
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(_ZIP):
        return _zip_format(data)
    if data.startswith(_OLE2):
        if _OUTLOOK_STREAM in data:
            return MSG
        if _WORD_STREAM in data:
            return DOC
        return None
    claimed = format_for_name(name)
    if claimed in (TXT, EML) and data and _text(data) is not None:
        if claimed is EML:
            return EML if _is_email(data) else TXT
        return TXT
    return None
