"""``opencomplaints demo-data``: builds the plan through the services, and refuses to build it twice."""

from collections import Counter
from datetime import date
from importlib import import_module
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, LearningAction, Remedy, Stage
from opencomplaints.cases.services import complaints_close_after_window
from opencomplaints.councils.models import Council, CouncilMembership, Team
from opencomplaints.councils.tests.factories import CouncilFactory
from opencomplaints.demo.builder import DEMO_ROLES, REPLACE_REFUSED, USER_NOT_DEMO
from opencomplaints.demo.scenario import DEMO_PASSWORD, plan_demo

END = date(2025, 3, 31)
# The module name has a hyphen, as the command does, so it is imported by name.
COMMAND = import_module("opencomplaints.demo.management.commands.demo-data")


def build(**options):
    out = StringIO()
    call_command("demo-data", stdout=out, **{"years": 1, "seed": 1, "end_date": END, **options})
    return out.getvalue()


@pytest.mark.django_db
def test_demo_data_builds_the_plan_through_the_services_and_refuses_a_second_run():
    output = build()
    plan = plan_demo(seed=1, years=1, end_date=END)
    council_plan = plan.councils[0]
    council = Council.objects.get()
    assert council.slug == council_plan.slug
    assert f"'{DEMO_PASSWORD}'" in output

    # Every planned case, stage, remedy and learning action is there.
    cases = Case.objects.filter(council=council)
    kinds = Counter(cases.values_list("kind", flat=True))
    assert kinds[c.Kind.COMPLAINT] == len(council_plan.complaints)
    assert kinds[c.Kind.OMBUDSMAN] == len(council_plan.ombudsman_cases)
    planned_kinds = Counter(rep.kind for rep in council_plan.representations)
    for kind, count in planned_kinds.items():
        assert kinds[kind] == count
    assert Stage.objects.filter(case__council=council).count() == sum(len(x.stages) for x in council_plan.complaints)
    assert Remedy.objects.filter(case__council=council).count() == sum(len(x.remedies) for x in council_plan.complaints)
    assert LearningAction.objects.filter(council=council).count() == len(council_plan.learning_actions)

    # ... as the plan has them: same references, stages, dates and outcomes, open exactly when planned.
    by_reference = {case.reference: case for case in cases.prefetch_related("stages")}
    for complaint in council_plan.complaints:
        case = by_reference[complaint.reference]
        stages = [(s.number, s.received_date, s.response_date, s.outcome) for s in case.stages.all()]
        assert stages == [(s.number, s.received_date, s.response_date, s.outcome) for s in complaint.stages]
        assert (case.closed_date is None) == complaint.is_open, complaint.reference
        assert case.mediation == complaint.mediation, complaint.reference

    # The tracker looks alive: open complaints, some overdue on the end date.
    open_complaints = cases.filter(kind=c.Kind.COMPLAINT, closed_date__isnull=True)
    assert open_complaints.filter(next_due_date__lt=END).exists()
    assert open_complaints.filter(next_due_date__gt=END).exists()

    # Written through the services: every case has its audit trail.
    assert not cases.exclude(pk__in=AuditEvent.objects.values("case_id")).exists()

    # Closed after their request window as the daily job closes them (by the system, on the window's last day),
    # so on the end date the job finds nothing more to close.
    closings = AuditEvent.objects.filter(case__council=council, event_type=AuditEventType.CASE_CLOSED)
    assert closings.count() == sum(len(x.closures) for x in council_plan.complaints) > 0
    assert not closings.filter(acting_user__isnull=False).exists()
    assert complaints_close_after_window(today=END) == 0

    # Corporate complaints go on to stage 2 too.
    assert Stage.objects.filter(case__council=council, case__procedure=c.Procedure.CORPORATE, number=2).exists()

    # The structure was restructured, not renamed in place.
    assert Team.objects.filter(council=council, active_until__isnull=False).exists()
    assert Team.objects.filter(council=council, predecessor__isnull=False).exists()

    # The shared complaints team of personas, all members, all with the demonstration password.
    users = User.objects.filter(email__endswith="@demo.example")
    assert users.count() == len(plan.users)
    assert CouncilMembership.objects.filter(council=council).count() == len(plan.users)
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="manager").check_password(DEMO_PASSWORD)

    # Owners spread across the team, each stage with the owner of its time, and the manager's saved views.
    owners = Counter(cases.filter(kind=c.Kind.COMPLAINT).values_list("owner__username", flat=True))
    assert owners["officer"] > owners["manager"] > 0
    assert owners["officer2"] > owners["manager"]
    assert not Stage.objects.filter(case__council=council, owner__isnull=True, case__owner__isnull=False).exists()
    from opencomplaints.tracker.models import SavedView

    assert SavedView.objects.filter(user__username="manager").count() == 3

    with pytest.raises(CommandError) as raised:
        build()
    assert str(raised.value) == COMMAND.ALREADY_LOADED.format(councils="Borough of Exampleton")
    assert "--replace" in str(raised.value)
    assert Council.objects.count() == 1


@pytest.mark.django_db
def test_demo_data_replace_deletes_the_earlier_data_in_the_same_run():
    build()
    build(replace=True, seed=2)
    council = Council.objects.get()
    plan = plan_demo(seed=2, years=1, end_date=END).councils[0]
    assert Case.objects.filter(council=council, kind=c.Kind.COMPLAINT).count() == len(plan.complaints)
    # Nothing of the first build is left behind, not even its audit trail.
    assert not AuditEvent.objects.filter(case__isnull=False).exclude(case__council=council).exists()


@pytest.mark.django_db
def test_demo_data_replace_is_refused_where_a_real_council_exists():
    build()
    CouncilFactory.create(name="Borough of Realton", slug="realton")
    events = AuditEvent.objects.count()

    with pytest.raises(CommandError) as raised:
        build(replace=True, seed=2)

    assert str(raised.value) == REPLACE_REFUSED.format(councils="Borough of Realton")
    assert Council.objects.count() == 2
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_demo_data_replace_leaves_the_audit_trail_append_only():
    from django.db import IntegrityError, transaction

    build()
    build(replace=True, seed=2)

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_demo_users_hold_their_roles():
    build()

    roles = dict(CouncilMembership.objects.values_list("user__username", "role"))
    assert roles == {username: role.value for username, role in DEMO_ROLES.items()}


@pytest.mark.django_db
def test_demo_data_never_takes_over_a_real_user(django_user_model):
    django_user_model.objects.create_user(username="admin", email="it@council.example", password="x")
    with pytest.raises(CommandError) as raised:
        build()
    assert str(raised.value) == USER_NOT_DEMO.format(username="admin")
    assert not Council.objects.exists()


def test_the_default_end_date_is_the_last_day_of_the_previous_month():
    assert COMMAND.last_day_of_previous_month(date(2026, 11, 22)) == date(2026, 10, 31)
    assert COMMAND.last_day_of_previous_month(date(2025, 3, 1)) == date(2025, 2, 28)
