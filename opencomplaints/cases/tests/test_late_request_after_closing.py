"""A complaint the daily job closed after its request window can still take a late request (R1.22): the case page
offers reopening it, reopening without the stage offers the next stage, and the late request is recorded with its
decision. The job then leaves the case alone."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from opencomplaints.cases import constants as c
from opencomplaints.cases.services import complaints_close_after_window, stage_respond
from opencomplaints.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def day(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def page(client, case):
    response = client.get(reverse("casework:case-detail", args=[case.pk]))
    assert response.status_code == 200
    return unescape(response.content.decode())


def link(name, case):
    return f'href="{reverse(f"casework:{name}", args=[case.pk])}"'


@pytest.fixture
def officer_client(client, complaints_officer):
    client.force_login(complaints_officer)
    return client


def test_a_late_request_after_the_case_was_closed_by_the_job(officer_client, complaint, complaints_manager):
    stage_respond(
        stage=f.stage(complaint, 1),
        acting_user=complaints_manager,
        response_date=date(2022, 6, 10),
        outcome=c.Outcome.NOT_UPHELD,
    )
    assert complaints_close_after_window(today=date(2022, 7, 11)) == 1

    closed = page(officer_client, complaint)
    assert link("complaint-reopen", complaint) in closed
    assert link("complaint-escalate", complaint) not in closed

    reopening = {
        "reason": "The complainant asked for stage 2 after the window",
        **day("reopened_date", date(2022, 7, 20)),
        "reopen_stage": "no",
    }
    response = officer_client.post(reverse("casework:complaint-reopen", args=[complaint.pk]), reopening)
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.is_open, f.stage(complaint, 1).outcome) == (True, c.Outcome.NOT_UPHELD)

    reopened = page(officer_client, complaint)
    assert link("complaint-escalate", complaint) in reopened
    assert "Open stage 2" in reopened
    # The job the next morning leaves a case a person reopened after its window to them.
    assert complaints_close_after_window(today=date(2022, 7, 21)) == 0

    escalate = reverse("casework:complaint-escalate", args=[complaint.pk])
    assert "The window to ask ends on" in unescape(officer_client.get(escalate).content.decode())
    late = day("request_received_date", date(2022, 7, 20))
    refused = officer_client.post(escalate, late)
    assert refused.status_code == 400
    assert "Record whether the late request is accepted, and why" in unescape(refused.content.decode())

    data = {**late, "late_request_accepted": "yes", "late_request_reason": "The complainant was in hospital"}
    response = officer_client.post(escalate, data)
    assert response.status_code == 302
    stage2 = f.stage(complaint, 2)
    assert (stage2.received_date, stage2.request_in_window, stage2.late_request_accepted) == (
        date(2022, 7, 20),
        False,
        True,
    )
    complaint.refresh_from_db()
    assert (complaint.is_open, complaint.current_stage) == (True, 2)
    assert "Stage 2 opened" in page(officer_client, complaint)
