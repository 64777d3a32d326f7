"""Reads of the audit trail for the screens. Callers pass a case they obtained through ``opencomplaints.cases.access``
and have checked the user may see its access log (``CasePermissions.sees_access_log``)."""

from django.db.models import Prefetch, QuerySet

from opencomplaints.audit.models import AuditEvent, AuditEventText
from opencomplaints.audit.services.events import FREE_TEXT_MARKER
from opencomplaints.audit.services.reads import ACCESS_EVENT_TYPES, READ_EVENT_TYPES

__all__ = ["case_access_log", "event_text"]


def case_access_log(*, case_id: int) -> QuerySet[AuditEvent]:
    """Who has seen the case (views, downloads, exports, emergency access) and every change to who may see it,
    newest first (one indexed query per page, ``audit_case_type_time``, and one for the words recorded with them)."""
    return (
        AuditEvent.objects.filter(case_id=case_id, event_type__in=READ_EVENT_TYPES | ACCESS_EVENT_TYPES)
        .select_related("acting_user")
        .prefetch_related(
            Prefetch("texts", queryset=AuditEventText.objects.filter(side=AuditEventText.Side.AFTER).order_by("id"))
        )
        .order_by("-event_time", "-id")
    )


def event_text(event: AuditEvent, key: str) -> str | None:
    """The words recorded under ``key`` of ``event.after``: "" when none were given, ``None`` when they were removed
    after the retention period. They are beside the row (``texts``, prefetched by the selectors), or in the row
    itself if it was recorded before free text was kept out of the trail and has not been redacted."""
    value = event.after.get(key)
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return ""
    kept = next(
        (text.text for text in event.texts.all() if text.side == AuditEventText.Side.AFTER and text.path == key), None
    )
    if kept is not None:
        return kept
    return "" if value.get(FREE_TEXT_MARKER) is True and value.get("characters") == 0 else None
