"""Cases for the tracker tests, built through the services so they are exactly what the services make.

Complaints are received on Thursday 26 May 2022, so stage 1 is due on Monday 13 June 2022 (the Platinum Jubilee
bank holidays fall on 2 and 3 June).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from opencomplaints.cases import constants as c
from opencomplaints.cases.services import (
    ChildInput,
    ComplainantInput,
    PersonInput,
    stage2_appoint,
    stage2_report_receive,
    stage2_statement_agree,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import ServiceAreaFactory, TeamFactory

RECEIVED = date(2022, 5, 26)
STAGE1_DUE = date(2022, 6, 13)
LONDON = ZoneInfo("Europe/London")


def complainant(first_name: str, last_name: str) -> ComplainantInput:
    return ComplainantInput(
        person=PersonInput(first_name=first_name, last_name=last_name),
        complainant_type=c.ComplainantType.PARENT_RELATIVE,
        eligibility_basis=c.EligibilityBasis.PARENT,
    )


def child(first_name: str, last_name: str) -> ChildInput:
    return ChildInput(person=PersonInput(first_name=first_name, last_name=last_name, date_of_birth=date(2012, 3, 4)))


def complaint(council, user, *, received=RECEIVED, name=("Alex", "Smith"), children=(), **kwargs):
    """An accepted children's complaint at stage 1."""
    kwargs.setdefault("complainants", [complainant(*name)])
    return f.accepted(council, user, received, children=[child(*c) for c in children], **kwargs)


def awaiting_report(council, user, investigating_officer, independent_person):
    """Stage 2 with the statement agreed on 1 July 2022 and no investigator's report yet."""
    stage2 = f.at_stage2(council, user)
    stage2_appoint(
        stage=stage2,
        acting_user=user,
        appointed_date=stage2.received_date,
        investigating_officer=investigating_officer,
        independent_person=independent_person,
    )
    stage2_statement_agree(stage=stage2, acting_user=user, agreed_date=date(2022, 7, 1), points=["Calls not returned"])
    return stage2


def awaiting_adjudication(council, user, investigating_officer, independent_person):
    stage2 = awaiting_report(council, user, investigating_officer, independent_person)
    stage2_report_receive(stage=stage2, acting_user=user, report_date=date(2022, 7, 25))
    return stage2


def travel(day: date):
    """Freeze the clock at noon in London on ``day`` (views read "today" from it)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def team(council):
    return TeamFactory.create(
        council=council,
        service_area=ServiceAreaFactory.create(council=council, name="Localities"),
        name="Assessment East",
    )


@pytest.fixture
def second_team(council, team):
    return TeamFactory.create(council=council, service_area=team.service_area, name="Disabled Children")
