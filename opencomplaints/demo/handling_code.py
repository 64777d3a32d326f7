"""The Complaint Handling Code in the demonstration: who handled each corporate stage of the latest year (one
complaint's stage 2 handled by its stage 1 handler, which the self-assessment shows as not compliant), a draft
self-assessment for that year pre-filled from the data, and the Ombudsman's annual letter, which lists one
decision the council never recorded and one with a different outcome, for the reconciliation to find."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Stage
from opencomplaints.common.dates import LONDON
from opencomplaints.councils.models import Council
from opencomplaints.handlingcode import selectors, services
from opencomplaints.handlingcode.metrics import measure_all
from opencomplaints.handlingcode.reconciliation import LetterCase, LetterData
from opencomplaints.reporting.metrics.ombudsman import UPHELD_DECISIONS
from opencomplaints.reporting.periods import reporting_year, reporting_year_of

__all__ = ["UNRECORDED_REFERENCE", "handling_code_demo"]

UNRECORDED_REFERENCE = "24 099 999"


def _handlers(council: Council, start: date, end: date, users: Mapping[str, User]) -> None:
    first, second = users["officer"], users["officer2"]
    stages = (
        Stage.objects.filter(case__council=council, case__procedure=c.Procedure.CORPORATE, number__in=(1, 2))
        .filter(case__stages__number=2, case__stages__received_date__range=(start, end))
        .select_related("case")
        .distinct()
        .order_by("case__reference", "number")
    )
    seeded = False
    for stage in stages:
        handler = first if stage.number == 1 else second
        if stage.number == 2 and not seeded:
            handler, seeded = first, True  # the Code says no; the self-assessment shows it
        services.stage_handler_record(stage=stage, handler=handler, acting_user=users["manager"])


def handling_code_demo(*, council: Council, users: Mapping[str, User], end_date: date) -> None:
    year = reporting_year_of(end_date)
    period = reporting_year(year)
    _handlers(council, period.start, period.end, users)
    manager = users["manager"]
    now = datetime.combine(end_date, time(12), tzinfo=LONDON)
    data = selectors.code_data(councils=[council], period=period)
    services.self_assessment_start(
        council=council, year=year, code="lgsco", measures=measure_all(data.inputs), acting_user=manager, now=now
    )
    decided = [
        d for d in selectors.council_decisions(council=council, start=period.start, end=period.end) if d.in_period
    ]
    cases = [
        LetterCase(
            lgsco_reference=d.lgsco_reference,
            decision=d.decision or "",
            decision_date=d.decision_date,
            complied_on_time=d.complied_on_time,
        )
        for d in decided
    ]
    if cases:  # the Ombudsman saw the first one differently
        changed = cases[0]
        other = "not_upheld" if changed.decision != "not_upheld" else "upheld_fault_injustice"
        cases[0] = LetterCase(
            lgsco_reference=changed.lgsco_reference,
            decision=other,
            decision_date=changed.decision_date,
            complied_on_time=changed.complied_on_time,
        )
    cases.append(LetterCase(lgsco_reference=UNRECORDED_REFERENCE, decision="not_upheld", decision_date=period.end))
    upheld = sum(1 for x in cases if x.decision in UPHELD_DECISIONS)
    summary: dict[str, Decimal | int | None] = {
        "decided": len(cases),
        "upheld": upheld,
        "upheld_rate": (Decimal(100 * upheld) / len(cases)).quantize(Decimal("0.1")),
        "compliance_rate": Decimal("100.0"),
        "satisfactory_remedy": sum(1 for x in cases if x.decision == "upheld_remedied_by_council"),
        # The averages of similar councils, as a letter gives them.
        "average_upheld_rate": Decimal("78.0"),
        "average_compliance_rate": Decimal("99.0"),
        "average_satisfactory_remedy_rate": Decimal("12.0"),
    }
    services.ombudsman_letter_save(
        council=council,
        year=year,
        data=LetterData(summary=summary, cases=tuple(cases), letter_date=end_date),
        acting_user=manager,
        now=now,
    )
