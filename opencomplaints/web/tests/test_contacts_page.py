"""The council's contacts page (docs/adr/0032): a complaints manager lists, adds, changes and deactivates the
people appointed without an account; independence must be confirmed for the parts that need it; others are
refused, and another council's contact is not found."""

import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.councils.models import Contact
from opencomplaints.councils.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

ATTESTED = {
    "name": "Harriet Quenby",
    "organisation": "Independent Advocacy Partnership",
    "email": "harriet.quenby@example.org",
    "phone": "01632 960123",
    "capacities": ["independent_person", "panel_member"],
    "independent_of_council": "on",
}


def test_a_manager_adds_changes_and_deactivates_a_contact(client, council, complaints_manager):
    client.force_login(complaints_manager)
    listing = client.get(reverse("web:contact-list"))
    assert listing.status_code == 200
    assert "The council has no contacts yet." in listing.text
    assert f'href="{reverse("web:contact-list")}"' in listing.text  # in the service navigation

    added = client.post(reverse("web:contact-add") + "?council=exampleton", ATTESTED)
    assert added.status_code == 302
    contact = Contact.objects.get()
    assert contact.council == council
    assert contact.independence_attested_by == complaints_manager
    page = client.get(reverse("web:contact-list")).text
    assert "Harriet Quenby" in page
    assert "Independent person, Review panel member" in page
    assert "Yes, confirmed" in page

    change = reverse("web:contact-change", args=[contact.pk])
    form = client.get(change)
    assert form.status_code == 200
    assert 'value="01632 960123"' in form.text
    assert client.post(change, {**ATTESTED, "phone": "01632 960999"}).status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "01632 960999"

    assert client.post(reverse("web:contact-deactivate", args=[contact.pk])).status_code == 302
    contact.refresh_from_db()
    assert not contact.active
    assert "Deactivated" in client.get(reverse("web:contact-list")).text
    assert list(AuditEvent.objects.order_by("id").values_list("event_type", flat=True)) == [
        AuditEventType.CONTACT_CREATED,
        AuditEventType.CONTACT_CHANGED,
        AuditEventType.CONTACT_DEACTIVATED,
    ]


def test_an_independent_part_without_the_confirmation_is_shown_as_an_error(client, council, complaints_manager):
    client.force_login(complaints_manager)

    response = client.post(reverse("web:contact-add"), {**ATTESTED, "independent_of_council": ""})

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Confirm that Harriet Quenby is independent of the council" in response.text
    assert not Contact.objects.exists()


def test_a_part_must_be_chosen(client, council, complaints_manager):
    client.force_login(complaints_manager)

    response = client.post(reverse("web:contact-add"), {"name": "Tobias Wrenfield"})

    assert response.status_code == 400
    assert "Select at least one thing they may act as" in response.text


def test_an_officer_is_refused(client, council, complaints_officer):
    client.force_login(complaints_officer)

    response = client.get(reverse("web:contact-list"))

    assert response.status_code == 403
    assert "You cannot change the council&#x27;s contacts" in response.text


def test_another_councils_contact_is_not_found(client, council, other_council, complaints_manager):
    contact = ContactFactory.create(council=other_council)
    client.force_login(complaints_manager)

    assert client.get(reverse("web:contact-change", args=[contact.pk])).status_code == 404
    assert client.post(reverse("web:contact-deactivate", args=[contact.pk])).status_code == 404
    contact.refresh_from_db()
    assert contact.active
