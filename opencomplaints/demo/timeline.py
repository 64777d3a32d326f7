"""Each planned case as the sequence of events that happened to it, in the order the council recorded them.

Pure: plans in, events out (``events``), nothing read from the database or the clock. The one choice made here
rather than in the generator is which remedies are the exceptions (still waiting for approval, overdue, never
delivered), fixed by a checksum of the case and the remedy so every build makes the same ones.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import TypedDict

from opencomplaints.cases import constants as c
from opencomplaints.demo import events as e
from opencomplaints.demo.plans import (
    ComplaintPlan,
    CouncilPlan,
    LearningActionPlan,
    OmbudsmanPlan,
    RemedyPlan,
    RepresentationPlan,
    StagePlan,
    registration_order,
)

#: A demonstration council that changed its two-stage corporate procedure part-way through the years shown: from
#: the first of the month of its middle corporate complaint, stage 1 is answered within 15 working days of the
#: acknowledgement rather than the Code's 10 (R3.9). Its earlier complaints keep version 1 and their due dates.
#: The plan's corporate stage 1 responses have no extensions, so a longer timescale refuses nothing.
PROCEDURE_CHANGES: dict[str, Mapping[str, object]] = {
    "exampleton": {"name": "Corporate complaints (stage 1 within 15 working days)", "stage1_days": 15},
}

# Remedies delivered some weeks after the response rather than with it (R3.7: say by when).
LATER_REMEDIES = frozenset({"service_provided", "procedure_change", "training"})
NOT_PAID_REASON = "The family moved away and could not be contacted to take the payment."
NOT_DONE_REASON = "The team was restructured before it could be done; the complainant was told what happens instead."


class _StageAt(TypedDict):
    case: str
    by: str
    stage: int


class _ResponseAt(TypedDict):
    case: str
    stage: int
    day: date


class _RemedyAt(TypedDict):
    case: str
    stage: int
    remedy: str


def procedure_change_date(plan: CouncilPlan) -> date | None:
    corporate = sorted(x.received_date for x in plan.complaints if x.procedure == c.Procedure.CORPORATE)
    if len(corporate) < 2:
        return None
    return corporate[len(corporate) // 2].replace(day=1)


def council_timeline(plan: CouncilPlan, *, end_date: date) -> Iterator[tuple[str, list[e.Event]]]:
    """Every case of the council with its events, in the order the council received them (so references are
    numbered as the plan expects), the corporate procedure's change where it came, then the learning actions."""
    change = PROCEDURE_CHANGES.get(plan.slug)
    change_on = procedure_change_date(plan) if change else None
    cases: list[ComplaintPlan | RepresentationPlan | OmbudsmanPlan] = [
        *plan.complaints,
        *plan.representations,
        *plan.ombudsman_cases,
    ]
    for case in sorted(cases, key=registration_order):
        if change and change_on is not None and case.received_date >= change_on:
            yield "the corporate procedure", [e.CorporateProcedureRevised(case="", day=change_on, changes=change)]
            change = None
        if isinstance(case, ComplaintPlan):
            yield f"complaint {case.reference}", complaint_events(case, end_date=end_date)
        elif isinstance(case, RepresentationPlan):
            yield f"{case.kind} {case.reference}", representation_events(case)
        else:
            yield f"Ombudsman case {case.reference}", ombudsman_events(case)
    for action in plan.learning_actions:
        yield f"learning action {action.key}", learning_events(action)


def in_order(events: list[e.Event]) -> list[e.Event]:
    return sorted(events, key=e.Event.sort_key)


def approver(proposer: str) -> str:
    """Someone other than the proposer approves a payment: the complaints manager, or the director when the
    manager proposed it."""
    return "adjudicator" if proposer == "manager" else "manager"


def complaint_events(plan: ComplaintPlan, *, end_date: date) -> list[e.Event]:
    key, by = plan.key, plan.owner
    events: list[e.Event] = [e.ComplaintRegistered(case=key, day=plan.received_date, by=by, complaint=plan)]
    interest = plan.sufficient_interest
    if interest is not None:
        events.append(
            e.InterestDecided(
                case=key, day=interest.decided_date, by=by, has_interest=interest.has_interest,
                child_consulted=interest.child_consulted, notified_date=interest.notified_date,
            )
        )  # fmt: skip
    decline = plan.decline
    if decline is not None and not plan.declined_on_receipt:
        events.append(
            e.Declined(
                case=key, day=decline.decided_date, by=by, reason=decline.reason,
                redirected_to=decline.redirected_to, note=decline.note,
            )
        )  # fmt: skip
    elif plan.accepted:
        # Triage has no date of its own: the complaint is accepted as soon as it can be.
        events.append(e.Accepted(case=key, day=interest.decided_date if interest else plan.received_date, by=by))
    for stage in plan.stages:
        events += stage_events(plan, stage)
    for n, remedy in enumerate(plan.remedies, start=1):
        events += remedy_events(plan, remedy, remedy_key=f"{key}/{n}", end_date=end_date)
    for closure in plan.closures:
        events.append(e.Closed(case=key, day=closure.closed_date))
        if closure.reopened_date is not None:
            events.append(e.Reopened(case=key, day=closure.reopened_date, by=by, reason=closure.reopen_reason))
    return in_order(events)


def stage_events(plan: ComplaintPlan, stage: StagePlan) -> list[e.Event]:
    at = _StageAt(case=plan.key, by=plan.owner, stage=stage.number)
    events: list[e.Event] = []
    if stage.number > plan.start_stage:
        events.append(
            e.Escalated(
                **at, day=stage.received_date, late_request_accepted=stage.late_request_accepted,
                late_request_reason=stage.late_request_reason,
            )
        )  # fmt: skip
    if stage.acknowledged_date is not None:
        events.append(e.Acknowledged(**at, day=stage.acknowledged_date))
    for hold in stage.holds:
        events.append(e.Held(**at, day=hold.start_date, reason=hold.reason, note=hold.note))
        if hold.end_date is not None:
            events.append(e.Resumed(**at, day=hold.end_date))
    if stage.extension is not None:
        extension = stage.extension
        events.append(
            e.Extended(
                **at, day=extension.notified_date, extended_due_date=extension.extended_due_date,
                reason=extension.reason,
            )
        )  # fmt: skip
    if stage.appointed_date is not None:
        events.append(
            e.InvestigatorsAppointed(
                **at, day=stage.appointed_date, investigating_officer=stage.investigating_officer,
                independent_person=stage.independent_person,
            )
        )  # fmt: skip
    if stage.statement_agreed_date is not None:
        events.append(e.StatementAgreed(**at, day=stage.statement_agreed_date, points=plan.points))
    if stage.report_date is not None:
        events.append(e.InvestigationReported(**at, day=stage.report_date))
    if stage.panel_chair:
        # The panel is appointed when the request arrives; the service records no date for it.
        events.append(
            e.PanelAppointed(**at, day=stage.received_date, chair=stage.panel_chair, members=stage.panel_members)
        )
    if stage.panel_meeting_at is not None and stage.panel_arranged_date is not None:
        events.append(
            e.PanelArranged(
                **at, day=stage.panel_arranged_date, meeting_at=stage.panel_meeting_at,
                place=stage.panel_meeting_place,
            )
        )  # fmt: skip
    if stage.panel_date is not None:
        events.append(e.PanelMet(**at, day=stage.panel_date))
    if stage.panel_report_date is not None:
        texts = tuple(r.text for r in stage.recommendations)
        events.append(e.PanelReported(**at, day=stage.panel_report_date, recommendations=texts))
    if stage.response_date is not None:
        events += response_events(plan, stage, stage.response_date)
    return events


def response_events(plan: ComplaintPlan, stage: StagePlan, day: date) -> list[e.Event]:
    at = _ResponseAt(case=plan.key, stage=stage.number, day=day)
    statutory = plan.procedure == c.Procedure.CHILDREN_STATUTORY
    if stage.outcome == c.Outcome.WITHDRAWN:
        return [e.Withdrawn(**at, by=plan.owner, note=plan.withdrawal_note)]
    if stage.outcome == c.Outcome.NOT_ACCEPTED:
        return []  # a decline (or a refused late complaint) ends the stage; it has its own event
    if statutory and stage.number == 2:
        return [
            e.Adjudicated(**at, by=stage.adjudicator, findings=stage.findings, recommendations=stage.recommendations)
        ]
    if statutory and stage.number == 3:
        return [e.PanelAnswered(**at, by="adjudicator", findings=stage.findings, recommendations=stage.recommendations)]
    if stage.findings:
        # Point by point (issue 15, item 4): the points recorded, then a finding and a sentence on each.
        return [
            e.Responded(
                **at, by=plan.owner, points=plan.points, findings=stage.findings,
                responses=stage.point_responses, sent_via=stage.response_sent_via,
            )
        ]  # fmt: skip
    return [e.Responded(**at, by=plan.owner, outcome=stage.outcome)]


def remedy_events(plan: ComplaintPlan, remedy: RemedyPlan, *, remedy_key: str, end_date: date) -> list[e.Event]:
    """The remedy through its lifecycle, as far as it has got by the end date: proposed by the owner, approved
    when the stage was answered, then an apology or explanation delivered with the response, a payment made on
    its date with its reference; a few payments wait for approval, a few are overdue, and a few could not be made."""
    owner = plan.owner
    at = _RemedyAt(case=plan.key, stage=remedy.stage or 0, remedy=remedy_key)
    agreed = remedy.agreed_date
    events: list[e.Event] = [
        e.RemedyProposed(
            **at, day=agreed or plan.received_date, by=owner, remedy_type=remedy.remedy_type,
            remedy_stage=remedy.stage, description=remedy.description, amount=remedy.amount,
        )
    ]  # fmt: skip
    # Which remedies are the exceptions: fixed by the case and the remedy, the same on every build.
    pick = zlib.crc32(f"{plan.key}:{remedy.remedy_type}:{remedy.stage}".encode()) % 20
    recent = agreed is not None and agreed > end_date - timedelta(days=14)
    if agreed is None or (recent and pick < 8):
        return events  # still waiting for approval
    financial = remedy.amount is not None
    later = remedy.remedy_type in LATER_REMEDIES
    due = agreed + timedelta(days=14 if financial else 28 if later else 0)
    events.append(e.RemedyApproved(**at, day=agreed, by=approver(owner), due_date=due))
    if (financial and pick == 19) or (later and pick == 18):
        reason = NOT_PAID_REASON if financial else NOT_DONE_REASON
        events.append(e.RemedyNotDelivered(**at, day=min(due, end_date), by=owner, reason=reason))
        return events
    delivered = remedy.paid_date if financial else due
    if delivered is None or delivered > end_date or (later and pick < 3):
        return events  # approved, still to be paid or delivered (overdue once its date has passed)
    reference = payment_reference(plan.key) if financial else ""
    events.append(e.RemedyPaid(**at, day=delivered, by=owner, payment_reference=reference))
    return events


def payment_reference(key: str) -> str:
    return f"BACS {zlib.crc32(key.encode()) % 1_000_000:06d}"


def representation_events(plan: RepresentationPlan) -> list[e.Event]:
    events: list[e.Event] = [
        e.RepresentationRegistered(case=plan.key, day=plan.received_date, by=plan.owner, representation=plan)
    ]
    if plan.responded_date is not None:
        events.append(
            e.RepresentationAnswered(case=plan.key, day=plan.responded_date, by=plan.owner, outcome=plan.outcome)
        )
    return in_order(events)


def ombudsman_events(plan: OmbudsmanPlan) -> list[e.Event]:
    """The Ombudsman's case, and the payment it recommended, due by its compliance date: approved the day of the
    decision and paid when compliance was recorded (or still outstanding)."""
    key, by = plan.key, plan.owner
    events: list[e.Event] = [e.OmbudsmanCaseRegistered(case=key, day=plan.received_date, by=by, ombudsman_case=plan)]
    if plan.enquiry_responded_date is not None:
        events.append(e.OmbudsmanEnquiriesAnswered(case=key, day=plan.enquiry_responded_date, by=by))
    decision = plan.decision
    if decision is None:
        return in_order(events)
    decided = decision.decision_date
    events.append(
        e.OmbudsmanDecided(
            case=key, day=decided, by=by, decision=decision.decision, decision_label=decision.decision_label,
            fault_found=decision.fault_found, injustice_found=decision.injustice_found,
            recommended_payment=decision.recommended_payment, compliance_due_date=decision.compliance_due_date,
        )
    )  # fmt: skip
    if decision.recommended_payment and decision.compliance_due_date is not None:
        remedy = f"{key}/1"
        events += [
            e.RemedyProposed(
                case=key, day=decided, by=by, remedy=remedy, remedy_type="financial", remedy_stage=None,
                description="Payment the Ombudsman recommended for the distress caused.",
                amount=decision.recommended_payment,
            ),
            e.RemedyApproved(case=key, day=decided, by=approver(by), remedy=remedy),
        ]  # fmt: skip
        if decision.complied_date is not None:
            paid = max(decision.complied_date, decided)
            events.append(
                e.RemedyPaid(case=key, day=paid, by=by, remedy=remedy, payment_reference=payment_reference(key))
            )
    if decision.complied_date is not None:
        events.append(e.OmbudsmanComplied(case=key, day=decision.complied_date, by=by))
    return in_order(events)


def learning_events(plan: LearningActionPlan) -> list[e.Event]:
    key, by = plan.key, plan.owner
    events: list[e.Event] = [e.LearningActionCreated(case=key, day=plan.created_date, by=by, action=plan)]
    if plan.status != c.LearningActionStatus.PLANNED:
        # Work starts on it before it is finished one way or the other (or it is still going).
        events.append(e.LearningActionStarted(case=key, day=plan.created_date, by=by))
    if plan.status == c.LearningActionStatus.IMPLEMENTED and plan.implemented_date is not None:
        events.append(e.LearningActionImplemented(case=key, day=plan.implemented_date, by=by, evidence=plan.evidence))
    if plan.status == c.LearningActionStatus.NOT_IMPLEMENTED:
        events.append(
            e.LearningActionNotImplemented(case=key, day=plan.due_date, by=by, reason=plan.not_implemented_reason)
        )
    return in_order(events)
