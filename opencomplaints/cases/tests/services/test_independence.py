"""The procedure's independence and consistency rules, enforced by the services (R1.3, R1.30, R4.1-R4.4)."""

from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import PanelMember
from opencomplaints.cases.services import (
    ombudsman_case_register,
    ombudsman_decision_record,
    stage2_adjudicate,
    stage2_appoint,
    stage3_panel_appoint,
)
from opencomplaints.cases.tests import factories as f


def test_council_officer_refused_as_independent_person_r1_3(stage2, complaints_manager, complaints_officer):
    """R1.3: an independent person is not an officer of the council."""
    with pytest.raises(ProcedureError) as error:
        stage2_appoint(
            stage=stage2,
            acting_user=complaints_manager,
            appointed_date=date(2022, 6, 21),
            independent_person=complaints_officer,
        )

    assert error.value.message == errors.IP_IS_OFFICER.format(user=complaints_officer)
    assert error.value.field == "independent_person"
    stage2.refresh_from_db()
    assert stage2.independent_person_id is None


def test_recorded_independent_person_accepted_r1_3(stage2, complaints_manager, independent_person):
    stage2_appoint(
        stage=stage2, acting_user=complaints_manager, appointed_date=date(2022, 6, 21),
        independent_person=independent_person,
    )  # fmt: skip

    stage2.refresh_from_db()
    assert stage2.independent_person_id == independent_person.pk


def test_investigating_officer_refused_as_adjudicator_r1_28(
    stage2, complaints_manager, investigating_officer, independent_person
):
    """R1.28: the adjudicator is not the person who investigated."""
    points = f.investigated(
        stage2, complaints_manager, investigating_officer=investigating_officer, independent_person=independent_person
    )
    with pytest.raises(ProcedureError) as error:
        stage2_adjudicate(
            stage=stage2,
            acting_user=complaints_manager,
            adjudicator=investigating_officer,
            adjudication_date=date(2022, 8, 5),
            findings=dict.fromkeys(points, c.Finding.NOT_UPHELD),
        )

    assert error.value.message == errors.ADJUDICATOR_IS_IO.format(user=investigating_officer)
    stage2.refresh_from_db()
    assert stage2.response_date is None


@pytest.mark.parametrize(
    ("who", "part"),
    [("owner", "manages the case"), ("investigating_officer", "investigated"), ("adjudicator", "adjudicated")],
)
def test_panel_of_people_connected_with_the_case_refused_r1_30(
    stage3, complaints_manager, panel_members, investigating_officer, adjudicator, who, part
):
    """R1.30: the panel is independent: not the case's manager, its investigator or the head of service who
    adjudicated."""
    person = {"owner": complaints_manager, "investigating_officer": investigating_officer, "adjudicator": adjudicator}[
        who
    ]
    stage3.case.owner = complaints_manager
    stage3.case.save(update_fields=["owner"])
    with pytest.raises(ProcedureError) as error:
        stage3_panel_appoint(
            stage=stage3, acting_user=complaints_manager, chair=panel_members[0], members=[panel_members[1], person]
        )

    assert error.value.message == errors.PANEL_CONNECTED.format(user=person, part=part)
    assert not PanelMember.objects.filter(stage=stage3).exists()


def test_panel_of_council_staff_refused_r1_30(stage3, complaints_manager, panel_members, complaints_officer):
    """R1.30: the three panel members are independent persons, not council staff."""
    with pytest.raises(ProcedureError) as error:
        stage3_panel_appoint(
            stage=stage3,
            acting_user=complaints_manager,
            chair=panel_members[0],
            members=[panel_members[1], complaints_officer],
        )

    assert error.value.message == errors.PANEL_NOT_INDEPENDENT.format(user=complaints_officer)


def test_independent_panel_appointed_r1_30(stage3, complaints_manager, panel_members):
    stage3_panel_appoint(
        stage=stage3, acting_user=complaints_manager, chair=panel_members[0], members=panel_members[1:]
    )

    assert PanelMember.objects.filter(stage=stage3).count() == 3


@pytest.fixture
def lgsco(council, complaint, complaints_manager):
    return ombudsman_case_register(
        council=council, acting_user=complaints_manager, received_date=date(2022, 11, 1),
        lgsco_reference="22-012-345", complaint=complaint, enquiry_due_date=date(2022, 11, 29),
    )  # fmt: skip


def test_ombudsman_decision_upheld_with_no_fault_refused_r4_1(lgsco, complaints_manager):
    """R4.1-R4.4: an upheld decision finds fault; "upheld" with "fault: no" contradicts itself."""
    with pytest.raises(ProcedureError) as error:
        ombudsman_decision_record(
            case=lgsco,
            acting_user=complaints_manager,
            decision=c.LgscoDecision.UPHELD_FAULT_INJUSTICE,
            decision_label="Upheld",
            decision_date=date(2023, 2, 1),
            fault_found=False,
        )

    assert error.value.message == errors.OMBUDSMAN_UPHELD_NO_FAULT
    lgsco.ombudsman.refresh_from_db()
    assert lgsco.ombudsman.decision == c.LgscoDecision.IN_PROGRESS
