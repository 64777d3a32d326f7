"""Tests of due dates, holds, timeliness and bands (§1E-§1H, R5.10-R5.13, interchange §2)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencomplaints.deadlines import (
    ADULTS_STATUTORY,
    CHILDREN_STATUTORY,
    LGSCO_COMPLAINT_HANDLING_CODE,
    RESPONSE_DAYS_BANDS,
    STAGE2_LATENESS_BANDS,
    DueDate,
    Elapsed,
    Hold,
    ReceiptRule,
    TimelinessCategory,
    UnknownTimescaleError,
    classify_response,
    classify_timeliness,
    due_date_with_holds,
    elapsed_working_days,
    england_and_wales_calendar,
    lateness_band,
    merge_holds,
    response_days_band,
    stage3_timeliness,
    stage_due_dates,
)

from .support import PROPERTY_SETTINGS, covered_dates, govuk_add_working_days

CAL = england_and_wales_calendar()


def due_by_key(dues: tuple[DueDate, ...]) -> dict[str, DueDate]:
    return {due.key: due for due in dues}


# -- parametrised tables across Easter, Christmas / New Year and the BST changeovers -------------------------------
# Each row was counted by hand on a calendar; the comments give the reason the row is there. BST changes on the
# last Sunday of March and October are ordinary calendar dates: counting uses local dates, so nothing shifts.

STAGE1_TABLE = [
    # received, due (10 WD), extended due (20 WD)
    (date(2024, 3, 28), date(2024, 4, 15), date(2024, 4, 29)),  # Thursday before Good Friday 2024
    (date(2024, 3, 29), date(2024, 4, 15), date(2024, 4, 29)),  # received on Good Friday (R5.11 option A)
    (date(2024, 3, 30), date(2024, 4, 15), date(2024, 4, 29)),  # Easter Saturday
    (date(2024, 3, 31), date(2024, 4, 15), date(2024, 4, 29)),  # Easter Sunday, BST starts
    (date(2024, 4, 2), date(2024, 4, 16), date(2024, 4, 30)),  # Tuesday after Easter Monday
    (date(2024, 12, 23), date(2025, 1, 9), date(2025, 1, 23)),  # over Christmas and New Year 2024
    (date(2024, 12, 24), date(2025, 1, 10), date(2025, 1, 24)),  # Christmas Eve is a working day
    (date(2026, 12, 23), date(2027, 1, 11), date(2027, 1, 25)),  # Boxing Day 2026 is a Saturday: Monday 28th
    (date(2024, 10, 25), date(2024, 11, 8), date(2024, 11, 22)),  # Friday before BST ends
    (date(2024, 10, 27), date(2024, 11, 8), date(2024, 11, 22)),  # BST ends (Sunday)
    (date(2025, 3, 30), date(2025, 4, 11), date(2025, 4, 29)),  # BST starts; extension crosses Easter 2025
]

STAGE2_TABLE = [
    # stage 2 start date, due (25 WD), extended due (65 WD)
    (date(2026, 12, 23), date(2027, 2, 1), date(2027, 3, 31)),  # Christmas 2026 then Easter 2027 (26, 29 March)
    (date(2024, 3, 8), date(2024, 4, 16), date(2024, 6, 13)),  # Easter and BST 2024, then both May bank holidays
    (date(2024, 10, 18), date(2024, 11, 22), date(2025, 1, 22)),  # BST ends, then Christmas and New Year
]

STAGE3_TABLE = [
    # timescale key, anchor name, anchor date, due
    ("stage3_panel", "stage3_request_received", date(2024, 12, 16), date(2025, 1, 30)),  # over Christmas
    ("stage3_panel", "stage3_request_received", date(2025, 3, 19), date(2025, 5, 2)),  # BST, Easter 2025
    ("stage3_panel_report", "panel_held", date(2024, 3, 28), date(2024, 4, 8)),  # over Easter 2024
    ("stage3_panel_report", "panel_held", date(2024, 10, 25), date(2024, 11, 1)),  # BST ends
    ("stage3_response", "panel_report_received", date(2024, 12, 20), date(2025, 1, 15)),  # Christmas
    ("stage3_response", "panel_report_received", date(2025, 4, 17), date(2025, 5, 13)),  # Easter, May Day
]


@pytest.mark.parametrize(("received", "due", "extended"), STAGE1_TABLE, ids=lambda v: str(v))
def test_r1_20_stage1_table(received: date, due: date, extended: date) -> None:
    (stage1,) = stage_due_dates(procedure=CHILDREN_STATUTORY, stage=1, anchors={"received": received}, calendar=CAL)
    assert (stage1.due_on, stage1.extended_due_on, stage1.rule) == (due, extended, "R1.20")
    # Independent cross-check against a day-by-day count over the committed GOV.UK dates.
    assert (govuk_add_working_days(received, 10), govuk_add_working_days(received, 20)) == (due, extended)


@pytest.mark.parametrize(("start", "due", "extended"), STAGE2_TABLE, ids=lambda v: str(v))
def test_r1_26_stage2_table(start: date, due: date, extended: date) -> None:
    dues = due_by_key(
        stage_due_dates(procedure=CHILDREN_STATUTORY, stage=2, anchors={"stage2_start": start}, calendar=CAL)
    )
    assert set(dues) == {"stage2_response"}
    assert (dues["stage2_response"].due_on, dues["stage2_response"].extended_due_on) == (due, extended)
    assert (govuk_add_working_days(start, 25), govuk_add_working_days(start, 65)) == (due, extended)


@pytest.mark.parametrize(("key", "anchor", "anchor_on", "due"), STAGE3_TABLE, ids=lambda v: str(v))
def test_r1_31_to_r1_33_stage3_table(key: str, anchor: str, anchor_on: date, due: date) -> None:
    dues = due_by_key(stage_due_dates(procedure=CHILDREN_STATUTORY, stage=3, anchors={anchor: anchor_on}, calendar=CAL))
    assert dues[key].due_on == due
    assert dues[key].extended_due_on is None
    timescale = CHILDREN_STATUTORY.stage(3).timescale(key)
    assert timescale.working_days is not None
    assert govuk_add_working_days(anchor_on, timescale.working_days) == due


# -- stage_due_dates behaviour --------------------------------------------------------------------------------------


def test_r5_15_worked_example_through_the_engine() -> None:
    (stage1,) = stage_due_dates(
        procedure=CHILDREN_STATUTORY, stage="1", anchors={"received": date(2022, 5, 26)}, calendar=CAL
    )
    assert stage1.anchor_on == date(2022, 5, 26)
    assert stage1.due_on == date(2022, 6, 13)
    assert stage1.extended_due_on == date(2022, 6, 27)
    assert stage1.applicable_due_on == date(2022, 6, 13)
    assert stage1.latest_permissible_on == date(2022, 6, 27)


def test_unknown_anchors_are_left_out_and_extra_keys_ignored() -> None:
    assert (
        stage_due_dates(procedure=CHILDREN_STATUTORY, stage=3, anchors={"received": date(2024, 1, 2)}, calendar=CAL)
        == ()
    )
    dues = stage_due_dates(
        procedure=CHILDREN_STATUTORY,
        stage=3,
        anchors={"stage3_request_received": date(2024, 12, 16), "panel_held": None, "unrelated": date(2024, 1, 1)},  # type: ignore[dict-item]
        calendar=CAL,
    )
    assert [due.key for due in dues] == ["stage3_panel"]


def test_r5_13_each_stage3_deadline_runs_from_its_own_event() -> None:
    # The panel met late (after its 30 WD deadline of 30 January 2025); the report is due 5 WD after the real
    # meeting, not 5 WD after the deadline.
    dues = due_by_key(
        stage_due_dates(
            procedure=CHILDREN_STATUTORY,
            stage=3,
            anchors={
                "stage3_request_received": date(2024, 12, 16),
                "panel_held": date(2025, 2, 12),
                "panel_report_received": date(2025, 2, 26),
            },
            calendar=CAL,
        )
    )
    assert dues["stage3_panel"].due_on == date(2025, 1, 30)
    assert dues["stage3_panel_report"].due_on == date(2025, 2, 19)
    assert dues["stage3_response"].due_on == date(2025, 3, 19)


def test_r5_13_extension_counts_from_day_zero_not_from_the_standard_due_date() -> None:
    (stage1,) = stage_due_dates(
        procedure=CHILDREN_STATUTORY, stage=1, anchors={"received": date(2022, 5, 26)}, calendar=CAL
    )
    assert stage1.extended_due_on == CAL.add_working_days(stage1.anchor_on, 20)


def test_r1_26_stage2_start_is_preferred_and_the_request_date_is_the_fallback() -> None:
    anchors = {"stage2_request_received": date(2025, 1, 6), "stage2_start": date(2025, 1, 20)}
    dues = due_by_key(stage_due_dates(procedure=CHILDREN_STATUTORY, stage=2, anchors=anchors, calendar=CAL))
    assert (dues["stage2_response"].anchor, dues["stage2_response"].anchor_on) == ("stage2_start", date(2025, 1, 20))
    del anchors["stage2_start"]
    dues = due_by_key(stage_due_dates(procedure=CHILDREN_STATUTORY, stage=2, anchors=anchors, calendar=CAL))
    assert (dues["stage2_response"].anchor, dues["stage2_response"].anchor_on) == (
        "stage2_request_received",
        date(2025, 1, 6),
    )


def test_r1_22_stage2_request_window_is_returned_as_a_window() -> None:
    dues = due_by_key(
        stage_due_dates(
            procedure=CHILDREN_STATUTORY, stage=2, anchors={"stage1_responded": date(2022, 5, 26)}, calendar=CAL
        )
    )
    window = dues["stage2_request_window"]
    assert window.due_on == date(2022, 6, 27)
    assert window.timescale.kind == "request_window"
    assert not window.timescale.statutory


def test_r1_28_adjudication_target_never_passes_the_65_day_maximum() -> None:
    start = date(2025, 1, 6)
    maximum = CAL.add_working_days(start, 65)
    dues = due_by_key(
        stage_due_dates(
            procedure=CHILDREN_STATUTORY,
            stage=2,
            anchors={"stage2_start": start, "investigation_report_received": CAL.add_working_days(start, 60)},
            calendar=CAL,
        )
    )
    assert dues["stage2_adjudication"].due_on == maximum
    assert dues["stage2_adjudication"].capped
    early = due_by_key(
        stage_due_dates(
            procedure=CHILDREN_STATUTORY,
            stage=2,
            anchors={"stage2_start": start, "investigation_report_received": CAL.add_working_days(start, 20)},
            calendar=CAL,
        )
    )
    assert early["stage2_adjudication"].due_on == CAL.add_working_days(start, 40)
    assert not early["stage2_adjudication"].capped


def test_r1_28_a_report_after_the_maximum_keeps_its_own_adjudication_target() -> None:
    start = date(2025, 1, 6)
    report = CAL.add_working_days(start, 70)  # the 65-working-day limit has already passed
    dues = due_by_key(
        stage_due_dates(
            procedure=CHILDREN_STATUTORY,
            stage=2,
            anchors={"stage2_start": start, "investigation_report_received": report},
            calendar=CAL,
        )
    )
    adjudication = dues["stage2_adjudication"]
    assert adjudication.due_on == CAL.add_working_days(report, 20)
    assert adjudication.due_on >= adjudication.anchor_on
    assert not adjudication.capped


def test_r5_11_receipt_rule_applies_to_receipts_only() -> None:
    saturday = date(2025, 1, 4)
    (actual,) = stage_due_dates(procedure=CHILDREN_STATUTORY, stage=1, anchors={"received": saturday}, calendar=CAL)
    (deemed,) = stage_due_dates(
        procedure=CHILDREN_STATUTORY,
        stage=1,
        anchors={"received": saturday},
        calendar=CAL,
        receipt_rule=ReceiptRule.NEXT_WORKING_DAY,
    )
    assert (actual.anchor_on, actual.due_on) == (saturday, date(2025, 1, 17))
    assert (deemed.anchor_on, deemed.due_on) == (date(2025, 1, 6), date(2025, 1, 20))
    # A stage 2 start date is an agreement, not a receipt, so it is never deemed to move.
    dues = due_by_key(
        stage_due_dates(
            procedure=CHILDREN_STATUTORY,
            stage=2,
            anchors={"stage2_start": saturday},
            calendar=CAL,
            receipt_rule=ReceiptRule.NEXT_WORKING_DAY,
        )
    )
    assert dues["stage2_response"].anchor_on == saturday


def test_agreed_extension_within_the_maximum_is_kept() -> None:
    (stage1,) = stage_due_dates(
        procedure=CHILDREN_STATUTORY,
        stage=1,
        anchors={"received": date(2022, 5, 26)},
        calendar=CAL,
        agreed={"stage1_response": date(2022, 6, 20)},
    )
    assert stage1.agreed_due_on == date(2022, 6, 20)
    assert stage1.applicable_due_on == date(2022, 6, 20)
    assert stage1.due_on == date(2022, 6, 13)


@pytest.mark.parametrize(
    ("stage", "anchors", "agreed", "error", "message"),
    [
        (1, {"received": date(2022, 5, 26)}, {"stage1_response": date(2022, 6, 28)}, ValueError, "after 2022-06-27"),
        (1, {"received": date(2022, 5, 26)}, {"stage1_response": date(2022, 6, 10)}, ValueError, "bring a deadline"),
        (2, {"stage2_start": date(2025, 1, 6)}, {"stage2_response": date(2025, 12, 1)}, ValueError, "65 working days"),
        (3, {"panel_held": date(2025, 1, 6)}, {"stage3_panel_report": date(2025, 1, 20)}, ValueError, "no extension"),
        (1, {}, {"stage1_response": date(2022, 6, 20)}, ValueError, "not known"),
        (1, {"received": date(2022, 5, 26)}, {"stage9_response": date(2022, 6, 20)}, UnknownTimescaleError, "stage9"),
    ],
    ids=["beyond-20", "before-standard", "beyond-65", "not-extendable", "no-anchor", "unknown-key"],
)
def test_r1_20_r1_26_invalid_agreed_dates_are_rejected(
    stage: int, anchors: dict[str, date], agreed: dict[str, date], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        stage_due_dates(procedure=CHILDREN_STATUTORY, stage=stage, anchors=anchors, calendar=CAL, agreed=agreed)


def test_r2_5_r2_6_adults_acknowledgement_and_six_month_response_period() -> None:
    dues = due_by_key(
        stage_due_dates(procedure=ADULTS_STATUTORY, stage=1, anchors={"received": date(2025, 1, 15)}, calendar=CAL)
    )
    assert dues["adults_acknowledgement"].due_on == date(2025, 1, 20)
    assert dues["adults_response_period"].due_on == date(2025, 7, 14)  # R5.14
    assert dues["adults_response_period"].extended_due_on is None


def test_r2_5_adults_agreed_response_period_may_be_shorter_or_longer() -> None:
    for agreed_on in (date(2025, 3, 31), date(2025, 9, 30)):
        dues = due_by_key(
            stage_due_dates(
                procedure=ADULTS_STATUTORY,
                stage=1,
                anchors={"received": date(2025, 1, 15)},
                calendar=CAL,
                agreed={"adults_response_period": agreed_on},
            )
        )
        assert dues["adults_response_period"].applicable_due_on == agreed_on
    with pytest.raises(ValueError, match="must be after"):
        stage_due_dates(
            procedure=ADULTS_STATUTORY,
            stage=1,
            anchors={"received": date(2025, 1, 15)},
            calendar=CAL,
            agreed={"adults_response_period": date(2025, 1, 15)},
        )


def test_r3_5_lgsco_code_stage1_runs_from_acknowledgement() -> None:
    dues = due_by_key(
        stage_due_dates(
            procedure=LGSCO_COMPLAINT_HANDLING_CODE,
            stage=1,
            anchors={"received": date(2025, 1, 6), "acknowledged": date(2025, 1, 9)},
            calendar=CAL,
        )
    )
    assert dues["stage1_acknowledgement"].due_on == date(2025, 1, 13)
    assert dues["stage1_response"].due_on == date(2025, 1, 23)
    assert dues["stage1_response"].extended_due_on == date(2025, 2, 6)


# -- holds (R1.37) ------------------------------------------------------------------------------------------------

MONDAY = date(2025, 3, 3)  # day 0; 10 WD later is Monday 17 March 2025


def test_r1_37_raw_and_adjusted_elapsed_days() -> None:
    hold = Hold(date(2025, 3, 10), date(2025, 3, 17), reason="Awaiting an advocate (R1.19)")
    elapsed = elapsed_working_days(start=MONDAY, end=date(2025, 3, 21), calendar=CAL, holds=[hold])
    assert elapsed == Elapsed(raw=14, on_hold=5, adjusted=9)


def test_r1_37_hold_end_date_is_exclusive() -> None:
    # [10 March, 11 March) holds one day: 10 March. The clock runs again on 11 March.
    elapsed = elapsed_working_days(
        start=MONDAY, end=date(2025, 3, 21), calendar=CAL, holds=[Hold(date(2025, 3, 10), date(2025, 3, 11))]
    )
    assert elapsed.on_hold == 1
    same_day = elapsed_working_days(
        start=MONDAY, end=date(2025, 3, 21), calendar=CAL, holds=[Hold(date(2025, 3, 10), date(2025, 3, 10))]
    )
    assert same_day.on_hold == 0


def test_r1_37_overlapping_and_adjacent_holds_are_not_double_counted() -> None:
    overlapping = [Hold(date(2025, 3, 10), date(2025, 3, 14)), Hold(date(2025, 3, 12), date(2025, 3, 17))]
    adjacent = [Hold(date(2025, 3, 10), date(2025, 3, 12)), Hold(date(2025, 3, 12), date(2025, 3, 17))]
    duplicated = [Hold(date(2025, 3, 10), date(2025, 3, 17))] * 3
    for holds in (overlapping, adjacent, duplicated):
        assert elapsed_working_days(start=MONDAY, end=date(2025, 3, 21), calendar=CAL, holds=holds).on_hold == 5
    assert merge_holds(overlapping) == (Hold(date(2025, 3, 10), date(2025, 3, 17)),)


def test_r1_37_open_ended_hold_counts_up_to_the_end_date() -> None:
    holds = [Hold(date(2025, 3, 17))]
    assert elapsed_working_days(start=MONDAY, end=date(2025, 3, 21), calendar=CAL, holds=holds) == Elapsed(14, 5, 9)
    assert merge_holds([Hold(date(2025, 3, 17)), Hold(date(2025, 3, 18), date(2025, 3, 20))]) == (
        Hold(date(2025, 3, 17)),
    )
    assert merge_holds([Hold(date(2025, 3, 10), date(2025, 3, 18)), Hold(date(2025, 3, 17))]) == (
        Hold(date(2025, 3, 10)),
    )


def test_r1_37_holds_outside_the_period_or_on_weekends_count_nothing() -> None:
    holds = [
        Hold(date(2025, 2, 1), date(2025, 3, 3)),
        Hold(date(2025, 3, 8), date(2025, 3, 10)),
        Hold(date(2025, 4, 1)),
    ]
    assert elapsed_working_days(start=MONDAY, end=date(2025, 3, 21), calendar=CAL, holds=holds).on_hold == 0


def test_hold_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="cannot end"):
        Hold(date(2025, 3, 10), date(2025, 3, 9))


def test_r1_37_due_date_with_holds() -> None:
    assert due_date_with_holds(day0=MONDAY, working_days=10, calendar=CAL) == date(2025, 3, 17)
    held = [Hold(date(2025, 3, 10), date(2025, 3, 17))]
    assert due_date_with_holds(day0=MONDAY, working_days=10, calendar=CAL, holds=held) == date(2025, 3, 24)
    # A hold that starts on the raw due date pushes it on too.
    assert due_date_with_holds(
        day0=MONDAY, working_days=10, calendar=CAL, holds=[Hold(date(2025, 3, 17), date(2025, 3, 18))]
    ) == date(2025, 3, 18)
    assert due_date_with_holds(day0=MONDAY, working_days=0, calendar=CAL, holds=held) == MONDAY
    with pytest.raises(ValueError, match="zero or more"):
        due_date_with_holds(day0=MONDAY, working_days=-1, calendar=CAL)


def test_r1_37_open_ended_hold_stops_the_clock_only_if_it_starts_before_the_due_date() -> None:
    assert due_date_with_holds(day0=MONDAY, working_days=10, calendar=CAL, holds=[Hold(date(2025, 3, 12))]) is None
    assert due_date_with_holds(day0=MONDAY, working_days=10, calendar=CAL, holds=[Hold(date(2025, 3, 18))]) == date(
        2025, 3, 17
    )


def test_r1_37_stage_due_dates_label_the_adjusted_date_and_keep_the_raw_one() -> None:
    (stage1,) = stage_due_dates(
        procedure=CHILDREN_STATUTORY,
        stage=1,
        anchors={"received": MONDAY},
        calendar=CAL,
        holds=[Hold(date(2025, 3, 10), date(2025, 3, 17))],
    )
    assert stage1.due_on == date(2025, 3, 17)
    assert stage1.hold_adjusted_due_on == date(2025, 3, 24)
    assert stage1.holds_applied
    (stopped,) = stage_due_dates(
        procedure=CHILDREN_STATUTORY, stage=1, anchors={"received": MONDAY}, calendar=CAL, holds=[Hold(MONDAY)]
    )
    assert (stopped.holds_applied, stopped.hold_adjusted_due_on, stopped.due_on) == (True, None, date(2025, 3, 17))
    (plain,) = stage_due_dates(procedure=CHILDREN_STATUTORY, stage=1, anchors={"received": MONDAY}, calendar=CAL)
    assert (plain.holds_applied, plain.hold_adjusted_due_on) == (False, None)


closed_holds = st.lists(
    st.tuples(covered_dates, st.integers(min_value=0, max_value=40)).map(
        lambda pair: Hold(pair[0], date.fromordinal(pair[0].toordinal() + pair[1]))
    ),
    max_size=4,
)


@PROPERTY_SETTINGS
@given(day0=st.dates(min_value=date(2000, 1, 1), max_value=date(2039, 6, 30)), n=st.integers(1, 65), holds=closed_holds)
def test_property_hold_adjusted_due_date_is_the_first_day_with_n_unheld_working_days(
    day0: date, n: int, holds: list[Hold]
) -> None:
    due = due_date_with_holds(day0=day0, working_days=n, calendar=CAL, holds=holds)
    assert due is not None
    assert elapsed_working_days(start=day0, end=due, calendar=CAL, holds=holds).adjusted == n
    previous = date.fromordinal(due.toordinal() - 1)
    assert elapsed_working_days(start=day0, end=previous, calendar=CAL, holds=holds).adjusted == n - 1
    assert due >= CAL.add_working_days(day0, n)


# -- timeliness (interchange §2) -----------------------------------------------------------------------------------

WITHIN = TimelinessCategory.WITHIN_TIMESCALE
EXTENDED = TimelinessCategory.WITHIN_EXTENDED_TIMESCALE
LATE = TimelinessCategory.LATE


@pytest.mark.parametrize(
    ("taken", "standard", "extended", "agreed", "category", "late_by"),
    [
        (0, 10, 20, False, WITHIN, 0),
        (10, 10, 20, False, WITHIN, 0),
        (10, 10, 20, True, WITHIN, 0),
        (11, 10, 20, True, EXTENDED, 0),
        (20, 10, 20, True, EXTENDED, 0),
        (21, 10, 20, True, LATE, 1),
        (11, 10, 20, False, LATE, 1),
        (15, 10, 20, False, LATE, 5),
        (25, 25, 65, False, WITHIN, 0),
        (26, 25, 65, True, EXTENDED, 0),
        (65, 25, 65, True, EXTENDED, 0),
        (66, 25, 65, True, LATE, 1),
        (30, 25, 65, False, LATE, 5),
        (31, 30, None, False, LATE, 1),
    ],
)
def test_interchange_2_timeliness_categories(
    taken: int, standard: int, extended: int | None, agreed: bool, category: TimelinessCategory, late_by: int
) -> None:
    result = classify_timeliness(
        working_days_taken=taken, standard_days=standard, extended_days=extended, extension_agreed=agreed
    )
    assert (result.category, result.late_by) == (category, late_by)


def test_timeliness_category_values_are_the_report_keys() -> None:
    assert [c.value for c in TimelinessCategory] == ["within_timescale", "within_extended_timescale", "late"]


def test_timeliness_input_errors() -> None:
    with pytest.raises(ValueError, match="no extended limit"):
        classify_timeliness(working_days_taken=5, standard_days=5, extended_days=None, extension_agreed=True)
    with pytest.raises(ValueError, match="zero or more"):
        classify_timeliness(working_days_taken=-1, standard_days=10, extended_days=20, extension_agreed=False)


def test_r5_10_r5_15_response_on_the_due_date_is_on_time() -> None:
    received = date(2022, 5, 26)

    def classify(responded_on: date, agreed: bool) -> tuple[TimelinessCategory, int]:
        result = classify_response(
            start=received,
            responded_on=responded_on,
            calendar=CAL,
            standard_days=10,
            extended_days=20,
            extension_agreed=agreed,
        )
        return result.category, result.late_by

    assert classify(date(2022, 6, 13), agreed=False) == (WITHIN, 0)
    assert classify(date(2022, 6, 14), agreed=False) == (LATE, 1)
    assert classify(date(2022, 6, 14), agreed=True) == (EXTENDED, 0)
    assert classify(date(2022, 6, 28), agreed=True) == (LATE, 1)


def test_r1_31_to_r1_33_stage3_checks() -> None:
    result = stage3_timeliness(
        request_received_on=date(2024, 12, 16),
        panel_on=date(2025, 1, 30),
        panel_report_on=date(2025, 2, 7),
        responded_on=date(2025, 2, 28),
        calendar=CAL,
    )
    assert result.panel is not None
    assert result.panel_report is not None
    assert result.response is not None
    assert (result.panel.working_days, result.panel.limit, result.panel.rule, result.panel.on_time) == (
        30,
        30,
        "R1.31",
        True,
    )
    assert (result.panel_report.working_days, result.panel_report.on_time) == (6, False)
    assert (result.response.working_days, result.response.limit, result.response.on_time) == (15, 15, True)


def test_stage3_checks_wait_for_both_dates() -> None:
    result = stage3_timeliness(request_received_on=date(2024, 12, 16), panel_on=date(2025, 1, 31), calendar=CAL)
    assert result.panel is not None
    assert not result.panel.on_time
    assert result.panel_report is None
    assert result.response is None


# -- bands ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (0, "1-10"),
        (1, "1-10"),
        (10, "1-10"),
        (11, "11-20"),
        (20, "11-20"),
        (21, "21-40"),
        (40, "21-40"),
        (41, "41+"),
        (400, "41+"),
    ],
)
def test_interchange_2_stage1_response_bands(days: int, band: str) -> None:
    assert response_days_band(days) == band


@pytest.mark.parametrize(
    ("late_by", "band"),
    [
        (0, "on time"),
        (1, "1-10 days late"),
        (10, "1-10 days late"),
        (11, "11-30 days late"),
        (30, "11-30 days late"),
        (31, "over 30 days late"),
        (200, "over 30 days late"),
    ],
)
def test_stage2_lateness_bands(late_by: int, band: str) -> None:
    assert lateness_band(late_by) == band


def test_bands_are_contiguous_data_with_the_interchange_labels() -> None:
    assert [band.label for band in RESPONSE_DAYS_BANDS] == ["1-10", "11-20", "21-40", "41+"]
    for bands in (RESPONSE_DAYS_BANDS, STAGE2_LATENESS_BANDS):
        assert bands[0].lower == 0
        assert bands[-1].upper is None
        for before, after in itertools.pairwise(bands):
            assert before.upper is not None
            assert after.lower == before.upper + 1
    label, lower, upper = RESPONSE_DAYS_BANDS[1]
    assert (label, lower, upper) == ("11-20", 11, 20)


def test_negative_days_are_in_no_band() -> None:
    with pytest.raises(ValueError, match="not in any band"):
        response_days_band(-1)
    with pytest.raises(ValueError, match="not in any band"):
        lateness_band(-1)


def test_late_by_feeds_the_lateness_band() -> None:
    result = classify_timeliness(working_days_taken=80, standard_days=25, extended_days=65, extension_agreed=True)
    assert lateness_band(result.late_by) == "11-30 days late"
