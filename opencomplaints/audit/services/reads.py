"""Recording who read case data: every view of a case, search, export, download and report (issue 7, part A).

The interface layer calls ``audit_read_record`` once it has what it is about to show or send, so a read that
fails is not recorded as seen. Reads are on the same append-only trail as changes, with types in the 700s;
the "who has seen this case" page lists a case's reads (``READ_EVENT_TYPES``).
"""

from collections.abc import Mapping
from typing import Any

from django.db import models

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.audit.services.events import FreeText, event_create

__all__ = ["ACCESS_EVENT_TYPES", "READ_EVENT_TYPES", "audit_read_record"]

# What the "who has seen this case" page lists: reads of the case, and changes to who may read it.
READ_EVENT_TYPES = frozenset(
    {
        AuditEventType.CASE_VIEWED,
        AuditEventType.EXPORT_DOWNLOADED,
        AuditEventType.DOCUMENT_DOWNLOADED,
        AuditEventType.BREAK_GLASS,
        AuditEventType.ACCESS_LOG_VIEWED,
        AuditEventType.MESSAGE_VIEWED,
    }
)
ACCESS_EVENT_TYPES = frozenset(
    {
        AuditEventType.CASE_RESTRICTED,
        AuditEventType.CASE_UNRESTRICTED,
        AuditEventType.CASE_ACCESS_GRANTED,
        AuditEventType.CASE_ACCESS_REVOKED,
    }
)


def audit_read_record(
    *,
    acting_user: User | None,
    event_type: AuditEventType,
    summary: str,
    subject: models.Model | None = None,
    case_id: int | None = None,
    reason: str = "",
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``acting_user`` read something: ``subject`` (the case, a council for a report or an export, or
    nothing for a search), with ``case_id`` when it is one case's data, ``reason`` when one was given (break-glass
    access), and ``details`` saying exactly what was shown or sent (the rows of an export, the cases a search
    showed). As with changes, free text (the reason, the words searched for) is stored as its length only: wrap
    it in ``FreeText`` in ``details``, and keep it out of ``summary``."""
    after = dict(details or {})
    if reason:
        after["reason"] = FreeText(reason)
    return event_create(
        acting_user=acting_user,
        event_type=event_type,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        summary=summary,
        case_id=case_id,
        before={},
        after=after,
    )
