"""A complaint while the generator decides it: the scripts of its stages as working-day offsets, then the stage
plans worked out from them (``stages``), frozen into a ``plans.ComplaintPlan`` at the end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from opencomplaints.cases import constants as c
from opencomplaints.cases.services.inputs import LateAcceptance
from opencomplaints.demo.plans import (
    ChildPlan,
    ComplainantPlan,
    DeclinePlan,
    PointPlan,
    RemedyPlan,
    StagePlan,
    SufficientInterestPlan,
)


@dataclass
class Stage1Script:
    """Stage 1 as working-day offsets from day 0; ``response_wd`` None keeps the stage open."""

    response_wd: int | None
    outcome: str
    extension: tuple[int, int] | None = None  # (notified on day, extended to day)
    hold: tuple[str, int, int | None] | None = None  # (reason, starts on day, lasts days or None = open)


@dataclass
class Stage2Script:
    request_wd: int  # after the stage 1 response
    appoint_wd: int  # after the request
    statement_wd: int | None  # after appointment; None: not agreed yet
    response_wd: int | None  # adjudication, after the start date
    extension: tuple[int, int] | None = None  # (notified on day, extended to day), from the start date
    report_before_wd: int = 8
    withdrawn_wd: int | None = None  # after the start date
    late_request: bool = False


@dataclass
class Stage3Script:
    request_wd: int  # after the stage 2 response
    panel_wd: int | None  # after the request
    report_wd: int | None  # after the panel
    response_wd: int | None  # after the panel report


@dataclass
class Draft:
    """A complaint while it is being planned; frozen into a ``ComplaintPlan`` at the end."""

    received_date: date
    procedure: str
    received_via: str
    summary: str
    complainants: list[ComplainantPlan]
    children: list[ChildPlan]
    teams: list[str]
    issues: list[str]
    owner: str
    s1: Stage1Script
    grounds_arose_date: date | None = None
    late_acceptance: LateAcceptance | None = None
    start_stage: int = 1
    stage1_skipped_reason: str = ""
    advocacy_offered: bool | None = None
    advocacy_provided: bool | None = None
    advocate_name: str = ""
    advocate_organisation: str = ""
    sufficient_interest: SufficientInterestPlan | None = None
    decline: DeclinePlan | None = None
    acknowledge_wd: int | None = None
    mediation: str = c.Mediation.NONE
    withdrawal_note: str = ""
    s2: Stage2Script | None = None
    s3: Stage3Script | None = None
    # Worked out from the scripts.
    stages: list[StagePlan] = field(default_factory=list)
    points: list[PointPlan] = field(default_factory=list)
    remedies: list[RemedyPlan] = field(default_factory=list)
    key: str = ""
    reference: str = ""
    accepted: bool = True
    planted: bool = False

    @property
    def statutory(self) -> bool:
        return self.procedure == c.Procedure.CHILDREN_STATUTORY

    def stage(self, number: int) -> StagePlan | None:
        return next((stage for stage in self.stages if stage.number == number), None)
