from datetime import date

import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.calendars.models import BankHolidayOverride, OverrideKind
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.calendars.services import calendar_override_create, calendar_override_delete
from opencomplaints.calendars.services.overrides import OVERRIDE_NEEDS_REASON
from opencomplaints.common.errors import DomainError

pytestmark = pytest.mark.django_db

# A Wednesday with no bank holiday, standing in for a day proclaimed after the installed data (R5.6 layer 3).
PROCLAIMED = date(2030, 6, 12)


def test_added_override_makes_the_day_non_working_and_moves_due_dates_r5_6(complaints_manager):
    before = working_day_calendar()
    assert before.is_working_day(PROCLAIMED)
    due_before = before.add_working_days(date(2030, 6, 5), 10)

    calendar_override_create(
        on_date=PROCLAIMED,
        kind=OverrideKind.ADD,
        reason="Proclamation of a one-off bank holiday",
        acting_user=complaints_manager,
    )

    after = working_day_calendar()
    assert not after.is_working_day(PROCLAIMED)
    assert after.add_working_days(date(2030, 6, 5), 10) == after.next_working_day(due_before)


def test_removing_a_listed_bank_holiday_makes_it_a_working_day(complaints_manager):
    christmas_substitute = date(2027, 12, 28)
    assert not working_day_calendar().is_working_day(christmas_substitute)
    # Boxing Day is named in the Regulations themselves (R1.2) but a substitute day is only a proclamation.
    calendar_override_create(
        on_date=christmas_substitute,
        kind=OverrideKind.REMOVE,
        reason="Substitute day moved by proclamation",
        acting_user=complaints_manager,
    )
    assert working_day_calendar().is_working_day(christmas_substitute)


def test_removing_a_day_that_is_not_a_holiday_is_refused_and_nothing_is_saved(complaints_manager):
    with pytest.raises(DomainError) as error:
        calendar_override_create(
            on_date=PROCLAIMED, kind=OverrideKind.REMOVE, reason="Mistake", acting_user=complaints_manager
        )
    assert error.value.field == "on_date"
    assert not BankHolidayOverride.objects.exists()
    assert not AuditEvent.objects.exists()


def test_reason_is_required(complaints_manager):
    with pytest.raises(DomainError, match=OVERRIDE_NEEDS_REASON):
        calendar_override_create(on_date=PROCLAIMED, kind=OverrideKind.ADD, reason="  ", acting_user=complaints_manager)


def test_one_override_per_day(complaints_manager):
    calendar_override_create(on_date=PROCLAIMED, kind=OverrideKind.ADD, reason="First", acting_user=complaints_manager)
    with pytest.raises(DomainError, match="already an override for 12 June 2030"):
        calendar_override_create(
            on_date=PROCLAIMED, kind=OverrideKind.ADD, reason="Second", acting_user=complaints_manager
        )


def test_create_and_delete_are_audited(complaints_manager):
    override = calendar_override_create(
        on_date=PROCLAIMED,
        kind=OverrideKind.ADD,
        reason="Proclamation",
        source_url="https://example.org/p",
        acting_user=complaints_manager,
    )
    calendar_override_delete(override=override, acting_user=complaints_manager)

    events = list(AuditEvent.objects.order_by("id"))
    assert [e.event_type for e in events] == [
        AuditEventType.CALENDAR_OVERRIDE_ADDED,
        AuditEventType.CALENDAR_OVERRIDE_REMOVED,
    ]
    assert events[0].acting_user == complaints_manager
    assert events[0].after == {
        "on_date": "2030-06-12",
        "kind": "add",
        "reason": "Proclamation",
        "source_url": "https://example.org/p",
    }
    assert events[1].before["on_date"] == "2030-06-12"
    assert working_day_calendar().is_working_day(PROCLAIMED)


def test_a_proclaimed_day_moves_open_cases_stored_due_dates_at_once(council, complaints_manager):
    from opencomplaints.cases.tests import factories as f

    complaint = f.accepted(council, complaints_manager)  # received 26 May 2022, stage 1 due 13 June (R5.15)
    deadline = complaint.deadlines.get(key="stage1_response")
    assert deadline.due_date == date(2022, 6, 13)

    calendar_override_create(
        on_date=date(2022, 6, 8), kind=OverrideKind.ADD, reason="Test proclamation", acting_user=complaints_manager
    )

    deadline.refresh_from_db()
    complaint.refresh_from_db()
    assert deadline.due_date == date(2022, 6, 14)
    assert complaint.next_due_date == date(2022, 6, 14)
