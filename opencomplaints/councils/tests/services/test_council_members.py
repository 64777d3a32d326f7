"""council_member_add / council_member_role_set / council_member_remove: who holds which role in a council,
always audited."""

import pytest

from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import CouncilMembership, Role
from opencomplaints.councils.services import council_member_add, council_member_remove, council_member_role_set
from opencomplaints.councils.services.councils import MEMBER_ALREADY, MEMBER_NOT, ROLE_UNCHANGED, ROLE_UNKNOWN

pytestmark = pytest.mark.django_db


def test_add_grants_membership_and_is_audited(council, system_administrator):
    user = UserFactory.create(username="new.starter")

    membership = council_member_add(
        council=council, user=user, role=Role.INVESTIGATING_MANAGER, acting_user=system_administrator
    )

    assert membership.council == council
    assert membership.user == user
    assert membership.role == Role.INVESTIGATING_MANAGER
    assert list(council.members.all()) == [user]
    event = AuditEvent.objects.get()
    assert event.event_type == AuditEventType.COUNCIL_MEMBER_ADDED
    assert event.acting_user == system_administrator
    assert event.after == {
        "council": council.pk,
        "user": user.pk,
        "username": "new.starter",
        "role": "investigating_manager",
    }
    assert event.summary == "new.starter added to Borough of Exampleton as investigating manager"


def test_add_refuses_an_unknown_role(council):
    user = UserFactory.create(username="new.starter")

    with pytest.raises(DomainError) as raised:
        council_member_add(council=council, user=user, role="boss", acting_user=None)

    assert raised.value.message == ROLE_UNKNOWN.format(roles=", ".join(Role.values))
    assert raised.value.field == "role"
    assert not CouncilMembership.objects.filter(user=user).exists()
    assert not AuditEvent.objects.exists()


def test_add_twice_is_refused(council, complaints_officer):
    with pytest.raises(DomainError) as raised:
        council_member_add(council=council, user=complaints_officer, role=Role.COMPLAINTS_OFFICER, acting_user=None)

    assert raised.value.message == MEMBER_ALREADY.format(user="officer.ola", council="Borough of Exampleton")
    assert not AuditEvent.objects.exists()


def test_a_member_of_one_council_can_be_added_to_another(other_council, complaints_officer):
    council_member_add(council=other_council, user=complaints_officer, role=Role.REPORT_VIEWER, acting_user=None)

    assert set(complaints_officer.councils.values_list("slug", flat=True)) == {"exampleton", "northby"}
    assert set(complaints_officer.memberships.values_list("council__slug", "role")) == {
        ("exampleton", "complaints_officer"),
        ("northby", "report_viewer"),
    }


def test_role_set_changes_the_role_and_is_audited(council, complaints_officer, complaints_manager):
    membership = council_member_role_set(
        council=council, user=complaints_officer, role=Role.COMPLAINTS_MANAGER, acting_user=complaints_manager
    )

    assert membership.role == Role.COMPLAINTS_MANAGER
    assert CouncilMembership.objects.get(user=complaints_officer).role == Role.COMPLAINTS_MANAGER
    event = AuditEvent.objects.get()
    assert event.event_type == AuditEventType.COUNCIL_MEMBER_ROLE_CHANGED
    assert (event.before, event.after) == ({"role": "complaints_officer"}, {"role": "complaints_manager"})
    assert event.summary == "officer.ola is now complaints manager in Borough of Exampleton"


def test_role_set_to_the_same_role_is_refused(council, complaints_officer):
    with pytest.raises(DomainError) as raised:
        council_member_role_set(council=council, user=complaints_officer, role="complaints_officer", acting_user=None)

    assert raised.value.message == ROLE_UNCHANGED.format(
        user="officer.ola", role="complaints officer", council="Borough of Exampleton"
    )
    assert not AuditEvent.objects.exists()


def test_role_set_for_someone_who_is_not_a_member_is_refused(council, other_council_officer):
    with pytest.raises(DomainError) as raised:
        council_member_role_set(council=council, user=other_council_officer, role="adjudicator", acting_user=None)

    assert raised.value.message == MEMBER_NOT.format(user="officer.noor", council="Borough of Exampleton")


def test_remove_takes_membership_away_and_is_audited(council, complaints_officer, complaints_manager):
    council_member_remove(council=council, user=complaints_officer, acting_user=complaints_manager)

    assert not CouncilMembership.objects.filter(council=council, user=complaints_officer).exists()
    assert complaints_officer.is_active  # The account stays; only its access to this council goes.
    event = AuditEvent.objects.get()
    assert event.event_type == AuditEventType.COUNCIL_MEMBER_REMOVED
    assert event.acting_user == complaints_manager
    assert event.before["username"] == "officer.ola"


def test_removing_someone_who_is_not_a_member_is_refused(council, other_council_officer):
    with pytest.raises(DomainError) as raised:
        council_member_remove(council=council, user=other_council_officer, acting_user=None)

    assert raised.value.message == MEMBER_NOT.format(user="officer.noor", council="Borough of Exampleton")
    assert not AuditEvent.objects.exists()
