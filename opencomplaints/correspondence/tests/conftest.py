"""Fixtures for the correspondence tests: a complaint from an adult and one from a young person, with internal
details (an extension reason, a hold note, a decline note, the summary, a finding's note, the child's name) set to
markers that must never appear in a letter."""

from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import CaseChild, ComplaintPoint, Hold, PointFinding, Stage
from opencomplaints.cases.services.inputs import ComplainantInput, PersonInput
from opencomplaints.cases.tests import factories as f
from opencomplaints.cases.tests.factories import PersonFactory

SECRETS = {
    "extension_reason": "INTERNAL-EXTENSION-REASON staff sickness in the team",
    "hold_note": "INTERNAL-HOLD-NOTE police enquiry",
    "decline_note": "INTERNAL-DECLINE-NOTE",
    "summary": "INTERNAL-SUMMARY of the case",
    "finding_note": "INTERNAL-FINDING-NOTE",
    "child": "Secretchildname",
}


def _with_secrets(case):
    stage = case.stages.get(number=1)
    Stage.objects.filter(pk=stage.pk).update(
        extended=True,
        extended_due_date=date(2022, 7, 4),
        extension_reason=SECRETS["extension_reason"],
        extension_notified_date=date(2022, 6, 1),
    )
    Hold.objects.create(
        stage=stage,
        start_date=date(2022, 6, 2),
        end_date=date(2022, 6, 6),
        reason=c.HoldReason.values[0],
        note=SECRETS["hold_note"],
    )
    type(case).objects.filter(pk=case.pk).update(summary=SECRETS["summary"], decline_note=SECRETS["decline_note"])
    point = ComplaintPoint.objects.create(case=case, number=1, description="The social worker did not call back.")
    PointFinding.objects.create(point=point, stage=stage, finding=c.Finding.values[0], note=SECRETS["finding_note"])
    CaseChild.objects.create(case=case, person=PersonFactory.create(council=case.council, first_name=SECRETS["child"]))
    case.refresh_from_db()
    return case


@pytest.fixture
def adult_case(council, complaints_manager):
    complainant = f.complainant(first_name="Jordan", last_name="Price", email="jordan.price@example.org")
    return _with_secrets(f.accepted(council, complaints_manager, complainants=[complainant]))


@pytest.fixture
def child_case(council, complaints_manager):
    complainant = ComplainantInput(
        person=PersonInput(
            first_name="Riley",
            last_name="Hughes",
            date_of_birth=date(2008, 3, 1),
            address="12 Mill Lane\nAshford",
            postcode="AB1 2CD",
        ),
        complainant_type=c.ComplainantType.CHILD_YOUNG_PERSON,
        eligibility_basis=c.EligibilityBasis.CHILD,
    )
    return _with_secrets(f.accepted(council, complaints_manager, complainants=[complainant]))
