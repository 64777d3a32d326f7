"""A system administrator cannot give themselves a role that sees case content (issue 19, docs/security.md): the
grant becomes a request, the other administrators are alerted, and a second administrator approves or refuses it;
the same through the services, the role requests page, the admin and the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import CouncilMembership, Role, RoleRequest
from opencomplaints.councils.services import council_member_add, council_member_role_set
from opencomplaints.councils.services.councils import SELF_GRANT, SelfGrantRefused
from opencomplaints.councils.services.role_requests import (
    NOT_DECIDER,
    NOT_ONLY,
    OWN_REQUEST,
    role_grant_by_only_administrator,
    role_request_approve,
    role_request_create,
    role_request_refuse,
)
from opencomplaints.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_one(db):
    return UserFactory.create(username="admin.one", email="one@example.gov.uk", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_two(db):
    return UserFactory.create(username="admin.two", email="two@example.gov.uk", is_staff=True, is_superuser=True)


def _events(event_type):
    return AuditEvent.objects.filter(event_type=event_type)


# -- the rule in the services ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER, Role.PANEL_MEMBER])
def test_a_system_administrator_cannot_give_themselves_a_case_content_role(council, admin_one, role):
    with pytest.raises(SelfGrantRefused) as refused:
        council_member_add(council=council, user=admin_one, role=role, acting_user=admin_one)
    assert refused.value.message == SELF_GRANT
    assert not CouncilMembership.objects.filter(user=admin_one).exists()


def test_nor_change_their_own_role_to_one(council, admin_one):
    council_member_add(council=council, user=admin_one, role=Role.REPORT_VIEWER, acting_user=admin_one)
    with pytest.raises(SelfGrantRefused):
        council_member_role_set(council=council, user=admin_one, role=Role.ADJUDICATOR, acting_user=admin_one)
    assert CouncilMembership.objects.get(user=admin_one).role == Role.REPORT_VIEWER


def test_a_council_s_system_administrator_role_counts_as_an_administrator(council):
    holder = UserFactory.create(username="config.cat")
    CouncilMembership.objects.create(council=council, user=holder, role=Role.SYSTEM_ADMINISTRATOR)
    with pytest.raises(SelfGrantRefused):
        council_member_role_set(council=council, user=holder, role=Role.COMPLAINTS_MANAGER, acting_user=holder)


def test_another_administrator_may_give_it_and_anyone_may_take_aggregate_roles(council, admin_one, admin_two):
    council_member_add(council=council, user=admin_one, role=Role.REPORT_VIEWER, acting_user=admin_one)
    council_member_role_set(council=council, user=admin_one, role=Role.COMPLAINTS_MANAGER, acting_user=admin_two)
    assert CouncilMembership.objects.get(user=admin_one).role == Role.COMPLAINTS_MANAGER


# -- requests ---------------------------------------------------------------------------------------------------


def test_a_request_is_audited_and_alerts_the_other_administrators(council, admin_one, admin_two):
    request = role_request_create(
        council=council, role=Role.COMPLAINTS_MANAGER, reason="Cover while the manager is away", acting_user=admin_one
    )
    assert request.status == RoleRequest.Status.PENDING
    assert _events(AuditEventType.ROLE_GRANT_REQUESTED).get().acting_user == admin_one
    alerts = Message.objects.filter(template_key="role_request")
    assert list(alerts.values_list("recipient", flat=True)) == ["two@example.gov.uk"]
    assert "admin.one" in alerts.get().body or admin_one.get_full_name() in alerts.get().body
    assert "/role-requests/" in alerts.get().body
    assert not CouncilMembership.objects.filter(user=admin_one).exists()


def test_a_second_administrator_approves_it_and_the_role_is_given_in_their_name(council, admin_one, admin_two):
    request = role_request_create(council=council, role=Role.COMPLAINTS_OFFICER, reason="Audit", acting_user=admin_one)
    approved = role_request_approve(role_request=request, acting_user=admin_two, now=timezone.now())
    assert (approved.status, approved.decided_by) == (RoleRequest.Status.APPROVED, admin_two)
    assert CouncilMembership.objects.get(user=admin_one).role == Role.COMPLAINTS_OFFICER
    assert _events(AuditEventType.ROLE_GRANT_APPROVED).get().acting_user == admin_two
    assert _events(AuditEventType.COUNCIL_MEMBER_ADDED).get().acting_user == admin_two


def test_the_requester_cannot_approve_or_refuse_their_own_request(council, admin_one, admin_two):
    request = role_request_create(council=council, role=Role.ADJUDICATOR, reason="Panel cover", acting_user=admin_one)
    with pytest.raises(DomainError) as approving:
        role_request_approve(role_request=request, acting_user=admin_one, now=timezone.now())
    assert approving.value.message == OWN_REQUEST
    with pytest.raises(DomainError):
        role_request_refuse(role_request=request, acting_user=admin_one, note="", now=timezone.now())
    request.refresh_from_db()
    assert request.status == RoleRequest.Status.PENDING
    assert not CouncilMembership.objects.filter(user=admin_one).exists()


def test_someone_not_an_administrator_cannot_decide(council, admin_one, complaints_manager):
    request = role_request_create(council=council, role=Role.ADJUDICATOR, reason="Panel cover", acting_user=admin_one)
    with pytest.raises(DomainError) as refused:
        role_request_approve(role_request=request, acting_user=complaints_manager, now=timezone.now())
    assert refused.value.message == NOT_DECIDER


def test_a_refusal_gives_nothing_and_a_decided_request_stays_decided(council, admin_one, admin_two):
    request = role_request_create(council=council, role=Role.ADJUDICATOR, reason="Panel cover", acting_user=admin_one)
    now = timezone.now()
    refused = role_request_refuse(role_request=request, acting_user=admin_two, note="Ask the manager", now=now)
    assert (refused.status, refused.decision_note) == (RoleRequest.Status.REFUSED, "Ask the manager")
    assert _events(AuditEventType.ROLE_GRANT_REFUSED).count() == 1
    with pytest.raises(DomainError, match="already been refused"):
        role_request_approve(role_request=request, acting_user=admin_two, now=timezone.now())
    assert not CouncilMembership.objects.filter(user=admin_one).exists()


def test_only_administrators_ask_and_only_for_case_content_roles_with_a_reason(council, admin_one, complaints_officer):
    with pytest.raises(DomainError, match="Only a system administrator"):
        role_request_create(council=council, role=Role.ADJUDICATOR, reason="x", acting_user=complaints_officer)
    with pytest.raises(DomainError, match="does not see case content"):
        role_request_create(council=council, role=Role.REPORT_VIEWER, reason="x", acting_user=admin_one)
    with pytest.raises(DomainError, match="Say why"):
        role_request_create(council=council, role=Role.ADJUDICATOR, reason="  ", acting_user=admin_one)
    role_request_create(council=council, role=Role.ADJUDICATOR, reason="Cover", acting_user=admin_one)
    with pytest.raises(DomainError, match="already asked"):
        role_request_create(council=council, role=Role.PANEL_MEMBER, reason="Cover", acting_user=admin_one)


def test_the_database_refuses_a_decision_by_the_requester(council, admin_one):
    request = role_request_create(council=council, role=Role.ADJUDICATOR, reason="Cover", acting_user=admin_one)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleRequest.objects.filter(pk=request.pk).update(
            status=RoleRequest.Status.APPROVED, decided_by=admin_one, decided_at=timezone.now()
        )


# -- the only administrator ---------------------------------------------------------------------------------------


def test_the_only_administrator_is_given_it_on_the_server_audited(council, admin_one):
    role_grant_by_only_administrator(council=council, user=admin_one, role=Role.COMPLAINTS_MANAGER, reason="Go live")
    assert CouncilMembership.objects.get(user=admin_one).role == Role.COMPLAINTS_MANAGER
    assert _events(AuditEventType.ROLE_GRANTED_ON_SERVER).get().acting_user == admin_one


def test_with_a_second_administrator_the_server_route_is_refused(council, admin_one, admin_two):
    with pytest.raises(DomainError) as refused:
        role_grant_by_only_administrator(council=council, user=admin_one, role=Role.COMPLAINTS_MANAGER, reason="x")
    assert refused.value.message == NOT_ONLY.format(count=2)
    assert not CouncilMembership.objects.filter(user=admin_one).exists()


# -- the command line -------------------------------------------------------------------------------------------


def _add_member(*args):
    out = StringIO()
    call_command("council", "add-member", "--council", "exampleton", *args, stdout=out)
    return out.getvalue()


def test_the_command_turns_an_administrator_s_self_grant_into_a_request(council, admin_one, admin_two):
    said = _add_member("--username", "admin.one", "--role", "complaints_manager", "--acting-user", "admin.one",
                       "--reason", "Cover")  # fmt: skip
    assert "has asked to be complaints manager" in said
    assert RoleRequest.objects.get().user == admin_one
    assert not CouncilMembership.objects.filter(user=admin_one).exists()


def test_the_command_refuses_an_administrator_s_grant_without_someone_to_give_it(council, admin_one, admin_two):
    with pytest.raises(CommandError, match="a second system administrator must give it"):
        _add_member("--username", "admin.one", "--role", "complaints_manager")
    with pytest.raises(CommandError, match="This installation has 2 system administrators"):
        _add_member("--username", "admin.one", "--role", "complaints_manager", "--only-administrator", "--reason", "x")
    assert not CouncilMembership.objects.filter(user=admin_one).exists()
    # A second administrator giving it, named as such, may.
    _add_member("--username", "admin.one", "--role", "complaints_manager", "--acting-user", "admin.two")
    assert CouncilMembership.objects.get(user=admin_one).role == Role.COMPLAINTS_MANAGER


def test_the_command_gives_the_only_administrator_the_role_on_the_server(council, admin_one):
    said = _add_member("--username", "admin.one", "--role", "complaints_manager", "--only-administrator",
                       "--reason", "Go live")  # fmt: skip
    assert "is now complaints manager" in said
    assert _events(AuditEventType.ROLE_GRANTED_ON_SERVER).count() == 1


# -- the admin and the page -------------------------------------------------------------------------------------


def test_a_self_grant_in_the_admin_becomes_a_request(client, council, admin_one, admin_two):
    client.force_login(admin_one)
    response = client.post(
        reverse("admin:councils_council_change", args=[council.pk]),
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": str(admin_one.pk),
            "memberships-0-role": "complaints_manager",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert b"You cannot give yourself a role that sees case content" in response.content
    assert not CouncilMembership.objects.filter(user=admin_one).exists()
    assert RoleRequest.objects.get().status == RoleRequest.Status.PENDING


def test_the_page_is_for_administrators_only(client, complaints_manager):
    client.force_login(complaints_manager)
    assert client.get(reverse("web:role-requests")).status_code == 403
    assert client.post(reverse("web:role-request-decide", args=[1]), {"decision": "approve"}).status_code == 403


def test_on_the_page_one_administrator_asks_and_another_approves(client, council, admin_one, admin_two):
    client.force_login(admin_one)
    page = client.get(reverse("web:role-requests"))
    assert b"Ask for a role" in page.content
    missing = client.post(reverse("web:role-requests"), {"council": council.pk, "role": "complaints_manager"})
    assert missing.status_code == 400
    assert b"Say why you need this role" in missing.content
    asked = client.post(
        reverse("web:role-requests"), {"council": council.pk, "role": "complaints_manager", "reason": "Cover"}
    )
    assert asked.status_code == 302
    request = RoleRequest.objects.get()
    own = client.post(reverse("web:role-request-decide", args=[request.pk]), {"decision": "approve"}, follow=True)
    assert OWN_REQUEST.encode() in own.content.replace(b"&#x27;", b"'")
    assert not CouncilMembership.objects.filter(user=admin_one).exists()
    client.force_login(admin_two)
    waiting = client.get(reverse("web:role-requests"))
    assert b"asks to be complaints manager in Borough of Exampleton" in waiting.content
    client.post(reverse("web:role-request-decide", args=[request.pk]), {"decision": "approve"})
    assert CouncilMembership.objects.get(user=admin_one).role == Role.COMPLAINTS_MANAGER


def test_the_only_administrator_is_told_how_the_role_can_be_given(client, admin_one):
    client.force_login(admin_one)
    assert b"--only-administrator" in client.get(reverse("web:role-requests")).content
