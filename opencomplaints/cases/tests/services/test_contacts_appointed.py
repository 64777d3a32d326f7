"""Contacts without accounts appointed in a case (docs/adr/0032): an independent person, an investigating officer,
the review panel's members and chair. An independent contact must be attested independent and still active (R1.3,
R1.30); council officers stay refused (test_independence.py)."""

from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import PanelMember
from opencomplaints.cases.services import stage2_adjudicate, stage2_appoint, stage3_panel_appoint
from opencomplaints.cases.services._common import require_independent
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

APPOINTED = date(2022, 6, 21)


@pytest.fixture
def harriet(council):
    return ContactFactory.create(council=council, name="Harriet Quenby", may_be_panel_member=True)


@pytest.fixture
def external_investigator(council):
    return ContactFactory.create(
        council=council,
        name="Desmond Pellow",
        organisation="Pellow Investigations",
        may_be_independent_person=False,
        may_be_investigating_officer=True,
        independent_of_council=False,
        independence_attested_at=None,
    )


def test_a_contact_attested_independent_is_appointed_independent_person(stage2, complaints_manager, harriet):
    stage2_appoint(stage=stage2, acting_user=complaints_manager, appointed_date=APPOINTED, independent_person=harriet)

    stage2.refresh_from_db()
    assert stage2.independent_contact == harriet
    assert stage2.independent_person is None
    assert stage2.independent == harriet
    assert stage2.independent_ref == f"contact:{harriet.pk}"


def test_appointing_a_user_in_place_of_a_contact_clears_the_contact(
    stage2, complaints_manager, harriet, independent_person
):
    stage2_appoint(stage=stage2, acting_user=complaints_manager, appointed_date=APPOINTED, independent_person=harriet)
    stage2_appoint(
        stage=stage2, acting_user=complaints_manager, appointed_date=APPOINTED, independent_person=independent_person
    )

    stage2.refresh_from_db()
    assert stage2.independent_person == independent_person
    assert stage2.independent_contact is None


def test_a_contact_not_attested_independent_is_refused(stage2, complaints_manager, council):
    # Attested once, then the attestation found wanting: changed in the database as a later edit would leave it
    # if the flags were kept (the service refuses that; this is the backstop at appointment).
    contact = ContactFactory.create(council=council, name="Tobias Wrenfield")
    contact.independent_of_council, contact.independence_attested_at = False, None
    contact.may_be_independent_person = False
    contact.may_be_investigating_officer = True
    contact.save()

    with pytest.raises(ProcedureError) as error:
        stage2_appoint(
            stage=stage2, acting_user=complaints_manager, appointed_date=APPOINTED, independent_person=contact
        )

    assert error.value.message == errors.CONTACT_NOT_FOR.format(contact=contact, capacity="an independent person")
    assert error.value.field == "independent_person"


def test_the_attestation_is_checked_whatever_the_flags_say(council):
    """``require_independent`` refuses a contact not attested independent, on its own."""
    contact = ContactFactory.build(council=council, name="Tobias Wrenfield", independent_of_council=False)
    with pytest.raises(ProcedureError) as error:
        require_independent(council, [contact], field="independent_person")

    assert error.value.message == errors.CONTACT_NOT_INDEPENDENT.format(contact=contact)


def test_a_deactivated_contact_is_refused_as_independent_person(stage2, complaints_manager, harriet):
    harriet.active = False
    harriet.save()

    with pytest.raises(ProcedureError) as error:
        stage2_appoint(
            stage=stage2, acting_user=complaints_manager, appointed_date=APPOINTED, independent_person=harriet
        )

    assert error.value.message == errors.CONTACT_INACTIVE.format(contact=harriet)
    stage2.refresh_from_db()
    assert stage2.independent_contact is None


def test_another_councils_contact_is_refused(stage2, complaints_manager, other_council):
    contact = ContactFactory.create(council=other_council, name="Marguerite Ashdown")

    with pytest.raises(ProcedureError) as error:
        stage2_appoint(
            stage=stage2, acting_user=complaints_manager, appointed_date=APPOINTED, independent_person=contact
        )

    assert "belongs to another council" in error.value.message


def test_an_external_investigator_contact_investigates_and_cannot_be_the_independent_person(
    stage2, complaints_manager, external_investigator, harriet, adjudicator
):
    points = f.investigated(
        stage2, complaints_manager, investigating_officer=external_investigator, independent_person=harriet
    )
    stage2.refresh_from_db()
    assert stage2.investigator == external_investigator
    assert stage2.investigating_officer is None

    # The adjudication needs both appointed: a contact counts.
    stage2_adjudicate(
        stage=stage2,
        acting_user=complaints_manager,
        adjudicator=adjudicator,
        adjudication_date=date(2022, 8, 5),
        findings=dict.fromkeys(points, c.Finding.NOT_UPHELD),
    )
    stage2.refresh_from_db()
    assert stage2.response_date == date(2022, 8, 5)


def test_the_same_contact_cannot_investigate_and_be_independent(stage2, complaints_manager, council):
    both = ContactFactory.create(council=council, name="Harriet Quenby", may_be_investigating_officer=True)

    with pytest.raises(ProcedureError) as error:
        stage2_appoint(
            stage=stage2,
            acting_user=complaints_manager,
            appointed_date=APPOINTED,
            investigating_officer=both,
            independent_person=both,
        )

    assert error.value.message == errors.IO_IS_IP.format(user=both)


@pytest.fixture
def panel_contacts(council):
    chair = ContactFactory.create(council=council, name="Marguerite Ashdown", may_be_panel_chair=True)
    member = ContactFactory.create(council=council, name="Tobias Wrenfield", may_be_panel_member=True)
    return chair, member


def test_a_panel_of_contacts_and_users(stage3, complaints_manager, panel_contacts, panel_members):
    chair, member = panel_contacts

    stage3_panel_appoint(stage=stage3, acting_user=complaints_manager, chair=chair, members=[member, panel_members[0]])

    rows = list(PanelMember.objects.filter(stage=stage3).order_by("-role", "id"))
    assert [(row.role, row.person) for row in rows] == [
        (c.PanelRole.MEMBER, member),
        (c.PanelRole.MEMBER, panel_members[0]),
        (c.PanelRole.CHAIR, chair),
    ]
    assert rows[1].contact is None
    assert rows[0].user is None


def test_a_contact_not_recorded_as_chair_cannot_chair(stage3, complaints_manager, panel_contacts, panel_members):
    _, member = panel_contacts

    with pytest.raises(ProcedureError) as error:
        stage3_panel_appoint(stage=stage3, acting_user=complaints_manager, chair=member, members=panel_members[:2])

    assert error.value.message == errors.CONTACT_NOT_FOR.format(contact=member, capacity="a review panel chair")
    assert not PanelMember.objects.filter(stage=stage3).exists()


def test_the_stage_2_independent_contact_may_not_sit_on_the_panel(
    council, complaints_manager, investigating_officer, adjudicator, panel_members
):
    harriet = ContactFactory.create(council=council, name="Harriet Quenby", may_be_panel_chair=True)
    stage3 = f.at_stage3(
        council,
        complaints_manager,
        investigating_officer=investigating_officer,
        independent_person=harriet,
        adjudicator=adjudicator,
    )

    with pytest.raises(ProcedureError) as error:
        stage3_panel_appoint(stage=stage3, acting_user=complaints_manager, chair=harriet, members=panel_members[:2])

    assert error.value.message == errors.PANEL_INCLUDES_IP.format(user=harriet)


def test_a_deactivated_contact_cannot_sit_on_the_panel(stage3, complaints_manager, panel_contacts, panel_members):
    chair, _ = panel_contacts
    chair.active = False
    chair.save()

    with pytest.raises(ProcedureError) as error:
        stage3_panel_appoint(stage=stage3, acting_user=complaints_manager, chair=chair, members=panel_members[:2])

    assert error.value.message == errors.CONTACT_INACTIVE.format(contact=chair)
