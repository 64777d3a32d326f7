"""The player's handlers for remedies through their lifecycle, other representations, the Ombudsman's cases and
learning actions."""

from __future__ import annotations

from opencomplaints.cases import constants as c
from opencomplaints.cases import services as case_services
from opencomplaints.cases.services.inputs import (
    ComplimentInput,
    EnquirerInput,
)
from opencomplaints.demo import events as e
from opencomplaints.demo.playing import PlayerBase, plays


class OtherPlays(PlayerBase):
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
