"""Who sees which case, which stages and sections of it, and which actions they may use (ADR 0005).

One condition per line, per role. The cases are those of ``access_world``; ``sees`` asks the queryset, the
single-case access function and ``case_permissions`` together, and fails if they ever disagree.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.cases.access import (
    CASE_NOT_FOUND,
    STAGE_NOT_FOUND,
    CouncilPurpose,
    access_case_by_id,
    access_case_for_break_glass,
    access_stage_by_id,
    case_permissions,
    case_queryset_for_user,
    councils_for_purpose,
)
from opencomplaints.cases.models import Case, CaseAccessGrant
from opencomplaints.cases.services import case_break_glass, complaint_withdraw
from opencomplaints.cases.tests.access_world import world_fixture
from opencomplaints.common.errors import NotFoundError
from opencomplaints.councils.models import CouncilMembership, Role
from opencomplaints.councils.tests.factories import CouncilMembershipFactory

pytestmark = pytest.mark.django_db

world = pytest.fixture(scope="module")(world_fixture)


def sees(user, case):
    in_queryset = case_queryset_for_user(user=user).filter(pk=case.pk).exists()
    try:
        found = access_case_by_id(user=user, case_id=case.pk) == case
    except NotFoundError:
        found = False
    permitted = case_permissions(user=user, case=case).visible
    assert in_queryset == found == permitted, (in_queryset, found, permitted)
    return found


def stages_seen(user, case):
    permissions = case_permissions(user=user, case=case)
    return sorted(stage.number for stage in case.stages.all() if permissions.sees_stage(stage))


# -- which cases -----------------------------------------------------------------------------------------------


def test_complaints_manager(world):
    user = world.users["complaints_manager"]
    assert sees(user, world.stage1)
    assert sees(user, world.stage2)
    assert sees(user, world.stage3)
    assert sees(user, world.enquiry)
    assert not sees(user, world.restricted)  # not named on it
    assert not sees(user, world.other)


def test_complaints_officer(world):
    user = world.users["complaints_officer"]
    assert sees(user, world.stage1)
    assert sees(user, world.stage2)
    assert sees(user, world.stage3)
    assert sees(user, world.enquiry)
    assert sees(user, world.restricted)  # named on it
    assert not sees(user, world.other)


def test_investigating_manager_sees_the_cases_they_own(world):
    user = world.users["investigating_manager"]
    assert sees(user, world.stage1)  # its owner
    assert not sees(user, world.stage2)
    assert not sees(user, world.stage3)
    assert not sees(user, world.enquiry)
    assert not sees(user, world.restricted)
    assert not sees(user, world.other)


def test_internal_investigating_officer_sees_the_stages_they_are_named_on(world):
    user = world.users["internal_investigating_officer"]
    assert not sees(user, world.stage2)  # not named on it
    stage = world.stage2.stages.get(number=2)
    stage.investigating_officer = user
    stage.save(update_fields=["investigating_officer"])
    assert sees(user, world.stage2)
    assert stages_seen(user, world.stage2) == [1, 2]  # internal staff see the whole case


def test_external_investigating_officer(world):
    user = world.users["investigating_officer"]
    assert not sees(user, world.stage1)
    assert sees(user, world.stage2)  # appointed, stage 2 open
    assert not sees(user, world.stage3)  # appointed, but stage 2 answered
    assert not sees(user, world.enquiry)
    assert not sees(user, world.restricted)
    assert not sees(user, world.other)


def test_independent_person(world):
    user = world.users["independent_person"]
    assert not sees(user, world.stage1)
    assert sees(user, world.stage2)
    assert not sees(user, world.stage3)
    assert not sees(user, world.enquiry)
    assert not sees(user, world.other)


def test_adjudicator_sees_complaints_at_stage_2_or_3(world):
    user = world.users["adjudicator"]
    assert not sees(user, world.stage1)
    assert sees(user, world.stage2)
    assert sees(user, world.stage3)
    assert not sees(user, world.enquiry)
    assert not sees(user, world.restricted)
    assert not sees(user, world.other)


def test_panel_member(world):
    user = world.users["panel_member"]
    assert not sees(user, world.stage1)
    assert not sees(user, world.stage2)
    assert sees(user, world.stage3)  # on its open panel
    assert not sees(user, world.enquiry)
    assert not sees(user, world.other)


def test_report_viewer_sees_no_case(world):
    user = world.users["report_viewer"]
    for case in (world.stage1, world.stage2, world.stage3, world.enquiry, world.restricted, world.other):
        assert not sees(user, case)


def test_system_administrator_role_sees_no_case(world):
    user = world.users["system_administrator"]  # a superuser holding the system administrator role
    for case in (world.stage1, world.stage2, world.stage3, world.enquiry, world.restricted, world.other):
        assert not sees(user, case)


def test_superuser_without_a_role_sees_no_case(world):
    user = UserFactory.create(is_superuser=True, is_staff=True)
    assert not case_queryset_for_user(user=user).exists()


def test_other_council_officer(world):
    user = world.users["other_council_officer"]
    assert sees(user, world.other)
    assert not sees(user, world.stage1)
    assert not sees(user, world.restricted)


def test_a_role_in_each_council_is_its_own(world):
    user = world.users["report_viewer"]
    CouncilMembershipFactory.create(council=world.other_council, user=user, role=Role.COMPLAINTS_OFFICER)
    assert sees(user, world.other)
    assert not sees(user, world.stage1)


def test_appointees_lose_sight_when_their_stage_ends(world):
    user = world.users["investigating_officer"]
    case = Case.objects.get(pk=world.stage2.pk)  # a copy: the world's is shared
    complaint_withdraw(
        case=case, acting_user=world.users["complaints_manager"], withdrawn_date=case.stages.get(number=2).start_date
    )
    assert not sees(user, case)
    assert not sees(world.users["independent_person"], case)
    assert sees(world.users["adjudicator"], case)  # reached stage 2, so still the director's


def test_inactive_users_see_nothing(world):
    user = User.objects.get(pk=world.users["complaints_officer"].pk)  # a copy: the world's is shared
    user.is_active = False
    user.save()
    assert not sees(user, world.stage1)


@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_anonymous_sees_nothing(world, user):
    assert not sees(user, world.stage1)
    assert not case_queryset_for_user(user=user).exists()


# -- not found, whatever the reason ----------------------------------------------------------------------------


def _not_found(user, case_id):
    with pytest.raises(NotFoundError) as error:
        access_case_by_id(user=user, case_id=case_id)
    return type(error.value), error.value.message, error.value.code, error.value.field


def test_missing_hidden_and_restricted_cases_look_the_same(world):
    user = world.users["complaints_manager"]
    hidden = _not_found(user, world.other.pk)
    restricted = _not_found(user, world.restricted.pk)
    missing = _not_found(user, world.other.pk + 1000)
    nonsense = _not_found(user, "1 OR 1=1")
    assert hidden == restricted == missing == nonsense == (NotFoundError, CASE_NOT_FOUND, "not_found", None)


def test_access_is_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        case = access_case_by_id(user=world.users["complaints_officer"], case_id=world.stage1.pk)
        assert case.council.name == "Borough of Exampleton"


# -- stages ----------------------------------------------------------------------------------------------------


def test_external_appointees_see_only_their_stage(world):
    assert stages_seen(world.users["investigating_officer"], world.stage2) == [2]
    assert stages_seen(world.users["independent_person"], world.stage2) == [2]


def test_the_panel_sees_stages_2_and_3(world):
    assert stages_seen(world.users["panel_member"], world.stage3) == [2, 3]


def test_the_complaints_team_sees_every_stage(world):
    assert stages_seen(world.users["complaints_officer"], world.stage3) == [1, 2, 3]
    assert stages_seen(world.users["adjudicator"], world.stage3) == [1, 2, 3]


def test_stage_access_follows_role_and_case(world):
    stage1 = world.stage2.stages.get(number=1)
    stage2 = world.stage2.stages.get(number=2)
    assert access_stage_by_id(user=world.users["investigating_officer"], stage_id=stage2.pk) == stage2
    assert access_stage_by_id(user=world.users["complaints_officer"], stage_id=stage1.pk) == stage1
    for user, stage_id in (
        (world.users["investigating_officer"], stage1.pk),  # the case, but not that stage
        (world.users["other_council_officer"], stage2.pk),
        (world.users["complaints_officer"], stage2.pk + 1000),
        (None, stage2.pk),
    ):
        with pytest.raises(NotFoundError) as error:
            access_stage_by_id(user=user, stage_id=stage_id)
        assert error.value.message == STAGE_NOT_FOUND


# -- sections and actions --------------------------------------------------------------------------------------


def test_whole_case_sections(world):
    assert case_permissions(user=world.users["complaints_officer"], case=world.stage2).sees_whole_case
    assert case_permissions(user=world.users["investigating_manager"], case=world.stage1).sees_whole_case
    assert case_permissions(user=world.users["adjudicator"], case=world.stage2).sees_whole_case
    assert not case_permissions(user=world.users["investigating_officer"], case=world.stage2).sees_whole_case
    assert not case_permissions(user=world.users["independent_person"], case=world.stage2).sees_whole_case
    assert not case_permissions(user=world.users["panel_member"], case=world.stage3).sees_whole_case


def test_actions_by_role(world):
    manager = case_permissions(user=world.users["complaints_manager"], case=world.stage2)
    officer = case_permissions(user=world.users["complaints_officer"], case=world.stage2)
    owner = case_permissions(user=world.users["investigating_manager"], case=world.stage1)
    external = case_permissions(user=world.users["investigating_officer"], case=world.stage2)
    director = case_permissions(user=world.users["adjudicator"], case=world.stage2)
    panel = case_permissions(user=world.users["panel_member"], case=world.stage3)
    assert manager.allows("stage2-appoint")
    assert manager.allows("case-restrict")
    assert manager.allows("case-access-log")
    assert officer.allows("stage2-appoint")
    assert officer.allows("case-support")  # any casework action, present or future
    assert not officer.allows("case-restrict")
    assert not officer.allows("case-access-log")
    assert owner.allows("stage-respond")
    assert owner.allows("document-upload")
    assert not owner.allows("complaint-close")
    assert not owner.allows("stage2-appoint")
    assert external.allows("document-upload")
    assert external.allows("document-download")
    assert not external.allows("stage2-report")
    assert not external.allows("remedy-propose")
    assert director.allows("stage2-adjudicate")
    assert director.allows("stage3-respond")
    assert not director.allows("stage2-appoint")
    assert panel.allows("case-detail")
    assert not panel.allows("stage3-report")


def test_nothing_is_allowed_on_a_case_not_seen(world):
    permissions = case_permissions(user=world.users["investigating_officer"], case=world.stage1)
    assert not permissions.visible
    assert not permissions.allows("case-detail")
    assert not permissions.sees_stage(world.stage1.stages.get())


# -- restricted cases and emergency access ---------------------------------------------------------------------


def test_a_named_person_sees_a_restricted_case_only_as_their_role_allows(world):
    grant = CaseAccessGrant.objects.create(
        case=world.restricted,
        user=world.users["report_viewer"],
        granted_by=world.users["second_manager"],
        granted_at=timezone.now(),
        reason="Wrongly named",
    )
    assert grant.pk
    assert not sees(world.users["report_viewer"], world.restricted)


def test_a_revoked_or_expired_grant_gives_nothing(world):
    officer = world.users["complaints_officer"]
    grant = world.restricted.access_grants.get(user=officer)
    grant.revoked_at = timezone.now()
    grant.save()
    assert not sees(officer, world.restricted)


def test_break_glass_is_offered_only_to_a_manager_of_the_council_not_named(world):
    manager = world.users["complaints_manager"]
    assert access_case_for_break_glass(user=manager, case_id=world.restricted.pk) == world.restricted
    for user, case in (
        (world.users["complaints_officer"], world.restricted),  # not a manager
        (world.users["second_manager"], world.restricted),  # already named
        (manager, world.stage1),  # not restricted
        (manager, world.other),
        (None, world.restricted),
    ):
        with pytest.raises(NotFoundError):
            access_case_for_break_glass(user=user, case_id=case.pk)


def test_break_glass_access_ends_by_itself(world):
    manager = world.users["complaints_manager"]
    case = Case.objects.get(pk=world.restricted.pk)
    grant = case_break_glass(case=case, acting_user=manager, reason="Ombudsman deadline today")
    assert sees(manager, world.restricted)
    assert grant.expires_at is not None
    later = grant.expires_at + timedelta(seconds=1)
    assert not case_queryset_for_user(user=manager, now=later).filter(pk=world.restricted.pk).exists()
    assert not case_permissions(user=manager, case=world.restricted, now=later).visible
    assert case_permissions(user=manager, case=world.restricted).break_glass_until == grant.expires_at


# -- council-wide purposes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "purposes"),
    [
        (
            "complaints_manager",
            {
                "cases",
                "ombudsman",
                "register",
                "reports",
                "interchange",
                "learning",
                "letters",
                "allocate",
                "remedies",
                "contacts",
            },
        ),
        ("complaints_officer", {"cases", "ombudsman", "register", "reports", "learning", "allocate", "remedies"}),
        ("investigating_manager", {"cases", "ombudsman", "learning"}),
        ("investigating_officer", {"cases"}),
        ("independent_person", {"cases"}),
        ("adjudicator", {"cases", "reports", "learning"}),
        ("panel_member", {"cases"}),
        ("report_viewer", {"reports"}),
        ("system_administrator", {"letters", "contacts"}),
    ],
)
def test_council_purposes_by_role(world, persona, purposes):
    user = world.users[persona]
    allowed = {p.value for p in CouncilPurpose if councils_for_purpose(user=user, purpose=p).exists()}
    assert allowed == purposes


def test_these_tests_cover_every_role(world):
    # A role added to councils.Role needs its line in the tests above (and its decision in cases.access).
    covered = set(CouncilMembership.objects.filter(council=world.council).values_list("role", flat=True))
    assert covered == set(Role.values)
