"""Which records a figure counts (interchange §2). Every metric selects through these functions, so a counting
rule is written once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from opencomplaints.records import Record
from opencomplaints.reporting.periods import QUARTERS, Period, quarter_of

__all__ = [
    "ALL_PROCEDURES",
    "COMPLAINT",
    "DEFAULT_PROCEDURE",
    "NOT_ASSESSED",
    "OUTCOMES",
    "STAGES",
    "UPHELD_OUTCOMES",
    "Labels",
    "by_quarter",
    "complaint_stage",
    "complaints",
    "completed_in",
    "for_procedure",
    "label",
    "open_at_end",
    "open_at_start",
    "received_in",
]

COMPLAINT = "complaint"
OMBUDSMAN = "ombudsman"
DEFAULT_PROCEDURE = "children_statutory"
#: Asked for instead of one procedure: every complaint procedure together (as councils that report statutory and
#: corporate complaints in one document do).
ALL_PROCEDURES = "all"
#: The council-wide report: the children's, adults' and corporate reports side by side in one document
#: (``report.combine_reports``); a choice of report, never a procedure a record has.
COMBINED = "combined"
STAGES: tuple[int, ...] = (1, 2, 3)
OUTCOMES: tuple[str, ...] = (
    "upheld",
    "partly_upheld",
    "not_upheld",
    "withdrawn",
    "resolved_informally",
    "not_accepted",
)
UPHELD_OUTCOMES = frozenset({"upheld", "partly_upheld"})
#: Outcomes left out of timeliness (interchange §2): the council gave no response on the merits to time.
NOT_ASSESSED = frozenset({"withdrawn", "not_accepted"})

#: Display names of vocabulary codes, by vocabulary (``{"outcome": {"upheld": "Upheld"}}``).
type Labels = Mapping[str, Mapping[str, str]]


def label(labels: Labels, vocabulary: str, code: str) -> str:
    """The display name of ``code``; a readable form of the code itself when none is configured."""
    found = labels.get(vocabulary, {}).get(code)
    return found if found else code.replace("_", " ").capitalize()


def complaints(records: Iterable[Record], procedure: str) -> list[Record]:
    """Complaint records under ``procedure`` (``"all"`` for every procedure; blank means the default)."""
    return [
        r
        for r in records
        if r.kind == COMPLAINT and (procedure == ALL_PROCEDURES or (r.procedure or DEFAULT_PROCEDURE) == procedure)
    ]


def for_procedure(records: Iterable[Record], procedure: str) -> list[Record]:
    """The records a ``procedure``'s report counts: every record except the Ombudsman records of complaints under
    another procedure (an Ombudsman record's ``procedure`` is that of the complaint the Ombudsman looked at; blank
    means the default), interchange §4. Complaints are chosen by procedure where they are counted."""
    if procedure == ALL_PROCEDURES:
        return list(records)
    return [r for r in records if r.kind != OMBUDSMAN or (r.procedure or DEFAULT_PROCEDURE) == procedure]


def complaint_stage(records: Iterable[Record], procedure: str, stage: int) -> list[Record]:
    """Records of stage ``stage`` of complaints under ``procedure``."""
    return [r for r in complaints(records, procedure) if r.stage == stage]


def received_in(records: Iterable[Record], period: Period) -> list[Record]:
    """Records whose ``received`` falls in the period."""
    return [r for r in records if period.contains(r.received)]


def completed_in(records: Iterable[Record], period: Period) -> list[Record]:
    """Records whose ``responded`` falls in the period, whatever the outcome (withdrawn included)."""
    return [r for r in records if period.contains(r.responded)]


def open_at_end(records: Iterable[Record], period: Period) -> list[Record]:
    """Records received on or before the period's last day and not responded to by then."""
    return [
        r
        for r in records
        if r.received < period.end_exclusive and (r.responded is None or r.responded >= period.end_exclusive)
    ]


def open_at_start(records: Iterable[Record], period: Period) -> list[Record]:
    """Records received before the period and not responded to before it began: carried over into it."""
    return [r for r in records if r.received < period.start and (r.responded is None or r.responded >= period.start)]


def by_quarter(records: Iterable[Record], when: Callable[[Record], date | None]) -> dict[str, int]:
    """How many records fall in each quarter (Q1 to Q4, interchange §2) by the date ``when`` gives."""
    counts = dict.fromkeys(QUARTERS, 0)
    for record in records:
        day = when(record)
        if day is not None:
            counts[quarter_of(day)] += 1
    return counts
