"""A council's procedures as versioned data (docs/adr/0014-procedures-as-data.md).

A council changes its corporate procedure or its local timescales by creating the next version; the version in
force is never edited, so every case keeps the rules it started under (the case names its version) and a change
never moves an existing case's due dates. The checks here refuse rules that make no sense before anything is
saved; the messages are for the people who configure the council, so they cite no rule numbers.

The children's statutory procedure is fixed by the 2006 Regulations and has no configuration (R1.20-R1.33).
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import CorporateProcedure, Council, LocalTimescales, ProcedureVersion
from opencomplaints.councils.services.validation import full_clean_or_domain_error
from opencomplaints.deadlines import ADULTS_MAX_ACKNOWLEDGE_DAYS, ADULTS_MAX_RESPONSE_MONTHS

__all__ = [
    "CORPORATE_FIELDS",
    "LOCAL_FIELDS",
    "corporate_procedure_check",
    "corporate_procedure_create",
    "corporate_procedure_revise",
    "local_timescales_check",
    "local_timescales_create",
    "local_timescales_revise",
]

#: The fields a council configures; every other field is the version's bookkeeping.
CORPORATE_FIELDS = (
    "name",
    "stage_count",
    "acknowledge_days",
    "stage1_days",
    "stage1_extension_days",
    "stage2_acknowledge_days",
    "stage2_days",
    "stage2_extension_days",
    "escalation_window_days",
)
LOCAL_FIELDS = ("adults_acknowledge_days", "adults_response_months", "enquiry_response_days")

#: A year of working days: more than any council's procedure allows, so a longer value is a typing slip.
MAX_WORKING_DAYS = 260

_LABELS = {
    "acknowledge_days": "The stage 1 acknowledgement time",
    "stage1_days": "The stage 1 response time",
    "stage1_extension_days": "The stage 1 extension",
    "stage2_acknowledge_days": "The stage 2 acknowledgement time",
    "stage2_days": "The stage 2 response time",
    "stage2_extension_days": "The stage 2 extension",
    "escalation_window_days": "The window to ask for stage 2",
    "adults_acknowledge_days": "The adults' acknowledgement time",
    "adults_response_months": "The adults' response period",
    "enquiry_response_days": "The time to answer an enquiry",
}
_STAGE2 = ("stage2_acknowledge_days", "stage2_days", "stage2_extension_days")

PROCEDURE_NEEDS_NAME = "Enter the procedure's name."
PROCEDURE_STAGES = "Choose one stage or two."
DAYS_NOT_WHOLE = "{label} must be a whole number of working days."
DAYS_NEGATIVE = "{label} cannot be negative."
DAYS_TOO_MANY = "{label} must be at most {most} working days."
RESPONSE_NEEDED = "Enter the stage {number} response time: at least 1 working day."
RESPONSE_SHORTER_THAN_ACKNOWLEDGEMENT = (
    "The stage {number} response time ({response} working days) cannot be shorter than its acknowledgement time "
    "({acknowledge} working days)."
)
ONE_STAGE_HAS_NO_STAGE2 = "A one-stage procedure has no stage 2: leave the stage 2 timescales blank."
ONE_STAGE_HAS_NO_WINDOW = "A one-stage procedure has no stage 2 to ask for: leave the window to ask for stage 2 blank."
ADULTS_ACKNOWLEDGE_RANGE = (
    "The adults' acknowledgement time must be from 1 to {most} working days: the Regulations allow no longer."
)
ADULTS_MONTHS_RANGE = (
    "The adults' response period must be from 1 to {most} months: a longer period must be agreed with the "
    "complainant, case by case."
)
ENQUIRY_DAYS_NEEDED = "Enter the time to answer an enquiry: at least 1 working day."
VERSION_REPLACED = "Version {version} has been replaced by version {current}: change the current version instead."
NOTHING_CHANGED = "Nothing has changed, so version {version} stays in force."
LOCAL_ALREADY = "{council} already has local timescales: change the version in force instead."
FIELD_UNKNOWN = "{field} is not part of the procedure's configuration."


def _days(values: Mapping[str, Any], field: str, *, most: int = MAX_WORKING_DAYS) -> int:
    """The value of a days field, 0 when blank; refuses a value that is not a whole number from 0 to ``most``."""
    value = values.get(field)
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(DAYS_NOT_WHOLE.format(label=_LABELS[field]), field=field)
    if value < 0:
        raise DomainError(DAYS_NEGATIVE.format(label=_LABELS[field]), field=field)
    if value > most:
        raise DomainError(DAYS_TOO_MANY.format(label=_LABELS[field], most=most), field=field)
    return value


def _stage_check(values: Mapping[str, Any], number: int, acknowledge: str, response: str, extension: str) -> None:
    ack, days = _days(values, acknowledge), _days(values, response)
    _days(values, extension)
    if days < 1:
        raise DomainError(RESPONSE_NEEDED.format(number=number), field=response)
    if days < ack:
        raise DomainError(
            RESPONSE_SHORTER_THAN_ACKNOWLEDGEMENT.format(number=number, response=days, acknowledge=ack),
            field=response,
        )


def corporate_procedure_check(values: Mapping[str, Any]) -> None:
    """Refuse a corporate procedure that makes no sense (R3.9): negative or missing days, a response due before
    its acknowledgement, or stage 2 timescales (or a window to ask for stage 2) on a one-stage procedure."""
    if not str(values.get("name") or "").strip():
        raise DomainError(PROCEDURE_NEEDS_NAME, field="name")
    stage_count = values.get("stage_count")
    if stage_count not in (1, 2):
        raise DomainError(PROCEDURE_STAGES, field="stage_count")
    _stage_check(values, 1, "acknowledge_days", "stage1_days", "stage1_extension_days")
    if stage_count == 2:
        _stage_check(values, 2, "stage2_acknowledge_days", "stage2_days", "stage2_extension_days")
        _days(values, "escalation_window_days")
        return
    for field in _STAGE2:
        if _days(values, field):
            raise DomainError(ONE_STAGE_HAS_NO_STAGE2, field=field)
    if _days(values, "escalation_window_days"):
        raise DomainError(ONE_STAGE_HAS_NO_WINDOW, field="escalation_window_days")


def local_timescales_check(values: Mapping[str, Any]) -> None:
    """Refuse local timescales outside the Regulations' limits for the adults' procedure (R2.5, R2.6) or an
    enquiry with no time to answer it."""
    ack = _days(values, "adults_acknowledge_days")
    if not 1 <= ack <= ADULTS_MAX_ACKNOWLEDGE_DAYS:
        raise DomainError(
            ADULTS_ACKNOWLEDGE_RANGE.format(most=ADULTS_MAX_ACKNOWLEDGE_DAYS), field="adults_acknowledge_days"
        )
    months = _days(values, "adults_response_months")
    if not 1 <= months <= ADULTS_MAX_RESPONSE_MONTHS:
        raise DomainError(ADULTS_MONTHS_RANGE.format(most=ADULTS_MAX_RESPONSE_MONTHS), field="adults_response_months")
    if _days(values, "enquiry_response_days") < 1:
        raise DomainError(ENQUIRY_DAYS_NEEDED, field="enquiry_response_days")


def _cleaned(values: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    unknown = [f for f in values if f not in fields]
    if unknown:
        raise DomainError(FIELD_UNKNOWN.format(field=unknown[0]), field=unknown[0])
    cleaned = dict(values)
    if "name" in cleaned:
        cleaned["name"] = str(cleaned["name"] or "").strip()
    if cleaned.get("stage_count") == 1:
        # A one-stage procedure stores no stage 2 values at all, so nothing can read a stale one. Values given with
        # it are checked (and refused) rather than dropped.
        cleaned.update({f: None for f in (*_STAGE2, "escalation_window_days") if f not in values})
    return cleaned


def _values(row: ProcedureVersion, fields: tuple[str, ...]) -> dict[str, Any]:
    return {field: getattr(row, field) for field in fields}


def _record(
    row: ProcedureVersion, fields: tuple[str, ...], acting_user: User | None, before: ProcedureVersion | None
) -> None:
    what = "Corporate procedure" if isinstance(row, CorporateProcedure) else "Local timescales"
    if before is None:
        event, summary = AuditEventType.PROCEDURE_VERSION_CREATED, f"{what} created: version {row.version}"
    else:
        event, summary = AuditEventType.PROCEDURE_VERSION_CHANGED, f"{what} changed: version {row.version} in force"
    audit_event_record(
        acting_user=acting_user,
        event_type=event,
        subject=row,
        summary=f"{summary} ({row.council})",
        before={} if before is None else {"id": before.pk, "version": before.version, **_values(before, fields)},
        after={"id": row.pk, "council": row.council, "version": row.version, **_values(row, fields)},
    )


def _create[V: ProcedureVersion](
    model: type[V],
    *,
    council: Council,
    values: Mapping[str, Any],
    fields: tuple[str, ...],
    check: Callable[[Mapping[str, Any]], None],
    acting_user: User | None,
    extra: Mapping[str, Any] | None = None,
) -> V:
    defaults = _values(model(council=council), fields)
    chosen = {**defaults, **_cleaned(values, fields)}
    check(chosen)
    row = model(council=council, version=1, **chosen, **(extra or {}))
    full_clean_or_domain_error(row)
    row.save()
    _record(row, fields, acting_user, None)
    return row


def _revise[V: ProcedureVersion](
    current: V,
    *,
    changes: Mapping[str, Any],
    fields: tuple[str, ...],
    check: Callable[[Mapping[str, Any]], None],
    acting_user: User | None,
) -> V:
    model = type(current)
    manager = model._default_manager
    locked = manager.select_for_update().get(pk=current.pk)
    if locked.superseded_at is not None:
        latest: V = locked
        while (following := manager.filter(supersedes=latest).first()) is not None:
            latest = following
        raise DomainError(VERSION_REPLACED.format(version=locked.version, current=latest.version), field=None)
    before = _values(locked, fields)
    chosen = {**before, **_cleaned(changes, fields)}
    if chosen == before:
        raise DomainError(NOTHING_CHANGED.format(version=locked.version), field=None)
    check(chosen)
    carried = {"is_default": locked.is_default} if isinstance(locked, CorporateProcedure) else {}
    # The old version stops being current first: at most one current default per council.
    locked.superseded_at = timezone.now()
    update = ["superseded_at", "updated_at"]
    if isinstance(locked, CorporateProcedure):
        locked.is_default = False
        update.append("is_default")
    locked.save(update_fields=update)
    row = model(council=locked.council, version=locked.version + 1, supersedes=locked, **chosen, **carried)
    full_clean_or_domain_error(row)
    row.save()
    _record(row, fields, acting_user, locked)
    return row


@transaction.atomic
def corporate_procedure_create(
    *, council: Council, acting_user: User | None, is_default: bool = True, **values: Any
) -> CorporateProcedure:
    """Version 1 of a corporate procedure for ``council``; values not given are the Complaint Handling Code's
    (R3.5, R3.6). A new default replaces the council's current default for new complaints."""
    if is_default:
        CorporateProcedure.objects.filter(council=council, is_default=True).update(is_default=False)
    return _create(
        CorporateProcedure,
        council=council,
        values=values,
        fields=CORPORATE_FIELDS,
        check=corporate_procedure_check,
        acting_user=acting_user,
        extra={"is_default": is_default},
    )


@transaction.atomic
def corporate_procedure_revise(
    *, procedure: CorporateProcedure, acting_user: User | None, changes: Mapping[str, Any]
) -> CorporateProcedure:
    """The next version of ``procedure`` with ``changes``: new complaints use it, existing complaints keep the
    version they were registered under (their due dates do not move)."""
    return _revise(
        procedure, changes=changes, fields=CORPORATE_FIELDS, check=corporate_procedure_check, acting_user=acting_user
    )


@transaction.atomic
def local_timescales_create(*, council: Council, acting_user: User | None, **values: Any) -> LocalTimescales:
    """Version 1 of the council's local timescales; values not given are the Regulations' (R2.5, R2.6) and ten
    working days for an enquiry."""
    if LocalTimescales.objects.filter(council=council, superseded_at__isnull=True).exists():
        raise DomainError(LOCAL_ALREADY.format(council=council.name), field="council")
    return _create(
        LocalTimescales,
        council=council,
        values=values,
        fields=LOCAL_FIELDS,
        check=local_timescales_check,
        acting_user=acting_user,
    )


@transaction.atomic
def local_timescales_revise(
    *, council: Council, acting_user: User | None, changes: Mapping[str, Any]
) -> LocalTimescales:
    """The next version of the council's local timescales (version 1 if it has none yet)."""
    current = LocalTimescales.objects.filter(council=council, superseded_at__isnull=True).first()
    if current is None:
        return local_timescales_create(council=council, acting_user=acting_user, **changes)
    return _revise(current, changes=changes, fields=LOCAL_FIELDS, check=local_timescales_check, acting_user=acting_user)
