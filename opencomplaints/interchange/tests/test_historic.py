"""``import-historic`` with figures by dimension (issue 13 item 6): the long file, its refusals, and the report's
trend tables by service area spanning historic and live years."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.interchange.historic import historic_import
from opencomplaints.interchange.importer import records_import
from opencomplaints.interchange.tests.conftest import HAND_BUILT, TODAY
from opencomplaints.reporting.models import HistoricBreakdown, HistoricFigure
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.report import build_report
from opencomplaints.reporting.selectors import report_inputs

pytestmark = pytest.mark.django_db

HEADER = "year,measure,stage,dimension,category,value"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def by_area(years=range(2018, 2023)):
    """Five historic years by service area, as a council's published tables give them."""
    lines = [HEADER]
    for offset, year in enumerate(years):
        for area, received, upheld, completed, withdrawn in (
            ("Localities", 40 + offset, 12, 38, 2),
            ("front door", 20 + offset, 5, 19, 1),
        ):
            lines += [
                f"{year},received,1,service_area,{area},{received}",
                f"{year},completed,1,service_area,{area},{completed}",
                f"{year},upheld,1,service_area,{area},{upheld}",
                f"{year},withdrawn,1,service_area,{area},{withdrawn}",
                f"{year},received,2,service_area,{area},{offset + 3}",
            ]
    return "\n".join(lines).encode()


def run(council, data, **options):
    return historic_import(data=data, filename="historic.csv", acting_user=None, councils=[council], **options)


def test_figures_by_dimension_are_imported_with_the_configured_names(structured_council):
    data = by_area() + (
        b"\n2019,received,1,complainant_type,Parent or relative,14"
        b"\n2019,received,1,mediation,resolved,3"
        b"\n2019,received,1,mediation,not resolved,2"
        b"\n2019,received,1,child_sex,Female,9"
        b"\n2019,received,1,child_age_band,10-15,7"
        b"\n2019,received,1,team,assessment east,11"
        b"\n2019,received,1,service_area,Not recorded,1"
        b"\n2019,received,1,,,99"
    )
    outcome = run(structured_council, data)
    assert outcome.ok, outcome.errors
    figures = HistoricBreakdown.objects.filter(council=structured_council)
    assert figures.filter(dimension="service_area", stage=1, measure="received", year=2018).count() == 2
    assert set(figures.filter(dimension="service_area").values_list("category", flat=True)) == {
        "Localities",
        "Front Door",  # as configured, whatever the file's case
        "unknown",
    }
    assert figures.get(dimension="complainant_type").category == "parent_relative"
    assert set(figures.filter(dimension="mediation").values_list("category", flat=True)) == {"resolved", "not_resolved"}
    assert figures.get(dimension="team").category == "Assessment East"
    assert figures.get(dimension="child_age_band").category == "10-15"
    # A row with a stage and no dimension is a summary figure.
    assert HistoricFigure.objects.get(year=2019, measure="stage1_received").value == 99
    event = AuditEvent.objects.get(event_type=AuditEventType.HISTORIC_BREAKDOWNS_SET)
    assert event.after["created"] == figures.count()


def test_importing_again_replaces_the_figures_and_changes_nothing_else(structured_council):
    assert run(structured_council, by_area()).ok
    count = HistoricBreakdown.objects.count()
    assert run(structured_council, f"{HEADER}\n2018,received,1,service_area,Localities,77".encode()).ok
    assert HistoricBreakdown.objects.count() == count
    assert HistoricBreakdown.objects.get(year=2018, stage=1, measure="received", category="Localities").value == 77


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("2019,received,4,service_area,Localities,3", "stage", "is not a stage"),
        ("2019,received,,service_area,Localities,3", "stage", "needs 1, 2 or 3"),
        ("2019,escalated,1,service_area,Localities,3", "measure", "The measures are: received, completed"),
        ("2019,received,1,postcode,N1,3", "dimension", "The dimensions are: service_area"),
        ("2019,received,1,service_area,,3", "category", "Say which service area"),
        ("2019,received,1,received_via,pigeon,3", "category", "The values are: email, online"),
        ("2019,received,1,service_area,Localities,2.5", "value", "not a whole number"),
        ("2019,received,1,service_area,Localities,-1", "value", "numbers of 0 or more"),
        ("2031,received,1,service_area,Localities,3", "year", "not a year of historic figures"),
        ("2019,received,3,,,3", "measure", ""),
    ],
)
def test_a_wrong_row_is_refused_with_its_line_and_nothing_is_written(structured_council, row, column, reason):
    data = f"{HEADER}\n2018,received,1,service_area,Localities,40\n{row}".encode()
    if column == "measure" and not reason:
        data = f"{HEADER}\n2018,received,1,service_area,Localities,40\n2019,panel_on_time,3,,,3".encode()
        reason = "with a stage: received"
    outcome = run(structured_council, data)
    assert [(e.line, e.column) for e in outcome.errors] == [(3, column)]
    assert reason in outcome.errors[0].reason
    assert not HistoricBreakdown.objects.exists()


def test_a_figure_given_twice_is_refused(structured_council):
    data = f"{HEADER}\n2018,received,1,service_area,Localities,40\n2018,received,1,service_area,localities,41"
    outcome = run(structured_council, data.encode())
    assert [(e.line, e.column) for e in outcome.errors] == [(3, "measure")]
    assert "also on line 2" in outcome.errors[0].reason


def test_the_command_reports_every_problem_and_exits_non_zero(structured_council, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(f"{HEADER}\n2018,received,1,service_area,Localities,x\n2018,received,9,team,MASH,1".encode())
    with pytest.raises(CommandError, match="2 problems"):
        call_command("import-historic", str(path))
    err = capsys.readouterr().err
    assert "line 2, value:" in err
    assert "line 3, stage:" in err
    path.write_bytes(by_area())
    call_command("import-historic", str(path), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not HistoricBreakdown.objects.exists()


def test_the_report_trend_tables_by_service_area_span_historic_and_live_years(structured_council):
    call_command_records(structured_council)
    assert run(structured_council, by_area()).ok
    inputs = report_inputs(councils=[structured_council], period=reporting_year(2023), procedure="children_statutory")
    report = build_report(inputs, generated_on=date(2024, 6, 1))
    received = report.table("trend_stage1_received_by_service_area")
    assert received.title == "Stage 1 complaints received by service area, 2018/19 to 2023/24"
    assert received.column_titles == ("Service area", "2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24")
    # Historic years from the file; 2023/24 counted from the records (stage 1 C1 in Localities).
    assert received.row("Localities") == ("Localities", 40, 41, 42, 43, 44, 1)
    assert received.row("Front Door")[1:6] == (20, 21, 22, 23, 24)
    assert received.row("Total")[1] == 60
    assert "2018/19, 2019/20, 2020/21, 2021/22, 2022/23 are historic figures" in received.notes[0]
    escalation = report.table("trend_escalation_stage1_by_service_area")
    assert escalation.row("Localities")[1] == pytest.approx(round(3 * 100 / 36, 1))
    upheld = report.table("trend_stage1_upheld_by_service_area")
    assert upheld.row("Front Door")[1] == pytest.approx(round(5 * 100 / 19, 1))
    # The summary trend table takes the historic years' totals from the figures by service area.
    assert report.table("trend_received").row("2018/19")[1] == 60


def test_other_dimensions_show_the_historic_years_and_the_year_reported(structured_council):
    call_command_records(structured_council)
    data = f"{HEADER}\n2021,received,1,received_via,email,4\n2021,received,1,received_via,phone,6\n"
    assert run(structured_council, data.encode()).ok
    inputs = report_inputs(councils=[structured_council], period=reporting_year(2023), procedure="children_statutory")
    table = build_report(inputs, generated_on=date(2024, 6, 1)).table("trend_stage1_received_by_received_via")
    assert table.column_titles == ("How received", "2021/22", "2023/24")
    assert table.row("Email") == ("Email", 4, 1)
    assert table.row("Phone")[1] == 6


def call_command_records(council):
    """The hand-built records (2023/24) imported as a council's live case data."""
    outcome = records_import(data=HAND_BUILT.encode(), filename="records.csv", acting_user=None, today=TODAY)
    assert outcome.ok, outcome.errors
