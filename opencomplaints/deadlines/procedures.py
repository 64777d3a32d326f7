"""Complaint procedures and their timescales, held as data.

Every :class:`Timescale` names the event it runs from (its *anchor*, R5.13) and the domain rule it implements,
so a deadline shown to a user can always be traced to its source. Councils' corporate procedures vary (R3.9),
so they are built by :func:`corporate_procedure` from parameters rather than written as constants.

Anchors are the names of real case events; the engine looks their dates up in a mapping. Anchors whose name is
``"received"`` or ends in ``"_received"`` are receipts by the council, to which the council's receipt rule
applies (R5.11).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "ADULTS_MAX_ACKNOWLEDGE_DAYS",
    "ADULTS_MAX_RESPONSE_MONTHS",
    "ADULTS_STATUTORY",
    "CHILDREN_STATUTORY",
    "LGSCO_COMPLAINT_HANDLING_CODE",
    "PROCEDURES",
    "Anchor",
    "CorporateStageSpec",
    "Procedure",
    "ResponseFrom",
    "Stage",
    "TimeLimit",
    "Timescale",
    "TimescaleKind",
    "UnknownProcedureError",
    "UnknownStageError",
    "UnknownTimescaleError",
    "adults_procedure",
    "corporate_procedure",
    "get_procedure",
    "is_receipt_anchor",
]


class UnknownProcedureError(LookupError):
    """No procedure is registered under the key asked for."""


class UnknownStageError(LookupError):
    """The procedure has no stage with the number asked for."""


class UnknownTimescaleError(LookupError):
    """The stage has no timescale with the key asked for."""


class Anchor(StrEnum):
    """Named case events that timescales run from. Values are plain strings, so any ``str`` key works too."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    STAGE1_RESPONDED = "stage1_responded"
    STAGE2_REQUEST_RECEIVED = "stage2_request_received"
    STAGE2_START = "stage2_start"
    STAGE2_ACKNOWLEDGED = "stage2_acknowledged"
    INVESTIGATION_REPORT_RECEIVED = "investigation_report_received"
    STAGE2_RESPONDED = "stage2_responded"
    STAGE3_REQUEST_RECEIVED = "stage3_request_received"
    PANEL_HELD = "panel_held"
    PANEL_REPORT_RECEIVED = "panel_report_received"


def is_receipt_anchor(anchor: str) -> bool:
    """Whether ``anchor`` is a receipt by the council, to which the receipt rule of R5.11 applies."""
    return anchor == Anchor.RECEIVED or anchor.endswith("_received")


class TimescaleKind(StrEnum):
    """Whose clock a timescale is."""

    #: Something the council must do by the due date.
    DEADLINE = "deadline"
    #: A period within which the complainant is expected to ask for the next stage. A late request is flagged
    #: for a discretionary decision and never refused automatically (R1.22).
    REQUEST_WINDOW = "request_window"


@dataclass(frozen=True, kw_only=True)
class Timescale:
    """One timescale, in ``working_days`` (optionally extendable) or in ``calendar_months``.

    A calendar-month timescale is a period *beginning on* the anchor day (R2.6, R5.14). ``fallback_anchor`` is
    used when the anchor event has not been recorded (e.g. the stage 2 start date defaults to the request
    date, §8 ``csc.stage2_start_event``). ``capped_by`` names another timescale of the same stage whose latest
    permissible date this one may never pass (an internal target inside a statutory limit, R1.28).
    """

    key: str
    label: str
    anchor: str
    rule: str
    statutory: bool
    working_days: int | None = None
    extended_working_days: int | None = None
    calendar_months: int | None = None
    kind: TimescaleKind = TimescaleKind.DEADLINE
    fallback_anchor: str | None = None
    capped_by: str | None = None

    def __post_init__(self) -> None:
        if not self.key or not self.label.strip() or not self.anchor:
            raise ValueError("A timescale needs a key, a label and an anchor.")
        if not self.rule.strip():
            raise ValueError(f"Timescale {self.key!r} must cite the rule it implements.")
        if (self.working_days is None) == (self.calendar_months is None):
            raise ValueError(f"Timescale {self.key!r} needs exactly one of working_days and calendar_months.")
        if self.working_days is not None and self.working_days < 1:
            raise ValueError(f"Timescale {self.key!r}: working_days must be at least 1, not {self.working_days}.")
        if self.calendar_months is not None and self.calendar_months < 1:
            raise ValueError(f"Timescale {self.key!r}: calendar_months must be at least 1, not {self.calendar_months}.")
        if self.extended_working_days is not None and (
            self.working_days is None or self.extended_working_days <= self.working_days
        ):
            raise ValueError(
                f"Timescale {self.key!r}: extended_working_days must be more than working_days (and only "
                "applies to working-day timescales)."
            )
        object.__setattr__(self, "kind", TimescaleKind(self.kind))
        # Anchor members are str subclasses; plain strings keep reprs, comparisons and serialisation simple.
        object.__setattr__(self, "anchor", str(self.anchor))
        if self.fallback_anchor is not None:
            object.__setattr__(self, "fallback_anchor", str(self.fallback_anchor))

    @property
    def extendable(self) -> bool:
        """Whether an extension beyond the standard timescale is provided for."""
        return self.extended_working_days is not None


@dataclass(frozen=True)
class TimeLimit:
    """How long after the grounds arose a complaint may be made; the council has discretion beyond it."""

    months: int
    rule: str
    discretion: bool = True


@dataclass(frozen=True)
class Stage:
    """One stage of a procedure and its timescales; ``response_key`` names its main response timescale."""

    number: int
    name: str
    timescales: tuple[Timescale, ...]
    response_key: str | None = None

    def __post_init__(self) -> None:
        keys = [t.key for t in self.timescales]
        if len(set(keys)) != len(keys):
            raise ValueError(f"Stage {self.number} has duplicate timescale keys: {keys}.")
        for timescale in self.timescales:
            if timescale.capped_by is not None and timescale.capped_by not in keys:
                raise ValueError(
                    f"Timescale {timescale.key!r} is capped by {timescale.capped_by!r}, which is not in "
                    f"stage {self.number}."
                )
        if self.response_key is not None and self.response_key not in keys:
            raise ValueError(f"Stage {self.number}: response_key {self.response_key!r} is not one of {keys}.")

    def timescale(self, key: str) -> Timescale:
        """The timescale with ``key``; raises :class:`UnknownTimescaleError` listing the valid keys."""
        for timescale in self.timescales:
            if timescale.key == key:
                return timescale
        valid = ", ".join(t.key for t in self.timescales)
        raise UnknownTimescaleError(f"Stage {self.number} has no timescale {key!r}; valid keys: {valid}.")

    @property
    def response(self) -> Timescale | None:
        """The stage's main response timescale, if it has one."""
        return None if self.response_key is None else self.timescale(self.response_key)


@dataclass(frozen=True)
class Procedure:
    """A complaints procedure: its time limit and its stages in order."""

    key: str
    name: str
    time_limit: TimeLimit
    stages: tuple[Stage, ...]
    statutory: bool
    rule: str

    def __post_init__(self) -> None:
        numbers = [s.number for s in self.stages]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"Procedure {self.key!r}: stages must be numbered 1, 2, 3... in order, not {numbers}.")

    def stage(self, number: int | str) -> Stage:
        """Stage ``number`` (an int, or its string form as in the interchange ``stage`` column).

        Raises :class:`UnknownStageError` listing the valid stages.
        """
        valid = ", ".join(str(s.number) for s in self.stages)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            raise UnknownStageError(f"{self.name} has no stage {number!r}; valid stages: {valid}.") from None
        for stage in self.stages:
            if stage.number == wanted:
                return stage
        raise UnknownStageError(f"{self.name} has no stage {number!r}; valid stages: {valid}.")


# -- Children Act 1989 statutory procedure (§1, table §1J) ---------------------------------------------------

CHILDREN_STATUTORY = Procedure(
    key="children_statutory",
    name="Children's social care statutory complaints (Children Act 1989, 2006 Regulations)",
    time_limit=TimeLimit(months=12, rule="R1.12", discretion=True),
    statutory=True,
    rule="§1J",
    stages=(
        Stage(
            number=1,
            name="Stage 1: local resolution",
            response_key="stage1_response",
            timescales=(
                Timescale(
                    key="stage1_response",
                    label="Stage 1 response",
                    anchor=Anchor.RECEIVED,
                    working_days=10,
                    extended_working_days=20,
                    rule="R1.20",
                    statutory=True,
                ),
            ),
        ),
        Stage(
            number=2,
            name="Stage 2: investigation",
            response_key="stage2_response",
            timescales=(
                Timescale(
                    key="stage2_request_window",
                    label="Window to ask for stage 2",
                    anchor=Anchor.STAGE1_RESPONDED,
                    working_days=20,
                    rule="R1.22",
                    statutory=False,
                    kind=TimescaleKind.REQUEST_WINDOW,
                ),
                Timescale(
                    key="stage2_response",
                    label="Stage 2 response (including adjudication)",
                    anchor=Anchor.STAGE2_START,
                    fallback_anchor=Anchor.STAGE2_REQUEST_RECEIVED,
                    working_days=25,
                    extended_working_days=65,
                    rule="R1.26",
                    statutory=True,
                ),
                Timescale(
                    key="stage2_adjudication",
                    label="Adjudication after the investigator's report (internal target)",
                    anchor=Anchor.INVESTIGATION_REPORT_RECEIVED,
                    working_days=20,
                    rule="R1.28",
                    statutory=False,
                    capped_by="stage2_response",
                ),
            ),
        ),
        Stage(
            number=3,
            name="Stage 3: review panel",
            response_key="stage3_response",
            timescales=(
                Timescale(
                    key="stage3_request_window",
                    label="Window to ask for stage 3",
                    anchor=Anchor.STAGE2_RESPONDED,
                    working_days=20,
                    rule="R1.29",
                    statutory=True,
                    kind=TimescaleKind.REQUEST_WINDOW,
                ),
                Timescale(
                    key="stage3_panel",
                    label="Review panel meets",
                    anchor=Anchor.STAGE3_REQUEST_RECEIVED,
                    working_days=30,
                    rule="R1.31",
                    statutory=True,
                ),
                Timescale(
                    key="stage3_panel_report",
                    label="Panel report sent",
                    anchor=Anchor.PANEL_HELD,
                    working_days=5,
                    rule="R1.32",
                    statutory=True,
                ),
                Timescale(
                    key="stage3_response",
                    label="Council response to the panel's recommendations",
                    anchor=Anchor.PANEL_REPORT_RECEIVED,
                    working_days=15,
                    rule="R1.33",
                    statutory=True,
                ),
            ),
        ),
    ),
)


# -- Corporate procedures (§3) -------------------------------------------------------------------------------


class ResponseFrom(StrEnum):
    """Which event a corporate stage's response timescale runs from (R3.9: councils differ)."""

    ACKNOWLEDGEMENT = "acknowledgement"
    RECEIPT = "receipt"


@dataclass(frozen=True, kw_only=True)
class CorporateStageSpec:
    """Parameters of one stage of a council's corporate procedure (R3.9, §8 ``corporate.*``).

    ``extension_days`` is the further number of working days an extension may add (the Code's "+10"), not the
    total.
    """

    response_days: int
    extension_days: int | None = None
    acknowledge_days: int | None = None
    response_from: ResponseFrom = ResponseFrom.ACKNOWLEDGEMENT
    name: str = ""
    rule: str = "R3.9"

    def __post_init__(self) -> None:
        if self.response_days < 1:
            raise ValueError(f"response_days must be at least 1, not {self.response_days}.")
        if self.extension_days is not None and self.extension_days < 1:
            raise ValueError(f"extension_days must be at least 1 when given, not {self.extension_days}.")
        if self.acknowledge_days is not None and self.acknowledge_days < 1:
            raise ValueError(f"acknowledge_days must be at least 1 when given, not {self.acknowledge_days}.")
        object.__setattr__(self, "response_from", ResponseFrom(self.response_from))


def _corporate_anchors(number: int) -> tuple[str, str]:
    if number == 1:
        return Anchor.RECEIVED, Anchor.ACKNOWLEDGED
    return f"stage{number}_request_received", f"stage{number}_acknowledged"


def corporate_procedure(
    *,
    key: str,
    name: str,
    stages: Sequence[CorporateStageSpec],
    escalation_window_days: int | None,
    time_limit_months: int = 12,
    rule: str = "R3.9",
) -> Procedure:
    """Build a council's corporate procedure from its parameters (R3.9).

    Stage ``n`` runs from its own receipt (``received`` for stage 1, ``stage<n>_request_received`` after) and
    its acknowledgement (``acknowledged`` / ``stage<n>_acknowledged``). The escalation window, if any, runs
    from the previous stage's response (``stage<n-1>_responded``) and is a flag, never a bar (R1.22 applied by
    analogy). The time limit is 12 months by default, with discretion (R3.4).
    """
    if not stages:
        raise ValueError("A corporate procedure needs at least one stage.")
    if escalation_window_days is not None and escalation_window_days < 1:
        raise ValueError(f"escalation_window_days must be at least 1 when given, not {escalation_window_days}.")
    built: list[Stage] = []
    for number, spec in enumerate(stages, start=1):
        received, acknowledged = _corporate_anchors(number)
        timescales: list[Timescale] = []
        if number > 1 and escalation_window_days is not None:
            timescales.append(
                Timescale(
                    key=f"stage{number}_request_window",
                    label=f"Window to ask for stage {number}",
                    anchor=f"stage{number - 1}_responded",
                    working_days=escalation_window_days,
                    rule=rule,
                    statutory=False,
                    kind=TimescaleKind.REQUEST_WINDOW,
                )
            )
        if spec.acknowledge_days is not None:
            timescales.append(
                Timescale(
                    key=f"stage{number}_acknowledgement",
                    label=f"Stage {number} acknowledgement",
                    anchor=received,
                    working_days=spec.acknowledge_days,
                    rule=spec.rule,
                    statutory=False,
                )
            )
        response_anchor = acknowledged if spec.response_from is ResponseFrom.ACKNOWLEDGEMENT else received
        timescales.append(
            Timescale(
                key=f"stage{number}_response",
                label=f"Stage {number} response",
                anchor=response_anchor,
                working_days=spec.response_days,
                extended_working_days=(
                    None if spec.extension_days is None else spec.response_days + spec.extension_days
                ),
                rule=spec.rule,
                statutory=False,
            )
        )
        built.append(
            Stage(
                number=number,
                name=spec.name or f"Stage {number}",
                timescales=tuple(timescales),
                response_key=f"stage{number}_response",
            )
        )
    return Procedure(
        key=key,
        name=name,
        time_limit=TimeLimit(months=time_limit_months, rule="R3.4", discretion=True),
        stages=tuple(built),
        statutory=False,
        rule=rule,
    )


#: The LGSCO Complaint Handling Code's two stages (R3.5, R3.6; §8 defaults ``corporate.*``).
LGSCO_COMPLAINT_HANDLING_CODE = corporate_procedure(
    key="corporate",
    name="Corporate complaints (LGSCO Complaint Handling Code)",
    stages=(
        CorporateStageSpec(name="Stage 1", acknowledge_days=5, response_days=10, extension_days=10, rule="R3.5"),
        CorporateStageSpec(name="Stage 2", acknowledge_days=5, response_days=20, extension_days=20, rule="R3.6"),
    ),
    escalation_window_days=20,
    rule="R3.9",
)


# -- Adult social care statutory procedure (§2) --------------------------------------------------------------

#: The Regulations' limits on what a council may set for the adults' procedure (R2.5, R2.6).
ADULTS_MAX_ACKNOWLEDGE_DAYS = 3
ADULTS_MAX_RESPONSE_MONTHS = 6


def adults_procedure(
    *, acknowledge_days: int = ADULTS_MAX_ACKNOWLEDGE_DAYS, response_months: int = ADULTS_MAX_RESPONSE_MONTHS
) -> Procedure:
    """The adults' statutory procedure with a council's own acknowledgement and default response period, each
    within the Regulations' limits: acknowledge within 3 working days (R2.5); respond within 6 months beginning
    on the day of receipt unless another period is agreed (R2.6). A council may aim shorter, never longer."""
    if not 1 <= acknowledge_days <= ADULTS_MAX_ACKNOWLEDGE_DAYS:
        raise ValueError(
            f"acknowledge_days must be from 1 to {ADULTS_MAX_ACKNOWLEDGE_DAYS} (R2.5), not {acknowledge_days}."
        )
    if not 1 <= response_months <= ADULTS_MAX_RESPONSE_MONTHS:
        raise ValueError(
            f"response_months must be from 1 to {ADULTS_MAX_RESPONSE_MONTHS} (R2.6), not {response_months}."
        )
    standard = (acknowledge_days, response_months) == (ADULTS_MAX_ACKNOWLEDGE_DAYS, ADULTS_MAX_RESPONSE_MONTHS)
    months = "1 month" if response_months == 1 else f"{response_months} months"
    return Procedure(
        key="adults_statutory" if standard else f"adults_statutory-{acknowledge_days}-{response_months}",
        name="Adult social care statutory complaints (2009 Regulations)",
        time_limit=TimeLimit(months=12, rule="R2.4", discretion=True),
        statutory=True,
        rule="§2",
        stages=(
            Stage(
                number=1,
                name="Single stage",
                response_key="adults_response_period",
                timescales=(
                    Timescale(
                        key="adults_acknowledgement",
                        label="Acknowledgement and offer to discuss the response period",
                        anchor=Anchor.RECEIVED,
                        working_days=acknowledge_days,
                        rule="R2.5",
                        statutory=True,
                    ),
                    Timescale(
                        # The default benchmark; the period actually agreed with the complainant is passed to the
                        # engine as an agreed date (R2.5, R2.6).
                        key="adults_response_period",
                        label=f"Response period ({months} unless another period is agreed)",
                        anchor=Anchor.RECEIVED,
                        calendar_months=response_months,
                        rule="R2.6",
                        statutory=True,
                    ),
                ),
            ),
        ),
    )


ADULTS_STATUTORY = adults_procedure()


PROCEDURES: Mapping[str, Procedure] = MappingProxyType(
    {
        CHILDREN_STATUTORY.key: CHILDREN_STATUTORY,
        LGSCO_COMPLAINT_HANDLING_CODE.key: LGSCO_COMPLAINT_HANDLING_CODE,
        ADULTS_STATUTORY.key: ADULTS_STATUTORY,
    }
)


def get_procedure(key: str) -> Procedure:
    """The procedure registered as ``key`` (interchange ``procedure`` column).

    Raises :class:`UnknownProcedureError` listing the valid keys.
    """
    try:
        return PROCEDURES[key]
    except KeyError:
        valid = ", ".join(PROCEDURES)
        raise UnknownProcedureError(f"Unknown procedure {key!r}; valid procedures: {valid}.") from None
