"""Redacting a case's audit trail when the records retention removes the case's personal data (ADR 0006).

Rows recorded since free text was kept out of the trail (``audit.services.events``) hold no words; their words are
in ``AuditEventText``, which is deleted. Rows recorded before then may hold a person's words or name: in the
``before``/``after`` values listed in ``LEGACY_FREE_TEXT_KEYS`` and in some summaries. Those are replaced by
redaction markers, in the one UPDATE of an audit row the database triggers allow (``audit.append_only``): it sets
``redacted_at`` once, and may only take words away.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.append_only import REDACTED_SUMMARY
from opencomplaints.audit.models import AuditEvent, AuditEventText, AuditEventType
from opencomplaints.audit.services.events import FREE_TEXT_MARKER

__all__ = ["LEGACY_FREE_TEXT_KEYS", "REDACTED_MARKER", "audit_events_redact", "redacted_value"]

# The key that marks a redacted value: ``{"redacted": true, "characters": 143}`` (the length only for a string).
REDACTED_MARKER = "redacted"

# The keys of ``before``/``after`` under which rows recorded before free text was kept out of the trail held
# words: notes and reasons, the points of complaint and recommendations, descriptions, names and file names.
LEGACY_FREE_TEXT_KEYS = frozenset(
    {
        "about_person",
        "action",
        "advocate_name",
        "comments",
        "decline_note",
        "description",
        "enquirer_name",
        "evidence",
        "extension_reason",
        "finding",
        "late_not_reasonable_to_expect_reason",
        "late_request_reason",
        "late_still_possible_reason",
        "not_implemented_reason",
        "note",
        "original_name",
        "points",
        "previous_stage_skipped_reason",
        "quote",
        "reason",
        "recommendations",
        "stage1_skipped_reason",
        "summary",
        "text",
    }
)
# Keys of the list above that hold a code, not words, in events of these types.
_CODES: dict[int, frozenset[str]] = {AuditEventType.STAGE_HELD: frozenset({"reason"})}


def _holds_words(value: Any) -> bool:
    if isinstance(value, str):
        return value != ""
    if isinstance(value, Mapping):
        if value.get(FREE_TEXT_MARKER) is True or value.get(REDACTED_MARKER) is True:
            return False
        return any(_holds_words(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_words(item) for item in value)
    return False


def redacted_value(value: Any) -> dict[str, Any]:
    """The marker that replaces ``value``: with the length of a string (the triggers check it)."""
    if isinstance(value, str):
        return {REDACTED_MARKER: True, "characters": len(value)}
    return {REDACTED_MARKER: True}


def _redact_values(values: Mapping[str, Any], event_type: int) -> dict[str, Any]:
    codes = _CODES.get(event_type, frozenset())
    return {
        key: redacted_value(value)
        if key in LEGACY_FREE_TEXT_KEYS and key not in codes and _holds_words(value)
        else value
        for key, value in values.items()
    }


# -- summaries ---------------------------------------------------------------------------------------------------
# Each rule finds, in a summary in the form it was written before free text was kept out of the trail, the stretch
# holding words or a name; ``None`` when the summary is not in that form (a newer one names nothing).

Span = tuple[int, int]


def _after_colon(summary: str, event: AuditEvent) -> Span | None:
    # The words follow the first colon: a reopened case, a restriction, a learning action, emergency access.
    at = summary.find(": ")
    return (at + 2, len(summary)) if at >= 0 and at + 2 < len(summary) else None


_INTEREST = re.compile(r" (has|does not have) sufficient interest \(R1\.9\)$")


def _person_first(summary: str, event: AuditEvent) -> Span | None:
    # The person's name came first, then whether they have sufficient interest.
    found = _INTEREST.search(summary)
    if found is None or summary.startswith("Person #"):
        return None
    return (0, found.start()) if found.start() > 0 else None


def _file_name(summary: str, event: AuditEvent) -> Span | None:
    # The kind of document, its file name, then the case: the name is in the row's own ``after``.
    name = event.after.get("original_name")
    if not isinstance(name, str) or not name:
        return None
    at = summary.find(name)
    return (at, at + len(name)) if at >= 0 else None


def _file_name_first(summary: str, event: AuditEvent) -> Span | None:
    # The file name, then that it was downloaded.
    if summary.startswith("Document #") or not summary.endswith(" downloaded"):
        return None
    end = len(summary) - len(" downloaded")
    return (0, end) if end > 0 else None


_MESSAGE_ENDINGS = (" marked as sent by hand", " could not be sent", " sent")


def _recipient(summary: str, event: AuditEvent) -> Span | None:
    # The kind of message, " to ", the recipient and what happened: the recipient follows the last " to " before
    # the ending (the name of a kind of message may itself say "to the case owner").
    if "(message #" in summary:
        return None
    ending = next((e for e in _MESSAGE_ENDINGS if summary.endswith(e)), None)
    if ending is None:
        return None
    end = len(summary) - len(ending)
    at = summary.rfind(" to ", 0, end)
    return (at + 4, end) if at >= 0 and at + 4 < end else None


_SUMMARY_RULES: dict[int, Callable[[str, AuditEvent], Span | None]] = {
    AuditEventType.CASE_REOPENED: _after_colon,
    AuditEventType.CASE_RESTRICTED: _after_colon,
    AuditEventType.CASE_UNRESTRICTED: _after_colon,
    AuditEventType.CASE_ACCESS_GRANTED: _after_colon,
    AuditEventType.BREAK_GLASS: _after_colon,
    AuditEventType.LEARNING_ACTION_CREATED: _after_colon,
    AuditEventType.LEARNING_ACTION_UPDATED: _after_colon,
    AuditEventType.LEARNING_ACTION_IMPLEMENTED: _after_colon,
    AuditEventType.LEARNING_ACTION_NOT_IMPLEMENTED: _after_colon,
    AuditEventType.SUFFICIENT_INTEREST_DECIDED: _person_first,
    AuditEventType.DOCUMENT_UPLOADED: _file_name,
    AuditEventType.DOCUMENT_DOWNLOADED: _file_name_first,
    AuditEventType.MESSAGE_SENT: _recipient,
    AuditEventType.MESSAGE_FAILED: _recipient,
}


def _legacy_words(values: Mapping[str, Any]) -> list[str]:
    return [v for key, v in values.items() if key in LEGACY_FREE_TEXT_KEYS and isinstance(v, str) and len(v) > 2]


def _words_span(summary: str, event: AuditEvent) -> Span | None:
    # Any other summary: from the first to the end of the last of the row's own words it quotes.
    spans = [
        (at, at + len(words))
        for words in _legacy_words(event.before) + _legacy_words(event.after)
        if (at := summary.find(words)) >= 0
    ]
    return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else None


def _redact_summary(event: AuditEvent) -> str:
    summary = event.summary
    rule = _SUMMARY_RULES.get(event.event_type, _words_span)
    span = rule(summary, event)
    if span is None:
        return summary
    start, end = span
    # The column holds 500 characters. What is kept must stay a start and an end of the summary (the triggers
    # check it), so each is shortened from the side next to the marker, the start first.
    room = 500 - len(REDACTED_SUMMARY)
    kept_end = summary[end:]
    kept_end = kept_end[max(0, len(kept_end) - room) :]
    kept_start = summary[:start][: room - len(kept_end)]
    return f"{kept_start}{REDACTED_SUMMARY}{kept_end}"


@transaction.atomic
def audit_events_redact(*, case_id: int, acting_user: User | None) -> int:
    """Take every person's words out of ``case_id``'s audit trail, for good: delete the words kept beside its rows
    and redact the rows recorded before free text was kept out of them (the ``before``/``after`` values under
    ``LEGACY_FREE_TEXT_KEYS`` and the stretch of a summary that quotes words or names someone). Every row of the
    case not redacted yet is marked with ``redacted_at`` and ``acting_user`` (blank for the system), whether it
    needed changing or not, so a second call finds nothing to do; the database refuses to redact a row twice.

    Returns how many rows were marked. Call it in the transaction that removes the case's other personal data.
    """
    AuditEventText.objects.filter(event__case_id=case_id).delete()
    now = timezone.now()
    marked = 0
    for event in AuditEvent.objects.filter(case_id=case_id, redacted_at__isnull=True).order_by("id"):
        marked += AuditEvent.objects.filter(pk=event.pk, redacted_at__isnull=True).update(
            before=_redact_values(event.before, event.event_type),
            after=_redact_values(event.after, event.event_type),
            summary=_redact_summary(event),
            redacted_at=now,
            redacted_by=acting_user,
        )
    return marked
