"""The Code's report and governance pack for councils and a period, read from the database and built."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from opencomplaints.councils.models import Council
from opencomplaints.handlingcode import selectors
from opencomplaints.handlingcode.codes import code_for
from opencomplaints.handlingcode.models import OmbudsmanLetter
from opencomplaints.handlingcode.reconciliation import SUMMARY_FIELDS, LetterCase, reconcile
from opencomplaints.handlingcode.report import Answer, CodeReport, LetterSummary, build_code_report
from opencomplaints.reporting.periods import Period

__all__ = ["code_report", "letter_cases", "letter_summary"]

LETTER_FIELDS = SUMMARY_FIELDS


def letter_cases(letter: OmbudsmanLetter | None) -> tuple[LetterCase, ...]:
    """The cases a saved letter lists."""
    if letter is None:
        return ()
    return tuple(
        LetterCase(
            lgsco_reference=c.lgsco_reference,
            decision=c.decision,
            decision_date=c.decision_date,
            complied_on_time=c.complied_on_time,
        )
        for c in letter.cases.all()
    )


def letter_summary(*, council: Council, year: int, period: Period) -> LetterSummary | None:
    """The council's Ombudsman letter for ``year`` with its differences from the council's records."""
    letter = selectors.letter_for(council=council, year=year)
    if letter is None:
        return None
    cases = letter_cases(letter)
    decisions = selectors.council_decisions(council=council, start=period.start, end=period.end)
    return LetterSummary(
        year=year,
        figures={name: getattr(letter, name) for name in LETTER_FIELDS},
        differences=reconcile(cases, decisions),
    )


def code_report(
    *, councils: Sequence[Council], period: Period, generated_on: date, quarterly: bool = False, code: str | None = None
) -> CodeReport:
    """The annual complaint performance and service improvement report (or the quarterly governance pack)."""
    first = councils[0]
    key = code or selectors.council_codes(council=first)[0]
    data = selectors.code_data(councils=councils, period=period)
    answers: dict[str, Answer] = {}
    response = ""
    letter = None
    if len(councils) == 1:
        assessment = selectors.self_assessment_latest(council=first, year=period.reporting_year, code=key)
        if assessment is not None:
            response = assessment.governing_body_response
            answers = {
                a.provision: Answer(
                    verdict=a.verdict if not a.metric else "", commentary=a.commentary, evidence=a.evidence_name
                )
                for a in assessment.answers.all()
            }
        letter = letter_summary(council=first, year=period.reporting_year, period=period)
    return build_code_report(
        code=code_for(key),
        inputs=data.inputs,
        council_names=data.report_inputs.council_names,
        labels=data.report_inputs.labels,
        statutory=selectors.statutory_cores(councils=councils, period=period),
        answers=answers,
        letter=letter,
        governing_body_response=response,
        generated_on=generated_on,
        quarterly=quarterly,
    )
