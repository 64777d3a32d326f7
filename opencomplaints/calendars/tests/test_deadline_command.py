import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opencomplaints.calendars.models import BankHolidayOverride, OverrideKind

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_worked_example_r5_15_prints_due_and_extended_due_dates():
    output = run("--procedure", "children", "--stage", "1", "--received", "2022-05-26")
    assert "Stage 1 response (R1.20): due 2022-06-13 (Monday 13 June 2022)" in output
    assert "extended due 2022-06-27 (Monday 27 June 2022)" in output


def test_uk_date_format_is_accepted():
    assert "due 2022-06-13" in run("--received", "26/05/2022")


def test_month_first_dates_are_rejected():
    with pytest.raises(CommandError, match="not a date"):
        run("--received", "05/26/2022")


def test_stage_2_runs_from_the_start_date_r1_26():
    data = json.loads(run("--stage", "2", "--received", "2024-01-02", "--start", "2024-01-10", "--format", "json"))
    response = next(row for row in data if row["key"] == "stage2_response")
    assert response["anchor"] == "stage2_start"
    assert response["due_on"] == "2024-02-14"  # 25 working days after 10 January 2024
    assert response["extended_due_on"] == "2024-04-12"  # 65, across Good Friday and Easter Monday 2024


def test_stage_3_panel_due_within_30_working_days_r1_31():
    output = run("--stage", "3", "--received", "2023-12-01")
    # 30 working days from 1 December 2023 skip Christmas Day, Boxing Day and New Year's Day.
    assert "due 2024-01-17" in output


def test_corporate_procedure_has_no_stage_3():
    with pytest.raises(CommandError, match="valid stages: 1, 2"):
        run("--procedure", "corporate", "--stage", "3", "--received", "2024-01-02")


def test_overrides_in_the_database_are_applied():
    BankHolidayOverride.objects.create(on_date=date(2022, 6, 8), kind=OverrideKind.ADD, reason="Test proclamation")
    assert "due 2022-06-14" in run("--received", "2022-05-26")
