"""Files that come out the same, byte for byte, every time they are made from the same report: DOCX and XLSX are
zip packages whose entries carry the time they were written, and openpyxl stamps the workbook "modified" now. Both
are set to the report's own date (its ``generated_on``; for a published report, the day it was published), so a
published report can be made again from its frozen figures and compared (docs/adr/0015-publication-freezes-the-
document.md)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

__all__ = ["stable_zip"]

_CORE = "docProps/core.xml"
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def stable_zip(data: bytes, on: date) -> bytes:
    """``data`` (a zip package) with every entry dated ``on`` (midnight) and the package's created and modified
    properties set to that day."""
    stamp = f"{on:%Y-%m-%d}T00:00:00Z".encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == _CORE:
                content = _STAMP.sub(lambda m: m.group(1) + stamp + m.group(2), content)
            entry = zipfile.ZipInfo(info.filename, date_time=(on.year, on.month, on.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()
