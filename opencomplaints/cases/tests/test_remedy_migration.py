"""Migration 0009_remedy_lifecycle: each earlier remedy takes the state its dates show (paid where it has a payment
date, approved where it has the date agreed, else proposed), and going back keeps the dates."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Remedy
from opencomplaints.cases.tests.factories import CaseFactory
from opencomplaints.councils.tests.factories import RemedyTypeFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("opencomplaints.cases.migrations.0009_remedy_lifecycle")


def test_earlier_remedies_take_the_state_their_dates_show():
    case = CaseFactory.create()
    money = RemedyTypeFactory.create(council=case.council, code="financial", is_financial=True)
    # As rows stood before the lifecycle: every one "proposed" by the column's default, whatever its dates.
    Remedy.objects.bulk_create(
        [
            Remedy(case=case, remedy_type=money, amount=Decimal(50)),
            Remedy(case=case, remedy_type=money, amount=Decimal(60), agreed_date=date(2022, 6, 1)),
        ]
    )
    # A paid row cannot be stored as "proposed" under the new constraints; it stays paid.
    Remedy.objects.create(
        case=case, remedy_type=money, amount=Decimal(70), agreed_date=date(2022, 6, 1), status=c.RemedyStatus.PAID,
        paid_date=date(2022, 6, 9),
    )  # fmt: skip

    migration.lifecycle_from_dates(apps, None)

    states = dict(Remedy.objects.values_list("amount", "status"))
    assert states == {Decimal(50): "proposed", Decimal(60): "approved", Decimal(70): "paid"}
