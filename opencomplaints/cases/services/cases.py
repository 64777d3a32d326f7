"""Changes that apply to a case of any kind."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText
from opencomplaints.cases import constants as c
from opencomplaints.cases import deadlines, errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, OmbudsmanDetail, Stage
from opencomplaints.cases.services._common import (
    changes,
    day,
    lock_case,
    record,
    require_complaint,
    require_open,
    save_changes,
    snapshot,
)
from opencomplaints.cases.services.allocation import owner_set, require_may_own
from opencomplaints.cases.services.inputs import LateAcceptance
from opencomplaints.deadlines import PROCEDURES, is_within_time_limit, time_limit_last_day

__all__ = ["case_owner_change", "case_receipt_correct", "case_support_record"]

_CASE_FIELDS = (
    "received_date",
    "received_at",
    "in_time",
    "late_acceptance_decided",
    "late_not_reasonable_to_expect_reason",
    "late_still_possible_reason",
    "status",
    "next_due_date",
    "response_due_date",
)


@transaction.atomic
def case_receipt_correct(
    *,
    case: Case,
    acting_user: User | None,
    received_date: date,
    reason: str,
    received_at: datetime | None = None,
    late_acceptance: LateAcceptance | None = None,
) -> Case:
    """Correct the date an open case was received. Day 0 moves, so every deadline that runs from it is worked out
    again (R5.10, R5.13), and a complaint's time limit is checked again (R1.12): one that is now out of time needs
    ``late_acceptance`` unless a decision was already recorded. Nothing recorded on the case may come before the
    new date."""
    state = lock_case(case)
    require_open(case)
    reason = reason.strip()
    if not reason:
        raise ProcedureError(errors.RECEIPT_CORRECTION_NEEDS_REASON, field="reason")
    if received_at is not None and timezone.localtime(received_at).date() != received_date:
        raise ProcedureError(
            errors.RECEIVED_AT_MISMATCH.format(
                received_date=day(received_date), received_at=f"{timezone.localtime(received_at):%d/%m/%Y %H:%M}"
            ),
            field="received_date",
        )
    later: list[tuple[str, date | None]] = []
    detail: OmbudsmanDetail | None = None
    first = state.stages[0] if state.stages else None
    if first is not None:
        later += [
            ("the response", first.response_date),
            ("the acknowledgement", first.acknowledged_date),
            ("the notice of the extension", first.extension_notified_date),
            ("the statement of complaint", first.statement_agreed_date),
            *[("a hold", h.start_date) for h in state.holds.get(first.pk, ())],
            *[(f"the request for stage {s.number}", s.received_date) for s in state.stages[1:]],
        ]
    if case.kind == c.Kind.OMBUDSMAN:
        detail = OmbudsmanDetail.objects.select_for_update().get(case=case)
        later += [("the Ombudsman's due date", detail.enquiry_due_date), ("the reply", detail.enquiry_responded_date)]
    for what, when in later:
        if when is not None and when < received_date:
            raise ProcedureError(
                errors.RECEIPT_AFTER_LATER_EVENT.format(what=what, when=day(when)), field="received_date"
            )
    before = snapshot(case, _CASE_FIELDS)
    case.received_date = received_date
    case.received_at = received_at
    fields = ["received_date", "received_at"]
    if case.kind == c.Kind.COMPLAINT and case.grounds_arose_date is not None:
        if case.grounds_arose_date > received_date:
            raise ProcedureError(
                errors.GROUNDS_AFTER_RECEIVED.format(grounds=day(case.grounds_arose_date), received=day(received_date)),
                field="received_date",
            )
        months = PROCEDURES[case.procedure].time_limit.months
        case.in_time = is_within_time_limit(
            grounds_arose_on=case.grounds_arose_date, received_on=received_date, months=months
        )
        fields.append("in_time")
        if late_acceptance is not None:
            if not (
                late_acceptance.accepted
                and late_acceptance.not_reasonable_to_expect_reason.strip()
                and late_acceptance.still_possible_reason.strip()
            ):
                # A refusal closes a complaint at registration; here it is a decline (complaint_decline).
                raise ProcedureError(errors.LATE_ACCEPTANCE_NEEDS_BOTH_REASONS, field="late_acceptance")
            case.late_acceptance_decided = True
            case.late_not_reasonable_to_expect_reason = late_acceptance.not_reasonable_to_expect_reason.strip()
            case.late_still_possible_reason = late_acceptance.still_possible_reason.strip()
            fields += ["late_acceptance_decided", "late_not_reasonable_to_expect_reason", "late_still_possible_reason"]
        elif not case.in_time and case.late_acceptance_decided is None:
            raise ProcedureError(
                errors.OUT_OF_TIME_NEEDS_DECISION.format(
                    months=months, last_day=day(time_limit_last_day(case.grounds_arose_date, months))
                ),
                field="late_acceptance",
            )
    if first is not None:
        first.received_date = received_date
        stage_fields = ["received_date"]
        if first.statement_agreed_date is None:
            # Until a statement is agreed a stage starts on the day it was received (R1.26).
            first.start_date = received_date
            stage_fields.append("start_date")
        save_changes(first, stage_fields)
    derived = deadlines.case_deadlines_refresh(
        case=case, stages=state.stages or None, holds=state.holds, ombudsman=detail
    )
    save_changes(case, [*fields, *derived])
    old, new = changes(before, snapshot(case, _CASE_FIELDS))
    record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_RECEIPT_CORRECTED,
        subject=case,
        case=case,
        summary=f"Date received of {case.reference} corrected to {day(received_date)}",
        before=old,
        after={**new, "reason": FreeText(reason)},
    )
    return case


_SUPPORT_FIELDS = ("mediation", "advocacy_offered", "advocacy_provided", "advocate_name", "advocate_organisation")


@transaction.atomic
def case_support_record(
    *,
    case: Case,
    acting_user: User | None,
    mediation: str,
    advocacy_offered: bool | None,
    advocacy_provided: bool | None,
    advocate_name: str = "",
    advocate_organisation: str = "",
) -> Case:
    """Record whether mediation was tried and how it ended, and the advocacy offered and provided (R1.17; the annual
    report counts both, R1.40 item 1). Advocacy cannot be provided without having been offered, and an advocate's
    name or organisation needs advocacy to have been provided."""
    lock_case(case, stages=False)
    require_complaint(case)
    if mediation not in c.Mediation.values:
        raise ProcedureError(
            errors.UNKNOWN_CHOICE.format(
                what="mediation result", value=mediation, choices=", ".join(c.Mediation.values)
            ),
            field="mediation",
        )
    advocate_name, advocate_organisation = advocate_name.strip(), advocate_organisation.strip()
    if advocacy_provided and advocacy_offered is False:
        raise ProcedureError(errors.ADVOCACY_PROVIDED_NOT_OFFERED, field="advocacy_offered")
    if (advocate_name or advocate_organisation) and not advocacy_provided:
        raise ProcedureError(errors.ADVOCATE_WITHOUT_ADVOCACY, field="advocacy_provided")
    before = snapshot(case, _SUPPORT_FIELDS)
    case.mediation = mediation
    case.advocacy_offered = advocacy_offered
    case.advocacy_provided = advocacy_provided
    case.advocate_name = advocate_name
    case.advocate_organisation = advocate_organisation
    was, now = changes(before, snapshot(case, _SUPPORT_FIELDS))
    save_changes(case, now)
    # The current stage keeps the same values as its own (docs/adr/0010-per-stage-values.md).
    if case.current_stage is not None:
        Stage.objects.filter(case=case, number=case.current_stage).update(
            mediation=mediation, advocacy_provided=advocacy_provided
        )
    record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_SUPPORT_RECORDED,
        subject=case,
        case=case,
        summary=f"Mediation and advocacy recorded for {case.reference}",
        before=was,
        after=now,
    )
    return case


@transaction.atomic
def case_owner_change(*, case: Case, acting_user: User | None, owner: User | None, reason: str) -> Case:
    """Give the case to ``owner`` (or to no one), saying why: the owner's "My cases", reminders and digests then
    include it, and its open stage is theirs too. The owner must be someone who may own the council's cases."""
    lock_case(case, stages=False)
    require_may_own(case.council, owner)
    reason = reason.strip()
    if not reason:
        raise ProcedureError(errors.OWNER_CHANGE_NEEDS_REASON, field="reason")
    changed = owner_set(
        case=case,
        owner=owner,
        reason=reason,
        acting_user=acting_user,
        event_type=AuditEventType.CASE_OWNER_CHANGED,
        summary=f"Owner of {case.reference} changed",
    )
    if not changed:
        raise ProcedureError(errors.OWNER_UNCHANGED.format(reference=case.reference), field="owner")
    return case
