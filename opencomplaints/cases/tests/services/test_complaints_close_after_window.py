"""complaints_close_after_window: a complaint whose window to ask for the next stage has passed is closed on the
window's last day, by the system, once; nothing else is touched (R1.22, R1.29, R3.9)."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.calendars.models import OverrideKind
from opencomplaints.calendars.services import calendar_override_create
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Hold
from opencomplaints.cases.services import (
    case_restrict,
    closing,
    complaint_close,
    complaint_escalate,
    complaint_reopen,
    complaint_withdraw,
    complaints_close_after_window,
    stage2_adjudicate,
    stage_hold,
    stage_respond,
    stage_resume,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import CorporateProcedureFactory

pytestmark = pytest.mark.django_db


def answered(case, user, on, outcome=c.Outcome.NOT_UPHELD):
    stage_respond(stage=f.stage(case, case.current_stage or 1), acting_user=user, response_date=on, outcome=outcome)
    case.refresh_from_db()
    return case


def closings(case):
    return list(AuditEvent.objects.filter(case=case, event_type=AuditEventType.CASE_CLOSED))


@pytest.mark.parametrize(
    ("responded", "window_end", "last_day_in_time"),
    [
        # Summer bank holiday (Monday 29 August 2022): 20 working days end on Monday 12 September, not Friday 9th.
        (date(2022, 8, 12), date(2022, 9, 12), date(2022, 9, 10)),
        # The late Queen's funeral (Monday 19 September 2022) as well: Wednesday 21 September.
        (date(2022, 8, 22), date(2022, 9, 21), date(2022, 9, 21)),
        # Christmas and New Year: Wednesday 11 January 2023.
        (date(2022, 12, 9), date(2023, 1, 11), date(2023, 1, 11)),
        # Good Friday and Easter Monday: the window ends the day after Easter Monday, Tuesday 11 April 2023.
        (date(2023, 3, 10), date(2023, 4, 11), date(2023, 4, 10)),
    ],
)
def test_closed_the_day_after_the_window_on_its_last_day(
    complaint, complaints_manager, responded, window_end, last_day_in_time
):
    answered(complaint, complaints_manager, responded)
    assert complaint.next_due_date == window_end

    # A request could still come in on the window's last day (R1.22): the case stays open until it has passed.
    assert complaints_close_after_window(today=last_day_in_time) == 0
    assert complaints_close_after_window(today=window_end) == 0
    complaint.refresh_from_db()
    assert complaint.closed_date is None

    assert complaints_close_after_window(today=date.fromordinal(window_end.toordinal() + 1)) == 1

    complaint.refresh_from_db()
    assert (complaint.status, complaint.closed_date, complaint.next_due_date) == (
        c.CaseStatus.CLOSED,
        window_end,
        None,
    )
    (event,) = closings(complaint)
    assert event.acting_user is None
    assert event.after["closed_date"] == window_end.isoformat()


def test_running_again_changes_nothing(complaint, complaints_manager):
    answered(complaint, complaints_manager, date(2022, 6, 10))
    assert complaints_close_after_window(today=date(2022, 7, 11)) == 1
    assert complaints_close_after_window(today=date(2022, 7, 11)) == 0
    assert complaints_close_after_window(today=date(2022, 12, 1)) == 0
    assert len(closings(complaint)) == 1
    complaint.refresh_from_db()
    assert complaint.closed_date == date(2022, 7, 8)


def test_a_run_missed_for_weeks_closes_on_the_same_date(complaint, complaints_manager):
    answered(complaint, complaints_manager, date(2022, 6, 10))

    complaints_close_after_window(today=date(2022, 9, 1))

    complaint.refresh_from_db()
    assert complaint.closed_date == date(2022, 7, 8)


def test_a_bank_holiday_proclaimed_after_the_response_moves_the_window(
    complaint, complaints_manager, system_administrator
):
    answered(complaint, complaints_manager, date(2022, 6, 10))  # the window ends on Friday 8 July
    calendar_override_create(
        on_date=date(2022, 7, 4),
        kind=OverrideKind.ADD,
        reason="A one-off bank holiday proclaimed after the response was sent",
        acting_user=system_administrator,
    )

    assert complaints_close_after_window(today=date(2022, 7, 11)) == 0
    assert complaints_close_after_window(today=date(2022, 7, 12)) == 1
    complaint.refresh_from_db()
    assert complaint.closed_date == date(2022, 7, 11)


def test_a_stage_still_open_is_left_alone(stage2, complaints_manager):
    # Stage 1's window has long passed, but stage 2 was asked for in time and is running.
    assert complaints_close_after_window(today=date(2023, 1, 1)) == 0
    stage2.case.refresh_from_db()
    assert stage2.case.closed_date is None


def test_a_stage_in_progress_never_closes(complaint):
    assert complaints_close_after_window(today=date(2023, 1, 1)) == 0
    complaint.refresh_from_db()
    assert complaint.is_open


def test_the_window_for_stage_3_after_the_adjudication_r1_29(
    stage2, complaints_manager, investigating_officer, independent_person, adjudicator
):
    points = f.investigated(
        stage2, complaints_manager, investigating_officer=investigating_officer, independent_person=independent_person
    )
    stage2_adjudicate(
        stage=stage2,
        acting_user=complaints_manager,
        adjudicator=adjudicator,
        adjudication_date=date(2022, 8, 5),
        findings=dict.fromkeys(points, c.Finding.NOT_UPHELD),
    )
    case = stage2.case

    # 20 working days from Friday 5 August 2022, over the summer bank holiday: Monday 5 September.
    assert complaints_close_after_window(today=date(2022, 9, 5)) == 0
    assert complaints_close_after_window(today=date(2022, 9, 6)) == 1
    case.refresh_from_db()
    assert (case.closed_date, case.current_stage, case.outcome) == (date(2022, 9, 5), 2, c.Outcome.NOT_UPHELD)


def test_the_last_stage_closed_by_its_response_gets_no_second_closing(council, complaints_manager):
    case = f.accepted(council, complaints_manager, procedure=c.Procedure.CORPORATE)
    answered(case, complaints_manager, date(2022, 6, 10))
    complaint_escalate(case=case, acting_user=complaints_manager, request_received_date=date(2022, 6, 20))
    answered(case, complaints_manager, date(2022, 7, 15))
    assert case.closed_date == date(2022, 7, 15)

    assert complaints_close_after_window(today=date(2023, 1, 1)) == 0
    assert closings(case) == []


def test_a_withdrawn_complaint_keeps_its_withdrawal(complaint, complaints_manager):
    complaint_withdraw(case=complaint, acting_user=complaints_manager, withdrawn_date=date(2022, 6, 1))

    assert complaints_close_after_window(today=date(2023, 1, 1)) == 0
    complaint.refresh_from_db()
    assert (complaint.closed_date, complaint.outcome) == (date(2022, 6, 1), c.Outcome.WITHDRAWN)
    assert closings(complaint) == []


def test_a_hold_stops_the_councils_clock_not_the_complainants_window(complaint, stage1, complaints_manager):
    stage_hold(
        stage=stage1,
        acting_user=complaints_manager,
        start_date=date(2022, 5, 30),
        reason=c.HoldReason.AWAITING_ADVOCATE,
    )
    stage_resume(stage=stage1, acting_user=complaints_manager, end_date=date(2022, 6, 6))
    answered(complaint, complaints_manager, date(2022, 6, 10))

    assert complaints_close_after_window(today=date(2022, 7, 9)) == 1
    complaint.refresh_from_db()
    assert complaint.closed_date == date(2022, 7, 8)


def test_a_hold_left_open_keeps_the_case_open(complaint, stage1, complaints_manager):
    answered(complaint, complaints_manager, date(2022, 6, 10))
    # The services never leave a hold open on an answered stage, but records imported from elsewhere may.
    Hold.objects.create(stage=stage1, start_date=date(2022, 6, 1), reason=c.HoldReason.COURT_PROCEEDINGS)

    assert complaints_close_after_window(today=date(2023, 1, 1)) == 0
    complaint.refresh_from_db()
    assert complaint.is_open


def test_a_restricted_case_is_closed_and_stays_restricted(complaint, complaints_manager):
    case_restrict(case=complaint, acting_user=complaints_manager, reason="About a member of the complaints team")
    answered(complaint, complaints_manager, date(2022, 6, 10))

    assert complaints_close_after_window(today=date(2022, 7, 11)) == 1
    complaint.refresh_from_db()
    assert (complaint.closed_date, complaint.restricted) == (date(2022, 7, 8), True)


def test_reopened_after_the_window_for_a_late_request_it_stays_open(complaint, complaints_manager):
    answered(complaint, complaints_manager, date(2022, 6, 10))
    complaints_close_after_window(today=date(2022, 7, 11))
    complaint_reopen(
        case=complaint,
        acting_user=complaints_manager,
        reason="Stage 2 asked for after the window",
        reopened_date=date(2022, 7, 20),
        reopen_stage=False,
    )

    # The request has not been recorded yet; the next morning's run leaves the case to the person who reopened it.
    assert complaints_close_after_window(today=date(2022, 7, 21)) == 0
    complaint.refresh_from_db()
    assert complaint.is_open

    stage2 = complaint_escalate(
        case=complaint,
        acting_user=complaints_manager,
        request_received_date=date(2022, 7, 21),
        late_request_accepted=True,
        late_request_reason="The complainant was in hospital",
    )
    assert (stage2.request_in_window, stage2.late_request_accepted) == (False, True)
    complaint.refresh_from_db()
    assert (complaint.is_open, complaint.current_stage) == (True, 2)


def test_reopened_before_the_window_ended_it_closes_when_the_window_does(complaint, complaints_manager):
    answered(complaint, complaints_manager, date(2022, 6, 10))
    complaint_close(case=complaint, acting_user=complaints_manager, closed_date=date(2022, 6, 10))
    complaint_reopen(
        case=complaint,
        acting_user=complaints_manager,
        reason="Closed too soon: the complainant may still ask for stage 2",
        reopened_date=date(2022, 6, 13),
        reopen_stage=False,
    )

    assert complaints_close_after_window(today=date(2022, 7, 9)) == 1
    complaint.refresh_from_db()
    assert complaint.closed_date == date(2022, 7, 8)


def test_corporate_windows_follow_the_councils_procedure(council, complaints_manager):
    CorporateProcedureFactory.create(council=council, escalation_window_days=10)
    case = f.accepted(council, complaints_manager, procedure=c.Procedure.CORPORATE)
    answered(case, complaints_manager, date(2022, 8, 22))

    # 10 working days over the summer bank holiday (Monday 29 August 2022): Tuesday 6 September.
    assert complaints_close_after_window(today=date(2022, 9, 6)) == 0
    assert complaints_close_after_window(today=date(2022, 9, 7)) == 1
    case.refresh_from_db()
    assert case.closed_date == date(2022, 9, 6)


def test_a_corporate_procedure_with_no_window_is_closed_by_a_person(council, complaints_manager):
    CorporateProcedureFactory.create(council=council, escalation_window_days=None)
    case = f.accepted(council, complaints_manager, procedure=c.Procedure.CORPORATE)
    answered(case, complaints_manager, date(2022, 6, 10))

    assert complaints_close_after_window(today=date(2023, 1, 1)) == 0
    case.refresh_from_db()
    assert case.is_open


# -- the setting, per council ----------------------------------------------------------------------------------


@pytest.fixture
def two_councils(council, other_council, complaints_manager, other_council_officer):
    ours = answered(f.accepted(council, complaints_manager), complaints_manager, date(2022, 6, 10))
    theirs = answered(f.accepted(other_council, other_council_officer), other_council_officer, date(2022, 6, 10))
    return ours, theirs


def with_setting(settings, value):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"AUTO_CLOSE_AFTER_WINDOW": value}


def open_after_run(*cases):
    complaints_close_after_window(today=date(2022, 7, 11))
    for case in cases:
        case.refresh_from_db()
    return [case.is_open for case in cases]


def test_turned_off_nothing_is_closed(settings, two_councils):
    with_setting(settings, "false")
    assert open_after_run(*two_councils) == [True, True]


def test_turned_on_for_some_councils_only(settings, two_councils, other_council):
    with_setting(settings, f" {other_council.slug} ")
    assert open_after_run(*two_councils) == [True, False]


def test_on_by_default_for_every_council(settings, two_councils):
    settings.OPENCOMPLAINTS = {k: v for k, v in settings.OPENCOMPLAINTS.items() if k != "AUTO_CLOSE_AFTER_WINDOW"}
    assert open_after_run(*two_councils) == [False, False]


def test_one_council_at_a_time(two_councils, council):
    complaints_close_after_window(today=date(2022, 7, 11), council=council)
    ours, theirs = two_councils
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.is_open, theirs.is_open) == (False, True)


def test_a_council_that_does_not_exist_is_a_clear_error_and_nothing_closes(settings, two_councils, council):
    with_setting(settings, f"{council.slug},nowhere-borough")

    with pytest.raises(ImproperlyConfigured) as error:
        complaints_close_after_window(today=date(2022, 7, 11))

    assert str(error.value) == closing.AUTO_CLOSE_UNKNOWN_COUNCILS.format(slugs="nowhere-borough")
    assert all(case.is_open for case in two_councils)


@pytest.mark.parametrize(
    ("value", "scope"),
    [
        (True, True),
        (False, False),
        ("TRUE", True),
        ("no", False),
        ("", False),
        ("exampleton, realton,", frozenset({"exampleton", "realton"})),
        (["exampleton"], frozenset({"exampleton"})),
    ],
)
def test_the_setting_is_read(value, scope):
    assert closing.auto_close_council_slugs(value) == scope


def test_a_setting_of_the_wrong_kind_is_refused():
    with pytest.raises(ImproperlyConfigured) as error:
        closing.auto_close_council_slugs(3)
    assert str(error.value) == closing.AUTO_CLOSE_INVALID.format(value="3")


# -- one case failing ------------------------------------------------------------------------------------------


def test_one_case_failing_leaves_the_others_closed_and_fails_the_run(monkeypatch, two_councils):
    ours, theirs = two_councils
    real = complaint_close

    def close(*, case, acting_user, closed_date):
        if case.pk == ours.pk:
            raise RuntimeError("database restarting")
        return real(case=case, acting_user=acting_user, closed_date=closed_date)

    monkeypatch.setattr(closing, "complaint_close", close)

    with pytest.raises(RuntimeError) as error:
        complaints_close_after_window(today=date(2022, 7, 11))

    assert str(error.value) == f"Closed 1 complaints; could not close cases [{ours.pk}]"
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.is_open, theirs.is_open) == (True, False)
