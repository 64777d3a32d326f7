"""A seeded plan of synthetic demonstration data: councils, structures, people and every case, as frozen data.

``plan_demo()`` decides everything (dates, stages, outcomes, extensions, holds, people, teams, issues, remedies,
learning, the Ombudsman's decisions) and ``builder.apply_plan()`` writes it through the domain services. Keeping
the two apart lets the shape of the data be tested without a database, and keeps every write going through the
services, so the data obeys the procedure rules and has an audit trail.

Determinism: one ``random.Random`` and one ``Faker("en_GB")`` seeded from ``seed`` are consumed in a fixed order,
so the same seed gives the same plan. Nothing reads the clock: ``end_date`` is passed in, and every event after it
is left out, so cases still running on that day are open in the plan and in the database.

Working days come from the statutory engine (``opencomplaints.deadlines``), so a response planned "within 10
working days" really is on time when the report counts it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from faker import Faker

from opencomplaints.cases import constants as c
from opencomplaints.cases.rules import roll_up_findings
from opencomplaints.common.dates import LONDON
from opencomplaints.deadlines import (
    CHILDREN_STATUTORY,
    WorkingDayCalendar,
    add_calendar_months,
    england_and_wales_calendar,
    stage_due_dates,
)
from opencomplaints.demo import texts as t

DEMO_PASSWORD = "demo-password-123"  # noqa: S105 - the published password of the synthetic demo users
DEMO_SLUGS: tuple[str, ...] = tuple(council.slug for council in t.COUNCILS)
MAX_COUNCILS = len(t.COUNCILS)

# -- the plan -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class UserPlan:
    username: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    is_staff: bool = False
    is_superuser: bool = False


@dataclass(frozen=True, kw_only=True)
class ServiceAreaPlan:
    key: str
    name: str
    active_from: date | None = None


@dataclass(frozen=True, kw_only=True)
class TeamPlan:
    key: str
    name: str
    service_area: str
    active_from: date | None = None
    active_until: date | None = None
    # Set for a team created by a restructure: the builder makes it with ``team_restructure``.
    predecessor: str | None = None
    corporate: bool = False

    def active_on(self, day: date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or day <= self.active_until
        )


@dataclass(frozen=True, kw_only=True)
class RestructurePlan:
    team: str
    ended_on: date
    successor: str


@dataclass(frozen=True, kw_only=True)
class PersonPlan:
    first_name: str
    last_name: str
    date_of_birth: date | None
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    sex: str = c.Sex.UNKNOWN
    ethnicity_scheme: str = ""
    ethnicity_code: str = ""
    disability: str = c.YesNoUnknown.UNKNOWN
    sexual_orientation: str = c.SexualOrientation.UNKNOWN
    religion: str = ""


@dataclass(frozen=True, kw_only=True)
class ComplainantPlan:
    person: PersonPlan
    complainant_type: str
    eligibility_basis: str = c.EligibilityBasis.NOT_APPLICABLE
    on_behalf_of_child: bool = False
    child_consent: str = c.ChildConsent.NOT_APPLICABLE
    # A young person complaining about their own care is both the complainant and the child.
    is_the_child: bool = False


@dataclass(frozen=True, kw_only=True)
class ChildPlan:
    person: PersonPlan
    age_at_receipt: int | None
    support_category: str


@dataclass(frozen=True, kw_only=True)
class LateAcceptancePlan:
    accepted: bool
    not_reasonable_to_expect_reason: str
    still_possible_reason: str


@dataclass(frozen=True, kw_only=True)
class SufficientInterestPlan:
    has_interest: bool
    decided_date: date
    child_consulted: bool
    notified_date: date


@dataclass(frozen=True, kw_only=True)
class DeclinePlan:
    reason: str
    redirected_to: str
    note: str
    decided_date: date


@dataclass(frozen=True, kw_only=True)
class HoldPlan:
    start_date: date
    end_date: date | None  # None: still on hold at the end date
    reason: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class ExtensionPlan:
    extended_due_date: date
    reason: str
    notified_date: date


@dataclass(frozen=True, kw_only=True)
class PointPlan:
    description: str
    issue: str


@dataclass(frozen=True, kw_only=True)
class RecommendationPlan:
    text: str
    accepted: bool | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class RemedyPlan:
    remedy_type: str
    stage: int | None
    description: str
    amount: Decimal | None = None
    agreed_date: date | None = None
    paid_date: date | None = None


@dataclass(frozen=True, kw_only=True)
class StagePlan:
    number: int
    received_date: date  # day 0: the complaint (stage 1) or the request for the stage
    late_request_accepted: bool | None = None
    late_request_reason: str = ""
    # Corporate procedures time the response from the acknowledgement (R3.5, R3.6).
    acknowledged_date: date | None = None
    holds: tuple[HoldPlan, ...] = ()
    extension: ExtensionPlan | None = None
    # Stage 2 (R1.24-R1.28).
    appointed_date: date | None = None
    investigating_officer: str = ""
    independent_person: str = ""
    statement_agreed_date: date | None = None
    report_date: date | None = None
    adjudicator: str = ""
    # Stage 3 (R1.30-R1.33).
    panel_chair: str = ""
    panel_members: tuple[str, ...] = ()
    # The panel's meeting, arranged two working days after the request (issue 15): when and where.
    panel_arranged_date: date | None = None
    panel_meeting_at: datetime | None = None
    panel_meeting_place: str = ""
    panel_date: date | None = None
    panel_report_date: date | None = None
    recommendations: tuple[RecommendationPlan, ...] = ()
    # The end of the stage: a response, a withdrawal or a decision not to accept it.
    response_date: date | None = None
    outcome: str = ""
    findings: tuple[str, ...] = ()  # one per point of complaint, at stages 2 and 3 (and stage 1 point by point)
    # What the council says on each point (stage 1 point by point), and how the response was sent (R1.29).
    point_responses: tuple[str, ...] = ()
    response_sent_via: str = ""

    @property
    def is_open(self) -> bool:
        return self.response_date is None

    @property
    def open_hold(self) -> HoldPlan | None:
        return next((hold for hold in self.holds if hold.end_date is None), None)


@dataclass(frozen=True, kw_only=True)
class ClosurePlan:
    """The case closed by the system on the last day of the window to ask for the next stage, once it had passed
    (R1.22, R1.29), and reopened if a late request was accepted."""

    closed_date: date
    reopened_date: date | None = None
    reopen_reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ComplaintPlan:
    key: str
    reference: str
    procedure: str
    received_date: date
    received_via: str
    summary: str
    complainants: tuple[ComplainantPlan, ...]
    children: tuple[ChildPlan, ...]
    teams: tuple[str, ...]
    issues: tuple[str, ...]
    owner: str
    grounds_arose_date: date | None = None
    late_acceptance: LateAcceptancePlan | None = None
    start_stage: int = 1
    stage1_skipped_reason: str = ""
    advocacy_offered: bool | None = None
    advocacy_provided: bool | None = None
    advocate_name: str = ""
    advocate_organisation: str = ""
    sufficient_interest: SufficientInterestPlan | None = None
    # Accepted at triage (R1.7-R1.14). False with no decline: still awaiting triage at the end date.
    accepted: bool = True
    decline: DeclinePlan | None = None
    mediation: str = c.Mediation.NONE
    points: tuple[PointPlan, ...] = ()
    stages: tuple[StagePlan, ...] = ()
    withdrawal_note: str = ""
    remedies: tuple[RemedyPlan, ...] = ()
    closures: tuple[ClosurePlan, ...] = ()

    @property
    def current_stage(self) -> StagePlan:
        return self.stages[-1]

    @property
    def is_open(self) -> bool:
        """Whether the case is open on the end date: a stage still running, or a response whose window for the next
        stage has not passed yet."""
        stage = self.current_stage
        if stage.is_open:
            return True
        if stage.outcome in CLOSING_OUTCOMES or stage.number == LAST_STAGE[self.procedure]:
            return False
        return not self.closures or self.closures[-1].reopened_date is not None

    @property
    def declined_on_receipt(self) -> bool:
        """Refused late acceptance: ``complaint_register`` records it as declined and closes it (R1.12)."""
        return self.late_acceptance is not None and not self.late_acceptance.accepted


@dataclass(frozen=True, kw_only=True)
class EnquirerPlan:
    enquirer_type: str
    name: str
    constituency_or_ward: str


@dataclass(frozen=True, kw_only=True)
class ComplimentPlan:
    about_team: str | None
    about_person: str
    quote: str


@dataclass(frozen=True, kw_only=True)
class RepresentationPlan:
    key: str
    reference: str
    kind: str
    received_date: date
    topic: str
    summary: str
    teams: tuple[str, ...]
    owner: str
    enquirer: EnquirerPlan | None = None
    compliment: ComplimentPlan | None = None
    responded_date: date | None = None
    outcome: str = ""


@dataclass(frozen=True, kw_only=True)
class OmbudsmanDecisionPlan:
    decision: str
    decision_label: str
    decision_date: date
    fault_found: bool | None
    injustice_found: bool | None
    recommended_payment: Decimal | None
    compliance_due_date: date | None
    complied_date: date | None = None


@dataclass(frozen=True, kw_only=True)
class OmbudsmanPlan:
    key: str
    reference: str
    received_date: date
    lgsco_reference: str
    complaint: str | None  # the key of the complaint the Ombudsman considered, where there is one
    enquiry_due_date: date | None
    summary: str
    owner: str
    enquiry_responded_date: date | None = None
    decision: OmbudsmanDecisionPlan | None = None


@dataclass(frozen=True, kw_only=True)
class LearningActionPlan:
    key: str
    cases: tuple[str, ...]
    finding: str
    action: str
    owner: str
    team: str | None
    created_date: date
    due_date: date
    status: str
    implemented_date: date | None = None
    evidence: str = ""
    not_implemented_reason: str = ""


@dataclass(frozen=True, kw_only=True)
class CouncilPlan:
    name: str
    slug: str
    reference_prefix: str
    service_areas: tuple[ServiceAreaPlan, ...]
    teams: tuple[TeamPlan, ...]
    restructures: tuple[RestructurePlan, ...]
    complaints: tuple[ComplaintPlan, ...]
    representations: tuple[RepresentationPlan, ...]
    ombudsman_cases: tuple[OmbudsmanPlan, ...]
    learning_actions: tuple[LearningActionPlan, ...]

    def team(self, key: str) -> TeamPlan:
        return next(team for team in self.teams if team.key == key)

    def complaint(self, key: str) -> ComplaintPlan:
        return next(complaint for complaint in self.complaints if complaint.key == key)


@dataclass(frozen=True, kw_only=True)
class DemoPlan:
    seed: int
    years: int
    start_date: date
    end_date: date
    users: tuple[UserPlan, ...]
    councils: tuple[CouncilPlan, ...]

    @property
    def windows(self) -> tuple[tuple[date, date], ...]:
        return year_windows(end_date=self.end_date, years=self.years)


# -- personas ---------------------------------------------------------------------------------------------------

# (username, job title, is_staff, is_superuser). One shared complaints team serves every demo council.
PERSONAS: tuple[tuple[str, str, bool, bool], ...] = (
    ("manager", "Complaints manager", True, False),
    ("officer", "Complaints officer", False, False),
    ("officer2", "Complaints officer", False, False),
    ("investigator", "Investigating officer", False, False),
    ("independent", "Independent person", False, False),
    ("adjudicator", "Head of Service (adjudicator)", False, False),
    ("panel1", "Review panel chair", False, False),
    ("panel2", "Review panel member", False, False),
    ("panel3", "Review panel member", False, False),
    ("viewer", "Performance analyst (reports only)", False, False),
    ("admin", "System administrator", True, True),
    # A second administrator, so a request for a role that sees case content has someone to decide it.
    ("admin2", "Deputy system administrator (IT)", True, True),
)


# -- periods ------------------------------------------------------------------------------------------------------


def year_windows(*, end_date: date, years: int) -> tuple[tuple[date, date], ...]:
    """The ``years`` consecutive 12-month windows ending on ``end_date``, oldest first (first and last days)."""
    windows = []
    for i in range(years):
        back = years - 1 - i
        last = add_calendar_months(end_date, -12 * back)
        first = add_calendar_months(end_date, -12 * (back + 1)) + timedelta(days=1)
        windows.append((first, last))
    return tuple(windows)


def restructure_date(*, start_date: date, end_date: date) -> date:
    """The first day of the new structure: the 1 April nearest the middle of the period (councils restructure at
    the start of a reporting year), or the first of the month nearest the middle when no 1 April fits."""
    middle = start_date + (end_date - start_date) / 2
    margin = timedelta(days=90)
    aprils = [
        date(year, 4, 1)
        for year in range(start_date.year, end_date.year + 1)
        if start_date + margin <= date(year, 4, 1) <= end_date - margin
    ]
    if aprils:
        return min(aprils, key=lambda day: abs(day - middle))
    return add_calendar_months(middle.replace(day=1), 1)


# -- the planner ------------------------------------------------------------------------------------------------


@dataclass
class _Stage1Script:
    """Stage 1 as working-day offsets from day 0; ``response_wd`` None keeps the stage open."""

    response_wd: int | None
    outcome: str
    extension: tuple[int, int] | None = None  # (notified on day, extended to day)
    hold: tuple[str, int, int | None] | None = None  # (reason, starts on day, lasts days or None = open)


@dataclass
class _Stage2Script:
    request_wd: int  # after the stage 1 response
    appoint_wd: int  # after the request
    statement_wd: int | None  # after appointment; None: not agreed yet
    response_wd: int | None  # adjudication, after the start date
    extension: tuple[int, int] | None = None  # (notified on day, extended to day), from the start date
    report_before_wd: int = 8
    withdrawn_wd: int | None = None  # after the start date
    late_request: bool = False


@dataclass
class _Stage3Script:
    request_wd: int  # after the stage 2 response
    panel_wd: int | None  # after the request
    report_wd: int | None  # after the panel
    response_wd: int | None  # after the panel report


@dataclass
class _Draft:
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
    s1: _Stage1Script
    grounds_arose_date: date | None = None
    late_acceptance: LateAcceptancePlan | None = None
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
    s2: _Stage2Script | None = None
    s3: _Stage3Script | None = None
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


def _weighted[T](rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    values = [value for value, _ in options]
    weights = [weight for _, weight in options]
    return rng.choices(values, weights=weights, k=1)[0]


def _present[T](value: T | None) -> T:
    """``value``, which the plan's own sequence of events guarantees is there (a stage responded to, say)."""
    if value is None:
        raise ValueError("The demonstration plan is inconsistent: an event it depends on is missing.")
    return value


def _money(rng: random.Random, low: int, high: int, step: int) -> Decimal:
    return Decimal(rng.randrange(low, high + 1, step)).quantize(Decimal("0.01"))


MERITS = (c.Outcome.UPHELD, c.Outcome.PARTLY_UPHELD, c.Outcome.NOT_UPHELD)
# Ends of a stage that close the case there and then (R1.36, R1.7-R1.14).
CLOSING_OUTCOMES = (c.Outcome.WITHDRAWN, c.Outcome.NOT_ACCEPTED)
# The stage whose response closes the case by itself; earlier ones wait for the request window (R1.22, R1.29).
LAST_STAGE: dict[str, int] = {c.Procedure.CHILDREN_STATUTORY: 3, c.Procedure.CORPORATE: 2}
# Working days to ask for the next stage (R1.22, R1.29; the Code's window for corporate complaints).
REQUEST_WINDOW_WORKING_DAYS = 20
# R1.26: stage 2 may be extended to at most 65 working days from its start date.
STAGE2_MAXIMUM_WORKING_DAYS = 65
UPHELD_ANY = (c.Outcome.UPHELD, c.Outcome.PARTLY_UPHELD)

# 2021 Census groups for adults and DfE codes for children (R6.2, R6.3), roughly as a mixed English borough.
CENSUS_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("white_british", 52),
    ("other_white", 7),
    ("irish", 1),
    ("gypsy_or_irish_traveller", 0.5),
    ("roma", 0.5),
    ("indian", 4),
    ("pakistani", 4),
    ("bangladeshi", 2),
    ("chinese", 1),
    ("other_asian", 2),
    ("african", 5),
    ("caribbean", 3),
    ("other_black", 1),
    ("white_and_black_caribbean", 2),
    ("white_and_black_african", 1),
    ("white_and_asian", 1),
    ("other_mixed", 1),
    ("arab", 1),
    ("any_other_ethnic_group", 1),
    ("prefer_not_to_say", 3),
    ("not_known", 7),
)
DFE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("WBRI", 50),
    ("WOTH", 6),
    ("WIRI", 1),
    ("WIRT", 0.5),
    ("WROM", 0.5),
    ("MWBC", 4),
    ("MWBA", 2),
    ("MWAS", 2),
    ("MOTH", 3),
    ("AIND", 3),
    ("APKN", 4),
    ("ABAN", 2),
    ("AOTH", 2),
    ("BCRB", 3),
    ("BAFR", 5),
    ("BOTH", 1),
    ("CHNE", 0.5),
    ("OOTH", 2),
    ("REFU", 1),
    ("NOBT", 8),
)
CHILD_AGES: dict[str, tuple[int, int]] = {
    c.SupportCategory.CLA: (3, 17),
    c.SupportCategory.CARE_LEAVER: (18, 21),
    c.SupportCategory.CIN: (1, 16),
    c.SupportCategory.CP: (0, 15),
    c.SupportCategory.FRONT_DOOR: (0, 16),
    c.SupportCategory.DISABLED_CHILDREN: (4, 17),
    c.SupportCategory.EARLY_HELP: (2, 15),
    c.SupportCategory.OTHER: (5, 16),
}


class _Planner:
    def __init__(self, *, seed: int, years: int, councils: int, end_date: date, calendar: WorkingDayCalendar):
        self.seed = seed
        self.years = years
        self.council_count = councils
        self.end = end_date
        self.calendar = calendar
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.windows = year_windows(end_date=end_date, years=years)
        self.start = self.windows[0][0]
        self.restructure_on = restructure_date(start_date=self.start, end_date=end_date)
        self._phone = 0

    # -- working days --------------------------------------------------------------------------------------------

    def add(self, day: date, n: int) -> date:
        return self.calendar.add_working_days(day, n)

    def back(self, day: date, n: int) -> date:
        """The working day ``n`` working days before ``day`` (so that ``add(back(d, n), n) == d`` for a working
        day ``d``)."""
        candidate = day - timedelta(days=n + n // 5 * 2 + 10)
        while self.calendar.working_days_between(candidate, day) > n:
            candidate += timedelta(days=1)
        while not self.calendar.is_working_day(candidate):
            candidate -= timedelta(days=1)
        return candidate

    def between(self, first: date, last: date) -> int:
        return self.calendar.working_days_between(first, last)

    def working_day_in(self, first: date, last: date) -> date:
        day = first + timedelta(days=self.rng.randrange((last - first).days + 1))
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        if day > last:
            day = self.back(last + timedelta(days=1), 1)
        return day

    def happened(self, day: date | None) -> date | None:
        """``day`` if it is on or before the end date; events after it have not happened yet."""
        return day if day is not None and day <= self.end else None

    # -- people --------------------------------------------------------------------------------------------------

    def users(self) -> tuple[UserPlan, ...]:
        users = []
        for username, job_title, is_staff, is_superuser in PERSONAS:
            users.append(
                UserPlan(
                    username=username,
                    first_name=self.fake.first_name(),
                    last_name=self.fake.last_name(),
                    email=f"{username}@demo.example",
                    job_title=job_title,
                    is_staff=is_staff,
                    is_superuser=is_superuser,
                )
            )
        return tuple(users)

    def phone(self) -> str:
        # Ofcom reserves 07700 900000-900999 for drama, so a demo number never rings anyone.
        self._phone = (self._phone + self.rng.randint(1, 37)) % 1000
        return f"07700 900{self._phone:03d}"

    def person(
        self,
        *,
        age: int | None,
        on: date,
        town: str,
        sex: str | None = None,
        last_name: str | None = None,
        child: bool,
    ) -> PersonPlan:
        rng = self.rng
        if sex is None:
            sex = _weighted(rng, ((c.Sex.FEMALE, 48), (c.Sex.MALE, 48), (c.Sex.UNKNOWN, 4)))
        first_name = self.fake.first_name_male() if sex == c.Sex.MALE else self.fake.first_name_female()
        last_name = last_name or self.fake.last_name()
        date_of_birth = None
        if age is not None:
            date_of_birth = on - timedelta(days=365 * age + rng.randrange(1, 360) + age // 4)
        if child:
            code = _weighted(rng, DFE_WEIGHTS)
            scheme = "dfe_csc"
            disability = _weighted(
                rng, ((c.YesNoUnknown.YES, 12), (c.YesNoUnknown.NO, 70), (c.YesNoUnknown.UNKNOWN, 18))
            )
        else:
            code = _weighted(rng, CENSUS_WEIGHTS)
            scheme = "census_2021"
            disability = _weighted(
                rng, ((c.YesNoUnknown.YES, 15), (c.YesNoUnknown.NO, 63), (c.YesNoUnknown.UNKNOWN, 22))
            )
        if rng.random() < 0.05:
            # Monitoring not completed at all: no scheme, no code.
            scheme, code = "", ""
        orientation: str = c.SexualOrientation.UNKNOWN
        religion = ""
        # R6.4: sexual orientation is asked only of people aged 16 or over.
        if age is not None and age >= 16:
            orientation = _weighted(
                rng,
                (
                    (c.SexualOrientation.STRAIGHT, 68),
                    (c.SexualOrientation.GAY_LESBIAN, 3),
                    (c.SexualOrientation.BISEXUAL, 3),
                    (c.SexualOrientation.OTHER, 1),
                    (c.SexualOrientation.PREFER_NOT_TO_SAY, 8),
                    (c.SexualOrientation.UNKNOWN, 17),
                ),
            )
            if rng.random() < 0.75:
                religion = rng.choice(t.RELIGIONS)
        adult = age is None or age >= 18
        return PersonPlan(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            email=self.fake.safe_email() if adult and rng.random() < 0.85 else "",
            phone=self.phone() if adult and rng.random() < 0.8 else "",
            address=f"{self.fake.building_number()} {self.fake.street_name()}\n{town}" if adult else "",
            postcode=self.fake.postcode() if adult else "",
            sex=sex,
            ethnicity_scheme=scheme,
            ethnicity_code=code,
            disability=c.YesNoUnknown.YES if not adult and rng.random() < 0.1 else disability,
            sexual_orientation=orientation,
            religion=religion,
        )

    # -- structure -----------------------------------------------------------------------------------------------

    def structure(self) -> tuple[tuple[ServiceAreaPlan, ...], tuple[TeamPlan, ...], tuple[RestructurePlan, ...]]:
        ended_on = self.restructure_on - timedelta(days=1)
        ending = {restructure.team: restructure for restructure in t.RESTRUCTURE}
        areas = [ServiceAreaPlan(key=area.key, name=area.name) for area in t.STRUCTURE]
        areas += [
            ServiceAreaPlan(key=key, name=name, active_from=self.restructure_on)
            for key, name in t.RESTRUCTURE_NEW_AREAS
        ]
        teams: list[TeamPlan] = []
        restructures: list[RestructurePlan] = []
        for area in t.STRUCTURE:
            for team in area.teams:
                change = ending.get(team.key)
                teams.append(
                    TeamPlan(
                        key=team.key,
                        name=team.name,
                        service_area=area.key,
                        active_until=ended_on if change else None,
                        corporate=team.corporate,
                    )
                )
                if change:
                    teams.append(
                        TeamPlan(
                            key=change.successor_key,
                            name=change.successor_name,
                            service_area=change.successor_area,
                            active_from=self.restructure_on,
                            predecessor=team.key,
                            corporate=team.corporate,
                        )
                    )
                    restructures.append(
                        RestructurePlan(team=team.key, ended_on=ended_on, successor=change.successor_key)
                    )
        return tuple(areas), tuple(teams), tuple(restructures)

    def team_texts(self) -> dict[str, t.TeamText]:
        """Team texts by key, successors inheriting their predecessor's work (support categories and weight)."""
        texts = {team.key: team for area in t.STRUCTURE for team in area.teams}
        for change in t.RESTRUCTURE:
            old = texts[change.team]
            texts[change.successor_key] = t.TeamText(
                change.successor_key, change.successor_name, old.support, old.weight, old.corporate
            )
        return texts

    def pick_teams(self, teams: Sequence[TeamPlan], on: date, *, corporate: bool, count: int) -> list[str]:
        texts = self.team_texts()
        active = [team for team in teams if team.active_on(on) and team.corporate == corporate]
        chosen: list[str] = []
        while len(chosen) < min(count, len(active)):
            options = [(team.key, float(texts[team.key].weight)) for team in active if team.key not in chosen]
            chosen.append(_weighted(self.rng, options))
        return chosen

    def successor_on(self, teams: Sequence[TeamPlan], key: str, on: date) -> str:
        """``key``, or the team that succeeded it when it had ended by ``on``."""
        team = next(team for team in teams if team.key == key)
        if team.active_on(on):
            return key
        successor = next((other for other in teams if other.predecessor == key), None)
        return successor.key if successor is not None and successor.active_on(on) else key

    # -- complaints ----------------------------------------------------------------------------------------------

    def received_via(self) -> str:
        return _weighted(
            self.rng,
            (
                (c.ReceivedVia.EMAIL, 55),
                (c.ReceivedVia.ONLINE, 25),
                (c.ReceivedVia.PHONE, 8),
                (c.ReceivedVia.LETTER, 5),
                (c.ReceivedVia.IN_PERSON, 2),
                (c.ReceivedVia.UNKNOWN, 5),
            ),
        )

    def issues(self, bank: Sequence[t.IssueText]) -> list[t.IssueText]:
        count = _weighted(self.rng, ((1, 45), (2, 35), (3, 20)))
        chosen: list[t.IssueText] = []
        while len(chosen) < min(count, len(bank)):
            chosen.append(_weighted(self.rng, [(issue, float(issue.weight)) for issue in bank if issue not in chosen]))
        return chosen

    def owner(self) -> str:
        return _weighted(self.rng, (("officer", 45), ("officer2", 45), ("manager", 10)))

    def statutory_complaint(
        self, *, received: date, teams: Sequence[TeamPlan], council: t.CouncilText, s1: _Stage1Script
    ) -> _Draft:
        rng = self.rng
        town = council.name.replace("Borough of ", "").replace(" District Council", "")
        team_count = _weighted(rng, ((1, 68), (2, 27), (3, 5)))
        team_keys = self.pick_teams(teams, received, corporate=False, count=team_count)
        support = rng.choice(self.team_texts()[team_keys[0]].support)
        low, high = CHILD_AGES.get(support, (2, 16))
        age = rng.randint(low, high)
        issues = self.issues(t.ISSUES)
        draft = _Draft(
            # Every stage's acknowledgement is recorded (§4): children's stage 1 within 1 to 3 working days. Not drawn
            # from the generator, so the rest of the scenario stays as it was.
            acknowledge_wd=1 + received.toordinal() % 3,
            received_date=received,
            procedure=c.Procedure.CHILDREN_STATUTORY,
            received_via=self.received_via(),
            summary=rng.choice(issues[0].summaries),
            complainants=[],
            children=[],
            teams=team_keys,
            issues=[issue.name for issue in issues],
            owner=self.owner(),
            s1=s1,
            grounds_arose_date=received - timedelta(days=rng.randint(7, 300)),
        )
        # Who complains (R1.8), by the kind of support the child receives.
        if support == c.SupportCategory.CARE_LEAVER:
            kind = _weighted(rng, (("young_person", 75), ("parent", 25)))
        elif support == c.SupportCategory.CLA:
            kind = _weighted(
                rng,
                (
                    ("parent", 55),
                    ("young_person", 15 if age >= 12 else 0),
                    ("foster_carer", 15),
                    ("advocate", 6),
                    ("solicitor", 9),
                ),
            )
        else:
            kind = _weighted(
                rng,
                (
                    ("parent", 78),
                    ("young_person", 5 if age >= 12 else 0),
                    ("special_guardian", 4),
                    ("grandparent", 6),
                    ("solicitor", 4),
                    ("pr_holder", 3),
                ),
            )
        child_sex = _weighted(rng, ((c.Sex.FEMALE, 47), (c.Sex.MALE, 51), (c.Sex.UNKNOWN, 2)))
        family_name = self.fake.last_name()
        child = self.person(age=age, on=received, town=town, sex=child_sex, last_name=family_name, child=True)
        if kind == "young_person":
            complainant = ComplainantPlan(
                person=child,
                complainant_type=c.ComplainantType.CHILD_YOUNG_PERSON,
                eligibility_basis=(
                    c.EligibilityBasis.CARE_LEAVER
                    if support == c.SupportCategory.CARE_LEAVER
                    else c.EligibilityBasis.CHILD
                ),
                is_the_child=True,
            )
            # R1.17: advocacy is offered to every young person who complains; most take it up.
            draft.advocacy_offered = True
            draft.advocacy_provided = rng.random() < 0.7
            if draft.advocacy_provided:
                draft.advocate_name = self.fake.name()
                draft.advocate_organisation = t.ADVOCACY_ORGANISATION
                if s1.hold is None and rng.random() < 0.35 and s1.response_wd is not None:
                    # R1.19: stage 1 waits for the advocate; the response comes after work resumes.
                    length = rng.randint(3, 8)
                    s1.hold = (c.HoldReason.AWAITING_ADVOCATE, 1, length)
                    s1.response_wd = max(s1.response_wd, 1 + length + rng.randint(3, 8))
        else:
            adult_age = rng.randint(24, 58) if rng.random() < 0.9 else None
            if kind in ("parent", "pr_holder"):
                sex = _weighted(rng, ((c.Sex.FEMALE, 66), (c.Sex.MALE, 32), (c.Sex.UNKNOWN, 2)))
                same_name = rng.random() < 0.75
                person = self.person(
                    age=adult_age,
                    on=received,
                    town=town,
                    sex=sex,
                    last_name=family_name if same_name else None,
                    child=False,
                )
                complainant = ComplainantPlan(
                    person=person,
                    complainant_type=c.ComplainantType.PARENT_RELATIVE,
                    eligibility_basis=c.EligibilityBasis.PARENT if kind == "parent" else c.EligibilityBasis.PR_HOLDER,
                )
            elif kind == "grandparent":
                person = self.person(age=rng.randint(50, 75), on=received, town=town, child=False)
                complainant = ComplainantPlan(
                    person=person,
                    complainant_type=c.ComplainantType.PARENT_RELATIVE,
                    eligibility_basis=c.EligibilityBasis.SUFFICIENT_INTEREST,
                    on_behalf_of_child=True,
                    child_consent=c.ChildConsent.GIVEN if age >= 8 else c.ChildConsent.UNABLE,
                )
                # Decided before any response is due, so the complaint is accepted before it is answered.
                decided = self.add(received, rng.randint(2, 3))
                draft.sufficient_interest = SufficientInterestPlan(
                    has_interest=rng.random() < 0.85,
                    decided_date=decided,
                    child_consulted=age >= 8,
                    notified_date=self.add(decided, 1),
                )
            elif kind == "foster_carer":
                complainant = ComplainantPlan(
                    person=self.person(age=adult_age, on=received, town=town, child=False),
                    complainant_type=c.ComplainantType.FOSTER_CARER,
                    eligibility_basis=c.EligibilityBasis.LA_FOSTER_CARER,
                )
            elif kind == "special_guardian":
                complainant = ComplainantPlan(
                    person=self.person(age=rng.randint(40, 70), on=received, town=town, child=False),
                    complainant_type=c.ComplainantType.SPECIAL_GUARDIAN,
                    eligibility_basis=c.EligibilityBasis.SPECIAL_GUARDIAN,
                )
            elif kind == "advocate":
                advocate = self.person(age=adult_age, on=received, town=town, child=False)
                complainant = ComplainantPlan(
                    person=advocate,
                    complainant_type=c.ComplainantType.ADVOCATE,
                    eligibility_basis=c.EligibilityBasis.CHILD,
                    on_behalf_of_child=True,
                    child_consent=c.ChildConsent.GIVEN,
                )
                draft.advocacy_offered = True
                draft.advocacy_provided = True
                draft.advocate_name = f"{advocate.first_name} {advocate.last_name}"
                draft.advocate_organisation = t.ADVOCACY_ORGANISATION
            else:  # solicitor
                complainant = ComplainantPlan(
                    person=self.person(age=adult_age, on=received, town=town, child=False),
                    complainant_type=c.ComplainantType.SOLICITOR,
                    eligibility_basis=c.EligibilityBasis.PARENT,
                    on_behalf_of_child=False,
                )
            if age < 18 and rng.random() < 0.15:
                draft.advocacy_offered = rng.random() < 0.7
                draft.advocacy_provided = False
        draft.complainants.append(complainant)
        draft.children.append(ChildPlan(person=child, age_at_receipt=age, support_category=support))
        if kind != "young_person" and rng.random() < 0.15:
            sibling_age = max(0, min(17, age + rng.choice((-4, -3, -2, 2, 3))))
            sibling = self.person(age=sibling_age, on=received, town=town, last_name=family_name, child=True)
            draft.children.append(ChildPlan(person=sibling, age_at_receipt=sibling_age, support_category=support))
        return draft

    def corporate_complaint(self, *, received: date, teams: Sequence[TeamPlan], council: t.CouncilText) -> _Draft:
        rng = self.rng
        town = council.name.replace("Borough of ", "").replace(" District Council", "")
        issues = self.issues(t.CORPORATE_ISSUES)
        team_keys = self.pick_teams(teams, received, corporate=True, count=1)
        late = rng.random() < 0.3
        s1 = _Stage1Script(
            response_wd=rng.randint(16, 28) if late else rng.randint(6, 15),
            outcome=_weighted(rng, ((c.Outcome.NOT_UPHELD, 45), (c.Outcome.PARTLY_UPHELD, 35), (c.Outcome.UPHELD, 20))),
        )
        parent = self.person(age=rng.randint(28, 55), on=received, town=town, child=False)
        child_age = rng.randint(5, 16)
        child = self.person(age=child_age, on=received, town=town, last_name=parent.last_name, child=True)
        return _Draft(
            acknowledge_wd=rng.randint(1, 5),
            received_date=received,
            procedure=c.Procedure.CORPORATE,
            received_via=self.received_via(),
            summary=rng.choice(issues[0].summaries),
            complainants=[ComplainantPlan(person=parent, complainant_type=c.ComplainantType.PARENT_RELATIVE)],
            children=[ChildPlan(person=child, age_at_receipt=child_age, support_category=c.SupportCategory.OTHER)],
            teams=team_keys,
            issues=[issue.name for issue in issues],
            owner=self.owner(),
            s1=s1,
            grounds_arose_date=received - timedelta(days=rng.randint(7, 200)),
        )

    def natural_stage1(self, on_time: bool) -> _Stage1Script:
        """A stage 1 that is (or is not) within its timescale: 10 working days, or up to 20 with an extension
        agreed and notified before the 10th day (R1.20)."""
        rng = self.rng
        outcome = _weighted(
            rng,
            (
                (c.Outcome.NOT_UPHELD, 42),
                (c.Outcome.PARTLY_UPHELD, 30),
                (c.Outcome.UPHELD, 16),
                (c.Outcome.RESOLVED_INFORMALLY, 12),
            ),
        )
        if on_time:
            if rng.random() < 0.2:
                extended_to = rng.randint(14, 20)
                return _Stage1Script(
                    response_wd=rng.randint(11, extended_to),
                    outcome=outcome,
                    extension=(rng.randint(5, 9), extended_to),
                )
            return _Stage1Script(response_wd=rng.choice((4, 5, 6, 7, 8, 8, 9, 9, 10, 10, 10)), outcome=outcome)
        if rng.random() < 0.4:
            return _Stage1Script(response_wd=rng.randint(21, 38), outcome=outcome, extension=(rng.randint(6, 10), 20))
        return _Stage1Script(response_wd=rng.randint(11, 35), outcome=outcome)

    def triage(self, draft: _Draft) -> None:
        """Time limit, eligibility and scope (R1.7-R1.14): most complaints are accepted; a few are out of time
        (most of those accepted late), out of scope or about matters with their own route."""
        rng = self.rng
        received = draft.received_date
        roll = rng.random()
        if roll < 0.04:
            draft.grounds_arose_date = received - timedelta(days=rng.randint(400, 900))
            accepted = rng.random() < 0.7
            if accepted:
                draft.late_acceptance = LateAcceptancePlan(
                    accepted=True,
                    not_reasonable_to_expect_reason=t.LATE_ACCEPTANCE[0],
                    still_possible_reason=t.LATE_ACCEPTANCE[1],
                )
            else:
                draft.late_acceptance = LateAcceptancePlan(
                    accepted=False,
                    not_reasonable_to_expect_reason="The complainant could reasonably have complained within the year.",
                    still_possible_reason="The staff involved have left and the records are incomplete.",
                )
                draft.decline = DeclinePlan(
                    reason=c.DeclineReason.OUT_OF_TIME, redirected_to=c.Route.NONE, note="", decided_date=received
                )
                draft.accepted = False
        elif roll < 0.09:
            route = _weighted(
                rng,
                (
                    (c.Route.CORPORATE, 40),
                    (c.Route.CONFERENCE_COMPLAINTS, 20),
                    (c.Route.COURT, 20),
                    (c.Route.FOSTERING_OR_ADOPTION_PANEL, 10),
                    (c.Route.NONE, 10),
                ),
            )
            reason = c.DeclineReason.PREVIOUSLY_CONSIDERED if route == c.Route.NONE else c.DeclineReason.OUT_OF_SCOPE
            draft.decline = DeclinePlan(
                reason=reason,
                redirected_to=route,
                note=t.DECLINE_NOTES[route],
                decided_date=self.add(received, rng.randint(2, 6)),
            )
            draft.accepted = False
        if (
            draft.decline is None
            and draft.sufficient_interest is not None
            and not draft.sufficient_interest.has_interest
        ):
            # R1.9, R1.11: found not to have sufficient interest, so declined as ineligible.
            decided = draft.sufficient_interest.decided_date
            draft.decline = DeclinePlan(
                reason=c.DeclineReason.INELIGIBLE,
                redirected_to=c.Route.NONE,
                note="The council decided the complainant does not have sufficient interest in the child's welfare.",
                decided_date=decided,
            )
            draft.accepted = False
        interest = draft.sufficient_interest
        if interest is not None and draft.decline is not None:
            if draft.late_acceptance is not None and not draft.late_acceptance.accepted:
                # Refused on receipt (R1.12): the case closes at once, so eligibility is never decided.
                draft.sufficient_interest = None
            elif draft.decline.decided_date < interest.decided_date:
                # Nothing can be recorded on a declined (closed) case, so eligibility is decided first.
                draft.decline = replace(draft.decline, decided_date=interest.decided_date)

    def grant_interest(self, draft: _Draft) -> None:
        if draft.sufficient_interest is not None:
            draft.sufficient_interest = replace(draft.sufficient_interest, has_interest=True)

    def court_hold(self, s1: _Stage1Script) -> None:
        # R1.13: care proceedings on the same matters defer the complaint; it resumes when they end.
        length = self.rng.randint(25, 80)
        start = self.rng.randint(2, 6)
        s1.hold = (c.HoldReason.COURT_PROCEEDINGS, start, length)
        s1.response_wd = start + length + self.rng.randint(4, 9)
        s1.extension = None

    # -- stages from scripts -------------------------------------------------------------------------------------

    def interpret_stage1(self, draft: _Draft) -> None:
        received = draft.received_date
        s1 = draft.s1
        interest = draft.sufficient_interest
        if interest is not None and not self.happened(interest.notified_date):
            # R1.9: eligibility is still being decided on the end date, so the complaint is still in triage.
            draft.sufficient_interest = None
            draft.decline = None
            draft.accepted = False
            draft.stages = [StagePlan(number=1, received_date=received)]
            return
        if draft.decline is not None:
            decided = self.happened(draft.decline.decided_date)
            if decided is None:
                # The triage decision comes after the end date: still awaiting triage.
                draft.decline = None
                draft.accepted = False
                draft.stages = [StagePlan(number=1, received_date=received)]
                return
            draft.stages = [
                StagePlan(number=1, received_date=received, response_date=decided, outcome=c.Outcome.NOT_ACCEPTED)
            ]
            return
        holds: list[HoldPlan] = []
        if s1.hold is not None:
            reason, start_wd, length = s1.hold
            start = self.add(received, start_wd)
            end = self.add(start, length) if length is not None else None
            if self.happened(start):
                holds.append(
                    HoldPlan(
                        start_date=start, end_date=self.happened(end), reason=reason, note=t.HOLD_NOTES.get(reason, "")
                    )
                )
        extension = None
        if s1.extension is not None:
            notified = self.add(received, s1.extension[0])
            if self.happened(notified):
                extension = ExtensionPlan(
                    extended_due_date=self.add(received, s1.extension[1]),
                    reason=self.rng.choice(t.EXTENSION_REASONS_STAGE1),
                    notified_date=notified,
                )
        response = self.happened(self.add(received, s1.response_wd)) if s1.response_wd is not None else None
        if any(hold.end_date is None for hold in holds):
            response = None
        outcome = s1.outcome if response else ""
        if outcome == c.Outcome.WITHDRAWN:
            draft.withdrawal_note = self.rng.choice(t.WITHDRAWAL_NOTES)
        acknowledged = None
        if draft.acknowledge_wd is not None:
            acknowledged = self.happened(self.add(received, draft.acknowledge_wd))
            if response is not None and acknowledged is not None:
                acknowledged = min(acknowledged, response)
        findings, said = self.stage1_points(draft, outcome)
        draft.stages = [
            StagePlan(
                number=1,
                received_date=received,
                acknowledged_date=acknowledged,
                holds=tuple(holds),
                extension=extension,
                response_date=response,
                outcome=outcome,
                findings=findings,
                point_responses=said,
                response_sent_via=c.ResponseSentVia.EMAIL if findings else "",
            )
        ]

    def stage1_points(self, draft: _Draft, outcome: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Most stage 1 responses of the children's and adults' procedures answer the complaint point by point
        (issue 15, item 4): two to four points, with findings that give the stage's outcome and a sentence on each.
        Drawn from a generator of their own, so the rest of the scenario is what it was."""
        if draft.procedure == c.Procedure.CORPORATE or outcome not in c.MERITS_OUTCOMES or draft.points:
            return (), ()
        rng = random.Random(f"stage1-points:{self.seed}:{draft.received_date.isoformat()}:{','.join(draft.issues)}")
        if rng.random() < 0.3:
            return (), ()
        self.make_points(draft, rng=rng, most=4)
        count = len(draft.points)
        if outcome == c.Outcome.UPHELD:
            findings = [c.Finding.UPHELD] * count
        elif outcome == c.Outcome.NOT_UPHELD:
            findings = [c.Finding.NOT_UPHELD] * count
        else:
            findings = [c.Finding.PARTLY_UPHELD] + [
                rng.choice((c.Finding.UPHELD, c.Finding.NOT_UPHELD)) for _ in range(count - 1)
            ]
            rng.shuffle(findings)
        said = tuple(rng.choice(t.POINT_RESPONSES[finding]) for finding in findings)
        return tuple(findings), said

    def make_points(self, draft: _Draft, *, rng: random.Random | None = None, most: int = 6) -> None:
        rng = rng or self.rng
        bank = {issue.name: issue for issue in (*t.ISSUES, *t.CORPORATE_ISSUES)}
        count = rng.randint(2, most)
        points: list[PointPlan] = []
        used: set[str] = set()
        for n in range(count):
            issue = bank[draft.issues[n % len(draft.issues)]]
            options = [text for text in issue.points if text not in used] or list(issue.points)
            description = rng.choice(options)
            used.add(description)
            points.append(PointPlan(description=description, issue=issue.name))
        draft.points = points

    def natural_stage2(self, request_wd: int, late: bool) -> _Stage2Script:
        rng = self.rng
        script = _Stage2Script(
            request_wd=request_wd,
            appoint_wd=rng.randint(3, 10),
            statement_wd=rng.randint(5, 20),
            response_wd=None,
            report_before_wd=rng.randint(5, 15),
            late_request=late,
        )
        if rng.random() < 0.08:
            script.withdrawn_wd = rng.randint(3, 20)
            return script
        kind = _weighted(rng, (("within", 25), ("extended", 45), ("late", 30)))
        if kind == "within":
            script.response_wd = rng.randint(18, 25)
        elif kind == "extended":
            extended_to = rng.randint(40, 65)
            script.extension = (rng.randint(15, 24), extended_to)
            script.response_wd = rng.randint(26, extended_to)
        elif rng.random() < 0.5:
            script.extension = (rng.randint(15, 24), 65)
            script.response_wd = rng.randint(66, 95)
        else:
            script.response_wd = rng.randint(26, 55)
        script.report_before_wd = min(script.report_before_wd, script.response_wd - 5)
        return script

    def findings(self, count: int) -> tuple[str, ...]:
        return tuple(
            _weighted(
                self.rng,
                (
                    (c.Finding.UPHELD, 30),
                    (c.Finding.PARTLY_UPHELD, 28),
                    (c.Finding.NOT_UPHELD, 37),
                    (c.Finding.NO_FINDING, 5),
                ),
            )
            for _ in range(count)
        )

    def interpret_stage2(self, draft: _Draft) -> None:
        script = _present(draft.s2)
        if draft.start_stage == 2:
            request = draft.received_date
        else:
            request = self.add(_present(_present(draft.stage(1)).response_date), script.request_wd)
        if not self.happened(request):
            draft.s2 = None
            return
        rng = self.rng
        appointed = self.happened(self.add(request, script.appoint_wd))
        statement = None
        if appointed and script.statement_wd is not None:
            statement = self.happened(self.add(appointed, script.statement_wd))
        if statement and not draft.points:
            self.make_points(draft)
        start = statement or request
        extension = None
        if statement and script.extension is not None:
            notified = self.happened(self.add(statement, script.extension[0]))
            if notified:
                extension = ExtensionPlan(
                    extended_due_date=self.add(statement, script.extension[1]),
                    reason=rng.choice(t.EXTENSION_REASONS_STAGE2),
                    notified_date=notified,
                )
        response = report = None
        outcome = ""
        findings: tuple[str, ...] = ()
        recommendations: tuple[RecommendationPlan, ...] = ()
        if script.withdrawn_wd is not None:
            response = self.happened(self.add(start, script.withdrawn_wd))
            outcome = c.Outcome.WITHDRAWN if response else ""
            if response:
                draft.withdrawal_note = rng.choice(t.WITHDRAWAL_NOTES)
        elif statement and script.response_wd is not None:
            adjudication = self.add(statement, script.response_wd)
            # The report arrives by the statutory maximum even when the adjudication is late: the deadline bridge
            # cannot yet store an adjudication target for a report received after it (see the builder's notes).
            latest_report = self.add(statement, STAGE2_MAXIMUM_WORKING_DAYS)
            report = self.happened(min(self.back(adjudication, script.report_before_wd), latest_report))
            response = self.happened(adjudication)
            if response:
                findings = self.findings(len(draft.points))
                outcome = roll_up_findings(findings)
                if outcome in UPHELD_ANY:
                    # The adjudicator decides on each of the investigation's recommendations (R1.28).
                    texts = rng.sample(t.RECOMMENDATIONS, rng.randint(1, 3))
                    recommendations = tuple(self.decide(RecommendationPlan(text=text)) for text in texts)
        draft.stages.append(
            StagePlan(
                number=2,
                received_date=request,
                late_request_accepted=True if script.late_request else None,
                late_request_reason=rng.choice(t.LATE_REQUEST_REASONS) if script.late_request else "",
                appointed_date=appointed,
                investigating_officer="investigator" if appointed else "",
                independent_person="independent" if appointed else "",
                statement_agreed_date=statement,
                extension=extension,
                report_date=report,
                adjudicator="adjudicator" if response and outcome != c.Outcome.WITHDRAWN else "",
                recommendations=recommendations,
                response_date=response,
                outcome=outcome,
                findings=findings,
            )
        )

    def interpret_stage3(self, draft: _Draft) -> None:
        script = _present(draft.s3)
        stage2 = _present(draft.stage(2))
        request = self.happened(self.add(_present(stage2.response_date), script.request_wd))
        if request is None:
            draft.s3 = None
            return
        rng = self.rng
        planned = self.add(request, script.panel_wd) if script.panel_wd is not None else None
        panel = self.happened(planned)
        # The meeting is arranged ahead, for the day the panel meets: at 10am, at County Hall (no random draw, so
        # the rest of the plan is as it was). One planned after the end date is arranged and still to come.
        arranged = self.happened(min(self.add(request, 2), planned)) if planned is not None else None
        meeting = datetime.combine(planned, time(10), tzinfo=LONDON) if arranged and planned else None
        report = None
        if panel and script.report_wd is not None:
            report = self.happened(self.add(panel, script.report_wd))
        response = None
        if report and script.response_wd is not None:
            response = self.happened(self.add(report, script.response_wd))
        recommendations: tuple[RecommendationPlan, ...] = ()
        findings: tuple[str, ...] = ()
        outcome = ""
        if report:
            texts = rng.sample(t.RECOMMENDATIONS, rng.randint(1, 3))
            recommendations = tuple(RecommendationPlan(text=text) for text in texts)
        if response:
            # The panel reviews the stage 2 findings and changes one now and then.
            changed = list(stage2.findings)
            if changed and rng.random() < 0.4:
                i = rng.randrange(len(changed))
                changed[i] = c.Finding.PARTLY_UPHELD if changed[i] == c.Finding.NOT_UPHELD else c.Finding.UPHELD
            findings = tuple(changed)
            outcome = roll_up_findings(findings)
            recommendations = tuple(self.decide(recommendation) for recommendation in recommendations)
        draft.stages.append(
            StagePlan(
                number=3,
                received_date=request,
                panel_chair="panel1",
                panel_members=("panel2", "panel3"),
                panel_arranged_date=arranged if meeting else None,
                panel_meeting_at=meeting,
                panel_meeting_place="County Hall, Committee Room 2" if meeting else "",
                panel_date=panel,
                panel_report_date=report,
                recommendations=recommendations,
                response_date=response,
                outcome=outcome,
                findings=findings,
            )
        )

    def decide(self, recommendation: RecommendationPlan) -> RecommendationPlan:
        """The council's decision on a recommendation: not following one needs a reason (R1.33)."""
        if self.rng.random() < 0.85:
            return replace(recommendation, accepted=True)
        return replace(recommendation, accepted=False, reason=self.rng.choice(t.RECOMMENDATION_REJECTION_REASONS))

    def remedies(self, draft: _Draft) -> None:
        remedies: list[RemedyPlan] = []
        for stage in draft.stages:
            remedies += self.stage_remedies(self.rng, stage)
        draft.remedies = remedies

    def stage_remedies(self, rng: random.Random, stage: StagePlan) -> list[RemedyPlan]:
        """What the council agreed to put right when it answered ``stage`` (R3.7, R4.5)."""
        remedies: list[RemedyPlan] = []
        if stage.response_date is not None and stage.outcome in (*UPHELD_ANY, c.Outcome.RESOLVED_INFORMALLY):
            agreed = stage.response_date
            upheld = stage.outcome in UPHELD_ANY
            if upheld and rng.random() < 0.85:
                remedies.append(
                    RemedyPlan(
                        remedy_type="apology",
                        stage=stage.number,
                        description="Written apology from the service manager.",
                        agreed_date=agreed,
                    )
                )
            if rng.random() < 0.5:
                remedies.append(
                    RemedyPlan(
                        remedy_type="explanation",
                        stage=stage.number,
                        description="Explanation of the decision and of what happens next.",
                        agreed_date=agreed,
                    )
                )
            financial_chance = {1: 0.07, 2: 0.35, 3: 0.45}[stage.number]
            if upheld and rng.random() < financial_chance:
                amount = _money(rng, 50, 500, 25) if stage.number == 1 else _money(rng, 100, 1000, 50)
                paid = self.happened(self.add(agreed, rng.randint(5, 25)))
                remedies.append(
                    RemedyPlan(
                        remedy_type="financial",
                        stage=stage.number,
                        description="Payment in recognition of the time and trouble caused.",
                        amount=amount,
                        agreed_date=agreed,
                        paid_date=paid,
                    )
                )
            if upheld and rng.random() < (0.15 if stage.number == 1 else 0.3):
                code = rng.choice(("service_provided", "procedure_change", "training"))
                description = {
                    "service_provided": "The assessment will be completed by a different social worker.",
                    "procedure_change": "The team's procedure for updating families has been revised.",
                    "training": "Refresher training on recording for the team.",
                }[code]
                remedies.append(
                    RemedyPlan(remedy_type=code, stage=stage.number, description=description, agreed_date=agreed)
                )
        return remedies

    # -- a council's complaints ----------------------------------------------------------------------------------

    def planted(self, teams: Sequence[TeamPlan], council: t.CouncilText) -> list[_Draft]:
        """Cases placed so that the tracker looks alive on the end date: open at each stage, some overdue, some due
        within three working days, one on hold."""
        rng = self.rng
        end = self.end
        drafts: list[_Draft] = []

        def planted_case(received_wd_before: int, s1: _Stage1Script) -> _Draft:
            received = self.back(end, received_wd_before)
            # The forced timeline stands for itself: the random part may not add a hold or refuse eligibility.
            draft = self.statutory_complaint(received=received, teams=teams, council=council, s1=replace(s1))
            draft.s1 = s1
            self.grant_interest(draft)
            draft.planted = True
            drafts.append(draft)
            return draft

        # Due within 1-3 working days, not yet answered.
        due_in = rng.randint(1, 3)
        planted_case(10 - due_in, _Stage1Script(response_wd=None, outcome=""))
        # Overdue at stage 1: no extension, response not sent.
        planted_case(10 + rng.randint(3, 8), _Stage1Script(response_wd=None, outcome=""))
        # Overdue even with the extension to 20 working days.
        planted_case(23, _Stage1Script(response_wd=None, outcome="", extension=(8, 20)))
        # On hold for care proceedings (R1.13).
        planted_case(25, _Stage1Script(response_wd=None, outcome="", hold=(c.HoldReason.COURT_PROCEEDINGS, 4, None)))
        # Stage 2 past its 25 working days with no extension agreed.
        overdue2 = planted_case(75, _Stage1Script(response_wd=9, outcome=c.Outcome.NOT_UPHELD))
        overdue2.s2 = _Stage2Script(request_wd=6, appoint_wd=4, statement_wd=8, response_wd=None)
        # Stage 2 with investigators appointed, statement of complaint not yet agreed.
        early2 = planted_case(40, _Stage1Script(response_wd=10, outcome=c.Outcome.PARTLY_UPHELD))
        early2.s2 = _Stage2Script(request_wd=18, appoint_wd=6, statement_wd=None, response_wd=None)
        # Stage 3 waiting for the panel to meet.
        stage3 = planted_case(120, _Stage1Script(response_wd=10, outcome=c.Outcome.NOT_UPHELD))
        stage3.s2 = _Stage2Script(
            request_wd=10, appoint_wd=5, statement_wd=10, response_wd=55, extension=(20, 65), report_before_wd=10
        )
        stage3.s3 = _Stage3Script(request_wd=15, panel_wd=None, report_wd=None, response_wd=None)
        return drafts

    def complaints(self, teams: Sequence[TeamPlan], council: t.CouncilText) -> list[_Draft]:
        rng = self.rng
        drafts: list[_Draft] = []
        for index, (first, last) in enumerate(self.windows):
            is_last = index == len(self.windows) - 1
            count = rng.randint(46, 74)
            share_on_time = rng.uniform(0.62, 0.75)
            on_time = [i < round(count * share_on_time) for i in range(count)]
            rng.shuffle(on_time)
            for n in range(count):
                s1 = self.natural_stage1(on_time[n])
                received = self.working_day_in(first, last)
                draft = self.statutory_complaint(received=received, teams=teams, council=council, s1=s1)
                self.triage(draft)
                if draft.accepted and draft.s1.hold is None:
                    roll = rng.random()
                    if roll < 0.03:
                        self.court_hold(draft.s1)
                    elif roll < 0.07:
                        # After any eligibility decision: nothing is recorded on a case once it is withdrawn.
                        earliest = 2 if draft.sufficient_interest is None else 5
                        draft.s1 = _Stage1Script(response_wd=rng.randint(earliest, 12), outcome=c.Outcome.WITHDRAWN)
                    elif roll < 0.09:
                        draft.mediation = _weighted(rng, ((c.Mediation.RESOLVED, 60), (c.Mediation.NOT_RESOLVED, 40)))
                        if draft.mediation == c.Mediation.RESOLVED:
                            draft.s1.outcome = c.Outcome.RESOLVED_INFORMALLY
                drafts.append(draft)
            for _ in range(rng.randint(3, 6)):
                drafts.append(
                    self.corporate_complaint(received=self.working_day_in(first, last), teams=teams, council=council)
                )
            if index == len(self.windows) // 2:
                # R1.23: one complaint goes straight to stage 2.
                received = self.working_day_in(first, self.back(last, 90) if is_last else last)
                direct = self.statutory_complaint(
                    received=received, teams=teams, council=council, s1=_Stage1Script(response_wd=None, outcome="")
                )
                direct.start_stage = 2
                direct.stage1_skipped_reason = t.STAGE1_SKIPPED_REASON
                self.grant_interest(direct)
                direct.s2 = self.natural_stage2(0, late=False)
                drafts.append(direct)
        drafts.extend(self.planted(teams, council))
        drafts.sort(key=lambda draft: draft.received_date)
        for draft in drafts:
            if draft.start_stage == 2:
                draft.stages = []
                self.interpret_stage2(draft)
            else:
                self.interpret_stage1(draft)
                if draft.planted and draft.s2 is not None:
                    self.interpret_stage2(draft)
                    if draft.s3 is not None:
                        self.interpret_stage3(draft)
        self.calibrate_timeliness(drafts)
        self.escalate_to_stage2(drafts)
        self.escalate_to_stage3(drafts)
        for draft in drafts:
            self.remedies(draft)
        self.escalate_corporate(drafts, council)
        return drafts

    def stage1_on_time(self, draft: _Draft) -> bool:
        """Within 10 working days, or within an agreed extension of up to 20 (interchange §2, R1.20)."""
        stage = _present(draft.stage(1))
        taken = self.between(stage.received_date, _present(stage.response_date))
        return taken <= 10 or (stage.extension is not None and taken <= 20)

    def calibrate_timeliness(self, drafts: list[_Draft]) -> None:
        """Bring each year's share of stage 1 responses on time (as the report counts it: responses sent that year,
        less withdrawn and not accepted) to within 2.5 points of a target between 62% and 75%.

        Timeliness is drawn per complaint received, but the report counts responses sent, and holds, withdrawals
        and the end date move some across; a few responses are moved earlier or later to make up the difference.
        """
        rng = self.rng
        for first, last in self.windows:
            target = rng.uniform(0.62, 0.75)
            horizon = min(last, self.end)
            for _ in range(100):
                completed = [
                    draft
                    for draft in drafts
                    if draft.statutory
                    and (stage := draft.stage(1)) is not None
                    and stage.response_date is not None
                    and first <= stage.response_date <= last
                    and stage.outcome not in CLOSING_OUTCOMES
                ]
                if not completed:
                    break
                share = sum(self.stage1_on_time(draft) for draft in completed) / len(completed)
                if abs(share - target) <= 0.025:
                    break
                make_on_time = share < target
                longest = 10 if make_on_time else 35
                options = [
                    draft
                    for draft in completed
                    if self.stage1_on_time(draft) != make_on_time
                    and not draft.planted
                    and draft.s1.hold is None
                    and draft.received_date >= first
                    and self.add(draft.received_date, longest) <= horizon
                ]
                if not options:
                    break
                draft = rng.choice(options)
                draft.s1 = _Stage1Script(
                    response_wd=rng.randint(5, 10) if make_on_time else rng.randint(11, 35), outcome=draft.s1.outcome
                )
                self.interpret_stage1(draft)

    def escalate_to_stage2(self, drafts: list[_Draft]) -> None:
        """Choose which stage 1 complaints go on to stage 2, so that each year's escalation rate (stage 2 requests
        received ÷ stage 1 completed less withdrawn, interchange §2) is between 13% and 21%."""
        rng = self.rng
        for first, last in self.windows:
            completed = [
                draft
                for draft in drafts
                if draft.statutory
                and (stage := draft.stage(1)) is not None
                and stage.response_date is not None
                and first <= stage.response_date <= last
                and stage.outcome != c.Outcome.WITHDRAWN
            ]
            already = [
                draft
                for draft in drafts
                if (stage := draft.stage(2)) is not None and first <= stage.received_date <= last
            ]
            wanted = round(len(completed) * rng.uniform(0.13, 0.21)) - len(already)
            horizon = min(last, self.end)
            weights: dict[str, float] = {c.Outcome.NOT_UPHELD: 3.0, c.Outcome.PARTLY_UPHELD: 2.0, c.Outcome.UPHELD: 1.0}
            candidates: list[tuple[_Draft, date, float]] = []
            for draft in completed:
                stage1 = _present(draft.stage(1))
                responded = _present(stage1.response_date)
                if (
                    not draft.planted
                    and draft.s2 is None
                    and stage1.outcome in weights
                    and self.between(responded, horizon) >= 3
                ):
                    candidates.append((draft, responded, weights[stage1.outcome]))
            chosen: list[tuple[_Draft, date]] = []
            while len(chosen) < min(wanted, len(candidates)):
                options = [((d, r), w) for d, r, w in candidates if all(d is not other for other, _ in chosen)]
                chosen.append(_weighted(rng, options))
            for draft, responded in chosen:
                room = self.between(responded, horizon)
                late = room > 24 and rng.random() < 0.08
                request_wd = rng.randint(21, min(30, room)) if late else rng.randint(3, min(20, room))
                draft.s2 = self.natural_stage2(request_wd, late=late)
                self.interpret_stage2(draft)

    def escalate_to_stage3(self, drafts: list[_Draft]) -> None:
        """A few review panels a year (R1.29-R1.33), from stage 2 complaints adjudicated that year."""
        rng = self.rng
        for first, last in self.windows:
            horizon = min(last, self.end)
            existing = [
                draft
                for draft in drafts
                if (stage := draft.stage(3)) is not None and first <= stage.received_date <= last
            ]
            candidates = [
                draft
                for draft in drafts
                if draft.s3 is None
                and (stage := draft.stage(2)) is not None
                and stage.response_date is not None
                and stage.outcome in MERITS
                and first <= stage.response_date <= last
                and self.between(stage.response_date, horizon) >= 5
            ]
            wanted = max(0, rng.randint(1, 3) - len(existing))
            for draft in rng.sample(candidates, min(wanted, len(candidates))):
                room = self.between(_present(_present(draft.stage(2)).response_date), horizon)
                panel_on_time = rng.random() < 0.6
                draft.s3 = _Stage3Script(
                    request_wd=rng.randint(5, min(20, room)),
                    panel_wd=rng.randint(18, 30) if panel_on_time else rng.randint(31, 45),
                    report_wd=rng.randint(3, 5) if rng.random() < 0.85 else rng.randint(6, 9),
                    response_wd=rng.randint(8, 15) if rng.random() < 0.9 else rng.randint(16, 19),
                )
                self.interpret_stage3(draft)

    def escalate_corporate(self, drafts: list[_Draft], council: t.CouncilText) -> None:
        """Choose which corporate complaints go on to stage 2 (R3.6): about one in five of each year's stage 1
        responses on the merits, as councils following the Complaint Handling Code report, and at least one a year
        where one could. Stage 2 is acknowledged, then answered by a senior officer, mostly within its 20 working
        days of the acknowledgement, sometimes with an extension or late; a few requests come after the window and
        are accepted (R1.22 by analogy).

        The choices draw on their own generator, seeded from the seed and the council, and take nothing from the
        one the council's statutory complaints were planned with.
        """
        rng = random.Random(f"corporate-stage2:{self.seed}:{council.slug}")
        weights: dict[str, float] = {c.Outcome.NOT_UPHELD: 3.0, c.Outcome.PARTLY_UPHELD: 2.0, c.Outcome.UPHELD: 1.0}
        for first, last in self.windows:
            horizon = min(last, self.end)
            completed: list[tuple[_Draft, date]] = []
            for draft in drafts:
                stage1 = draft.stage(1)
                if (
                    draft.procedure == c.Procedure.CORPORATE
                    and stage1 is not None
                    and stage1.response_date is not None
                    and first <= stage1.response_date <= last
                    and stage1.outcome in weights
                    and draft.stage(2) is None
                ):
                    completed.append((draft, stage1.response_date))
            # Room to ask within the end date: the request comes at least 3 working days after the response.
            candidates = [i for i, (_, responded) in enumerate(completed) if self.between(responded, horizon) >= 3]
            if not candidates:
                continue
            wanted = min(len(candidates), max(1, round(len(completed) * rng.uniform(0.15, 0.25))))
            chosen: list[int] = []
            while len(chosen) < wanted:
                options = [(i, weights[_present(completed[i][0].stage(1)).outcome]) for i in candidates]
                chosen.append(_weighted(rng, [(i, w) for i, w in options if i not in chosen]))
            for i in sorted(chosen):
                draft, responded = completed[i]
                self.corporate_stage2(rng, draft, responded, horizon)
                draft.remedies += self.stage_remedies(rng, draft.stages[-1])

    def corporate_stage2(self, rng: random.Random, draft: _Draft, responded: date, horizon: date) -> None:
        room = self.between(responded, horizon)
        late = room > 24 and rng.random() < 0.1
        request = self.add(responded, rng.randint(21, min(30, room)) if late else rng.randint(3, min(20, room)))
        acknowledged = self.add(request, rng.randint(1, 5))
        kind = _weighted(rng, (("within", 70), ("extended", 15), ("late", 15)))
        extension = None
        if kind == "within":
            response = self.add(acknowledged, rng.randint(8, 20))
        elif kind == "extended":
            extended_to = rng.randint(25, 40)  # the Code allows 20 more working days (R3.6)
            notified = self.add(acknowledged, rng.randint(10, 19))
            if self.happened(notified):
                extension = ExtensionPlan(
                    extended_due_date=self.add(acknowledged, extended_to),
                    reason=rng.choice(t.EXTENSION_REASONS_CORPORATE_STAGE2),
                    notified_date=notified,
                )
            response = self.add(acknowledged, rng.randint(21, extended_to))
        else:
            response = self.add(acknowledged, rng.randint(21, 32))
        outcome = _weighted(rng, ((c.Outcome.NOT_UPHELD, 50), (c.Outcome.PARTLY_UPHELD, 30), (c.Outcome.UPHELD, 20)))
        answered = self.happened(response)
        draft.stages.append(
            StagePlan(
                number=2,
                received_date=request,
                late_request_accepted=True if late else None,
                late_request_reason=rng.choice(t.LATE_REQUEST_REASONS) if late else "",
                acknowledged_date=self.happened(acknowledged),
                extension=extension,
                response_date=answered,
                outcome=outcome if answered else "",
            )
        )

    # -- other representations, the Ombudsman and learning ---------------------------------------------------------

    def representations(self, teams: Sequence[TeamPlan], council: t.CouncilText) -> list[RepresentationPlan]:
        rng = self.rng
        plans: list[RepresentationPlan] = []
        # (kind, how many a year, working days to respond)
        volumes = (
            (c.Kind.POTENTIAL_COMPLAINT, (10, 22), (0, 6)),
            (c.Kind.QUERY, (25, 50), (1, 12)),
            (c.Kind.MP_ENQUIRY, (15, 30), (5, 20)),
            (c.Kind.MEMBER_ENQUIRY, (10, 22), (3, 15)),
            (c.Kind.COMPLIMENT, (15, 35), (1, 5)),
        )
        for first, last in self.windows:
            for kind, (low, high), (fastest, slowest) in volumes:
                for _ in range(rng.randint(low, high)):
                    received = self.working_day_in(first, last)
                    team_keys = self.pick_teams(teams, received, corporate=rng.random() < 0.12, count=1)
                    responded = self.happened(self.add(received, rng.randint(fastest, slowest)))
                    enquirer = compliment = None
                    outcome = ""
                    if kind == c.Kind.POTENTIAL_COMPLAINT:
                        topic = rng.choice(t.POTENTIAL_TOPICS)
                        summary = "Concern raised with the complaints team and resolved without a formal complaint."
                        outcome = c.Outcome.RESOLVED_INFORMALLY if responded else ""
                    elif kind == c.Kind.QUERY:
                        topic = rng.choice(t.QUERY_TOPICS)
                        summary = "Request for information passed to the team and answered."
                    elif kind == c.Kind.MP_ENQUIRY:
                        topic = rng.choice(t.MP_TOPICS)
                        summary = "Enquiry on behalf of a constituent."
                        enquirer = EnquirerPlan(
                            enquirer_type=c.EnquirerType.MP,
                            name=f"{self.fake.first_name()} {self.fake.last_name()} MP",
                            constituency_or_ward=rng.choice(council.constituencies),
                        )
                    elif kind == c.Kind.MEMBER_ENQUIRY:
                        topic = rng.choice(t.MEMBER_TOPICS)
                        summary = "Enquiry from a ward councillor on behalf of a resident."
                        enquirer = EnquirerPlan(
                            enquirer_type=c.EnquirerType.COUNCILLOR,
                            name=f"Councillor {self.fake.first_name()} {self.fake.last_name()}",
                            constituency_or_ward=f"{rng.choice(council.wards)} ward",
                        )
                    else:
                        quote = rng.choice(t.COMPLIMENT_QUOTES)
                        topic = "Compliment"
                        summary = quote
                        compliment = ComplimentPlan(
                            about_team=team_keys[0] if team_keys else None,
                            about_person=rng.choice(t.COMPLIMENT_ABOUT),
                            quote=quote,
                        )
                    plans.append(
                        RepresentationPlan(
                            key="",
                            reference="",
                            kind=kind,
                            received_date=received,
                            topic=topic,
                            summary=summary,
                            teams=tuple(team_keys),
                            owner=self.owner(),
                            enquirer=enquirer,
                            compliment=compliment,
                            responded_date=responded,
                            outcome=outcome,
                        )
                    )
        return plans

    def ombudsman(self, complaints: Sequence[ComplaintPlan]) -> list[OmbudsmanPlan]:
        """Ombudsman cases (§4), most about a complaint that has been through the procedure; decisions in the
        LGSCO's vocabulary, with the Ombudsman's own wording kept beside them (R4.1-R4.4)."""
        rng = self.rng
        plans: list[OmbudsmanPlan] = []
        used: set[str] = set()
        for first, last in self.windows:
            finished = []
            for complaint in complaints:
                final = complaint.current_stage
                if (
                    complaint.procedure == c.Procedure.CHILDREN_STATUTORY
                    and final.response_date is not None
                    and final.outcome in (*MERITS, c.Outcome.RESOLVED_INFORMALLY)
                    and first <= final.response_date <= last
                    and complaint.key not in used
                    and self.between(final.response_date, self.end) > 15
                ):
                    finished.append(complaint)
            weights = [4.0 if complaint.current_stage.number > 1 else 1.0 for complaint in finished]
            count = min(len(finished), rng.randint(2, 5))
            chosen: list[ComplaintPlan] = []
            while len(chosen) < count:
                pick = rng.choices(finished, weights=weights, k=1)[0]
                if pick not in chosen:
                    chosen.append(pick)
            sources: list[tuple[ComplaintPlan | None, date]] = [
                (complaint, _present(complaint.current_stage.response_date)) for complaint in chosen
            ]
            if rng.random() < 0.5:
                # Someone who went to the Ombudsman without complaining to the council first.
                sources.append((None, self.working_day_in(first, last)))
            for source, after in sources:
                room = self.between(after, self.end)
                if room < 10:
                    continue
                received = self.add(after, rng.randint(10, min(60, room)))
                if source is not None:
                    used.add(source.key)
                    decision = (
                        _weighted(
                            rng,
                            (
                                ("closed_after_initial_enquiries", 35),
                                ("upheld_fault_injustice", 25),
                                ("not_upheld", 15),
                                ("upheld_fault_no_injustice", 8),
                                ("upheld_remedied_by_council", 10),
                                ("out_of_jurisdiction", 7),
                            ),
                        )
                        if source.current_stage.number > 1
                        else _weighted(
                            rng, (("premature", 50), ("closed_after_initial_enquiries", 35), ("advice_given", 15))
                        )
                    )
                else:
                    decision = _weighted(rng, (("premature", 70), ("advice_given", 30)))
                investigated = decision.startswith("upheld") or decision == "not_upheld"
                decided = self.happened(
                    self.add(received, rng.randint(40, 130) if investigated else rng.randint(10, 40))
                )
                plan_decision = None
                if decided:
                    fault = True if decision.startswith("upheld") else (False if decision == "not_upheld" else None)
                    injustice = {
                        "upheld_fault_injustice": True,
                        "upheld_fault_no_injustice": False,
                        "upheld_remedied_by_council": True,
                    }.get(decision)
                    payment = None
                    compliance_due = complied = None
                    if decision in ("upheld_fault_injustice", "upheld_fault_no_injustice"):
                        if decision == "upheld_fault_injustice" and rng.random() < 0.7:
                            payment = _money(rng, 150, 1000, 50)
                        compliance_due = add_calendar_months(decided, rng.randint(1, 3))
                        roll = rng.random()
                        # Most recommendations are met on time; one now and then late.
                        complied_on = (
                            compliance_due - timedelta(days=rng.randint(1, 25))
                            if roll < 0.8
                            else compliance_due + timedelta(days=rng.randint(3, 20))
                        )
                        complied = self.happened(max(complied_on, decided))
                    plan_decision = OmbudsmanDecisionPlan(
                        decision=decision,
                        decision_label=t.LGSCO_LABELS[decision],
                        decision_date=decided,
                        fault_found=fault,
                        injustice_found=injustice,
                        recommended_payment=payment,
                        compliance_due_date=compliance_due,
                        complied_date=complied,
                    )
                answered = None
                if investigated:
                    # The council answers the Ombudsman's enquiries, usually before the 20 working days are up.
                    answered = self.happened(self.add(received, rng.randint(10, 24)))
                    if answered and decided and answered > decided:
                        answered = decided
                # Invented references in the Ombudsman's "24 011 510" style.
                lgsco_reference = f"{received.year % 100:02d} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"
                plans.append(
                    OmbudsmanPlan(
                        key="",
                        reference="",
                        received_date=received,
                        lgsco_reference=lgsco_reference,
                        complaint=source.key if source is not None else None,
                        enquiry_due_date=self.add(received, 20) if investigated else None,
                        enquiry_responded_date=answered,
                        summary=rng.choice(t.LGSCO_SUMMARIES),
                        owner="manager",
                        decision=plan_decision,
                    )
                )
        return plans

    def learning(self, complaints: Sequence[ComplaintPlan], teams: Sequence[TeamPlan]) -> list[LearningActionPlan]:
        """Learning actions from upheld complaints (R1.40 item 10): some implemented with evidence, some not
        implemented with a reason, some overdue, some not yet due."""
        rng = self.rng
        plans: list[LearningActionPlan] = []
        for first, last in self.windows:
            sources: list[tuple[ComplaintPlan, StagePlan]] = []
            for complaint in complaints:
                for stage in complaint.stages:
                    if stage.outcome in UPHELD_ANY and stage.response_date and first <= stage.response_date <= last:
                        sources.append((complaint, stage))
            for complaint, stage in rng.sample(sources, min(len(sources), rng.randint(5, 9))):
                created = _present(stage.response_date)
                finding, action = rng.choice(t.LEARNING)
                due = add_calendar_months(created, rng.randint(1, 4))
                related = [complaint.key]
                if rng.random() < 0.15:
                    other = rng.choice(sources)[0]
                    if other.key != complaint.key:
                        related.append(other.key)
                team = self.successor_on(teams, complaint.teams[0], created) if complaint.teams else None
                status: str
                implemented = None
                evidence = reason = ""
                if due > self.end:
                    status = rng.choice((c.LearningActionStatus.PLANNED, c.LearningActionStatus.IN_PROGRESS))
                else:
                    roll = rng.random()
                    if roll < 0.65:
                        status = c.LearningActionStatus.IMPLEMENTED
                        latest = min(self.add(due, 15), self.end)
                        earliest = min(self.add(created, 10), latest)
                        implemented = self.working_day_in(earliest, latest)
                        evidence = rng.choice(t.EVIDENCE)
                    elif roll < 0.8:
                        status = c.LearningActionStatus.NOT_IMPLEMENTED
                        reason = rng.choice(t.NOT_IMPLEMENTED_REASONS)
                    else:
                        status = c.LearningActionStatus.IN_PROGRESS  # overdue
                plans.append(
                    LearningActionPlan(
                        key="",
                        cases=tuple(related),
                        finding=finding,
                        action=action,
                        owner="manager",
                        team=team,
                        created_date=created,
                        due_date=due,
                        status=status,
                        implemented_date=implemented,
                        evidence=evidence,
                        not_implemented_reason=reason,
                    )
                )
        plans.sort(key=lambda plan: (plan.created_date, plan.cases))
        return plans

    # -- freezing ------------------------------------------------------------------------------------------------

    def council(self, index: int) -> CouncilPlan:
        text = t.COUNCILS[index]
        areas, teams, restructures = self.structure()
        drafts = self.complaints(teams, text)
        complaints = [self.freeze(draft, key=f"C{n:04d}") for n, draft in enumerate(drafts, start=1)]
        representations = [
            replace(plan, key=f"R{n:04d}")
            for n, plan in enumerate(sorted(self.representations(teams, text), key=lambda p: p.received_date), start=1)
        ]
        ombudsman = [
            replace(plan, key=f"O{n:03d}")
            for n, plan in enumerate(sorted(self.ombudsman(complaints), key=lambda p: p.received_date), start=1)
        ]
        learning = [replace(plan, key=f"L{n:03d}") for n, plan in enumerate(self.learning(complaints, teams), start=1)]
        references = self.references(text.reference_prefix, [*complaints, *representations, *ombudsman])
        return CouncilPlan(
            name=text.name,
            slug=text.slug,
            reference_prefix=text.reference_prefix,
            service_areas=areas,
            teams=teams,
            restructures=restructures,
            complaints=tuple(replace(plan, reference=references[plan.key]) for plan in complaints),
            representations=tuple(replace(plan, reference=references[plan.key]) for plan in representations),
            ombudsman_cases=tuple(replace(plan, reference=references[plan.key]) for plan in ombudsman),
            learning_actions=tuple(learning),
        )

    @staticmethod
    def references(prefix: str, cases: Sequence[ComplaintPlan | RepresentationPlan | OmbudsmanPlan]) -> dict[str, str]:
        """References as the services number them, ``PREFIX-YYYY-NNNN`` per calendar year, in ``registration_order``."""
        per_year: dict[int, int] = {}
        references = {}
        for case in sorted(cases, key=registration_order):
            year = case.received_date.year
            per_year[year] = per_year.get(year, 0) + 1
            references[case.key] = f"{prefix}-{year}-{per_year[year]:04d}"
        return references

    def freeze(self, draft: _Draft, *, key: str) -> ComplaintPlan:
        return ComplaintPlan(
            key=key,
            reference="",
            procedure=draft.procedure,
            received_date=draft.received_date,
            received_via=draft.received_via,
            summary=draft.summary,
            complainants=tuple(draft.complainants),
            children=tuple(draft.children),
            teams=tuple(draft.teams),
            issues=tuple(draft.issues),
            owner=draft.owner,
            grounds_arose_date=draft.grounds_arose_date,
            late_acceptance=draft.late_acceptance,
            start_stage=draft.start_stage,
            stage1_skipped_reason=draft.stage1_skipped_reason,
            advocacy_offered=draft.advocacy_offered,
            advocacy_provided=draft.advocacy_provided,
            advocate_name=draft.advocate_name,
            advocate_organisation=draft.advocate_organisation,
            sufficient_interest=draft.sufficient_interest,
            accepted=draft.accepted,
            decline=draft.decline,
            mediation=draft.mediation,
            points=tuple(draft.points),
            stages=tuple(draft.stages),
            withdrawal_note=draft.withdrawal_note,
            remedies=tuple(draft.remedies),
            closures=self.closures(draft),
        )

    def closures(self, draft: _Draft) -> tuple[ClosurePlan, ...]:
        """Close the case as the daily job does (``complaints_close_after_window``): on the last day of the window
        to ask for the next stage, by a run the day after it, so only a window that ended before the end date, and
        only when no request came within it; reopen it for a late request the council accepted (R1.22, R1.29)."""
        closures = []
        for i, stage in enumerate(draft.stages):
            if stage.response_date is None or stage.outcome in CLOSING_OUTCOMES:
                continue
            if stage.number == LAST_STAGE[draft.procedure]:
                continue
            closed = self.add(stage.response_date, REQUEST_WINDOW_WORKING_DAYS)
            following = draft.stages[i + 1] if i + 1 < len(draft.stages) else None
            if closed >= self.end or (following is not None and following.received_date <= closed):
                continue
            closures.append(
                ClosurePlan(
                    closed_date=closed,
                    reopened_date=following.received_date if following else None,
                    reopen_reason=(
                        f"A late request for stage {following.number} was accepted." if following else ""  # R1.22
                    ),
                )
            )
        return tuple(closures)

    def plan(self) -> DemoPlan:
        users = self.users()
        councils = tuple(self.council(index) for index in range(self.council_count))
        return DemoPlan(
            seed=self.seed,
            years=self.years,
            start_date=self.start,
            end_date=self.end,
            users=users,
            councils=councils,
        )


_KIND_ORDER = {ComplaintPlan: 0, RepresentationPlan: 1, OmbudsmanPlan: 2}


def registration_order(case: ComplaintPlan | RepresentationPlan | OmbudsmanPlan) -> tuple[date, int, str]:
    """The order the builder registers a council's cases in: by date received, then complaints, other
    representations and Ombudsman cases, then by key. References are numbered in this order."""
    return (case.received_date, _KIND_ORDER[type(case)], case.key)


def plan_demo(
    *, seed: int, years: int, end_date: date, councils: int = 1, calendar: WorkingDayCalendar | None = None
) -> DemoPlan:
    """Plan ``years`` years of synthetic data for ``councils`` councils, ending on ``end_date``.

    The same arguments always give an equal plan. ``calendar`` defaults to the statutory England and Wales
    calendar; pass the one with the installation's overrides so the plan's working days match the services'.
    """
    if years < 1:
        raise ValueError("Plan at least one year of demonstration data.")
    if not 1 <= councils <= MAX_COUNCILS:
        raise ValueError(f"The demonstration data has 1 to {MAX_COUNCILS} councils, not {councils}.")
    planner = _Planner(
        seed=seed,
        years=years,
        councils=councils,
        end_date=end_date,
        calendar=calendar or england_and_wales_calendar(),
    )
    return planner.plan()


# -- reading a plan -----------------------------------------------------------------------------------------------


def stage_due_date(*, complaint: ComplaintPlan, stage: StagePlan, calendar: WorkingDayCalendar) -> date | None:
    """The date the next step of an open statutory stage is due, from the deadline engine (R1.20, R1.26, R1.31-R1.33):
    the response at stages 1 and 2 (the agreed extended date where there is one), and at stage 3 whichever of the
    panel, its report and the council's response comes next. None for other procedures."""
    if complaint.procedure != c.Procedure.CHILDREN_STATUTORY:
        return None
    if stage.number == 1:
        anchors = {"received": stage.received_date}
        agreed = {"stage1_response": stage.extension.extended_due_date} if stage.extension else None
        key = "stage1_response"
    elif stage.number == 2:
        anchors = {"stage2_request_received": stage.received_date}
        if stage.statement_agreed_date is not None:
            anchors["stage2_start"] = stage.statement_agreed_date
        agreed = {"stage2_response": stage.extension.extended_due_date} if stage.extension else None
        key = "stage2_response"
    else:
        anchors = {"stage3_request_received": stage.received_date}
        key = "stage3_panel"
        if stage.panel_date is not None:
            anchors["panel_held"] = stage.panel_date
            key = "stage3_panel_report"
        if stage.panel_report_date is not None:
            anchors["panel_report_received"] = stage.panel_report_date
            key = "stage3_response"
        agreed = None
    dues = stage_due_dates(
        procedure=CHILDREN_STATUTORY, stage=stage.number, anchors=anchors, calendar=calendar, agreed=agreed
    )
    return next(due.applicable_due_on for due in dues if due.key == key)
