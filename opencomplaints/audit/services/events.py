"""Recording changes on the audit trail, without the words people wrote (docs/adr/0006-retention.md).

Audit rows are append-only, so whatever a row holds stays for as long as the case exists, long after the records
retention has removed the case's personal data. A row therefore never holds free text: a note, a reason, a
description, a person's or a file's name. The caller wraps such a value in ``FreeText``; the row stores
``{"free_text": true, "characters": N}`` in its place (so the trail still shows that it was given, changed or
cleared), and the words go to ``AuditEventText`` beside the row, where the case page can show them and the retention
deletes them with the case's other personal data. An event on no case keeps no words at all: nothing would ever
remove them. Summaries name people and documents by record id, never by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent, AuditEventText, AuditEventType
from opencomplaints.common.dispatch import CHANGE_RECORDED, event_raise

__all__ = ["FREE_TEXT_MARKER", "FreeText", "audit_event_record", "free_text_field", "free_text_marker"]

# The key that marks a stored free-text value: ``{"free_text": true, "characters": 143}``.
FREE_TEXT_MARKER = "free_text"

# Character fields without choices are free text unless they are one of these identifiers.
_IDENTIFIER_FIELDS = frozenset({"reference", "lgsco_reference"})


@dataclass(frozen=True)
class FreeText:
    """Words a person wrote or a name they gave: on the audit trail only as a marker with its length."""

    value: str

    def __str__(self) -> str:
        return self.value


def free_text_marker(value: str) -> dict[str, Any]:
    return {FREE_TEXT_MARKER: True, "characters": len(value)}


def free_text_field(field: models.Field[Any, Any] | models.ForeignObjectRel) -> bool:
    """Whether a model field holds free text: any text field, and any character field without choices except an
    identifier (a case reference). Names, emails, notes and reasons all are."""
    if isinstance(field, models.TextField):
        return True
    return isinstance(field, models.CharField) and not field.choices and field.name not in _IDENTIFIER_FIELDS


def _jsonable(value: Any) -> Any:
    if isinstance(value, FreeText):
        return free_text_marker(value.value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Each ``FreeText`` in ``value`` with the path to it (the same keys and positions ``_jsonable`` keeps)."""
    if isinstance(value, FreeText):
        if value.value:
            yield path, value.value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for position, item in enumerate(value):
            yield from _texts(item, f"{path}[{position}]")


def event_create(
    *,
    acting_user: User | None,
    event_type: AuditEventType,
    subject_type: str,
    subject_id: str,
    summary: str,
    case_id: int | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> AuditEvent:
    """The row, and for an event on a case the words of its free-text values beside it."""
    event = AuditEvent.objects.create(
        event_time=timezone.now(),
        acting_user=acting_user,
        event_type=event_type,
        case_id=case_id,
        subject_type=subject_type,
        subject_id=subject_id,
        summary=summary[:500],
        before=_jsonable(dict(before)),
        after=_jsonable(dict(after)),
    )
    if case_id is not None:
        AuditEventText.objects.bulk_create(
            AuditEventText(event=event, side=side, path=path[:255], text=text)
            for side, values in ((AuditEventText.Side.BEFORE, before), (AuditEventText.Side.AFTER, after))
            for path, text in _texts(values, "")
        )
    return event


def audit_event_record(
    *,
    acting_user: User | None,
    event_type: AuditEventType,
    subject: models.Model,
    summary: str,
    case_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record who did what to which record, with the fields before and after.

    Wrap every free-text value of ``before`` and ``after`` in ``FreeText`` (the row keeps its length, not its
    words), and keep ``summary`` free of it too: name people and documents by record id. Call it inside the
    service's transaction, so the change and its audit row commit (or fail) together.
    """
    event = event_create(
        acting_user=acting_user,
        event_type=event_type,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        summary=summary,
        case_id=case_id,
        before=before or {},
        after=after or {},
    )
    # Upward, for the API's webhooks (docs/adr/0023-oauth-and-webhooks.md): every change has this one event.
    event_raise(CHANGE_RECORDED, event_type=int(event_type), case_id=case_id)
    return event
