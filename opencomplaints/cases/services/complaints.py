"""Complaints as a whole: registration, triage (R1.7-R1.14), withdrawal (R1.36), closing and reopening."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText
from opencomplaints.cases import constants as c
from opencomplaints.cases import deadlines, errors, rules
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, CaseChild, CaseComplainant, CaseIssue, CaseTeam, Person, Stage
from opencomplaints.cases.services._common import (
    CaseState,
    _stage_values_from_case,
    changes,
    clean,
    day,
    lock_case,
    open_hold,
    record,
    require_choice,
    require_complaint,
    require_not_before,
    require_open,
    require_same_council,
    save_changes,
    snapshot,
)
from opencomplaints.cases.services.allocation import require_may_own
from opencomplaints.cases.services.inputs import ChildInput, ComplainantInput, LateAcceptance, PersonInput
from opencomplaints.cases.services.references import reference_for
from opencomplaints.common.dates import age_on
from opencomplaints.councils.models import CorporateProcedure, Council, IssueCategory, Team
from opencomplaints.councils.selectors import corporate_procedure_current, local_timescales_current
from opencomplaints.deadlines import PROCEDURES, Procedure, is_within_time_limit, time_limit_last_day

__all__ = [
    "complainant_sufficient_interest_decide",
    "complaint_accept",
    "complaint_close",
    "complaint_decline",
    "complaint_register",
    "complaint_reopen",
    "complaint_withdraw",
]

_PERSON_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "postcode",
    "sex",
    "ethnicity_scheme",
    "ethnicity_code",
    "disability",
    "sexual_orientation",
    "religion",
)
# The case fields an audit event of a change to the whole case shows.
_CASE_AUDIT_FIELDS = (
    "status",
    "acceptance",
    "decline_reason",
    "redirected_to",
    "decline_note",
    "current_stage",
    "next_due_date",
    "outcome",
    "closed_date",
)


def _person(council: Council, given: PersonInput) -> Person:
    if given.person is not None:
        require_same_council(council, given.person, "The person chosen")
        return given.person
    person = Person(council=council, **{name: getattr(given, name) for name in _PERSON_FIELDS})
    for name in ("first_name", "last_name", "email", "phone", "postcode", "religion", "ethnicity_code"):
        setattr(person, name, getattr(person, name).strip())
    if person.ethnicity_code and not person.ethnicity_scheme:
        raise ProcedureError(errors.ETHNICITY_NEEDS_SCHEME.format(code=person.ethnicity_code), field="ethnicity_scheme")
    clean(person)
    person.save()
    return person


def _require_each_once(people: Sequence[PersonInput], role: str) -> None:
    seen: set[int] = set()
    for given in people:
        if given.person is not None:
            if given.person.pk in seen:
                raise ProcedureError(errors.PERSON_TWICE.format(person=given.person, role=role))
            seen.add(given.person.pk)


def _unique[T: (Team, IssueCategory)](items: Sequence[T]) -> list[T]:
    seen: dict[int, T] = {}
    for item in items:
        seen.setdefault(item.pk, item)
    return list(seen.values())


def _procedure(council: Council, procedure: str, corporate: CorporateProcedure | None) -> CorporateProcedure | None:
    if procedure not in c.Procedure.values or procedure not in PROCEDURES:
        raise ProcedureError(
            errors.UNKNOWN_PROCEDURE.format(procedure=procedure, choices=", ".join(c.Procedure.values)),
            field="procedure",
        )
    if corporate is not None:
        if procedure != c.Procedure.CORPORATE:
            raise ProcedureError(errors.CORPORATE_PROCEDURE_ONLY_FOR_CORPORATE, field="corporate_procedure")
        require_same_council(council, corporate, "The corporate procedure")
        if not corporate.is_current:
            # A new complaint starts under the rules in force; only existing cases keep an earlier version.
            raise ProcedureError(
                errors.CORPORATE_PROCEDURE_REPLACED.format(name=corporate.name, version=corporate.version),
                field="corporate_procedure",
            )
        return corporate
    if procedure == c.Procedure.CORPORATE:
        return corporate_procedure_current(council=council)
    return None


def _time_limit(
    engine: Procedure, received_date: date, grounds_arose_date: date | None, late: LateAcceptance | None
) -> bool | None:
    """R1.12: whether the complaint is in time, checking the discretion decision a late one needs."""
    in_time: bool | None = None
    if grounds_arose_date is not None:
        if grounds_arose_date > received_date:
            raise ProcedureError(
                errors.GROUNDS_AFTER_RECEIVED.format(grounds=day(grounds_arose_date), received=day(received_date)),
                field="grounds_arose_date",
            )
        months = engine.time_limit.months
        in_time = is_within_time_limit(grounds_arose_on=grounds_arose_date, received_on=received_date, months=months)
        if not in_time and late is None:
            raise ProcedureError(
                errors.OUT_OF_TIME_NEEDS_DECISION.format(
                    months=months, last_day=day(time_limit_last_day(grounds_arose_date, months))
                ),
                field="late_acceptance",
            )
        if in_time and late is not None:
            raise ProcedureError(errors.LATE_ACCEPTANCE_NOT_NEEDED, field="late_acceptance")
    if late is not None:
        reasons = (late.not_reasonable_to_expect_reason.strip(), late.still_possible_reason.strip())
        if late.accepted and not all(reasons):
            raise ProcedureError(errors.LATE_ACCEPTANCE_NEEDS_BOTH_REASONS, field="late_acceptance")
        if not late.accepted and not any(reasons):
            raise ProcedureError(errors.LATE_REFUSAL_NEEDS_REASON, field="late_acceptance")
    return in_time


@transaction.atomic
def complaint_register(
    *,
    council: Council,
    acting_user: User | None,
    received_date: date,
    complainants: Sequence[ComplainantInput],
    received_at: datetime | None = None,
    received_via: str = c.ReceivedVia.UNKNOWN,
    procedure: str = c.Procedure.CHILDREN_STATUTORY,
    corporate_procedure: CorporateProcedure | None = None,
    summary: str = "",
    children: Sequence[ChildInput] = (),
    teams: Sequence[Team] = (),
    issues: Sequence[IssueCategory] = (),
    grounds_arose_date: date | None = None,
    late_acceptance: LateAcceptance | None = None,
    start_stage: int = 1,
    stage1_skipped_reason: str = "",
    owner: User | None = None,
    advocacy_offered: bool | None = None,
    advocacy_provided: bool | None = None,
    advocate_name: str = "",
    advocate_organisation: str = "",
    reference: str | None = None,
    linked_case: Case | None = None,
) -> Case:
    """Register a complaint and open its first stage; the case waits in triage until accepted or declined.

    - At least one complainant (R1.4); the first is the primary one.
    - A complaint made more than a year after the grounds arose needs ``late_acceptance`` with reasons against
      both tests (R1.12); a refused one is registered as declined (``out_of_time``) and closed at once.
    - ``start_stage=2`` needs ``stage1_skipped_reason`` (R1.23).
    - A complainant on a sufficient-interest basis waits for that decision (R1.9).
    - ``reference`` defaults to the next ``PREFIX-YYYY-NNNN`` for the year received.
    """
    if not complainants:
        raise ProcedureError(errors.NEEDS_COMPLAINANT, field="complainants")
    corporate = _procedure(council, procedure, corporate_procedure)
    local = local_timescales_current(council=council)
    engine = deadlines.procedure_rules(procedure, corporate=corporate, local=local)
    if received_at is not None and timezone.localtime(received_at).date() != received_date:
        raise ProcedureError(
            errors.RECEIVED_AT_MISMATCH.format(
                received_date=day(received_date), received_at=f"{timezone.localtime(received_at):%d/%m/%Y %H:%M}"
            ),
            field="received_date",
        )
    if start_stage not in rules.START_STAGES:
        raise ProcedureError(errors.START_STAGE_INVALID, field="start_stage")
    if start_stage > len(engine.stages):
        raise ProcedureError(
            errors.PROCEDURE_HAS_NO_STAGE.format(procedure=engine.name, number=start_stage), field="start_stage"
        )
    stage1_skipped_reason = stage1_skipped_reason.strip()
    if start_stage == 2 and not stage1_skipped_reason:
        raise ProcedureError(errors.STAGE1_SKIP_NEEDS_REASON, field="stage1_skipped_reason")
    if start_stage == 1 and stage1_skipped_reason:
        raise ProcedureError(errors.STAGE1_SKIP_REASON_ONLY_AT_STAGE2, field="stage1_skipped_reason")
    for team in teams:
        require_same_council(council, team, f"The team {team}")
    for issue in issues:
        require_same_council(council, issue, f"The issue category {issue}")
    require_same_council(council, linked_case, "The linked case")
    require_may_own(council, owner)
    _require_each_once([x.person for x in complainants], "complainant")
    for given_child in children:
        if given_child.same_as_complainant == (given_child.person is not None):
            raise ProcedureError(errors.CHILD_PERSON_OR_COMPLAINANT, field="children")
    _require_each_once([x.person for x in children if x.person is not None], "child")
    in_time = _time_limit(engine, received_date, grounds_arose_date, late_acceptance)
    refused = late_acceptance is not None and not late_acceptance.accepted

    case = Case(
        council=council,
        reference=reference_for(council=council, reference=reference, received_date=received_date),
        kind=c.Kind.COMPLAINT,
        procedure=procedure,
        corporate_procedure=corporate,
        local_timescales=local,
        received_at=received_at,
        received_date=received_date,
        received_via=received_via,
        summary=summary.strip(),
        owner=owner,
        grounds_arose_date=grounds_arose_date,
        in_time=in_time,
        late_acceptance_decided=None if late_acceptance is None else late_acceptance.accepted,
        late_not_reasonable_to_expect_reason=late_acceptance.not_reasonable_to_expect_reason.strip()
        if late_acceptance
        else "",
        late_still_possible_reason=late_acceptance.still_possible_reason.strip() if late_acceptance else "",
        advocacy_offered=advocacy_offered,
        advocacy_provided=advocacy_provided,
        advocate_name=advocate_name.strip(),
        advocate_organisation=advocate_organisation.strip(),
        linked_case=linked_case,
    )
    stage = Stage(
        case=case,
        number=start_stage,
        received_date=received_date,
        start_date=received_date,
        previous_stage_skipped_reason=stage1_skipped_reason,
        owner=owner,
    )
    if refused:
        # R1.12: a refusal is recorded, as a decision not to accept, never as a silent rejection.
        case.acceptance = c.Acceptance.DECLINED
        case.decline_reason = c.DeclineReason.OUT_OF_TIME
        case.closed_date = received_date
        stage.response_date = received_date
        stage.outcome = c.Outcome.NOT_ACCEPTED
    rows, summary_fields = deadlines.case_deadlines_plan(case=case, stages=[stage], holds={})
    deadlines.case_summary_apply(case, summary_fields)
    clean(case)
    case.save()
    stage.case = case
    clean(stage)
    stage.save()

    complainant_rows: list[CaseComplainant] = []
    for position, given in enumerate(complainants):
        interest = (
            c.SufficientInterestDecision.PENDING
            if given.eligibility_basis in c.SUFFICIENT_INTEREST_BASES
            else c.SufficientInterestDecision.NOT_REQUIRED
        )
        complainant = CaseComplainant(
            case=case,
            person=_person(council, given.person),
            complainant_type=given.complainant_type,
            is_primary=position == 0,
            eligibility_basis=given.eligibility_basis,
            sufficient_interest=interest,
            on_behalf_of_child=given.on_behalf_of_child,
            child_consent=given.child_consent,
        )
        clean(complainant)
        complainant.save()
        complainant_rows.append(complainant)
    child_rows: list[CaseChild] = []
    for given_child in children:
        person = complainant_rows[0].person if given_child.person is None else _person(council, given_child.person)
        age = given_child.age_at_receipt
        if age is None and person.date_of_birth is not None:
            age = age_on(person.date_of_birth, received_date)
        if age is not None and age > 25:
            raise ProcedureError(errors.CHILD_TOO_OLD.format(name=person, age=age), field="children")
        child = CaseChild(case=case, person=person, age_at_receipt=age, support_category=given_child.support_category)
        clean(child)
        child.save()
        child_rows.append(child)
    unique_teams = _unique(teams)
    unique_issues = _unique(issues)
    if unique_teams:
        CaseTeam.objects.bulk_create(
            CaseTeam(case=case, team=team, service_area_id=team.service_area_id, position=i)
            for i, team in enumerate(unique_teams)
        )
    if unique_issues:
        CaseIssue.objects.bulk_create(
            CaseIssue(case=case, category=issue, position=i) for i, issue in enumerate(unique_issues)
        )
    deadlines.case_deadlines_store(case=case, rows=rows, existing=())
    _stage_values_from_case(stage)

    record(
        acting_user=acting_user,
        event_type=AuditEventType.COMPLAINT_REGISTERED,
        subject=case,
        case=case,
        summary=f"Complaint {case.reference} registered at stage {start_stage}"
        + (" and not accepted: out of time" if refused else ""),  # R1.12
        after={
            "reference": case.reference,
            "kind": case.kind,
            "procedure": case.procedure,
            "corporate_procedure": case.corporate_procedure_id,
            "received_date": received_date,
            "received_at": received_at,
            "received_via": received_via,
            "status": case.status,
            "acceptance": case.acceptance,
            "decline_reason": case.decline_reason,
            "grounds_arose_date": grounds_arose_date,
            "in_time": in_time,
            "late_acceptance_decided": case.late_acceptance_decided,
            "start_stage": start_stage,
            "stage1_skipped_reason": FreeText(stage1_skipped_reason),
            "complainants": [r.person_id for r in complainant_rows],
            "children": [r.person_id for r in child_rows],
            "teams": [t.pk for t in unique_teams],
            "issues": [i.pk for i in unique_issues],
            "owner": case.owner_id,
            "next_due_date": case.next_due_date,
        },
    )
    return case


def _finish(
    state: CaseState,
    *,
    acting_user: User | None,
    event_type: AuditEventType,
    summary: str,
    fields: Sequence[str],
    before: dict[str, Any],
    extra_after: dict[str, Any] | None = None,
) -> None:
    """Refresh the deadlines, save the case's changed fields and record the event."""
    case = state.case
    derived = state.refresh()
    save_changes(case, [*fields, *derived])
    old, new = changes(before, snapshot(case, _CASE_AUDIT_FIELDS))
    record(
        acting_user=acting_user,
        event_type=event_type,
        subject=case,
        case=case,
        summary=summary,
        before=old,
        after={**new, **(extra_after or {})},
    )


@transaction.atomic
def complaint_accept(*, case: Case, acting_user: User | None) -> Case:
    """Accept the complaint under its procedure after triage (R1.7-R1.14): its stage can then be answered.

    A complainant on a sufficient-interest basis must have been found to have it first (R1.9).
    """
    lock_case(case, stages=False)
    require_complaint(case)
    require_open(case)
    if case.acceptance != c.Acceptance.PENDING:
        raise ProcedureError(
            errors.ACCEPT_NOT_IN_TRIAGE.format(reference=case.reference, decision=case.get_acceptance_display().lower())
        )
    interest = list(case.complainants.order_by().values_list("sufficient_interest", "person_id"))
    undecided = [person for decision, person in interest if decision == c.SufficientInterestDecision.PENDING]
    if undecided:
        raise ProcedureError(errors.ACCEPT_INTEREST_PENDING.format(person=Person.objects.get(pk=undecided[0])))
    refused = [person for decision, person in interest if decision == c.SufficientInterestDecision.NO_INTEREST]
    if interest and len(refused) == len(interest):
        raise ProcedureError(errors.ACCEPT_NO_INTEREST.format(person=Person.objects.get(pk=refused[0])))
    before = snapshot(case, _CASE_AUDIT_FIELDS)
    case.acceptance = c.Acceptance.ACCEPTED
    # Accepting changes no date a deadline runs from, so only the status needs deriving again.
    case.status = deadlines.case_status(case)
    save_changes(case, ["acceptance", "status"])
    old, new = changes(before, snapshot(case, _CASE_AUDIT_FIELDS))
    record(
        acting_user=acting_user,
        event_type=AuditEventType.COMPLAINT_ACCEPTED,
        subject=case,
        case=case,
        summary=f"Complaint {case.reference} accepted",
        before=old,
        after=new,
    )
    return case


def _end_open_stage(state: CaseState, on: date, outcome: str, what: str) -> Stage | None:
    """End the open stage on ``on`` with ``outcome``, ending any open hold with it."""
    stage = state.open_stage
    if stage is None:
        return None
    require_not_before(on, stage.received_date, what=what, other_what=f"the date stage {stage.number} was received")
    hold = open_hold(state, stage)
    if hold is not None:
        require_not_before(on, hold.start_date, what=what, other_what="the start of the hold")
        hold.end_date = on
        save_changes(hold, ["end_date"])
    stage.response_date = on
    stage.outcome = outcome
    save_changes(stage, ["response_date", "outcome"])
    return stage


@transaction.atomic
def complaint_decline(
    *,
    case: Case,
    acting_user: User | None,
    reason: str,
    decided_date: date,
    redirected_to: str = "",
    note: str = "",
) -> Case:
    """Do not accept the complaint under the procedure (R1.7-R1.14), saying where it goes instead (R1.7, R1.11).

    The open stage ends as "not accepted" and the case closes on ``decided_date``.
    """
    state = lock_case(case)
    require_complaint(case)
    require_open(case)
    if not reason or reason not in c.DeclineReason.values:
        raise ProcedureError(errors.DECLINE_REASON_INVALID, field="reason")
    if redirected_to:
        require_choice(redirected_to, c.Route, "route", field="redirected_to")
    require_not_before(decided_date, case.received_date, what="The decision", other_what="the date received")
    before = snapshot(case, _CASE_AUDIT_FIELDS)
    stage = _end_open_stage(state, decided_date, c.Outcome.NOT_ACCEPTED, "The decision")
    if stage is None and state.last is not None and state.last.response_date is not None:
        require_not_before(decided_date, state.last.response_date, what="The decision", other_what="the last response")
    case.acceptance = c.Acceptance.DECLINED
    case.decline_reason = reason
    case.redirected_to = redirected_to
    case.decline_note = note.strip()
    case.closed_date = decided_date
    _finish(
        state,
        acting_user=acting_user,
        event_type=AuditEventType.COMPLAINT_DECLINED,
        summary=f"Complaint {case.reference} not accepted: {c.DeclineReason(reason).label}",
        fields=["acceptance", "decline_reason", "redirected_to", "decline_note", "closed_date"],
        before=before,
        extra_after={"decided_date": decided_date},
    )
    return case


@transaction.atomic
def complainant_sufficient_interest_decide(
    *,
    complainant: CaseComplainant,
    acting_user: User | None,
    has_interest: bool,
    decided_date: date,
    child_consulted: bool | None,
    notified_date: date | None = None,
) -> CaseComplainant:
    """Record whether a person complaining on a sufficient-interest basis has it (R1.9): decided as soon as
    possible, with the child's views where appropriate, and a person found not to have it is told."""
    case = complainant.case
    lock_case(case, stages=False)
    complainant.case = case
    require_complaint(case)
    require_open(case)
    if complainant.eligibility_basis not in c.SUFFICIENT_INTEREST_BASES:
        raise ProcedureError(errors.INTEREST_NOT_NEEDED.format(person=complainant.person))
    require_not_before(decided_date, case.received_date, what="The decision", other_what="the date received")
    if not has_interest and notified_date is None:
        raise ProcedureError(
            errors.INTEREST_REFUSAL_NEEDS_NOTICE.format(person=complainant.person), field="notified_date"
        )
    if notified_date is not None:
        require_not_before(notified_date, decided_date, what="The notification", other_what="the decision")
    fields = (
        "sufficient_interest",
        "sufficient_interest_decided_date",
        "sufficient_interest_child_consulted",
        "sufficient_interest_notified_date",
    )
    before = snapshot(complainant, fields)
    complainant.sufficient_interest = (
        c.SufficientInterestDecision.HAS_INTEREST if has_interest else c.SufficientInterestDecision.NO_INTEREST
    )
    complainant.sufficient_interest_decided_date = decided_date
    complainant.sufficient_interest_child_consulted = child_consulted
    complainant.sufficient_interest_notified_date = notified_date
    save_changes(complainant, fields)
    old, new = changes(before, snapshot(complainant, fields))
    record(
        acting_user=acting_user,
        event_type=AuditEventType.SUFFICIENT_INTEREST_DECIDED,
        subject=complainant,
        case=case,
        # R1.9
        summary=f"Person #{complainant.person_id} {'has' if has_interest else 'does not have'} sufficient interest",
        before=old,
        after={**new, "person": complainant.person_id, "person_name": FreeText(str(complainant.person))},
    )
    return complainant


@transaction.atomic
def complaint_withdraw(*, case: Case, acting_user: User | None, withdrawn_date: date, note: str = "") -> Case:
    """The complainant withdraws the complaint, at whatever stage it is (R1.36): the open stage ends as
    "withdrawn" (never reported as not upheld) and the case closes. ``note`` is kept with the event on the case's
    timeline (beside the audit row, not in it: the retention removes it)."""
    state = lock_case(case)
    require_complaint(case)
    require_open(case)
    if state.open_stage is None:
        raise ProcedureError(errors.WITHDRAW_NOTHING_OPEN.format(reference=case.reference))
    before = snapshot(case, _CASE_AUDIT_FIELDS)
    stage = _end_open_stage(state, withdrawn_date, c.Outcome.WITHDRAWN, "The withdrawal")
    case.closed_date = withdrawn_date
    _finish(
        state,
        acting_user=acting_user,
        event_type=AuditEventType.COMPLAINT_WITHDRAWN,
        summary=f"Complaint {case.reference} withdrawn at stage {stage.number if stage else '?'}",
        fields=["closed_date"],
        before=before,
        extra_after={"withdrawn_date": withdrawn_date, "note": FreeText(note.strip())},
    )
    return case


@transaction.atomic
def complaint_close(*, case: Case, acting_user: User | None, closed_date: date) -> Case:
    """Close a complaint whose stages have all ended, e.g. when the window for the next stage has passed.

    The last stage of a procedure closes the case itself when it is answered.
    """
    state = lock_case(case)
    require_complaint(case)
    require_open(case)
    open_stage = state.open_stage
    if open_stage is not None:
        raise ProcedureError(errors.CLOSE_WITH_OPEN_STAGE.format(number=open_stage.number, reference=case.reference))
    last = state.last
    if last is not None and last.response_date is not None and closed_date < last.response_date:
        raise ProcedureError(
            errors.CLOSE_BEFORE_RESPONSE.format(closed=day(closed_date), response=day(last.response_date)),
            field="closed_date",
        )
    before = snapshot(case, _CASE_AUDIT_FIELDS)
    case.closed_date = closed_date
    _finish(
        state,
        acting_user=acting_user,
        event_type=AuditEventType.CASE_CLOSED,
        summary=f"Case {case.reference} closed",
        fields=["closed_date"],
        before=before,
    )
    return case


@transaction.atomic
def complaint_reopen(
    *, case: Case, acting_user: User | None, reason: str, reopened_date: date, reopen_stage: bool = True
) -> Case:
    """Reopen a closed complaint; the case's timeline records why and when (the reason beside the audit row, not in
    it: the retention removes it).

    By default the last stage is reopened too (its response and outcome are cleared, to be recorded again; a
    declined complaint goes back to triage). With ``reopen_stage=False`` the stages stay as they are, e.g. to
    accept a late request for the next stage after the case was closed (R1.22, R1.29).
    """
    state = lock_case(case)
    require_complaint(case)
    if case.closed_date is None:
        raise ProcedureError(errors.REOPEN_OPEN_CASE.format(reference=case.reference))
    reason = reason.strip()
    if not reason:
        raise ProcedureError(errors.REOPEN_NEEDS_REASON, field="reason")
    if reopened_date < case.closed_date:
        raise ProcedureError(
            errors.REOPEN_BEFORE_CLOSED.format(reopened=day(reopened_date), closed=day(case.closed_date)),
            field="reopened_date",
        )
    before = snapshot(case, _CASE_AUDIT_FIELDS)
    fields = ["closed_date"]
    last = state.last
    reopened_stage: int | None = None
    if reopen_stage and last is not None and last.response_date is not None:
        stage_fields = ["response_date", "outcome"]
        last.response_date = None
        last.outcome = ""
        if last.number == 2 and case.procedure == c.Procedure.CHILDREN_STATUTORY:
            # The adjudication was the stage 2 response (R1.28); it is made again.
            last.adjudication_date = None
            stage_fields.append("adjudication_date")
        save_changes(last, stage_fields)
        reopened_stage = last.number
    if case.acceptance == c.Acceptance.DECLINED:
        case.acceptance = c.Acceptance.PENDING
        case.decline_reason = ""
        case.redirected_to = ""
        case.decline_note = ""
        fields += ["acceptance", "decline_reason", "redirected_to", "decline_note"]
    case.closed_date = None
    _finish(
        state,
        acting_user=acting_user,
        event_type=AuditEventType.CASE_REOPENED,
        summary=f"Case {case.reference} reopened",
        fields=fields,
        before=before,
        extra_after={"reason": FreeText(reason), "reopened_date": reopened_date, "reopened_stage": reopened_stage},
    )
    return case
