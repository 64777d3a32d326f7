"""The measured provisions of the Complaint Handling Code (R3.5 to R3.7), pure functions over the interchange
records of the corporate procedure and a few facts the records do not carry (who handled each stage, whether an
extension was told, the points addressed, remedies followed through, refusals).

Every figure that the corporate report also gives is read from its core (interchange §4), computed by the same
functions, so the self-assessment and the corporate report can never disagree; the cases behind a figure are the
records those functions count, classified one by one with the same rules. Each function's docstring is its
definition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from opencomplaints.deadlines import TimelinessCategory, WorkingDayCalendar
from opencomplaints.records import Record
from opencomplaints.reporting.metrics.learning import LearningItem
from opencomplaints.reporting.metrics.rules import ProcedureRules, StageRules, rules_for
from opencomplaints.reporting.metrics.selection import complaint_stage, completed_in, received_in
from opencomplaints.reporting.metrics.timeliness import assessed, timeliness_category

__all__ = ["METRICS", "Measure", "StageFacts", "measure_all", "verdict_for"]

CORPORATE = "corporate"
#: At or above this share the verdict is "partly compliant" rather than "not compliant".
PARTLY_AT = 80.0


@dataclass(frozen=True, kw_only=True)
class StageFacts:
    """What the Code asks about one stage that the interchange record does not carry."""

    handler: int | None = None
    handler_name: str = ""
    extension_told: bool = False
    points: int = 0
    points_addressed: int = 0
    decline_reason: str = ""
    remedies: int = 0
    remedies_completed: int = 0


@dataclass(frozen=True)
class Measure:
    """A provision's figure (``measured``), its verdict and the references of the cases behind it."""

    measured: dict[str, Any]
    verdict: str
    cases: tuple[str, ...] = ()
    summary: str = ""


type Facts = Mapping[tuple[str, str], StageFacts]


@dataclass(frozen=True)
class Inputs:
    records: Sequence[Record]
    core: Mapping[str, Any]
    period: Any
    calendar: WorkingDayCalendar
    configured: Mapping[str, ProcedureRules]
    facts: Facts = field(default_factory=dict)
    learning: Sequence[LearningItem] = ()


def verdict_for(good: int, total: int) -> str:
    """``not_applicable`` with nothing to assess; ``compliant`` when every one met the provision; ``partly``
    when at least 80% did; ``not_compliant`` otherwise."""
    if total == 0:
        return "not_applicable"
    if good == total:
        return "compliant"
    return "partly" if 100 * good / total >= PARTLY_AT else "not_compliant"


def _percent(good: int, total: int) -> float | None:
    return None if total == 0 else round(100 * good / total + 1e-9, 1)


def _key(r: Record) -> tuple[str, str]:
    return (r.council, r.ref)


def _rules(inputs: Inputs, stage: int) -> StageRules:
    return rules_for(CORPORATE, inputs.configured).stage(stage) or StageRules(number=stage)


def _acknowledged(stage: int) -> Callable[[Inputs], Measure]:
    def measure(inputs: Inputs) -> Measure:
        """Stage ``n`` complaints received in the year acknowledged within the Code's five working days of receipt,
        counted exactly as the corporate report's acknowledgement; the cases behind it are those acknowledged late
        or with no acknowledgement recorded."""
        counts = dict(inputs.core["stages"][str(stage)]["acknowledgement"])
        limit = _rules(inputs, stage).acknowledge_days
        behind = [
            r.ref
            for r in received_in(complaint_stage(inputs.records, CORPORATE, stage), inputs.period)
            if r.acknowledged is None
            or limit is None
            or inputs.calendar.working_days_between(r.received, r.acknowledged) > limit
        ]
        total = counts["assessed"] + counts["not_recorded"]
        counts["on_time_percent"] = _percent(counts["on_time"], total)
        return Measure(counts, verdict_for(counts["on_time"], total), tuple(sorted(behind)))

    measure.__doc__ = (measure.__doc__ or "").replace("``n``", str(stage))
    return measure


def _responded(stage: int) -> Callable[[Inputs], Measure]:
    def measure(inputs: Inputs) -> Measure:
        """Stage ``n`` responses sent in the year within the Code's timescale from the acknowledgement, or an
        agreed extension, counted exactly as the corporate report's timeliness; the cases behind it are the late
        responses."""
        t = dict(inputs.core["stages"][str(stage)]["timeliness"])
        late = [
            r.ref
            for r in assessed(complaint_stage(inputs.records, CORPORATE, stage), inputs.period)
            if timeliness_category(r, inputs.calendar, inputs.configured) is TimelinessCategory.LATE
        ]
        on_time = t["within_timescale"] + t["within_extended_timescale"]
        t["on_time_percent"] = _percent(on_time, t["assessed"])
        return Measure(t, verdict_for(on_time, t["assessed"]), tuple(sorted(late)))

    measure.__doc__ = (measure.__doc__ or "").replace("``n``", str(stage))
    return measure


def _extension(stage: int) -> Callable[[Inputs], Measure]:
    def measure(inputs: Inputs) -> Measure:
        """Stage ``n`` responses of the year that were extended (the corporate report's ``extended``), and those
        whose extension went beyond the Code's limit (a due date further from the acknowledgement than the
        timescale plus the extension the Code allows) or whose response came after the extended timescale."""
        rules = _rules(inputs, stage)
        extended = [r for r in assessed(complaint_stage(inputs.records, CORPORATE, stage), inputs.period) if r.extended]
        limit = rules.extended_days
        beyond = [
            r.ref
            for r in extended
            if limit is not None
            and (
                (
                    r.extended_due is not None
                    and inputs.calendar.working_days_between(rules.start_of(r), r.extended_due) > limit
                )
                or timeliness_category(r, inputs.calendar, inputs.configured) is TimelinessCategory.LATE
            )
        ]
        figure = {"extended": inputs.core["stages"][str(stage)]["extended"], "beyond_limit": len(beyond)}
        return Measure(figure, verdict_for(len(extended) - len(beyond), len(extended)), tuple(sorted(beyond)))

    measure.__doc__ = (measure.__doc__ or "").replace("``n``", str(stage))
    return measure


def extension_told(inputs: Inputs) -> Measure:
    """Extended responses of the year (both stages) where the complainant was told of the extension with the
    Ombudsman's details: an extension letter sent, or the date they were told recorded on the stage."""
    extended = [
        r for s in (1, 2) for r in assessed(complaint_stage(inputs.records, CORPORATE, s), inputs.period) if r.extended
    ]
    untold = [r.ref for r in extended if not inputs.facts.get(_key(r), StageFacts()).extension_told]
    told = len(extended) - len(untold)
    return Measure({"extended": len(extended), "told": told}, verdict_for(told, len(extended)), tuple(sorted(untold)))


def stage2_handler(inputs: Inputs) -> Measure:
    """Stage 2 complaints received in the year whose stage 2 was handled by the person who handled stage 1 (the
    stage's investigating officer); each is not compliant. Stages with no handler recorded are not assessed."""
    by_case = {(r.council, r.group_ref): r for r in complaint_stage(inputs.records, CORPORATE, 1)}
    checked = 0
    same: list[str] = []
    for r in received_in(complaint_stage(inputs.records, CORPORATE, 2), inputs.period):
        first = by_case.get((r.council, r.group_ref))
        one = inputs.facts.get(_key(first)) if first else None
        two = inputs.facts.get(_key(r))
        if one is None or two is None or one.handler is None or two.handler is None:
            continue
        checked += 1
        if one.handler == two.handler:
            same.append(r.ref)
    figure = {"assessed": checked, "same_handler": len(same)}
    verdict = "not_applicable" if checked == 0 else ("compliant" if not same else "not_compliant")
    return Measure(figure, verdict, tuple(sorted(same)))


def refused(inputs: Inputs) -> Measure:
    """Complaints (stage 1) not accepted in the year, by the reason recorded; those with no reason recorded are
    the cases behind the verdict."""
    rows = [
        r
        for r in completed_in(complaint_stage(inputs.records, CORPORATE, 1), inputs.period)
        if r.outcome == "not_accepted"
    ]
    reasons = Counter(inputs.facts.get(_key(r), StageFacts()).decline_reason or "not_recorded" for r in rows)
    missing = [r.ref for r in rows if not inputs.facts.get(_key(r), StageFacts()).decline_reason]
    figure = {"refused": len(rows), "by_reason": dict(sorted(reasons.items()))}
    return Measure(figure, verdict_for(len(rows) - len(missing), len(rows)), tuple(sorted(missing)))


def points_addressed(inputs: Inputs) -> Measure:
    """Responses of the year (both stages, timeliness assessed) whose every recorded point has a finding at that
    stage; responses with no points recorded are not assessed."""
    rows = [r for s in (1, 2) for r in assessed(complaint_stage(inputs.records, CORPORATE, s), inputs.period)]
    with_points = [(r, inputs.facts.get(_key(r), StageFacts())) for r in rows]
    with_points = [(r, f) for r, f in with_points if f.points]
    missed = [r.ref for r, f in with_points if f.points_addressed < f.points]
    good = len(with_points) - len(missed)
    return Measure(
        {"assessed": len(with_points), "all_addressed": good},
        verdict_for(good, len(with_points)),
        tuple(sorted(missed)),
    )


def remedies(inputs: Inputs) -> Measure:
    """Remedies agreed at the stages completed in the year, and those followed through to completion (a date
    completed recorded); the cases behind it are those with a remedy outstanding."""
    rows = [r for s in (1, 2) for r in completed_in(complaint_stage(inputs.records, CORPORATE, s), inputs.period)]
    facts = [(r, inputs.facts.get(_key(r), StageFacts())) for r in rows]
    agreed = sum(f.remedies for _, f in facts)
    completed = sum(f.remedies_completed for _, f in facts)
    outstanding = [r.ref for r, f in facts if f.remedies_completed < f.remedies]
    return Measure(
        {"agreed": agreed, "completed": completed, "outstanding": agreed - completed},
        verdict_for(completed, agreed),
        tuple(sorted(outstanding)),
    )


def learning(inputs: Inputs) -> Measure:
    """The council's learning actions due in the year (or recorded in it with no due date), and those
    implemented as service improvements by the year's end."""
    p = inputs.period
    due = [
        i
        for i in inputs.learning
        if (i.due is not None and p.start <= i.due <= p.end) or (i.due is None and p.start <= i.recorded <= p.end)
    ]
    done = [i for i in due if i.implemented is not None and i.implemented <= p.end]
    return Measure({"due": len(due), "implemented": len(done)}, verdict_for(len(done), len(due)))


METRICS: dict[str, Callable[[Inputs], Measure]] = {
    "stage1_acknowledged": _acknowledged(1),
    "stage2_acknowledged": _acknowledged(2),
    "stage1_responded": _responded(1),
    "stage2_responded": _responded(2),
    "stage1_extension": _extension(1),
    "stage2_extension": _extension(2),
    "extension_told": extension_told,
    "stage2_handler": stage2_handler,
    "refused": refused,
    "points_addressed": points_addressed,
    "remedies": remedies,
    "learning": learning,
}


def measure_all(inputs: Inputs) -> dict[str, Measure]:
    return {key: metric(inputs) for key, metric in METRICS.items()}
