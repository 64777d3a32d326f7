"""Service areas and teams. A team is never renamed or moved in place: it is ended and succeeded, so the cases
and reports of earlier years keep the structure they had (see ``councils.models``)."""

from datetime import date, timedelta

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council, ServiceArea, Team
from opencomplaints.councils.services.validation import full_clean_or_domain_error

SERVICE_AREA_NEEDS_NAME = "Enter the service area's name."
SERVICE_AREA_EXISTS = "{council} already has a service area called {name}."
TEAM_NEEDS_NAME = "Enter the team's name."
TEAM_EXISTS = "{council} already has a team called {name}."
SERVICE_AREA_OTHER_COUNCIL = "{area} belongs to {other}, not {council}."
SERVICE_AREA_ENDED = "{area} ended on {day}. Choose a service area that still exists."
SERVICE_AREA_NOT_ACTIVE = "{area} does not exist on {day}: it runs {period}. Choose a service area that does."
TEAM_ALREADY_ENDED = "{team} already ended on {day}. Restructure the team that succeeded it instead."
TEAM_END_BEFORE_START = "{team} cannot end on {day}: it only started on {start}."
RESTRUCTURE_NEEDS_CHANGE = (
    "Give {team} a new name or a new service area. A restructure ends the team and starts its successor with "
    "the change; nothing else about a team is kept by period."
)


def _day(value: date) -> str:
    # Not %-d: that is platform-specific and the product runs on Windows too.
    return f"{value.day} {value:%B %Y}"


def _period(area: ServiceArea) -> str:
    start = f"from {_day(area.active_from)}" if area.active_from else "from the start"
    end = f"until {_day(area.active_until)}" if area.active_until else "with no end"
    return f"{start} {end}"


def _check_area_active(*, area: ServiceArea, council: Council, on_date: date | None) -> None:
    if area.council_id != council.pk:
        raise DomainError(
            SERVICE_AREA_OTHER_COUNCIL.format(area=area.name, other=area.council.name, council=council.name),
            field="service_area",
        )
    if on_date is None:
        # A team with no start date counts as current, so only a service area that has ended is refused.
        if area.active_until is not None:
            raise DomainError(
                SERVICE_AREA_ENDED.format(area=area.name, day=_day(area.active_until)), field="service_area"
            )
        return
    started_too_late = area.active_from is not None and on_date < area.active_from
    ended_already = area.active_until is not None and on_date > area.active_until
    if started_too_late or ended_already:
        raise DomainError(
            SERVICE_AREA_NOT_ACTIVE.format(area=area.name, day=_day(on_date), period=_period(area)),
            field="service_area",
        )


def _team_audit_fields(team: Team) -> dict[str, object]:
    return {
        "council": team.council_id,
        "service_area": team.service_area_id,
        "service_area_name": team.service_area.name,
        "name": team.name,
        "active_from": team.active_from,
        "active_until": team.active_until,
        "predecessor": team.predecessor_id,
    }


@transaction.atomic
def service_area_create(
    *, council: Council, name: str, acting_user: User | None, active_from: date | None = None
) -> ServiceArea:
    """Add a service area (e.g. "Children in Care") that teams belong to."""
    name = name.strip()
    if not name:
        raise DomainError(SERVICE_AREA_NEEDS_NAME, field="name")
    if council.service_areas.filter(name__iexact=name, active_until__isnull=True).exists():
        raise DomainError(SERVICE_AREA_EXISTS.format(council=council.name, name=name), field="name")
    area = ServiceArea(council=council, name=name, active_from=active_from)
    full_clean_or_domain_error(area)
    area.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.SERVICE_AREA_CREATED,
        subject=area,
        summary=f"Service area created in {council.name}: {area.name}",
        after={"council": council, "name": area.name, "active_from": area.active_from},
    )
    return area


@transaction.atomic
def team_create(
    *, service_area: ServiceArea, name: str, acting_user: User | None, active_from: date | None = None
) -> Team:
    """Add a team to a service area; the team belongs to the service area's council."""
    council = service_area.council
    name = name.strip()
    if not name:
        raise DomainError(TEAM_NEEDS_NAME, field="name")
    _check_area_active(area=service_area, council=council, on_date=active_from)
    if council.teams.filter(name__iexact=name, active_until__isnull=True).exists():
        raise DomainError(TEAM_EXISTS.format(council=council.name, name=name), field="name")
    team = Team(council=council, service_area=service_area, name=name, active_from=active_from)
    full_clean_or_domain_error(team)
    team.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.TEAM_CREATED,
        subject=team,
        summary=f"Team created in {council.name}: {team.name} ({service_area.name})",
        after=_team_audit_fields(team),
    )
    return team


@transaction.atomic
def team_restructure(
    *,
    team: Team,
    acting_user: User | None,
    ended_on: date,
    new_name: str | None = None,
    new_service_area: ServiceArea | None = None,
) -> Team:
    """End ``team`` on ``ended_on`` (its last day) and start its successor the next day, renamed and/or moved to
    another service area. Returns the successor.

    The old team is left as it was apart from its end date, so cases received before the restructure (and the
    reports counting them) still name the team and service area of their time; ``Team.predecessor`` links the
    two so a report can follow the team across years.
    """
    team = Team.objects.select_for_update().select_related("council", "service_area").get(pk=team.pk)
    if team.active_until is not None:
        raise DomainError(TEAM_ALREADY_ENDED.format(team=team.name, day=_day(team.active_until)), field="team")
    if team.active_from is not None and ended_on < team.active_from:
        raise DomainError(
            TEAM_END_BEFORE_START.format(team=team.name, day=_day(ended_on), start=_day(team.active_from)),
            field="ended_on",
        )
    successor_name = (new_name or "").strip() or team.name
    successor_area = new_service_area or team.service_area
    if successor_name == team.name and successor_area.pk == team.service_area_id:
        raise DomainError(RESTRUCTURE_NEEDS_CHANGE.format(team=team.name), field="new_name")
    starts_on = ended_on + timedelta(days=1)
    _check_area_active(area=successor_area, council=team.council, on_date=starts_on)
    clash = team.council.teams.filter(name__iexact=successor_name, active_until__isnull=True).exclude(pk=team.pk)
    if clash.exists():
        raise DomainError(TEAM_EXISTS.format(council=team.council.name, name=successor_name), field="new_name")

    before = _team_audit_fields(team)
    team.active_until = ended_on
    full_clean_or_domain_error(team)
    team.save(update_fields=["active_until", "updated_at"])
    successor = Team(
        council=team.council,
        service_area=successor_area,
        name=successor_name,
        active_from=starts_on,
        predecessor=team,
    )
    full_clean_or_domain_error(successor)
    successor.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.TEAM_RESTRUCTURED,
        subject=team,
        summary=(
            f"{team.name} ({before['service_area_name']}) ended on {_day(ended_on)}; succeeded by "
            f"{successor.name} ({successor_area.name}) from {_day(starts_on)}"
        ),
        before=before,
        after={
            **_team_audit_fields(team),
            "successor": successor.pk,
            "successor_fields": _team_audit_fields(successor),
        },
    )
    return successor
