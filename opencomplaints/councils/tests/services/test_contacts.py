"""contact_create / contact_update / contact_deactivate: the council's people without accounts, kept by its
complaints managers and system administrators, independence attested for the parts that need it (R1.3, R1.30)."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Contact, ContactCapacity
from opencomplaints.councils.selectors import contact_list, contacts_for_capacity
from opencomplaints.councils.services import ContactDetails, contact_create, contact_deactivate, contact_update
from opencomplaints.councils.services.contacts import ALREADY_INACTIVE, NEEDS_PART, NOT_ATTESTED, NOT_KEEPER
from opencomplaints.councils.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 3, 10, 30, tzinfo=UTC)
LATER = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def independent(**extra: object) -> ContactDetails:
    values: dict[str, object] = {
        "name": "Harriet Quenby",
        "organisation": "Independent Advocacy Partnership",
        "email": "harriet.quenby@example.org",
        "phone": "01632 960123",
        "may_be_independent_person": True,
        "may_be_panel_member": True,
        "independent_of_council": True,
    }
    values.update(extra)
    return ContactDetails(**values)  # type: ignore[arg-type]


def test_create_records_the_contact_and_who_attested_independence(council, complaints_manager):
    contact = contact_create(council=council, details=independent(), acting_user=complaints_manager, now=NOW)

    assert contact.council == council
    assert str(contact) == "Harriet Quenby (Independent Advocacy Partnership)"
    assert contact.capacities == [ContactCapacity.INDEPENDENT_PERSON, ContactCapacity.PANEL_MEMBER]
    assert contact.independence_attested_by == complaints_manager
    assert contact.independence_attested_at == NOW
    assert contact.active
    event = AuditEvent.objects.get()
    assert event.event_type == AuditEventType.CONTACT_CREATED
    assert event.acting_user == complaints_manager
    assert event.summary == f"Contact {contact.pk} added to Borough of Exampleton"
    # The trail keeps that a name was given, not the name.
    assert "Harriet" not in str(event.after)
    assert event.after["may_be_panel_member"] is True


def test_an_independent_part_without_the_attestation_is_refused(council, complaints_manager):
    with pytest.raises(DomainError) as raised:
        contact_create(
            council=council,
            details=independent(independent_of_council=False),
            acting_user=complaints_manager,
            now=NOW,
        )

    assert raised.value.message == NOT_ATTESTED.format(name="Harriet Quenby")
    assert raised.value.field == "independent_of_council"
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_external_investigator_needs_no_attestation(council, complaints_manager):
    details = ContactDetails(
        name="Desmond Pellow", organisation="Pellow Investigations", may_be_investigating_officer=True
    )

    contact = contact_create(council=council, details=details, acting_user=complaints_manager, now=NOW)

    assert contact.capacities == [ContactCapacity.INVESTIGATING_OFFICER]
    assert contact.independence_attested_at is None
    assert contact.independence_attested_by is None


def test_a_contact_needs_a_part(council, complaints_manager):
    with pytest.raises(DomainError) as raised:
        contact_create(
            council=council, details=ContactDetails(name="Tobias Wrenfield"), acting_user=complaints_manager, now=NOW
        )

    assert raised.value.message == NEEDS_PART


def test_the_database_refuses_an_independent_part_without_attestation(council):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(council=council, name="Tobias Wrenfield", may_be_panel_chair=True)


def test_the_database_refuses_an_undated_attestation(council):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(council=council, name="Tobias Wrenfield", independent_of_council=True)


def test_only_a_manager_or_administrator_keeps_contacts(council, complaints_officer):
    with pytest.raises(DomainError) as raised:
        contact_create(council=council, details=independent(), acting_user=complaints_officer, now=NOW)

    assert raised.value.message == NOT_KEEPER.format(council="Borough of Exampleton")


def test_a_manager_of_another_council_cannot_change_this_councils_contact(other_council, council, complaints_manager):
    contact = ContactFactory.create(council=other_council)

    with pytest.raises(DomainError):
        contact_deactivate(contact=contact, acting_user=complaints_manager)

    contact.refresh_from_db()
    assert contact.active


def test_update_keeps_the_first_attestation_and_audits_what_changed(council, complaints_manager):
    contact = contact_create(council=council, details=independent(), acting_user=complaints_manager, now=NOW)

    changed = contact_update(
        contact=contact,
        details=independent(phone="01632 960999", may_be_panel_chair=True),
        acting_user=complaints_manager,
        now=LATER,
    )

    assert changed.phone == "01632 960999"
    assert changed.may_be_panel_chair
    assert changed.independence_attested_at == NOW
    event = AuditEvent.objects.get(event_type=AuditEventType.CONTACT_CHANGED)
    assert set(event.after) == {"phone", "may_be_panel_chair"}


def test_withdrawing_the_attestation_needs_the_independent_parts_removed(council, complaints_manager):
    contact = contact_create(council=council, details=independent(), acting_user=complaints_manager, now=NOW)

    with pytest.raises(DomainError):
        contact_update(
            contact=contact,
            details=independent(independent_of_council=False),
            acting_user=complaints_manager,
            now=LATER,
        )

    changed = contact_update(
        contact=contact,
        details=independent(
            independent_of_council=False,
            may_be_independent_person=False,
            may_be_panel_member=False,
            may_be_investigating_officer=True,
        ),
        acting_user=complaints_manager,
        now=LATER,
    )
    assert changed.independence_attested_at is None
    assert changed.independence_attested_by is None


def test_deactivate_takes_the_contact_off_the_pickers(council, complaints_manager):
    contact = contact_create(council=council, details=independent(), acting_user=complaints_manager, now=NOW)
    assert list(contacts_for_capacity(council=council, capacity=ContactCapacity.INDEPENDENT_PERSON)) == [contact]

    contact_deactivate(contact=contact, acting_user=complaints_manager)

    assert not contacts_for_capacity(council=council, capacity=ContactCapacity.INDEPENDENT_PERSON).exists()
    assert list(contact_list(council=council)) == []
    assert list(contact_list(council=council, include_inactive=True)) == [contact]
    assert AuditEvent.objects.filter(event_type=AuditEventType.CONTACT_DEACTIVATED).count() == 1
    with pytest.raises(DomainError) as raised:
        contact_deactivate(contact=contact, acting_user=complaints_manager)
    assert raised.value.message == ALREADY_INACTIVE.format(name="Harriet Quenby")


def test_the_pickers_offer_only_the_parts_a_contact_may_take(council):
    chair = ContactFactory.create(council=council, name="Marguerite Ashdown", may_be_panel_chair=True)
    ContactFactory.create(council=council, name="Harriet Quenby")

    assert list(contacts_for_capacity(council=council, capacity=ContactCapacity.PANEL_CHAIR)) == [chair]
    assert contacts_for_capacity(council=council, capacity=ContactCapacity.INDEPENDENT_PERSON).count() == 2
    assert not contacts_for_capacity(council=council, capacity=ContactCapacity.INVESTIGATING_OFFICER).exists()
