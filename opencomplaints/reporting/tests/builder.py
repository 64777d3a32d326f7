"""Case-level fixtures built straight into the tables (bulk inserts), for selector and acceptance tests.

Rows are created as the case services would leave them; names are synthetic.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps

from opencomplaints.cases.models import (
    Case,
    CaseChild,
    CaseComplainant,
    CaseIssue,
    CaseTeam,
    ComplimentDetail,
    OmbudsmanDetail,
    Person,
    Remedy,
    Stage,
)
from opencomplaints.cases.stage_values import stage_values_copy
from opencomplaints.councils.models import Council, IssueCategory, RemedyType, ServiceArea, Team


@dataclass
class S:
    """One stage of a complaint."""

    number: int
    received: date
    responded: date | None = None
    outcome: str = ""
    extended: bool = False
    statement_agreed: date | None = None
    panel: date | None = None
    panel_report: date | None = None
    compensation: Decimal | str | int | None = None
    remedies: tuple[str, ...] = ()


@dataclass
class Child:
    """A child a complaint concerns (a complaint may concern several)."""

    age: int | None = None
    sex: str = "unknown"
    ethnicity: str = ""
    disability: str = "unknown"
    support: str = "unknown"


@dataclass
class _Pending:
    case: Case
    stages: list[S] = field(default_factory=list)
    teams: list[tuple[str, str]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    complainant: dict[str, Any] | None = None
    children: list[Child] = field(default_factory=list)
    ombudsman: dict[str, Any] | None = None
    compliment: dict[str, Any] | None = None
    remedies: list[tuple[str, Decimal | None]] = field(default_factory=list)


class CaseBuilder:
    def __init__(self, council: Council) -> None:
        self.council = council
        self._numbers = itertools.count(Case.objects.filter(council=council).count() + 1)
        self._areas: dict[str, ServiceArea] = {}
        self._teams: dict[str, Team] = {}
        self._issues: dict[str, IssueCategory] = {}
        self._remedy_types: dict[str, RemedyType] = {}
        self._pending: list[_Pending] = []

    # -- configuration ---------------------------------------------------------------------------------------

    def area(self, name: str) -> ServiceArea:
        if name not in self._areas:
            self._areas[name] = ServiceArea.objects.create(council=self.council, name=name)
        return self._areas[name]

    def team(self, name: str, area: str) -> Team:
        if name not in self._teams:
            self._teams[name] = Team.objects.create(council=self.council, service_area=self.area(area), name=name)
        return self._teams[name]

    def issue(self, name: str) -> IssueCategory:
        if name not in self._issues:
            self._issues[name], _ = IssueCategory.objects.get_or_create(council=self.council, name=name)
        return self._issues[name]

    def remedy_type(self, code: str) -> RemedyType:
        if code not in self._remedy_types:
            self._remedy_types[code], _ = RemedyType.objects.get_or_create(
                council=self.council, code=code, defaults={"name": code.replace("_", " ").capitalize()}
            )
        return self._remedy_types[code]

    # -- cases -----------------------------------------------------------------------------------------------

    def _case(self, kind: str, received: date, **fields) -> Case:
        return Case(
            council=self.council,
            reference=f"{self.council.reference_prefix}-{next(self._numbers):05d}",
            kind=kind,
            received_date=received,
            **fields,
        )

    def complaint(
        self,
        *stages: S,
        procedure: str = "children_statutory",
        teams: tuple[tuple[str, str], ...] = (),
        issues: tuple[str, ...] = (),
        complainant_type: str = "parent_relative",
        received_via: str = "email",
        support: str = "unknown",
        child_age: int | None = None,
        child_sex: str = "unknown",
        child_ethnicity: str = "",
        complainant_born: date | None = None,
        complainant_sex: str = "unknown",
        complainant_ethnicity: str = "",
        advocacy: bool | None = None,
        mediation: str = "none",
        summary: str = "",
        with_child: bool = True,
        children: tuple[Child, ...] | None = None,
    ) -> None:
        """``children`` replaces the one child the ``child_*`` and ``support`` arguments describe."""
        first = min(stages, key=lambda s: s.number)
        case = self._case(
            "complaint",
            first.received,
            procedure=procedure,
            received_via=received_via,
            advocacy_provided=advocacy,
            mediation=mediation,
            summary=summary,
        )
        pending = _Pending(case=case, stages=list(stages), teams=list(teams), issues=list(issues))
        pending.complainant = {
            "type": complainant_type,
            "born": complainant_born,
            "sex": complainant_sex,
            "ethnicity": complainant_ethnicity,
        }
        if children is not None:
            pending.children = list(children)
        elif with_child:
            pending.children = [Child(age=child_age, sex=child_sex, ethnicity=child_ethnicity, support=support)]
        self._pending.append(pending)

    def other(
        self,
        kind: str,
        received: date,
        *,
        responded: date | None = None,
        topic: str = "",
        decision: str | None = None,
        decision_label: str = "",
        payment: Decimal | str | None = None,
        quote: str = "",
        about_person: str = "",
        teams: tuple[tuple[str, str], ...] = (),
    ) -> None:
        case = self._case(kind, received, responded_date=None if kind == "ombudsman" else responded, topic=topic)
        pending = _Pending(case=case, teams=list(teams))
        if kind == "ombudsman":
            pending.ombudsman = {
                "decision": decision or "in_progress",
                "date": responded,
                "label": decision_label,
                "payment": Decimal(payment) if payment is not None else None,
            }
        if kind == "compliment":
            pending.compliment = {"quote": quote, "about_person": about_person}
        self._pending.append(pending)

    def flush(self) -> list[Case]:
        """Insert everything added since the last flush, in a few bulk inserts."""
        pending, self._pending = self._pending, []
        if not pending:
            return []
        cases = Case.objects.bulk_create([p.case for p in pending])
        people: list[Person] = []
        for p in pending:
            if p.complainant is not None:
                c = p.complainant
                code = c["ethnicity"]
                people.append(
                    Person(
                        council=self.council,
                        first_name="Sam",
                        last_name=f"Example{p.case.reference}",
                        date_of_birth=c["born"],
                        sex=c["sex"],
                        ethnicity_code=code,
                        ethnicity_scheme="census_2021" if code else "",
                    )
                )
            for n, child in enumerate(p.children):
                people.append(
                    Person(
                        council=self.council,
                        first_name=f"Kit{n}",
                        last_name=f"Example{p.case.reference}",
                        sex=child.sex,
                        ethnicity_code=child.ethnicity,
                        ethnicity_scheme="dfe_csc" if child.ethnicity else "",
                        disability=child.disability,
                    )
                )
        people = Person.objects.bulk_create(people)
        people_iter = iter(people)
        stages: list[Stage] = []
        stage_specs: list[S] = []
        links_team, links_issue, complainants, details_o, details_c = [], [], [], [], []
        children: list[CaseChild] = []
        for p, case in zip(pending, cases, strict=True):
            for position, (team, area) in enumerate(p.teams):
                t = self.team(team, area)
                links_team.append(CaseTeam(case=case, team=t, service_area=t.service_area, position=position))
            for position, issue in enumerate(p.issues):
                links_issue.append(CaseIssue(case=case, category=self.issue(issue), position=position))
            if p.complainant is not None:
                complainants.append(
                    CaseComplainant(case=case, person=next(people_iter), complainant_type=p.complainant["type"])
                )
            children.extend(
                CaseChild(case=case, person=next(people_iter), age_at_receipt=child.age, support_category=child.support)
                for child in p.children
            )
            for spec in p.stages:
                stages.append(
                    Stage(
                        case=case,
                        number=spec.number,
                        received_date=spec.received,
                        start_date=spec.statement_agreed or spec.received,
                        statement_agreed_date=spec.statement_agreed,
                        extended=spec.extended,
                        extended_due_date=spec.received + timedelta(days=90) if spec.extended else None,
                        extension_reason="Complex" if spec.extended else "",
                        extension_notified_date=spec.received if spec.extended else None,
                        response_date=spec.responded,
                        outcome=spec.outcome if spec.responded else "",
                        panel_date=spec.panel,
                        panel_report_date=spec.panel_report,
                    )
                )
                stage_specs.append(spec)
            if p.ombudsman is not None:
                o = p.ombudsman
                details_o.append(
                    OmbudsmanDetail(
                        case=case,
                        decision=o["decision"],
                        decision_date=o["date"],
                        decision_label=o["label"],
                        recommended_payment=o["payment"],
                    )
                )
            if p.compliment is not None:
                praised = self.team(*p.teams[0]) if p.teams else None
                details_c.append(
                    ComplimentDetail(
                        case=case,
                        quote=p.compliment["quote"],
                        about_person=p.compliment["about_person"],
                        about_team=praised,
                    )
                )
        CaseTeam.objects.bulk_create(links_team)
        CaseIssue.objects.bulk_create(links_issue)
        CaseComplainant.objects.bulk_create(complainants)
        CaseChild.objects.bulk_create(children)
        OmbudsmanDetail.objects.bulk_create(details_o)
        ComplimentDetail.objects.bulk_create(details_c)
        stages = Stage.objects.bulk_create(stages)
        remedies = []
        for stage, spec in zip(stages, stage_specs, strict=True):
            amount = Decimal(spec.compensation) if spec.compensation is not None else None
            if amount is not None:
                remedies.append(
                    Remedy(case=stage.case, stage=stage, remedy_type=self.remedy_type("financial"), amount=amount)
                )
            remedies.extend(
                Remedy(case=stage.case, stage=stage, remedy_type=self.remedy_type(code)) for code in spec.remedies
            )
        Remedy.objects.bulk_create(remedies)
        # Each stage keeps its own details; the builder gives every stage its case's (as registration does).
        stage_values_copy(models=apps, stage_ids=[stage.pk for stage in stages])
        return cases
