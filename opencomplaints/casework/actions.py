"""Which actions the case page offers, worked out from what the case has recorded.

This only decides what to *offer*: the services remain the authority, and an action offered here can still be
refused (for example a date that breaks a rule). Offering follows the same data the services check:
``cases.rules`` (step requirements, dedicated responses, escalation requirements) and the deadline engine's
procedure (which stages can be extended or acknowledged, how many stages there are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from opencomplaints.cases import constants as c
from opencomplaints.cases import rules
from opencomplaints.cases.kinds import representation_kinds
from opencomplaints.casework.selectors import CasePage, StageView
from opencomplaints.deadlines import Procedure

__all__ = ["ActionLink", "CaseActions", "case_actions"]


@dataclass(frozen=True)
class ActionLink:
    name: str  # the URL name without the namespace, e.g. "stage-extend"
    label: str
    url: str
    primary: bool = False


@dataclass
class CaseActions:
    """The actions on offer, grouped by where the case page shows them."""

    next_steps: list[ActionLink]
    case: list[ActionLink]
    # complainant id -> actions (the sufficient-interest decision)
    complainants: dict[int, list[ActionLink]]
    # learning action id -> actions
    learning: dict[int, list[ActionLink]]
    # The "Change" link of each detail on the case page: action name -> URL, or -> record id -> URL for the details
    # of a complainant or a child (casework.declarations, "Check your answers").
    changes: dict[str, Any] = field(default_factory=dict)
    # point id -> Change and Remove, while the points are recorded one by one; recommendation id -> its response
    points: dict[int, list[ActionLink]] = field(default_factory=dict)
    recommendations: dict[int, list[ActionLink]] = field(default_factory=dict)
    # remedy id -> the next steps of its lifecycle (docs/adr/0020-remedy-lifecycle.md)
    remedies: dict[int, list[ActionLink]] = field(default_factory=dict)

    @property
    def primary_steps(self) -> list[ActionLink]:
        return [a for a in self.next_steps if a.primary]

    @property
    def other_steps(self) -> list[ActionLink]:
        return [a for a in self.next_steps if not a.primary]

    @property
    def names(self) -> set[str]:
        everything = [*self.next_steps, *self.case]
        everything += [a for links in self.complainants.values() for a in links]
        everything += [a for links in self.learning.values() for a in links]
        everything += [a for links in (*self.points.values(), *self.recommendations.values()) for a in links]
        everything += [a for links in self.remedies.values() for a in links]
        return {a.name for a in everything}


def _link(name: str, label: str, *args: int, primary: bool = False) -> ActionLink:
    return ActionLink(name=name, label=label, url=reverse(f"casework:{name}", args=args), primary=primary)


def _extendable(page: CasePage, procedure: Procedure, view: StageView) -> bool:
    spec = procedure.stage(view.stage.number)
    response = spec.response
    if response is None or not (response.extendable or response.calendar_months is not None):
        return False
    required = rules.EXTENSION_REQUIRES.get((page.case.procedure, view.stage.number))
    return required is None or getattr(view.stage, required.field) is not None


def _stage2_steps(page: CasePage, view: StageView) -> list[ActionLink]:
    stage = view.stage
    case_id, stage_id = page.case.pk, stage.pk
    steps = [
        _link("stage2-appoint", "Appoint the investigating officer or independent person", case_id, stage_id),
    ]
    if not view.findings:
        label = "Change the statement of complaint" if stage.statement_agreed_date else "Agree the statement"
        steps.append(_link("stage2-statement", label, case_id, stage_id, primary=not stage.statement_agreed_date))
    if stage.statement_agreed_date:
        steps.append(_link("stage2-report", "Record the investigation report", case_id, stage_id))
    requirements = rules.STEP_RULES["stage2_adjudicate"].requires
    if view.open_hold is None and all(getattr(stage, r.field) is not None for r in requirements):
        steps.append(_link("stage2-adjudicate", "Record the adjudication", case_id, stage_id, primary=True))
    return steps


def _stage3_steps(page: CasePage, view: StageView) -> list[ActionLink]:
    stage = view.stage
    case_id, stage_id = page.case.pk, stage.pk
    steps: list[ActionLink] = []
    if stage.panel_date is None:
        label = "Change the review panel" if view.panel else "Appoint the review panel"
        steps.append(_link("stage3-panel-appoint", label, case_id, stage_id, primary=not view.panel))
        if view.panel:
            label = "Change the panel meeting" if stage.panel_meeting_at else "Arrange the panel meeting"
            steps.append(_link("stage3-panel-schedule", label, case_id, stage_id))
            steps.append(_link("stage3-panel-record", "Record the panel meeting", case_id, stage_id, primary=True))
    elif stage.panel_report_date is None:
        steps.append(_link("stage3-report", "Record the panel's report", case_id, stage_id, primary=True))
    elif view.open_hold is None:
        steps.append(_link("stage3-respond", "Record the council's response", case_id, stage_id, primary=True))
    return steps


def _open_stage_steps(page: CasePage, procedure: Procedure, view: StageView) -> list[ActionLink]:
    stage = view.stage
    case_id, stage_id = page.case.pk, stage.pk
    accepted = page.case.acceptance == c.Acceptance.ACCEPTED
    steps: list[ActionLink] = []
    key = (page.case.procedure, stage.number)
    if accepted and key == (rules.CHILDREN, 2):
        steps += _stage2_steps(page, view)
    elif accepted and key == (rules.CHILDREN, 3):
        steps += _stage3_steps(page, view)
    elif accepted and key not in rules.DEDICATED_RESPONSE and view.open_hold is None:
        steps.append(
            _link("stage-respond", f"Record the stage {stage.number} response", case_id, stage_id, primary=True)
        )
    if key not in rules.DEDICATED_RESPONSE:
        steps.append(_link("complaint-point-add", "Add a point of complaint", case_id))
    if stage.acknowledged_date is None:
        steps.append(_link("stage-acknowledge", "Record the acknowledgement", case_id, stage_id))
    if _extendable(page, procedure, view):
        steps.append(_link("stage-extend", "Extend the timescale", case_id, stage_id))
    if view.open_hold is None:
        steps.append(_link("stage-hold", "Put the stage on hold", case_id, stage_id))
    else:
        steps.append(_link("stage-resume", "Resume the stage", case_id, stage_id, primary=True))
    return steps


def _time_allowed_passed(page: CasePage, view: StageView) -> bool:
    """R1.21: a stage not answered within the time allowed (as extended, or moved on by a hold) may be escalated
    once that time has passed; ``cases.services.stages.complaint_escalate`` checks the same deadline."""
    procedure = page.procedure
    number = view.stage.number
    if procedure is None or number >= len(procedure.stages) or view.open_hold is not None:
        return False
    key = procedure.stages[number - 1].response_key
    row = next((d.deadline for d in view.deadlines if d.deadline.key == key), None)
    if row is None:
        return False
    allowed = row.adjusted_due_date or row.extended_due_date or row.due_date
    return allowed is not None and page.today > allowed


def _complaint_steps(page: CasePage) -> list[ActionLink]:
    case = page.case
    procedure = page.procedure
    if procedure is None:
        return []
    steps: list[ActionLink] = []
    if not case.is_open:
        return [
            _link("complaint-reopen", "Reopen the complaint", case.pk),
            _link("case-support", "Record mediation and advocacy", case.pk),
        ]
    if case.acceptance == c.Acceptance.PENDING:
        steps.append(_link("complaint-accept", "Accept the complaint", case.pk, primary=True))
    open_view = page.open_stage
    if open_view is not None:
        steps += _open_stage_steps(page, procedure, open_view)
    last = page.last_stage
    if open_view is None and last is not None and case.acceptance == c.Acceptance.ACCEPTED:
        required = rules.ESCALATION_REQUIRES.get((case.procedure, last.stage.number + 1), ())
        if (
            last.stage.outcome in rules.ESCALATABLE_OUTCOMES
            and last.stage.number < len(procedure.stages)
            and all(getattr(last.stage, r.field) is not None for r in required)
        ):
            steps.append(_link("complaint-escalate", f"Open stage {last.stage.number + 1}", case.pk, primary=True))
        steps.append(_link("complaint-close", "Close the complaint", case.pk))
    if open_view is not None and case.acceptance == c.Acceptance.ACCEPTED and _time_allowed_passed(page, open_view):
        number = open_view.stage.number + 1
        label = f"Open stage {number}: stage {number - 1} was not answered in the time allowed"
        steps.append(_link("complaint-escalate", label, case.pk))
    if open_view is not None:
        steps.append(_link("complaint-withdraw", "Record a withdrawal", case.pk))
    steps.append(_link("case-support", "Record mediation and advocacy", case.pk))
    steps.append(_link("complaint-decline", "Do not accept the complaint", case.pk))
    return steps


def _ombudsman_steps(page: CasePage) -> list[ActionLink]:
    detail = page.ombudsman
    case = page.case
    if detail is None:
        return []
    steps: list[ActionLink] = []
    if detail.decision == c.LgscoDecision.IN_PROGRESS:
        if detail.enquiry_responded_date is None:
            steps.append(_link("ombudsman-enquiry-respond", "Record the reply to the Ombudsman's enquiries", case.pk))
        steps.append(_link("ombudsman-decision", "Record the Ombudsman's decision", case.pk, primary=True))
    elif detail.compliance_due_date is not None and detail.complied_date is None:
        steps.append(_link("ombudsman-compliance", "Record compliance with the remedy", case.pk, primary=True))
    return steps


def case_actions(page: CasePage) -> CaseActions:
    """The actions the case page offers for ``page`` as it stands."""
    case = page.case
    next_steps: list[ActionLink] = []
    if case.kind == c.Kind.COMPLAINT:
        next_steps = _complaint_steps(page)
    elif case.kind == c.Kind.OMBUDSMAN:
        next_steps = _ombudsman_steps(page)
    elif case.kind in representation_kinds() and case.is_open:
        next_steps = [_link("representation-respond", "Record the response", case.pk, primary=True)]

    general = [_link("document-upload", "Upload a document", case.pk)]
    if case.is_open:
        general.append(_link("case-owner-change", "Change the owner", case.pk))
    if case.kind in (c.Kind.COMPLAINT, c.Kind.OMBUDSMAN):
        general.append(_link("remedy-propose", "Propose a remedy", case.pk))
        general.append(_link("learning-action-create", "Add a learning action", case.pk))

    complainants: dict[int, list[ActionLink]] = {}
    if case.is_open and case.acceptance == c.Acceptance.PENDING:
        for complainant in page.complainants:
            if complainant.sufficient_interest == c.SufficientInterestDecision.PENDING:
                complainants[complainant.pk] = [
                    _link(
                        "complainant-interest-decide",
                        "Decide on sufficient interest",
                        case.pk,
                        complainant.pk,
                        primary=True,
                    )
                ]

    learning: dict[int, list[ActionLink]] = {}
    finished = {c.LearningActionStatus.IMPLEMENTED, c.LearningActionStatus.NOT_IMPLEMENTED}
    for action in page.learning_actions:
        if action.status in finished:
            continue
        learning[action.pk] = [
            _link("learning-action-update", "Change", case.pk, action.pk),
            _link("learning-action-complete", "Record as implemented", case.pk, action.pk),
            _link("learning-action-not-implemented", "Record as not implemented", case.pk, action.pk),
        ]
    return CaseActions(
        next_steps=next_steps,
        case=general,
        complainants=complainants,
        learning=learning,
        changes=_changes(page),
        points=_point_links(page),
        recommendations=_recommendation_links(page),
        remedies=_remedy_steps(page),
    )


def _remedy_steps(page: CasePage) -> dict[int, list[ActionLink]]:
    """What can be done next with each remedy: a proposal is changed or approved; an approved remedy is paid or
    delivered; either may be recorded as not delivered."""
    steps: dict[int, list[ActionLink]] = {}
    for remedy in page.remedies:
        ids = (page.case.pk, remedy.pk)
        if remedy.status == c.RemedyStatus.PROPOSED:
            steps[remedy.pk] = [
                _link("remedy-approve", "Approve", *ids, primary=True),
                _link("remedy-change", "Change", *ids),
                _link("remedy-not-delivered", "Record as not delivered", *ids),
            ]
        elif remedy.status == c.RemedyStatus.APPROVED:
            paid = "Record as paid" if remedy.amount is not None else "Record as delivered"
            steps[remedy.pk] = [
                _link("remedy-pay", paid, *ids, primary=True),
                _link("remedy-not-delivered", "Record as not delivered", *ids),
            ]
    return steps


def _point_links(page: CasePage) -> dict[int, list[ActionLink]]:
    """Change and Remove on each point not yet answered, while the open stage records its points one by one."""
    case, open_view = page.case, page.open_stage
    if case.kind != c.Kind.COMPLAINT or not case.is_open or open_view is None:
        return {}
    if (case.procedure, open_view.stage.number) in rules.DEDICATED_RESPONSE:
        return {}
    return {
        row.point.pk: [
            _link("complaint-point-change", "Change", case.pk, row.point.pk),
            _link("complaint-point-remove", "Remove", case.pk, row.point.pk),
        ]
        for row in page.points
        if not row.findings
    }


def _recommendation_links(page: CasePage) -> dict[int, list[ActionLink]]:
    """The council's response to each recommendation of a stage already answered, and its follow-up."""
    links: dict[int, list[ActionLink]] = {}
    for view in page.stages:
        if view.stage.response_date is None:
            continue
        for rec in view.recommendations:
            label = "Record the council's response" if rec.accepted is None else "Change the response"
            links[rec.pk] = [_link("recommendation-respond", label, page.case.pk, rec.pk)]
            if rec.accepted and rec.follow_up_action and rec.follow_up_done_date is None:
                links[rec.pk].append(_link("recommendation-done", "Record the follow-up as done", page.case.pk, rec.pk))
    return links


CASE_CHANGES = ("case-summary-change", "case-topic-change", "case-received-via-change", "case-received-date-change")
COMPLAINANT_CHANGES = ("complainant-name-change", "complainant-contact-change", "complainant-type-change")
CHILD_CHANGES = ("child-details-change", "child-support-change")


def _changes(page: CasePage) -> dict[str, Any]:
    """The Change link of every detail that can be corrected, while the case is open."""
    case = page.case
    if not case.is_open:
        return {}
    changes: dict[str, Any] = {name: reverse(f"casework:{name}", args=[case.pk]) for name in CASE_CHANGES}
    for name in COMPLAINANT_CHANGES:
        changes[name] = {p.pk: reverse(f"casework:{name}", args=[case.pk, p.pk]) for p in page.complainants}
    for name in CHILD_CHANGES:
        changes[name] = {ch.pk: reverse(f"casework:{name}", args=[case.pk, ch.pk]) for ch in page.children}
    if case.kind == c.Kind.COMPLAINT:
        # R1.13, R1.14: the earlier case a complaint re-raises or resubmits.
        changes["case-linked-change"] = reverse("casework:case-linked-change", args=[case.pk])
    return changes
