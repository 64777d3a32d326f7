"""The calendar overrides admin: added and removed through the services, so the engine checks and audit apply."""

from datetime import date

import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.calendars.models import BankHolidayOverride, OverrideKind
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.calendars.services import calendar_override_create

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:calendars_bankholidayoverride_add")
LIST_URL = reverse("admin:calendars_bankholidayoverride_changelist")
PROCLAIMED = date(2030, 6, 12)  # A Wednesday with no bank holiday.


@pytest.fixture
def superuser_client(client, system_administrator):
    client.force_login(system_administrator)
    return client


def change_url(override):
    return reverse("admin:calendars_bankholidayoverride_change", args=[override.pk])


def delete_url(override):
    return reverse("admin:calendars_bankholidayoverride_delete", args=[override.pk])


def post_add(client, **fields):
    data = {"on_date": "2030-06-12", "kind": "add", "reason": "Proclamation of a one-off bank holiday"}
    return client.post(ADD_URL, {**data, "source_url": "", **fields})


@pytest.fixture
def override(system_administrator):
    return calendar_override_create(
        on_date=PROCLAIMED, kind=OverrideKind.ADD, reason="Proclamation", acting_user=system_administrator
    )


def test_pages_load(superuser_client, override):
    assert superuser_client.get(LIST_URL).status_code == 200
    assert superuser_client.get(LIST_URL + "?kind__exact=add&q=Proclamation").status_code == 200
    assert superuser_client.get(ADD_URL).status_code == 200
    assert superuser_client.get(change_url(override)).status_code == 200
    assert superuser_client.get(delete_url(override)).status_code == 200


def test_adding_goes_through_the_service(superuser_client, system_administrator):
    response = post_add(superuser_client, source_url="https://example.org/proclamation")

    assert response.status_code == 302
    override = BankHolidayOverride.objects.get()
    assert (override.on_date, override.kind, override.created_by) == (PROCLAIMED, "add", system_administrator)
    assert not working_day_calendar().is_working_day(PROCLAIMED)
    event = AuditEvent.objects.get()
    assert (event.event_type, event.acting_user) == (AuditEventType.CALENDAR_OVERRIDE_ADDED, system_administrator)


def test_an_override_the_engine_rejects_is_a_form_error_and_nothing_is_saved(superuser_client):
    response = post_add(superuser_client, kind="remove", reason="Thought it was a bank holiday")

    assert response.status_code == 200
    assert "Cannot remove Wednesday 12 June 2030: it is not a bank holiday in this calendar" in (
        response.content.decode()
    )
    assert not BankHolidayOverride.objects.exists()
    assert not AuditEvent.objects.exists()


def test_christmas_day_can_never_be_made_a_working_day(superuser_client):
    response = post_add(superuser_client, on_date="2030-12-25", kind="remove")

    assert response.status_code == 200
    assert "Christmas Day, Boxing Day and Good Friday are excluded by the Regulations" in response.content.decode()
    assert not BankHolidayOverride.objects.exists()


def test_a_second_override_for_the_same_day_is_refused_once_with_the_services_words(superuser_client, override):
    response = post_add(superuser_client, reason="Second")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("There is already an override for 12 June 2030. Remove it first if it is wrong.") == 1
    assert "already exists" not in content
    assert BankHolidayOverride.objects.count() == 1


def test_a_reason_is_required(superuser_client):
    response = post_add(superuser_client, reason="   ")

    assert response.status_code == 200
    assert not BankHolidayOverride.objects.exists()


def test_deleting_goes_through_the_service(superuser_client, override, system_administrator):
    response = superuser_client.post(delete_url(override), {"post": "yes"})

    assert response.status_code == 302
    assert not BankHolidayOverride.objects.exists()
    removed = AuditEvent.objects.get(event_type=AuditEventType.CALENDAR_OVERRIDE_REMOVED)
    assert removed.acting_user == system_administrator
    assert working_day_calendar().is_working_day(PROCLAIMED)


def test_bulk_deletion_audits_each_override(superuser_client, override):
    second = calendar_override_create(
        on_date=date(2030, 6, 13), kind=OverrideKind.ADD, reason="Second day", acting_user=None
    )

    response = superuser_client.post(
        LIST_URL, {"action": "delete_selected", "_selected_action": [override.pk, second.pk], "post": "yes"}
    )

    assert response.status_code == 302
    assert not BankHolidayOverride.objects.exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.CALENDAR_OVERRIDE_REMOVED).count() == 2


def test_an_override_is_never_edited(superuser_client, override):
    superuser_client.post(
        change_url(override), {"on_date": "2030-06-14", "kind": "add", "reason": "Changed", "source_url": ""}
    )

    override.refresh_from_db()
    assert (override.on_date, override.reason) == (PROCLAIMED, "Proclamation")
