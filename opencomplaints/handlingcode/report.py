"""The annual complaint performance and service improvement report (R3.8) and the quarterly governance pack, built
as an :class:`~opencomplaints.reporting.report.AnnualReport` so the reporting renderers draw them (HTML, DOCX,
tagged PDF, XLSX, with document-wide small-number suppression), and their JSON.

The JSON's ``performance`` is the corporate report's core for the same period (interchange §4), computed by the
same function from the same records; ``self_assessment`` lists each provision with its verdict, the figure where
the data shows one (always the live figure, the same as the corporate core's) and the council's evidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from opencomplaints.handlingcode.codes import Code
from opencomplaints.handlingcode.metrics import Inputs, Measure, measure_all
from opencomplaints.handlingcode.models import Verdict
from opencomplaints.handlingcode.reconciliation import DIFFERENCE_LABELS, Difference
from opencomplaints.reporting.metrics import breakdowns, learning, outcomes, timeliness, volumes
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.table import Cell, Table, count_column, label_column, number_column, text_column
from opencomplaints.reporting.periods import Period
from opencomplaints.reporting.report import AnnualReport, Section

__all__ = ["Answer", "CodeReport", "LetterSummary", "build_code_report", "code_report_json"]

CORPORATE = "corporate"
VERDICT_NAMES = dict(Verdict.choices)
PROCEDURE_NAMES = {
    "children_statutory": "Children's social care (statutory)",
    "adults_statutory": "Adult social care (statutory)",
}


@dataclass(frozen=True, kw_only=True)
class Answer:
    """The council's answer to a provision, where it has given one."""

    verdict: str = ""
    commentary: str = ""
    evidence: str = ""


@dataclass(frozen=True, kw_only=True)
class LetterSummary:
    year: int
    figures: Mapping[str, Decimal | int | None]
    differences: Sequence[Difference] = ()


@dataclass(frozen=True, kw_only=True)
class CodeReport:
    report: AnnualReport
    json: dict[str, Any]
    measures: dict[str, Measure] = field(default_factory=dict)


def _figure(measured: Mapping[str, Any]) -> str:
    parts = []
    for key, value in measured.items():
        if isinstance(value, dict) or value is None:
            continue
        parts.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(parts)


def _self_assessment(
    code: Code, measures: Mapping[str, Measure], answers: Mapping[str, Answer]
) -> list[dict[str, Any]]:
    rows = []
    for p in code.provisions:
        m = measures.get(p.metric) if p.metric else None
        a = answers.get(p.number, Answer())
        verdict = a.verdict or (m.verdict if m else "")
        rows.append(
            {
                "provision": p.number,
                "section": p.section,
                "text": p.text,
                "source": p.source,
                "verdict": verdict or None,
                "measured": {**m.measured, "cases": list(m.cases)} if m else None,
                "evidence": {"document": a.evidence or None, "commentary": a.commentary or None},
            }
        )
    return rows


def _letter_json(letter: LetterSummary | None) -> dict[str, Any] | None:
    if letter is None:
        return None
    return {
        "year": letter.year,
        **{k: (None if v is None else (float(v) if isinstance(v, Decimal) else v)) for k, v in letter.figures.items()},
        "differences": [
            {
                "kind": d.kind,
                "lgsco_reference": d.lgsco_reference,
                "case_reference": d.case_reference or None,
                "letter": d.letter or None,
                "council": d.council or None,
            }
            for d in letter.differences
        ],
    }


def _stat_row(name: str, core: Mapping[str, Any]) -> tuple[Cell, ...]:
    s1 = core["stages"]["1"]
    t = s1["timeliness"]
    on_time = t.get("within_timescale", 0) + t.get("within_extended_timescale", 0)
    return (name, s1["received"], s1["completed"], on_time, t.get("assessed", 0), core["ombudsman"]["decided"])


def _tables(
    code: Code,
    rows: list[dict[str, Any]],
    inputs: Inputs,
    labels: Mapping[str, Any],
    statutory: Mapping[str, Mapping[str, Any]],
    letter: LetterSummary | None,
    *,
    quarterly: bool,
) -> list[tuple[str, str, tuple[str, ...], list[Table]]]:
    r, p, cal, conf = inputs.records, inputs.period, inputs.calendar, inputs.configured
    performance = [
        volumes.stage_volumes_table(r, p, CORPORATE),
        timeliness.acknowledgement_table(r, p, CORPORATE, cal, conf),
        timeliness.timeliness_table(r, p, CORPORATE, cal, conf),
        outcomes.outcomes_table(r, p, CORPORATE, labels),
    ]
    measures = {row["provision"]: row for row in rows}
    assessment = Table(
        key="self_assessment",
        title=f"Self-assessment against the {code.name}",
        columns=(
            label_column("Provision"),
            text_column("What the Code asks"),
            text_column("Verdict"),
            text_column("Figure"),
            text_column("Evidence and commentary"),
        ),
        rows=tuple(
            (
                row["provision"],
                row["text"],
                VERDICT_NAMES.get(row["verdict"] or "", "Not yet answered"),
                _figure(row["measured"]) if row["measured"] else "",
                " ".join(x for x in (row["evidence"]["commentary"], row["evidence"]["document"]) if x),
            )
            for row in rows
        ),
        definition=(
            "Each provision of the Code, in our words, with the council's verdict. Where the case data shows it, "
            "the figure is the one in the corporate complaints figures for the same period."
        ),
    )
    failing = [row for row in rows if row["verdict"] in {"not_compliant", "partly"}]
    non_compliance = Table(
        key="non_compliance",
        title="Non-compliance with the Code found",
        columns=(
            label_column("Provision"),
            text_column("What the Code asks"),
            text_column("Verdict"),
            count_column("Cases"),
        ),
        rows=tuple(
            (
                row["provision"],
                row["text"],
                VERDICT_NAMES[row["verdict"]],
                len((row["measured"] or {}).get("cases", [])),
            )
            for row in failing
        ),
        definition="The provisions the council does not fully comply with, and how many cases show it.",
    )
    refused = measures.get("2.1", {}).get("measured") or {"by_reason": {}}
    refused_table = Table(
        key="refused",
        title="Complaints the council did not accept, by reason",
        columns=(label_column("Reason"), count_column("Complaints")),
        rows=tuple((reason.replace("_", " ").capitalize(), n) for reason, n in refused["by_reason"].items()),
        sensitive=True,
        definition="Stage 1 complaints not accepted in the period, by the reason recorded.",
    )
    side = Table(
        key="procedures",
        title="Corporate and statutory procedures side by side",
        columns=(
            label_column("Procedure"),
            count_column("Stage 1 received"),
            count_column("Stage 1 completed"),
            count_column("Answered on time"),
            count_column("Assessed for timeliness"),
            count_column("Ombudsman decisions"),
        ),
        rows=(
            _stat_row("Corporate (Complaint Handling Code)", inputs.core),
            *(_stat_row(PROCEDURE_NAMES[k], v) for k, v in statutory.items()),
        ),
        sensitive=True,
        definition="Stage 1 figures of each procedure for the same period, counted by each procedure's own rules.",
    )
    improvements = learning.learning_tables(list(inputs.learning), p)
    remedies = measures.get("7.3", {}).get("measured") or {}
    remedies_table = Table(
        key="remedies_outstanding",
        title="Remedies agreed and followed through",
        columns=(label_column("Remedies"), count_column("Number")),
        rows=(
            ("Agreed", remedies.get("agreed", 0)),
            ("Completed", remedies.get("completed", 0)),
            ("Outstanding", remedies.get("outstanding", 0)),
        ),
        definition="Remedies agreed at the complaints completed in the period, and how many were carried out.",
    )
    if quarterly:
        themes = breakdowns.issues_table(r, p, CORPORATE, Basis.RECEIVED)
        return [
            ("volumes", "Volumes", (), [performance[0]]),
            ("timeliness", "Timeliness against the Code", (), performance[1:3]),
            ("outcomes", "Outcomes", (), [performance[3]]),
            ("themes", "Themes", (), [themes]),
            ("remedies", "Remedies outstanding", (), [remedies_table]),
            ("learning", "Learning implemented", (), improvements),
        ]
    letter_tables: list[Table] = []
    letter_sentences: tuple[str, ...] = (
        "The Ombudsman's annual review letter for this year has not been recorded yet.",
    )
    if letter is not None:
        f = letter.figures
        letter_tables.append(
            Table(
                key="ombudsman_letter",
                title="The Ombudsman's annual review letter: the council and similar councils",
                columns=(
                    label_column("Measure"),
                    number_column("The council"),
                    number_column("Average of similar councils"),
                ),
                rows=(
                    ("Complaints decided", _n(f.get("decided")), None),
                    ("Complaints upheld", _n(f.get("upheld")), None),
                    ("Upheld rate (%)", _n(f.get("upheld_rate")), _n(f.get("average_upheld_rate"))),
                    (
                        "Compliance with recommendations (%)",
                        _n(f.get("compliance_rate")),
                        _n(f.get("average_compliance_rate")),
                    ),
                    (
                        "Satisfactory remedy provided by the council",
                        _n(f.get("satisfactory_remedy")),
                        _n(f.get("average_satisfactory_remedy_rate")),
                    ),
                ),
                definition=(
                    "The figures of the Ombudsman's annual review letter, beside the average the letter gives "
                    "for similar councils."
                ),
            )
        )
        letter_tables.append(
            Table(
                key="ombudsman_differences",
                title="Differences between the letter and the council's records",
                columns=(
                    label_column("Ombudsman reference"),
                    text_column("Difference"),
                    text_column("The letter"),
                    text_column("The council's record"),
                ),
                rows=tuple(
                    (d.lgsco_reference, DIFFERENCE_LABELS[d.kind], d.letter, d.council) for d in letter.differences
                ),
                definition="Each case where the letter and the council's own Ombudsman records disagree.",
            )
        )
        letter_sentences = (f"The letter lists {len(letter.differences)} difference(s) from the council's records.",)
    return [
        ("self_assessment", "Self-assessment against the Code", (), [assessment]),
        ("performance", "Complaint performance", (), performance),
        ("procedures", "The statutory procedures", (), [side]),
        ("refused", "Complaints not accepted", (), [refused_table]),
        ("non_compliance", "Non-compliance found", (), [non_compliance]),
        ("improvements", "Service improvements from learning", (), [remedies_table, *improvements]),
        ("ombudsman", "The Ombudsman's annual letter", letter_sentences, letter_tables),
    ]


def _n(value: Decimal | int | None) -> float | int | None:
    return float(value) if isinstance(value, Decimal) else value


def build_code_report(
    *,
    code: Code,
    inputs: Inputs,
    council_names: Sequence[str],
    labels: Mapping[str, Any],
    statutory: Mapping[str, Mapping[str, Any]],
    answers: Mapping[str, Answer],
    letter: LetterSummary | None,
    governing_body_response: str,
    generated_on: date,
    quarterly: bool = False,
) -> CodeReport:
    """The annual report (or, ``quarterly``, the governance pack for ``inputs.period``), and its JSON."""
    p: Period = inputs.period
    measures = measure_all(inputs)
    rows = _self_assessment(code, measures, answers)
    spec = _tables(code, rows, inputs, labels, statutory, letter, quarterly=quarterly)
    response = governing_body_response.strip()
    if not quarterly:
        spec.append(
            (
                "response",
                "The governing body's response",
                (response or "The governing body has not yet responded to this report.",),
                [],
            )
        )
    sections = tuple(
        Section(number=n, key=key, title=title, sentences=sentences, tables=tuple(tables))
        for n, (key, title, sentences, tables) in enumerate(spec, start=1)
    )
    title = (
        f"Complaints governance pack {p.label}"
        if quarterly
        else f"Annual complaint performance and service improvement report {p.label}"
    )
    report = AnnualReport(
        title=title,
        council_names=tuple(council_names),
        period=p,
        procedure=CORPORATE,
        procedure_name=f"the {code.name}",
        basis=Basis.RECEIVED,
        generated_on=generated_on,
        counting_basis=(
            "Complaints are counted by stage. Timeliness runs from the acknowledgement: stage 1 within 10 working "
            "days, stage 2 within 20, each extendable as the Code allows; acknowledgement within 5 working days.",
        ),
        sections=sections,
        core=dict(inputs.core),
    )
    improvements = [
        {
            "action": i.action,
            "team": i.team,
            "status": i.status,
            "implemented": i.implemented.isoformat() if i.implemented else None,
        }
        for i in inputs.learning
        if i.implemented is not None and p.start <= i.implemented <= p.end
    ]
    data: dict[str, Any] = {
        "schema": "opencomplaints.handling-code-report/1",
        "template": "governance" if quarterly else "code",
        "code": {"key": code.key, "version": code.version, "name": code.name},
        "councils": list(council_names),
        "period": {"start": p.start.isoformat(), "end": p.end.isoformat()},
        "self_assessment": [
            {"provision": r["provision"], "verdict": r["verdict"], "measured": r["measured"], "evidence": r["evidence"]}
            for r in rows
        ],
        "performance": dict(inputs.core),
        "statutory": {k: dict(v) for k, v in statutory.items()},
        "ombudsman_letter": _letter_json(letter),
        "service_improvements": improvements,
        "governing_body_response": response or None,
    }
    return CodeReport(report=report, json=data, measures=measures)


def code_report_json(report: CodeReport) -> bytes:
    import json

    return json.dumps(report.json, indent=2, ensure_ascii=False, default=str).encode("utf-8")
