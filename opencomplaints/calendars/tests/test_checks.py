from datetime import date

import pytest

from opencomplaints.calendars.checks import check_bank_holiday_data
from opencomplaints.calendars.models import BankHolidayOverride, OverrideKind

pytestmark = pytest.mark.django_db


def test_installed_calendar_agrees_with_gov_uk():
    # Staleness (W002) depends on today's date and is covered by the engine's own freshness test.
    assert [m for m in check_bank_holiday_data() if m.id == "opencomplaints.W001"] == []


def test_an_override_that_contradicts_gov_uk_is_reported():
    # 2 June 2022 is a GOV.UK bank holiday (the moved spring bank holiday, R5.4): removing it is suspect.
    BankHolidayOverride.objects.create(on_date=date(2022, 6, 2), kind=OverrideKind.REMOVE, reason="Test")
    messages = check_bank_holiday_data()
    assert [m.id for m in messages] == ["opencomplaints.W001"]
    assert "2022-06-02" in messages[0].msg
