"""The workload page (per officer and per team) and the manager's dashboard (today's counts, what is due, what is
stuck, this year's trends), each in a fixed number of queries whatever the data."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opencomplaints.cases import constants as c
from opencomplaints.cases.services import stage_hold, stage_respond
from opencomplaints.cases.tests import factories as f
from opencomplaints.tracker.selectors import dashboard, workload
from opencomplaints.tracker.tests.conftest import complaint, travel

pytestmark = pytest.mark.django_db

WORKLOAD = reverse("tracker:workload")
DASHBOARD = reverse("tracker:dashboard")


@pytest.fixture
def caseload(council, complaints_manager, complaints_officer, team):
    """Received 26 May 2022, stage 1 due 13 June: two of the officer's (one on hold), one unassigned, one answered."""
    mine = complaint(council, complaints_manager, owner=complaints_officer, teams=[team])
    held = complaint(council, complaints_manager, owner=complaints_officer)
    stage_hold(
        stage=f.stage(held, 1), acting_user=complaints_manager, start_date=date(2022, 6, 1), reason="awaiting_advocate"
    )
    unassigned = complaint(council, complaints_manager, received=date(2022, 6, 20), teams=[team])
    answered = complaint(council, complaints_manager, owner=complaints_manager)
    stage_respond(
        stage=f.stage(answered, 1),
        acting_user=complaints_manager,
        response_date=date(2022, 6, 10),
        outcome=c.Outcome.UPHELD,
    )
    return {"mine": mine, "held": held, "unassigned": unassigned, "answered": answered}


def test_workload_per_officer_and_team(council, complaints_manager, complaints_officer, team, caseload):
    result = workload(user=complaints_manager, today=date(2022, 6, 14))
    officers = {row.name: row for row in result.officers}
    officer = officers[str(complaints_officer)]
    # The case on hold is overdue by law, but counted apart.
    assert (officer.open, officer.due_this_week, officer.overdue, officer.on_hold) == (2, 0, 1, 1)
    assert officers["Not assigned"].open == 1
    assert result.officers[-1].name == "Not assigned"
    teams = {row.name: row for row in result.teams}
    assert teams[team.name].open == 2
    assert teams["No team"].open == 2


def test_the_workload_page_links_into_the_tracker(client, complaints_manager, complaints_officer, caseload):
    client.force_login(complaints_manager)
    with travel(date(2022, 6, 14)):
        page = client.get(WORKLOAD).text
    assert f'href="/?owner={complaints_officer.pk}">2<span class="govuk-visually-hidden"> open cases of' in page
    assert f'href="/?owner={complaints_officer.pk}&amp;overdue=on&amp;leave_out_on_hold=on">1' in page
    assert 'href="/?owner=none">1' in page


def test_the_dashboard(council, complaints_manager, caseload):
    result = dashboard(user=complaints_manager, today=date(2022, 6, 20))
    assert result.received_today == 1
    # The answered complaint waits on the complainant, still open.
    assert result.open == 4
    assert result.overdue == 2
    assert result.on_hold == 1
    assert [x.reference for x in result.due] == [caseload["unassigned"].reference]
    assert result.year_start == date(2022, 4, 1)
    months = {m.month: m for m in result.trends}
    assert [m.month for m in result.trends] == [date(2022, 4, 1), date(2022, 5, 1), date(2022, 6, 1)]
    assert months[date(2022, 5, 1)].received == 3
    assert (months[date(2022, 6, 1)].answered, months[date(2022, 6, 1)].on_time_percent) == (1, 100)
    assert months[date(2022, 4, 1)].on_time_percent is None


def test_a_case_with_nothing_recorded_for_two_weeks_is_stuck(council, complaints_manager, caseload):
    # The audit trail records the real time: nothing has happened since now, so look from seven weeks on.
    later = timezone.localdate() + timedelta(weeks=7)
    result = dashboard(user=complaints_manager, today=later)
    assert caseload["mine"].reference in {x.reference for x in result.stuck_cases}
    assert result.stuck == 4
    assert dashboard(user=complaints_manager, today=timezone.localdate()).stuck == 0


@pytest.mark.parametrize("more", [0, 6])
def test_the_dashboard_and_workload_take_a_fixed_number_of_queries(
    client, council, complaints_manager, complaints_officer, team, caseload, django_assert_max_num_queries, more
):
    for _ in range(more):
        complaint(council, complaints_manager, owner=complaints_officer, teams=[team])
    client.force_login(complaints_manager)
    # Session, user, device, purposes; the councils, the calendar, the counts, the three lists, the two trends.
    with travel(date(2022, 6, 20)), django_assert_max_num_queries(13):
        assert client.get(DASHBOARD).status_code == 200
    # Session, user, device, purposes; the councils, the officers' and the teams' counts, the officers, the panel
    # meetings arranged.
    with travel(date(2022, 6, 20)), django_assert_max_num_queries(9):
        assert client.get(WORKLOAD).status_code == 200


def test_only_the_complaints_team_sees_them(client, council, investigating_manager, report_viewer):
    for user in (investigating_manager, report_viewer):
        client.force_login(user)
        assert client.get(WORKLOAD).status_code == 403
        assert client.get(DASHBOARD).status_code == 403


def test_another_councils_cases_are_never_counted(client, other_council, other_council_officer, caseload):
    result = dashboard(user=other_council_officer, today=date(2022, 6, 20))
    assert (result.open, result.due) == (0, [])
    assert workload(user=other_council_officer, today=date(2022, 6, 20)).teams == []


def test_a_stage_not_acknowledged_in_time_is_stuck(council, complaints_manager):
    # The corporate procedure's acknowledgement is due 5 working days after receipt (R3.5): Monday 11 July 2022.
    late = complaint(council, complaints_manager, received=date(2022, 7, 4), procedure=c.Procedure.CORPORATE)
    assert dashboard(user=complaints_manager, today=date(2022, 7, 8)).awaiting_acknowledgement == 0
    result = dashboard(user=complaints_manager, today=date(2022, 7, 12))
    assert result.awaiting_acknowledgement == 1
    assert [x.reference for x in result.unacknowledged_cases] == [late.reference]
