"""How each procedure's timeliness is counted (interchange §2 and §4), read from the deadline engine's procedures
so a council's configured corporate timescales are reported rather than constants written here.

- **children_statutory** (§2): stage 1 from ``received``, 10 working days or up to 20 with an extension (R1.20);
  stage 2 from ``stage2_start`` (else ``received``), 25 or up to 65 (R1.26); stage 3 has its own three checks.
  No acknowledgement timescale.
- **corporate** (§4; R3.5, R3.6, R3.9): both stages from ``acknowledged`` (``received`` where it is blank); by
  default stage 1 within 10 working days, or up to 20 with an extension, stage 2 within 20, or up to 40;
  acknowledged within 5 working days of ``received``. A council's own configured procedure replaces these.
  Response time bands are counted from the same start.
- **adults_statutory** (§4; R2.5, R2.6, R5.14): one stage, on time if ``responded`` is on or before
  ``extended_due`` where it is filled in, else on or before the last day of the six months beginning on
  ``received``; never "within an extended timescale"; acknowledged within 3 working days of ``received``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from opencomplaints.deadlines import (
    PROCEDURES,
    Procedure,
    TimescaleKind,
    UnknownProcedureError,
    period_beginning_end,
)
from opencomplaints.records import Record
from opencomplaints.reporting.metrics.selection import ALL_PROCEDURES, STAGES

__all__ = [
    "ProcedureRules",
    "StageRules",
    "Start",
    "as_json",
    "default_rules",
    "describe",
    "describe_stage",
    "procedure_rules",
    "rules_for",
    "six_months_last_day",
    "stage_numbers",
]


class Start(StrEnum):
    """The day 0 a stage's response is timed from."""

    RECEIVED = "received"
    STAGE2_START = "stage2_start"
    ACKNOWLEDGED = "acknowledged"


@dataclass(frozen=True)
class StageRules:
    """One stage's timescales as the report counts them."""

    number: int
    start: Start = Start.RECEIVED
    #: Working days to respond, and the most an agreed extension allows (``None``: not extendable).
    response_days: int | None = None
    extended_days: int | None = None
    #: A response period in calendar months beginning on ``received`` (adults, R2.6) instead of working days.
    response_months: int | None = None
    #: Working days after ``received`` to acknowledge within (corporate and adults); ``None``: no timescale.
    acknowledge_days: int | None = None

    def start_of(self, record: Record) -> date:
        """Day 0 of ``record``'s response time."""
        if self.start is Start.ACKNOWLEDGED:
            return record.acknowledged or record.received
        if self.start is Start.STAGE2_START:
            return record.stage2_start or record.received
        return record.received

    def bands_start_of(self, record: Record) -> date:
        """Day 0 of the response time bands: the response's own start where it runs from the acknowledgement
        (corporate, §4), else ``received`` (§2)."""
        return self.start_of(record) if self.start is Start.ACKNOWLEDGED else record.received

    def due_by_months(self, record: Record) -> date | None:
        """The last day of a calendar-month response period: ``extended_due`` where recorded, else the last day
        of the period beginning on ``received``; ``None`` for a working-day timescale."""
        if self.response_months is None:
            return None
        return record.extended_due or six_months_last_day(record.received, self.response_months)


@dataclass(frozen=True)
class ProcedureRules:
    """A procedure's stages as the report counts them, and the name of the procedure they came from."""

    key: str
    name: str
    stages: tuple[StageRules, ...]
    #: Whether these are a council's own configured timescales rather than the defaults.
    configured: bool = False

    def stage(self, number: int) -> StageRules | None:
        return next((s for s in self.stages if s.number == number), None)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(s.number for s in self.stages)

    @property
    def has_acknowledgement(self) -> bool:
        return any(s.acknowledge_days is not None for s in self.stages)


def six_months_last_day(received: date, months: int = 6) -> date:
    """The last day of the ``months`` months beginning on ``received`` (R2.6, R5.14): the day before the same
    day of the month ``months`` on, or that month's last day where it has no such day (15 January → 14 July;
    31 March → 30 September; 31 August → 28 February)."""
    return period_beginning_end(received, months)


def _start(anchor: str, number: int) -> Start | None:
    """The start a response anchor names; ``None`` for one a record does not carry (stage 3's panel report,
    whose checks are counted apart)."""
    if anchor in {"acknowledged", f"stage{number}_acknowledged"}:
        return Start.ACKNOWLEDGED
    if anchor == "stage2_start":
        return Start.STAGE2_START
    if anchor in {"received", f"stage{number}_request_received"}:
        return Start.RECEIVED
    return None


def procedure_rules(procedure: Procedure, *, key: str | None = None, configured: bool = False) -> ProcedureRules:
    """The report's rules for an engine ``procedure`` (its response and acknowledgement timescales), filed under
    ``key`` (the interchange procedure code; the procedure's own key by default)."""
    stages: list[StageRules] = []
    for stage in procedure.stages:
        response = stage.response
        acknowledge = next(
            (
                t.working_days
                for t in stage.timescales
                if t.key.endswith("acknowledgement") and t.kind is TimescaleKind.DEADLINE
            ),
            None,
        )
        start = None if response is None else _start(response.anchor, stage.number)
        if response is None or start is None:
            stages.append(StageRules(number=stage.number, acknowledge_days=acknowledge))
            continue
        stages.append(
            StageRules(
                number=stage.number,
                start=start,
                response_days=response.working_days,
                extended_days=response.extended_working_days,
                response_months=response.calendar_months,
                acknowledge_days=acknowledge,
            )
        )
    return ProcedureRules(key=key or procedure.key, name=procedure.name, stages=tuple(stages), configured=configured)


def default_rules() -> dict[str, ProcedureRules]:
    """Every procedure's rules with the default timescales (interchange §2, §4)."""
    return {key: procedure_rules(procedure, key=key) for key, procedure in PROCEDURES.items()}


_DEFAULTS = default_rules()


def rules_for(procedure: str, configured: Mapping[str, ProcedureRules] | None = None) -> ProcedureRules:
    """The rules of ``procedure``: a council's configured ones where given, else the defaults."""
    if configured and procedure in configured:
        return configured[procedure]
    try:
        return _DEFAULTS[procedure]
    except KeyError:
        raise UnknownProcedureError(
            f"Unknown procedure {procedure!r}; valid procedures: {', '.join(_DEFAULTS)}."
        ) from None


def stage_numbers(procedure: str) -> tuple[int, ...]:
    """The stages ``procedure`` has (``"all"``: every stage of any procedure): 1 to 3 for the children's, 1 and 2
    for corporate, 1 for adults' (interchange §3, §4)."""
    if procedure == ALL_PROCEDURES:
        return STAGES
    return rules_for(procedure).numbers


def _days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


_FROM = {
    Start.RECEIVED: "of receipt",
    Start.STAGE2_START: "of the start date (the day the statement of complaint was agreed)",
    Start.ACKNOWLEDGED: "of the acknowledgement (of receipt where no acknowledgement is recorded)",
}


def describe_stage(stage: StageRules, *, only: bool = False) -> str:
    """One published sentence saying how a stage's timeliness is counted (no rule codes: it is published);
    ``only``: the procedure's only stage, called "a complaint"."""
    subject = "A complaint" if only else f"Stage {stage.number}"
    if stage.response_months is not None:
        timed = (
            f"{subject} is answered on time when answered by the response date agreed with the complainant, or "
            f"otherwise within the {stage.response_months} months beginning on the day it was received"
        )
    elif stage.response_days is not None:
        timed = f"{subject} is answered on time within {_days(stage.response_days)} {_FROM[stage.start]}"
        if stage.extended_days is not None:
            timed += f", or within an agreed extension of up to {_days(stage.extended_days)}"
    else:
        timed = f"{subject} has no response timescale"
    if stage.acknowledge_days is not None:
        timed += f"; it is acknowledged on time within {_days(stage.acknowledge_days)} of receipt"
    return timed + "."


def describe(rules: ProcedureRules) -> tuple[str, ...]:
    """How ``rules`` count timeliness, a sentence a stage, and whose timescales they are."""
    source = (
        "These are the council's own configured timescales."
        if rules.configured
        else "These are the standard timescales of the procedure."
    )
    only = len(rules.stages) == 1
    timed = (describe_stage(s, only=only) for s in rules.stages if s.response_days or s.response_months)
    return (*timed, source)


def as_json(rules: ProcedureRules) -> dict[str, object]:
    """The timescales ``rules`` use, for the report's JSON (which timescales a report used, interchange §4)."""
    return {
        "source": "configured" if rules.configured else "default",
        "name": rules.name,
        "stages": {
            str(s.number): {
                "start": str(s.start),
                "response_working_days": s.response_days,
                "extended_working_days": s.extended_days,
                "response_months": s.response_months,
                "acknowledge_working_days": s.acknowledge_days,
            }
            for s in rules.stages
        },
    }
