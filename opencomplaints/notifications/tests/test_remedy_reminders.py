"""Reminders of approved remedies not yet paid or delivered (docs/adr/0020-remedy-lifecycle.md): to the case owner
before the due date, and to the complaints managers and the owner once it has passed; once each, open case or
closed."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from opencomplaints.cases.services import remedy_approve, remedy_pay, remedy_propose
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import RemedyTypeFactory
from opencomplaints.notifications.models import Message, TemplateKey
from opencomplaints.notifications.triggers import (
    COMPLAINTS_MANAGERS_GROUP,
    deadline_scan,
    remedy_overdue_alerts_queue,
    remedy_reminders_queue,
)

pytestmark = pytest.mark.django_db

# Approved on Friday 10 June 2022, to be paid by Friday 8 July 2022.
DUE = date(2022, 7, 8)


@pytest.fixture
def remedy(council, complaints_manager, complaints_officer):
    case = f.accepted(council, complaints_manager, owner=complaints_officer)
    payment = RemedyTypeFactory.create(council=council, code="financial", name="Financial remedy", is_financial=True)
    remedy = remedy_propose(case=case, acting_user=complaints_officer, remedy_type=payment, amount=Decimal(250))
    return remedy_approve(remedy=remedy, acting_user=complaints_manager, approved_date=date(2022, 6, 10), due_date=DUE)


def test_the_owner_is_reminded_before_the_due_date(remedy, complaints_officer):
    # Tuesday 5 July is three working days before Friday 8 July.
    assert remedy_reminders_queue(today=date(2022, 7, 4)) == 0
    assert remedy_reminders_queue(today=date(2022, 7, 5)) == 1
    assert remedy_reminders_queue(today=date(2022, 7, 6)) == 0
    message = Message.objects.get(template_key=TemplateKey.DEADLINE_REMINDER)
    assert message.recipient == complaints_officer.email
    assert message.subject == (
        f"Due in 3 working days: payment of the agreed remedy (financial remedy) for {remedy.case.reference}"
    )
    assert "8 July 2022" in message.body


def test_an_overdue_remedy_alerts_the_managers_and_the_owner_once(remedy, complaints_manager, complaints_officer):
    complaints_manager.groups.add(Group.objects.get(name=COMPLAINTS_MANAGERS_GROUP))

    assert remedy_overdue_alerts_queue(today=DUE) == 0
    result = deadline_scan(today=date(2022, 7, 11))
    deadline_scan(today=date(2022, 7, 12))

    # (The stage 1 response of the case is overdue too, and alerted of on its own.)
    alerts = Message.objects.filter(template_key=TemplateKey.OVERDUE_ALERT, idempotency_key__startswith="remedy-")
    assert sorted(m.recipient for m in alerts) == sorted([complaints_manager.email, complaints_officer.email])
    assert result.overdue_alerts >= 2
    assert "was due on 8 July 2022" in alerts[0].body


def test_nothing_once_paid(remedy, complaints_officer, complaints_manager):
    complaints_manager.groups.add(Group.objects.get(name=COMPLAINTS_MANAGERS_GROUP))
    remedy_pay(remedy=remedy, acting_user=complaints_officer, paid_date=date(2022, 7, 1), payment_reference="BACS 9")

    assert remedy_reminders_queue(today=date(2022, 7, 5)) == 0
    assert remedy_overdue_alerts_queue(today=date(2022, 7, 11)) == 0


def test_a_proposal_is_not_chased(council, complaints_manager, complaints_officer):
    case = f.accepted(council, complaints_manager, owner=complaints_officer)
    apology = RemedyTypeFactory.create(council=council, code="apology", name="Apology")
    remedy_propose(case=case, acting_user=complaints_officer, remedy_type=apology, due_date=DUE)

    assert remedy_reminders_queue(today=date(2022, 7, 5)) == 0
    assert remedy_overdue_alerts_queue(today=date(2022, 7, 11)) == 0
