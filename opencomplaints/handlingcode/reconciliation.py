"""The Ombudsman's annual review letter reconciled with the council's own Ombudsman records, case by case, and
the letter's CSV (docs/handling-code.md). Plain Python.

A difference is one of:

- ``not_recorded``: the letter lists a decision the council never recorded (no Ombudsman case with that
  reference, or one with no decision recorded);
- ``different_outcome``: the council recorded another decision than the letter's;
- ``compliance_missed``: the letter and the council's record disagree on whether the recommendations were
  complied with on time, or the council's record shows the compliance date missed while the letter says on time;
- ``not_in_letter``: the council recorded a decision in the letter's year that the letter does not list.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from opencomplaints.common.dates import DateParseError, parse_date

__all__ = [
    "SUMMARY_FIELDS",
    "CouncilDecision",
    "Difference",
    "LetterCase",
    "LetterData",
    "LetterFileError",
    "parse_figure",
    "parse_letter_csv",
    "reconcile",
]

SUMMARY_FIELDS = (
    "decided",
    "upheld",
    "upheld_rate",
    "compliance_rate",
    "satisfactory_remedy",
    "average_upheld_rate",
    "average_compliance_rate",
    "average_satisfactory_remedy_rate",
)
INTEGER_FIELDS = frozenset({"decided", "upheld", "satisfactory_remedy"})
CASE_HEADER = ("lgsco_reference", "decision", "decision_date", "complied_on_time")
YES, NO = frozenset({"yes", "y", "true"}), frozenset({"no", "n", "false"})


@dataclass(frozen=True, kw_only=True)
class CouncilDecision:
    case_id: int
    case_reference: str
    lgsco_reference: str
    decision: str | None
    decision_date: date | None
    compliance_due: date | None = None
    complied: date | None = None
    in_period: bool = False

    @property
    def complied_on_time(self) -> bool | None:
        if self.compliance_due is None:
            return None
        return self.complied is not None and self.complied <= self.compliance_due


@dataclass(frozen=True, kw_only=True)
class LetterCase:
    lgsco_reference: str
    decision: str
    decision_date: date | None = None
    complied_on_time: bool | None = None


@dataclass(frozen=True, kw_only=True)
class LetterData:
    summary: dict[str, Decimal | int | None]
    cases: tuple[LetterCase, ...] = ()
    letter_date: date | None = None


@dataclass(frozen=True, kw_only=True)
class Difference:
    kind: str
    lgsco_reference: str
    letter: str = ""
    council: str = ""
    case_id: int | None = None
    case_reference: str = ""

    @property
    def label(self) -> str:
        return DIFFERENCE_LABELS[self.kind]


DIFFERENCE_LABELS = {
    "not_recorded": "A decision the council never recorded",
    "different_outcome": "A different outcome",
    "compliance_missed": "Compliance date missed or in dispute",
    "not_in_letter": "A decision the letter does not list",
}


def reconcile(letter: Sequence[LetterCase], council: Sequence[CouncilDecision]) -> list[Difference]:
    """Every difference between the letter's cases and the council's records, as the module docstring defines."""
    ours = {d.lgsco_reference.strip().upper(): d for d in council}
    listed: set[str] = set()
    found: list[Difference] = []
    for case in letter:
        ref = case.lgsco_reference.strip().upper()
        listed.add(ref)
        mine = ours.get(ref)
        if mine is None or mine.decision is None:
            found.append(
                Difference(
                    kind="not_recorded",
                    lgsco_reference=case.lgsco_reference,
                    letter=case.decision,
                    case_id=mine.case_id if mine else None,
                    case_reference=mine.case_reference if mine else "",
                )
            )
            continue
        common: dict[str, Any] = {
            "lgsco_reference": case.lgsco_reference,
            "case_id": mine.case_id,
            "case_reference": mine.case_reference,
        }
        if mine.decision != case.decision:
            found.append(Difference(kind="different_outcome", letter=case.decision, council=mine.decision, **common))
        on_time = mine.complied_on_time
        if case.complied_on_time is not None and on_time is not None and case.complied_on_time != on_time:
            found.append(
                Difference(
                    kind="compliance_missed",
                    letter="on time" if case.complied_on_time else "late",
                    council="on time" if on_time else "late",
                    **common,
                )
            )
    for ref, mine in sorted(ours.items()):
        if mine.in_period and ref not in listed:
            found.append(
                Difference(
                    kind="not_in_letter",
                    lgsco_reference=mine.lgsco_reference,
                    council=mine.decision or "",
                    case_id=mine.case_id,
                    case_reference=mine.case_reference,
                )
            )
    return found


class LetterFileError(ValueError):
    """A problem with a letter file, said so a person can fix it."""


def parse_figure(name: str, text: str) -> Decimal | int | None:
    text = text.strip().rstrip("%")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise LetterFileError(f"The {name.replace('_', ' ')} must be a number, not {text!r}.") from None
    if value < 0:
        raise LetterFileError(f"The {name.replace('_', ' ')} cannot be negative.")
    if name in INTEGER_FIELDS:
        if value != value.to_integral_value():
            raise LetterFileError(f"The {name.replace('_', ' ')} must be a whole number.")
        return int(value)
    return value.quantize(Decimal("0.1"))


def _yes_no(text: str, line: int) -> bool | None:
    text = text.strip().lower()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise LetterFileError(f"Line {line}: complied_on_time must be yes, no or blank, not {text!r}.")


def parse_letter_csv(content: bytes, *, decisions: frozenset[str]) -> LetterData:
    """The letter in the CSV of docs/handling-code.md: a summary section of ``field,value`` lines (the
    ``SUMMARY_FIELDS``, and ``letter_date``), a blank line, then a header ``lgsco_reference,decision,
    decision_date,complied_on_time`` and one row per case decided. Raises ``LetterFileError``."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LetterFileError("The file must be a CSV file saved as UTF-8.") from None
    summary: dict[str, Decimal | int | None] = dict.fromkeys(SUMMARY_FIELDS)
    letter_date: date | None = None
    cases: list[LetterCase] = []
    in_cases = False
    seen: set[str] = set()
    for line, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if not in_cases:
            if tuple(cell.lower() for cell in cells[:4]) == CASE_HEADER:
                in_cases = True
                continue
            name = cells[0].lower()
            value = cells[1] if len(cells) > 1 else ""
            if name == "letter_date":
                try:
                    letter_date = parse_date(value) if value else None
                except DateParseError as error:
                    raise LetterFileError(f"Line {line}: {error}") from None
            elif name in summary:
                summary[name] = parse_figure(name, value)
            else:
                raise LetterFileError(f"Line {line}: {cells[0]!r} is not a figure of the letter.")
            continue
        cells += [""] * (4 - len(cells))
        reference, decision, decided, complied = cells[:4]
        if not reference:
            raise LetterFileError(f"Line {line}: give the Ombudsman's reference.")
        if reference.upper() in seen:
            raise LetterFileError(f"Line {line}: {reference} is listed twice.")
        seen.add(reference.upper())
        if decision not in decisions:
            raise LetterFileError(f"Line {line}: {decision!r} is not one of the Ombudsman's decisions.")
        try:
            decision_date = parse_date(decided) if decided else None
        except DateParseError as error:
            raise LetterFileError(f"Line {line}: {error}") from None
        cases.append(
            LetterCase(
                lgsco_reference=reference,
                decision=decision,
                decision_date=decision_date,
                complied_on_time=_yes_no(complied, line),
            )
        )
    for required in ("decided", "upheld"):
        if summary[required] is None:
            raise LetterFileError(f"The file has no {required} figure.")
    return LetterData(summary=summary, cases=tuple(cases), letter_date=letter_date)


def letter_csv(data: LetterData) -> str:
    """``data`` as the letter CSV (the format ``parse_letter_csv`` reads)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if data.letter_date:
        writer.writerow(["letter_date", data.letter_date.isoformat()])
    for name in SUMMARY_FIELDS:
        value = data.summary.get(name)
        writer.writerow([name, "" if value is None else str(value)])
    writer.writerow([])
    writer.writerow(CASE_HEADER)
    for case in data.cases:
        complied = "" if case.complied_on_time is None else ("yes" if case.complied_on_time else "no")
        writer.writerow(
            [
                case.lgsco_reference,
                case.decision,
                case.decision_date.isoformat() if case.decision_date else "",
                complied,
            ]
        )
    return out.getvalue()
