"""The council's structure over the period: service areas and teams, and the restructure in the middle year that ends
some teams and starts their successors (history kept, not renamed in place)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from opencomplaints.demo import texts as t
from opencomplaints.demo.draws import Draws, weighted
from opencomplaints.demo.plans import (
    RestructurePlan,
    ServiceAreaPlan,
    TeamPlan,
)


def plan_structure(ctx: Draws) -> tuple[tuple[ServiceAreaPlan, ...], tuple[TeamPlan, ...], tuple[RestructurePlan, ...]]:
    ended_on = ctx.restructure_on - timedelta(days=1)
    ending = {restructure.team: restructure for restructure in t.RESTRUCTURE}
    areas = [ServiceAreaPlan(key=area.key, name=area.name) for area in t.STRUCTURE]
    areas += [
        ServiceAreaPlan(key=key, name=name, active_from=ctx.restructure_on) for key, name in t.RESTRUCTURE_NEW_AREAS
    ]
    teams: list[TeamPlan] = []
    restructures: list[RestructurePlan] = []
    for area in t.STRUCTURE:
        for team in area.teams:
            change = ending.get(team.key)
            teams.append(
                TeamPlan(
                    key=team.key,
                    name=team.name,
                    service_area=area.key,
                    active_until=ended_on if change else None,
                    corporate=team.corporate,
                )
            )
            if change:
                teams.append(
                    TeamPlan(
                        key=change.successor_key,
                        name=change.successor_name,
                        service_area=change.successor_area,
                        active_from=ctx.restructure_on,
                        predecessor=team.key,
                        corporate=team.corporate,
                    )
                )
                restructures.append(RestructurePlan(team=team.key, ended_on=ended_on, successor=change.successor_key))
    return tuple(areas), tuple(teams), tuple(restructures)


def team_texts(ctx: Draws) -> dict[str, t.TeamText]:
    """Team texts by key, successors inheriting their predecessor's work (support categories and weight)."""
    texts = {team.key: team for area in t.STRUCTURE for team in area.teams}
    for change in t.RESTRUCTURE:
        old = texts[change.team]
        texts[change.successor_key] = t.TeamText(
            change.successor_key, change.successor_name, old.support, old.weight, old.corporate
        )
    return texts


def pick_teams(ctx: Draws, teams: Sequence[TeamPlan], on: date, *, corporate: bool, count: int) -> list[str]:
    texts = team_texts(ctx)
    active = [team for team in teams if team.active_on(on) and team.corporate == corporate]
    chosen: list[str] = []
    while len(chosen) < min(count, len(active)):
        options = [(team.key, float(texts[team.key].weight)) for team in active if team.key not in chosen]
        chosen.append(weighted(ctx.rng, options))
    return chosen


def successor_on(ctx: Draws, teams: Sequence[TeamPlan], key: str, on: date) -> str:
    """``key``, or the team that succeeded it when it had ended by ``on``."""
    team = next(team for team in teams if team.key == key)
    if team.active_on(on):
        return key
    successor = next((other for other in teams if other.predecessor == key), None)
    return successor.key if successor is not None and successor.active_on(on) else key


# -- complaints ----------------------------------------------------------------------------------------------
