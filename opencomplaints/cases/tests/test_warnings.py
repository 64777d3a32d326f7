"""Warnings, not refusals: a complaint following one considered at every stage (R1.14), an Ombudsman case received
more than 12 months after the council's last response (R1.15); and the earlier case set in the workspace."""

from datetime import date

import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Stage
from opencomplaints.cases.services import case_link_change, ombudsman_case_register
from opencomplaints.cases.warnings import case_warnings

pytestmark = pytest.mark.django_db


def _answered_at_every_stage(stage3):
    Stage.objects.filter(pk=stage3.pk).update(response_date=date(2022, 10, 10), outcome=c.Outcome.NOT_UPHELD)
    return stage3.case


def test_the_earlier_case_is_set_by_its_reference_and_audited(complaint, stage3, complaints_manager):
    earlier = stage3.case
    case_link_change(case=complaint, acting_user=complaints_manager, linked_reference=f" {earlier.reference.lower()} ")

    complaint.refresh_from_db()
    assert complaint.linked_case == earlier
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_LINK_CHANGED)
    assert (event.before, event.after) == ({"linked_case": None}, {"linked_case": earlier.pk})

    case_link_change(case=complaint, acting_user=complaints_manager, linked_reference="")
    complaint.refresh_from_db()
    assert complaint.linked_case is None


def test_link_refusals(complaint, stage3, complaints_manager):
    earlier = stage3.case
    with pytest.raises(ProcedureError) as error:
        case_link_change(case=complaint, acting_user=complaints_manager, linked_reference="NO-SUCH-1")
    assert (error.value.message, error.value.field) == (
        errors.LINK_NOT_FOUND.format(reference="NO-SUCH-1"),
        "linked_reference",
    )
    with pytest.raises(ProcedureError) as error:
        case_link_change(case=complaint, acting_user=complaints_manager, linked_reference=complaint.reference)
    assert error.value.message == errors.LINK_ITSELF
    case_link_change(case=earlier, acting_user=complaints_manager, linked_reference=complaint.reference)
    with pytest.raises(ProcedureError) as error:
        case_link_change(case=complaint, acting_user=complaints_manager, linked_reference=earlier.reference)
    assert error.value.message == errors.LINK_CYCLE.format(reference=earlier.reference)


def test_a_complaint_following_one_considered_at_every_stage_is_warned_about_r1_14(
    complaint, stage3, complaints_manager
):
    earlier = stage3.case
    case_link_change(case=complaint, acting_user=complaints_manager, linked_reference=earlier.reference)
    complaint.refresh_from_db()
    assert case_warnings(case=complaint) == []  # stage 3 not answered yet

    _answered_at_every_stage(stage3)
    (warning,) = case_warnings(case=complaint)
    assert warning.startswith(f"{earlier.reference}, which this complaint follows, was considered at every stage")
    assert "R1." not in warning


def test_an_ombudsman_case_after_12_months_is_warned_about_r1_15(council, stage3, complaints_manager):
    complaint = _answered_at_every_stage(stage3)

    in_time = ombudsman_case_register(
        council=council,
        acting_user=complaints_manager,
        received_date=date(2023, 10, 10),
        lgsco_reference="23 001 234",
        complaint=complaint,
    )
    late = ombudsman_case_register(
        council=council,
        acting_user=complaints_manager,
        received_date=date(2023, 10, 11),
        lgsco_reference="23 001 235",
        complaint=complaint,
    )

    assert case_warnings(case=in_time) == []
    (warning,) = case_warnings(case=late)
    assert "more than 12 months" in warning
    assert "the council's last response was on Monday 10 October 2022" in warning
    assert "R1." not in warning


def test_an_ombudsman_case_without_a_known_complaint_has_no_warning(council, complaints_manager):
    case = ombudsman_case_register(
        council=council, acting_user=complaints_manager, received_date=date(2023, 1, 5), lgsco_reference="22 9"
    )
    assert case_warnings(case=case) == []
