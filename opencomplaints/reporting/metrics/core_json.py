"""The annual report's JSON core (interchange §3), exactly: schema ``opencomplaints.annual-report/1``.

Counts are integers; money is a string with two decimals; percentages are numbers rounded half up to one decimal
place. ``stages`` covers the procedure asked for. Dictionaries keyed by a category list every category that
occurs and no others; fixed vocabularies (outcomes, timeliness, bands, quarters, compensation stages, other
representations) always list every key. The corporate and adults' procedures (interchange §4) list their own
stages, add ``acknowledgement`` and ``extended`` at each (adults' also ``well_founded``), give escalation between
their own stages only (none for adults', which have one) and count only their own Ombudsman records.

Counts are exact: small-number suppression applies to the published documents, never to this output, which is for
the council's own use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from opencomplaints.deadlines import WorkingDayCalendar, response_days_band
from opencomplaints.records import Record
from opencomplaints.reporting.metrics.breakdowns import breakdowns
from opencomplaints.reporting.metrics.compensation import compensation
from opencomplaints.reporting.metrics.escalation import escalation
from opencomplaints.reporting.metrics.ombudsman import ombudsman_by_decision, ombudsman_decided
from opencomplaints.reporting.metrics.outcomes import outcome_counts
from opencomplaints.reporting.metrics.representations import other_representations
from opencomplaints.reporting.metrics.rules import ProcedureRules, StageRules, rules_for, stage_numbers
from opencomplaints.reporting.metrics.selection import (
    ALL_PROCEDURES,
    UPHELD_OUTCOMES,
    complaint_stage,
    completed_in,
    for_procedure,
    received_in,
)
from opencomplaints.reporting.metrics.timeliness import (
    BAND_LABELS,
    acknowledgement_counts,
    assessed,
    stage3_checks,
    stage_timeliness,
)
from opencomplaints.reporting.metrics.volumes import stage_volumes
from opencomplaints.reporting.periods import Period

__all__ = ["SCHEMA", "core_json", "extended", "well_founded"]

SCHEMA = "opencomplaints.annual-report/1"
ADULTS = "adults_statutory"


def extended(records: Sequence[Record], period: Period) -> int:
    """The stage's records completed in the period, less withdrawn and not accepted, with ``extended`` = yes
    (interchange §4)."""
    return sum(1 for r in assessed(records, period) if r.extended)


def well_founded(records: Sequence[Record], period: Period) -> int:
    """The records completed in the period whose outcome is upheld or partly upheld: the complaints decided to be
    well-founded (R2.7; interchange §4)."""
    return sum(1 for r in completed_in(records, period) if r.outcome in UPHELD_OUTCOMES)


def _stage(
    records: Sequence[Record],
    period: Period,
    procedure: str,
    stage: int,
    calendar: WorkingDayCalendar,
    configured: Mapping[str, ProcedureRules] | None,
) -> dict[str, Any]:
    volumes = stage_volumes(records, period, procedure, stage)
    rows = complaint_stage(records, procedure, stage)
    if stage == 3:
        checks = stage3_checks(records, period, procedure, calendar)
        timeliness: dict[str, int] = {
            "assessed": checks.assessed,
            "panel_on_time": checks.panel_on_time,
            "panel_report_on_time": checks.panel_report_on_time,
            "response_on_time": checks.response_on_time,
        }
        # The bands are keyed for every stage; at stage 3 they measure receipt to the council's response.
        bands = _stage3_bands(records, period, procedure, calendar)
    else:
        t = stage_timeliness(records, period, procedure, stage, calendar, configured)
        timeliness = {
            "assessed": t.assessed,
            "within_timescale": t.within_timescale,
            "within_extended_timescale": t.within_extended_timescale,
            "late": t.late,
        }
        bands = dict(t.bands)
    result: dict[str, Any] = {
        "received": volumes.received,
        "completed": volumes.completed,
        "open_at_end": volumes.open_at_end,
        "outcomes": outcome_counts(completed_in(rows, period)),
        "timeliness": timeliness,
        "response_days_bands": bands,
        "received_by_quarter": volumes.received_by_quarter,
        "completed_by_quarter": volumes.completed_by_quarter,
        **breakdowns(received_in(rows, period)),
    }
    rules = None if procedure == ALL_PROCEDURES else rules_for(procedure, configured)
    if rules is not None and rules.has_acknowledgement:
        stage_rules = rules.stage(stage) or StageRules(number=stage)
        result["acknowledgement"] = acknowledgement_counts(received_in(rows, period), stage_rules, calendar)
        result["extended"] = extended(rows, period)
    if procedure == ADULTS:
        result["well_founded"] = well_founded(rows, period)
    return result


def _stage3_bands(
    records: Sequence[Record], period: Period, procedure: str, calendar: WorkingDayCalendar
) -> dict[str, int]:
    bands = dict.fromkeys(BAND_LABELS, 0)
    for record in assessed(complaint_stage(records, procedure, 3), period):
        if record.responded is not None:
            bands[response_days_band(calendar.working_days_between(record.received, record.responded))] += 1
    return bands


def _percent(value: float | None) -> float:
    # The contract needs a number: with nothing completed at the lower stage the rate is reported as 0.0.
    return 0.0 if value is None else value


def core_json(
    records: Sequence[Record],
    period: Period,
    procedure: str,
    calendar: WorkingDayCalendar,
    configured: Mapping[str, ProcedureRules] | None = None,
) -> dict[str, Any]:
    """The JSON core of interchange §3 for ``records`` over ``period``, exactly as the module docstring says, with
    §4's differences for the corporate and adults' procedures (their stages, the acknowledgement, extension and
    well-founded keys, escalation between their own stages, and only their own Ombudsman records).
    ``configured`` holds a council's own timescales by procedure (the defaults otherwise).

    Response-time bands are keyed at every stage: working days from ``received`` to ``responded`` over the
    records assessed for timeliness (stage 1 as interchange §2 defines; stages 2 and 3 measured the same way;
    corporate stages from the acknowledgement, as their timeliness)."""
    records = for_procedure(records, procedure)
    numbers = stage_numbers(procedure)
    money = compensation(records, period, procedure)
    return {
        "schema": SCHEMA,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "procedure": procedure,
        "stages": {str(s): _stage(records, period, procedure, s, calendar, configured) for s in numbers},
        **(
            {
                "escalation": {
                    f"stage{lower}_to_stage{lower + 1}_percent": _percent(
                        escalation(records, period, procedure, lower).rate
                    )
                    for lower in numbers[:-1]
                }
            }
            if len(numbers) > 1
            else {}
        ),
        "compensation": {
            "total": f"{money.total:.2f}",
            "by_stage": {k: f"{v:.2f}" for k, v in money.by_stage.items()},
            "records": money.records,
        },
        "ombudsman": {
            "decided": len(ombudsman_decided(records, period)),
            "by_decision": ombudsman_by_decision(records, period),
        },
        "other_representations": other_representations(records, period),
    }
