"""Tests of procedures and timescales held as data (§1J, §2, §3, §8)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from opencomplaints.deadlines import (
    ADULTS_STATUTORY,
    CHILDREN_STATUTORY,
    LGSCO_COMPLAINT_HANDLING_CODE,
    PROCEDURES,
    Anchor,
    CorporateStageSpec,
    Procedure,
    ResponseFrom,
    Stage,
    Timescale,
    TimescaleKind,
    UnknownProcedureError,
    UnknownStageError,
    UnknownTimescaleError,
    adults_procedure,
    corporate_procedure,
    get_procedure,
    is_receipt_anchor,
)

RULE = re.compile(r"^R\d+\.\d+$")


@pytest.mark.parametrize(
    ("stage", "key", "anchor", "working_days", "extended", "rule", "statutory", "kind"),
    [
        (1, "stage1_response", "received", 10, 20, "R1.20", True, TimescaleKind.DEADLINE),
        (2, "stage2_request_window", "stage1_responded", 20, None, "R1.22", False, TimescaleKind.REQUEST_WINDOW),
        (2, "stage2_response", "stage2_start", 25, 65, "R1.26", True, TimescaleKind.DEADLINE),
        (2, "stage2_adjudication", "investigation_report_received", 20, None, "R1.28", False, TimescaleKind.DEADLINE),
        (3, "stage3_request_window", "stage2_responded", 20, None, "R1.29", True, TimescaleKind.REQUEST_WINDOW),
        (3, "stage3_panel", "stage3_request_received", 30, None, "R1.31", True, TimescaleKind.DEADLINE),
        (3, "stage3_panel_report", "panel_held", 5, None, "R1.32", True, TimescaleKind.DEADLINE),
        (3, "stage3_response", "panel_report_received", 15, None, "R1.33", True, TimescaleKind.DEADLINE),
    ],
)
def test_children_statutory_timescales_match_section_1j(
    stage: int,
    key: str,
    anchor: str,
    working_days: int,
    extended: int | None,
    rule: str,
    statutory: bool,
    kind: TimescaleKind,
) -> None:
    timescale = CHILDREN_STATUTORY.stage(stage).timescale(key)
    assert timescale.anchor == anchor
    assert timescale.working_days == working_days
    assert timescale.extended_working_days == extended
    assert timescale.rule == rule
    assert timescale.statutory is statutory
    assert timescale.kind is kind


def test_r1_12_children_time_limit_is_one_year_with_discretion() -> None:
    assert CHILDREN_STATUTORY.time_limit.months == 12
    assert CHILDREN_STATUTORY.time_limit.discretion
    assert CHILDREN_STATUTORY.time_limit.rule == "R1.12"


def test_r1_26_stage2_start_falls_back_to_the_request_date() -> None:
    timescale = CHILDREN_STATUTORY.stage(2).timescale("stage2_response")
    assert timescale.fallback_anchor == Anchor.STAGE2_REQUEST_RECEIVED


def test_r1_28_adjudication_target_is_capped_by_the_statutory_stage2_limit() -> None:
    assert CHILDREN_STATUTORY.stage(2).timescale("stage2_adjudication").capped_by == "stage2_response"


def test_every_stage_names_its_response_timescale() -> None:
    for procedure in PROCEDURES.values():
        for stage in procedure.stages:
            assert stage.response is not None
            assert stage.response.kind is TimescaleKind.DEADLINE


def test_every_timescale_cites_a_rule() -> None:
    for procedure in PROCEDURES.values():
        for stage in procedure.stages:
            for timescale in stage.timescales:
                assert RULE.match(timescale.rule), (procedure.key, timescale.key, timescale.rule)


@pytest.mark.parametrize(
    ("stage", "key", "anchor", "working_days", "extended", "rule"),
    [
        (1, "stage1_acknowledgement", "received", 5, None, "R3.5"),
        (1, "stage1_response", "acknowledged", 10, 20, "R3.5"),
        (2, "stage2_request_window", "stage1_responded", 20, None, "R3.9"),
        (2, "stage2_acknowledgement", "stage2_request_received", 5, None, "R3.6"),
        (2, "stage2_response", "stage2_acknowledged", 20, 40, "R3.6"),
    ],
)
def test_r3_5_r3_6_lgsco_code_preset(
    stage: int, key: str, anchor: str, working_days: int, extended: int | None, rule: str
) -> None:
    timescale = LGSCO_COMPLAINT_HANDLING_CODE.stage(stage).timescale(key)
    assert (timescale.anchor, timescale.working_days, timescale.extended_working_days, timescale.rule) == (
        anchor,
        working_days,
        extended,
        rule,
    )
    assert not timescale.statutory


def test_r3_4_corporate_time_limit_is_twelve_months() -> None:
    assert LGSCO_COMPLAINT_HANDLING_CODE.time_limit.months == 12
    assert not LGSCO_COMPLAINT_HANDLING_CODE.statutory


def test_r3_9_corporate_procedure_from_parameters() -> None:
    # Birmingham-style (R3.9): stage 1 within 15 WD of receipt, stage 2 within 20 WD of acknowledgement, no window.
    procedure = corporate_procedure(
        key="birmingham",
        name="Example council",
        stages=[
            CorporateStageSpec(response_days=15, response_from=ResponseFrom.RECEIPT),
            CorporateStageSpec(acknowledge_days=5, response_days=20),
            CorporateStageSpec(response_days=20, extension_days=10, response_from="receipt"),  # type: ignore[arg-type]
        ],
        escalation_window_days=None,
        time_limit_months=6,
    )
    assert [s.number for s in procedure.stages] == [1, 2, 3]
    stage1 = procedure.stage(1)
    assert [t.key for t in stage1.timescales] == ["stage1_response"]
    assert stage1.timescale("stage1_response").anchor == "received"
    assert procedure.stage(2).timescale("stage2_response").anchor == "stage2_acknowledged"
    stage3 = procedure.stage(3).timescale("stage3_response")
    assert (stage3.anchor, stage3.working_days, stage3.extended_working_days) == ("stage3_request_received", 20, 30)
    assert procedure.time_limit.months == 6
    with pytest.raises(UnknownTimescaleError):
        procedure.stage(2).timescale("stage2_request_window")


def test_corporate_procedure_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="at least one stage"):
        corporate_procedure(key="x", name="x", stages=[], escalation_window_days=None)
    with pytest.raises(ValueError, match="escalation_window_days"):
        corporate_procedure(key="x", name="x", stages=[CorporateStageSpec(response_days=10)], escalation_window_days=0)
    with pytest.raises(ValueError, match="response_days"):
        CorporateStageSpec(response_days=0)
    with pytest.raises(ValueError, match="extension_days"):
        CorporateStageSpec(response_days=10, extension_days=0)
    with pytest.raises(ValueError, match="acknowledge_days"):
        CorporateStageSpec(response_days=10, acknowledge_days=0)


def test_r2_5_r2_6_adults_statutory() -> None:
    stage = ADULTS_STATUTORY.stage(1)
    acknowledgement = stage.timescale("adults_acknowledgement")
    assert (acknowledgement.working_days, acknowledgement.rule, acknowledgement.statutory) == (3, "R2.5", True)
    response = stage.timescale("adults_response_period")
    assert (response.calendar_months, response.working_days, response.rule) == (6, None, "R2.6")
    assert ADULTS_STATUTORY.time_limit.months == 12
    assert ADULTS_STATUTORY.time_limit.rule == "R2.4"
    assert len(ADULTS_STATUTORY.stages) == 1  # R2.3: a single stage


def test_registry_keys_match_the_interchange_procedure_column() -> None:
    assert set(PROCEDURES) == {"children_statutory", "corporate", "adults_statutory"}
    for key, procedure in PROCEDURES.items():
        assert get_procedure(key) is procedure
        assert procedure.key == key
    with pytest.raises(TypeError):
        PROCEDURES["other"] = CHILDREN_STATUTORY  # type: ignore[index]


def test_unknown_procedure_lists_the_valid_keys() -> None:
    with pytest.raises(UnknownProcedureError, match="children_statutory, corporate, adults_statutory"):
        get_procedure("housing")


@pytest.mark.parametrize("stage", [0, 4, "four", "", None])
def test_unknown_stage_lists_the_valid_stages(stage: object) -> None:
    with pytest.raises(UnknownStageError, match="valid stages: 1, 2, 3"):
        CHILDREN_STATUTORY.stage(stage)  # type: ignore[arg-type]


def test_stage_accepts_the_interchange_string_form() -> None:
    assert CHILDREN_STATUTORY.stage("2") is CHILDREN_STATUTORY.stage(2)


def test_unknown_timescale_lists_the_valid_keys() -> None:
    with pytest.raises(UnknownTimescaleError, match="stage1_response"):
        CHILDREN_STATUTORY.stage(1).timescale("stage1_acknowledgement")


def test_procedures_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CHILDREN_STATUTORY.stage(1).timescale("stage1_response").working_days = 15  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        CHILDREN_STATUTORY.key = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"working_days": 10, "calendar_months": 6}, "exactly one"),
        ({}, "exactly one"),
        ({"working_days": 0}, "at least 1"),
        ({"calendar_months": 0}, "at least 1"),
        ({"working_days": 10, "extended_working_days": 10}, "more than working_days"),
        ({"calendar_months": 6, "extended_working_days": 10}, "more than working_days"),
        ({"working_days": 10, "rule": " "}, "must cite"),
    ],
)
def test_timescale_validation(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"key": "k", "label": "Label", "anchor": "received", "rule": "R1.20", "statutory": True}
    fields.update(kwargs)
    with pytest.raises(ValueError, match=message):
        Timescale(**fields)  # type: ignore[arg-type]


def test_stage_and_procedure_validation() -> None:
    timescale = CHILDREN_STATUTORY.stage(1).timescale("stage1_response")
    with pytest.raises(ValueError, match="duplicate"):
        Stage(number=1, name="x", timescales=(timescale, timescale))
    with pytest.raises(ValueError, match="response_key"):
        Stage(number=1, name="x", timescales=(timescale,), response_key="missing")
    capped = dataclasses.replace(timescale, key="other", capped_by="missing")
    with pytest.raises(ValueError, match="capped by"):
        Stage(number=1, name="x", timescales=(capped,))
    with pytest.raises(ValueError, match="numbered"):
        Procedure(
            key="x",
            name="x",
            time_limit=CHILDREN_STATUTORY.time_limit,
            stages=(CHILDREN_STATUTORY.stage(2),),
            statutory=True,
            rule="R1.20",
        )


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        ("received", True),
        ("stage2_request_received", True),
        ("stage3_request_received", True),
        ("panel_report_received", True),
        ("stage2_start", False),
        ("panel_held", False),
        ("stage1_responded", False),
        ("acknowledged", False),
    ],
)
def test_r5_11_receipt_rule_applies_to_receipt_anchors_only(anchor: str, expected: bool) -> None:
    assert is_receipt_anchor(anchor) is expected


# -- the adults' procedure with a council's own timescales (R2.5, R2.6; docs/adr/0014) -------------------------


def test_the_adults_procedure_by_default_is_the_regulations() -> None:
    assert adults_procedure() == ADULTS_STATUTORY
    assert ADULTS_STATUTORY.key == "adults_statutory"


def test_a_council_may_aim_inside_the_regulations_limits() -> None:
    procedure = adults_procedure(acknowledge_days=2, response_months=3)
    stage = procedure.stage(1)
    assert stage.timescale("adults_acknowledgement").working_days == 2
    assert stage.timescale("adults_response_period").calendar_months == 3
    assert "3 months" in stage.timescale("adults_response_period").label
    assert procedure.key != "adults_statutory"


@pytest.mark.parametrize(("acknowledge_days", "response_months"), [(0, 6), (4, 6), (3, 0), (3, 7)])
def test_values_beyond_the_regulations_are_refused(acknowledge_days: int, response_months: int) -> None:
    with pytest.raises(ValueError, match=r"R2\.[56]"):
        adults_procedure(acknowledge_days=acknowledge_days, response_months=response_months)
