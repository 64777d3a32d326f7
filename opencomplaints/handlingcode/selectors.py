"""The Code's reads: the corporate report's own inputs (the same selectors, so the figures are the corporate
report's), the facts about each stage the Code asks for, the council's self-assessments and Ombudsman letters, and
the Ombudsman records to reconcile a letter with."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, OmbudsmanDetail, Stage
from opencomplaints.correspondence.models import Letter, LetterStatus
from opencomplaints.correspondence.steps import StepKey
from opencomplaints.councils.models import Council
from opencomplaints.handlingcode.metrics import Inputs, StageFacts
from opencomplaints.handlingcode.models import CouncilCode, OmbudsmanLetter, SelfAssessment
from opencomplaints.handlingcode.reconciliation import CouncilDecision
from opencomplaints.reporting.metrics.core_json import core_json
from opencomplaints.reporting.periods import Period
from opencomplaints.reporting.report import ReportInputs
from opencomplaints.reporting.selectors import records_for_report, report_inputs

__all__ = [
    "CodeData",
    "code_data",
    "council_codes",
    "council_decisions",
    "letter_for",
    "self_assessment_latest",
    "stage_facts",
    "statutory_cores",
]

CORPORATE = c.Procedure.CORPORATE
STATUTORY = (c.Procedure.CHILDREN_STATUTORY, c.Procedure.ADULTS_STATUTORY)


def _stage_ref(case_reference: str, number: int, own: str) -> str:
    # As the records are referenced (opencomplaints.records.selectors).
    return own or (case_reference if number == 1 else f"{case_reference}/{number}")


def stage_facts(*, councils: Sequence[Council]) -> dict[tuple[str, str], StageFacts]:
    """(council slug, stage reference) → the Code's facts about each corporate complaint stage of ``councils``."""
    stages = list(
        Stage.objects.filter(case__council__in=councils, case__kind=c.Kind.COMPLAINT, case__procedure=CORPORATE)
        .select_related("case__council", "investigating_officer")
        .annotate(
            n_findings=Count("findings__point", distinct=True),
            n_agreed=Count("remedies", distinct=True),
            n_paid=Count("remedies", filter=Q(remedies__paid_date__isnull=False), distinct=True),
        )
        .order_by()
    )
    case_ids = {s.case_id for s in stages}
    points = dict(Case.objects.filter(pk__in=case_ids).annotate(n=Count("points")).values_list("pk", "n").order_by())
    told = set(
        Letter.objects.filter(case_id__in=case_ids, step=StepKey.EXTENSION)
        .exclude(status=LetterStatus.DRAFT)
        .values_list("case_id", flat=True)
    )
    facts: dict[tuple[str, str], StageFacts] = {}
    for s in stages:
        case = s.case
        officer = s.investigating_officer
        facts[(case.council.slug, _stage_ref(case.reference, s.number, s.reference))] = StageFacts(
            handler=s.investigating_officer_id,
            handler_name=officer.get_full_name() if officer else "",
            extension_told=s.extension_notified_date is not None or case.pk in told,
            points=points.get(case.pk, 0),
            points_addressed=s.n_findings,
            decline_reason=case.get_decline_reason_display() if case.decline_reason else "",
            remedies=s.n_agreed,
            remedies_completed=s.n_paid,
        )
    return facts


@dataclass(frozen=True)
class CodeData:
    report_inputs: ReportInputs
    inputs: Inputs


def code_data(*, councils: Sequence[Council], period: Period) -> CodeData:
    """Everything the Code's measures are computed from: the corporate report's own inputs and its core."""
    ri = report_inputs(councils=councils, period=period, procedure=CORPORATE)
    core = core_json(ri.records, period, CORPORATE, ri.calendar, ri.procedure_rules)
    inputs = Inputs(
        records=ri.records,
        core=core,
        period=period,
        calendar=ri.calendar,
        configured=ri.procedure_rules,
        facts=stage_facts(councils=councils),
        learning=ri.learning,
    )
    return CodeData(report_inputs=ri, inputs=inputs)


def statutory_cores(*, councils: Sequence[Council], period: Period) -> dict[str, dict[str, Any]]:
    """The statutory procedures' report cores for the same period, for the side-by-side figures."""
    calendar = working_day_calendar()
    return {
        str(p): core_json(records_for_report(councils=councils, period=period, procedure=p), period, p, calendar)
        for p in STATUTORY
    }


def council_codes(*, council: Council) -> list[str]:
    """The Codes ``council`` follows; the LGSCO Code where it chose none."""
    chosen = list(CouncilCode.objects.filter(council=council).values_list("code", flat=True).order_by("code"))
    return chosen or ["lgsco"]


def self_assessment_latest(*, council: Council, year: int, code: str = "lgsco") -> SelfAssessment | None:
    return SelfAssessment.objects.filter(council=council, year=year, code=code).order_by("-created_at", "-id").first()


def self_assessments(*, council: Council) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(council=council)


def letter_for(*, council: Council, year: int) -> OmbudsmanLetter | None:
    return OmbudsmanLetter.objects.filter(council=council, year=year).prefetch_related("cases").first()


def council_decisions(*, council: Council, start: date, end: date) -> list[CouncilDecision]:
    """The council's Ombudsman records with an Ombudsman reference: the decision recorded (if any), its date and
    the compliance dates."""
    rows = OmbudsmanDetail.objects.filter(case__council=council).exclude(lgsco_reference="").select_related("case")
    result = []
    for row in rows.order_by("lgsco_reference"):
        decided = row.decision != c.LgscoDecision.IN_PROGRESS
        result.append(
            CouncilDecision(
                case_id=row.case_id,
                case_reference=row.case.reference,
                lgsco_reference=row.lgsco_reference,
                decision=row.decision if decided else None,
                decision_date=row.decision_date,
                compliance_due=row.compliance_due_date,
                complied=row.complied_date,
                in_period=decided and row.decision_date is not None and start <= row.decision_date <= end,
            )
        )
    return result


def decisions_by_reference(decisions: Sequence[CouncilDecision]) -> dict[str, CouncilDecision]:
    grouped: dict[str, CouncilDecision] = defaultdict()
    for d in decisions:
        grouped[d.lgsco_reference] = d
    return dict(grouped)
