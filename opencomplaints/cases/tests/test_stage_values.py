"""Each stage keeps its own details (docs/adr/0010-per-stage-values.md): copied from the case when a stage opens,
and by migration cases.0006 for the stages recorded before (through the function it calls)."""

from datetime import date

import pytest
from django.apps import apps

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import CaseIssue, CaseTeam, Stage
from opencomplaints.cases.services import ChildInput, PersonInput, complaint_escalate, stage_respond
from opencomplaints.cases.stage_values import stage_values_copy
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import IssueCategoryFactory, ServiceAreaFactory, TeamFactory
from opencomplaints.records.selectors import records_for_councils
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.selectors import escalation_history

pytestmark = pytest.mark.django_db


def _values(stage: Stage) -> tuple[object, ...]:
    stage.refresh_from_db()
    return (
        stage.received_via,
        stage.service_area.name if stage.service_area else None,
        [t.team.name for t in stage.stage_teams.select_related("team")],
        [i.category.name for i in stage.stage_issues.select_related("category")],
        stage.complainant_type,
        stage.support_category,
        stage.mediation,
        stage.advocacy_provided,
    )


def test_registration_gives_stage_1_the_case_details(council, complaints_manager, team, issue):
    second = IssueCategoryFactory.create(council=council, name="Delay")
    case = f.accepted(
        council,
        complaints_manager,
        received_via=c.ReceivedVia.EMAIL,
        teams=[team],
        issues=[second, issue],
        advocacy_provided=True,
        children=[ChildInput(person=PersonInput(first_name="Alex"), support_category=c.SupportCategory.CIN)],
    )

    assert _values(f.stage(case, 1)) == (
        "email",
        "Localities",
        ["Assessment East"],
        ["Delay", "Communication"],
        "parent_relative",
        "cin",
        "none",
        True,
    )


def test_escalation_starts_from_the_current_details_and_keeps_stage_1s(council, complaints_manager, team):
    case = f.accepted(council, complaints_manager, received_via=c.ReceivedVia.PHONE, teams=[team])
    stage1 = f.stage(case, 1)
    stage_respond(
        stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 10), outcome=c.Outcome.NOT_UPHELD
    )
    # The case's current details change before the request for stage 2 (the workspace edits the case).
    case.received_via = c.ReceivedVia.LETTER
    case.save(update_fields=["received_via"])
    other = TeamFactory.create(service_area=ServiceAreaFactory.create(council=council, name="Permanence"), name="CLA")
    CaseTeam.objects.filter(case=case).delete()
    CaseTeam.objects.create(case=case, team=other, service_area=other.service_area, position=0)

    stage2 = complaint_escalate(case=case, acting_user=complaints_manager, request_received_date=date(2022, 6, 20))

    assert _values(stage2)[:3] == ("letter", "Permanence", ["CLA"])
    assert _values(stage1)[:3] == ("phone", "Localities", ["Assessment East"])


def test_the_migration_copy_gives_every_stage_its_cases_values_without_loss(council, team, issue):
    """What migration 0006 does to the stages recorded before they had their own values."""
    area = ServiceAreaFactory.create(council=council, name="Front Door")
    with_team = f.CaseFactory.create(council=council, received_via=c.ReceivedVia.ONLINE, mediation="resolved")
    CaseTeam.objects.create(case=with_team, team=team, service_area=area, position=0)
    CaseIssue.objects.create(case=with_team, category=issue, position=0)
    stages = [
        f.StageFactory.create(case=with_team, number=1, response_date=date(2022, 6, 1), outcome="upheld"),
        f.StageFactory.create(case=with_team, number=2, received_date=date(2022, 6, 5), start_date=date(2022, 6, 5)),
    ]
    without_team = f.CaseFactory.create(council=council, service_area=area, advocacy_provided=False)
    bare = f.StageFactory.create(case=without_team)

    stage_values_copy(models=apps, stage_ids=[s.pk for s in [*stages, bare]])

    # The service area as it was on the case's team link, not the team's home today.
    expected = ("online", "Front Door", ["Assessment East"], ["Communication"], "", "", "resolved", None)
    assert [_values(s) for s in stages] == [expected, expected]
    assert _values(bare) == ("unknown", "Front Door", [], [], "", "", "none", False)
    # Run again (a re-run migration, or a stage reopened): nothing is duplicated.
    stage_values_copy(models=apps, stage_ids=[stages[0].pk])
    assert _values(stages[0]) == expected


def test_each_stage_exports_and_counts_under_its_own_details(council, complaints_manager, team, issue):

    case = f.accepted(council, complaints_manager, received_via=c.ReceivedVia.PHONE, teams=[team], issues=[issue])
    stage_respond(
        stage=f.stage(case, 1),
        acting_user=complaints_manager,
        response_date=date(2022, 6, 10),
        outcome=c.Outcome.NOT_UPHELD,
    )
    stage2 = complaint_escalate(case=case, acting_user=complaints_manager, request_received_date=date(2022, 6, 20))
    other = TeamFactory.create(service_area=ServiceAreaFactory.create(council=council, name="Permanence"), name="CLA")
    delay = IssueCategoryFactory.create(council=council, name="Delay")
    stage2.received_via, stage2.service_area, stage2.complainant_type = "letter", other.service_area, "advocate"
    stage2.save()
    stage2.stage_teams.all().delete()
    stage2.stage_issues.all().delete()
    stage2.stage_teams.create(team=other, position=0)
    stage2.stage_issues.create(category=delay, position=0)
    stage2.stage_issues.create(category=issue, position=1)

    records = {r.stage: r for r in records_for_councils(councils=[council])}

    one, two = records[1], records[2]
    assert (one.received_via, one.service_area, one.teams, one.issues, one.complainant_type) == (
        "phone",
        "Localities",
        ("Assessment East",),
        ("Communication",),
        "parent_relative",
    )
    assert (two.received_via, two.service_area, two.teams, two.issues, two.complainant_type) == (
        "letter",
        "Permanence",
        ("CLA",),
        ("Delay", "Communication"),
        "advocate",
    )
    # Escalation by service area counts stage 1 under its area and stage 2 under its own.
    history = escalation_history(councils=[council], period=reporting_year(2023), procedure="children_statutory")
    assert history[2022] == {"Localities": (1, 0), "Permanence": (0, 1)}
