"""The Code's measures on hand-built records: the figures are the corporate core's, the cases behind them the
records it counts, and the verdicts follow their definition."""

from datetime import date

from opencomplaints.deadlines import england_and_wales_calendar
from opencomplaints.handlingcode.codes import CODES, metric_keys
from opencomplaints.handlingcode.metrics import METRICS, Inputs, StageFacts, measure_all, verdict_for
from opencomplaints.records import Record
from opencomplaints.reporting.metrics.core_json import core_json
from opencomplaints.reporting.periods import reporting_year

PERIOD = reporting_year(2024)
CALENDAR = england_and_wales_calendar()


def stage(ref, number, received, acknowledged, responded, outcome="upheld", **extra):
    return Record(
        council="x",
        ref=ref if number == 1 else f"{ref}/{number}",
        case_ref=ref,
        kind="complaint",
        procedure="corporate",
        stage=number,
        received=received,
        acknowledged=acknowledged,
        responded=responded,
        outcome=outcome,
        **extra,
    )


RECORDS = [
    stage("A", 1, date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 10)),  # on time
    stage("B", 1, date(2024, 5, 1), date(2024, 5, 20), date(2024, 6, 28)),  # acknowledged late, answered late
    stage("B", 2, date(2024, 7, 1), date(2024, 7, 2), date(2024, 7, 20)),
    stage("C", 1, date(2024, 6, 3), date(2024, 6, 4), None, outcome=None),
    stage("D", 1, date(2024, 6, 3), None, date(2024, 6, 10), outcome="not_accepted"),
]


def inputs(facts=None):
    core = core_json(RECORDS, PERIOD, "corporate", CALENDAR)
    return Inputs(records=RECORDS, core=core, period=PERIOD, calendar=CALENDAR, configured={}, facts=facts or {})


def test_every_measured_provision_names_a_metric_that_exists():
    assert metric_keys() == set(METRICS)
    for code in CODES.values():
        numbers = [p.number for p in code.provisions]
        assert len(numbers) == len(set(numbers))
        assert {p.section for p in code.provisions} == set(range(1, 10))


def test_the_figures_are_the_corporate_cores_and_the_cases_those_it_counts():
    m = measure_all(inputs())
    core = inputs().core["stages"]
    assert {k: m["stage1_acknowledged"].measured[k] for k in core["1"]["acknowledgement"]} == core["1"][
        "acknowledgement"
    ]
    assert m["stage1_acknowledged"].cases == ("B", "D")
    assert {k: m["stage1_responded"].measured[k] for k in core["1"]["timeliness"]} == core["1"]["timeliness"]
    assert m["stage1_responded"].cases == ("B",)
    assert m["stage1_responded"].verdict == "not_compliant"  # one of two on time


def test_the_stage_1_handler_handling_stage_2_is_not_compliant():
    same = {("x", "B"): StageFacts(handler=7), ("x", "B/2"): StageFacts(handler=7)}
    measured = METRICS["stage2_handler"](inputs(same))
    assert (measured.verdict, measured.cases) == ("not_compliant", ("B/2",))
    other = {("x", "B"): StageFacts(handler=7), ("x", "B/2"): StageFacts(handler=8)}
    assert METRICS["stage2_handler"](inputs(other)).verdict == "compliant"
    assert METRICS["stage2_handler"](inputs()).verdict == "not_applicable"


def test_refusals_without_a_reason_are_the_cases_behind_the_verdict():
    measured = METRICS["refused"](inputs())
    assert measured.measured == {"refused": 1, "by_reason": {"not_recorded": 1}}
    assert measured.cases == ("D",)
    reasoned = METRICS["refused"](inputs({("x", "D"): StageFacts(decline_reason="Out of time")}))
    assert (reasoned.verdict, reasoned.measured["by_reason"]) == ("compliant", {"Out of time": 1})


def test_verdicts():
    assert verdict_for(0, 0) == "not_applicable"
    assert verdict_for(5, 5) == "compliant"
    assert verdict_for(4, 5) == "partly"
    assert verdict_for(3, 5) == "not_compliant"
