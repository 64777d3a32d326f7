"""Reads for the case page: everything about one case in a fixed number of queries, however many stages, points,
remedies, documents or events it has (one query per kind of record, never one per row).

Callers pass a case they obtained through ``opencomplaints.cases.access``; these functions do not check access.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from opencomplaints.cases import constants as c
from opencomplaints.cases import deadlines as case_deadlines
from opencomplaints.cases import rules
from opencomplaints.cases.models import (
    Case,
    CaseChild,
    CaseComplainant,
    ComplaintPoint,
    Deadline,
    Hold,
    LearningAction,
    OmbudsmanDetail,
    PanelMember,
    PointFinding,
    Recommendation,
    Remedy,
    Stage,
)
from opencomplaints.cases.selectors import TimelineEntry, case_possible_duplicates, case_timeline
from opencomplaints.cases.warnings import case_warnings
from opencomplaints.casework.models import Document
from opencomplaints.councils.models import Council, EthnicityCategory
from opencomplaints.deadlines import Procedure
from opencomplaints.notifications.models import Message
from opencomplaints.notifications.selectors import message_list_for_case

__all__ = [
    "CaseBrief",
    "CasePage",
    "DeadlineRow",
    "PointRow",
    "PossibleDuplicates",
    "StageView",
    "case_brief",
    "case_page",
    "case_request_window",
    "deadline_state",
    "ethnicity_categories",
    "possible_duplicates",
]


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    state: str  # "met", "met_late", "overdue", "due", "window_open", "window_closed", "requested"
    state_label: str

    @property
    def is_overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def adjusted(self) -> date | None:
        """The due date moved on by days on hold (R1.37), where it differs from the statutory one."""
        adjusted = self.deadline.adjusted_due_date
        return adjusted if adjusted is not None and adjusted != self.deadline.effective_due_date else None


@dataclass
class PointRow:
    point: ComplaintPoint
    findings: dict[int, PointFinding] = field(default_factory=dict)  # by stage number


@dataclass
class StageView:
    stage: Stage
    holds: list[Hold] = field(default_factory=list)
    panel: list[PanelMember] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    findings: list[PointFinding] = field(default_factory=list)
    deadlines: list[DeadlineRow] = field(default_factory=list)

    @property
    def open_hold(self) -> Hold | None:
        return next((h for h in self.holds if h.end_date is None), None)

    @property
    def chair(self) -> PanelMember | None:
        return next((m for m in self.panel if m.role == c.PanelRole.CHAIR), None)


@dataclass
class CasePage:
    case: Case
    today: date
    complainants: list[CaseComplainant]
    children: list[CaseChild]
    teams: list[str]
    issues: list[str]
    stages: list[StageView]
    points: list[PointRow]
    deadlines: list[DeadlineRow]
    remedies: list[Remedy]
    learning_actions: list[LearningAction]
    documents: list[Document]
    timeline: list[TimelineEntry]
    messages: list[Message]
    linked_from: list[Case]
    ombudsman_cases: list[OmbudsmanDetail]
    # What the page warns about without refusing (cases.warnings: R1.14, R1.15).
    warnings: list[str] = field(default_factory=list)

    @property
    def open_stage(self) -> StageView | None:
        return next((s for s in self.stages if s.stage.response_date is None), None)

    @property
    def last_stage(self) -> StageView | None:
        return self.stages[-1] if self.stages else None

    @property
    def is_overdue(self) -> bool:
        return any(row.is_overdue for row in self.deadlines)

    @property
    def finding_stages(self) -> list[StageView]:
        """The stages the points table has a column for: those that record findings (R1.25) or have some."""
        return [
            view
            for view in self.stages
            if view.findings or (self.case.procedure, view.stage.number) in rules.FINDINGS_REQUIRED
        ]

    @property
    def on_hold(self) -> bool:
        return any(s.open_hold is not None for s in self.stages)

    @property
    def remedies_total(self) -> Decimal:
        return sum((r.amount for r in self.remedies if r.amount is not None), Decimal("0.00"))

    @property
    def remedies_overdue(self) -> set[int]:
        """The remedies approved but not paid or delivered by their due date."""
        return {r.pk for r in self.remedies if r.is_overdue(self.today)}

    @property
    def remedies_paid(self) -> Decimal:
        return sum((r.amount for r in self.remedies if r.amount is not None and r.paid_date), Decimal("0.00"))

    @property
    def is_complaint(self) -> bool:
        return self.case.kind == c.Kind.COMPLAINT

    @property
    def procedure(self) -> Procedure | None:
        if not self.is_complaint:
            return None
        return case_deadlines.procedure_for_case(self.case)

    @property
    def ombudsman(self) -> OmbudsmanDetail | None:
        return getattr(self.case, "ombudsman", None) if self.case.kind == c.Kind.OMBUDSMAN else None


def deadline_state(deadline: Deadline, today: date) -> tuple[str, str]:
    """Where a deadline stands on ``today``: met (on time or late), overdue, or still to come. A request window is
    the complainant's clock, so it is open, closed or used, never "overdue"."""
    due = deadline.effective_due_date
    if deadline.kind == c.DeadlineKind.REQUEST_WINDOW:
        if deadline.met_date is not None:
            return "requested", "Next stage asked for"
        if today > due:
            return "window_closed", "Window closed"
        return "window_open", "Open"
    if deadline.met_date is not None:
        if deadline.met_date <= due:
            return "met", "Met"
        return "met_late", "Met late"
    if today > due:
        return "overdue", "Overdue"
    return "due", "Due"


def case_page(*, case: Case, today: date) -> CasePage:
    """Everything the case page shows about ``case`` as it stands on ``today`` (17 queries, whatever its size)."""
    case = Case.objects.select_related(
        "council",
        "owner",
        "linked_case",
        "corporate_procedure",
        "ombudsman",
        "ombudsman__complaint",
        "enquiry",
        "compliment",
        "compliment__about_team",
    ).get(pk=case.pk)
    teams = [row.team.name for row in case.case_teams.select_related("team").order_by("position", "id")]
    issues = [row.category.name for row in case.case_issues.select_related("category").order_by("position", "id")]
    complainants = list(case.complainants.select_related("person").order_by("-is_primary", "id"))
    children = list(case.children.select_related("person").order_by("id"))

    stages = [
        StageView(stage=s)
        for s in case.stages.select_related(
            "investigating_officer", "investigating_contact", "independent_person", "independent_contact", "adjudicator"
        ).order_by("number")
    ]
    by_id = {view.stage.pk: view for view in stages}
    for view in stages:
        view.stage.case = case
    for hold in Hold.objects.filter(stage__case=case).order_by("start_date", "id"):
        by_id[hold.stage_id].holds.append(hold)
    for member in PanelMember.objects.filter(stage__case=case).select_related("user", "contact").order_by("id"):
        by_id[member.stage_id].panel.append(member)
    for view in stages:
        view.panel.sort(key=lambda m: m.role != c.PanelRole.CHAIR)
    for recommendation in Recommendation.objects.filter(stage__case=case).order_by("number"):
        by_id[recommendation.stage_id].recommendations.append(recommendation)

    points = [PointRow(point=p) for p in case.points.select_related("issue").order_by("number")]
    points_by_id = {row.point.pk: row for row in points}
    numbers = {view.stage.pk: view.stage.number for view in stages}
    for finding in PointFinding.objects.filter(stage__case=case).order_by("point__number"):
        finding.stage = by_id[finding.stage_id].stage
        finding.point = points_by_id[finding.point_id].point
        points_by_id[finding.point_id].findings[numbers[finding.stage_id]] = finding
        by_id[finding.stage_id].findings.append(finding)

    rows: list[DeadlineRow] = []
    for deadline in Deadline.objects.filter(case=case).order_by("due_date", "id"):
        if deadline.stage_id is not None:
            deadline.stage = by_id[deadline.stage_id].stage
        state, label = deadline_state(deadline, today)
        row = DeadlineRow(deadline=deadline, state=state, state_label=label)
        rows.append(row)
        if deadline.stage_id is not None:
            by_id[deadline.stage_id].deadlines.append(row)

    remedies = list(case.remedies.select_related("remedy_type", "proposed_by", "approved_by").order_by("id"))
    for remedy in remedies:
        if remedy.stage_id is not None and remedy.stage_id in by_id:
            remedy.stage = by_id[remedy.stage_id].stage
    learning = list(case.learning_actions.select_related("owner", "team").order_by("due_date", "id"))
    documents = list(case.documents.select_related("uploaded_by").order_by("-uploaded_at", "-id"))
    for document in documents:
        document.case = case
        if document.stage_id is not None and document.stage_id in by_id:
            document.stage = by_id[document.stage_id].stage
    timeline = case_timeline(case=case)
    timeline.reverse()
    linked_from = list(case.linked_from.order_by("-received_date", "-id"))
    ombudsman_cases = list(case.ombudsman_cases.select_related("case").order_by("-case__received_date"))

    return CasePage(
        case=case,
        today=today,
        complainants=complainants,
        children=children,
        teams=teams,
        issues=issues,
        stages=stages,
        points=points,
        deadlines=rows,
        remedies=remedies,
        learning_actions=learning,
        documents=documents,
        timeline=timeline,
        messages=list(message_list_for_case(case=case)),
        linked_from=linked_from,
        ombudsman_cases=ombudsman_cases,
        warnings=case_warnings(case=case),
    )


@dataclass(frozen=True)
class CaseBrief:
    """What an action page shows about the case it acts on."""

    case: Case
    people: list[str]


def case_brief(*, case: Case) -> CaseBrief:
    """The case and the names of its complainants (one query), for the summary above an action's form."""
    names = [str(row.person) for row in case.complainants.select_related("person").order_by("-is_primary", "id")]
    return CaseBrief(case=case, people=names)


def case_request_window(*, case: Case) -> Deadline | None:
    """The complainant's window to ask for the next stage, opened by the last response, if one is running."""
    return (
        Deadline.objects.filter(case=case, kind=c.DeadlineKind.REQUEST_WINDOW, met_date__isnull=True)
        .order_by("-due_date")
        .first()
    )


def ethnicity_categories() -> list[tuple[str, str, str]]:
    """Every ethnic group as (scheme, code, name), in each scheme's own order (R6.2, R6.3)."""
    return list(EthnicityCategory.objects.order_by("scheme", "position").values_list("scheme", "code", "name"))


@dataclass(frozen=True)
class PossibleDuplicates:
    """Cases of the same council received within 12 months that name the same person (R1.14)."""

    person: str
    cases: list[Case]


def possible_duplicates(
    *, council: Council, received_date: date, people: list[tuple[str, str, date | None]]
) -> list[PossibleDuplicates]:
    """For each (first name, last name, date of birth), the cases that may already be about the same person."""
    found: list[PossibleDuplicates] = []
    for first_name, last_name, born in people:
        cases = list(
            case_possible_duplicates(
                council=council,
                received_date=received_date,
                first_name=first_name,
                last_name=last_name,
                date_of_birth=born,
            )[:20]
        )
        if cases:
            found.append(PossibleDuplicates(person=f"{first_name} {last_name}".strip(), cases=cases))
    return found
