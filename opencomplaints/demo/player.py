"""Play demonstration events (``events``) through the domain services: one handler per kind of event.

Every write of case data goes through ``opencomplaints.cases.services``, so the demonstration data obeys the same
procedure rules as real data and carries the same audit trail. The player reads back only what the services
create and the plan cannot name in advance (the stage rows, the points of complaint and the recommendations
they hold), and keeps what it made by the plan's keys for the events that follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases import services as case_services
from opencomplaints.cases.models import (
    Case,
    CaseComplainant,
    ComplaintPoint,
    LearningAction,
    Recommendation,
    Remedy,
    Stage,
)
from opencomplaints.cases.services.inputs import (
    ChildInput,
    ComplainantInput,
    ComplimentInput,
    EnquirerInput,
    LateAcceptance,
    PersonInput,
    PointInput,
    RecommendationInput,
    RecommendationResponse,
)
from opencomplaints.common.errors import DomainError
from opencomplaints.councils import services as council_services
from opencomplaints.councils.models import Council, IssueCategory, RemedyType, Team
from opencomplaints.councils.selectors import corporate_procedure_current
from opencomplaints.demo import events as e
from opencomplaints.demo.plans import PersonPlan

STEP_FAILED = "Could not build {what}: {message}"
REFERENCE_DRIFT = "The services numbered {what} {actual}, but the plan expected {expected}."


class BuildError(Exception):
    """The plan could not be applied; the message says which record and why."""


_HANDLERS: dict[type[e.Event], Callable[[Player, Any], object]] = {}


def plays[E: e.Event](kind: type[E]) -> Callable[[Callable[[Player, E], object]], Callable[[Player, E], object]]:
    """Register the decorated method as the one that applies events of ``kind``."""

    def register(handler: Callable[[Player, E], object]) -> Callable[[Player, E], object]:
        _HANDLERS[kind] = handler
        return handler

    return register


def _person(plan: PersonPlan) -> PersonInput:
    return PersonInput(
        first_name=plan.first_name, last_name=plan.last_name, date_of_birth=plan.date_of_birth, email=plan.email,
        phone=plan.phone, address=plan.address, postcode=plan.postcode, sex=plan.sex,
        ethnicity_scheme=plan.ethnicity_scheme, ethnicity_code=plan.ethnicity_code, disability=plan.disability,
        sexual_orientation=plan.sexual_orientation, religion=plan.religion,
    )  # fmt: skip


class Player:
    def __init__(
        self,
        *,
        council: Council,
        users: Mapping[str, User],
        teams: Mapping[str, Team],
        issues: Mapping[str, IssueCategory],
        remedy_types: Mapping[str, RemedyType],
    ) -> None:
        self.council = council
        self.users = users
        self.teams = teams
        self.issues = issues
        self.remedy_types = remedy_types
        self.cases: dict[str, Case] = {}
        self.remedies: dict[str, Remedy] = {}
        self.learning: dict[str, LearningAction] = {}

    def play(self, events: Iterable[e.Event], *, what: str) -> None:
        """Apply ``events`` in the order given (``timeline`` puts them in the order they happened)."""
        for event in events:
            try:
                _HANDLERS[type(event)](self, event)
            except DomainError as error:
                at = f"{what} ({event.what} on {event.day:%d/%m/%Y})"
                raise BuildError(STEP_FAILED.format(what=at, message=error.message)) from error

    def by(self, event: e.Event) -> User | None:
        return self.users[event.by] if event.by else None

    def user(self, username: str) -> User:
        return self.users[username]

    def case(self, event: e.Event) -> Case:
        return self.cases[event.case]

    def stage(self, event: e.Event, number: int | None = None) -> Stage:
        return Stage.objects.get(case=self.cases[event.case], number=number or event.stage)

    def findings(self, event: e.Event, findings: tuple[str, ...]) -> dict[ComplaintPoint, str]:
        points = list(ComplaintPoint.objects.filter(case=self.cases[event.case]).order_by("number"))
        return dict(zip(points, findings, strict=True))

    def registered(self, key: str, case: Case, expected: str) -> None:
        # The plan numbers references the way the services do; a difference means the two have drifted apart.
        if case.reference != expected:
            raise BuildError(REFERENCE_DRIFT.format(what=key, actual=case.reference, expected=expected))
        self.cases[key] = case

    # -- the council --------------------------------------------------------------------------------------------

    @plays(e.CorporateProcedureRevised)
    def procedure_revised(self, event: e.CorporateProcedureRevised) -> None:
        current = corporate_procedure_current(council=self.council)
        if current is not None:
            council_services.corporate_procedure_revise(
                procedure=current, acting_user=self.user("admin"), changes=event.changes
            )

    # -- a complaint --------------------------------------------------------------------------------------------

    @plays(e.ComplaintRegistered)
    def complaint_registered(self, event: e.ComplaintRegistered) -> None:
        plan = event.complaint
        late = plan.late_acceptance
        owner = self.user(plan.owner)
        case = case_services.complaint_register(
            council=self.council, acting_user=owner, received_date=plan.received_date,
            received_via=plan.received_via, procedure=plan.procedure, summary=plan.summary,
            complainants=[
                ComplainantInput(
                    person=_person(x.person), complainant_type=x.complainant_type,
                    eligibility_basis=x.eligibility_basis, on_behalf_of_child=x.on_behalf_of_child,
                    child_consent=x.child_consent,
                )
                for x in plan.complainants
            ],
            children=[
                ChildInput(
                    person=_person(x.person), age_at_receipt=x.age_at_receipt, support_category=x.support_category
                )
                for x in plan.children
            ],
            teams=[self.teams[key] for key in plan.teams], issues=[self.issues[name] for name in plan.issues],
            grounds_arose_date=plan.grounds_arose_date,
            late_acceptance=(
                LateAcceptance(
                    accepted=late.accepted, not_reasonable_to_expect_reason=late.not_reasonable_to_expect_reason,
                    still_possible_reason=late.still_possible_reason,
                )
                if late is not None
                else None
            ),
            start_stage=plan.start_stage, stage1_skipped_reason=plan.stage1_skipped_reason, owner=owner,
            advocacy_offered=plan.advocacy_offered, advocacy_provided=plan.advocacy_provided,
            advocate_name=plan.advocate_name, advocate_organisation=plan.advocate_organisation,
        )  # fmt: skip
        self.registered(plan.key, case, plan.reference)
        if plan.mediation != c.Mediation.NONE:
            case_services.case_support_record(
                case=case, acting_user=owner, mediation=plan.mediation, advocacy_offered=plan.advocacy_offered,
                advocacy_provided=plan.advocacy_provided, advocate_name=plan.advocate_name,
                advocate_organisation=plan.advocate_organisation,
            )  # fmt: skip

    @plays(e.InterestDecided)
    def interest_decided(self, event: e.InterestDecided) -> None:
        case_services.complainant_sufficient_interest_decide(
            complainant=CaseComplainant.objects.get(case=self.case(event), is_primary=True),
            acting_user=self.by(event), has_interest=event.has_interest, decided_date=event.day,
            child_consulted=event.child_consulted, notified_date=event.notified_date,
        )  # fmt: skip

    @plays(e.Declined)
    def declined(self, event: e.Declined) -> None:
        case_services.complaint_decline(
            case=self.case(event), acting_user=self.by(event), reason=event.reason, decided_date=event.day,
            redirected_to=event.redirected_to, note=event.note,
        )  # fmt: skip

    @plays(e.Accepted)
    def accepted(self, event: e.Accepted) -> None:
        case_services.complaint_accept(case=self.case(event), acting_user=self.by(event))

    @plays(e.Escalated)
    def escalated(self, event: e.Escalated) -> None:
        case_services.complaint_escalate(
            case=self.case(event), acting_user=self.by(event), request_received_date=event.day,
            late_request_accepted=event.late_request_accepted, late_request_reason=event.late_request_reason,
        )  # fmt: skip

    @plays(e.Acknowledged)
    def acknowledged(self, event: e.Acknowledged) -> None:
        case_services.stage_acknowledge(
            stage=self.stage(event), acting_user=self.by(event), acknowledged_date=event.day
        )

    @plays(e.Held)
    def held(self, event: e.Held) -> None:
        case_services.stage_hold(
            stage=self.stage(event), acting_user=self.by(event), start_date=event.day, reason=event.reason,
            note=event.note,
        )  # fmt: skip

    @plays(e.Resumed)
    def resumed(self, event: e.Resumed) -> None:
        case_services.stage_resume(stage=self.stage(event), acting_user=self.by(event), end_date=event.day)

    @plays(e.Extended)
    def extended(self, event: e.Extended) -> None:
        case_services.stage_extend(
            stage=self.stage(event), acting_user=self.by(event), extended_due_date=event.extended_due_date,
            reason=event.reason, notified_date=event.day,
        )  # fmt: skip

    @plays(e.InvestigatorsAppointed)
    def investigators_appointed(self, event: e.InvestigatorsAppointed) -> None:
        case_services.stage2_appoint(
            stage=self.stage(event), acting_user=self.by(event), appointed_date=event.day,
            investigating_officer=self.user(event.investigating_officer),
            independent_person=self.user(event.independent_person),
        )  # fmt: skip

    @plays(e.StatementAgreed)
    def statement_agreed(self, event: e.StatementAgreed) -> None:
        case_services.stage2_statement_agree(
            stage=self.stage(event), acting_user=self.by(event), agreed_date=event.day,
            points=[PointInput(description=p.description, issue=self.issues[p.issue]) for p in event.points],
        )  # fmt: skip

    @plays(e.InvestigationReported)
    def investigation_reported(self, event: e.InvestigationReported) -> None:
        case_services.stage2_report_receive(stage=self.stage(event), acting_user=self.by(event), report_date=event.day)

    @plays(e.PanelAppointed)
    def panel_appointed(self, event: e.PanelAppointed) -> None:
        case_services.stage3_panel_appoint(
            stage=self.stage(event), acting_user=self.by(event), chair=self.user(event.chair),
            members=[self.user(member) for member in event.members],
        )  # fmt: skip

    @plays(e.PanelArranged)
    def panel_arranged(self, event: e.PanelArranged) -> None:
        case_services.stage3_panel_schedule(
            stage=self.stage(event), acting_user=self.by(event), meeting_at=event.meeting_at, place=event.place
        )

    @plays(e.PanelMet)
    def panel_met(self, event: e.PanelMet) -> None:
        case_services.stage3_panel_record(stage=self.stage(event), acting_user=self.by(event), panel_date=event.day)

    @plays(e.PanelReported)
    def panel_reported(self, event: e.PanelReported) -> None:
        case_services.stage3_report_record(
            stage=self.stage(event), acting_user=self.by(event), report_date=event.day,
            recommendations=list(event.recommendations),
        )  # fmt: skip

    @plays(e.Withdrawn)
    def withdrawn(self, event: e.Withdrawn) -> None:
        case_services.complaint_withdraw(
            case=self.case(event), acting_user=self.by(event), withdrawn_date=event.day, note=event.note
        )

    @plays(e.Adjudicated)
    def adjudicated(self, event: e.Adjudicated) -> None:
        adjudicator = self.user(event.by)
        case_services.stage2_adjudicate(
            stage=self.stage(event), acting_user=adjudicator, adjudicator=adjudicator, adjudication_date=event.day,
            findings=self.findings(event, event.findings),
            recommendations=[
                RecommendationInput(text=r.text, accepted=r.accepted, reason=r.reason) for r in event.recommendations
            ],
        )  # fmt: skip

    @plays(e.PanelAnswered)
    def panel_answered(self, event: e.PanelAnswered) -> None:
        stage = self.stage(event)
        decisions = {r.text: r for r in event.recommendations}
        responses = {
            made: RecommendationResponse(
                accepted=bool(decisions[made.text].accepted), reason=decisions[made.text].reason
            )
            for made in Recommendation.objects.filter(stage=stage)
        }
        case_services.stage3_respond(
            stage=stage, acting_user=self.by(event), response_date=event.day,
            findings=self.findings(event, event.findings), recommendation_responses=responses,
        )  # fmt: skip

    @plays(e.Responded)
    def responded(self, event: e.Responded) -> None:
        if not event.findings:
            case_services.stage_respond(
                stage=self.stage(event), acting_user=self.by(event), response_date=event.day, outcome=event.outcome
            )
            return
        case = self.case(event)
        if not ComplaintPoint.objects.filter(case=case).exists():
            for point in event.points:
                case_services.complaint_point_add(
                    case=case, acting_user=self.by(event), description=point.description,
                    issue=self.issues[point.issue],
                )  # fmt: skip
        findings = self.findings(event, event.findings)
        case_services.stage_respond(
            stage=self.stage(event), acting_user=self.by(event), response_date=event.day, findings=findings,
            responses=dict(zip(findings, event.responses, strict=True)), response_sent_via=event.sent_via,
        )  # fmt: skip

    @plays(e.Closed)
    def closed(self, event: e.Closed) -> None:
        case_services.complaint_close(case=self.case(event), acting_user=None, closed_date=event.day)

    @plays(e.Reopened)
    def reopened(self, event: e.Reopened) -> None:
        case_services.complaint_reopen(
            case=self.case(event), acting_user=self.by(event), reason=event.reason, reopened_date=event.day,
            reopen_stage=False,
        )  # fmt: skip

    # -- remedies -----------------------------------------------------------------------------------------------

    @plays(e.RemedyProposed)
    def remedy_proposed(self, event: e.RemedyProposed) -> None:
        self.remedies[event.remedy] = case_services.remedy_propose(
            case=self.case(event), acting_user=self.by(event), remedy_type=self.remedy_types[event.remedy_type],
            stage=self.stage(event, event.remedy_stage) if event.remedy_stage is not None else None,
            description=event.description, amount=event.amount,
        )  # fmt: skip

    @plays(e.RemedyApproved)
    def remedy_approved(self, event: e.RemedyApproved) -> None:
        case_services.remedy_approve(
            remedy=self.remedies[event.remedy], acting_user=self.by(event), approved_date=event.day,
            due_date=event.due_date,
        )  # fmt: skip

    @plays(e.RemedyPaid)
    def remedy_paid(self, event: e.RemedyPaid) -> None:
        case_services.remedy_pay(
            remedy=self.remedies[event.remedy], acting_user=self.by(event), paid_date=event.day,
            payment_reference=event.payment_reference,
        )  # fmt: skip

    @plays(e.RemedyNotDelivered)
    def remedy_not_delivered(self, event: e.RemedyNotDelivered) -> None:
        case_services.remedy_mark_not_delivered(
            remedy=self.remedies[event.remedy], acting_user=self.by(event), not_delivered_date=event.day,
            reason=event.reason,
        )  # fmt: skip

    # -- other representations and the Ombudsman ----------------------------------------------------------------

    @plays(e.RepresentationRegistered)
    def representation_registered(self, event: e.RepresentationRegistered) -> None:
        plan = event.representation
        enquirer, compliment = plan.enquirer, plan.compliment
        case = case_services.representation_register(
            council=self.council, acting_user=self.by(event), kind=plan.kind, received_date=plan.received_date,
            topic=plan.topic, summary=plan.summary, teams=[self.teams[key] for key in plan.teams],
            enquirer=(
                EnquirerInput(
                    enquirer_type=enquirer.enquirer_type, name=enquirer.name,
                    constituency_or_ward=enquirer.constituency_or_ward,
                )
                if enquirer is not None
                else None
            ),
            compliment=(
                ComplimentInput(
                    about_team=self.teams[compliment.about_team] if compliment.about_team else None,
                    about_person=compliment.about_person, quote=compliment.quote,
                )
                if compliment is not None
                else None
            ),
            owner=self.by(event),
        )  # fmt: skip
        self.registered(plan.key, case, plan.reference)

    @plays(e.RepresentationAnswered)
    def representation_answered(self, event: e.RepresentationAnswered) -> None:
        case_services.representation_respond(
            case=self.case(event), acting_user=self.by(event), responded_date=event.day, outcome=event.outcome
        )

    @plays(e.OmbudsmanCaseRegistered)
    def ombudsman_case_registered(self, event: e.OmbudsmanCaseRegistered) -> None:
        plan = event.ombudsman_case
        case = case_services.ombudsman_case_register(
            council=self.council, acting_user=self.by(event), received_date=plan.received_date,
            lgsco_reference=plan.lgsco_reference, complaint=self.cases[plan.complaint] if plan.complaint else None,
            enquiry_due_date=plan.enquiry_due_date, summary=plan.summary,
        )  # fmt: skip
        self.registered(plan.key, case, plan.reference)

    @plays(e.OmbudsmanEnquiriesAnswered)
    def ombudsman_enquiries_answered(self, event: e.OmbudsmanEnquiriesAnswered) -> None:
        case_services.ombudsman_enquiry_respond(
            case=self.case(event), acting_user=self.by(event), responded_date=event.day
        )

    @plays(e.OmbudsmanDecided)
    def ombudsman_decided(self, event: e.OmbudsmanDecided) -> None:
        case_services.ombudsman_decision_record(
            case=self.case(event), acting_user=self.by(event), decision=event.decision, decision_date=event.day,
            decision_label=event.decision_label, fault_found=event.fault_found,
            injustice_found=event.injustice_found, recommended_payment=event.recommended_payment,
            compliance_due_date=event.compliance_due_date,
        )  # fmt: skip

    @plays(e.OmbudsmanComplied)
    def ombudsman_complied(self, event: e.OmbudsmanComplied) -> None:
        case_services.ombudsman_compliance_record(
            case=self.case(event), acting_user=self.by(event), complied_date=event.day
        )

    # -- learning -----------------------------------------------------------------------------------------------

    @plays(e.LearningActionCreated)
    def learning_action_created(self, event: e.LearningActionCreated) -> None:
        plan = event.action
        owner = self.by(event)
        self.learning[event.case] = case_services.learning_action_create(
            council=self.council, acting_user=owner, finding=plan.finding, action=plan.action,
            cases=[self.cases[key] for key in plan.cases], owner=owner,
            team=self.teams[plan.team] if plan.team else None, due_date=plan.due_date,
        )  # fmt: skip

    @plays(e.LearningActionStarted)
    def learning_action_started(self, event: e.LearningActionStarted) -> None:
        case_services.learning_action_update(
            action=self.learning[event.case], acting_user=self.by(event), status=c.LearningActionStatus.IN_PROGRESS
        )

    @plays(e.LearningActionImplemented)
    def learning_action_implemented(self, event: e.LearningActionImplemented) -> None:
        case_services.learning_action_complete(
            action=self.learning[event.case], acting_user=self.by(event), implemented_date=event.day,
            evidence=event.evidence,
        )  # fmt: skip

    @plays(e.LearningActionNotImplemented)
    def learning_action_not_implemented(self, event: e.LearningActionNotImplemented) -> None:
        case_services.learning_action_not_implemented(
            action=self.learning[event.case], acting_user=self.by(event), reason=event.reason
        )
