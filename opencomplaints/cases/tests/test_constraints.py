"""The database guards the record's invariants even against a write that bypasses the services."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import (
    CaseComplainant,
    Deadline,
    Hold,
    LearningAction,
    PanelMember,
    Recommendation,
    Remedy,
)
from opencomplaints.cases.tests.factories import RECEIVED, CaseFactory, PersonFactory, StageFactory
from opencomplaints.councils.tests.factories import RemedyTypeFactory

pytestmark = pytest.mark.django_db


def _refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_one_open_stage_per_case():
    stage = StageFactory.create()

    _refused(lambda: StageFactory.create(case=stage.case, number=2))


def test_stage_number_is_one_to_three():
    _refused(lambda: StageFactory.create(number=4))


def test_stage_response_has_an_outcome():
    _refused(lambda: StageFactory.create(response_date=RECEIVED, outcome=""))


def test_stage_response_not_before_receipt():
    _refused(lambda: StageFactory.create(response_date=date(2022, 5, 1), outcome=c.Outcome.UPHELD))


def test_extension_records_reason_notice_and_date_r1_20():
    _refused(lambda: StageFactory.create(extended=True, extended_due_date=date(2022, 6, 27), extension_reason=""))


def test_investigating_officer_is_not_the_independent_person_r1_25():
    user = UserFactory.create()

    _refused(lambda: StageFactory.create(number=2, investigating_officer=user, independent_person=user))


def test_late_request_carries_its_decision_r1_22():
    _refused(lambda: StageFactory.create(number=2, request_in_window=False, late_request_accepted=None))
    _refused(lambda: StageFactory.create(number=2, request_in_window=False, late_request_accepted=True))


def test_panel_report_after_the_panel_r1_32():
    _refused(lambda: StageFactory.create(number=3, panel_date=date(2022, 9, 20), panel_report_date=date(2022, 9, 19)))


def test_acknowledgement_not_before_receipt():
    _refused(lambda: StageFactory.create(acknowledged_date=date(2022, 5, 25)))


def test_late_complaint_has_a_discretion_decision_r1_12():
    _refused(lambda: CaseFactory.create(in_time=False, late_acceptance_decided=None))


def test_closed_date_if_and_only_if_closed():
    _refused(lambda: CaseFactory.create(status=c.CaseStatus.CLOSED, closed_date=None))
    _refused(lambda: CaseFactory.create(status=c.CaseStatus.OPEN, closed_date=RECEIVED))


def test_declined_if_and_only_if_a_reason():
    _refused(lambda: CaseFactory.create(acceptance=c.Acceptance.DECLINED, decline_reason=""))
    _refused(lambda: CaseFactory.create(acceptance=c.Acceptance.ACCEPTED, decline_reason=c.DeclineReason.OUT_OF_SCOPE))


def test_grounds_not_after_receipt_r1_12():
    _refused(lambda: CaseFactory.create(grounds_arose_date=date(2022, 6, 1)))


def test_only_complaints_have_a_procedure():
    _refused(lambda: CaseFactory.create(kind=c.Kind.QUERY))
    _refused(lambda: CaseFactory.create(procedure=""))


def test_reference_unique_in_a_council():
    case = CaseFactory.create()

    _refused(lambda: CaseFactory.create(council=case.council, reference=case.reference))


def test_one_primary_complainant():
    case = CaseFactory.create()
    CaseComplainant.objects.create(case=case, person=PersonFactory.create(council=case.council), is_primary=True)

    _refused(lambda: CaseComplainant.objects.create(case=case, person=PersonFactory.create(council=case.council)))


def test_sufficient_interest_decision_is_dated_r1_9():
    case = CaseFactory.create()

    _refused(
        lambda: CaseComplainant.objects.create(
            case=case,
            person=PersonFactory.create(council=case.council),
            sufficient_interest=c.SufficientInterestDecision.HAS_INTEREST,
        )
    )


def test_deadline_due_not_before_its_anchor():
    stage = StageFactory.create()

    _refused(
        lambda: Deadline.objects.create(
            case=stage.case, stage=stage, key="k", label="l", anchor_date=RECEIVED, due_date=date(2022, 5, 25)
        )
    )


def test_deadline_key_unique_per_stage():
    stage = StageFactory.create()
    Deadline.objects.create(case=stage.case, stage=stage, key="k", label="l", anchor_date=RECEIVED, due_date=RECEIVED)

    _refused(
        lambda: Deadline.objects.create(
            case=stage.case, stage=stage, key="k", label="l", anchor_date=RECEIVED, due_date=RECEIVED
        )
    )


def test_one_open_hold_per_stage_r1_37():
    stage = StageFactory.create()
    Hold.objects.create(stage=stage, start_date=RECEIVED, reason=c.HoldReason.OTHER)

    _refused(lambda: Hold.objects.create(stage=stage, start_date=date(2022, 6, 1), reason=c.HoldReason.OTHER))


def test_hold_ends_after_it_starts_r1_37():
    _refused(
        lambda: Hold.objects.create(
            stage=StageFactory.create(), start_date=RECEIVED, end_date=date(2022, 5, 1), reason=c.HoldReason.OTHER
        )
    )


def test_panel_has_one_chair_r1_30():
    stage = StageFactory.create(number=3)
    PanelMember.objects.create(stage=stage, user=UserFactory.create(), role=c.PanelRole.CHAIR)

    _refused(lambda: PanelMember.objects.create(stage=stage, user=UserFactory.create(), role=c.PanelRole.CHAIR))


def test_rejected_recommendation_has_a_reason_r1_33():
    _refused(
        lambda: Recommendation.objects.create(stage=StageFactory.create(), number=1, text="Apologise", accepted=False)
    )


def test_remedy_payment_follows_agreement_and_each_state_has_its_dates():
    case = CaseFactory.create()
    money = RemedyTypeFactory.create(council=case.council, code="financial", is_financial=True)
    paid, approved, not_delivered = c.RemedyStatus.PAID, c.RemedyStatus.APPROVED, c.RemedyStatus.NOT_DELIVERED

    _refused(lambda: Remedy.objects.create(case=case, remedy_type=money, paid_date=RECEIVED))
    _refused(lambda: Remedy.objects.create(case=case, remedy_type=money, status=paid))
    _refused(lambda: Remedy.objects.create(case=case, remedy_type=money, amount=Decimal(-1)))
    _refused(
        lambda: Remedy.objects.create(
            case=case, remedy_type=money, amount=Decimal(10), agreed_date=date(2022, 6, 2), paid_date=date(2022, 6, 1),
            status=paid,
        )
    )  # fmt: skip
    _refused(lambda: Remedy.objects.create(case=case, remedy_type=money, status=approved))
    _refused(
        lambda: Remedy.objects.create(case=case, remedy_type=money, status=not_delivered, not_delivered_date=RECEIVED)
    )


def test_learning_action_implemented_has_evidence_r1_40():
    case = CaseFactory.create()

    _refused(
        lambda: LearningAction.objects.create(
            council=case.council,
            finding="f",
            action="a",
            status=c.LearningActionStatus.IMPLEMENTED,
            implemented_date=RECEIVED,
        )
    )


def test_learning_action_not_implemented_has_a_reason_r1_40():
    case = CaseFactory.create()

    _refused(
        lambda: LearningAction.objects.create(
            council=case.council, finding="f", action="a", status=c.LearningActionStatus.NOT_IMPLEMENTED
        )
    )
