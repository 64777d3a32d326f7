"""The player's handlers for what happens to a complaint: registration to response, closure and reopening, and
the corporate procedure's revision (the one event that happens to the council)."""

from __future__ import annotations

from opencomplaints.cases import constants as c
from opencomplaints.cases import services as case_services
from opencomplaints.cases.models import (
    CaseComplainant,
    ComplaintPoint,
    Recommendation,
)
from opencomplaints.cases.services.inputs import (
    ChildInput,
    ComplainantInput,
    PointInput,
    RecommendationInput,
    RecommendationResponse,
)
from opencomplaints.councils import services as council_services
from opencomplaints.councils.selectors import corporate_procedure_current
from opencomplaints.demo import events as e
from opencomplaints.demo.playing import PlayerBase, plays


class ComplaintPlays(PlayerBase):
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
        owner = self.user(plan.owner)
        case = case_services.complaint_register(
            council=self.council, acting_user=owner, received_date=plan.received_date,
            received_via=plan.received_via, procedure=plan.procedure, summary=plan.summary,
            complainants=[
                ComplainantInput(
                    person=x.person, complainant_type=x.complainant_type,
                    eligibility_basis=x.eligibility_basis, on_behalf_of_child=x.on_behalf_of_child,
                    child_consent=x.child_consent,
                )
                for x in plan.complainants
            ],
            children=[
                ChildInput(
                    person=x.person, age_at_receipt=x.age_at_receipt, support_category=x.support_category
                )
                for x in plan.children
            ],
            teams=[self.teams[key] for key in plan.teams], issues=[self.issues[name] for name in plan.issues],
            grounds_arose_date=plan.grounds_arose_date,
            late_acceptance=plan.late_acceptance,
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
