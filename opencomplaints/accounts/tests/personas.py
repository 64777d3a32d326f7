"""Named role personas, one per role, shared by every test (``complaints_manager``, ``other_council_officer`` …).

The security work gives each persona its role; until then they differ by the council they belong to.
Names are synthetic.
"""

import pytest

from opencomplaints.accounts.models import User
from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.councils.models import Council
from opencomplaints.councils.tests.factories import CouncilFactory, CouncilMembershipFactory


@pytest.fixture
def council(db: None) -> Council:
    return CouncilFactory.create(name="Borough of Exampleton", slug="exampleton", reference_prefix="CSC")


@pytest.fixture
def other_council(db: None) -> Council:
    return CouncilFactory.create(name="Northby District Council", slug="northby", reference_prefix="NBY")


def _member(council: Council, username: str, first: str, last: str, **extra: object) -> User:
    user = UserFactory.create(username=username, first_name=first, last_name=last, **extra)
    CouncilMembershipFactory.create(council=council, user=user)
    return user


@pytest.fixture
def complaints_manager(council: Council) -> User:
    return _member(council, "manager.mo", "Morgan", "Okafor", job_title="Complaints manager", is_staff=True)


@pytest.fixture
def complaints_officer(council: Council) -> User:
    return _member(council, "officer.ola", "Ola", "Pennington", job_title="Complaints officer")


@pytest.fixture
def investigating_officer(council: Council) -> User:
    return _member(council, "io.indira", "Indira", "Vale", job_title="Investigating officer")


@pytest.fixture
def independent_person(council: Council) -> User:
    return _member(council, "ip.ivo", "Ivo", "Hartfield", job_title="Independent person")


@pytest.fixture
def adjudicator(council: Council) -> User:
    return _member(council, "director.dee", "Dee", "Ashcombe", job_title="Director of Children's Services")


@pytest.fixture
def panel_members(council: Council) -> list[User]:
    return [
        _member(council, "panel.pat", "Pat", "Rowntree", job_title="Panel chair"),
        _member(council, "panel.quinn", "Quinn", "Selby", job_title="Panel member"),
        _member(council, "panel.robin", "Robin", "Tansley", job_title="Panel member"),
    ]


@pytest.fixture
def other_council_officer(other_council: Council) -> User:
    return _member(other_council, "officer.noor", "Noor", "Blakeley", job_title="Complaints officer")


@pytest.fixture
def system_administrator(db: None) -> User:
    return UserFactory.create(
        username="admin.sam", first_name="Sam", last_name="Whitlow", is_staff=True, is_superuser=True
    )
