"""The tracker's rows, flags and counts, on known dates (the selectors take "today" as an argument)."""

from datetime import date

import pytest
from django.utils import timezone

from opencomplaints.cases import constants as c
from opencomplaints.cases.services import (
    EnquirerInput,
    complaint_close,
    complaint_register,
    ombudsman_case_register,
    representation_register,
    stage3_panel_appoint,
    stage_extend,
    stage_hold,
    stage_respond,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.notifications.models import MessageStatus
from opencomplaints.notifications.services import message_delivery_record, message_mark_sent, message_queue
from opencomplaints.tracker.selectors import (
    Flag,
    StageFilter,
    TrackerFilters,
    TrackerSort,
    tracker_counts,
    tracker_page,
)
from opencomplaints.tracker.tests.conftest import (
    RECEIVED,
    STAGE1_DUE,
    awaiting_adjudication,
    awaiting_report,
    complainant,
    complaint,
)

pytestmark = pytest.mark.django_db

ALL = TrackerFilters()


def only_row(user, today, filters=ALL):
    rows = tracker_page(user=user, filters=filters, today=today).rows
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize(
    ("today", "left", "flags"),
    [
        (date(2022, 6, 6), 5, ()),
        (date(2022, 6, 7), 4, ()),
        (date(2022, 6, 8), 3, (Flag.DUE_SOON,)),
        (date(2022, 6, 10), 1, (Flag.DUE_SOON,)),
        (date(2022, 6, 11), 1, (Flag.DUE_SOON,)),  # a Saturday: Monday, the due date, is the next working day
        (STAGE1_DUE, 0, (Flag.DUE_SOON,)),
        (date(2022, 6, 14), -1, (Flag.OVERDUE,)),
        (date(2022, 6, 20), -5, (Flag.OVERDUE,)),
    ],
)
def test_working_days_left_and_due_flags_follow_the_statutory_calendar(council, complaints_officer, today, left, flags):
    complaint(council, complaints_officer)
    row = only_row(complaints_officer, today)
    assert row.due_date == STAGE1_DUE
    assert row.working_days_left == left
    assert row.flags == flags


def test_the_jubilee_bank_holidays_are_not_working_days(council, complaints_officer):
    complaint(council, complaints_officer)
    # 1 June to 13 June 2022: 2 and 3 June are bank holidays, so 6 working days, not 8.
    assert only_row(complaints_officer, date(2022, 6, 1)).working_days_left == 6


def test_an_extension_moves_the_due_date_and_the_flags(council, complaints_officer):
    case = complaint(council, complaints_officer)
    stage_extend(
        stage=f.stage(case, 1),
        acting_user=complaints_officer,
        extended_due_date=date(2022, 6, 24),
        reason="Complex",
        notified_date=date(2022, 6, 1),
    )
    row = only_row(complaints_officer, date(2022, 6, 14))
    assert row.due_date == date(2022, 6, 24)
    assert row.flags == ()


def test_a_case_on_hold_is_flagged_and_still_overdue_by_the_statutory_date(council, complaints_officer):
    # R1.37: the statutory due date does not move while the case is on hold.
    case = complaint(council, complaints_officer)
    stage_hold(
        stage=f.stage(case, 1),
        acting_user=complaints_officer,
        start_date=date(2022, 6, 1),
        reason=c.HoldReason.AWAITING_ADVOCATE,
    )
    row = only_row(complaints_officer, date(2022, 6, 20))
    assert row.flags == (Flag.OVERDUE, Flag.ON_HOLD)


def test_stage_two_awaiting_the_investigators_report(
    council, complaints_manager, investigating_officer, independent_person
):
    awaiting_report(council, complaints_manager, investigating_officer, independent_person)
    row = only_row(complaints_manager, date(2022, 7, 4))
    assert row.stage_label == "Stage 2"
    assert row.flags == (Flag.AWAITING_REPORT,)


def test_stage_two_awaiting_adjudication(council, complaints_manager, investigating_officer, independent_person):
    awaiting_adjudication(council, complaints_manager, investigating_officer, independent_person)
    row = only_row(complaints_manager, date(2022, 7, 26))
    assert row.flags == (Flag.AWAITING_ADJUDICATION,)


def test_stage_two_before_the_statement_is_agreed_awaits_neither(council, complaints_manager):
    f.at_stage2(council, complaints_manager)
    assert only_row(complaints_manager, date(2022, 6, 21)).flags == ()


def test_an_answered_stage_waits_on_the_complainant_and_is_never_overdue(council, complaints_officer):
    # R1.22: the window to ask for stage 2 is the complainant's clock, not the council's.
    case = complaint(council, complaints_officer)
    stage_respond(
        stage=f.stage(case, 1), acting_user=complaints_officer, response_date=date(2022, 6, 10), outcome="upheld"
    )
    row = only_row(complaints_officer, date(2022, 9, 1))
    assert row.stage_label == "Stage 1 answered"
    assert row.working_days_left < 0
    assert row.flags == ()
    assert tracker_counts(user=complaints_officer, today=date(2022, 9, 1)).overdue == 0
    assert (
        tracker_page(user=complaints_officer, filters=TrackerFilters(overdue=True), today=date(2022, 9, 1)).rows == []
    )


def test_labels_of_each_kind_of_case(council, complaints_officer, team):
    complaint_register(
        council=council, acting_user=complaints_officer, received_date=RECEIVED, complainants=[complainant("A", "B")]
    )
    representation_register(
        council=council,
        acting_user=complaints_officer,
        kind=c.Kind.MP_ENQUIRY,
        received_date=RECEIVED,
        topic="Housing for a care leaver",
        enquirer=EnquirerInput(enquirer_type="mp", name="Jo Member"),
        teams=[team],
    )
    ombudsman_case_register(
        council=council,
        acting_user=complaints_officer,
        received_date=RECEIVED,
        lgsco_reference="22 001 234",
        enquiry_due_date=date(2022, 6, 23),
    )
    rows = tracker_page(user=complaints_officer, filters=ALL, today=date(2022, 6, 1), sort=TrackerSort.STAGE).rows
    assert [(r.type_label, r.stage_label) for r in rows] == [
        ("Children's complaint", "Triage"),
        ("MP enquiry", "Awaiting response"),
        ("Ombudsman case", "Enquiries"),
    ]
    assert rows[1].teams == ("Assessment East",)
    assert rows[2].due_date == date(2022, 6, 23)


def test_counts_by_stage_and_overdue(
    council, complaints_manager, investigating_officer, independent_person, adjudicator
):
    complaint(council, complaints_manager)
    complaint(council, complaints_manager, received=date(2022, 6, 6))
    f.at_stage2(council, complaints_manager)
    f.at_stage3(
        council,
        complaints_manager,
        investigating_officer=investigating_officer,
        independent_person=independent_person,
        adjudicator=adjudicator,
    )
    complaint_register(
        council=council, acting_user=complaints_manager, received_date=RECEIVED, complainants=[complainant("A", "B")]
    )
    counts = tracker_counts(user=complaints_manager, today=date(2022, 6, 15))
    assert counts.total == 5
    assert dict(counts.by_stage) == {
        StageFilter.TRIAGE: 1,
        StageFilter.STAGE_1: 2,
        StageFilter.STAGE_2: 1,
        StageFilter.STAGE_3: 1,
        StageFilter.REPRESENTATION: 0,
        StageFilter.OMBUDSMAN: 0,
    }
    # The stage 1 complaint received on 26 May and the one in triage were due on 13 June.
    assert counts.overdue == 2


def test_my_cases_are_those_owned_or_worked_on_at_the_open_stage(
    council, complaints_officer, complaints_manager, investigating_officer, independent_person, panel_members
):
    owned = complaint(council, complaints_manager, owner=complaints_officer)
    complaint(council, complaints_manager, owner=complaints_manager)
    investigated = awaiting_report(council, complaints_manager, investigating_officer, independent_person).case
    stage3 = f.at_stage3(
        council,
        complaints_manager,
        investigating_officer=investigating_officer,
        independent_person=independent_person,
        adjudicator=complaints_manager,
    )
    stage3_panel_appoint(
        stage=stage3, acting_user=complaints_manager, chair=panel_members[0], members=panel_members[1:]
    )

    def mine(user):
        filters = TrackerFilters(mine=True)
        return {row.reference for row in tracker_page(user=user, filters=filters, today=date(2022, 9, 1)).rows}

    assert mine(complaints_officer) == {owned.reference}
    # The investigating officer's stage 2 of the escalated complaint has ended, so only the open one counts.
    assert mine(investigating_officer) == {investigated.reference}
    assert mine(panel_members[2]) == {stage3.case.reference}
    assert tracker_counts(user=complaints_officer, today=date(2022, 9, 1), mine=True).total == 1


def test_the_other_councils_cases_never_appear(council, other_council, complaints_officer, other_council_officer):
    complaint(council, complaints_officer)
    complaint(other_council, other_council_officer)
    assert [r.reference for r in tracker_page(user=complaints_officer, filters=ALL, today=RECEIVED).rows] == [
        "CSC-2022-0001"
    ]
    assert tracker_counts(user=complaints_officer, today=RECEIVED).total == 1


def test_a_system_administrator_sees_no_case(
    council, other_council, complaints_officer, other_council_officer, system_administrator
):
    # A superuser configures the system; cases are seen only through a council role (ADR 0005).
    complaint(council, complaints_officer)
    complaint(other_council, other_council_officer)
    assert tracker_page(user=system_administrator, filters=ALL, today=RECEIVED).rows == []
    assert tracker_counts(user=system_administrator, today=RECEIVED).total == 0


def test_closed_cases_are_not_on_the_tracker(council, complaints_officer):
    case = complaint(council, complaints_officer)
    stage_respond(
        stage=f.stage(case, 1), acting_user=complaints_officer, response_date=date(2022, 6, 10), outcome="upheld"
    )
    complaint_close(case=case, acting_user=complaints_officer, closed_date=date(2022, 8, 1))
    assert tracker_page(user=complaints_officer, filters=ALL, today=RECEIVED).rows == []


def test_a_case_whose_email_did_not_go_is_flagged_until_it_is_sent_another_way(council, complaints_officer):
    case = complaint(council, complaints_officer)
    message = message_queue(
        template_key="follow_link",
        recipient="sam.ward@example.org",
        personalisation={
            "greeting": "Dear Sam",
            "reference": case.reference,
            "follow_link": "http://127.0.0.1:8000/follow/abc/",
            "link_expires": "25 June 2022",
            "council": council.name,
        },
        idempotency_key="follow:tracker",
        case=case,
    )
    type(message).objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, provider="smtp", provider_id="follow:tracker", sent_at=timezone.now()
    )
    assert Flag.EMAIL_NOT_SENT not in only_row(complaints_officer, date(2022, 6, 6)).flags
    message_delivery_record(
        provider="smtp", provider_id="follow:tracker", delivered=False, detail="mailbox unavailable", at=timezone.now()
    )
    assert only_row(complaints_officer, date(2022, 6, 6)).flags == (Flag.EMAIL_NOT_SENT,)
    message.refresh_from_db()
    message_mark_sent(message=message, acting_user=complaints_officer, sent_at=timezone.now(), sent_via="post")
    assert Flag.EMAIL_NOT_SENT not in only_row(complaints_officer, date(2022, 6, 6)).flags
