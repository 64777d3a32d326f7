"""The demonstration's historic years by service area reach the report's trend tables (issue 13 item 6)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from opencomplaints.councils.models import Council
from opencomplaints.demo.historic import HISTORIC_YEARS
from opencomplaints.reporting.models import HistoricBreakdown
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.report import build_report
from opencomplaints.reporting.selectors import report_inputs

END = date(2025, 3, 31)


@pytest.mark.django_db
def test_the_demonstration_has_historic_years_by_service_area_in_its_trend_tables():
    call_command("demo-data", stdout=StringIO(), years=1, seed=1, end_date=END)
    council = Council.objects.get()
    years = sorted(set(HistoricBreakdown.objects.filter(council=council).values_list("year", flat=True)))
    assert years == list(range(2024 - HISTORIC_YEARS, 2024))
    inputs = report_inputs(councils=[council], period=reporting_year(2024), procedure="children_statutory")
    table = build_report(inputs, generated_on=END).table("trend_stage1_received_by_service_area")
    assert table.column_titles[1] == "2018/19"
    assert table.column_titles[-1] == "2024/25"
    assert len(table.rows) >= 3  # areas and the total
    assert table.notes
