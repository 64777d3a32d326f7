"""Correcting a case's details after registration: what it is about, how it came in, who made it and the child it
concerns. Each change is one audit event with the values before and after (free text as ``FreeText``, as
everywhere: docs/adr/0006-retention.md). The date received has its own service, ``case_receipt_correct``, as its
deadlines are worked out again.

Per docs/adr/0010-per-stage-values.md the case keeps the current values and each stage the values it was recorded
with: a correction of how the case came in or who made it is also made on the open stage, the one it is about."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, CaseChild, CaseComplainant, Stage
from opencomplaints.cases.services._common import changes, lock_case, record, save_changes, snapshot

__all__ = [
    "CASE_DETAIL_FIELDS",
    "CHILD_DETAIL_FIELDS",
    "COMPLAINANT_DETAIL_FIELDS",
    "case_details_change",
    "case_link_change",
    "child_details_change",
    "complainant_details_change",
]

# Which values each service may change, by the record they are on.
CASE_DETAIL_FIELDS = frozenset({"summary", "topic", "received_via"})
COMPLAINANT_DETAIL_FIELDS = {
    "person": frozenset({"first_name", "last_name", "email", "phone", "address", "postcode"}),
    "complainant": frozenset({"complainant_type"}),
}
CHILD_DETAIL_FIELDS = {
    "person": frozenset({"first_name", "last_name", "date_of_birth"}),
    "child": frozenset({"support_category"}),
}
# The values a stage keeps of its own (ADR 0010) that these services change.
_STAGE_FIELDS = frozenset({"received_via", "complainant_type"})


def _apply(
    records: Mapping[str, tuple[models.Model, frozenset[str]]], values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set ``values`` (each named by its field) on the record that holds it; the changes as "record.field"."""
    unknown = set(values) - {name for _, allowed in records.values() for name in allowed}
    if unknown:
        raise ProcedureError(
            errors.INVALID_RECORD.format(message=f"These details cannot be changed: {sorted(unknown)}")
        )
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for label, (instance, allowed) in records.items():
        mine = [name for name in values if name in allowed]
        was = snapshot(instance, mine)
        for name in mine:
            value = values[name]
            setattr(instance, name, value.strip() if isinstance(value, str) else value)
        old, new = changes(was, snapshot(instance, mine))
        if new:
            save_changes(instance, new)
            before.update({f"{label}.{k}": v for k, v in old.items()})
            after.update({f"{label}.{k}": v for k, v in new.items()})
    if not after:
        raise ProcedureError(errors.DETAILS_UNCHANGED)
    return before, after


def _open_stage_follows(case: Case, values: Mapping[str, Any]) -> None:
    mine = {k: v for k, v in values.items() if k in _STAGE_FIELDS}
    if mine:
        Stage.objects.filter(case=case, response_date__isnull=True).update(**mine)


@transaction.atomic
def case_details_change(*, case: Case, acting_user: User | None, values: Mapping[str, Any]) -> Case:
    """Correct the summary, the topic or how the case was received (``values`` names the fields)."""
    lock_case(case, stages=False)
    before, after = _apply({"case": (case, CASE_DETAIL_FIELDS)}, values)
    _open_stage_follows(case, values)
    record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_DETAILS_CHANGED,
        subject=case,
        case=case,
        summary=f"Details of {case.reference} changed",
        before=before,
        after=after,
    )
    return case


@transaction.atomic
def complainant_details_change(
    *, complainant: CaseComplainant, acting_user: User | None, values: Mapping[str, Any]
) -> CaseComplainant:
    """Correct a complainant's name, contact details or type (how they relate to the child or the service)."""
    case = complainant.case
    lock_case(case, stages=False)
    records = {
        "person": (complainant.person, COMPLAINANT_DETAIL_FIELDS["person"]),
        "complainant": (complainant, COMPLAINANT_DETAIL_FIELDS["complainant"]),
    }
    before, after = _apply(records, values)
    if complainant.is_primary:
        _open_stage_follows(case, values)
    record(
        acting_user=acting_user,
        event_type=AuditEventType.COMPLAINANT_DETAILS_CHANGED,
        subject=complainant,
        case=case,
        summary=f"Details of complainant #{complainant.pk} on {case.reference} changed",
        before=before,
        after=after,
    )
    return complainant


@transaction.atomic
def child_details_change(*, child: CaseChild, acting_user: User | None, values: Mapping[str, Any]) -> CaseChild:
    """Correct the name or date of birth of the child a case concerns, or the support they have."""
    case = child.case
    lock_case(case, stages=False)
    records = {"person": (child.person, CHILD_DETAIL_FIELDS["person"]), "child": (child, CHILD_DETAIL_FIELDS["child"])}
    before, after = _apply(records, values)
    if "support_category" in values:
        Stage.objects.filter(case=case, response_date__isnull=True).update(support_category=values["support_category"])
    record(
        acting_user=acting_user,
        event_type=AuditEventType.CHILD_DETAILS_CHANGED,
        subject=child,
        case=case,
        summary=f"Details of child #{child.pk} on {case.reference} changed",
        before=before,
        after=after,
    )
    return child


@transaction.atomic
def case_link_change(*, case: Case, acting_user: User | None, linked_reference: str) -> Case:
    """Say which earlier case of the same council this one re-raises or resubmits (R1.13, R1.14), by its
    reference; an empty reference removes the link. The case page then warns where the earlier one was considered
    at every stage (``cases.warnings``)."""
    lock_case(case, stages=False)
    reference = linked_reference.strip()
    linked = None
    if reference:
        linked = Case.objects.filter(council_id=case.council_id, reference__iexact=reference).first()
        if linked is None:
            raise ProcedureError(errors.LINK_NOT_FOUND.format(reference=reference), field="linked_reference")
        if linked.pk == case.pk:
            raise ProcedureError(errors.LINK_ITSELF, field="linked_reference")
        seen: set[int] = {case.pk}
        step: Case | None = linked
        while step is not None:
            if step.pk in seen:
                raise ProcedureError(errors.LINK_CYCLE.format(reference=linked.reference), field="linked_reference")
            seen.add(step.pk)
            step = step.linked_case
    before = {"linked_case": case.linked_case_id}
    if before["linked_case"] == (linked.pk if linked else None):
        raise ProcedureError(errors.DETAILS_UNCHANGED)
    case.linked_case = linked
    save_changes(case, ["linked_case"])
    record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_LINK_CHANGED,
        subject=case,
        case=case,
        summary=f"Earlier case of {case.reference} changed",
        before=before,
        after={"linked_case": case.linked_case_id},
    )
    return case
