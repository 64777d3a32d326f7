"""Every action form on a case: a valid POST changes the record through its service and returns to the case page
with a success banner; a refusal by the service is shown on the form, which keeps what was typed; another council's
case is not found; signing in comes first."""

import re
from datetime import date
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.models import Case, LearningAction
from opencomplaints.cases.services import (
    ComplainantInput,
    PersonInput,
    learning_action_create,
    ombudsman_case_register,
    representation_register,
    stage3_panel_appoint,
    stage3_panel_record,
    stage3_report_record,
    stage_respond,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def day(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def text(response):
    return unescape(response.content.decode())


def assert_done(client, response, case, message):
    assert response.status_code == 302, text(response)[:3000]
    assert response.url == reverse("casework:case-detail", args=[case.pk])
    page = text(client.get(response.url))
    assert "govuk-notification-banner--success" in page
    assert message in page


def assert_refused(response, message):
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert message in page
    return page


def url(name, *args):
    return reverse(f"casework:{name}", args=[a.pk if hasattr(a, "pk") else a for a in args])


# -- stage actions ---------------------------------------------------------------------------------------------


def with_email(stage):
    person = stage.case.complainants.get(is_primary=True).person
    person.email = "complainant@example.org"
    person.save(update_fields=["email"])
    return stage


def test_extend_stage_1(officer_client, stage1):
    with_email(stage1)
    target = url("stage-extend", stage1.case, stage1)
    assert "Extend the timescale" in text(officer_client.get(target))
    data = {
        **day("extended_due_date", date(2022, 6, 20)),
        "reason": "Waiting for records",
        **day("notified_date", date(2022, 6, 1)),
    }
    assert_done(officer_client, officer_client.post(target, data), stage1.case, "Stage 1 extended to 20 June 2022")
    stage1.refresh_from_db()
    assert stage1.extended
    assert stage1.extended_due_date == date(2022, 6, 20)
    # The complainant is told the reasons and the new date (R1.20): the letter is queued and shown on the case.
    letter = stage1.case.messages.get()
    assert letter.template_key == "extension_letter"
    assert "Messages" in text(officer_client.get(url("case-detail", stage1.case)))


def test_extend_too_far_is_shown_on_the_date(officer_client, stage1):
    data = {
        **day("extended_due_date", date(2022, 12, 1)),
        "reason": "Waiting",
        **day("notified_date", date(2022, 6, 1)),
    }
    response = officer_client.post(url("stage-extend", stage1.case, stage1), data)
    page = assert_refused(response, "is too late")
    assert 'href="#id_extended_due_date_0"' in page
    assert 'value="Waiting"' not in page  # a textarea keeps its text as content
    assert "Waiting</textarea>" in page
    stage1.refresh_from_db()
    assert not stage1.extended


def test_extend_form_errors_are_listed(officer_client, stage1):
    response = officer_client.post(url("stage-extend", stage1.case, stage1), {})
    page = assert_refused(response, "Enter the new due date")
    assert "Enter why more time is needed" in page
    assert "Enter the date the complainant was told" in page


def test_dates_cannot_be_in_the_future(officer_client, stage1):
    data = {**day("start_date", date(2099, 1, 1)), "reason": "court_proceedings"}
    assert_refused(
        officer_client.post(url("stage-hold", stage1.case, stage1), data),
        "Date the hold starts must be today or in the past",
    )


def test_hold_and_resume(officer_client, stage1):
    with_email(stage1)
    data = {**day("start_date", date(2022, 6, 1)), "reason": "court_proceedings", "note": "Care proceedings"}
    assert_done(
        officer_client,
        officer_client.post(url("stage-hold", stage1.case, stage1), data),
        stage1.case,
        "Stage 1 on hold from 1 June 2022",
    )
    assert stage1.holds.get().end_date is None
    assert stage1.case.messages.get().template_key == "hold_letter"
    response = officer_client.post(url("stage-resume", stage1.case, stage1), day("end_date", date(2022, 5, 30)))
    assert_refused(response, "A hold cannot end (Monday 30 May 2022) before it started (Wednesday 1 June 2022).")
    response = officer_client.post(url("stage-resume", stage1.case, stage1), day("end_date", date(2022, 6, 6)))
    assert_done(officer_client, response, stage1.case, "Stage 1 resumed")
    assert stage1.holds.get().end_date == date(2022, 6, 6)


def test_hold_before_receipt_is_refused(officer_client, stage1):
    data = {**day("start_date", date(2022, 5, 1)), "reason": "other"}
    assert_refused(
        officer_client.post(url("stage-hold", stage1.case, stage1), data), "cannot be before the date received"
    )


def test_acknowledge_a_corporate_stage(officer_client, council, complaints_manager):
    case = f.accepted(council, complaints_manager, procedure=c.Procedure.CORPORATE)
    stage = f.stage(case, 1)
    response = officer_client.post(url("stage-acknowledge", case, stage), day("acknowledged_date", date(2022, 5, 27)))
    assert_done(officer_client, response, case, "Acknowledgement of stage 1 recorded")
    stage.refresh_from_db()
    assert stage.acknowledged_date == date(2022, 5, 27)


def test_acknowledge_stage_1_of_a_childrens_complaint(officer_client, stage1):
    """Every stage's acknowledgement is recorded (the return's ``acknowledged``), though the children's procedure
    sets no acknowledgement timescale: the case page offers it, the form records it and shows it."""
    case_page = text(officer_client.get(url("case-detail", stage1.case)))
    target = url("stage-acknowledge", stage1.case, stage1)
    assert f'href="{target}"' in case_page
    assert "Record the acknowledgement" in text(officer_client.get(target))
    response = officer_client.post(target, day("acknowledged_date", date(2022, 5, 27)))
    assert_done(officer_client, response, stage1.case, "Acknowledgement of stage 1 recorded")
    stage1.refresh_from_db()
    assert stage1.acknowledged_date == date(2022, 5, 27)
    assert "27 May 2022" in text(officer_client.get(url("case-detail", stage1.case)))
    # Once recorded it is not offered again.
    assert f'href="{target}"' not in text(officer_client.get(url("case-detail", stage1.case)))


def test_acknowledgement_cannot_be_before_the_stage_was_received(officer_client, stage1):
    response = officer_client.post(
        url("stage-acknowledge", stage1.case, stage1), day("acknowledged_date", date(2020, 1, 1))
    )
    assert_refused(response, "cannot be before the date received")
    stage1.refresh_from_db()
    assert stage1.acknowledged_date is None


def test_respond_at_stage_1(officer_client, stage1):
    data = {**day("response_date", date(2022, 6, 10)), "outcome": c.Outcome.PARTLY_UPHELD}
    assert_done(
        officer_client,
        officer_client.post(url("stage-respond", stage1.case, stage1), data),
        stage1.case,
        "Stage 1 response recorded: partly upheld",
    )
    stage1.refresh_from_db()
    assert stage1.outcome == c.Outcome.PARTLY_UPHELD


def test_respond_before_receipt(officer_client, stage1):
    data = {**day("response_date", date(2022, 5, 1)), "outcome": c.Outcome.UPHELD}
    assert_refused(
        officer_client.post(url("stage-respond", stage1.case, stage1), data), "cannot be before stage 1 was received"
    )


def test_respond_needs_an_outcome(officer_client, stage1):
    response = officer_client.post(url("stage-respond", stage1.case, stage1), day("response_date", date(2022, 6, 1)))
    page = assert_refused(response, "Select the outcome of the stage")
    assert 'href="#id_outcome_1"' in page


# -- triage, escalation, withdrawal, closure, reopening --------------------------------------------------------


def test_accept(officer_client, council, complaints_manager):
    case = f.register(council, complaints_manager)
    assert_done(
        officer_client,
        officer_client.post(url("complaint-accept", case), {}),
        case,
        f"Complaint {case.reference} accepted",
    )
    case.refresh_from_db()
    assert case.acceptance == c.Acceptance.ACCEPTED
    page = assert_refused(officer_client.post(url("complaint-accept", case), {}), "has already been accepted")
    assert "triage decides once" in page


def test_decline(officer_client, council, complaints_manager):
    case = f.register(council, complaints_manager)
    data = {
        "reason": c.DeclineReason.OUT_OF_SCOPE,
        **day("decided_date", date(2022, 6, 1)),
        "redirected_to": c.Route.CORPORATE,
    }
    assert_done(
        officer_client, officer_client.post(url("complaint-decline", case), data), case, "recorded as not accepted"
    )
    case.refresh_from_db()
    assert case.status == c.CaseStatus.CLOSED
    assert case.redirected_to == c.Route.CORPORATE


def test_decline_needs_a_reason(officer_client, complaint):
    assert_refused(
        officer_client.post(url("complaint-decline", complaint), day("decided_date", date(2022, 6, 1))),
        "Select why the complaint is not accepted",
    )


def test_escalate_in_time_and_late(officer_client, complaint, complaints_manager):
    stage_respond(
        stage=f.stage(complaint, 1),
        acting_user=complaints_manager,
        response_date=date(2022, 6, 10),
        outcome=c.Outcome.NOT_UPHELD,
    )
    late = day("request_received_date", date(2022, 9, 1))
    page = text(officer_client.get(url("complaint-escalate", complaint)))
    assert "The window to ask ends on" in page
    response = officer_client.post(url("complaint-escalate", complaint), late)
    page = assert_refused(response, "Record whether the late request is accepted, and why")
    assert 'href="#id_late_request_accepted_1"' in page
    data = {**late, "late_request_accepted": "yes", "late_request_reason": "The complainant was in hospital"}
    assert_done(
        officer_client, officer_client.post(url("complaint-escalate", complaint), data), complaint, "Stage 2 opened"
    )
    assert complaint.stages.get(number=2).late_request_accepted is True


def test_withdraw(officer_client, complaint):
    data = {**day("withdrawn_date", date(2022, 6, 1)), "note": "Resolved by phone"}
    assert_done(
        officer_client,
        officer_client.post(url("complaint-withdraw", complaint), data),
        complaint,
        "recorded as withdrawn",
    )
    complaint.refresh_from_db()
    assert complaint.status == c.CaseStatus.CLOSED
    assert_refused(officer_client.post(url("complaint-withdraw", complaint), data), "is closed. Reopen it first")


def test_close_and_reopen(officer_client, complaint, complaints_manager):
    closing = day("closed_date", date(2022, 6, 12))
    assert_refused(officer_client.post(url("complaint-close", complaint), closing), "Stage 1 of")
    stage_respond(
        stage=f.stage(complaint, 1),
        acting_user=complaints_manager,
        response_date=date(2022, 6, 10),
        outcome=c.Outcome.UPHELD,
    )
    assert_done(
        officer_client,
        officer_client.post(url("complaint-close", complaint), closing),
        complaint,
        f"Complaint {complaint.reference} closed",
    )
    reopening = {"reason": "New information", **day("reopened_date", date(2022, 6, 20)), "reopen_stage": "yes"}
    assert_done(
        officer_client, officer_client.post(url("complaint-reopen", complaint), reopening), complaint, "reopened"
    )
    complaint.refresh_from_db()
    assert complaint.is_open
    assert_refused(officer_client.post(url("complaint-reopen", complaint), reopening), "is open already")


def test_sufficient_interest(officer_client, council, complaints_manager):
    person = ComplainantInput(
        person=PersonInput(first_name="Ray", last_name="Dunmore"),
        complainant_type=c.ComplainantType.PARENT_RELATIVE,
        eligibility_basis=c.EligibilityBasis.SUFFICIENT_INTEREST,
    )
    case = f.register(council, complaints_manager, complainants=[person])
    complainant = case.complainants.get()
    target = url("complainant-interest-decide", case, complainant)
    assert "Does Ray Dunmore have sufficient interest" in text(officer_client.get(target))
    refusal = {"has_interest": "no", **day("decided_date", date(2022, 6, 1)), "child_consulted": "yes"}
    page = assert_refused(officer_client.post(target, refusal), "Record the date Ray Dunmore was told")
    assert 'href="#id_notified_date_0"' in page
    accept = {"has_interest": "yes", **day("decided_date", date(2022, 6, 1)), "child_consulted": "yes"}
    assert_done(
        officer_client,
        officer_client.post(target, accept),
        case,
        "Sufficient-interest decision for Ray Dunmore recorded",
    )
    complainant.refresh_from_db()
    assert complainant.sufficient_interest == c.SufficientInterestDecision.HAS_INTEREST


# -- stage 2 and stage 3 ---------------------------------------------------------------------------------------


def test_stage2_appoint(officer_client, stage2, investigating_officer, independent_person):
    target = url("stage2-appoint", stage2.case, stage2)
    same = {
        **day("appointed_date", date(2022, 6, 21)),
        "investigating_officer": investigating_officer.pk,
        "independent_person": investigating_officer.pk,
    }
    # The picker offers only independent people (issue 15, item 6): the investigating officer is not among them.
    page = assert_refused(officer_client.post(target, same), "Select the independent person from the list")
    independent = page.split('name="independent_person"')[1].split("</select>")[0]
    assert f'value="user:{investigating_officer.pk}"' not in independent
    assert_refused(
        officer_client.post(target, day("appointed_date", date(2022, 6, 21))),
        "Select the investigating officer, the independent person or both",
    )
    data = {**same, "independent_person": independent_person.pk}
    assert_done(officer_client, officer_client.post(target, data), stage2.case, "Stage 2 appointments recorded")
    stage2.refresh_from_db()
    assert stage2.investigating_officer == investigating_officer
    assert stage2.independent_person == independent_person


def test_stage2_statement_and_report(officer_client, stage2):
    target = url("stage2-statement", stage2.case, stage2)
    assert_refused(
        officer_client.post(url("stage2-report", stage2.case, stage2), day("report_date", date(2022, 7, 25))),
        "Agree the statement of complaint before recording the investigation report",
    )
    assert_refused(
        officer_client.post(target, {**day("agreed_date", date(2022, 6, 1)), "points": "Calls"}),
        "The statement (Wednesday 1 June 2022) cannot be before the request for stage 2",
    )
    data = {**day("agreed_date", date(2022, 7, 1)), "points": "Calls were not returned\n\nThe assessment was late\n"}
    assert_done(
        officer_client, officer_client.post(target, data), stage2.case, "Statement of complaint agreed with 2 points"
    )
    assert [p.description for p in stage2.case.points.order_by("number")] == [
        "Calls were not returned",
        "The assessment was late",
    ]
    assert "The assessment was late" in text(officer_client.get(target))
    response = officer_client.post(url("stage2-report", stage2.case, stage2), day("report_date", date(2022, 7, 25)))
    assert_done(officer_client, response, stage2.case, "Investigation report recorded")


def test_stage2_adjudicate(
    officer_client, stage2, complaints_manager, investigating_officer, independent_person, adjudicator
):
    points = f.investigated(
        stage2, complaints_manager, investigating_officer=investigating_officer, independent_person=independent_person
    )
    target = url("stage2-adjudicate", stage2.case, stage2)
    page = text(officer_client.get(target))
    assert "Point 1: Social worker did not return calls" in page
    partial = {
        "adjudicator": adjudicator.pk,
        **day("adjudication_date", date(2022, 8, 5)),
        f"finding_{points[0].pk}": "upheld",
    }
    page = assert_refused(officer_client.post(target, partial), "Select the finding on point 2")
    assert f'href="#id_finding_{points[1].pk}_1"' in page
    data = {**partial, f"finding_{points[1].pk}": "not_upheld", "recommendations": "Apologise\nTrain the team"}
    assert_done(
        officer_client, officer_client.post(target, data), stage2.case, "Stage 2 adjudication recorded: partly upheld"
    )
    stage2.refresh_from_db()
    assert stage2.adjudication_date == date(2022, 8, 5)
    assert stage2.recommendations.count() == 2


def test_stage3_panel_to_response(officer_client, stage3, panel_members, independent_person):
    case = stage3.case
    target = url("stage3-panel-appoint", case, stage3)
    with_ip = {"chair": panel_members[0].pk, "members": [panel_members[1].pk, independent_person.pk]}
    assert_refused(
        officer_client.post(target, with_ip),
        "was the independent person at stage 2 and may not sit on the review panel",
    )
    data = {"chair": panel_members[0].pk, "members": [panel_members[1].pk, panel_members[2].pk]}
    assert_done(officer_client, officer_client.post(target, data), case, "Review panel appointed")
    assert stage3.panel_members.count() == 3

    meeting = url("stage3-panel-record", case, stage3)
    assert_refused(
        officer_client.post(meeting, day("panel_date", date(2022, 8, 1))), "cannot be before the request for stage 3"
    )
    assert_done(
        officer_client,
        officer_client.post(meeting, day("panel_date", date(2022, 9, 1))),
        case,
        "Panel meeting recorded",
    )

    report = url("stage3-report", case, stage3)
    assert_refused(officer_client.post(report, day("report_date", date(2022, 8, 20))), "cannot be before the panel")
    data = {**day("report_date", date(2022, 9, 6)), "recommendations": "Apologise in writing\nReview the policy"}
    assert_done(officer_client, officer_client.post(report, data), case, "Panel's report recorded")

    respond = url("stage3-respond", case, stage3)
    points = list(case.points.order_by("number"))
    recs = list(stage3.recommendations.order_by("number"))
    findings = {f"finding_{p.pk}": "upheld" for p in points}
    no_reason = {
        **day("response_date", date(2022, 9, 20)),
        **findings,
        f"recommendation_{recs[0].pk}": "yes",
        f"recommendation_{recs[1].pk}": "no",
    }
    page = assert_refused(
        officer_client.post(respond, no_reason), "Enter why the council will not follow recommendation 2"
    )
    assert f'href="#id_recommendation_{recs[1].pk}_reason"' in page
    early = {
        **no_reason,
        **day("response_date", date(2022, 9, 1)),
        f"recommendation_{recs[1].pk}_reason": "Already done",
    }
    assert_refused(officer_client.post(respond, early), "cannot be before the panel's report")
    data = {**early, **day("response_date", date(2022, 9, 20))}
    assert_done(
        officer_client, officer_client.post(respond, data), case, "Response to the review panel recorded: upheld"
    )
    case.refresh_from_db()
    assert case.status == c.CaseStatus.CLOSED
    recs[1].refresh_from_db()
    assert recs[1].accepted is False
    assert recs[1].reason == "Already done"


def test_stage3_response_needs_a_finding_on_every_point(officer_client, stage3, complaints_manager, panel_members):
    stage3_panel_appoint(
        stage=stage3, acting_user=complaints_manager, chair=panel_members[0], members=panel_members[1:]
    )
    stage3_panel_record(stage=stage3, acting_user=complaints_manager, panel_date=date(2022, 9, 1))
    stage3_report_record(stage=stage3, acting_user=complaints_manager, report_date=date(2022, 9, 6))
    response = officer_client.post(url("stage3-respond", stage3.case, stage3), day("response_date", date(2022, 9, 20)))
    assert_refused(response, "Select the finding on point 1")


# -- remedies and learning -------------------------------------------------------------------------------------


def test_remedy_proposed_approved_and_paid_through_the_pages(
    officer_client, client, complaint, payment, complaints_manager
):
    target = url("remedy-propose", complaint)
    assert_refused(
        officer_client.post(target, {"remedy_type": payment.pk}), "Enter the amount of the financial remedy remedy"
    )
    data = {"remedy_type": payment.pk, "amount": "250.50", "description": "Time and trouble"}
    assert_done(officer_client, officer_client.post(target, data), complaint, "Financial remedy proposed")
    remedy = complaint.remedies.get()
    assert (remedy.amount, remedy.status) == (Decimal("250.50"), c.RemedyStatus.PROPOSED)
    page = text(officer_client.get(url("case-detail", complaint)))
    assert "Proposed" in page
    assert url("remedy-change", complaint, remedy) in page
    assert url("remedy-approve", complaint, remedy) not in page  # an officer does not approve

    change = url("remedy-change", complaint, remedy)
    assert "250.50" in text(officer_client.get(change))
    data = {"remedy_type": payment.pk, "amount": "300", "description": "Time and trouble"}
    assert_done(officer_client, officer_client.post(change, data), complaint, "Proposed remedy changed")

    approve = url("remedy-approve", complaint, remedy)
    assert officer_client.get(approve).status_code == 403
    client.force_login(complaints_manager)
    data = {**day("approved_date", date(2022, 6, 10)), **day("due_date", date(2022, 7, 8))}
    assert_done(client, client.post(approve, data), complaint, "Financial remedy approved: due by 8 July 2022")

    client.force_login(remedy.proposed_by)
    refused = client.post(change, {"remedy_type": payment.pk, "amount": "350"})
    assert_refused(refused, "This remedy was approved on Friday 10 June 2022, so it can no longer be changed")

    pay = url("remedy-pay", complaint, remedy)
    assert_refused(client.post(pay, day("paid_date", date(2022, 6, 24))), "Enter the payment reference")
    data = {**day("paid_date", date(2022, 6, 24)), "payment_reference": "BACS 004471"}
    assert_done(client, client.post(pay, data), complaint, "Financial remedy recorded as paid")
    page = text(client.get(url("case-detail", complaint)))
    assert "24 June 2022, reference BACS 004471" in page
    assert ">None<" not in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e5", "Enter the amount in pounds and pence, like 250 or 250.50"),
        ("NaN", "Enter the amount in pounds and pence, like 250 or 250.50"),
        ("250.505", "Enter the amount in pounds and pence, like 250 or 250.50"),
        ("-5", "Enter the amount in pounds and pence, like 250 or 250.50"),
        ("0", "The amount must be at least £0.01"),
        ("100000.01", "The amount must be £100,000 or less"),
    ],
)
def test_remedy_amount_must_be_pounds_and_pence(officer_client, complaint, payment, typed, message):
    response = officer_client.post(url("remedy-propose", complaint), {"remedy_type": payment.pk, "amount": typed})
    page = assert_refused(response, message)
    assert f'value="{typed}"' in page  # what was typed is kept
    assert not complaint.remedies.exists()


@pytest.mark.parametrize(("typed", "amount"), [("£250", "250"), ("250.00", "250.00"), ("1,250.50", "1250.50")])
def test_remedy_amount_as_people_write_it(officer_client, complaint, payment, typed, amount):
    response = officer_client.post(url("remedy-propose", complaint), {"remedy_type": payment.pk, "amount": typed})
    assert_done(officer_client, response, complaint, "Financial remedy proposed")
    assert complaint.remedies.get().amount == Decimal(amount)


def test_remedy_not_delivered_needs_a_reason(officer_client, complaint, apology):
    officer_client.post(url("remedy-propose", complaint), {"remedy_type": apology.pk})
    remedy = complaint.remedies.get()
    target = url("remedy-not-delivered", complaint, remedy)
    assert_refused(officer_client.post(target, day("not_delivered_date", date(2022, 6, 12))), "Enter why")
    data = {**day("not_delivered_date", date(2022, 6, 12)), "reason": "The family asked us not to write again"}
    assert_done(officer_client, officer_client.post(target, data), complaint, "Apology recorded as not delivered")
    page = text(officer_client.get(url("case-detail", complaint)))
    assert "The family asked us not to write again" in page
    assert "Whole case" in page
    assert ">None<" not in page


def test_a_remedy_of_another_case_is_not_found(officer_client, complaint, stage2, apology, complaints_officer):
    officer_client.post(url("remedy-propose", complaint), {"remedy_type": apology.pk})
    remedy = complaint.remedies.get()
    assert officer_client.get(url("remedy-change", stage2.case, remedy)).status_code == 404


def test_learning_actions(officer_client, complaint, complaints_manager):
    target = url("learning-action-create", complaint)
    assert_refused(officer_client.post(target, {}), "Enter what the complaint showed")
    data = {"finding": "Calls went unanswered", "action": "A duty phone rota", "owner": complaints_manager.pk}
    assert_done(officer_client, officer_client.post(target, data), complaint, "Learning action added")
    action = complaint.learning_actions.get()
    assert action.owner == complaints_manager

    change = url("learning-action-update", complaint, action)
    assert "A duty phone rota" in text(officer_client.get(change))
    data = {"finding": "Calls went unanswered", "action": "A duty phone rota for every team", "status": "in_progress"}
    assert_done(officer_client, officer_client.post(change, data), complaint, "Learning action updated")
    action.refresh_from_db()
    assert action.status == c.LearningActionStatus.IN_PROGRESS
    assert action.owner is None

    done = url("learning-action-complete", complaint, action)
    data = {**day("implemented_date", date(2022, 9, 1)), "evidence": "Rota published"}
    assert_done(officer_client, officer_client.post(done, data), complaint, "Learning action recorded as implemented")
    assert_refused(officer_client.post(done, data), "This learning action is already implemented")
    assert_refused(
        officer_client.post(url("learning-action-not-implemented", complaint, action), {"reason": "Budget"}),
        "already implemented",
    )


def test_learning_action_not_implemented(officer_client, complaint, complaints_manager):
    action = learning_action_create(
        council=complaint.council, acting_user=complaints_manager, finding="F", action="A", cases=[complaint]
    )
    target = url("learning-action-not-implemented", complaint, action)
    assert_refused(officer_client.post(target, {}), "Enter why it was not implemented")
    assert_done(
        officer_client,
        officer_client.post(target, {"reason": "No budget"}),
        complaint,
        "Learning action recorded as not implemented",
    )


def test_learning_action_of_another_case_is_not_found(officer_client, complaint, council, complaints_manager):
    other = f.accepted(council, complaints_manager)
    action = learning_action_create(
        council=council, acting_user=complaints_manager, finding="F", action="A", cases=[other]
    )
    assert officer_client.get(url("learning-action-update", complaint, action)).status_code == 404
    assert LearningAction.objects.count() == 1


# -- other representations and the Ombudsman -------------------------------------------------------------------


def test_representation_respond(officer_client, council, complaints_manager):
    case = representation_register(
        council=council,
        acting_user=complaints_manager,
        kind=c.Kind.QUERY,
        received_date=date(2022, 5, 26),
        topic="Respite",
    )
    target = url("representation-respond", case)
    assert_refused(
        officer_client.post(target, day("responded_date", date(2022, 5, 1))), "cannot be before the date received"
    )
    data = {**day("responded_date", date(2022, 6, 1)), "outcome": c.Outcome.RESOLVED_INFORMALLY}
    assert_done(officer_client, officer_client.post(target, data), case, f"Response to {case.reference} recorded")
    case.refresh_from_db()
    assert case.status == c.CaseStatus.CLOSED


def test_ombudsman_actions(officer_client, council, complaints_manager):
    case = ombudsman_case_register(
        council=council,
        acting_user=complaints_manager,
        received_date=date(2022, 5, 26),
        lgsco_reference="22 001 234",
        enquiry_due_date=date(2022, 6, 23),
    )
    assert_refused(
        officer_client.post(url("ombudsman-compliance", case), day("complied_date", date(2022, 7, 1))),
        "Record the Ombudsman's decision before compliance",
    )
    reply = url("ombudsman-enquiry-respond", case)
    assert_done(
        officer_client,
        officer_client.post(reply, day("responded_date", date(2022, 6, 20))),
        case,
        "Reply to the Ombudsman's enquiries recorded",
    )
    assert_refused(officer_client.post(reply, day("responded_date", date(2022, 6, 21))), "were already answered")
    decision = {
        "decision": c.LgscoDecision.UPHELD_FAULT_INJUSTICE,
        **day("decision_date", date(2022, 9, 1)),
        "fault_found": "yes",
        "injustice_found": "yes",
        "recommended_payment": "300",
        **day("compliance_due_date", date(2022, 10, 1)),
    }
    assert_done(
        officer_client,
        officer_client.post(url("ombudsman-decision", case), decision),
        case,
        "Ombudsman's decision recorded",
    )
    case.ombudsman.refresh_from_db()
    assert case.ombudsman.fault_found is True
    assert case.ombudsman.recommended_payment == Decimal("300")
    response = officer_client.post(url("ombudsman-compliance", case), day("complied_date", date(2022, 9, 20)))
    assert_done(officer_client, response, case, "Compliance with the Ombudsman's remedy recorded")
    case.refresh_from_db()
    assert case.status == c.CaseStatus.CLOSED


def test_ombudsman_decision_before_receipt(officer_client, council, complaints_manager):
    case = ombudsman_case_register(
        council=council, acting_user=complaints_manager, received_date=date(2022, 5, 26), lgsco_reference="22 001 235"
    )
    data = {"decision": c.LgscoDecision.NOT_UPHELD, **day("decision_date", date(2022, 5, 1))}
    assert_refused(officer_client.post(url("ombudsman-decision", case), data), "cannot be before the date received")
    assert_done(
        officer_client,
        officer_client.post(url("ombudsman-decision", case), {**data, **day("decision_date", date(2022, 8, 1))}),
        case,
        "decision recorded",
    )


# -- who may act -----------------------------------------------------------------------------------------------


ACTIONS_ON_A_STAGE = [
    "stage-extend",
    "stage-hold",
    "stage-resume",
    "stage-acknowledge",
    "stage-respond",
    "stage2-appoint",
    "stage2-statement",
    "stage2-report",
    "stage2-adjudicate",
    "stage3-panel-appoint",
    "stage3-panel-record",
    "stage3-report",
    "stage3-respond",
]
ACTIONS_ON_A_CASE = [
    "complaint-accept",
    "complaint-decline",
    "complaint-escalate",
    "complaint-withdraw",
    "complaint-close",
    "complaint-reopen",
    "remedy-propose",
    "learning-action-create",
    "representation-respond",
    "ombudsman-decision",
    "ombudsman-compliance",
    "ombudsman-enquiry-respond",
    "document-upload",
]


@pytest.fixture
def targets(stage1, complaints_manager):
    case = stage1.case
    action = learning_action_create(
        council=case.council, acting_user=complaints_manager, finding="F", action="A", cases=[case]
    )
    complainant = case.complainants.get()
    urls = [url(name, case, stage1) for name in ACTIONS_ON_A_STAGE]
    urls += [url(name, case) for name in ACTIONS_ON_A_CASE]
    urls += [
        url(name, case, action)
        for name in ("learning-action-update", "learning-action-complete", "learning-action-not-implemented")
    ]
    urls += [url("complainant-interest-decide", case, complainant), url("case-detail", case)]
    return urls


def test_another_councils_officer_finds_nothing(other_client, targets):
    for target in targets:
        assert other_client.get(target).status_code == 404, target
        if "documents" not in target and target.count("/") > 3:
            assert other_client.post(target, {}).status_code in (404, 405), target


def test_signed_out_users_are_asked_to_sign_in(client, targets):
    for target in targets:
        response = client.get(target)
        assert response.status_code == 302, target
        assert response.url.startswith(reverse("accounts:login")), target


def test_a_stage_of_another_case_is_not_found(officer_client, stage1, council, complaints_manager):
    other = f.accepted(council, complaints_manager)
    assert officer_client.get(url("stage-extend", other, stage1)).status_code == 404


def test_escalate_refused_from_an_open_stage_within_its_time_keeps_the_case_r1_21(officer_client, complaint):
    response = officer_client.post(
        url("complaint-escalate", complaint), day("request_received_date", date(2022, 6, 13))
    )
    assert_refused(response, errors.ESCALATE_OPEN_STAGE.format(number=1, next=2, allowed="Monday 13 June 2022"))
    assert Case.objects.get(pk=complaint.pk).stages.count() == 1


def test_record_mediation_and_advocacy(officer_client, stage1):
    case = stage1.case
    target = url("case-support", case)
    assert "Record mediation and advocacy" in text(officer_client.get(url("case-detail", case)))
    page = text(officer_client.get(target))
    # The form starts from what is recorded.
    assert re.search(r'value="none"\s+checked', page)
    data = {
        "mediation": "resolved",
        "advocacy_offered": "yes",
        "advocacy_provided": "yes",
        "advocate_name": "",
        "advocate_organisation": "Advocacy for Young People",
    }
    assert_done(officer_client, officer_client.post(target, data), case, "Mediation and advocacy recorded")
    case.refresh_from_db()
    assert (case.mediation, case.advocacy_offered, case.advocacy_provided) == ("resolved", True, True)


def test_advocacy_provided_but_not_offered_is_shown_on_the_field(officer_client, stage1):
    data = {"mediation": "none", "advocacy_offered": "no", "advocacy_provided": "yes"}
    page = assert_refused(
        officer_client.post(url("case-support", stage1.case), data), "cannot have been provided without being offered"
    )
    assert 'href="#id_advocacy_offered' in page


# -- allocation ------------------------------------------------------------------------------------------------


def test_change_the_owner_with_a_reason(officer_client, complaint, complaints_officer):

    page = text(officer_client.get(url("case-detail", complaint)))
    target = url("case-owner-change", complaint)
    assert f'href="{target}"' in page
    assert "Change the owner" in text(officer_client.get(target))
    assert_refused(officer_client.post(target, {"owner": complaints_officer.pk}), "Enter why the owner is changing")
    data = {"owner": complaints_officer.pk, "reason": "Back from leave"}
    assert_done(officer_client, officer_client.post(target, data), complaint, f"Owner of {complaint.reference} changed")
    complaint.refresh_from_db()
    assert complaint.owner == complaints_officer
    event = AuditEvent.objects.filter(event_type=AuditEventType.CASE_OWNER_CHANGED, case_id=complaint.pk).get()
    assert event.after["case.owner"] == complaints_officer.pk
    # The same owner again is refused, on the field, keeping the reason typed.
    page = assert_refused(officer_client.post(target, data), "already has that owner")
    assert "Back from leave</textarea>" in page


def test_the_owner_must_be_a_member_of_the_council(officer_client, complaint):
    outsider: Any = UserFactory()
    response = officer_client.post(url("case-owner-change", complaint), {"owner": outsider.pk, "reason": "Cover"})
    assert_refused(response, "Select the owner from the list")
    complaint.refresh_from_db()
    assert complaint.owner != outsider


def test_the_pickers_offer_contacts_who_may_take_the_part(officer_client, stage2, council, independent_person):
    """Issue 15: an independent person without an account is offered beside the users, and appointed by the picker;
    a contact not attested independent, or deactivated, is not offered (docs/adr/0032)."""
    harriet = ContactFactory.create(council=council, name="Harriet Quenby")
    investigator_only = ContactFactory.create(
        council=council, name="Desmond Pellow", may_be_independent_person=False,
        may_be_investigating_officer=True, independent_of_council=False, independence_attested_at=None,
    )  # fmt: skip
    gone = ContactFactory.create(council=council, name="Tobias Wrenfield", active=False)
    target = url("stage2-appoint", stage2.case, stage2)

    page = officer_client.get(target).content.decode()
    independent = page.split('name="independent_person"')[1].split("</select>")[0]
    assert f'value="contact:{harriet.pk}"' in independent
    assert f'value="user:{independent_person.pk}"' in independent
    assert f'value="contact:{investigator_only.pk}"' not in independent
    assert f'value="contact:{gone.pk}"' not in independent
    investigators = page.split('name="investigating_officer"')[1].split("</select>")[0]
    assert f'value="contact:{investigator_only.pk}"' in investigators

    data = {**day("appointed_date", date(2022, 6, 21)), "investigating_officer": f"contact:{investigator_only.pk}",
            "independent_person": f"contact:{harriet.pk}"}  # fmt: skip
    officer_client.post(target, data)
    stage2.refresh_from_db()
    assert stage2.independent_contact == harriet
    assert stage2.investigating_contact == investigator_only
    detail = officer_client.get(reverse("casework:case-detail", args=[stage2.case.pk])).content.decode()
    assert "Harriet Quenby (Independent Advocacy Partnership), appointed" in detail
