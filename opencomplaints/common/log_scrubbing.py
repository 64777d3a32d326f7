"""Keeps personal data out of the logs: the service holds details of children and families, and logs are copied to
places (hosting consoles, support tickets) that case data must never reach.

``PersonalDataFilter`` rewrites each record before any handler formats it. It removes query strings (search terms
are names), drops the request object Django attaches to error records (its body holds posted form values), and
masks follow-link tokens, email addresses, UK postcodes, phone numbers and ``name=value`` pairs of known personal
fields in the message, its arguments and any traceback text.
"""

from __future__ import annotations

import logging
import re

__all__ = ["PersonalDataFilter", "scrub"]

REMOVED = "[removed]"

PERSONAL_FIELDS = (
    "first_name",
    "last_name",
    "name",
    "full_name",
    "email",
    "phone",
    "address",
    "postcode",
    "date_of_birth",
    "summary",
    "description",
    "note",
    "comments",
    "username",
    "password",
    "token",
    "q",
)

_PATTERNS = (
    # A URL's query string, up to the next space or quote: "GET /search/?q=Smith HTTP/1.1".
    (re.compile(r"\?[^\s\"']+"), "?" + REMOVED),
    # The public portal's follow links carry a secret token in the path.
    (re.compile(r"(/follow/)[^/\s\"']+"), r"\1" + REMOVED),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), REMOVED),
    (re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.IGNORECASE), REMOVED),
    (re.compile(r"(?<![\w-])(?:\+44\s?|0)(?:\d[\s-]?){9,10}\b"), REMOVED),
    (
        re.compile(r"\b(" + "|".join(PERSONAL_FIELDS) + r")(['\"]?\s*[=:]\s*)(['\"]?)[^,&;\s'\"}]+", re.IGNORECASE),
        r"\1\2\3" + REMOVED,
    ),
)


def scrub(text: str) -> str:
    """``text`` with query strings, email addresses, postcodes, phone numbers and personal ``field=value`` pairs
    replaced by ``[removed]``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        # Django's request logger attaches the request, whose POST data and cookies handlers could print.
        if hasattr(record, "request"):
            record.request = None
        return True
