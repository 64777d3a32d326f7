"""Due dates, holds, timeliness and reporting bands.

Due dates are computed from the real events of a case (R5.13), never from an earlier due date, and extensions
run from the same day 0. Statutory timeliness is always assessed on raw elapsed working days; hold-adjusted
figures are offered for case management but are labelled as adjusted (R1.37). Timeliness categories follow
interchange §2 exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from .calendar import ReceiptRule, WorkingDayCalendar, day_zero
from .periods import period_beginning_end
from .procedures import CHILDREN_STATUTORY, Procedure, Timescale, is_receipt_anchor

__all__ = [
    "RESPONSE_DAYS_BANDS",
    "STAGE2_LATENESS_BANDS",
    "Band",
    "DueDate",
    "Elapsed",
    "Hold",
    "StageThreeCheck",
    "StageThreeTimeliness",
    "Timeliness",
    "TimelinessCategory",
    "band_for",
    "classify_response",
    "classify_timeliness",
    "due_date_with_holds",
    "elapsed_working_days",
    "lateness_band",
    "merge_holds",
    "response_days_band",
    "stage3_timeliness",
    "stage_due_dates",
]

_ONE_DAY = timedelta(days=1)


# -- holds (R1.13, R1.19, R1.37) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Hold:
    """A period during which the council's clock is paused (R1.37).

    Holds arise from awaiting an advocate (R1.19) or deferral for other proceedings (R1.13).
    The interval is half-open: ``start_on`` is the first day on hold and ``end_on`` is the day the clock runs
    again, which is *not* on hold. So a hold from Monday 3 March to Monday 10 March pauses 3-7 March, and
    consecutive holds ``[a, b)`` and ``[b, c)`` neither overlap nor leave a gap. ``end_on=None`` is a hold
    that has not ended yet.
    """

    start_on: date
    end_on: date | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end_on is not None and self.end_on < self.start_on:
            raise ValueError(
                f"A hold cannot end ({self.end_on.isoformat()}) before it starts ({self.start_on.isoformat()})."
            )

    @property
    def is_open(self) -> bool:
        """Whether the hold has not ended yet."""
        return self.end_on is None


def merge_holds(holds: Iterable[Hold]) -> tuple[Hold, ...]:
    """Holds merged into disjoint intervals in date order, so overlapping holds are never counted twice."""
    ordered = sorted((h for h in holds if h.end_on is None or h.end_on > h.start_on), key=lambda h: h.start_on)
    merged: list[Hold] = []
    for hold in ordered:
        if merged:
            last = merged[-1]
            if last.end_on is None:
                # An open hold already covers everything after its start.
                continue
            if hold.start_on <= last.end_on:
                end_on = None if hold.end_on is None else max(last.end_on, hold.end_on)
                merged[-1] = Hold(last.start_on, end_on, last.reason)
                continue
        merged.append(hold)
    return tuple(merged)


def _held_working_days(start: date, end: date, merged: tuple[Hold, ...], calendar: WorkingDayCalendar) -> int:
    # Working days d with start < d <= end that fall inside [hold.start_on, hold.end_on) for a merged hold.
    total = 0
    for hold in merged:
        lower = max(start, hold.start_on - _ONE_DAY)
        upper = end if hold.end_on is None else min(end, hold.end_on - _ONE_DAY)
        if upper > lower:
            total += calendar.working_days_between(lower, upper)
    return total


@dataclass(frozen=True)
class Elapsed:
    """Working days elapsed: ``raw`` (statutory), ``on_hold``, and ``adjusted`` = raw - on_hold (R1.37)."""

    raw: int
    on_hold: int
    adjusted: int


def elapsed_working_days(
    *, start: date, end: date, calendar: WorkingDayCalendar, holds: Iterable[Hold] = ()
) -> Elapsed:
    """Working days from day 0 ``start`` to ``end`` (R5.10), with the part spent on hold (R1.37).

    Only working days after ``start`` and up to ``end`` count, as in
    :meth:`~opencomplaints.deadlines.calendar.WorkingDayCalendar.working_days_between`.
    """
    raw = calendar.working_days_between(start, end)
    on_hold = _held_working_days(start, end, merge_holds(holds), calendar) if raw else 0
    return Elapsed(raw=raw, on_hold=on_hold, adjusted=raw - on_hold)


def due_date_with_holds(
    *, day0: date, working_days: int, calendar: WorkingDayCalendar, holds: Iterable[Hold] = ()
) -> date | None:
    """The hold-adjusted due date: the day on which ``working_days`` working days *not on hold* have passed.

    This is an adjusted figure for case management only; statutory timeliness uses the raw due date (R1.37).
    Returns ``None`` when an open-ended hold stops the clock before the due date is reached, because no date
    can be given until the hold ends.
    """
    if working_days < 0:
        raise ValueError(f"working_days must be zero or more, not {working_days}.")
    if working_days == 0:
        return day0
    merged = merge_holds(holds)
    held = 0
    # Each pass pushes the date out by the held days found so far; the held count only grows, so this reaches
    # the earliest date with enough unheld working days (usually in one or two passes).
    while True:
        candidate = calendar.add_working_days(day0, working_days + held)
        if any(h.end_on is None and h.start_on <= candidate for h in merged):
            return None
        now_held = _held_working_days(day0, candidate, merged, calendar)
        if now_held == held:
            return candidate
        held = now_held


# -- due dates (R5.13) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDate:
    """One due date of a stage.

    - ``anchor_on`` is day 0: the anchor event's date, after the receipt rule for receipts (R5.11).
    - ``due_on`` is the standard due date; ``extended_due_on`` the latest date an extension may reach (the
      statutory maximum, e.g. 20 or 65 working days, R1.20, R1.26), or ``None`` if no extension is provided
      for.
    - ``agreed_due_on`` is the date actually agreed with the complainant, if one was passed in.
    - ``hold_adjusted_due_on`` is the standard due date moved on by working days on hold: an *adjusted*
      figure, never used for statutory timeliness (R1.37). ``None`` with ``holds_applied`` set means an
      open-ended hold has stopped the clock.
    - ``capped`` is set when an internal target was brought forward to a statutory limit (R1.28).
    """

    timescale: Timescale
    anchor_on: date
    due_on: date
    extended_due_on: date | None
    rule: str
    anchor: str
    agreed_due_on: date | None = None
    hold_adjusted_due_on: date | None = None
    holds_applied: bool = False
    capped: bool = False

    @property
    def key(self) -> str:
        """The timescale's key, e.g. ``"stage1_response"``."""
        return self.timescale.key

    @property
    def applicable_due_on(self) -> date:
        """The date that applies now: the agreed date if there is one, otherwise the standard due date."""
        return self.agreed_due_on or self.due_on

    @property
    def latest_permissible_on(self) -> date:
        """The latest date the timescale allows at all (the extended maximum where there is one)."""
        return self.extended_due_on or self.due_on


def _anchor_for(timescale: Timescale, anchors: Mapping[str, date]) -> tuple[str, date] | None:
    for name in (timescale.anchor, timescale.fallback_anchor):
        if name is not None and anchors.get(name) is not None:
            return name, anchors[name]
    return None


def _check_agreed(timescale: Timescale, agreed: date, anchor_on: date, due_on: date, maximum: date | None) -> None:
    label = f"{timescale.label} ({timescale.rule})"
    if timescale.calendar_months is not None:
        # R2.5: the response period is agreed with the complainant and may be shorter or longer than the
        # default.
        if agreed <= anchor_on:
            raise ValueError(f"{label}: the agreed date {agreed.isoformat()} must be after {anchor_on.isoformat()}.")
        return
    if maximum is None:
        raise ValueError(f"{label}: no extension is provided for, so an agreed date cannot be set.")
    if agreed < due_on:
        raise ValueError(
            f"{label}: the agreed date {agreed.isoformat()} is before the standard due date "
            f"{due_on.isoformat()}; an extension cannot bring a deadline forward."
        )
    if agreed > maximum:
        raise ValueError(
            f"{label}: the agreed date {agreed.isoformat()} is after {maximum.isoformat()}, the maximum of "
            f"{timescale.extended_working_days} working days from {anchor_on.isoformat()}."
        )


def stage_due_dates(
    *,
    procedure: Procedure,
    stage: int | str,
    anchors: Mapping[str, date],
    calendar: WorkingDayCalendar,
    receipt_rule: ReceiptRule = ReceiptRule.ACTUAL_DATE,
    holds: Iterable[Hold] = (),
    agreed: Mapping[str, date] | None = None,
) -> tuple[DueDate, ...]:
    """Every due date of ``stage`` whose anchor event is known, in the stage's timescale order.

    ``anchors`` maps event names (see :class:`~opencomplaints.deadlines.procedures.Anchor`) to their dates;
    events not yet recorded are simply left out, and other keys are ignored. Each deadline runs from its own
    event (R5.13). The receipt rule (R5.11) applies to receipt anchors only. ``agreed`` maps timescale keys to
    an agreed extended date, which must lie between the standard and the maximum due date (R1.20, R1.26), or
    for a calendar-month response period (R2.5) anywhere after day 0. ``holds`` (R1.37) add a labelled
    hold-adjusted date.
    """
    stage_spec = procedure.stage(stage)
    agreed_dates: Mapping[str, date] = agreed or {}
    for key in agreed_dates:
        stage_spec.timescale(key)
    hold_list = merge_holds(holds)
    results: dict[str, DueDate] = {}
    for timescale in stage_spec.timescales:
        found = _anchor_for(timescale, anchors)
        if found is None:
            if timescale.key in agreed_dates:
                raise ValueError(
                    f"{timescale.label}: an agreed date was given but the {timescale.anchor!r} date is not "
                    "known, so it cannot be checked."
                )
            continue
        anchor_name, event_on = found
        anchor_on = (
            day_zero(event_on, calendar=calendar, rule=receipt_rule) if is_receipt_anchor(anchor_name) else event_on
        )
        extended: date | None = None
        adjusted: date | None = None
        holds_applied = False
        if timescale.working_days is not None:
            due_on = calendar.add_working_days(anchor_on, timescale.working_days)
            if timescale.extended_working_days is not None:
                # R5.13: the extension is counted from the same day 0, not from the standard due date.
                extended = calendar.add_working_days(anchor_on, timescale.extended_working_days)
            if hold_list:
                holds_applied = True
                adjusted = due_date_with_holds(
                    day0=anchor_on, working_days=timescale.working_days, calendar=calendar, holds=hold_list
                )
        elif timescale.calendar_months is not None:
            calendar.require_covered(anchor_on)
            due_on = period_beginning_end(anchor_on, timescale.calendar_months)
        else:  # pragma: no cover - Timescale validation requires one of the two
            raise ValueError(f"Timescale {timescale.key!r} has neither working days nor calendar months.")
        agreed_on = agreed_dates.get(timescale.key)
        if agreed_on is not None:
            _check_agreed(timescale, agreed_on, anchor_on, due_on, extended)
        results[timescale.key] = DueDate(
            timescale=timescale,
            anchor_on=anchor_on,
            due_on=due_on,
            extended_due_on=extended,
            rule=timescale.rule,
            anchor=anchor_name,
            agreed_due_on=agreed_on,
            hold_adjusted_due_on=adjusted,
            holds_applied=holds_applied,
        )
    for key, due in list(results.items()):
        cap_key = due.timescale.capped_by
        cap = results.get(cap_key) if cap_key is not None else None
        # R1.28: an internal sub-deadline never outlasts the statutory one. When the statutory limit had already
        # passed by the day the internal target starts (a report arriving after 65 working days), capping would put
        # the target before its own anchor; the target then runs its normal course and the statutory deadline is
        # simply missed.
        if cap is not None and due.anchor_on <= cap.latest_permissible_on < due.due_on:
            results[key] = DueDate(
                timescale=due.timescale,
                anchor_on=due.anchor_on,
                due_on=cap.latest_permissible_on,
                extended_due_on=due.extended_due_on,
                rule=due.rule,
                anchor=due.anchor,
                agreed_due_on=due.agreed_due_on,
                hold_adjusted_due_on=due.hold_adjusted_due_on,
                holds_applied=due.holds_applied,
                capped=True,
            )
    return tuple(results.values())


# -- timeliness (interchange §2) -----------------------------------------------------------------------------


class TimelinessCategory(StrEnum):
    """The three timeliness categories of interchange §2 (values are the report's JSON keys)."""

    WITHIN_TIMESCALE = "within_timescale"
    WITHIN_EXTENDED_TIMESCALE = "within_extended_timescale"
    LATE = "late"


@dataclass(frozen=True)
class Timeliness:
    """A timeliness category and, when late, by how many working days (0 otherwise)."""

    category: TimelinessCategory
    late_by: int = 0


def classify_timeliness(
    *, working_days_taken: int, standard_days: int, extended_days: int | None, extension_agreed: bool
) -> Timeliness:
    """Classify a response exactly as interchange §2 does (R1.39, R1.40 item 7).

    Within timescale if taken <= standard; within extended timescale if standard < taken <= extended and an
    extension was agreed; otherwise late. ``late_by`` counts working days beyond the applicable limit: the
    extended limit if an extension was agreed, else the standard one.
    """
    if working_days_taken < 0:
        raise ValueError(f"working_days_taken must be zero or more, not {working_days_taken}.")
    if extension_agreed and extended_days is None:
        raise ValueError("An extension was recorded as agreed, but this timescale provides no extended limit.")
    if working_days_taken <= standard_days:
        return Timeliness(TimelinessCategory.WITHIN_TIMESCALE)
    if extension_agreed and extended_days is not None:
        if working_days_taken <= extended_days:
            return Timeliness(TimelinessCategory.WITHIN_EXTENDED_TIMESCALE)
        return Timeliness(TimelinessCategory.LATE, working_days_taken - extended_days)
    return Timeliness(TimelinessCategory.LATE, working_days_taken - standard_days)


def classify_response(
    *,
    start: date,
    responded_on: date,
    calendar: WorkingDayCalendar,
    standard_days: int,
    extended_days: int | None,
    extension_agreed: bool,
) -> Timeliness:
    """Count working days from day 0 ``start`` to ``responded_on`` (R5.10) and classify them (interchange §2).

    For stage 1 ``start`` is the date received; for stage 2 it is the stage 2 start date.
    """
    return classify_timeliness(
        working_days_taken=calendar.working_days_between(start, responded_on),
        standard_days=standard_days,
        extended_days=extended_days,
        extension_agreed=extension_agreed,
    )


@dataclass(frozen=True)
class StageThreeCheck:
    """One of the three stage 3 checks of interchange §2."""

    working_days: int
    limit: int
    rule: str

    @property
    def on_time(self) -> bool:
        """Whether the step happened within its limit."""
        return self.working_days <= self.limit


@dataclass(frozen=True)
class StageThreeTimeliness:
    """The stage 3 checks; each is ``None`` until both of its dates are known."""

    panel: StageThreeCheck | None
    panel_report: StageThreeCheck | None
    response: StageThreeCheck | None


def stage3_timeliness(
    *,
    request_received_on: date,
    calendar: WorkingDayCalendar,
    panel_on: date | None = None,
    panel_report_on: date | None = None,
    responded_on: date | None = None,
    procedure: Procedure = CHILDREN_STATUTORY,
) -> StageThreeTimeliness:
    """The three stage 3 checks of interchange §2.

    Panel within 30 WD of the request (R1.31), report within 5 WD of the panel (R1.32), council response within
    15 WD of the report (R1.33). Limits come from ``procedure``'s data, not from constants here.
    """
    stage = procedure.stage(3)

    def check(key: str, start: date | None, end: date | None) -> StageThreeCheck | None:
        if start is None or end is None:
            return None
        timescale = stage.timescale(key)
        if timescale.working_days is None:
            raise ValueError(f"{procedure.name}: {timescale.label} is not measured in working days.")
        return StageThreeCheck(
            working_days=calendar.working_days_between(start, end),
            limit=timescale.working_days,
            rule=timescale.rule,
        )

    return StageThreeTimeliness(
        panel=check("stage3_panel", request_received_on, panel_on),
        panel_report=check("stage3_panel_report", panel_on, panel_report_on),
        response=check("stage3_response", panel_report_on, responded_on),
    )


# -- bands ---------------------------------------------------------------------------------------------------


class Band(NamedTuple):
    """A reporting band: ``lower <= days <= upper`` (``upper=None`` is unbounded)."""

    label: str
    lower: int
    upper: int | None


#: Stage 1 response-time bands (interchange §2 ``response_days_bands``). A same-day response (0 working days)
#: counts in the first band.
RESPONSE_DAYS_BANDS: tuple[Band, ...] = (
    Band("1-10", 0, 10),
    Band("11-20", 11, 20),
    Band("21-40", 21, 40),
    Band("41+", 41, None),
)

#: Stage 2 lateness bands as councils report them (e.g. Wandsworth: "no more than 10 days late / no more than
#: 30 days late / over 30 days late"), applied to :attr:`Timeliness.late_by`.
STAGE2_LATENESS_BANDS: tuple[Band, ...] = (
    Band("on time", 0, 0),
    Band("1-10 days late", 1, 10),
    Band("11-30 days late", 11, 30),
    Band("over 30 days late", 31, None),
)


def band_for(days: int, bands: tuple[Band, ...]) -> str:
    """The label of the band containing ``days``; raises :class:`ValueError` if none does."""
    for band in bands:
        if days >= band.lower and (band.upper is None or days <= band.upper):
            return band.label
    raise ValueError(f"{days} is not in any band ({', '.join(b.label for b in bands)}).")


def response_days_band(days: int) -> str:
    """Stage 1 response band for ``days`` working days taken (interchange §2)."""
    return band_for(days, RESPONSE_DAYS_BANDS)


def lateness_band(late_by: int) -> str:
    """Stage 2 lateness band for ``late_by`` working days late (0 = on time)."""
    return band_for(late_by, STAGE2_LATENESS_BANDS)
