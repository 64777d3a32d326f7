"""Factories for case records (en_GB fakes: the root conftest sets the locale).

The model factories write rows directly, for constraint and access tests. Tests of behaviour build cases through
the services with the helpers at the end, so the records are exactly what the services make.
"""

from datetime import date

import factory
from faker import Faker

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, ComplaintPoint, Person, Stage
from opencomplaints.cases.services import (
    ComplainantInput,
    PersonInput,
    complaint_accept,
    complaint_escalate,
    complaint_register,
    stage2_adjudicate,
    stage2_appoint,
    stage2_report_receive,
    stage2_statement_agree,
    stage_respond,
)
from opencomplaints.councils.models import Contact, Council
from opencomplaints.councils.tests.factories import CouncilFactory

_fake = Faker("en_GB")

# Thursday 26 May 2022: stage 1 is due on Monday 13 June (the Platinum Jubilee holidays fall on 2 and 3 June).
RECEIVED = date(2022, 5, 26)


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    council = factory.SubFactory(CouncilFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    postcode = factory.Faker("postcode")


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case

    council = factory.SubFactory(CouncilFactory)
    reference = factory.Sequence(lambda n: f"TST-2022-{n + 1:04d}")
    kind = c.Kind.COMPLAINT
    procedure = c.Procedure.CHILDREN_STATUTORY
    status = c.CaseStatus.OPEN
    acceptance = c.Acceptance.ACCEPTED
    received_date = RECEIVED


class StageFactory(factory.django.DjangoModelFactory[Stage]):
    class Meta:
        model = Stage

    case = factory.SubFactory(CaseFactory)
    number = 1
    received_date = factory.SelfAttribute("case.received_date")
    start_date = factory.SelfAttribute("received_date")


class ComplaintPointFactory(factory.django.DjangoModelFactory[ComplaintPoint]):
    class Meta:
        model = ComplaintPoint

    case = factory.SubFactory(CaseFactory)
    number = factory.Sequence(lambda n: n + 1)
    description = factory.Faker("sentence")


def complainant(**person: object) -> ComplainantInput:
    """A parent complaining in their own right, with fake British details unless given."""
    details = {"first_name": _fake.first_name(), "last_name": _fake.last_name(), **person}
    return ComplainantInput(
        person=PersonInput(**details),  # type: ignore[arg-type]  # fake details are strings or dates
        complainant_type=c.ComplainantType.PARENT_RELATIVE,
        eligibility_basis=c.EligibilityBasis.PARENT,
    )


def register(council: Council, user: User | None, received_date: date = RECEIVED, **kwargs: object) -> Case:
    kwargs.setdefault("complainants", [complainant()])
    return complaint_register(council=council, acting_user=user, received_date=received_date, **kwargs)  # type: ignore[arg-type]  # passed through to the service


def accepted(council: Council, user: User | None, received_date: date = RECEIVED, **kwargs: object) -> Case:
    """A complaint registered and accepted, at stage 1 (or where ``start_stage`` says)."""
    case = register(council, user, received_date, **kwargs)
    return complaint_accept(case=case, acting_user=user)


def stage(case: Case, number: int) -> Stage:
    return case.stages.get(number=number)


def at_stage2(
    council: Council, user: User, *, responded: date = date(2022, 6, 10), requested: date = date(2022, 6, 20)
) -> Stage:
    """A complaint answered at stage 1 and escalated in time to stage 2."""
    case = accepted(council, user)
    stage_respond(stage=stage(case, 1), acting_user=user, response_date=responded, outcome=c.Outcome.NOT_UPHELD)
    return complaint_escalate(case=case, acting_user=user, request_received_date=requested)


def investigated(
    stage2: Stage,
    user: User,
    *,
    investigating_officer: User,
    independent_person: User | Contact,
    agreed: date = date(2022, 7, 1),
    report: date = date(2022, 7, 25),
    points: tuple[str, ...] = ("Social worker did not return calls", "Assessment was late"),
) -> list[ComplaintPoint]:
    """Stage 2 with the investigation appointed, the statement agreed and the report in."""
    stage2_appoint(
        stage=stage2,
        acting_user=user,
        appointed_date=stage2.received_date,
        investigating_officer=investigating_officer,
        independent_person=independent_person,
    )
    stage2_statement_agree(stage=stage2, acting_user=user, agreed_date=agreed, points=list(points))
    stage2_report_receive(stage=stage2, acting_user=user, report_date=report)
    return list(stage2.case.points.order_by("number"))


def at_stage3(
    council: Council,
    user: User,
    *,
    investigating_officer: User,
    independent_person: User | Contact,
    adjudicator: User,
    requested: date = date(2022, 8, 15),
) -> Stage:
    """A complaint adjudicated at stage 2 (not upheld) and escalated in time to stage 3."""
    stage2 = at_stage2(council, user)
    points = investigated(
        stage2, user, investigating_officer=investigating_officer, independent_person=independent_person
    )
    stage2_adjudicate(
        stage=stage2,
        acting_user=user,
        adjudicator=adjudicator,
        adjudication_date=date(2022, 8, 5),
        findings=dict.fromkeys(points, c.Finding.NOT_UPHELD),
    )
    return complaint_escalate(case=stage2.case, acting_user=user, request_received_date=requested)
