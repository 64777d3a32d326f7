"""Fixtures for the case tests: a complaint received on Thursday 26 May 2022 at each point of the procedure."""

import pytest

from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import (
    IssueCategoryFactory,
    RemedyTypeFactory,
    ServiceAreaFactory,
    TeamFactory,
)


@pytest.fixture
def complaint(council, complaints_manager):
    """Accepted, at stage 1, received Thursday 26 May 2022 (due Monday 13 June)."""
    return f.accepted(council, complaints_manager)


@pytest.fixture
def stage1(complaint):
    return f.stage(complaint, 1)


@pytest.fixture
def stage2(council, complaints_manager):
    """Stage 1 answered on 10 June 2022, stage 2 asked for on 20 June."""
    return f.at_stage2(council, complaints_manager)


@pytest.fixture
def stage3(council, complaints_manager, investigating_officer, independent_person, adjudicator):
    """Stage 2 adjudicated on 5 August 2022, stage 3 asked for on 15 August."""
    return f.at_stage3(
        council,
        complaints_manager,
        investigating_officer=investigating_officer,
        independent_person=independent_person,
        adjudicator=adjudicator,
    )


@pytest.fixture
def team(council):
    return TeamFactory.create(
        service_area=ServiceAreaFactory.create(council=council, name="Localities"), name="Assessment East"
    )


@pytest.fixture
def other_team(other_council):
    return TeamFactory.create(
        service_area=ServiceAreaFactory.create(council=other_council, name="Front Door"), name="MASH"
    )


@pytest.fixture
def issue(council):
    return IssueCategoryFactory.create(council=council, name="Communication")


@pytest.fixture
def other_issue(other_council):
    return IssueCategoryFactory.create(council=other_council, name="Delay")


@pytest.fixture
def apology(council):
    return RemedyTypeFactory.create(council=council, code="apology", name="Apology", is_financial=False)


@pytest.fixture
def payment(council):
    return RemedyTypeFactory.create(council=council, code="financial", name="Financial remedy", is_financial=True)
