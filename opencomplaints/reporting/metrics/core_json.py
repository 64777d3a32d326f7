"""The annual report's JSON core (interchange §3), exactly: schema ``opencomplaints.annual-report/1``.

Counts are integers; money is a string with two decimals; percentages are numbers rounded half up to one decimal
place. ``stages`` covers the procedure asked for. Dictionaries keyed by a category list every category that
occurs and no others; fixed vocabularies (outcomes, timeliness, bands, quarters, compensation stages, other
representations) always list every key. Counts are exact: small-number suppression applies to the published
documents, never to this output, which is for the council's own use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opencomplaints.deadlines import WorkingDayCalendar, response_days_band
from opencomplaints.records import Record
from opencomplaints.reporting.metrics.breakdowns import breakdowns
from opencomplaints.reporting.metrics.compensation import STAGE_KEYS, compensation
from opencomplaints.reporting.metrics.escalation import escalation
from opencomplaints.reporting.metrics.ombudsman import ombudsman_by_decision, ombudsman_decided
from opencomplaints.reporting.metrics.outcomes import outcome_counts
from opencomplaints.reporting.metrics.representations import other_representations
from opencomplaints.reporting.metrics.selection import STAGES, complaint_stage, completed_in, received_in
from opencomplaints.reporting.metrics.timeliness import BAND_LABELS, assessed, stage3_checks, stage_timeliness
from opencomplaints.reporting.metrics.volumes import stage_volumes
from opencomplaints.reporting.periods import Period

__all__ = ["SCHEMA", "core_json"]

SCHEMA = "opencomplaints.annual-report/1"


def _stage(
    records: Sequence[Record], period: Period, procedure: str, stage: int, calendar: WorkingDayCalendar
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
        t = stage_timeliness(records, period, procedure, stage, calendar)
        timeliness = {
            "assessed": t.assessed,
            "within_timescale": t.within_timescale,
            "within_extended_timescale": t.within_extended_timescale,
            "late": t.late,
        }
        bands = dict(t.bands)
    return {
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
    records: Sequence[Record], period: Period, procedure: str, calendar: WorkingDayCalendar
) -> dict[str, Any]:
    """The JSON core of interchange §3 for ``records`` over ``period``, exactly as the module docstring says.

    Response-time bands are keyed at every stage: working days from ``received`` to ``responded`` over the
    records assessed for timeliness (stage 1 as interchange §2 defines; stages 2 and 3 measured the same way)."""
    money = compensation(records, period, procedure)
    return {
        "schema": SCHEMA,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "procedure": procedure,
        "stages": {str(s): _stage(records, period, procedure, s, calendar) for s in STAGES},
        "escalation": {
            "stage1_to_stage2_percent": _percent(escalation(records, period, procedure, 1).rate),
            "stage2_to_stage3_percent": _percent(escalation(records, period, procedure, 2).rate),
        },
        "compensation": {
            "total": f"{money.total:.2f}",
            "by_stage": {k: f"{money.by_stage[k]:.2f}" for k in STAGE_KEYS},
            "records": money.records,
        },
        "ombudsman": {
            "decided": len(ombudsman_decided(records, period)),
            "by_decision": ombudsman_by_decision(records, period),
        },
        "other_representations": other_representations(records, period),
    }
