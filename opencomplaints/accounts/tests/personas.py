"""Named role personas, one per role, shared by every test (``complaints_manager``, ``other_council_officer`` …).

Each persona holds one role (``councils.models.Role``) in the Borough of Exampleton, except
``other_council_officer``, who works for Northby. What each role sees is decided in ``opencomplaints.cases.access``
(docs/adr/0005-roles-and-access.md). Names are synthetic.
"""

import pytest

from opencomplaints.accounts.models import User
from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.councils.models import Council, Role
from opencomplaints.councils.tests.factories import CouncilFactory, CouncilMembershipFactory


@pytest.fixture
def council(db: None) -> Council:
    return CouncilFactory.create(name="Borough of Exampleton", slug="exampleton", reference_prefix="CSC")


@pytest.fixture
def other_council(db: None) -> Council:
    return CouncilFactory.create(name="Northby District Council", slug="northby", reference_prefix="NBY")


def member(council: Council, username: str, first: str, last: str, role: Role, **extra: object) -> User:
    """A user with ``role`` in ``council`` (a membership made directly, so no audit event is recorded)."""
    user = UserFactory.create(username=username, first_name=first, last_name=last, **extra)
    CouncilMembershipFactory.create(council=council, user=user, role=role)
    return user


# name: (username, first name, last name, role, job title); each a fixture of that name, in the Borough of
# Exampleton except ``other_council_officer``, who works for Northby.
PERSONAS: dict[str, tuple[str, str, str, Role, str]] = {
    "complaints_manager": ("manager.mo", "Morgan", "Okafor", Role.COMPLAINTS_MANAGER, "Complaints manager"),
    "complaints_officer": ("officer.ola", "Ola", "Pennington", Role.COMPLAINTS_OFFICER, "Complaints officer"),
    # A team manager who answers the stage 1 complaints assigned to them (as the case's owner).
    "investigating_manager": ("im.imani", "Imani", "Crowther", Role.INVESTIGATING_MANAGER, "Team manager, Assessment"),
    # A council officer appointed to investigate at stage 2: sees the cases assigned to them, as any investigating
    # manager does.
    "internal_investigating_officer": (
        "io.isla",
        "Isla",
        "Marston",
        Role.INVESTIGATING_MANAGER,
        "Investigating officer (internal)",
    ),
    # An external investigating officer (R1.25): sees only the stage 2 they are appointed to, while it is open.
    "investigating_officer": (
        "io.indira",
        "Indira",
        "Vale",
        Role.INVESTIGATING_OFFICER,
        "Investigating officer (external)",
    ),
    "independent_person": ("ip.ivo", "Ivo", "Hartfield", Role.INDEPENDENT_PERSON, "Independent person"),
    "adjudicator": ("director.dee", "Dee", "Ashcombe", Role.ADJUDICATOR, "Director of Children's Services"),
    "report_viewer": ("analyst.ren", "Ren", "Oduya", Role.REPORT_VIEWER, "Performance analyst"),
    "other_council_officer": ("officer.noor", "Noor", "Blakeley", Role.COMPLAINTS_OFFICER, "Complaints officer"),
}
PANEL = (
    ("panel.pat", "Pat", "Rowntree", "Panel chair"),
    ("panel.quinn", "Quinn", "Selby", "Panel member"),
    ("panel.robin", "Robin", "Tansley", "Panel member"),
)


def persona(name: str, council: Council) -> User:
    """The persona called ``name`` (a key of ``PERSONAS``), a member of ``council``."""
    username, first, last, role, job_title = PERSONAS[name]
    extra: dict[str, object] = {"is_staff": True} if role == Role.COMPLAINTS_MANAGER else {}
    return member(council, username, first, last, role, job_title=job_title, **extra)


def panel(council: Council) -> list[User]:
    return [member(council, u, first, last, Role.PANEL_MEMBER, job_title=title) for u, first, last, title in PANEL]


def superuser() -> User:
    """A superuser, for configuration: the admin site, but no case content (a superuser sees cases only through a
    council role, like anyone else)."""
    return UserFactory.create(
        username="admin.sam",
        first_name="Sam",
        last_name="Whitlow",
        job_title="System administrator",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def complaints_manager(council: Council) -> User:
    return persona("complaints_manager", council)


@pytest.fixture
def complaints_officer(council: Council) -> User:
    return persona("complaints_officer", council)


@pytest.fixture
def investigating_manager(council: Council) -> User:
    return persona("investigating_manager", council)


@pytest.fixture
def internal_investigating_officer(council: Council) -> User:
    return persona("internal_investigating_officer", council)


@pytest.fixture
def investigating_officer(council: Council) -> User:
    return persona("investigating_officer", council)


@pytest.fixture
def independent_person(council: Council) -> User:
    return persona("independent_person", council)


@pytest.fixture
def adjudicator(council: Council) -> User:
    return persona("adjudicator", council)


@pytest.fixture
def panel_members(council: Council) -> list[User]:
    return panel(council)


@pytest.fixture
def report_viewer(council: Council) -> User:
    return persona("report_viewer", council)


@pytest.fixture
def other_council_officer(other_council: Council) -> User:
    return persona("other_council_officer", other_council)


@pytest.fixture
def system_administrator(db: None) -> User:
    return superuser()
