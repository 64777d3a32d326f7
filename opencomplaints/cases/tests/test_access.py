"""Access to case data: one council's staff never see another's, and "not found" never reveals which it was."""

import pytest
from django.contrib.auth.models import AnonymousUser

from opencomplaints.cases.access import (
    CASE_NOT_FOUND,
    STAGE_NOT_FOUND,
    access_case_by_id,
    access_stage_by_id,
    case_queryset_for_user,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.common.errors import NotFoundError


@pytest.fixture
def theirs(other_council, other_council_officer):
    return f.accepted(other_council, other_council_officer)


def _not_found(user, case_id):
    with pytest.raises(NotFoundError) as error:
        access_case_by_id(user=user, case_id=case_id)
    return type(error.value), error.value.message, error.value.code, error.value.field


def test_member_sees_their_councils_case(complaint, complaints_officer):
    assert access_case_by_id(user=complaints_officer, case_id=complaint.pk) == complaint
    assert access_case_by_id(user=complaints_officer, case_id=str(complaint.pk)) == complaint


def test_other_councils_case_is_not_found(complaint, other_council_officer):
    assert _not_found(other_council_officer, complaint.pk) == (NotFoundError, CASE_NOT_FOUND, "not_found", None)


def test_missing_and_hidden_cases_look_the_same(complaint, other_council_officer):
    hidden = _not_found(other_council_officer, complaint.pk)
    missing = _not_found(other_council_officer, complaint.pk + 1000)
    nonsense = _not_found(other_council_officer, "1 OR 1=1")

    assert hidden == missing == nonsense


def test_superuser_sees_every_council(complaint, theirs, system_administrator):
    assert access_case_by_id(user=system_administrator, case_id=theirs.pk) == theirs
    assert set(case_queryset_for_user(user=system_administrator)) == {complaint, theirs}


def test_inactive_member_sees_nothing(complaint, complaints_officer):
    complaints_officer.is_active = False
    complaints_officer.save()

    assert _not_found(complaints_officer, complaint.pk)[1] == CASE_NOT_FOUND
    assert not case_queryset_for_user(user=complaints_officer).exists()


def test_inactive_superuser_sees_nothing(complaint, system_administrator):
    system_administrator.is_active = False
    system_administrator.save()

    assert _not_found(system_administrator, complaint.pk)[1] == CASE_NOT_FOUND


@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_anonymous_sees_nothing(complaint, user):
    assert _not_found(user, complaint.pk)[1] == CASE_NOT_FOUND
    assert not case_queryset_for_user(user=user).exists()


def test_user_of_no_council_sees_nothing(complaint):
    from opencomplaints.accounts.tests.factories import UserFactory

    assert not case_queryset_for_user(user=UserFactory.create()).exists()


def test_queryset_is_limited_to_the_users_councils(complaint, theirs, complaints_officer, other_council_officer):
    assert list(case_queryset_for_user(user=complaints_officer)) == [complaint]
    assert list(case_queryset_for_user(user=other_council_officer)) == [theirs]


def test_member_of_two_councils_sees_both(complaint, theirs, complaints_officer, other_council):
    from opencomplaints.councils.tests.factories import CouncilMembershipFactory

    CouncilMembershipFactory.create(council=other_council, user=complaints_officer)

    assert set(case_queryset_for_user(user=complaints_officer)) == {complaint, theirs}


def test_access_is_one_query(complaint, complaints_officer, django_assert_num_queries):
    with django_assert_num_queries(1):
        case = access_case_by_id(user=complaints_officer, case_id=complaint.pk)
        assert case.council.name == "Borough of Exampleton"


def test_stage_access_follows_its_case(stage1, complaints_officer, other_council_officer, system_administrator):
    assert access_stage_by_id(user=complaints_officer, stage_id=stage1.pk) == stage1
    assert access_stage_by_id(user=system_administrator, stage_id=stage1.pk) == stage1
    for user, stage_id in (
        (other_council_officer, stage1.pk),
        (complaints_officer, stage1.pk + 1000),
        (None, stage1.pk),
    ):
        with pytest.raises(NotFoundError) as error:
            access_stage_by_id(user=user, stage_id=stage_id)
        assert error.value.message == STAGE_NOT_FOUND
