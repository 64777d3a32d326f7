"""What the demonstration generator decides about each case, as frozen data: a case's shape stage by stage.

The generator (``generator.plan_demo``) decides in these terms, because what it calibrates — the share of stage 1
responses on time, the escalation rate — is about stages. ``timeline`` turns each of them into the sequence of
events that happened to the case (``events``), and ``player`` plays those through the services. Tests read the
shape of the data from these plans without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from opencomplaints.cases import constants as c
from opencomplaints.cases.services.inputs import LateAcceptance, PersonInput
from opencomplaints.demo.draws import year_windows

MERITS = (c.Outcome.UPHELD, c.Outcome.PARTLY_UPHELD, c.Outcome.NOT_UPHELD)
# Ends of a stage that close the case there and then (R1.36, R1.7-R1.14).
CLOSING_OUTCOMES = (c.Outcome.WITHDRAWN, c.Outcome.NOT_ACCEPTED)
# The stage whose response closes the case by itself; earlier ones wait for the request window (R1.22, R1.29).
LAST_STAGE: dict[str, int] = {c.Procedure.CHILDREN_STATUTORY: 3, c.Procedure.CORPORATE: 2}
# Working days to ask for the next stage (R1.22, R1.29; the Code's window for corporate complaints).
REQUEST_WINDOW_WORKING_DAYS = 20
# R1.26: stage 2 may be extended to at most 65 working days from its start date.
STAGE2_MAXIMUM_WORKING_DAYS = 65
UPHELD_ANY = (c.Outcome.UPHELD, c.Outcome.PARTLY_UPHELD)


@dataclass(frozen=True, kw_only=True)
class UserPlan:
    username: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    is_staff: bool = False
    is_superuser: bool = False


@dataclass(frozen=True, kw_only=True)
class ServiceAreaPlan:
    key: str
    name: str
    active_from: date | None = None


@dataclass(frozen=True, kw_only=True)
class TeamPlan:
    key: str
    name: str
    service_area: str
    active_from: date | None = None
    active_until: date | None = None
    # Set for a team created by a restructure: the builder makes it with ``team_restructure``.
    predecessor: str | None = None
    corporate: bool = False

    def active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or day <= self.active_until
        )


@dataclass(frozen=True, kw_only=True)
class RestructurePlan:
    team: str
    ended_on: date
    successor: str


# A person and a late complaint's acceptance are planned as the services take them in (``PersonInput``,
# ``LateAcceptance``): the player hands them over as they are.


@dataclass(frozen=True, kw_only=True)
class ComplainantPlan:
    person: PersonInput
    complainant_type: str
    eligibility_basis: str = c.EligibilityBasis.NOT_APPLICABLE
    on_behalf_of_child: bool = False
    child_consent: str = c.ChildConsent.NOT_APPLICABLE
    # A young person complaining about their own care is both the complainant and the child.
    is_the_child: bool = False


@dataclass(frozen=True, kw_only=True)
class ChildPlan:
    person: PersonInput
    age_at_receipt: int | None
    support_category: str


@dataclass(frozen=True, kw_only=True)
class SufficientInterestPlan:
    has_interest: bool
    decided_date: date
    child_consulted: bool
    notified_date: date


@dataclass(frozen=True, kw_only=True)
class DeclinePlan:
    reason: str
    redirected_to: str
    note: str
    decided_date: date


@dataclass(frozen=True, kw_only=True)
class HoldPlan:
    start_date: date
    end_date: date | None  # None: still on hold at the end date
    reason: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class ExtensionPlan:
    extended_due_date: date
    reason: str
    notified_date: date


@dataclass(frozen=True, kw_only=True)
class PointPlan:
    description: str
    issue: str


@dataclass(frozen=True, kw_only=True)
class RecommendationPlan:
    text: str
    accepted: bool | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class RemedyPlan:
    remedy_type: str
    stage: int | None
    description: str
    amount: Decimal | None = None
    agreed_date: date | None = None
    paid_date: date | None = None


@dataclass(frozen=True, kw_only=True)
class StagePlan:
    number: int
    received_date: date  # day 0: the complaint (stage 1) or the request for the stage
    late_request_accepted: bool | None = None
    late_request_reason: str = ""
    # Corporate procedures time the response from the acknowledgement (R3.5, R3.6).
    acknowledged_date: date | None = None
    holds: tuple[HoldPlan, ...] = ()
    extension: ExtensionPlan | None = None
    # Stage 2 (R1.24-R1.28).
    appointed_date: date | None = None
    investigating_officer: str = ""
    independent_person: str = ""
    statement_agreed_date: date | None = None
    report_date: date | None = None
    adjudicator: str = ""
    # Stage 3 (R1.30-R1.33).
    panel_chair: str = ""
    panel_members: tuple[str, ...] = ()
    # The panel's meeting, arranged two working days after the request (issue 15): when and where.
    panel_arranged_date: date | None = None
    panel_meeting_at: datetime | None = None
    panel_meeting_place: str = ""
    panel_date: date | None = None
    panel_report_date: date | None = None
    recommendations: tuple[RecommendationPlan, ...] = ()
    # The end of the stage: a response, a withdrawal or a decision not to accept it.
    response_date: date | None = None
    outcome: str = ""
    findings: tuple[str, ...] = ()  # one per point of complaint, at stages 2 and 3 (and stage 1 point by point)
    # What the council says on each point (stage 1 point by point), and how the response was sent (R1.29).
    point_responses: tuple[str, ...] = ()
    response_sent_via: str = ""

    @property
    def is_open(self) -> bool:
        return self.response_date is None

    @property
    def open_hold(self) -> HoldPlan | None:
        return next((hold for hold in self.holds if hold.end_date is None), None)


@dataclass(frozen=True, kw_only=True)
class ClosurePlan:
    """The case closed by the system on the last day of the window to ask for the next stage, once it had passed
    (R1.22, R1.29), and reopened if a late request was accepted."""

    closed_date: date
    reopened_date: date | None = None
    reopen_reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ComplaintPlan:
    key: str
    reference: str
    procedure: str
    received_date: date
    received_via: str
    summary: str
    complainants: tuple[ComplainantPlan, ...]
    children: tuple[ChildPlan, ...]
    teams: tuple[str, ...]
    issues: tuple[str, ...]
    owner: str
    grounds_arose_date: date | None = None
    late_acceptance: LateAcceptance | None = None
    start_stage: int = 1
    stage1_skipped_reason: str = ""
    advocacy_offered: bool | None = None
    advocacy_provided: bool | None = None
    advocate_name: str = ""
    advocate_organisation: str = ""
    sufficient_interest: SufficientInterestPlan | None = None
    # Accepted at triage (R1.7-R1.14). False with no decline: still awaiting triage at the end date.
    accepted: bool = True
    decline: DeclinePlan | None = None
    mediation: str = c.Mediation.NONE
    points: tuple[PointPlan, ...] = ()
    stages: tuple[StagePlan, ...] = ()
    withdrawal_note: str = ""
    remedies: tuple[RemedyPlan, ...] = ()
    closures: tuple[ClosurePlan, ...] = ()

    @property
    def current_stage(self) -> StagePlan:
        return self.stages[-1]

    @property
    def is_open(self) -> bool:
        """Whether the case is open on the end date: a stage still running, or a response whose window for the next
        stage has not passed yet."""
        stage = self.current_stage
        if stage.is_open:
            return True
        if stage.outcome in CLOSING_OUTCOMES or stage.number == LAST_STAGE[self.procedure]:
            return False
        return not self.closures or self.closures[-1].reopened_date is not None

    @property
    def declined_on_receipt(self) -> bool:
        """Refused late acceptance: ``complaint_register`` records it as declined and closes it (R1.12)."""
        return self.late_acceptance is not None and not self.late_acceptance.accepted


@dataclass(frozen=True, kw_only=True)
class EnquirerPlan:
    enquirer_type: str
    name: str
    constituency_or_ward: str


@dataclass(frozen=True, kw_only=True)
class ComplimentPlan:
    about_team: str | None
    about_person: str
    quote: str


@dataclass(frozen=True, kw_only=True)
class RepresentationPlan:
    key: str
    reference: str
    kind: str
    received_date: date
    topic: str
    summary: str
    teams: tuple[str, ...]
    owner: str
    enquirer: EnquirerPlan | None = None
    compliment: ComplimentPlan | None = None
    responded_date: date | None = None
    outcome: str = ""


@dataclass(frozen=True, kw_only=True)
class OmbudsmanDecisionPlan:
    decision: str
    decision_label: str
    decision_date: date
    fault_found: bool | None
    injustice_found: bool | None
    recommended_payment: Decimal | None
    compliance_due_date: date | None
    complied_date: date | None = None


@dataclass(frozen=True, kw_only=True)
class OmbudsmanPlan:
    key: str
    reference: str
    received_date: date
    lgsco_reference: str
    complaint: str | None  # the key of the complaint the Ombudsman considered, where there is one
    enquiry_due_date: date | None
    summary: str
    owner: str
    enquiry_responded_date: date | None = None
    decision: OmbudsmanDecisionPlan | None = None


@dataclass(frozen=True, kw_only=True)
class LearningActionPlan:
    key: str
    cases: tuple[str, ...]
    finding: str
    action: str
    owner: str
    team: str | None
    created_date: date
    due_date: date
    status: str
    implemented_date: date | None = None
    evidence: str = ""
    not_implemented_reason: str = ""


@dataclass(frozen=True, kw_only=True)
class CouncilPlan:
    name: str
    slug: str
    reference_prefix: str
    service_areas: tuple[ServiceAreaPlan, ...]
    teams: tuple[TeamPlan, ...]
    restructures: tuple[RestructurePlan, ...]
    complaints: tuple[ComplaintPlan, ...]
    representations: tuple[RepresentationPlan, ...]
    ombudsman_cases: tuple[OmbudsmanPlan, ...]
    learning_actions: tuple[LearningActionPlan, ...]

    def team(self, key: str) -> TeamPlan:
        return next(team for team in self.teams if team.key == key)

    def complaint(self, key: str) -> ComplaintPlan:
        return next(complaint for complaint in self.complaints if complaint.key == key)


@dataclass(frozen=True, kw_only=True)
class DemoPlan:
    seed: int
    years: int
    start_date: date
    end_date: date
    users: tuple[UserPlan, ...]
    councils: tuple[CouncilPlan, ...]

    @property
    def windows(self) -> tuple[tuple[date, date], ...]:
        return year_windows(end_date=self.end_date, years=self.years)


# -- personas ---------------------------------------------------------------------------------------------------


_KIND_ORDER = {ComplaintPlan: 0, RepresentationPlan: 1, OmbudsmanPlan: 2}


def registration_order(case: ComplaintPlan | RepresentationPlan | OmbudsmanPlan) -> tuple[date, int, str]:
    """The order the builder registers a council's cases in: by date received, then complaints, other
    representations and Ombudsman cases, then by key. References are numbered in this order."""
    return (case.received_date, _KIND_ORDER[type(case)], case.key)
