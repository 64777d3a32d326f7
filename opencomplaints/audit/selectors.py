"""Reads of the audit trail for the screens. Callers pass a case they obtained through ``opencomplaints.cases.access``
and have checked the user may see its access log (``CasePermissions.sees_access_log``)."""

from django.db.models import QuerySet

from opencomplaints.audit.models import AuditEvent
from opencomplaints.audit.services.reads import ACCESS_EVENT_TYPES, READ_EVENT_TYPES

__all__ = ["case_access_log"]


def case_access_log(*, case_id: int) -> QuerySet[AuditEvent]:
    """Who has seen the case (views, downloads, exports, emergency access) and every change to who may see it,
    newest first (one indexed query per page: ``audit_case_type_time``)."""
    return (
        AuditEvent.objects.filter(case_id=case_id, event_type__in=READ_EVENT_TYPES | ACCESS_EVENT_TYPES)
        .select_related("acting_user")
        .order_by("-event_time", "-id")
    )
