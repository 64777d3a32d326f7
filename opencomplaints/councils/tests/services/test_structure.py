"""service_area_create, team_create and team_restructure: structures change by period, never in place."""

from datetime import date

import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Team
from opencomplaints.councils.selectors import teams_active_on
from opencomplaints.councils.services import service_area_create, team_create, team_restructure
from opencomplaints.councils.services.structure import (
    RESTRUCTURE_NEEDS_CHANGE,
    SERVICE_AREA_ENDED,
    SERVICE_AREA_EXISTS,
    SERVICE_AREA_NEEDS_NAME,
    SERVICE_AREA_NOT_ACTIVE,
    SERVICE_AREA_OTHER_COUNCIL,
    TEAM_ALREADY_ENDED,
    TEAM_END_BEFORE_START,
    TEAM_EXISTS,
    TEAM_NEEDS_NAME,
)
from opencomplaints.councils.tests.factories import ServiceAreaFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def localities(council, complaints_manager):
    return service_area_create(council=council, name="Localities", acting_user=complaints_manager)


@pytest.fixture
def children_in_care(council):
    return service_area_create(council=council, name="Children in Care", acting_user=None)


@pytest.fixture
def assessment(localities):
    return team_create(service_area=localities, name="Assessment Team", active_from=date(2020, 4, 1), acting_user=None)


# -- service_area_create ---------------------------------------------------------------------------------------


def test_service_area_create_saves_and_audits(council, complaints_manager):
    area = service_area_create(
        council=council, name=" Front Door ", active_from=date(2024, 4, 1), acting_user=complaints_manager
    )

    assert (area.council, area.name, area.active_from, area.active_until) == (
        council,
        "Front Door",
        date(2024, 4, 1),
        None,
    )
    event = AuditEvent.objects.get()
    assert event.event_type == AuditEventType.SERVICE_AREA_CREATED
    assert event.acting_user == complaints_manager
    assert event.after == {"council": council.pk, "name": "Front Door", "active_from": "2024-04-01"}


def test_service_area_needs_a_name(council):
    with pytest.raises(DomainError, match=SERVICE_AREA_NEEDS_NAME):
        service_area_create(council=council, name=" ", acting_user=None)


def test_service_area_names_are_unique_among_current_areas(council, localities):
    with pytest.raises(DomainError) as raised:
        service_area_create(council=council, name="localities", acting_user=None)
    assert raised.value.message == SERVICE_AREA_EXISTS.format(council=council.name, name="localities")


def test_another_council_may_use_the_same_service_area_name(other_council, localities):
    area = service_area_create(council=other_council, name="Localities", acting_user=None)
    assert area.council == other_council


# -- team_create -----------------------------------------------------------------------------------------------


def test_team_create_saves_it_in_the_service_areas_council_and_audits(council, localities):
    team = team_create(service_area=localities, name="Assessment Team", acting_user=None)

    assert (team.council, team.service_area, team.name, team.predecessor) == (
        council,
        localities,
        "Assessment Team",
        None,
    )
    event = AuditEvent.objects.filter(event_type=AuditEventType.TEAM_CREATED).get()
    assert event.after["service_area_name"] == "Localities"
    assert event.after["council"] == council.pk


def test_team_needs_a_name(localities):
    with pytest.raises(DomainError, match=TEAM_NEEDS_NAME):
        team_create(service_area=localities, name="", acting_user=None)


def test_team_names_are_unique_among_current_teams_of_the_council(council, assessment, children_in_care):
    with pytest.raises(DomainError) as raised:
        team_create(service_area=children_in_care, name="Assessment team", acting_user=None)
    assert raised.value.message == TEAM_EXISTS.format(council=council.name, name="Assessment team")


def test_a_team_cannot_join_a_service_area_that_has_ended(council):
    ended = ServiceAreaFactory.create(council=council, name="Early Help", active_until=date(2023, 3, 31))

    with pytest.raises(DomainError) as raised:
        team_create(service_area=ended, name="Family Support", acting_user=None)
    assert raised.value.message == SERVICE_AREA_ENDED.format(area="Early Help", day="31 March 2023")

    with pytest.raises(DomainError) as raised:
        team_create(service_area=ended, name="Family Support", active_from=date(2023, 4, 1), acting_user=None)
    assert raised.value.message == SERVICE_AREA_NOT_ACTIVE.format(
        area="Early Help", day="1 April 2023", period="from the start until 31 March 2023"
    )
    assert not Team.objects.exists()


def test_a_team_cannot_start_before_its_service_area(council):
    area = ServiceAreaFactory.create(council=council, name="Front Door", active_from=date(2024, 4, 1))

    with pytest.raises(DomainError, match="does not exist on 1 January 2024: it runs from 1 April 2024 with no end"):
        team_create(service_area=area, name="MASH", active_from=date(2024, 1, 1), acting_user=None)


# -- team_restructure ------------------------------------------------------------------------------------------


def test_restructure_ends_the_team_and_starts_its_successor_the_next_day(council, assessment, children_in_care):
    successor = team_restructure(
        team=assessment,
        ended_on=date(2025, 3, 31),
        new_name="Assessment and Intervention Team",
        new_service_area=children_in_care,
        acting_user=None,
    )

    assessment.refresh_from_db()
    # The old team keeps its name and service area: cases and reports of earlier years are unchanged.
    assert (assessment.name, assessment.service_area.name) == ("Assessment Team", "Localities")
    assert (assessment.active_from, assessment.active_until) == (date(2020, 4, 1), date(2025, 3, 31))
    assert (successor.name, successor.service_area, successor.council) == (
        "Assessment and Intervention Team",
        children_in_care,
        council,
    )
    assert (successor.active_from, successor.active_until) == (date(2025, 4, 1), None)
    assert successor.predecessor == assessment
    assert list(assessment.successors.all()) == [successor]


def test_after_a_restructure_each_date_sees_the_team_of_its_time(council, assessment):
    successor = team_restructure(team=assessment, ended_on=date(2025, 3, 31), new_name="Duty Team", acting_user=None)

    assert list(teams_active_on(council=council, on_date=date(2025, 3, 31))) == [assessment]
    assert list(teams_active_on(council=council, on_date=date(2025, 4, 1))) == [successor]


def test_a_team_may_move_service_area_and_keep_its_name(assessment, children_in_care):
    successor = team_restructure(
        team=assessment, ended_on=date(2025, 3, 31), new_service_area=children_in_care, acting_user=None
    )

    assert (successor.name, successor.service_area) == ("Assessment Team", children_in_care)
    assert Team.objects.filter(name="Assessment Team").count() == 2


def test_restructure_is_one_audit_event_with_before_and_after(assessment, complaints_manager):
    earlier = set(AuditEvent.objects.values_list("pk", flat=True))

    successor = team_restructure(
        team=assessment, ended_on=date(2025, 3, 31), new_name="Duty Team", acting_user=complaints_manager
    )

    event = AuditEvent.objects.exclude(pk__in=earlier).get()
    assert event.event_type == AuditEventType.TEAM_RESTRUCTURED
    assert event.acting_user == complaints_manager
    assert (event.subject_type, event.subject_id) == ("councils.team", str(assessment.pk))
    assert event.before["active_until"] is None
    assert event.after["active_until"] == "2025-03-31"
    assert event.after["successor"] == successor.pk
    assert event.after["successor_fields"]["name"] == "Duty Team"
    assert event.after["successor_fields"]["active_from"] == "2025-04-01"
    assert "ended on 31 March 2025" in event.summary


def test_restructure_needs_a_change(assessment):
    with pytest.raises(DomainError) as raised:
        team_restructure(team=assessment, ended_on=date(2025, 3, 31), new_name=" Assessment Team ", acting_user=None)
    assert raised.value.message == RESTRUCTURE_NEEDS_CHANGE.format(team="Assessment Team")


def test_an_ended_team_cannot_be_restructured_again(assessment):
    team_restructure(team=assessment, ended_on=date(2025, 3, 31), new_name="Duty Team", acting_user=None)

    with pytest.raises(DomainError) as raised:
        team_restructure(team=assessment, ended_on=date(2026, 3, 31), new_name="Front Door", acting_user=None)
    assert raised.value.message == TEAM_ALREADY_ENDED.format(team="Assessment Team", day="31 March 2025")


def test_a_team_cannot_end_before_it_started(assessment):
    with pytest.raises(DomainError) as raised:
        team_restructure(team=assessment, ended_on=date(2019, 3, 31), new_name="Duty Team", acting_user=None)
    assert raised.value.message == TEAM_END_BEFORE_START.format(
        team="Assessment Team", day="31 March 2019", start="1 April 2020"
    )


def test_the_successor_cannot_join_another_councils_service_area(assessment, other_council):
    elsewhere = ServiceAreaFactory.create(council=other_council, name="Localities")

    with pytest.raises(DomainError) as raised:
        team_restructure(team=assessment, ended_on=date(2025, 3, 31), new_service_area=elsewhere, acting_user=None)
    assert raised.value.message == SERVICE_AREA_OTHER_COUNCIL.format(
        area="Localities", other="Northby District Council", council="Borough of Exampleton"
    )


def test_the_successor_cannot_take_another_current_teams_name(council, assessment, localities):
    TeamFactory.create(service_area=localities, name="Duty Team")

    with pytest.raises(DomainError, match="already has a team called Duty Team"):
        team_restructure(team=assessment, ended_on=date(2025, 3, 31), new_name="Duty Team", acting_user=None)


def test_a_refused_restructure_changes_nothing(council, assessment):
    ended_area = ServiceAreaFactory.create(council=council, name="Early Help", active_until=date(2024, 3, 31))

    with pytest.raises(DomainError):
        team_restructure(team=assessment, ended_on=date(2025, 3, 31), new_service_area=ended_area, acting_user=None)

    assessment.refresh_from_db()
    assert assessment.active_until is None
    assert Team.objects.count() == 1
    assert not AuditEvent.objects.filter(event_type=AuditEventType.TEAM_RESTRUCTURED).exists()
