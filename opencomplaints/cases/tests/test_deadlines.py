"""The bridge to the deadline engine: due dates stored from the recorded dates, kept in step when they change, and
moved in bulk when the working-day calendar changes."""

from datetime import date

import pytest

from opencomplaints.calendars.models import BankHolidayOverride, OverrideKind
from opencomplaints.calendars.services import calendar_override_create
from opencomplaints.cases import constants as c
from opencomplaints.cases.deadlines import case_deadlines_refresh, deadlines_recompute_open
from opencomplaints.cases.models import Case, Deadline
from opencomplaints.cases.services import (
    EnquirerInput,
    complaint_escalate,
    complaint_withdraw,
    representation_register,
    stage2_adjudicate,
    stage2_report_receive,
    stage2_statement_agree,
    stage3_panel_appoint,
    stage3_panel_record,
    stage3_report_record,
    stage_acknowledge,
    stage_extend,
    stage_hold,
    stage_respond,
    stage_resume,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import CorporateProcedureFactory


def _dates(case, key):
    row = case.deadlines.get(key=key)
    return row.anchor_date, row.due_date, row.extended_due_date


def test_stage_1_received_thursday_26_may_2022_is_due_monday_13_june_r1_20(complaint):
    # Day 0 is the receipt; the Platinum Jubilee holidays (2 and 3 June) are not working days (R5.10, R1.2).
    assert _dates(complaint, "stage1_response") == (date(2022, 5, 26), date(2022, 6, 13), None)
    row = complaint.deadlines.get(key="stage1_response")
    assert (row.working_days, row.rule, row.statutory, row.kind) == (10, "R1.20", True, c.DeadlineKind.DEADLINE)


def test_stage_1_extended_to_monday_27_june_r1_20(complaint, stage1, complaints_manager):
    stage_extend(
        stage=stage1,
        acting_user=complaints_manager,
        extended_due_date=date(2022, 6, 27),
        reason="Complex",
        notified_date=date(2022, 6, 9),
    )

    assert _dates(complaint, "stage1_response") == (date(2022, 5, 26), date(2022, 6, 13), date(2022, 6, 27))


def test_stage_2_runs_from_the_statement_agreed_r1_26(stage2, complaints_manager):
    case = stage2.case
    # Before the statement, from the request (20 June): 25 working days.
    assert _dates(case, "stage2_response") == (date(2022, 6, 20), date(2022, 7, 25), None)

    stage2_statement_agree(
        stage=stage2, acting_user=complaints_manager, agreed_date=date(2022, 7, 1), points=["Missed visits"]
    )

    assert _dates(case, "stage2_response") == (date(2022, 7, 1), date(2022, 8, 5), None)


def test_adjudication_target_never_outlasts_the_65_days_r1_28(
    stage2, complaints_manager, investigating_officer, independent_person
):
    f.investigated(
        stage2,
        complaints_manager,
        investigating_officer=investigating_officer,
        independent_person=independent_person,
        report=date(2022, 9, 20),
    )

    # 20 working days after a report of 20 September would be 18 October, past the 65-day limit of 4 October.
    assert stage2.deadlines.get(key="stage2_adjudication").due_date == date(2022, 10, 4)


def test_stage_3_has_three_deadlines_r1_31_r1_32_r1_33(stage3, complaints_manager, panel_members):
    case = stage3.case
    assert _dates(case, "stage3_panel") == (date(2022, 8, 15), date(2022, 9, 28), None)

    stage3_panel_appoint(
        stage=stage3, acting_user=complaints_manager, chair=panel_members[0], members=panel_members[1:]
    )
    stage3_panel_record(stage=stage3, acting_user=complaints_manager, panel_date=date(2022, 9, 20))
    stage3_report_record(stage=stage3, acting_user=complaints_manager, report_date=date(2022, 9, 23))

    assert _dates(case, "stage3_panel_report") == (date(2022, 9, 20), date(2022, 9, 27), None)
    assert _dates(case, "stage3_response") == (date(2022, 9, 23), date(2022, 10, 14), None)
    met = dict(stage3.deadlines.values_list("key", "met_date"))
    assert met == {"stage3_panel": date(2022, 9, 20), "stage3_panel_report": date(2022, 9, 23), "stage3_response": None}
    case.refresh_from_db()
    assert case.next_due_date == date(2022, 10, 14)


def test_saturday_receipt_under_the_next_working_day_rule_r5_11(council, complaints_manager, settings):
    settings.OPENCOMPLAINTS = {**settings.OPENCOMPLAINTS, "RECEIPT_RULE": "next_working_day"}

    case = f.accepted(council, complaints_manager, received_date=date(2022, 5, 28))

    assert _dates(case, "stage1_response") == (date(2022, 5, 30), date(2022, 6, 15), None)


def test_corporate_response_runs_from_the_assumed_then_the_recorded_acknowledgement_r3_5(council, complaints_manager):
    CorporateProcedureFactory.create(council=council)
    case = f.accepted(council, complaints_manager, procedure=c.Procedure.CORPORATE)

    # Acknowledgement due 5 working days after Thursday 26 May (6 June); the response 10 after that.
    assert _dates(case, "stage1_acknowledgement") == (date(2022, 5, 26), date(2022, 6, 6), None)
    assert _dates(case, "stage1_response") == (date(2022, 6, 6), date(2022, 6, 20), None)

    stage_acknowledge(stage=f.stage(case, 1), acting_user=complaints_manager, acknowledged_date=date(2022, 5, 27))

    assert _dates(case, "stage1_response") == (date(2022, 5, 27), date(2022, 6, 14), None)
    assert case.deadlines.get(key="stage1_acknowledgement").met_date == date(2022, 5, 27)


def test_council_procedure_settings_are_used_r3_9(council, complaints_manager):
    CorporateProcedureFactory.create(council=council, acknowledge_days=3, stage1_days=15)
    case = f.accepted(council, complaints_manager, procedure=c.Procedure.CORPORATE)

    assert _dates(case, "stage1_acknowledgement")[1] == date(2022, 5, 31)
    assert _dates(case, "stage1_response") == (date(2022, 5, 31), date(2022, 6, 23), None)


def test_request_window_belongs_to_the_stage_whose_response_opened_it_r1_22(complaint, stage1, complaints_manager):
    stage_respond(
        stage=stage1, acting_user=complaints_manager, response_date=date(2022, 6, 10), outcome=c.Outcome.UPHELD
    )
    stage2 = complaint_escalate(case=complaint, acting_user=complaints_manager, request_received_date=date(2022, 6, 14))

    window = Deadline.objects.get(case=complaint, key="stage2_request_window")
    assert (window.stage, window.due_date, window.met_date, window.statutory) == (
        stage1,
        date(2022, 7, 8),
        date(2022, 6, 14),
        False,
    )
    assert not stage2.deadlines.filter(key="stage2_request_window").exists()


def test_a_calendar_override_moves_open_cases_but_not_closed_ones_r5_6(council, complaints_manager):
    open_case = f.accepted(council, complaints_manager)
    closed_case = f.accepted(council, complaints_manager)
    complaint_withdraw(case=closed_case, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 1))

    calendar_override_create(
        on_date=date(2022, 6, 8), kind=OverrideKind.ADD, reason="Proclamation (test)", acting_user=complaints_manager
    )
    # The override service moved the stored dates in its own transaction, so a further recompute finds nothing.
    assert deadlines_recompute_open() == 0

    assert _dates(open_case, "stage1_response") == (date(2022, 5, 26), date(2022, 6, 14), None)
    assert _dates(closed_case, "stage1_response") == (date(2022, 5, 26), date(2022, 6, 13), None)
    open_case.refresh_from_db()
    closed_case.refresh_from_db()
    assert open_case.next_due_date == date(2022, 6, 14)
    assert closed_case.next_due_date is None


def _proclaim(day):
    """Record a proclaimed day without the override service, which would recompute at once: these tests exercise
    the recompute itself."""
    BankHolidayOverride.objects.create(on_date=day, kind=OverrideKind.ADD, reason="Proclamation (test)")


def test_recompute_can_be_limited_to_one_council_r5_6(council, other_council, complaints_manager):
    ours = f.accepted(council, complaints_manager)
    theirs = f.accepted(other_council, None)
    _proclaim(date(2022, 6, 8))

    deadlines_recompute_open(council=council)

    assert _dates(ours, "stage1_response")[1] == date(2022, 6, 14)
    assert _dates(theirs, "stage1_response")[1] == date(2022, 6, 13)


def _open_cases_of_every_shape(council, user, io, ip, adjudicator, panel):
    """Open cases whose deadlines run from every kind of anchor, hold and extension."""
    f.accepted(council, user)
    extended = f.accepted(council, user)
    stage_extend(
        stage=f.stage(extended, 1),
        acting_user=user,
        extended_due_date=date(2022, 6, 27),
        reason="Complex",
        notified_date=date(2022, 6, 1),
    )
    held = f.accepted(council, user)
    stage_hold(
        stage=f.stage(held, 1), acting_user=user, start_date=date(2022, 6, 6), reason=c.HoldReason.AWAITING_ADVOCATE
    )
    stage_resume(stage=f.stage(held, 1), acting_user=user, end_date=date(2022, 6, 10))
    f.at_stage2(council, user)  # stage 2 before the statement: runs from the request (a receipt)
    investigated = f.at_stage2(council, user)
    f.investigated(investigated, user, investigating_officer=io, independent_person=ip)
    stage3 = f.at_stage3(council, user, investigating_officer=io, independent_person=ip, adjudicator=adjudicator)
    stage3_panel_appoint(stage=stage3, acting_user=user, chair=panel[0], members=panel[1:])
    stage3_panel_record(stage=stage3, acting_user=user, panel_date=date(2022, 9, 20))
    CorporateProcedureFactory.create(council=council)
    f.accepted(council, user, procedure=c.Procedure.CORPORATE)
    acknowledged = f.accepted(council, user, procedure=c.Procedure.CORPORATE)
    stage_acknowledge(stage=f.stage(acknowledged, 1), acting_user=user, acknowledged_date=date(2022, 5, 31))
    answered = f.accepted(council, user)
    stage_respond(
        stage=f.stage(answered, 1), acting_user=user, response_date=date(2022, 6, 10), outcome=c.Outcome.UPHELD
    )
    f.accepted(council, user, procedure=c.Procedure.ADULTS_STATUTORY)
    representation_register(
        council=council,
        acting_user=user,
        kind=c.Kind.MP_ENQUIRY,
        received_date=date(2022, 6, 1),
        enquirer=EnquirerInput(enquirer_type=c.EnquirerType.MP, name="A Member"),
    )


def _stored():
    return {
        (d.case_id, d.stage_id, d.key): (d.anchor_date, d.due_date, d.extended_due_date, d.adjusted_due_date)
        for d in Deadline.objects.all()
    }


def test_bulk_recompute_gives_exactly_what_the_services_store(
    council, complaints_manager, investigating_officer, independent_person, adjudicator, panel_members
):
    _open_cases_of_every_shape(
        council, complaints_manager, investigating_officer, independent_person, adjudicator, panel_members
    )
    before = _stored()
    # Two new holidays in the middle of every timescale above.
    for day in (date(2022, 6, 8), date(2022, 7, 6)):
        _proclaim(day)

    changed = deadlines_recompute_open()
    bulk = _stored()
    for case in Case.objects.all():
        case_deadlines_refresh(case=case, save=True)
    scalar = _stored()

    assert changed > 10
    assert bulk != before
    assert bulk == scalar
    next_due = dict(Case.objects.values_list("pk", "next_due_date"))
    for case in Case.objects.all():
        case_deadlines_refresh(case=case, save=True)
    assert dict(Case.objects.values_list("pk", "next_due_date")) == next_due


def test_recompute_queries_do_not_grow_with_the_number_of_cases(
    council, complaints_manager, django_assert_max_num_queries
):
    for _ in range(2):
        f.accepted(council, complaints_manager)
    _proclaim(date(2022, 6, 8))
    # Calendar, cases, stages, holds, deadlines, one bulk update of each kind, and the savepoint around them.
    with django_assert_max_num_queries(9):
        assert deadlines_recompute_open() == 2

    for _ in range(25):
        f.accepted(council, complaints_manager)
    _proclaim(date(2022, 6, 7))
    with django_assert_max_num_queries(9):
        assert deadlines_recompute_open() == 27


def test_recompute_with_nothing_open_reads_only_the_calendar_and_the_cases(django_assert_max_num_queries, db):
    # The calendar's overrides and the open cases, inside the transaction's savepoint.
    with django_assert_max_num_queries(4):
        assert deadlines_recompute_open() == 0


@pytest.mark.parametrize("received", [date(2022, 5, 26), date(2022, 12, 23)])
def test_stored_dates_match_the_engine(council, complaints_manager, received):
    from opencomplaints.calendars.selectors import working_day_calendar
    from opencomplaints.deadlines import CHILDREN_STATUTORY, stage_due_dates

    case = f.accepted(council, complaints_manager, received_date=received)

    (expected,) = stage_due_dates(
        procedure=CHILDREN_STATUTORY, stage=1, anchors={"received": received}, calendar=working_day_calendar()
    )
    assert _dates(case, "stage1_response") == (expected.anchor_on, expected.due_on, None)


def test_findings_and_adjudication_keep_met_dates_in_step_r1_28(
    stage2, complaints_manager, investigating_officer, independent_person, adjudicator
):
    points = f.investigated(
        stage2, complaints_manager, investigating_officer=investigating_officer, independent_person=independent_person
    )
    stage2_report_receive(stage=stage2, acting_user=complaints_manager, report_date=date(2022, 7, 26))
    stage2_adjudicate(
        stage=stage2,
        acting_user=complaints_manager,
        adjudicator=adjudicator,
        adjudication_date=date(2022, 8, 3),
        findings=dict.fromkeys(points, c.Finding.UPHELD),
    )

    rows = {d.key: (d.anchor_date, d.met_date) for d in stage2.deadlines.all()}
    assert rows["stage2_adjudication"] == (date(2022, 7, 26), date(2022, 8, 3))
    assert rows["stage2_response"] == (date(2022, 7, 1), date(2022, 8, 3))
