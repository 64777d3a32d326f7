"""The case page: what it shows, the actions it offers for the case's state, and a fixed number of queries."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencomplaints.audit.services import audit_events_redact
from opencomplaints.cases import constants as c
from opencomplaints.cases.services import (
    EnquirerInput,
    complaint_withdraw,
    learning_action_create,
    ombudsman_case_register,
    remedy_record,
    representation_register,
    stage3_panel_appoint,
    stage3_panel_record,
    stage3_report_record,
    stage3_respond,
    stage_hold,
    stage_respond,
    stage_resume,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.casework.services import document_upload

pytestmark = pytest.mark.django_db

# Session, user and two-factor device (3), the access check and the user's role in the case's council (2), then the
# page: the case with its one-to-one details, teams, issues, complainants, children, stages, holds, panel,
# recommendations, points, findings, deadlines, remedies, learning actions, documents, timeline and the words
# recorded with its events, later cases and Ombudsman cases (19), the notes and contacts (1), the record that the user
# viewed it (1), and which of the navigation's sections the user may open (1).
CASE_PAGE_QUERIES = 30  # with the notes of the timeline and the case's letters and emails


def text(response):
    return unescape(response.content.decode())


def page_url(case):
    return reverse("casework:case-detail", args=[case.pk])


def pdf(name="letter.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n", content_type="application/pdf")


def rich_case(council, user, *, io, ip, adjudicator, panel, apology, payment, points=6, extra_events=0):
    """A complaint taken to the end of stage 3, with every kind of record the page shows."""
    stage3 = f.at_stage3(council, user, investigating_officer=io, independent_person=ip, adjudicator=adjudicator)
    case = stage3.case
    stage1 = case.stages.get(number=1)
    stage3_panel_appoint(stage=stage3, acting_user=user, chair=panel[0], members=panel[1:])
    stage_hold(stage=stage3, acting_user=user, start_date=date(2022, 8, 16), reason=c.HoldReason.COMPLAINANT_REQUEST)
    stage_resume(stage=stage3, acting_user=user, end_date=date(2022, 8, 19))
    stage3_panel_record(stage=stage3, acting_user=user, panel_date=date(2022, 9, 1))
    stage3_report_record(
        stage=stage3,
        acting_user=user,
        report_date=date(2022, 9, 6),
        recommendations=[f"Recommendation {n}" for n in range(1, points + 1)],
    )
    stage3_respond(
        stage=stage3,
        acting_user=user,
        response_date=date(2022, 9, 20),
        findings=dict.fromkeys(case.points.all(), c.Finding.PARTLY_UPHELD),
        recommendation_responses=dict.fromkeys(stage3.recommendations.all(), True),
    )
    for n in range(points):
        remedy_record(case=case, acting_user=user, remedy_type=payment, stage=stage3, amount=Decimal(100 + n))
        remedy_record(case=case, acting_user=user, remedy_type=apology, stage=stage1, description=f"Apology {n}")
        learning_action_create(
            council=council, acting_user=user, finding=f"F{n}", action=f"A{n}", cases=[case], owner=io
        )
        document_upload(case=case, acting_user=user, file=pdf(f"letter-{n}.pdf"), kind="letter", stage=stage1)
    for n in range(extra_events):
        document_upload(case=case, acting_user=user, file=pdf(f"evidence-{n}.pdf"), kind="evidence")
    return case


@pytest.fixture
def big_case(
    council, complaints_manager, investigating_officer, independent_person, adjudicator, panel_members, apology, payment
):
    return rich_case(
        council,
        complaints_manager,
        io=investigating_officer,
        ip=independent_person,
        adjudicator=adjudicator,
        panel=panel_members,
        apology=apology,
        payment=payment,
        points=6,
        extra_events=10,
    )


def test_the_case_page_shows_everything(officer_client, big_case):
    page = text(officer_client.get(page_url(big_case)))
    assert f'<h1 class="govuk-heading-l">{big_case.reference}</h1>' in page
    for expected in [
        "Deadlines",
        "Required by the procedure",
        "Social worker did not return calls",
        "Partly upheld",
        "Indira Vale, appointed",
        "Pat Rowntree (chair)",
        "Recommendation 6",
        "The council follows it",
        "£615.00",  # 100 + 101 + ... + 105
        "Apology 5",
        "letter-5.pdf",
        "A5",
        "Review panel report received",
        "Complaint registered",
        "Stage put on hold",
    ]:
        assert expected in page, expected
    # Newest first: the last upload comes before the registration. The timeline names the file from the words kept
    # beside the audit row, not from the row itself.
    assert page.index("evidence-9.pdf") < page.index("Complaint registered")
    assert "Evidence document #" in page
    # Words a complaints officer uses: no rule numbers on the page (issue 15, item 8).
    assert not re.search(r"\bR[1-9]\.[0-9]|§|\breg\.? ?[0-9]", page)


def test_query_count_does_not_grow_with_the_case(
    officer_client, council, complaints_manager, big_case, django_assert_num_queries
):
    small = f.register(council, complaints_manager)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        assert officer_client.get(page_url(small)).status_code == 200
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        assert officer_client.get(page_url(big_case)).status_code == 200


def test_query_count_for_other_kinds(officer_client, council, complaints_manager, django_assert_num_queries):
    query = representation_register(
        council=council,
        acting_user=complaints_manager,
        kind=c.Kind.MP_ENQUIRY,
        received_date=date(2022, 5, 26),
        enquirer=f_enquirer(),
    )
    ombudsman = ombudsman_case_register(
        council=council, acting_user=complaints_manager, received_date=date(2022, 5, 26), lgsco_reference="22 000 001"
    )
    for case in (query, ombudsman):
        with django_assert_num_queries(CASE_PAGE_QUERIES):
            response = officer_client.get(page_url(case))
        assert response.status_code == 200


def f_enquirer():
    return EnquirerInput(enquirer_type=c.EnquirerType.MP, name="Ann Other MP", constituency_or_ward="Exampleton North")


def actions_on(client, case):
    page = text(client.get(page_url(case)))
    return page


def links(client, case, *names_and_args):
    page = actions_on(client, case)
    return {name: reverse(f"casework:{name}", args=args) in page for name, *args in names_and_args}


def test_a_complaint_in_triage_offers_triage(officer_client, council, complaints_manager):
    case = f.register(council, complaints_manager)
    stage = case.stages.get()
    offered = links(
        officer_client,
        case,
        ("complaint-accept", case.pk),
        ("complaint-decline", case.pk),
        ("stage-respond", case.pk, stage.pk),
        ("complaint-close", case.pk),
        ("complaint-reopen", case.pk),
        ("stage-extend", case.pk, stage.pk),
    )
    assert offered == {
        "complaint-accept": True,
        "complaint-decline": True,
        "stage-respond": False,
        "complaint-close": False,
        "complaint-reopen": False,
        "stage-extend": True,
    }


def test_an_answered_stage_offers_escalation_and_closure(officer_client, complaint, complaints_manager):
    stage = complaint.stages.get()
    stage_respond(
        stage=stage, acting_user=complaints_manager, response_date=date(2022, 6, 10), outcome=c.Outcome.NOT_UPHELD
    )
    offered = links(
        officer_client,
        complaint,
        ("complaint-escalate", complaint.pk),
        ("complaint-close", complaint.pk),
        ("stage-respond", complaint.pk, stage.pk),
        ("complaint-withdraw", complaint.pk),
    )
    assert offered == {
        "complaint-escalate": True,
        "complaint-close": True,
        "stage-respond": False,
        "complaint-withdraw": False,
    }


def test_stage_2_offers_its_steps_in_order(
    officer_client, stage2, complaints_manager, investigating_officer, independent_person
):
    case = stage2.case
    names = [
        ("stage2-appoint", case.pk, stage2.pk),
        ("stage2-statement", case.pk, stage2.pk),
        ("stage2-report", case.pk, stage2.pk),
        ("stage2-adjudicate", case.pk, stage2.pk),
        ("stage-extend", case.pk, stage2.pk),
        ("stage-respond", case.pk, stage2.pk),
    ]
    assert links(officer_client, case, *names) == {
        "stage2-appoint": True,
        "stage2-statement": True,
        "stage2-report": False,
        "stage2-adjudicate": False,
        "stage-extend": False,  # R1.26: nothing to extend until the statement is agreed
        "stage-respond": False,  # the adjudication is the stage 2 response
    }
    f.investigated(
        stage2, complaints_manager, investigating_officer=investigating_officer, independent_person=independent_person
    )
    assert links(officer_client, case, *names) == {
        "stage2-appoint": True,
        "stage2-statement": True,
        "stage2-report": True,
        "stage2-adjudicate": True,
        "stage-extend": True,
        "stage-respond": False,
    }


def test_a_closed_case_offers_reopening(officer_client, big_case):
    assert links(officer_client, big_case, ("complaint-reopen", big_case.pk), ("complaint-close", big_case.pk)) == {
        "complaint-reopen": True,
        "complaint-close": False,
    }


def test_a_hold_offers_resuming(officer_client, stage1, complaints_manager):
    stage_hold(stage=stage1, acting_user=complaints_manager, start_date=date(2022, 6, 1), reason=c.HoldReason.OTHER)
    case = stage1.case
    page = actions_on(officer_client, case)
    assert reverse("casework:stage-resume", args=[case.pk, stage1.pk]) in page
    assert reverse("casework:stage-hold", args=[case.pk, stage1.pk]) not in page
    assert ">On hold</strong>" in page


def test_overdue_deadlines_are_tagged(officer_client, complaint):
    page = actions_on(officer_client, complaint)
    assert ">Overdue</strong>" in page  # due 13 June 2022 and never answered


def test_another_council_cannot_see_the_case(other_client, complaint):
    assert other_client.get(page_url(complaint)).status_code == 404


def test_the_case_page_needs_signing_in(client, complaint):
    assert client.get(page_url(complaint)).url.startswith(reverse("accounts:login"))


def test_an_ombudsman_case_offers_its_steps(officer_client, council, complaints_manager):
    case = ombudsman_case_register(
        council=council, acting_user=complaints_manager, received_date=date(2022, 5, 26), lgsco_reference="22 000 002"
    )
    offered = links(
        officer_client,
        case,
        ("ombudsman-decision", case.pk),
        ("ombudsman-enquiry-respond", case.pk),
        ("ombudsman-compliance", case.pk),
    )
    assert offered == {"ombudsman-decision": True, "ombudsman-enquiry-respond": True, "ombudsman-compliance": False}


def test_the_timeline_shows_the_words_recorded_with_an_event_until_the_retention_removes_them(
    officer_client, council, complaints_manager
):
    case = f.accepted(council, complaints_manager)
    complaint_withdraw(
        case=case, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 1), note="Moved to another council"
    )
    page = text(officer_client.get(page_url(case)))
    assert "Complaint withdrawn" in page
    assert "Moved to another council" in page

    audit_events_redact(case_id=case.pk, acting_user=None)
    page = text(officer_client.get(page_url(case)))
    assert "Complaint withdrawn" in page
    assert "Moved to another council" not in page
