import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent, AuditEventType


def _jsonable(value: Any) -> Any:
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

    Call it inside the service's transaction, so the change and its audit row commit (or fail) together.
    """
    return AuditEvent.objects.create(
        event_time=timezone.now(),
        acting_user=acting_user,
        event_type=event_type,
        case_id=case_id,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        summary=summary[:500],
        before=_jsonable(dict(before or {})),
        after=_jsonable(dict(after or {})),
    )
