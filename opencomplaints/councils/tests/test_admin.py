"""The councils admin: every page loads, and adding goes through the services (defaults seeded, audited)."""

from datetime import date

import pytest
from django.urls import reverse

from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.councils.models import (
    CorporateProcedure,
    Council,
    CouncilMembership,
    EthnicityCategory,
    IssueCategory,
    LocalTimescales,
    RemedyType,
    Role,
    ServiceArea,
    Team,
)
from opencomplaints.councils.tests.factories import ServiceAreaFactory, TeamFactory, council_with_defaults

pytestmark = pytest.mark.django_db

MODELS = [
    Council,
    ServiceArea,
    Team,
    IssueCategory,
    RemedyType,
    EthnicityCategory,
    CorporateProcedure,
    LocalTimescales,
]


@pytest.fixture
def superuser_client(client, system_administrator):
    client.force_login(system_administrator)
    return client


def url(model, view, *args):
    return reverse(f"admin:councils_{model._meta.model_name}_{view}", args=args)


def membership_formset(total=0, initial=0, **rows):
    return {
        "memberships-TOTAL_FORMS": str(total),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        **rows,
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelists_load(superuser_client, model):
    council_with_defaults()
    assert superuser_client.get(url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", [m for m in MODELS if m is not EthnicityCategory], ids=lambda m: m.__name__)
def test_add_pages_load(superuser_client, model):
    assert superuser_client.get(url(model, "add")).status_code == 200


def test_ethnicity_categories_are_a_read_only_list(superuser_client):
    category = EthnicityCategory.objects.get(scheme="dfe_csc", code="WBRI")
    assert superuser_client.get(url(EthnicityCategory, "add")).status_code == 403
    response = superuser_client.get(url(EthnicityCategory, "change", category.pk))
    assert response.status_code == 200
    assert b'name="name"' not in response.content
    assert superuser_client.get(url(EthnicityCategory, "changelist") + "?q=WBRI").status_code == 200


@pytest.mark.parametrize(
    "filters",
    ["?active=yes", "?active=no", "?q=Assessment", "?council__id__exact=1", "?o=1"],
)
def test_team_changelist_filters_and_search(superuser_client, council, filters):
    TeamFactory.create(service_area__council=council, name="Assessment Team")
    TeamFactory.create(service_area__council=council, name="Old Team", active_until=date(2020, 3, 31))
    assert superuser_client.get(url(Team, "changelist") + filters).status_code == 200


def test_team_active_filter_separates_current_from_ended(superuser_client, council):
    TeamFactory.create(service_area__council=council, name="Assessment Team")
    TeamFactory.create(service_area__council=council, name="Old Team", active_until=date(2020, 3, 31))
    current = superuser_client.get(url(Team, "changelist") + "?active=yes")
    ended = superuser_client.get(url(Team, "changelist") + "?active=no")
    assert b"Assessment Team" in current.content
    assert b"Old Team" not in current.content
    assert b"Old Team" in ended.content


def test_change_pages_load(superuser_client):
    council = council_with_defaults()
    team = TeamFactory.create(service_area__council=council)
    issue = council.issue_categories.get(name="Delay")
    remedy = council.remedy_types.get(code="apology")
    for obj in [council, team, team.service_area, issue, remedy]:
        assert superuser_client.get(url(type(obj), "change", obj.pk)).status_code == 200
    procedure = CorporateProcedure.objects.get(council=council)
    assert superuser_client.get(url(CorporateProcedure, "change", procedure.pk)).status_code == 200


def test_adding_a_council_goes_through_council_create(superuser_client, system_administrator):
    response = superuser_client.post(
        url(Council, "add"),
        {"name": "Borough of Exampleton", "slug": "exampleton", "reference_prefix": "csc", **membership_formset()},
    )

    assert response.status_code == 302
    council = Council.objects.get()
    assert council.reference_prefix == "CSC"
    assert council.issue_categories.count() == 13
    assert council.remedy_types.count() == 7
    assert CorporateProcedure.objects.filter(council=council, is_default=True).count() == 1
    event = AuditEvent.objects.get()
    assert (event.event_type, event.acting_user) == (AuditEventType.COUNCIL_CREATED, system_administrator)


def test_adding_a_council_with_members_audits_each(superuser_client, system_administrator):
    member = UserFactory.create(username="new.starter")

    response = superuser_client.post(
        url(Council, "add"),
        {
            "name": "Borough of Exampleton",
            "slug": "exampleton",
            "reference_prefix": "CSC",
            **membership_formset(
                total=1, **{"memberships-0-user": str(member.pk), "memberships-0-role": "complaints_manager"}
            ),
        },
    )

    assert response.status_code == 302
    assert list(Council.objects.get().members.all()) == [member]
    assert CouncilMembership.objects.get(user=member).role == Role.COMPLAINTS_MANAGER
    assert list(AuditEvent.objects.values_list("event_type", flat=True)) == [
        AuditEventType.COUNCIL_CREATED,
        AuditEventType.COUNCIL_MEMBER_ADDED,
    ]


def test_a_council_the_service_refuses_is_a_form_error_and_nothing_is_saved(superuser_client):
    response = superuser_client.post(
        url(Council, "add"),
        {"name": "Borough of Exampleton", "slug": "exampleton", "reference_prefix": "C-S", **membership_formset()},
    )

    assert response.status_code == 200
    assert "Enter a reference prefix of 1 to 10 letters or numbers" in response.content.decode()
    assert not Council.objects.exists()
    assert not IssueCategory.objects.exists()
    assert not AuditEvent.objects.exists()


def test_members_are_added_and_removed_through_the_services(superuser_client, council, complaints_officer):
    membership = CouncilMembership.objects.get(user=complaints_officer)
    newcomer = UserFactory.create(username="new.starter")

    response = superuser_client.post(
        url(Council, "change", council.pk),
        membership_formset(
            total=2,
            initial=1,
            **{
                "memberships-0-id": str(membership.pk),
                "memberships-0-council": str(council.pk),
                "memberships-0-user": str(complaints_officer.pk),
                "memberships-0-role": "complaints_officer",
                "memberships-0-DELETE": "on",
                "memberships-1-council": str(council.pk),
                "memberships-1-user": str(newcomer.pk),
                "memberships-1-role": "report_viewer",
            },
        ),
    )

    assert response.status_code == 302
    assert list(council.members.all()) == [newcomer]
    assert sorted(AuditEvent.objects.values_list("event_type", flat=True)) == [
        AuditEventType.COUNCIL_MEMBER_ADDED,
        AuditEventType.COUNCIL_MEMBER_REMOVED,
    ]
    assert CouncilMembership.objects.get(user=newcomer).role == Role.REPORT_VIEWER


def test_a_members_role_is_changed_through_the_service(superuser_client, council, complaints_officer):
    membership = CouncilMembership.objects.get(user=complaints_officer)

    response = superuser_client.post(
        url(Council, "change", council.pk),
        membership_formset(
            total=1,
            initial=1,
            **{
                "memberships-0-id": str(membership.pk),
                "memberships-0-council": str(council.pk),
                "memberships-0-user": str(complaints_officer.pk),
                "memberships-0-role": "complaints_manager",
            },
        ),
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.COMPLAINTS_MANAGER
    event = AuditEvent.objects.get()
    assert event.event_type == AuditEventType.COUNCIL_MEMBER_ROLE_CHANGED
    assert (event.before, event.after) == ({"role": "complaints_officer"}, {"role": "complaints_manager"})


def test_a_council_cannot_be_deleted_or_renamed_in_the_admin(superuser_client, council):
    assert superuser_client.get(url(Council, "delete", council.pk)).status_code == 403
    superuser_client.post(url(Council, "change", council.pk), {"name": "Renamed", **membership_formset()})
    council.refresh_from_db()
    assert council.name == "Borough of Exampleton"


def test_adding_a_service_area_and_a_team_goes_through_the_services(superuser_client, council, system_administrator):
    response = superuser_client.post(url(ServiceArea, "add"), {"council": council.pk, "name": "Localities"})
    assert response.status_code == 302
    area = ServiceArea.objects.get()

    response = superuser_client.post(
        url(Team, "add"), {"service_area": area.pk, "name": "Assessment Team", "active_from": "2024-04-01"}
    )
    assert response.status_code == 302
    team = Team.objects.get()
    assert (team.council, team.service_area, team.active_from) == (council, area, date(2024, 4, 1))
    assert list(AuditEvent.objects.values_list("event_type", "acting_user")) == [
        (AuditEventType.SERVICE_AREA_CREATED, system_administrator.pk),
        (AuditEventType.TEAM_CREATED, system_administrator.pk),
    ]


def test_a_team_the_service_refuses_is_a_form_error(superuser_client, council):
    area = ServiceAreaFactory.create(council=council, name="Early Help", active_until=date(2023, 3, 31))

    response = superuser_client.post(url(Team, "add"), {"service_area": area.pk, "name": "Family Support"})

    assert response.status_code == 200
    assert "Early Help ended on 31 March 2023. Choose a service area that still exists." in response.content.decode()
    assert not Team.objects.exists()
    assert not AuditEvent.objects.exists()


def test_teams_and_service_areas_are_not_edited_in_place(superuser_client, council):
    team = TeamFactory.create(service_area__council=council, name="Assessment Team")

    superuser_client.post(url(Team, "change", team.pk), {"service_area": team.service_area_id, "name": "Renamed"})

    team.refresh_from_db()
    assert team.name == "Assessment Team"
    assert superuser_client.get(url(Team, "delete", team.pk)).status_code == 403
    assert superuser_client.get(url(ServiceArea, "delete", team.service_area_id)).status_code == 403


def test_a_remedy_types_code_is_read_only_once_saved(superuser_client):
    council = council_with_defaults()
    apology = council.remedy_types.get(code="apology")

    response = superuser_client.post(
        url(RemedyType, "change", apology.pk),
        {"council": council.pk, "code": "sorry", "name": "Apology from a senior manager", "is_active": "on"},
    )

    assert response.status_code == 302
    apology.refresh_from_db()
    assert (apology.code, apology.name) == ("apology", "Apology from a senior manager")


def test_the_corporate_procedure_form_groups_the_stages(superuser_client):
    procedure = CorporateProcedure.objects.get(council=council_with_defaults())
    content = superuser_client.get(url(CorporateProcedure, "change", procedure.pk)).content.decode()
    assert "Stage 1 (working days)" in content
    assert "Stage 2 (working days)" in content


def _procedure_post(procedure, **changes):
    data = {
        "name": procedure.name,
        "is_default": "on" if procedure.is_default else "",
        "stage_count": str(procedure.stage_count),
    }
    for field in (
        "acknowledge_days",
        "stage1_days",
        "stage1_extension_days",
        "stage2_acknowledge_days",
        "stage2_days",
        "stage2_extension_days",
        "escalation_window_days",
    ):
        value = getattr(procedure, field)
        data[field] = "" if value is None else str(value)
    return {**data, **changes}


def test_changing_a_corporate_procedure_saves_the_next_version(superuser_client, system_administrator):
    procedure = CorporateProcedure.objects.get(council=council_with_defaults())

    response = superuser_client.post(
        url(CorporateProcedure, "change", procedure.pk), _procedure_post(procedure, stage1_days="15")
    )

    assert response.status_code == 302
    procedure.refresh_from_db()
    current = CorporateProcedure.objects.get(council=procedure.council, superseded_at__isnull=True)
    assert (procedure.version, procedure.stage1_days, procedure.is_current) == (1, 10, False)
    assert (current.version, current.stage1_days, current.is_default) == (2, 15, True)
    event = AuditEvent.objects.get(event_type=AuditEventType.PROCEDURE_VERSION_CHANGED)
    assert event.acting_user == system_administrator


def test_nonsense_in_the_corporate_procedure_form_is_a_form_error_and_nothing_is_saved(superuser_client):
    procedure = CorporateProcedure.objects.get(council=council_with_defaults())

    response = superuser_client.post(
        url(CorporateProcedure, "change", procedure.pk), _procedure_post(procedure, stage_count="1")
    )

    assert response.status_code == 200
    assert "A one-stage procedure has no stage 2" in response.content.decode()
    assert CorporateProcedure.objects.filter(council=procedure.council).count() == 1


def test_a_replaced_version_is_read_only_and_no_version_is_deleted(superuser_client):
    procedure = CorporateProcedure.objects.get(council=council_with_defaults())
    superuser_client.post(url(CorporateProcedure, "change", procedure.pk), _procedure_post(procedure, stage1_days="15"))

    response = superuser_client.get(url(CorporateProcedure, "change", procedure.pk))
    assert response.status_code == 200
    assert b'name="stage1_days"' not in response.content
    assert superuser_client.post(url(CorporateProcedure, "delete", procedure.pk), {"post": "yes"}).status_code == 403


def test_adding_a_corporate_procedure_goes_through_the_service(superuser_client, council):
    data = _procedure_post(CorporateProcedure(council=council), name="Single stage", stage_count="1")
    data.update(stage2_acknowledge_days="", stage2_days="", stage2_extension_days="", escalation_window_days="")

    response = superuser_client.post(url(CorporateProcedure, "add"), {**data, "council": council.pk})

    assert response.status_code == 302
    added = CorporateProcedure.objects.get(council=council)
    assert (added.version, added.stage_count, added.stage2_days) == (1, 1, None)


def test_changing_local_timescales_saves_the_next_version(superuser_client):
    local = LocalTimescales.objects.get(council=council_with_defaults())

    response = superuser_client.post(
        url(LocalTimescales, "change", local.pk),
        {"adults_acknowledge_days": "3", "adults_response_months": "6", "enquiry_response_days": "5"},
    )

    assert response.status_code == 302
    current = LocalTimescales.objects.get(council=local.council, superseded_at__isnull=True)
    assert (current.version, current.enquiry_response_days) == (2, 5)


def test_adults_timescales_beyond_the_regulations_are_a_form_error(superuser_client):
    local = LocalTimescales.objects.get(council=council_with_defaults())

    response = superuser_client.post(
        url(LocalTimescales, "change", local.pk),
        {"adults_acknowledge_days": "5", "adults_response_months": "6", "enquiry_response_days": "10"},
    )

    assert response.status_code == 200
    assert "the Regulations allow no longer" in response.content.decode()
    assert LocalTimescales.objects.filter(council=local.council).count() == 1
