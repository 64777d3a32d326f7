"""The annual report, assembled from the metrics: numbered sections of sentences, tables, quotes and marked
places for the narrative officers write. Plain Python: the selectors gather :class:`ReportInputs` from the
database, and every renderer draws the :class:`AnnualReport` this module builds, so all formats agree.

Sections follow the guidance's list (R1.40 items 1 to 11) and what the reference reports tabulate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from opencomplaints.deadlines import WorkingDayCalendar
from opencomplaints.records import Record
from opencomplaints.reporting import narrative
from opencomplaints.reporting.metrics import (
    benchmarking,
    breakdowns,
    compensation,
    crosstab,
    dimension_trends,
    equality,
    escalation,
    learning,
    ombudsman,
    outcomes,
    representations,
    timeliness,
    trends,
    volumes,
)
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.core_json import core_json
from opencomplaints.reporting.metrics.rules import ProcedureRules, as_json, describe, rules_for, stage_numbers
from opencomplaints.reporting.metrics.selection import (
    ALL_PROCEDURES,
    COMBINED,
    Labels,
    complaint_stage,
    completed_in,
    for_procedure,
    label,
    received_in,
)
from opencomplaints.reporting.metrics.table import (
    Cell,
    Table,
    definition_of,
    label_column,
    number_column,
    text_column,
)
from opencomplaints.reporting.periods import Period, reporting_year_label
from opencomplaints.reporting.redaction import redact

__all__ = [
    "COMBINED",
    "COMBINED_PARTS",
    "SECTION_KEYS",
    "AnnualReport",
    "Quote",
    "ReportInputs",
    "Section",
    "build_report",
    "combine_reports",
    "counting_basis",
    "narrative_prompts",
    "section_keys",
    "with_narrative",
]


@dataclass(frozen=True)
class Quote:
    """A compliment's words (redacted before the report is built) and the team it praised."""

    text: str
    team: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReportInputs:
    """Everything the report is built from; the selectors gather it, tests build it by hand."""

    council_names: tuple[str, ...]
    period: Period
    procedure: str
    records: Sequence[Record]
    calendar: WorkingDayCalendar
    trend: trends.TrendData
    labels: Labels = field(default_factory=dict)
    team_service_areas: Mapping[str, str] = field(default_factory=dict)
    context: Mapping[str, int | None] = field(default_factory=dict)
    previous_context: Mapping[str, int | None] = field(default_factory=dict)
    learning: Sequence[learning.LearningItem] = ()
    quotes: Sequence[Quote] = ()
    #: Every child the complaints concern (a record carries only the first); ``None`` uses the records' children.
    children: Sequence[equality.ChildConcerned] | None = None
    #: Escalation by service area in the reporting years before the period (year → area → counts).
    escalation_history: Mapping[int, escalation.AreaCounts] = field(default_factory=dict)
    #: Names in the council's records that appear in the quotes and learning text (for redaction).
    names: frozenset[str] = frozenset()
    #: A council's own configured timescales by procedure (interchange §4); the defaults where none.
    procedure_rules: Mapping[str, ProcedureRules] = field(default_factory=dict)
    #: Tables by any dimension saved to the report (interchange §5), drawn in a section of their own.
    saved_tables: Sequence[crosstab.SavedQuery] = ()
    #: Trend figures by service area (and the other dimensions with historic figures), year by year.
    dimension_trend: dimension_trends.DimensionTrend | None = None


@dataclass(frozen=True)
class Section:
    number: int
    key: str
    title: str
    sentences: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    placeholders: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()


@dataclass(frozen=True)
class AnnualReport:
    title: str
    council_names: tuple[str, ...]
    period: Period
    procedure: str
    procedure_name: str
    basis: Basis
    generated_on: date
    counting_basis: tuple[str, ...]
    sections: tuple[Section, ...]
    core: dict[str, Any]
    #: The timescales the report's timeliness was counted by, and whether they are the council's own (§4).
    timescales: dict[str, object] | None = None
    #: A published report (``with_narrative(..., final=True)``): no officer placeholders, and the documents say
    #: "Published on" their ``generated_on`` date.
    published: bool = False
    #: A combined council-wide report (:func:`combine_reports`): the key prefix of each procedure's part, whose
    #: sections and tables are keyed ``prefix.key``.
    parts: tuple[str, ...] = ()

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(f"The report has no table {key!r}; tables: {[t.key for t in self.tables]}.")

    def map_tables(self, change: Any) -> AnnualReport:
        """A copy with ``change(table)`` applied to every table (e.g. suppression before publication)."""
        return replace(
            self, sections=tuple(replace(s, tables=tuple(change(t) for t in s.tables)) for s in self.sections)
        )


CHILDREN = "children_statutory"
CORPORATE = "corporate"
ADULTS = "adults_statutory"

#: Each procedure's report title and the law or code it is produced under (interchange §4; R1.40, R2.7, R3.8).
TITLES: Mapping[str, str] = {
    CHILDREN: "Children's social care complaints annual report",
    CORPORATE: "Corporate complaints annual report",
    ADULTS: "Adult social care complaints annual report",
    ALL_PROCEDURES: "Complaints annual report",
}
BASES: Mapping[str, str] = {
    CHILDREN: "It is produced under the Children Act 1989 Representations Procedure (England) Regulations 2006 and "
    "the guidance Getting the Best from Complaints",
    CORPORATE: "It reports the council's complaints procedure for its services other than the statutory social "
    "care procedures, which follows the Local Government and Social Care Ombudsman's Complaint Handling Code",
    ADULTS: "It is the annual report the Local Authority Social Services and National Health Service Complaints "
    "(England) Regulations 2009 require, on complaints about adult social care",
    ALL_PROCEDURES: "It brings together the council's statutory children's and adults' social care complaints "
    "procedures and its corporate complaints procedure",
}

_WORKING_DAYS = (
    "Working days exclude weekends, Christmas Day, Boxing Day, Good Friday and bank holidays in England and Wales; "
    "the day a complaint is received is day 0."
)
_CHILDREN_TIMESCALES = (
    "Stage 1 is on time within 10 working days, or within an agreed extension of up to 20; stage 2 within 25 "
    "working days of the start date, or an agreed extension of up to 65."
)


def _timescales(procedure: str, configured: Mapping[str, ProcedureRules] | None) -> str:
    """How the procedure's timeliness is counted, in one published paragraph."""
    if procedure in (CHILDREN, ALL_PROCEDURES):
        return _CHILDREN_TIMESCALES
    return " ".join(describe(rules_for(procedure, configured)))


def counting_basis(
    basis: Basis, procedure: str = CHILDREN, configured: Mapping[str, ProcedureRules] | None = None
) -> tuple[str, ...]:
    """The report's statement of how it counts (R1.41; interchange §2, §4), for ``procedure``'s own stages and
    timescales."""
    counted = "received" if basis is Basis.RECEIVED else "completed (responded to)"
    staged = len(stage_numbers(procedure)) > 1
    stages = (
        "Complaints are counted by stage: a complaint that reached stage 2 is counted once at stage 1 and once at "
        "stage 2. A complaint is received in the period when the complaint, or the request for that stage, "
        "arrived in it; completed when the stage's response was sent in it, whatever the outcome (withdrawn "
        "complaints included); open at the end when received by the period's last day and not answered by then."
        if staged
        else "A complaint is received in the period when it arrived in it; completed when the council's response "
        "was sent in it, whatever the outcome (withdrawn complaints included); open at the end when received by "
        "the period's last day and not answered by then."
    )
    escalation_text = (
        "Escalation rates divide the complaints received at the next stage in the period by those completed at "
        "the stage below in the period, less those withdrawn. "
        if staged
        else ""
    )
    acknowledgement = (
        " A complaint is acknowledged on time when the acknowledgement is sent within the timescale after receipt; "
        "complaints with no acknowledgement date recorded are not assessed."
        if procedure in (CORPORATE, ADULTS)
        else ""
    )
    return (
        "The reporting year runs from 1 April to 31 March; quarters are April to June (Q1), July to September "
        "(Q2), October to December (Q3) and January to March (Q4).",
        stages,
        f"Breakdowns by service area, team, issue, complainant, method of receipt and category of support count the "
        f"complaints {counted} in the period. A complaint counts once under each team and each issue it names, so "
        "those tables can add up to more than the number of complaints; the principal issue is the first issue "
        "named.",
        f"Equality monitoring counts each complaint {counted} in the period once, and each child or young person it "
        "concerns: a complaint about several children counts every one of them in the children's tables.",
        "Outcomes and timeliness count the complaints completed in the period. Timeliness leaves out complaints "
        f"withdrawn or not accepted. {_WORKING_DAYS} {_timescales(procedure, configured)}{acknowledgement}",
        f"{escalation_text}Other representations are counted by the date received; Ombudsman decisions by the date "
        "of the decision.",
    )


def _previous(trend: trends.TrendData, measure: str, year: int) -> Decimal | int | None:
    return trend.get(measure, year)


def _summary_sentences(
    inputs: ReportInputs, core: dict[str, Any], time_1: timeliness.StageTimeliness
) -> tuple[str, ...]:
    period = inputs.period
    previous = period.previous()
    last_year = period.reporting_year - 1
    comparable = period.is_reporting_year
    sentences: list[str] = []
    for stage in core["stages"]:
        current = core["stages"][stage]["received"]
        before = _previous(inputs.trend, f"stage{stage}_received", last_year) if comparable else None
        subject = f"Stage {stage} complaints" if len(core["stages"]) > 1 else "Complaints"
        sentences.append(narrative.change_sentence(subject, before, current, previous.label, period.label))
    if time_1.assessed:
        sentences.append(
            narrative.share_sentence(
                time_1.on_time,
                time_1.assessed,
                "stage 1 complaints assessed were answered within the timescale or an agreed extension",
            )
        )
        before_on_time = _previous(inputs.trend, "stage1_on_time_percent", last_year) if comparable else None
        if time_1.on_time_percent is not None and before_on_time is not None:
            sentences.append(
                narrative.percentage_point_sentence(
                    "The proportion of stage 1 complaints answered on time",
                    before_on_time,
                    time_1.on_time_percent,
                    previous.label,
                    period.label,
                )
            )
    completed_1 = completed_in(complaint_stage(inputs.records, inputs.procedure, 1), period)
    if completed_1:
        upheld = sum(1 for r in completed_1 if r.outcome in {"upheld", "partly_upheld"})
        sentences.append(
            narrative.share_sentence(
                upheld, len(completed_1), "stage 1 complaints completed were upheld or partly upheld"
            )
        )
    total = Decimal(core["compensation"]["total"])
    before_money = _previous(inputs.trend, "compensation_total", last_year) if comparable else None
    sentences.append(
        narrative.change_sentence(
            "Compensation paid or offered", before_money, total, previous.label, period.label, money=True
        )
    )
    decided = core["ombudsman"]["decided"]
    sentences.append(
        f"The Ombudsman made {narrative.count_phrase(decided, 'decision')} on complaints in {period.label}"
        + (f", {trend_year_compare(inputs.trend, 'ombudsman_decided', last_year)}." if comparable else ".")
    )
    return tuple(sentences)


def _well_founded_sentences(core: dict[str, Any], period: Period) -> tuple[str, ...]:
    """What the adults' annual report must say (R2.7): how many complaints were received, how many were decided
    to be well-founded, and how many the council knows were referred to the Ombudsman."""
    stage = core["stages"]["1"]
    return (
        f"In {period.label} the council received {narrative.count_phrase(stage['received'], 'complaint')} and "
        f"decided that {narrative.count_phrase(stage['well_founded'], 'complaint')} "
        f"{'was' if stage['well_founded'] == 1 else 'were'} well-founded (upheld or partly upheld).",
        f"The Ombudsman made {narrative.count_phrase(core['ombudsman']['decided'], 'decision')} on complaints about "
        "adult social care that the council knows of.",
    )


def _dimension_trends(inputs: ReportInputs) -> list[Table]:
    if inputs.dimension_trend is None:
        return []
    numbers = stage_numbers(inputs.procedure)
    trend = dimension_trends.with_period(
        inputs.dimension_trend, inputs.records, inputs.period, inputs.procedure, numbers
    )
    return dimension_trends.dimension_trend_tables(trend, numbers, inputs.labels)


def trend_year_compare(trend: trends.TrendData, measure: str, year: int) -> str:
    value = trend.get(measure, year)
    return (
        "with no figure for the year before"
        if value is None
        else f"compared with {narrative.format_number(value)} the year before"
    )


_STAGE_NUMBERS = re.compile(r"stage(\d)")


def _effectiveness_table(trend: trends.TrendData, period: Period, stages: tuple[int, ...] = (1, 2, 3)) -> Table:
    """Key indicators of how well the procedure works, this year and last, for the review of effectiveness
    (R1.40 item 9): volumes, timeliness, escalation, uphold rates, Ombudsman decisions and compensation, taken
    from the trend figures so that both years are counted the same way."""
    year = period.reporting_year
    measures = (
        ("stage1_received", "Stage 1 complaints received"),
        ("stage1_on_time_percent", "Stage 1 answered on time (%)"),
        ("stage2_on_time_percent", "Stage 2 answered on time (%)"),
        ("stage1_to_stage2_percent", "Escalation from stage 1 to stage 2 (%)"),
        ("stage2_to_stage3_percent", "Escalation from stage 2 to stage 3 (%)"),
        ("stage1_upheld_percent", "Stage 1 upheld or partly upheld (%)"),
        ("ombudsman_decided", "Ombudsman decisions"),
        ("ombudsman_upheld", "Ombudsman decisions finding fault"),
        ("compensation_total", "Compensation (£)"),
    )
    rows: list[tuple[Cell, ...]] = []
    for measure, name in measures:
        if not set(map(int, _STAGE_NUMBERS.findall(measure))) <= set(stages):
            continue  # a stage the procedure does not have
        before, now = trend.get(measure, year - 1), trend.get(measure, year)
        rows.append((name, None if before is None else float(before), None if now is None else float(now)))
    return Table(
        key="effectiveness",
        title="Indicators for the review of effectiveness",
        columns=(
            label_column("Indicator"),
            number_column(reporting_year_label(year - 1)),
            number_column(reporting_year_label(year)),
        ),
        rows=tuple(rows),
        definition=definition_of(_effectiveness_table),
        source="R1.40 item 9",
    )


def _quotes_table(quotes: Sequence[Quote], period: Period) -> Table:
    """Compliments received in the period, in their own words with names removed (R1.39)."""
    return Table(
        key="compliment_quotes",
        title=f"What people said, {period.label}",
        columns=(text_column("Compliment"), label_column("Team")),
        rows=tuple((q.text, q.team or "") for q in quotes),
        definition=definition_of(_quotes_table),
        source="R1.39",
    )


def build_report(inputs: ReportInputs, *, generated_on: date, basis: Basis = Basis.RECEIVED) -> AnnualReport:
    """Build the whole report from ``inputs``: every section, its tables, sentences and officer placeholders, and
    the exact JSON core. Quotes and learning text are redacted here, so no format can publish a name."""
    p, proc, labels, cal = inputs.period, inputs.procedure, inputs.labels, inputs.calendar
    records = for_procedure(inputs.records, proc)
    core = core_json(records, p, proc, cal, inputs.procedure_rules)
    time_1 = timeliness.stage_timeliness(records, p, proc, 1, cal, inputs.procedure_rules)
    names = inputs.names
    numbers = stage_numbers(proc)
    children = proc in (CHILDREN, ALL_PROCEDURES)
    quotes = tuple(Quote(redact(q.text, names), q.team) for q in inputs.quotes)
    learning_items = [
        replace(
            i,
            action=redact(i.action, names),
            finding=redact(i.finding, names),
            not_implemented_reason=redact(i.not_implemented_reason, names),
        )
        for i in inputs.learning
    ]
    stage_counts = {
        **{
            (f"Stage {n} complaints received" if len(numbers) > 1 else "Complaints received"): core["stages"][str(n)][
                "received"
            ]
            for n in numbers
        },
        "Ombudsman cases received": len([r for r in received_in(records, p) if r.kind == "ombudsman"]),
    }
    previous = p.previous()
    other = representations.other_representations(records, p)
    all_received = sum(stage_counts.values()) + sum(other.values())
    named = label(labels, "procedure", proc)
    procedure_name = "all complaint procedures" if proc == ALL_PROCEDURES else f"the {named[:1].lower()}{named[1:]}"
    escalations = [escalation.escalation(records, p, proc, s) for s in numbers[:-1]]

    def bd(name: str) -> Table:
        return breakdowns.breakdown_by_stage_table(name, records, p, proc, labels, basis)

    officer = "[Officer narrative: {}]".format
    sections_spec: list[tuple[str, str, tuple[str, ...], list[Table], tuple[str, ...], tuple[Quote, ...]]] = [
        (
            "summary",
            "Summary",
            _summary_sentences(inputs, core, time_1),
            [],
            (officer("the year's main messages, and the priorities for next year."),),
            (),
        ),
        (
            "about",
            "About this report",
            (
                f"This report covers complaints under {procedure_name} for {p.label} ({p.start.day} {p.start:%B %Y} to "
                f"{p.end.day} {p.end:%B %Y}). {BASES.get(proc, BASES[CHILDREN])}, and contains no information that "
                "identifies a complainant or a child.",
                *counting_basis(basis, proc, inputs.procedure_rules),
            ),
            [],
            (
                officer(
                    "how the complaints service is organised and how advocacy is arranged for children and young "
                    "people."
                ),
            ),
            (),
        ),
        (
            "context",
            "Context",
            (),
            [
                benchmarking.context_table(inputs.context, inputs.previous_context, p.label, previous.label),
                benchmarking.rates_table(stage_counts, inputs.context, p.label),
            ],
            (officer("the service's activity this year and what it means for complaints."),),
            (),
        ),
        (
            "representations",
            "Representations received",
            (
                f"In {p.label} the council received {narrative.count_phrase(all_received, 'representation')}: "
                f"complaints at every stage, Ombudsman cases, potential complaints, queries, enquiries from MPs and "
                "councillors, and compliments.",
            ),
            [
                volumes.representations_by_quarter_table(records, p, proc, labels),
                representations.other_representations_table(records, p, labels, cal),
            ],
            (),
            (),
        ),
        (
            "stages",
            "Complaints at each stage" if len(numbers) > 1 else "Complaints received and completed",
            (
                *(
                    narrative.escalation_sentence(e.lower_stage, e.escalated, e.completed_less_withdrawn)
                    for e in escalations
                ),
                *(_well_founded_sentences(core, p) if proc == ADULTS else ()),
            ),
            [
                volumes.stage_volumes_table(records, p, proc),
                volumes.received_by_quarter_table(records, p, proc),
                volumes.completed_by_quarter_table(records, p, proc),
                *(
                    [
                        escalation.escalation_table(records, p, proc),
                        escalation.escalation_by_service_area_table(records, p, proc),
                        escalation.escalation_by_service_area_by_year_table(
                            records, p, proc, inputs.escalation_history
                        ),
                    ]
                    if len(numbers) > 1
                    else []
                ),
            ],
            (),
            (),
        ),
        (
            "complainants",
            "Who complained and how",
            (),
            [
                bd("by_complainant_type"),
                *(
                    [
                        representations.young_people_table(records, p, proc),
                        *equality.young_people_profile_tables(records, p, proc, labels),
                    ]
                    if children
                    else []
                ),
                bd("by_received_via"),
                bd("by_support_category"),
                representations.advocacy_table(records, p, proc),
                representations.mediation_table(records, p, proc),
            ],
            (
                officer(
                    "advocacy provided this year and how children and young people were helped to complain."
                    if children
                    else "advocacy and support provided to people who complained this year."
                ),
            ),
            (),
        ),
        (
            "subjects",
            "What complaints were about",
            (),
            [
                bd("by_service_area"),
                breakdowns.team_by_quarter_table(records, p, proc, basis, inputs.team_service_areas),
                breakdowns.issues_table(records, p, proc, basis),
                breakdowns.breakdown_by_quarter_table("by_principal_issue", records, p, proc, labels, basis),
                bd("by_team"),
            ],
            (officer("the main themes of complaints this year."),),
            (),
        ),
        (
            "outcomes",
            "Outcomes",
            (),
            [
                outcomes.outcomes_table(records, p, proc, labels),
                outcomes.outcomes_by_service_area_table(records, p, proc, labels),
            ],
            (),
            (),
        ),
        (
            "timeliness",
            "Timeliness",
            (),
            [
                *(
                    [timeliness.acknowledgement_table(records, p, proc, cal, inputs.procedure_rules)]
                    if proc in (CORPORATE, ADULTS)
                    else []
                ),
                timeliness.timeliness_table(records, p, proc, cal, inputs.procedure_rules),
                timeliness.average_days_table(records, p, proc, cal, inputs.procedure_rules),
                timeliness.response_days_bands_table(records, p, proc, cal, inputs.procedure_rules),
                *(
                    [
                        timeliness.stage2_lateness_table(records, p, proc, cal),
                        timeliness.stage3_checks_table(records, p, proc, cal),
                    ]
                    if children
                    else []
                ),
            ],
            (officer("the reasons for late responses and what is being done about them."),),
            (),
        ),
        (
            "compensation",
            "Compensation and remedies",
            (),
            [compensation.compensation_table(records, p, proc), compensation.remedies_table(records, p, proc, labels)],
            (),
            (),
        ),
        (
            "ombudsman",
            "The Local Government and Social Care Ombudsman",
            (),
            [
                ombudsman.ombudsman_summary_table(records, p),
                ombudsman.ombudsman_decisions_table(records, p, labels),
                ombudsman.ombudsman_cases_table(records, p, labels),
            ],
            (officer("the Ombudsman's findings and how the council complied with its recommendations."),),
            (),
        ),
        (
            "enquiries",
            "Enquiries, queries and compliments",
            (),
            [
                representations.topics_table(records, p, "mp_enquiry", labels),
                representations.topics_table(records, p, "member_enquiry", labels),
                representations.topics_table(records, p, "query", labels),
                representations.compliments_by_team_table(records, p),
                *([_quotes_table(quotes, p)] if quotes else []),
            ],
            (),
            quotes,
        ),
        (
            "learning",
            "Learning and service improvement",
            (),
            learning.learning_tables(learning_items, p),
            (officer("the most important changes made because of complaints, with examples."),),
            (),
        ),
        (
            "equality",
            "Equality monitoring",
            (),
            equality.equality_tables(records, p, proc, labels, children=inputs.children, basis=basis),
            (),
            (),
        ),
        ("trends", "Trends", (), [*trends.trend_tables(inputs.trend, numbers), *_dimension_trends(inputs)], (), ()),
        (
            "effectiveness",
            "Review of the effectiveness of the procedure",
            (),
            [_effectiveness_table(inputs.trend, p, numbers)],
            (officer("the review of the procedure's effectiveness, and the objectives for next year."),),
            (),
        ),
    ]
    further = crosstab.saved_tables(records, p, inputs.saved_tables, cal, inputs.procedure_rules)
    if further:
        sections_spec.append(("further_tables", "Further tables", (), further, (), ()))
    sections = tuple(
        Section(
            number=n,
            key=key,
            title=title,
            sentences=sentences,
            tables=tuple(tables),
            placeholders=placeholders,
            quotes=qs,
        )
        for n, (key, title, sentences, tables, placeholders, qs) in enumerate(sections_spec, start=1)
    )
    return AnnualReport(
        title=f"{TITLES.get(proc, TITLES[CHILDREN])} {p.label}",
        council_names=inputs.council_names,
        period=p,
        procedure=proc,
        procedure_name=procedure_name,
        basis=basis,
        generated_on=generated_on,
        counting_basis=counting_basis(basis, proc, inputs.procedure_rules),
        sections=sections,
        core=core,
        timescales=None if proc == ALL_PROCEDURES else as_json(rules_for(proc, inputs.procedure_rules)),
    )


#: Every section a report can have, in order (a procedure's report has some or all of them).
SECTION_KEYS: tuple[str, ...] = (
    "summary",
    "about",
    "context",
    "representations",
    "stages",
    "complainants",
    "subjects",
    "outcomes",
    "timeliness",
    "compensation",
    "ombudsman",
    "enquiries",
    "learning",
    "equality",
    "trends",
    "effectiveness",
    "further_tables",
)


def narrative_prompts(report: AnnualReport) -> dict[str, tuple[str, ...]]:
    """What officers are asked to write in each section that asks for narrative: the placeholders' words without
    their brackets, by section key."""
    return {
        s.key: tuple(p.removeprefix("[Officer narrative: ").removesuffix("]") for p in s.placeholders)
        for s in report.sections
        if s.placeholders
    }


def with_narrative(report: AnnualReport, narratives: Mapping[str, str], *, final: bool = False) -> AnnualReport:
    """``report`` with the officers' narrative in place of each section's drafted sentences and placeholders
    (``narratives`` by section key, in plain paragraphs: ``narrative.plain_paragraphs``). ``final`` is for
    publication: a section with no narrative keeps its drafted sentences and loses its placeholders, so no
    "[Officer narrative: …]" is ever published."""

    def section(s: Section) -> Section:
        paragraphs = narrative.plain_paragraphs(narratives.get(s.key, ""))
        if paragraphs:
            return replace(s, sentences=paragraphs, placeholders=())
        return replace(s, placeholders=()) if final else s

    return replace(report, sections=tuple(section(s) for s in report.sections), published=report.published or final)


#: The parts of the combined council-wide report, in order, with the key prefix and the name of each.
COMBINED_PARTS: tuple[tuple[str, str, str], ...] = (
    (CHILDREN, "children", "Children's social care"),
    (ADULTS, "adults", "Adult social care"),
    (CORPORATE, "corporate", "Corporate complaints"),
)


def section_keys(procedure: str) -> tuple[str, ...]:
    """The keys the sections of ``procedure``'s report can have: :data:`SECTION_KEYS`, or for the combined
    council-wide report its overview and each part's sections, ``prefix.key``."""
    if procedure != COMBINED:
        return SECTION_KEYS
    return ("overview", *(f"{prefix}.{key}" for _, prefix, _ in COMBINED_PARTS for key in SECTION_KEYS))


def base_key(key: str) -> str:
    """A table's or section's key without the part prefix of a combined report: ``children.outcomes`` →
    ``outcomes``."""
    return key.rsplit(".", 1)[-1]


def _on_time(stage: Mapping[str, Any]) -> float | None:
    timeliness_counts = stage.get("timeliness", {})
    assessed = timeliness_counts.get("assessed")
    if not assessed:
        return None
    on_time = timeliness_counts.get("within_timescale", 0) + timeliness_counts.get("within_extended_timescale", 0)
    return float((Decimal(on_time) * 100 / Decimal(assessed)).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP"))


def _side_by_side_table(parts: Sequence[AnnualReport], names: Sequence[str], period: Period) -> Table:
    """The main figures of each procedure side by side: complaints received and completed at stage 1, the
    share of stage 1 complaints answered on time (within the procedure's own timescale or an agreed extension),
    complaints received at stage 2 where the procedure has one, and the Ombudsman's decisions. Each figure is
    counted as the procedure's own part of the report counts it."""

    labels = (
        "Complaints received at stage 1",
        "Complaints completed at stage 1",
        "Stage 1 answered on time (%)",
        "Complaints received at stage 2",
        "Ombudsman decisions",
    )

    def figures(part: AnnualReport) -> tuple[Cell, ...]:
        first, second = part.core["stages"]["1"], part.core["stages"].get("2")
        return (
            first["received"],
            first["completed"],
            _on_time(first),
            None if second is None else second["received"],
            part.core["ombudsman"]["decided"],
        )

    by_part = [figures(part) for part in parts]
    rows = tuple((name, *(values[i] for values in by_part)) for i, name in enumerate(labels))
    return Table(
        key="side_by_side",
        title=f"The council's complaints procedures side by side, {period.label}",
        columns=(label_column(""), *(number_column(name) for name in names)),
        rows=rows,
        definition=definition_of(_side_by_side_table),
    )


def combine_reports(parts: Sequence[AnnualReport], *, generated_on: date) -> AnnualReport:
    """One council-wide document of the children's, adults' and corporate reports (``parts``, in
    ``COMBINED_PARTS`` order): a first section with their main figures side by side, then each procedure's report
    in full, its sections titled with the procedure's name and keyed ``prefix.key``. Suppression runs over the
    whole document, each part with its own linked figures."""
    known = {procedure: (prefix, name) for procedure, prefix, name in COMBINED_PARTS}
    first = parts[0]
    names = [known[p.procedure][1] for p in parts]
    period = first.period
    overview = Section(
        number=1,
        key="overview",
        title="The council's complaints procedures",
        sentences=(
            f"This report brings together the council's annual reports for {period.label} on complaints under "
            f"{', '.join(n.lower() for n in names[:-1])} and {names[-1].lower()} procedures. Each part follows its "
            'own procedure\'s rules and timescales, set out in its "About this report" section.',
        ),
        tables=(_side_by_side_table(parts, names, period),),
    )
    sections = [overview]
    for part in parts:
        prefix, name = known[part.procedure]
        for section in part.sections:
            sections.append(
                replace(
                    section,
                    number=len(sections) + 1,
                    key=f"{prefix}.{section.key}",
                    title=f"{name}: {section.title}",
                    tables=tuple(replace(t, key=f"{prefix}.{t.key}") for t in section.tables),
                )
            )
    return AnnualReport(
        title=f"Council-wide complaints annual report {period.label}",
        council_names=first.council_names,
        period=period,
        procedure=COMBINED,
        procedure_name="the council's children's, adults' and corporate complaints procedures",
        basis=first.basis,
        generated_on=generated_on,
        counting_basis=(
            'Each part of this report counts complaints as its own procedure does: its "About this report" '
            "section says how.",
        ),
        sections=tuple(sections),
        core={"procedure": COMBINED, "parts": {p.procedure: p.core for p in parts}},
        parts=tuple(known[p.procedure][0] for p in parts),
    )
