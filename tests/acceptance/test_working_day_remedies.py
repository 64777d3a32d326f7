"""Acceptance, the remedy steps of a complaints team's working week (issue 15, item 5): a payment proposed by the
officer, refused to the officer and approved by the manager, chased when it is due and when it is late, paid with
its reference, then off the outstanding list; the steps on the case's timeline; an Ombudsman case whose compliance
waits for its remedy. Driven through the web pages with the test client, the clock at noon in London each day."""

from datetime import date, datetime
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from opencomplaints.cases import constants as c
from opencomplaints.cases.services import ombudsman_case_register, ombudsman_decision_record
from opencomplaints.councils.tests.factories import RemedyTypeFactory
from opencomplaints.notifications.models import Message, TemplateKey
from opencomplaints.notifications.triggers import COMPLAINTS_MANAGERS_GROUP, deadline_scan

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False)


def url(name, *args):
    return reverse(f"casework:{name}", args=[a.pk if hasattr(a, "pk") else a for a in args])


def when(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def text(response):
    return unescape(response.content.decode())


@pytest.fixture
def payment(council):
    return RemedyTypeFactory.create(council=council, code="financial", name="Financial remedy", is_financial=True)


def test_a_payment_from_proposal_to_paid(client, complaint, payment, complaints_officer, complaints_manager):
    complaints_manager.groups.add(Group.objects.get(name=COMPLAINTS_MANAGERS_GROUP))
    complaint.owner = complaints_officer
    complaint.save(update_fields=["owner"])

    # Friday 10 June: the officer proposes £250, typed as people type it; 3 decimals are refused, nothing saved.
    with on(date(2022, 6, 10)):
        client.force_login(complaints_officer)
        propose = url("remedy-propose", complaint)
        refused = client.post(propose, {"remedy_type": payment.pk, "amount": "250.505"})
        assert refused.status_code == 400
        assert not complaint.remedies.exists()
        data = {"remedy_type": payment.pk, "amount": "£250", "description": "For the missed visits"}
        assert client.post(propose, data).status_code == 302
        remedy = complaint.remedies.get()
        assert client.get(url("remedy-approve", complaint, remedy)).status_code == 403

        # The manager approves it, due in four weeks.
        client.force_login(complaints_manager)
        page = text(client.get(url("case-detail", complaint)))
        assert url("remedy-approve", complaint, remedy) in page
        response = client.post(
            url("remedy-approve", complaint, remedy), {**when("approved_date", date(2022, 6, 10)),
                                                       **when("due_date", date(2022, 7, 8))},
        )  # fmt: skip
        assert response.status_code == 302
        remedy.refresh_from_db()
        assert remedy.status == c.RemedyStatus.APPROVED

    # The daily scan: the owner is reminded on Tuesday 5 July, the managers told on Monday 11 July.
    deadline_scan(today=date(2022, 7, 5))
    deadline_scan(today=date(2022, 7, 11))
    chased = Message.objects.filter(idempotency_key__startswith="remedy-")
    assert {(m.template_key, m.recipient) for m in chased} == {
        (TemplateKey.DEADLINE_REMINDER, complaints_officer.email),
        (TemplateKey.OVERDUE_ALERT, complaints_manager.email),
        (TemplateKey.OVERDUE_ALERT, complaints_officer.email),
    }

    with on(date(2022, 7, 12)):
        client.force_login(complaints_manager)  # a new day, a new session
        outstanding = text(client.get(reverse("tracker:remedy-list")))
        assert complaint.reference in outstanding
        assert "Overdue" in outstanding

        # Tuesday 12 July: the officer records the payment; a change after it is refused.
        client.force_login(complaints_officer)
        pay = url("remedy-pay", complaint, remedy)
        assert client.post(pay, when("paid_date", date(2022, 7, 12))).status_code == 400  # no reference
        data = {**when("paid_date", date(2022, 7, 12)), "payment_reference": "BACS 004471"}
        assert client.post(pay, data).status_code == 302
        changed = client.post(url("remedy-change", complaint, remedy), {"remedy_type": payment.pk, "amount": "300"})
        assert "This remedy is already recorded as paid." in text(changed)
        remedy.refresh_from_db()
        assert (remedy.status, remedy.amount, remedy.payment_reference) == (
            c.RemedyStatus.PAID,
            Decimal("250.00"),
            "BACS 004471",
        )

        page = text(client.get(url("case-detail", complaint)))
        for step in ("Remedy proposed", "Remedy approved", "Remedy paid or delivered"):
            assert step in page
        assert "12 July 2022, reference BACS 004471" in page
        assert "No remedies are waiting" in text(client.get(reverse("tracker:remedy-list")))


def test_ombudsman_compliance_waits_for_its_remedy(client, council, complaint, payment, complaints_manager):
    lgsco = ombudsman_case_register(
        council=council, acting_user=complaints_manager, received_date=date(2022, 11, 1),
        lgsco_reference="22-012-345", complaint=complaint, enquiry_due_date=date(2022, 11, 29),
    )  # fmt: skip
    ombudsman_decision_record(
        case=lgsco, acting_user=complaints_manager, decision=c.LgscoDecision.UPHELD_FAULT_INJUSTICE,
        decision_label="Upheld: fault and injustice", decision_date=date(2023, 2, 1), fault_found=True,
        injustice_found=True, recommended_payment=Decimal("300"), compliance_due_date=date(2023, 3, 1),
    )  # fmt: skip
    client.force_login(complaints_manager)
    with on(date(2023, 2, 2)):
        response = client.post(url("remedy-propose", lgsco), {"remedy_type": payment.pk, "amount": "300"})
        assert response.status_code == 302
        remedy = lgsco.remedies.get()
        assert remedy.due_date == date(2023, 3, 1)  # the Ombudsman's compliance date

        refused = client.post(url("ombudsman-compliance", lgsco), when("complied_date", date(2023, 2, 2)))
        assert "has not been paid or delivered yet" in text(refused)
        lgsco.refresh_from_db()
        assert lgsco.closed_date is None
