"""Sessions end after 30 minutes without use and 8 hours after signing in."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from opencomplaints.accounts.sessions import LAST_SEEN_AT
from opencomplaints.audit.models import AuditEvent, AuditEventType

pytestmark = pytest.mark.django_db

SEARCH = reverse("tracker:search")
START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_an_idle_session_ends_and_says_why(client, complaints_officer):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(complaints_officer)
        clock.shift(timedelta(minutes=29))
        assert client.get(SEARCH).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(SEARCH).status_code == 200  # still in use
        clock.shift(timedelta(minutes=30))
        response = client.get(SEARCH)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=%2Fsearch%2F"
    page = client.get(response["Location"])
    assert "You were signed out because you had not used OpenComplaints for 30 minutes" in page.text
    event = AuditEvent.objects.get(event_type=AuditEventType.SIGN_OUT)
    assert "expired" in event.summary
    assert client.get(SEARCH).status_code == 302


def test_a_busy_session_still_ends_after_eight_hours(client, complaints_officer):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(complaints_officer)
        for _ in range(16):
            clock.shift(timedelta(minutes=29))
            assert client.get(SEARCH).status_code == 200
        clock.shift(timedelta(minutes=20))
        response = client.get(SEARCH)
    assert response.status_code == 302
    assert "signed in for 8 hours" in client.get(response["Location"]).text


def test_the_last_seen_time_is_written_at_most_once_a_minute(client, complaints_officer):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(complaints_officer)
        seen = client.session[LAST_SEEN_AT]
        clock.shift(timedelta(seconds=30))
        client.get(SEARCH)
        assert client.session[LAST_SEEN_AT] == seen
        clock.shift(timedelta(seconds=31))
        client.get(SEARCH)
        assert client.session[LAST_SEEN_AT] == seen + 61


def test_limits_come_from_the_settings(client, complaints_officer, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"SESSION_IDLE_MINUTES": 5}
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(complaints_officer)
        clock.shift(timedelta(minutes=5))
        assert client.get(SEARCH).status_code == 302


def test_the_session_cookie_goes_when_the_browser_closes(client, complaints_officer, settings):
    client.force_login(complaints_officer)
    client.get(SEARCH)
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert Session.objects.count() == 1
