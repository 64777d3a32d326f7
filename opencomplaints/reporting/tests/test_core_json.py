"""The JSON core of interchange §3: exact keys, types and meanings."""

import json
from datetime import date

from opencomplaints.reporting.metrics.core_json import SCHEMA, core_json
from opencomplaints.reporting.renderers.json import render_json
from opencomplaints.reporting.report import build_report
from opencomplaints.reporting.tests.helpers import CALENDAR, YEAR, inputs, rec, sample_records

STAGE_KEYS = {
    "received",
    "completed",
    "open_at_end",
    "outcomes",
    "timeliness",
    "response_days_bands",
    "received_by_quarter",
    "completed_by_quarter",
    "by_service_area",
    "by_team",
    "by_issue",
    "by_principal_issue",
    "by_complainant_type",
    "by_received_via",
    "by_support_category",
}
OUTCOME_KEYS = {"upheld", "partly_upheld", "not_upheld", "withdrawn", "resolved_informally", "not_accepted"}


def test_exact_key_set_at_every_level():
    core = core_json(sample_records(), YEAR, "children_statutory", CALENDAR)
    assert set(core) == {
        "schema",
        "period",
        "procedure",
        "stages",
        "escalation",
        "compensation",
        "ombudsman",
        "other_representations",
    }
    assert core["schema"] == SCHEMA == "opencomplaints.annual-report/1"
    assert core["period"] == {"start": "2023-04-01", "end": "2024-03-31"}
    assert core["procedure"] == "children_statutory"
    assert set(core["stages"]) == {"1", "2", "3"}
    for number, stage in core["stages"].items():
        assert set(stage) == STAGE_KEYS
        assert set(stage["outcomes"]) == OUTCOME_KEYS
        assert set(stage["response_days_bands"]) == {"1-10", "11-20", "21-40", "41+"}
        assert set(stage["received_by_quarter"]) == set(stage["completed_by_quarter"]) == {"Q1", "Q2", "Q3", "Q4"}
        expected = (
            {"assessed", "panel_on_time", "panel_report_on_time", "response_on_time"}
            if number == "3"
            else {"assessed", "within_timescale", "within_extended_timescale", "late"}
        )
        assert set(stage["timeliness"]) == expected
    assert set(core["escalation"]) == {"stage1_to_stage2_percent", "stage2_to_stage3_percent"}
    assert set(core["compensation"]) == {"total", "by_stage", "records"}
    assert set(core["compensation"]["by_stage"]) == {"1", "2", "3", "ombudsman"}
    assert set(core["ombudsman"]) == {"decided", "by_decision"}
    assert set(core["other_representations"]) == {
        "potential_complaint",
        "query",
        "mp_enquiry",
        "member_enquiry",
        "compliment",
    }


def test_types_money_and_percentages():
    core = core_json(sample_records(), YEAR, "children_statutory", CALENDAR)
    stage1 = core["stages"]["1"]
    assert all(type(v) is int for v in (stage1["received"], stage1["completed"], stage1["open_at_end"]))
    assert core["compensation"] == {
        "total": "650.00",
        "by_stage": {"1": "100.00", "2": "250.00", "3": "0.00", "ombudsman": "300.00"},
        "records": 3,
    }
    rate = core["escalation"]["stage1_to_stage2_percent"]
    assert isinstance(rate, float)
    assert rate == 11.1  # 1 stage 2 received ÷ (12 stage 1 completed less 3 withdrawn)
    assert core["escalation"]["stage2_to_stage3_percent"] == 0.0
    assert core["ombudsman"] == {"decided": 1, "by_decision": {"upheld_fault_injustice": 1}}


def test_category_dicts_list_only_what_occurs():
    core = core_json([rec(teams=("A",), complainant_type="carer")], YEAR, "children_statutory", CALENDAR)
    stage1 = core["stages"]["1"]
    assert stage1["by_team"] == {"A": 1}
    assert stage1["by_complainant_type"] == {"carer": 1}
    assert stage1["by_issue"] == {}
    assert stage1["by_service_area"] == {}
    assert core["stages"]["2"]["by_team"] == {}


def test_counts_are_exact_not_suppressed():
    records = [rec(child_ethnicity="WBRI", teams=("Tiny team",))]
    report = build_report(inputs(records), generated_on=date(2024, 5, 1))
    document = json.loads(render_json(report))
    assert document["stages"]["1"]["by_team"] == {"Tiny team": 1}
    assert document["tables"]["equality_child_ethnicity"]["rows"][0][1] == 1
    assert document["councils"] == ["Borough of Exampleton"]
    assert document["counting_basis"]
