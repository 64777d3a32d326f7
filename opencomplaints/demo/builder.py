"""Build a demonstration plan (``scenario.plan_demo``) in one transaction, and remove an earlier one.

The users and each council's structure are made here; each council's cases are then played as events
(``timeline`` makes them, ``player`` applies them through the domain services), and the council is given the
rest of the demonstration by the ``steps``. Every council, team and membership goes through
``opencomplaints.councils.services``, so the demonstration data carries the same audit trail as real data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.append_only import audit_trail_unlocked
from opencomplaints.audit.models import AuditEvent
from opencomplaints.cases.models import (
    Case,
    CaseAccessGrant,
    LearningAction,
    Person,
)
from opencomplaints.common.errors import DomainError
from opencomplaints.correspondence.models import InboundEmail, Letter
from opencomplaints.councils import services as council_services
from opencomplaints.councils.models import (
    CorporateProcedure,
    Council,
    CouncilMembership,
    IssueCategory,
    LocalTimescales,
    RemedyType,
    Role,
    ServiceArea,
    Team,
)
from opencomplaints.demo.contacts import contacts_demo_delete
from opencomplaints.demo.integrations import integrations_demo_delete
from opencomplaints.demo.people import DEMO_PASSWORD, DEMO_SLUGS
from opencomplaints.demo.plans import (
    CouncilPlan,
    DemoPlan,
    UserPlan,
)
from opencomplaints.demo.player import STEP_FAILED, BuildError, Player
from opencomplaints.demo.publication import publication_demo_delete, publication_demo_subjects
from opencomplaints.demo.role_requests import role_requests_demo_delete
from opencomplaints.demo.steps import STEPS, Built
from opencomplaints.demo.timeline import council_timeline
from opencomplaints.notifications.models import Message
from opencomplaints.tracker.models import SavedView
from opencomplaints.tracker.services import saved_view_create

__all__ = [
    "DEMO_EMAIL_DOMAIN",
    "DEMO_ROLES",
    "REPLACE_REFUSED",
    "BuildError",
    "apply_plan",
    "demo_councils",
    "demo_data_delete",
]

# Demo users' addresses are in a reserved domain (RFC 2606), which is also how a later run recognises them.
DEMO_EMAIL_DOMAIN = "@demo.example"

USER_NOT_DEMO = (
    "A user called {username} already exists and is not one of the demonstration users, so the demonstration "
    "data was not built. Rename that user, or build the demonstration data in an empty installation."
)


REPLACE_REFUSED = (
    "This database holds councils that are not demonstration councils ({councils}), so --replace was refused: "
    "their records, audit trail included, must be kept. Build the demonstration data in its own database."
)

# Each demonstration user's role in every demonstration council (docs/adr/0005-roles-and-access.md).
DEMO_ROLES = {
    "manager": Role.COMPLAINTS_MANAGER,
    "officer": Role.COMPLAINTS_OFFICER,
    "officer2": Role.COMPLAINTS_OFFICER,
    "investigator": Role.INVESTIGATING_OFFICER,
    "independent": Role.INDEPENDENT_PERSON,
    "adjudicator": Role.ADJUDICATOR,
    "panel1": Role.PANEL_MEMBER,
    "panel2": Role.PANEL_MEMBER,
    "panel3": Role.PANEL_MEMBER,
    "viewer": Role.REPORT_VIEWER,
    "admin": Role.SYSTEM_ADMINISTRATOR,
    "admin2": Role.SYSTEM_ADMINISTRATOR,
}


def demo_councils() -> list[Council]:
    """The demonstration councils already in the database."""
    return list(Council.objects.filter(slug__in=DEMO_SLUGS).order_by("slug"))


# -- removing earlier demonstration data ------------------------------------------------------------------------


def _subject_ids(model: type[models.Model], ids: Iterable[int]) -> tuple[str, list[str]]:
    return model._meta.label_lower, [str(pk) for pk in ids]


@transaction.atomic
def demo_data_delete() -> int:
    """Delete the demonstration councils and everything recorded for them; returns how many councils went.

    There is no service for deleting a council: real councils are never deleted, because their records must be
    kept. Demonstration data is the one exception, so the rows are removed here, in the order their protected
    links need, together with the audit events about them (which would otherwise keep pointing at nothing). The
    audit trail is append-only, so this refuses to run (``BuildError``) on a database holding any other council,
    and removes the demonstration audit events with the triggers lifted inside this one transaction.
    """
    councils = demo_councils()
    if not councils:
        return 0
    others = Council.objects.exclude(pk__in=[council.pk for council in councils]).order_by("name")
    if others.exists():
        raise BuildError(REPLACE_REFUSED.format(councils=", ".join(others.values_list("name", flat=True))))
    with audit_trail_unlocked():
        role_requests_demo_delete(councils)
        integrations_demo_delete(councils)
        _demo_rows_delete(councils)
    return len(councils)


def _demo_rows_delete(councils: list[Council]) -> None:
    case_ids = list(Case.objects.filter(council__in=councils).values_list("pk", flat=True))
    subjects = [
        _subject_ids(Council, (council.pk for council in councils)),
        _subject_ids(
            CouncilMembership, CouncilMembership.objects.filter(council__in=councils).values_list("pk", flat=True)
        ),
        _subject_ids(ServiceArea, ServiceArea.objects.filter(council__in=councils).values_list("pk", flat=True)),
        _subject_ids(Team, Team.objects.filter(council__in=councils).values_list("pk", flat=True)),
        _subject_ids(LearningAction, LearningAction.objects.filter(council__in=councils).values_list("pk", flat=True)),
        _subject_ids(InboundEmail, InboundEmail.objects.filter(council__in=councils).values_list("pk", flat=True)),
        *publication_demo_subjects(councils),
        _subject_ids(
            CorporateProcedure, CorporateProcedure.objects.filter(council__in=councils).values_list("pk", flat=True)
        ),
        _subject_ids(
            LocalTimescales, LocalTimescales.objects.filter(council__in=councils).values_list("pk", flat=True)
        ),
    ]
    AuditEvent.objects.filter(case_id__in=case_ids).delete()
    for label, ids in subjects:
        AuditEvent.objects.filter(subject_type=label, subject_id__in=ids).delete()
    CaseAccessGrant.objects.filter(case_id__in=case_ids).delete()
    # Letters and messages protect their cases; emails received and letter templates their councils.
    Letter.objects.filter(case_id__in=case_ids).delete()
    Message.objects.filter(case_id__in=case_ids).delete()
    InboundEmail.objects.filter(council__in=councils).delete()
    LearningAction.objects.filter(council__in=councils).delete()
    # Cases first (their stages, points, remedies and details go with them), then what they pointed at.
    Case.objects.filter(pk__in=case_ids).delete()
    Person.objects.filter(council__in=councils).delete()
    contacts_demo_delete(councils)
    # Successor teams protect their predecessors; unlink them first, as databases order NULL start dates differently.
    Team.objects.filter(council__in=councils).update(predecessor=None)
    Team.objects.filter(council__in=councils).delete()
    ServiceArea.objects.filter(council__in=councils).delete()
    IssueCategory.objects.filter(council__in=councils).delete()
    RemedyType.objects.filter(council__in=councils).delete()
    # Each version protects the one it replaced; unlink them first, as for teams.
    CorporateProcedure.objects.filter(council__in=councils).update(supersedes=None)
    CorporateProcedure.objects.filter(council__in=councils).delete()
    publication_demo_delete(councils)
    LocalTimescales.objects.filter(council__in=councils).update(supersedes=None)
    LocalTimescales.objects.filter(council__in=councils).delete()
    for council in councils:
        council.delete()


# -- building ---------------------------------------------------------------------------------------------------


@dataclass
class BuildSummary:
    councils: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)


def _users(plans: Iterable[UserPlan]) -> dict[str, User]:
    """The demonstration users, created or brought back to the plan (accounts have no domain services; users are
    not case data). A same-named user who is not a demonstration user is never touched."""
    # One hash for every user: hashing is deliberately slow, and the password is the same published one.
    password = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for plan in plans:
        user = User.objects.filter(username=plan.username).first()
        if user is not None and not user.email.endswith(DEMO_EMAIL_DOMAIN):
            raise BuildError(USER_NOT_DEMO.format(username=plan.username))
        if user is None:
            user = User(username=plan.username)
        user.first_name = plan.first_name
        user.last_name = plan.last_name
        user.email = plan.email
        user.job_title = plan.job_title
        user.is_staff = plan.is_staff
        user.is_superuser = plan.is_superuser
        user.is_active = True
        user.password = password
        user.full_clean()
        user.save()
        users[plan.username] = user
    return users


def _council(plan: CouncilPlan, users: Mapping[str, User]) -> Player:
    """The council with its members and structure, and the player that will record its cases."""
    admin = users["admin"]
    council = council_services.council_create(
        name=plan.name, slug=plan.slug, reference_prefix=plan.reference_prefix, acting_user=admin
    )
    for user in users.values():
        role = DEMO_ROLES.get(user.username, Role.COMPLAINTS_OFFICER)
        council_services.council_member_add(council=council, user=user, role=role, acting_user=admin)
    areas = {
        area.key: council_services.service_area_create(
            council=council, name=area.name, acting_user=admin, active_from=area.active_from
        )
        for area in plan.service_areas
    }
    teams: dict[str, Team] = {}
    for team in plan.teams:
        if team.predecessor is None:
            teams[team.key] = council_services.team_create(
                service_area=areas[team.service_area], name=team.name, acting_user=admin, active_from=team.active_from
            )
    for restructure in plan.restructures:
        successor = plan.team(restructure.successor)
        teams[successor.key] = council_services.team_restructure(
            team=teams[restructure.team],
            acting_user=admin,
            ended_on=restructure.ended_on,
            new_name=successor.name,
            new_service_area=areas[successor.service_area],
        )
    return Player(
        council=council,
        users=users,
        teams=teams,
        issues={issue.name: issue for issue in IssueCategory.objects.filter(council=council)},
        remedy_types={remedy.code: remedy for remedy in RemedyType.objects.filter(council=council)},
    )


@transaction.atomic
def apply_plan(plan: DemoPlan, *, replace: bool = False) -> BuildSummary:
    """Write ``plan`` through the services in one transaction: either all of it is built or none of it.

    With ``replace`` the existing demonstration councils are deleted first, in the same transaction, so a failed
    rebuild leaves the earlier data as it was.
    """
    if replace:
        demo_data_delete()
    summary = BuildSummary()
    users = _users(plan.users)
    summary.users = list(users)
    for council_plan in plan.councils:
        try:
            player = _council(council_plan, users)
            for what, events in council_timeline(council_plan, end_date=plan.end_date):
                player.play(events, what=what)
        except DomainError as error:
            raise BuildError(STEP_FAILED.format(what=council_plan.name, message=error.message)) from error
        built = Built(
            council=player.council, users=users, end_date=plan.end_date, first=council_plan is plan.councils[0]
        )
        for step in STEPS:
            step(built)
        summary.councils.append(player.council.name)
    _saved_views(users)
    return summary


# The demonstration manager's saved views of the tracker (the alloc strand): the views a manager opens each morning.
DEMO_SAVED_VIEWS = (
    ("Overdue, not on hold", "overdue=on&leave_out_on_hold=on"),
    ("Due this week", "due_this_week=on"),
    ("Not yet assigned", "owner=none"),
)


def _saved_views(users: Mapping[str, User]) -> None:
    manager = users.get("manager")
    if manager is None:
        return
    have = set(SavedView.objects.filter(user=manager).values_list("name", flat=True))
    for name, query in DEMO_SAVED_VIEWS:
        if name not in have:
            saved_view_create(acting_user=manager, name=name, query=query)
