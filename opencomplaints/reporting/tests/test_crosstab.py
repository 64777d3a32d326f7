"""Tables by any dimension (interchange §5): hand-computed counts for every measure and dimension, each
procedure's timeliness, two dimensions, the unknown bucket and multi-team counting, and the command."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opencomplaints.reporting.metrics.core_json import core_json
from opencomplaints.reporting.metrics.crosstab import (
    DIMENSIONS,
    MEASURES,
    TableQuery,
    TableQueryError,
    age_band,
    as_table,
    crosstab,
    crosstab_json,
)
from opencomplaints.reporting.renderers.crosstab import TableFormat, render_crosstab
from opencomplaints.reporting.suppression import suppress_table
from opencomplaints.reporting.tests.builder import CaseBuilder, S
from opencomplaints.reporting.tests.helpers import CALENDAR, YEAR, rec, sample_records


def cells(records, **query):
    return crosstab(records, YEAR, TableQuery(**query), CALENDAR).cells


def volume_records():
    return [
        # received in the year, completed in Q2, two teams, two issues
        rec(
            received=date(2023, 6, 5),
            responded=date(2023, 7, 3),
            outcome="upheld",
            service_area="Localities",
            teams=("Assessment", "Fostering"),
            issues=("Delay", "Communication"),
            received_via="email",
            compensation="150.00",
            child_age=4,
            complainant_sex="female",
        ),
        # received in Q3, still open at the end
        rec(
            received=date(2023, 11, 1),
            service_area="Localities",
            teams=("Assessment",),
            issues=("Communication",),
            received_via="phone",
            child_age=17,
        ),
        # received the year before, completed in Q1 of this year: counted as completed, not received
        rec(
            received=date(2023, 3, 1),
            responded=date(2023, 4, 20),
            outcome="not_upheld",
            compensation="25.5",
            child_age=5,
        ),
        # received in Q4, completed after the year: open at end
        rec(received=date(2024, 3, 1), responded=date(2024, 4, 20), outcome="withdrawn", service_area="Front Door"),
        # another stage and another procedure: never counted at stage 1 of the children's procedure
        rec(stage=2, received=date(2023, 6, 5), service_area="Localities"),
        rec(procedure="corporate", received=date(2023, 6, 5), service_area="Localities"),
    ]


def test_received_by_service_area_counts_unknown():
    assert cells(volume_records(), measure="received", stage=1, rows="service_area") == {
        "Front Door": 1,
        "Localities": 2,
    }
    records = [*volume_records(), rec(received=date(2023, 8, 1))]
    assert cells(records, measure="received", stage=1, rows="service_area")["unknown"] == 1


def test_a_record_counts_under_each_team_and_issue_it_names():
    records = volume_records()
    assert cells(records, measure="received", stage=1, rows="team") == {
        "Assessment": 2,
        "Fostering": 1,
        "unknown": 1,
    }
    assert cells(records, measure="received", stage=1, rows="issue") == {
        "Communication": 2,
        "Delay": 1,
        "unknown": 1,
    }
    assert cells(records, measure="received", stage=1, rows="principal_issue") == {
        "Communication": 1,
        "Delay": 1,
        "unknown": 1,
    }


def test_quarter_is_of_received_for_received_and_of_responded_otherwise():
    records = volume_records()
    assert cells(records, measure="received", stage=1, rows="quarter") == {"Q1": 1, "Q3": 1, "Q4": 1}
    assert cells(records, measure="completed", stage=1, rows="quarter") == {"Q1": 1, "Q2": 1}
    with pytest.raises(TableQueryError, match="no quarter"):
        cells(records, measure="open_at_end", stage=1, rows="quarter")


def test_open_at_end_completed_and_outcomes():
    records = volume_records()
    assert cells(records, measure="open_at_end", stage=1, rows="received_via") == {"phone": 1, "unknown": 1}
    assert cells(records, measure="completed", stage=1, rows="outcome") == {"upheld": 1, "not_upheld": 1}
    # counted over the completed records: a key with no upheld complaint is listed with 0
    assert cells(records, measure="upheld", stage=1, rows="service_area") == {"Localities": 1, "unknown": 0}
    assert cells(records, measure="not_upheld", stage=1, rows="service_area") == {"Localities": 0, "unknown": 1}
    for outcome in ("partly_upheld", "withdrawn", "resolved_informally", "not_accepted"):
        assert cells(records, measure=outcome, stage=1, rows="service_area") == {"Localities": 0, "unknown": 0}
    # a record received and not yet answered carries no outcome: unknown
    assert cells(records, measure="received", stage=1, rows="outcome") == {
        "upheld": 1,
        "withdrawn": 1,
        "unknown": 1,
    }


def test_compensation_is_a_two_decimal_sum():
    records = volume_records()
    assert cells(records, measure="compensation", stage=1, rows="team") == {
        "Assessment": "150.00",
        "Fostering": "150.00",
        "unknown": "25.50",
    }


def test_age_bands_in_whole_years():
    assert [age_band(a) for a in (0, 4, 5, 9, 10, 15, 16, 17, 18, 40, None, -1)] == [
        "0-4",
        "0-4",
        "5-9",
        "5-9",
        "10-15",
        "10-15",
        "16-17",
        "16-17",
        "18+",
        "18+",
        None,
        None,
    ]
    records = volume_records()
    assert cells(records, measure="received", stage=1, rows="child_age_band") == {
        "0-4": 1,
        "16-17": 1,
        "unknown": 1,
    }
    assert cells(records, measure="received", stage=1, rows="complainant_sex") == {"female": 1, "unknown": 2}


def test_every_dimension_counts_a_value_or_unknown():
    full = rec(
        received=date(2023, 6, 5),
        responded=date(2023, 6, 9),
        outcome="upheld",
        service_area="Localities",
        teams=("Assessment",),
        issues=("Delay",),
        complainant_type="parent_relative",
        received_via="online",
        support_category="cin",
        child_age=12,
        child_sex="male",
        child_ethnicity="WBRI",
        child_disability="no",
        complainant_age=44,
        complainant_sex="female",
        complainant_ethnicity="WIRI",
        complainant_disability="yes",
    )
    empty = rec(received=date(2023, 6, 6))
    expected = {
        "service_area": "Localities",
        "team": "Assessment",
        "issue": "Delay",
        "principal_issue": "Delay",
        "complainant_type": "parent_relative",
        "received_via": "online",
        "support_category": "cin",
        "quarter": "Q1",
        "outcome": "upheld",
        "child_sex": "male",
        "child_ethnicity": "WBRI",
        "child_disability": "no",
        "child_age_band": "10-15",
        "complainant_sex": "female",
        "complainant_ethnicity": "WIRI",
        "complainant_disability": "yes",
        "complainant_age_band": "18+",
    }
    assert set(expected) == set(DIMENSIONS)
    for dimension, value in expected.items():
        counted = cells([full, empty], measure="received", stage=1, rows=dimension)
        if dimension == "quarter":
            assert counted == {"Q1": 2}
        else:
            assert counted == {value: 1, "unknown": 1}, dimension


def test_two_dimensions():
    records = volume_records()
    assert cells(records, measure="received", stage=1, rows="service_area", columns="team") == {
        "Front Door": {"unknown": 1},
        "Localities": {"Assessment": 2, "Fostering": 1},
    }
    table = crosstab(records, YEAR, TableQuery(measure="received", stage=1, rows="team", columns="quarter"), CALENDAR)
    document = crosstab_json(table)
    assert document["columns"] == "quarter"
    assert document["cells"] == {"Assessment": {"Q1": 1, "Q3": 1}, "Fostering": {"Q1": 1}, "unknown": {"Q4": 1}}


def test_json_shape():
    result = crosstab(volume_records(), YEAR, TableQuery(measure="received", stage=1, rows="team"), CALENDAR)
    document = json.loads(render_crosstab(result, TableFormat.JSON))
    assert {"measure", "stage", "rows", "columns", "period", "cells"} <= set(document)
    assert document["measure"] == "received"
    assert document["stage"] == "1"
    assert document["rows"] == "team"
    assert document["columns"] is None
    assert document["period"] == {"start": "2023-04-01", "end": "2024-03-31"}


def test_children_stage1_timeliness():
    monday = date(2023, 6, 5)
    records = [
        rec(received=monday, responded=date(2023, 6, 19), outcome="upheld", service_area="A"),  # 10 days
        rec(received=monday, responded=date(2023, 6, 20), outcome="upheld", extended=True, service_area="A"),  # 11
        rec(received=monday, responded=date(2023, 6, 20), outcome="not_upheld", service_area="B"),  # 11, late
        rec(received=monday, responded=date(2023, 7, 20), outcome="withdrawn", service_area="B"),  # not assessed
    ]
    assert cells(records, measure="assessed", stage=1, rows="service_area") == {"A": 2, "B": 1}
    assert cells(records, measure="within_timescale", stage=1, rows="service_area") == {"A": 1, "B": 0}
    assert cells(records, measure="within_extended_timescale", stage=1, rows="service_area") == {"A": 1, "B": 0}
    assert cells(records, measure="late", stage=1, rows="service_area") == {"A": 0, "B": 1}


def test_children_stage2_timeliness_runs_from_the_start_date():
    records = [
        # 25 working days from the start date (5 June), 28 from receipt
        rec(stage=2, received=date(2023, 5, 31), stage2_start=date(2023, 6, 5), responded=date(2023, 7, 10)),
        rec(stage=2, received=date(2023, 6, 5), responded=date(2023, 7, 11)),  # 26: late
    ]
    assert cells(records, measure="within_timescale", stage=2, rows="quarter") == {"Q2": 1}
    assert cells(records, measure="late", stage=2, rows="quarter") == {"Q2": 1}


def test_children_stage3_checks():
    record = rec(
        stage=3,
        received=date(2023, 6, 5),
        panel_date=date(2023, 7, 17),  # 30 working days
        panel_report_date=date(2023, 7, 25),  # 6: late
        responded=date(2023, 8, 15),  # 15 after the report
        outcome="upheld",
    )
    assert cells([record], measure="assessed", stage=3, rows="quarter") == {"Q2": 1}
    assert cells([record], measure="panel_on_time", stage=3, rows="quarter") == {"Q2": 1}
    assert cells([record], measure="panel_report_on_time", stage=3, rows="quarter") == {"Q2": 0}
    assert cells([record], measure="response_on_time", stage=3, rows="quarter") == {"Q2": 1}
    with pytest.raises(TableQueryError, match="Unknown measure 'within_timescale' at stage 3"):
        cells([record], measure="within_timescale", stage=3, rows="quarter")


def test_corporate_timeliness_runs_from_the_acknowledgement():
    records = [
        # 10 working days from the acknowledgement, 12 from receipt
        rec(
            procedure="corporate",
            received=date(2023, 6, 1),
            acknowledged=date(2023, 6, 5),
            responded=date(2023, 6, 19),
        ),
        rec(procedure="corporate", received=date(2023, 6, 1), responded=date(2023, 6, 19)),  # no ack: 12, late
        # stage 2: 20 working days from the acknowledgement
        rec(
            procedure="corporate",
            stage=2,
            received=date(2023, 6, 1),
            acknowledged=date(2023, 6, 5),
            responded=date(2023, 7, 3),
        ),
    ]
    assert cells(records, measure="within_timescale", stage=1, procedure="corporate", rows="quarter") == {"Q1": 1}
    assert cells(records, measure="late", stage=1, procedure="corporate", rows="quarter") == {"Q1": 1}
    assert cells(records, measure="within_timescale", stage=2, procedure="corporate", rows="quarter") == {"Q2": 1}
    with pytest.raises(TableQueryError, match="stages 1, 2"):
        cells(records, measure="received", stage=3, procedure="corporate", rows="quarter")


def test_adults_six_months_or_the_agreed_date():
    records = [
        rec(procedure="adults_statutory", received=date(2023, 6, 15), responded=date(2023, 12, 14)),  # last day
        rec(procedure="adults_statutory", received=date(2023, 6, 15), responded=date(2023, 12, 15)),  # late
        rec(
            procedure="adults_statutory",
            received=date(2023, 6, 15),
            responded=date(2024, 1, 10),
            extended_due=date(2024, 1, 31),
        ),
    ]
    query = {"procedure": "adults_statutory", "stage": 1, "rows": "quarter"}
    assert cells(records, measure="within_timescale", **query) == {"Q3": 1, "Q4": 1}
    assert cells(records, measure="late", **query) == {"Q3": 1, "Q4": 0}
    assert cells(records, measure="within_extended_timescale", **query) == {"Q3": 0, "Q4": 0}
    with pytest.raises(TableQueryError, match="has stage 1"):
        cells(records, measure="received", procedure="adults_statutory", stage=2, rows="quarter")


def test_other_representations_by_kind():
    records = [
        rec(kind="compliment", received=date(2023, 5, 1), teams=("Fostering",)),
        rec(kind="compliment", received=date(2023, 5, 2), responded=date(2023, 5, 9)),
        rec(kind="query", received=date(2023, 5, 2)),
    ]
    result = crosstab(records, YEAR, TableQuery(measure="received", kind="compliment", rows="team"), CALENDAR)
    assert result.cells == {"Fostering": 1, "unknown": 1}
    assert crosstab_json(result)["stage"] is None
    assert cells(records, measure="completed", kind="compliment", rows="quarter") == {"Q1": 1}
    with pytest.raises(TableQueryError, match="does not apply to a kind"):
        cells(records, measure="upheld", kind="compliment", rows="team")
    with pytest.raises(TableQueryError, match="Unknown kind"):
        cells(records, measure="received", kind="letter", rows="team")


def test_unknown_names_are_refused():
    for query, message in (
        ({"measure": "happiness", "stage": 1, "rows": "team"}, "Unknown measure"),
        ({"measure": "received", "stage": 1, "rows": "colour"}, "Unknown dimension"),
        ({"measure": "received", "stage": 1, "rows": "team", "columns": "team"}, "two different"),
        ({"measure": "received", "rows": "team"}, "Say which stage"),
        ({"measure": "received", "stage": 1, "rows": "team", "procedure": "other"}, "Unknown procedure"),
    ):
        with pytest.raises(TableQueryError, match=message):
            cells([], **query)


@pytest.mark.parametrize("procedure", ["children_statutory", "corporate", "adults_statutory"])
def test_single_valued_dimensions_sum_to_the_report_core(procedure):
    """Summing the cells over a dimension where each record has exactly one value gives the §3 core figure."""
    records = [*sample_records(), *volume_records()]
    records += [
        rec(
            procedure=procedure,
            stage=s,
            received=date(2023, 4 + n, 3),
            acknowledged=date(2023, 4 + n, 4),
            responded=date(2023, 4 + n, 3) + timedelta(days=5 + 9 * n) if n % 3 else None,
            outcome=("upheld", "not_upheld", "withdrawn", "partly_upheld")[n % 4] if n % 3 else None,
            extended=bool(n % 2),
            compensation=str(10 * n),
        )
        for n in range(9)
        for s in (1, 2)
    ]
    core = core_json(records, YEAR, procedure, CALENDAR)
    for number, stage in core["stages"].items():
        for measure in MEASURES:
            if number == "3" and measure in {"within_timescale", "within_extended_timescale", "late"}:
                continue
            if measure in stage:
                expected = stage[measure]
            elif measure in stage["outcomes"]:
                expected = stage["outcomes"][measure]
            elif measure == "compensation":
                expected = core["compensation"]["by_stage"][number]
            else:
                expected = stage["timeliness"][measure]
            for dimension in ("received_via", "service_area", "outcome") + (
                () if measure == "open_at_end" else ("quarter",)
            ):
                got = cells(records, measure=measure, stage=int(number), procedure=procedure, rows=dimension)
                if measure == "compensation":
                    assert f"{sum(float(v) for v in got.values()):.2f}" == expected, (number, measure, dimension)
                else:
                    assert sum(got.values()) == expected, (number, measure, dimension)


def test_as_table_is_suppressed_like_the_report():
    result = crosstab(volume_records(), YEAR, TableQuery(measure="received", stage=1, rows="team"), CALENDAR)
    table = suppress_table(as_table(result, key="saved", title="Received by team"))
    assert [str(row[1]) for row in table.rows] == ["<5", "<5", "<5"]


def test_csv_and_text():
    result = crosstab(
        volume_records(), YEAR, TableQuery(measure="received", stage=1, rows="service_area", columns="team"), CALENDAR
    )
    assert render_crosstab(result, TableFormat.CSV).decode() == (
        "service_area,Assessment,Fostering,unknown\nFront Door,,,1\nLocalities,2,1,\n"
    )
    text = render_crosstab(result, TableFormat.TEXT).decode()
    assert text.splitlines()[0].split() == ["service_area", "Assessment", "Fostering", "unknown"]


@pytest.mark.django_db
def test_the_command(council, capsys):
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 6, 5), date(2023, 6, 19), "upheld"), teams=(("Fostering", "Children in Care"),))
    b.complaint(S(1, date(2023, 6, 5), date(2023, 6, 30), "upheld"), teams=(("Fostering", "Children in Care"),))
    b.complaint(S(1, date(2023, 10, 3)))
    b.flush()
    call_command("table", "--year", "2023", "--stage", "1", "--measure", "within_timescale", "--rows", "service_area")
    document = json.loads(capsys.readouterr().out)
    assert document["period"] == {"start": "2023-04-01", "end": "2024-03-31"}
    assert document["cells"] == {"Children in Care": 1}
    call_command(
        "table", "--year", "2023", "--stage", "1", "--measure", "received", "--rows", "team", "--format", "csv"
    )
    assert capsys.readouterr().out.splitlines() == ["team,received", "Fostering,2", "unknown,1"]


@pytest.mark.django_db
def test_the_command_refuses_plainly(council):
    for arguments, message in (
        (["--measure", "nothing", "--rows", "team", "--stage", "1"], "Unknown measure"),
        (["--measure", "received", "--rows", "nowhere", "--stage", "1"], "Unknown dimension"),
        (["--measure", "upheld", "--rows", "team", "--kind", "compliment"], "does not apply"),
        (["--measure", "open_at_end", "--rows", "quarter", "--stage", "1"], "no quarter"),
        (["--measure", "received", "--rows", "team", "--stage", "1", "--format", "pdf"], "Unknown format"),
        (["--measure", "received", "--rows", "team", "--stage", "1", "--council", "nowhere"], "nowhere"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("table", "--year", "2023", *arguments, stdout=io.StringIO())
