"""councils_for_user and council_for_command."""

import pytest
from django.contrib.auth.models import AnonymousUser

from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.selectors import (
    COUNCIL_NOT_FOUND,
    NO_COUNCILS,
    SEVERAL_COUNCILS,
    council_for_command,
    councils_for_user,
)
from opencomplaints.councils.tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db

BOTH = "exampleton (Borough of Exampleton), northby (Northby District Council)"


class TestCouncilsForUser:
    def test_a_member_sees_their_council_only(self, council, other_council, complaints_officer):
        assert list(councils_for_user(user=complaints_officer)) == [council]

    def test_a_member_of_two_councils_sees_both_once(self, council, other_council, complaints_officer):
        other_council.memberships.create(user=complaints_officer)
        assert list(councils_for_user(user=complaints_officer)) == [council, other_council]

    def test_someone_in_no_council_sees_none(self, council):
        assert not councils_for_user(user=UserFactory.create()).exists()

    def test_a_superuser_sees_every_council(self, council, other_council, system_administrator):
        assert list(councils_for_user(user=system_administrator)) == [council, other_council]

    def test_an_anonymous_visitor_sees_none(self, council):
        assert not councils_for_user(user=AnonymousUser()).exists()

    def test_a_deactivated_account_sees_none(self, council, complaints_officer):
        complaints_officer.is_active = False
        complaints_officer.save(update_fields=["is_active"])
        assert not councils_for_user(user=complaints_officer).exists()


class TestCouncilForCommand:
    def test_with_one_council_and_no_slug_it_is_that_council(self, council):
        assert council_for_command(slug=None) == council
        assert council_for_command(slug="") == council

    def test_with_none_the_error_says_to_create_one(self):
        with pytest.raises(DomainError) as raised:
            council_for_command(slug=None)
        assert raised.value.message == NO_COUNCILS
        assert "opencomplaints council create --name NAME --slug SLUG --prefix PREFIX" in NO_COUNCILS

    def test_with_none_a_slug_gets_the_same_advice(self):
        with pytest.raises(DomainError, match="There are no councils yet"):
            council_for_command(slug="exampleton")

    def test_with_several_and_no_slug_the_error_lists_them(self, council, other_council):
        with pytest.raises(DomainError) as raised:
            council_for_command(slug=None)
        assert raised.value.message == SEVERAL_COUNCILS.format(councils=BOTH)
        assert raised.value.field == "council"

    def test_with_several_the_slug_chooses(self, council, other_council):
        assert council_for_command(slug="northby") == other_council
        assert council_for_command(slug=" exampleton ") == council

    def test_an_unknown_slug_lists_the_councils(self, council, other_council):
        with pytest.raises(DomainError) as raised:
            council_for_command(slug="southby")
        assert raised.value.message == COUNCIL_NOT_FOUND.format(slug="southby", councils=BOTH)

    def test_councils_are_listed_by_slug(self):
        CouncilFactory.create(name="Aardvark Borough", slug="zed")
        CouncilFactory.create(name="Zebra County", slug="alpha")
        with pytest.raises(DomainError, match=r"alpha \(Zebra County\), zed \(Aardvark Borough\)\.$"):
            council_for_command(slug=None)
