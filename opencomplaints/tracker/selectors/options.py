"""The tracker's filter choices (teams, officers, owners) and the views a user saved."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import CASE_OWNER_ROLES
from opencomplaints.councils.models import CouncilMembership, Team
from opencomplaints.councils.selectors import councils_for_user
from opencomplaints.tracker.models import SavedView


@dataclass(frozen=True, kw_only=True)
class FilterOptions:
    """The choices of the filters: the teams and the officers of the user's councils, as (id, label)."""

    teams: list[tuple[int, str]]
    officers: list[tuple[int, str]]
    # Those of the officers who may own a case (``cases.access.CASE_OWNER_ROLES``): the allocation's choices.
    owners: list[tuple[int, str]] = field(default_factory=list)
    # The councils the officers were read from (every council of the user's that has a member, so every council
    # where they may see a case), for ``tracker_page`` to use rather than asking again.
    council_ids: tuple[int, ...] | None = None


def tracker_filter_options(*, user: User | AnonymousUser) -> FilterOptions:
    """The teams and officers of the councils ``user`` may see (two queries). A team is named with its council
    when the user sees more than one council, and marked when it no longer exists."""
    councils = councils_for_user(user=user)
    teams = list(Team.objects.filter(council__in=councils).select_related("council").order_by("name", "council__name"))
    several = len({team.council_id for team in teams}) > 1
    team_choices = []
    for team in teams:
        label = f"{team.name} ({team.council.name})" if several else team.name
        if team.active_until is not None:
            label += " (closed)"
        team_choices.append((team.pk, label))
    memberships = (
        CouncilMembership.objects.filter(council__in=councils, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "user_id")
    )
    officers: dict[int, User] = {}
    owners: dict[int, User] = {}
    council_ids: set[int] = set()
    for membership in memberships:
        council_ids.add(membership.council_id)
        officers.setdefault(membership.user_id, membership.user)
        if membership.role in CASE_OWNER_ROLES:
            owners.setdefault(membership.user_id, membership.user)
    return FilterOptions(
        teams=team_choices,
        officers=[(pk, str(user)) for pk, user in officers.items()],
        owners=[(pk, str(user)) for pk, user in owners.items()],
        council_ids=tuple(sorted(council_ids)),
    )


def saved_views_for_user(*, user: User) -> list[SavedView]:
    """The tracker views ``user`` saved, by name (one query)."""
    return list(SavedView.objects.filter(user=user).order_by("name", "id"))
