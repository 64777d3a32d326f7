"""The tracker a team lives in: allocating the ticked cases to an officer, saved views, the complainant column, the
"due this week" filter, and cases on hold with their statutory and adjusted dates (R1.37)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case
from opencomplaints.cases.services import stage_hold
from opencomplaints.cases.tests import factories as f
from opencomplaints.tracker.models import SavedView
from opencomplaints.tracker.tests.conftest import complaint, travel
from opencomplaints.tracker.tests.test_case_list_views import references

pytestmark = pytest.mark.django_db

HOME = reverse("tracker:case-list")
ALLOCATE = reverse("tracker:case-allocate")


@pytest.fixture
def manager(client, complaints_manager):
    client.force_login(complaints_manager)
    return client


def ticked(*cases):
    data: dict[str, object] = {"cases": [str(x.pk) for x in cases]}
    for x in cases:
        x.refresh_from_db()
        data[f"version-{x.pk}"] = str(x.version)
    return data


def test_the_tracker_offers_checkboxes_and_an_officer_to_give_them_to(
    manager, council, complaints_manager, complaints_officer, investigating_officer
):
    case = complaint(council, complaints_manager)
    page = manager.get(HOME).text
    assert f'id="select-{case.pk}" name="cases" type="checkbox" value="{case.pk}"' in page
    assert f'<span class="govuk-visually-hidden">Select {case.reference}</span>' in page
    assert "Give the selected cases to" in page
    owners = page.split('name="allocate-owner"', 1)[1].split("</select>", 1)[0]
    assert str(complaints_officer) in owners
    assert str(investigating_officer) not in owners


def test_allocate_the_ticked_cases(manager, council, complaints_manager, complaints_officer):
    first, second, left = (complaint(council, complaints_manager) for _ in range(3))
    data = {
        **ticked(first, second),
        "allocate-owner": str(complaints_officer.pk),
        "allocate-reason": "Sharing out the new cases",
    }
    response = manager.post(f"{ALLOCATE}?stage=1", data)
    assert response.status_code == 302
    assert response.url == f"{HOME}?stage=1"
    assert set(Case.objects.filter(owner=complaints_officer)) == {first, second}
    assert Case.objects.get(pk=left.pk).owner is None
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_ALLOCATED).count() == 2
    assert f"2 cases given to {complaints_officer}" in manager.get(response.url).text


@pytest.mark.parametrize(
    ("owner", "reason", "tick", "message"),
    [
        ("officer", "", True, "Enter why the cases are being given to the officer"),
        ("", "Even out", True, "Select who to give the cases to"),
        ("officer", "Even out", False, "Select the cases to give to the officer"),
    ],
)
def test_a_refused_allocation_keeps_what_was_entered(
    manager, council, complaints_manager, complaints_officer, owner, reason, tick, message
):
    case = complaint(council, complaints_manager)
    data = {
        "allocate-owner": str(complaints_officer.pk) if owner else "",
        "allocate-reason": reason,
        **(ticked(case) if tick else {}),
    }
    response = manager.post(ALLOCATE, data)
    assert response.status_code == 400
    assert message in response.text
    assert "There is a problem" in response.text
    if tick:
        assert f'value="{case.pk}" checked' in response.text
    assert reason in response.text
    assert Case.objects.get(pk=case.pk).owner is None


def test_a_case_changed_since_the_page_was_read_stops_the_whole_allocation(
    manager, council, complaints_manager, complaints_officer
):
    first, second = complaint(council, complaints_manager), complaint(council, complaints_manager)
    data = {**ticked(first, second), "allocate-owner": str(complaints_officer.pk), "allocate-reason": "Even out"}
    data[f"version-{second.pk}"] = str(second.version - 1)
    response = manager.post(ALLOCATE, data)
    assert response.status_code == 400
    assert f"Someone else changed {second.reference}" in response.text
    assert not Case.objects.filter(owner=complaints_officer).exists()


def test_a_case_the_user_cannot_see_is_not_allocated(
    client, council, other_council, complaints_manager, other_council_officer
):
    theirs = complaint(other_council, other_council_officer)
    client.force_login(complaints_manager)
    data = {**ticked(theirs), "allocate-owner": str(complaints_manager.pk), "allocate-reason": "Mine now"}
    response = client.post(ALLOCATE, data)
    assert response.status_code == 400
    assert Case.objects.get(pk=theirs.pk).owner is None


def test_roles_that_may_not_allocate_are_refused_and_see_no_checkboxes(
    client, council, complaints_manager, investigating_manager
):
    case = complaint(council, complaints_manager, owner=investigating_manager)
    client.force_login(investigating_manager)
    assert 'name="cases"' not in client.get(HOME).text
    data = {**ticked(case), "allocate-owner": str(investigating_manager.pk), "allocate-reason": "Mine"}
    assert client.post(ALLOCATE, data).status_code == 403
    assert client.get(ALLOCATE).status_code in (403, 405)


def test_the_complainant_column(manager, council, complaints_manager):
    complaint(council, complaints_manager, name=("Priya", "Chandra"))
    page = manager.get(HOME).text
    assert re.search(r'data-label="Complainant">Priya Chandra</td>', page)


def test_due_this_week(manager, council, complaints_manager):
    # Stage 1 of a complaint received on 26 May 2022 is due on Monday 13 June; one received on 20 June is due later.
    due = complaint(council, complaints_manager)
    complaint(council, complaints_manager, received=date(2022, 6, 20))
    with travel(date(2022, 6, 13)):
        response = manager.get(HOME, {"due_this_week": "on"})
        assert references(response) == [due.reference]
        assert re.search(r'<span class="app-summary-counts__value">1</span> due this week', response.text)
    with travel(date(2022, 6, 14)):
        # Overdue now, so not "due this week".
        assert references(manager.get(HOME, {"due_this_week": "on"})) == []


def test_a_case_on_hold_shows_the_statutory_and_the_adjusted_date_and_can_be_left_out(
    manager, council, complaints_manager
):
    held = complaint(council, complaints_manager)
    other = complaint(council, complaints_manager)
    # Held from Wednesday 8 June with 3 working days left (9, 10 and 13 June).
    stage_hold(
        stage=f.stage(held, 1),
        acting_user=complaints_manager,
        start_date=date(2022, 6, 8),
        reason=c.HoldReason.AWAITING_ADVOCATE,
    )
    with travel(date(2022, 6, 20)):
        response = manager.get(HOME)
        text = response.text
        assert "Statutory date. Adjusted for the hold:" in text
        # Three working days on from Monday 20 June.
        assert "23 Jun 2022</span> if work resumes today" in text
        assert set(references(manager.get(HOME, {"overdue": "on"}))) == {held.reference, other.reference}
        left_out = manager.get(HOME, {"overdue": "on", "leave_out_on_hold": "on"})
        assert references(left_out) == [other.reference]


def test_save_open_and_delete_a_view(manager, council, complaints_manager):
    complaint(council, complaints_manager)
    response = manager.post(
        reverse("tracker:saved-view-create") + "?stage=1&overdue=on",
        {"name": "  My   overdue  ", "query": "stage=1&overdue=on"},
    )
    assert response.status_code == 302
    view = SavedView.objects.get()
    assert (view.name, view.query, view.user) == ("My overdue", "stage=1&overdue=on", complaints_manager)
    assert response.url == f"{HOME}?stage=1&overdue=on"
    page = manager.get(HOME).text
    assert f'href="{HOME}?stage=1&amp;overdue=on">My overdue</a>' in page
    assert AuditEvent.objects.filter(event_type=AuditEventType.SAVED_VIEW_CREATED).count() == 1
    # The same name again is refused, with the name kept.
    again = manager.post(reverse("tracker:saved-view-create"), {"name": "my overdue", "query": ""})
    assert again.status_code == 400
    assert "You already have a view called my overdue" in again.text
    assert manager.post(reverse("tracker:saved-view-delete", args=[view.pk])).status_code == 302
    assert not SavedView.objects.exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.SAVED_VIEW_DELETED).count() == 1


def test_nobody_else_sees_or_deletes_a_saved_view(client, manager, council, complaints_manager, complaints_officer):
    manager.post(reverse("tracker:saved-view-create"), {"name": "Mine", "query": "stage=2"})
    view = SavedView.objects.get()
    client.force_login(complaints_officer)
    assert ">Mine</a>" not in client.get(HOME).text
    assert client.post(reverse("tracker:saved-view-delete", args=[view.pk])).status_code == 404
    assert SavedView.objects.exists()


def test_a_view_needs_a_name(manager, council):
    response = manager.post(reverse("tracker:saved-view-create"), {"name": " ", "query": "stage=1"})
    assert response.status_code == 400
    assert "Enter a name for the view" in response.text


def test_the_header_has_a_search_box_for_those_who_see_cases(client, council, complaints_manager, report_viewer):
    client.force_login(complaints_manager)
    page = client.get(reverse("web:deadline-calculator")).text
    assert '<form method="get" action="/search/" role="search"' in page
    assert 'id="header-search" name="q"' in page
    client.force_login(report_viewer)
    assert 'id="header-search"' not in client.get(reverse("web:deadline-calculator")).text
