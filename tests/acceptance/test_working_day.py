"""Acceptance: a complaints team's working week, driven through the web pages with the test client as the role
personas use them (issue 15). The clock is moved with time-machine, to noon in London on each day.

Monday 3 October 2022: a complaint taken by phone is registered with no owner, given to an officer, its
complainant's mistyped name corrected through its Change link (before and after audited, the new name shown) and a
call logged. Tuesday: stage 1 acknowledged. Wednesday: stage 1 extended (too far refused). Thursday: the response,
point by point, with the outcome following from the findings (a contradicting outcome with no reason refused).
Friday: a payment proposed, refused to the officer's role and to its proposer, approved and paid.

Beside it, a complaint received on Wednesday 21 September and not answered: the complainant's request for stage 2
is refused on Monday, while stage 1's time allowed is still running, and accepted on Thursday, once it has passed
(R1.21). Its investigation and review panel in the weeks after: a council officer refused as the independent person
(R1.3), the investigating officer refused as the adjudicator, a panel of the manager, the investigator and the head
of service refused, and the stage 2 independent person refused on the panel (R1.30); then an independent panel.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from opencomplaints.accounts.tests.personas import member
from opencomplaints.audit.models import AuditEvent, AuditEventText, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, PanelMember
from opencomplaints.cases.services import stage2_appoint, stage3_panel_appoint
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.models import Role
from opencomplaints.councils.tests.factories import RemedyTypeFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (date(2022, 10, d) for d in range(3, 8))
REGISTER = reverse("casework:complaint-register")


def on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False)


def url(name, *args):
    return reverse(f"casework:{name}", args=[a.pk if hasattr(a, "pk") else a for a in args])


def when(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def text(response):
    return unescape(response.content.decode())


def errors_on(response) -> str:
    """The page's error summary, where every refusal is listed."""
    assert response.status_code == 400, response.status_code
    found = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', text(response), re.S)
    assert found is not None, "no error summary on the page"
    return " | ".join(m.strip() for m in re.findall(r">([^<>]+)</a>", found.group(1)))


def post(client, address, data):
    """Open the form, then send it with the version of the case it showed, as a browser does."""
    opened = client.get(address)
    assert opened.status_code == 200, (address, opened.status_code)
    version = re.search(r'name="version" value="(\d+)"', opened.content.decode())
    return client.post(address, {**data, **({"version": version.group(1)} if version else {})})


def done(response):
    assert response.status_code == 302, re.findall(r"govuk-error-summary__list.*?</ul>", text(response), re.S)
    return response


def offered(page: str, name: str, *args) -> str:
    """The link the case page offers to an action or to change a detail: the way in is through the page."""
    target = url(name, *args)
    assert f'href="{target}"' in page, f"the page offers no link to {target}"
    return target


def management(prefix, total, minimum=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": str(minimum), f"{prefix}-MAX_NUM_FORMS": "10"}  # fmt: skip


def phone_complaint(received: date):
    return {
        **management("complainant", 1, 1),
        **management("child", 1),
        **when("received_date", received),
        "received_time": "9:40am",
        "received_via": c.ReceivedVia.PHONE,
        "procedure": c.Procedure.CHILDREN_STATUTORY,
        "start_stage": "1",
        "owner": "",  # taken by whoever answered the phone; the manager shares the cases out
        "summary": "Mother says the social worker missed two visits and did not return her calls.",
        "complainant-0-first_name": "Jhon",  # mistyped on the call
        "complainant-0-last_name": "Marsh",
        "complainant-0-phone": "01632 960 123",
        "complainant-0-complainant_type": c.ComplainantType.PARENT_RELATIVE,
        "complainant-0-eligibility_basis": c.EligibilityBasis.PARENT,
        "complainant-0-on_behalf_of_child": "yes",
        "complainant-0-child_consent": c.ChildConsent.GIVEN,
        "child-0-first_name": "Sam",
        "child-0-last_name": "Marsh",
        **when("child-0-date_of_birth", date(2012, 3, 4)),
        "child-0-support_category": c.SupportCategory.CIN,
    }


@pytest.fixture
def payment(council):
    return RemedyTypeFactory.create(council=council, code="financial", name="Financial remedy", is_financial=True)


def test_a_complaint_taken_by_phone_through_its_first_week(
    client, council, complaints_officer, complaints_manager, payment
):
    # -- Monday: registered by phone, given to an officer, the name corrected, a call logged ----------------------
    with on(MONDAY):
        client.force_login(complaints_officer)
        registered = done(client.post(REGISTER, phone_complaint(MONDAY)))
        case = Case.objects.get()
        assert registered.url == url("case-detail", case)
        assert (case.received_via, case.owner_id) == (c.ReceivedVia.PHONE, None)
        assert case.next_due_date == date(2022, 10, 17)  # 10 working days (R1.20)

        # The manager gives it to the officer, with a reason; without one it is refused.
        client.force_login(complaints_manager)
        owner = offered(text(client.get(url("case-detail", case))), "case-owner-change", case)
        refused = post(client, owner, {"owner": complaints_officer.pk, "reason": ""})
        assert "Enter why the owner is changing" in errors_on(refused)
        done(post(client, owner, {"owner": complaints_officer.pk, "reason": "Ola takes the Marsh family's cases"}))
        case.refresh_from_db()
        assert case.owner == complaints_officer
        given = AuditEvent.objects.get(case=case, event_type=AuditEventType.CASE_OWNER_CHANGED)
        assert (given.before["case.owner"], given.after["case.owner"]) == (None, complaints_officer.pk)

        client.force_login(complaints_officer)
        assert case.reference in text(client.get(reverse("tracker:my-cases")))
        done(post(client, url("complaint-accept", case), {}))

        # The complainant's first name was mistyped on the call: corrected through its Change link.
        page = text(client.get(url("case-detail", case)))
        assert "Jhon Marsh" in page
        complainant = case.complainants.get()
        name = offered(page, "complainant-name-change", case, complainant)
        assert 'value="Jhon"' in text(client.get(name))
        refused = post(client, name, {"first_name": "", "last_name": ""})
        assert "Enter the complainant's last name" in errors_on(refused)
        done(post(client, name, {"first_name": "John", "last_name": "Marsh"}))
        page = text(client.get(url("case-detail", case)))
        assert "John Marsh" in page
        assert "Jhon" not in page.split('id="timeline"')[0]  # the details show the corrected name
        corrected = AuditEvent.objects.get(case=case, event_type=AuditEventType.COMPLAINANT_DETAILS_CHANGED)
        assert corrected.acting_user == complaints_officer
        words = dict(
            AuditEventText.objects.filter(event=corrected, path="person.first_name").values_list("side", "text")
        )
        assert words == {"before": "Jhon", "after": "John"}
        timeline = page.split('id="timeline"')[-1]
        assert "Complainant's details changed" in timeline
        assert "Jhon, changed to John" in timeline  # the correction, before and after, on the timeline

        # A call from the complainant goes in the contact log and on the timeline.
        call = {
            "kind": c.NoteKind.CALL,
            **when("occurred_on", MONDAY),
            "occurred_time": "15:10",
            "with_whom": "Mr Marsh",
            "direction": "in",
            "summary": "Asked who is dealing with his complaint",
        }
        refused = post(client, url("case-note-add", case), call)  # it is noon: 3:10pm has not come yet
        assert "The date of the contact cannot be in the future." in errors_on(refused)
        done(post(client, url("case-note-add", case), {**call, "occurred_time": "11:50"}))
        page = text(client.get(url("case-detail", case)))
        assert "Phone call, incoming with Mr Marsh" in page
        assert "Asked who is dealing with his complaint" in page

    stage1 = case.stages.get()

    # -- Tuesday: stage 1 acknowledged --------------------------------------------------------------------------
    with on(TUESDAY):
        client.force_login(complaints_officer)
        acknowledge = url("stage-acknowledge", case, stage1)
        assert "Date acknowledged must be today or in the past" in errors_on(
            post(client, acknowledge, when("acknowledged_date", WEDNESDAY))
        )
        done(post(client, acknowledge, when("acknowledged_date", TUESDAY)))
        stage1.refresh_from_db()
        assert stage1.acknowledged_date == TUESDAY
        assert "Acknowledgement of stage 1 recorded" in text(client.get(url("case-detail", case)))

    # -- Wednesday: more time needed; beyond the longest extension is refused -----------------------------------
    with on(WEDNESDAY):
        client.force_login(complaints_officer)  # a new day, a new session
        extend = url("stage-extend", case, stage1)
        too_far = {**when("extended_due_date", date(2022, 11, 1)), "reason": "The social worker is on leave",
                   **when("notified_date", WEDNESDAY)}  # fmt: skip
        refused = errors_on(post(client, extend, too_far))
        assert (
            "Stage 1 can be extended to at most 20 working days from Monday 3 October 2022, which is Monday 31 "
            "October 2022; Tuesday 1 November 2022 is too late." in refused
        )
        done(post(client, extend, {**too_far, **when("extended_due_date", date(2022, 10, 28))}))
        case.refresh_from_db()
        assert case.next_due_date == date(2022, 10, 28)

    # -- Thursday: the response, point by point --------------------------------------------------------------
    with on(THURSDAY):
        client.force_login(complaints_officer)
        for point in ("Two visits were missed without notice", "Calls to the social worker were not returned"):
            done(post(client, url("complaint-point-add", case), {"description": point}))
        first, second = case.points.order_by("number")
        respond = url("stage-respond", case, stage1)
        form = text(client.get(respond))
        assert "Point 1: Two visits were missed without notice" in form
        answers = {
            **when("response_date", THURSDAY),
            f"finding_{first.pk}": c.Finding.UPHELD,
            f"response_{first.pk}": "We are sorry: both visits should have gone ahead.",
            f"finding_{second.pk}": c.Finding.NOT_UPHELD,
            "response_sent_via": c.ResponseSentVia.EMAIL,
        }
        contradicting = post(client, respond, {**answers, "outcome": c.Outcome.UPHELD})
        assert (
            "At stage 1 the findings on the points give partly upheld, not upheld: leave the outcome empty to "
            "follow the findings, or give the reason for choosing another." in errors_on(contradicting)
        )
        done(post(client, respond, answers))
        stage1.refresh_from_db()
        assert stage1.outcome == c.Outcome.PARTLY_UPHELD  # one upheld, one not: partly upheld
        assert dict(stage1.findings.values_list("point__number", "finding")) == {
            1: c.Finding.UPHELD,
            2: c.Finding.NOT_UPHELD,
        }
        page = text(client.get(url("case-detail", case)))
        assert "Stage 1: partly upheld" in page
        assert "We are sorry: both visits should have gone ahead." in page

    # -- Friday: a payment for the missed visits, approved by the manager and paid --------------------------------
    with on(FRIDAY):
        client.force_login(complaints_officer)
        done(post(client, url("remedy-propose", case),
                  {"remedy_type": payment.pk, "stage": stage1.pk, "amount": "£150",
                   "description": "For the missed visits"}))  # fmt: skip
        remedy = case.remedies.get()
        assert remedy.amount == Decimal("150.00")
        approve = url("remedy-approve", case, remedy)
        approval = {**when("approved_date", FRIDAY), **when("due_date", date(2022, 10, 21))}
        forbidden = client.post(approve, approval)  # a complaints officer may not approve a remedy
        assert forbidden.status_code == 403
        assert "Your role lets you see this case but not do this. Nothing has been changed." in text(forbidden)

        # A manager who proposed a payment may not approve it; another may.
        client.force_login(complaints_manager)
        done(post(client, url("remedy-propose", case), {"remedy_type": payment.pk, "amount": "40",
                                                        "description": "Time and trouble"}))  # fmt: skip
        own = case.remedies.get(amount=Decimal("40.00"))
        refused = post(client, url("remedy-approve", case, own), approval)
        assert (
            "You proposed this payment, so someone else must approve it. Ask another complaints manager or the "
            "adjudicator." in errors_on(refused)
        )
        page = text(client.get(url("case-detail", case)))
        done(post(client, offered(page, "remedy-approve", case, remedy), approval))

        client.force_login(complaints_officer)
        pay = url("remedy-pay", case, remedy)
        done(post(client, pay, {**when("paid_date", FRIDAY), "payment_reference": "BACS 118204"}))
        remedy.refresh_from_db()
        own.refresh_from_db()
        assert (remedy.status, remedy.paid_date, remedy.payment_reference) == (
            c.RemedyStatus.PAID,
            FRIDAY,
            "BACS 118204",
        )
        assert own.status == c.RemedyStatus.PROPOSED
        page = text(client.get(url("case-detail", case)))
        assert "7 October 2022, reference BACS 118204" in page


def test_an_unanswered_stage_1_escalated_and_an_independent_panel_appointed(
    client,
    council,
    complaints_officer,
    complaints_manager,
    internal_investigating_officer,
    independent_person,
    adjudicator,
    panel_members,
):
    case = f.accepted(council, complaints_officer, received_date=date(2022, 9, 21))
    head_of_service = member(council, "hos.hal", "Hal", "Brennan", Role.INVESTIGATING_MANAGER,
                             job_title="Head of Service, Children's Social Care")  # fmt: skip
    escalate = url("complaint-escalate", case)

    # Monday: the complainant asks for stage 2; stage 1's 10 working days run to Wednesday, so it is refused.
    with on(MONDAY):
        client.force_login(complaints_officer)
        refused = post(client, escalate, when("request_received_date", MONDAY))
        assert (
            "Stage 1 has not been answered and its time allowed runs until Wednesday 5 October 2022: respond to it, "
            "or record a request for stage 2 made after that date." in errors_on(refused)
        )
        assert case.stages.count() == 1
        assert f'href="{escalate}"' not in text(client.get(url("case-detail", case)))  # not offered yet

    # Thursday: the time allowed has passed and stage 1 is still not answered: stage 2 opens (R1.21).
    with on(THURSDAY):
        client.force_login(complaints_officer)
        page = text(client.get(url("case-detail", case)))
        assert "Open stage 2: stage 1 was not answered in the time allowed" in page
        done(post(client, offered(page, "complaint-escalate", case),
                  when("request_received_date", THURSDAY)))  # fmt: skip
        stage1, stage2 = case.stages.order_by("number")
        assert (stage1.outcome, stage1.response_date) == (c.Outcome.NOT_ANSWERED_IN_TIME, THURSDAY)
        assert (stage2.number, stage2.received_date) == (2, THURSDAY)
        assert "Stage 1: not answered in the time allowed" in text(client.get(url("case-detail", case)))

    # Friday: the investigation appointed. A council officer cannot be the independent person (R1.3): the picker
    # does not offer one, and the service refuses one given another way.
    with on(FRIDAY):
        client.force_login(complaints_officer)
        appoint = url("stage2-appoint", case, stage2)
        form = text(client.get(appoint))
        assert str(independent_person) in form
        picker = re.search(r'<select[^>]*name="independent_person".*?</select>', form, re.S)
        assert picker is not None
        assert str(complaints_officer) not in picker.group(0)
        refused = post(client, appoint, {**when("appointed_date", FRIDAY),
                                         "investigating_officer": internal_investigating_officer.pk,
                                         "independent_person": complaints_officer.pk})  # fmt: skip
        assert "Select the independent person from the list" in errors_on(refused)
        with pytest.raises(ProcedureError) as officer_refused:
            stage2_appoint(stage=stage2, acting_user=complaints_officer, appointed_date=FRIDAY,
                           independent_person=complaints_officer)  # fmt: skip
        assert officer_refused.value.message == errors.IP_IS_OFFICER.format(user=complaints_officer)
        done(post(client, appoint, {**when("appointed_date", FRIDAY),
                                    "investigating_officer": internal_investigating_officer.pk,
                                    "independent_person": independent_person.pk}))  # fmt: skip

    # The weeks after: the statement agreed, the report in; the investigating officer may not adjudicate.
    with on(date(2022, 10, 12)):
        client.force_login(complaints_officer)
        done(post(client, url("stage2-statement", case, stage2), {**when("agreed_date", date(2022, 10, 12)),
             "points": "Two visits were missed without notice\nCalls were not returned"}))  # fmt: skip
    with on(date(2022, 11, 4)):
        client.force_login(complaints_officer)
        done(post(client, url("stage2-report", case, stage2), when("report_date", date(2022, 11, 4))))
    with on(date(2022, 11, 11)):
        client.force_login(complaints_officer)
        first, second = case.points.order_by("number")
        adjudicate = url("stage2-adjudicate", case, stage2)
        decision = {**when("adjudication_date", date(2022, 11, 11)), f"finding_{first.pk}": c.Finding.UPHELD,
                    f"finding_{second.pk}": c.Finding.UPHELD, "response_sent_via": c.ResponseSentVia.EMAIL}  # fmt: skip
        refused = post(client, adjudicate, {**decision, "adjudicator": internal_investigating_officer.pk})
        assert (
            f"{internal_investigating_officer} investigated the complaint, so cannot also adjudicate on it: choose "
            "someone else." in errors_on(refused)
        )
        done(post(client, adjudicate, {**decision, "adjudicator": adjudicator.pk}))
        stage2.refresh_from_db()
        assert (stage2.outcome, stage2.adjudicator) == (c.Outcome.UPHELD, adjudicator)

    # The complainant asks for a review panel; the manager appoints it.
    with on(date(2022, 11, 18)):
        client.force_login(complaints_officer)
        done(post(client, escalate, when("request_received_date", date(2022, 11, 18))))
        stage3 = case.stages.get(number=3)
        client.force_login(complaints_manager)
        panel = url("stage3-panel-appoint", case, stage3)
        form = text(client.get(panel))
        for person in (complaints_manager, internal_investigating_officer, head_of_service):
            assert f">{person}" not in form  # only independent people are offered (R1.30)

        # A panel of the manager, the investigator and the head of service: refused.
        staff = {"chair": complaints_manager.pk, "members": [internal_investigating_officer.pk, head_of_service.pk]}
        refused = errors_on(post(client, panel, staff))
        assert "Select the chair from the list" in refused
        assert "Select the members from the list" in refused
        with pytest.raises(ProcedureError) as staff_refused:
            stage3_panel_appoint(stage=stage3, acting_user=complaints_manager, chair=head_of_service,
                                 members=[internal_investigating_officer, complaints_manager])  # fmt: skip
        assert staff_refused.value.message == errors.PANEL_CONNECTED.format(
            user=internal_investigating_officer, part="investigated"
        )
        with pytest.raises(ProcedureError) as unconnected_staff:
            stage3_panel_appoint(stage=stage3, acting_user=complaints_manager, chair=head_of_service,
                                 members=panel_members[:2])  # fmt: skip
        assert unconnected_staff.value.message == errors.PANEL_NOT_INDEPENDENT.format(user=head_of_service)

        # The stage 2 independent person may not sit on the panel.
        chair, *others = panel_members
        with_ip = {"chair": independent_person.pk, "members": [p.pk for p in others]}
        assert (
            f"{independent_person} was the independent person at stage 2 and may not sit on the review panel."
            in errors_on(post(client, panel, with_ip))
        )
        # Two people are not a panel.
        assert "A review panel has exactly three people, one of whom chairs it; 2 were given." in errors_on(
            post(client, panel, {"chair": chair.pk, "members": [others[0].pk]})
        )
        assert not PanelMember.objects.filter(stage=stage3).exists()

        done(post(client, panel, {"chair": chair.pk, "members": [p.pk for p in others]}))
        appointed = dict(PanelMember.objects.filter(stage=stage3).values_list("user_id", "role"))
        assert appointed == {chair.pk: c.PanelRole.CHAIR, **{p.pk: c.PanelRole.MEMBER for p in others}}
        assert "Review panel appointed" in text(client.get(url("case-detail", case)))
