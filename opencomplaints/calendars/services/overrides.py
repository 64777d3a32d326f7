from datetime import date

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.calendars.models import BankHolidayOverride, OverrideKind
from opencomplaints.calendars.selectors import calendar_overrides
from opencomplaints.calendars.signals import working_days_changed
from opencomplaints.common.errors import DomainError
from opencomplaints.deadlines import CalendarOverride, CalendarRangeError, england_and_wales_calendar
from opencomplaints.deadlines import OverrideKind as EngineOverrideKind

OVERRIDE_EXISTS = "There is already an override for {day}. Remove it first if it is wrong."
OVERRIDE_NEEDS_REASON = "Enter the reason for the override, for example the proclamation."


@transaction.atomic
def calendar_override_create(
    *, on_date: date, kind: OverrideKind, reason: str, source_url: str = "", acting_user: User | None
) -> BankHolidayOverride:
    """Record a newly proclaimed bank holiday (or a cancelled one) so every deadline follows it (R5.6).

    The engine checks the override makes sense (a removal must remove a listed holiday on a weekday). Every open
    case's stored due dates move in the same transaction, so no one ever sees a deadline on the old calendar.
    """
    reason = reason.strip()
    if not reason:
        raise DomainError(OVERRIDE_NEEDS_REASON, field="reason")
    if BankHolidayOverride.objects.filter(on_date=on_date).exists():
        raise DomainError(OVERRIDE_EXISTS.format(day=f"{on_date:%-d %B %Y}"), field="on_date")
    proposed = CalendarOverride(on=on_date, kind=EngineOverrideKind(kind), reason=reason, source_url=source_url)
    try:
        england_and_wales_calendar((*calendar_overrides(), proposed))
    except (ValueError, CalendarRangeError) as error:
        raise DomainError(str(error), field="on_date") from error
    override = BankHolidayOverride(
        on_date=on_date, kind=kind, reason=reason, source_url=source_url, created_by=acting_user
    )
    override.full_clean()
    override.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.CALENDAR_OVERRIDE_ADDED,
        subject=override,
        summary=f"Calendar override: {override}",
        after={"on_date": on_date, "kind": kind, "reason": reason, "source_url": source_url},
    )
    working_days_changed.send(sender=BankHolidayOverride)
    return override


@transaction.atomic
def calendar_override_delete(*, override: BankHolidayOverride, acting_user: User | None) -> None:
    """Remove an override; the statutory calendar from the installed data applies again for that day."""
    before = {"on_date": override.on_date, "kind": override.kind, "reason": override.reason}
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.CALENDAR_OVERRIDE_REMOVED,
        subject=override,
        summary=f"Calendar override removed: {override}",
        before=before,
    )
    override.delete()
    working_days_changed.send(sender=BankHolidayOverride)
