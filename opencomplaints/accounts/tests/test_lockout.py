"""Throttling: five wrong passwords for one username from one address lock it out from there for 30 minutes."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")
PASSWORD = "correct-horse-battery-staple"


def attempt(client, user, password="wrong", address="203.0.113.7"):
    return client.post(SIGN_IN, {"username": user.username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_the_username_out_from_that_address(client, complaints_officer):
    for _ in range(4):
        assert attempt(client, complaints_officer).status_code == 200
    locked = attempt(client, complaints_officer)
    assert locked.status_code == 429
    assert "You cannot sign in at the moment" in locked.text
    assert "blocked for 30 minutes" in locked.text
    assert 'class="govuk-template' in locked.text
    # The right password does not help while locked out; another address is not locked out.
    assert attempt(client, complaints_officer, PASSWORD).status_code == 429
    assert attempt(client, complaints_officer, PASSWORD, address="198.51.100.1").status_code == 302
    types = AuditEvent.objects.values_list("event_type", flat=True)
    assert list(types).count(AuditEventType.LOCKED_OUT) == 2
    assert list(types).count(AuditEventType.SIGN_IN_FAILED) == 4


def test_the_lockout_ends_after_the_cool_off(client, complaints_officer):
    for _ in range(5):
        attempt(client, complaints_officer)
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert attempt(client, complaints_officer, PASSWORD).status_code == 302


def test_the_portal_is_not_affected(client, complaints_officer):
    for _ in range(6):
        attempt(client, complaints_officer)
    response = client.get(reverse("portal:complaint-start"), REMOTE_ADDR="203.0.113.7", follow=True)
    assert response.status_code == 200


def test_an_invalid_client_address_is_not_stored():
    from django.test import RequestFactory

    from opencomplaints.accounts.throttling import sign_in_client_address

    assert sign_in_client_address(RequestFactory().get("/", REMOTE_ADDR="unknown")) is None
    assert sign_in_client_address(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")) == "203.0.113.7"
