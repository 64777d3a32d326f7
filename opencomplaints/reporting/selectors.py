"""The report's reads: the only module of the reporting app that queries the database.

``report_inputs`` gathers everything :func:`opencomplaints.reporting.report.build_report` needs for a set of
councils and a period, in a fixed, small number of queries: the period's records (through
:func:`opencomplaints.records.selectors.records_for_councils`) and every child their complaints concern, trend
figures for up to ten reporting years (the stage figures counted from a few columns of the councils' stages in
those years, the others aggregated by the database, so a database of a million records is never loaded into
Python), escalation by service area in the years before, historic and context figures, learning actions,
compliment quotes and the names to redact from them.

Stages are read through the councils' case ids in the shape each database plans best
(:mod:`opencomplaints.records.queries`), helped by the indexes of migration 0002 (docs/performance.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from opencomplaints.accounts.models import User
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.access import AnyUser, CouncilPurpose, councils_for_purpose
from opencomplaints.cases.deadlines import corporate_procedure_from
from opencomplaints.cases.kinds import kind_choices, representation_kinds
from opencomplaints.cases.models import (
    Case,
    CaseChild,
    CaseTeam,
    ComplimentDetail,
    EnquiryDetail,
    LearningAction,
    Person,
    Remedy,
    Stage,
)
from opencomplaints.common.dates import london_date
from opencomplaints.common.errors import NotFoundError
from opencomplaints.councils.models import (
    CorporateProcedure,
    Council,
    RemedyType,
    ServiceArea,
    Team,
)
from opencomplaints.deadlines import WorkingDayCalendar
from opencomplaints.records import Record
from opencomplaints.records.queries import of_council_complaints
from opencomplaints.records.selectors import records_for_councils
from opencomplaints.reporting.metrics.benchmarking import CONTEXT_FIELDS
from opencomplaints.reporting.metrics.crosstab import UNKNOWN, SavedQuery, TableQuery
from opencomplaints.reporting.metrics.dimension_trends import (
    BreakdownKey,
    DimensionTrend,
    merge_dimension_trends,
)
from opencomplaints.reporting.metrics.equality import ChildConcerned
from opencomplaints.reporting.metrics.escalation import NOT_RECORDED, AreaCounts
from opencomplaints.reporting.metrics.learning import LearningItem
from opencomplaints.reporting.metrics.ombudsman import UPHELD_DECISIONS
from opencomplaints.reporting.metrics.rules import ProcedureRules, procedure_rules, rules_for
from opencomplaints.reporting.metrics.selection import ALL_PROCEDURES, DEFAULT_PROCEDURE, NOT_ASSESSED, Labels
from opencomplaints.reporting.metrics.timeliness import response_on_time
from opencomplaints.reporting.metrics.trends import HISTORIC_MEASURES, TrendData, merge_trends
from opencomplaints.reporting.models import ContextFigures, HistoricBreakdown, HistoricFigure, ReportFile, SavedTable
from opencomplaints.reporting.periods import Period, reporting_year, reporting_year_of, trend_years
from opencomplaints.reporting.redaction import candidate_words, is_name, name_parts
from opencomplaints.reporting.report import Quote, ReportInputs

REPORT_FILE_NOT_FOUND = "Report file not found"

__all__ = [
    "children_for_report",
    "context_figures",
    "dimension_trend_data",
    "escalation_history",
    "historic_breakdowns",
    "historic_figures",
    "learning_items",
    "names_to_redact",
    "procedure_rules_for",
    "quotes_for_report",
    "quotes_for_review",
    "records_for_report",
    "report_file_for_user",
    "report_files_for_user",
    "report_inputs",
    "saved_queries",
    "saved_tables_for",
    "service_area_names",
    "team_service_areas",
    "trend_data",
    "trend_stages",
    "vocabulary_labels",
]

MAX_QUOTES = 10
# Long lists of references are sent in chunks: SQLite builds differ in how many parameters a query may have.
_CHUNK = 5000

type Counts = dict[str, dict[int, Decimal | int]]


def _ids(councils: Iterable[Council]) -> list[int]:
    return [council.pk for council in councils]


def records_for_report(*, councils: Sequence[Council], period: Period, procedure: str) -> list[Record]:
    """The records relevant to ``period``: received in it, responded to in it, or open at its end. Complaints are
    limited to ``procedure`` (``"all"`` for every procedure); every other kind of record is included. An Ombudsman
    record with no procedure of its own takes that of the complaint it is linked to (interchange §4: each
    procedure's report counts its own Ombudsman records)."""
    records = records_for_councils(
        councils=councils,
        open_during=(period.start, period.end_exclusive),
        procedure=None if procedure == ALL_PROCEDURES else procedure,
    )
    unlinked = {r.ref for r in records if r.kind == c.Kind.OMBUDSMAN and not (r.service_area and r.procedure)}
    if not unlinked:
        return records
    linked = _linked_complaints(councils, unlinked)

    def placed(r: Record) -> Record:
        procedure, area = linked.get((r.council, r.ref), (None, None))
        return replace(r, procedure=r.procedure or procedure, service_area=r.service_area or area)

    return [placed(r) if r.kind == c.Kind.OMBUDSMAN and (r.council, r.ref) in linked else r for r in records]


def _linked_complaints(
    councils: Sequence[Council], references: set[str]
) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(council slug, Ombudsman case reference) → the procedure and service area of the complaint the Ombudsman
    looked at (an Ombudsman case records neither itself): the area is its first team's service area, else the one
    recorded without a team."""
    first_team_area = Subquery(
        CaseTeam.objects.filter(case=OuterRef("ombudsman__complaint"))
        .order_by("position")
        .values("service_area__name")[:1]
    )
    rows = (
        Case.objects.filter(council__in=_ids(councils), kind=c.Kind.OMBUDSMAN, reference__in=sorted(references))
        .exclude(ombudsman__complaint=None)
        .annotate(first_team_area=first_team_area)
        .values_list(
            "council__slug",
            "reference",
            "ombudsman__complaint__procedure",
            "first_team_area",
            "ombudsman__complaint__service_area__name",
        )
    )
    return {
        (slug, ref): (procedure or None, team_area or area or None) for slug, ref, procedure, team_area, area in rows
    }


def procedure_rules_for(*, councils: Sequence[Council]) -> dict[str, ProcedureRules]:
    """The councils' own configured timescales by procedure, where they have them: the corporate procedure
    marked as a council's default (R3.9). Several councils reported together use those only if they all
    configured the same timescales; otherwise, and for the statutory procedures, the defaults apply."""
    rows = list(CorporateProcedure.objects.filter(council__in=_ids(councils), is_default=True))
    if len(rows) != len(councils) or not rows:
        return {}
    built = [procedure_rules(corporate_procedure_from(row), key=c.Procedure.CORPORATE, configured=True) for row in rows]
    if any(b.stages != built[0].stages for b in built):
        return {}
    if built[0].stages == rules_for(c.Procedure.CORPORATE).stages:
        return {}  # the Code's own timescales, as every council starts with: reported as the defaults
    return {c.Procedure.CORPORATE: built[0]}


def _complaint_stages(councils: Sequence[Council], procedure: str) -> QuerySet[Stage, Stage]:
    return of_council_complaints(
        Stage.objects.order_by(),
        council_ids=_ids(councils),
        procedure=None if procedure == ALL_PROCEDURES else procedure,
    )


def children_for_report(*, councils: Sequence[Council], records: Sequence[Record]) -> list[ChildConcerned]:
    """Every child or young person the complaints among ``records`` concern, one row for each child: a record
    carries only the first child of its complaint (R1.40 item 11). Ordered by complaint, then as recorded."""
    slugs = {council.pk: council.slug for council in councils}
    wanted = {(r.council, r.group_ref) for r in records if r.kind == c.Kind.COMPLAINT}
    references = sorted({reference for _, reference in wanted})
    children: list[ChildConcerned] = []
    for start in range(0, len(references), _CHUNK):
        # Looked up by reference, through the index on (council, reference), rather than reading the stages again.
        rows = (
            CaseChild.objects.filter(
                case__council_id__in=list(slugs),
                case__kind=c.Kind.COMPLAINT,
                case__reference__in=references[start : start + _CHUNK],
            )
            .order_by("case_id", "id")
            .values_list(
                "case__council_id",
                "case__reference",
                "age_at_receipt",
                "support_category",
                "person__sex",
                "person__ethnicity_code",
                "person__disability",
            )
        )
        children += [
            ChildConcerned(
                council=slugs[council_id],
                case_ref=reference,
                age=age,
                sex=sex or None,
                ethnicity=ethnicity or None,
                disability=disability or None,
                support_category=support or None,
            )
            for council_id, reference, age, support, sex, ethnicity, disability in rows
            if (slugs[council_id], reference) in wanted
        ]
    return children


def escalation_history(
    *,
    councils: Sequence[Council],
    period: Period,
    procedure: str,
    count: int = 2,
    stages: Sequence[TrendStage] | None = None,
) -> dict[int, AreaCounts]:
    """Escalation from stage 1 to stage 2 by service area in the ``count`` reporting years before the one
    ``period`` ends in, by the rules of :mod:`opencomplaints.reporting.metrics.escalation` (year → service area →
    (stage 1 completed less withdrawn, stage 2 received)). ``stages``: the rows of :func:`trend_stages` for years
    including those, where the caller has read them already."""
    years = trend_years(period, count=count + 1)[:-1]
    if stages is None:
        stages = _trend_stages(councils, years, procedure)
    wanted = set(years)
    lower: dict[tuple[int, str], int] = defaultdict(int)
    upper: dict[tuple[int, str], int] = defaultdict(int)
    for row in stages:
        number, received, responded, outcome, area = row[0], row[1], row[2], row[3], row[_AREA]
        # Each stage under its own service area (docs/adr/0010-per-stage-values.md).
        area = NOT_RECORDED if area is None else area
        if number == 1 and responded is not None and outcome != c.Outcome.WITHDRAWN:
            year = reporting_year_of(responded)
            if year in wanted:
                lower[(year, area)] += 1
        elif number == 2:
            year = reporting_year_of(received)
            if year in wanted:
                upper[(year, area)] += 1
    areas = sorted({area for _, area in (*lower, *upper)})
    return {
        year: {
            area: (lower.get((year, area), 0), upper.get((year, area), 0))
            for area in areas
            if (year, area) in lower or (year, area) in upper
        }
        for year in years
    }


def vocabulary_labels(*, councils: Sequence[Council]) -> Labels:
    """Display names of every vocabulary the report shows, from the case model's choices and the councils'
    remedy types."""
    remedies = dict(RemedyType.objects.filter(council__in=_ids(councils)).values_list("code", "name"))
    return {
        "outcome": dict(c.Outcome.choices),
        "kind": dict(kind_choices()),
        "procedure": dict(c.Procedure.choices),
        "complainant_type": dict(c.ComplainantType.choices),
        "received_via": dict(c.ReceivedVia.choices),
        "support_category": dict(c.SupportCategory.choices),
        "sex": dict(c.Sex.choices),
        "yes_no": dict(c.YesNoUnknown.choices),
        "sexual_orientation": dict(c.SexualOrientation.choices),
        "lgsco_decision": dict(c.LgscoDecision.choices),
        "mediation": dict(c.Mediation.choices),
        "remedy": remedies,
    }


def team_service_areas(*, councils: Sequence[Council]) -> dict[str, str]:
    """Team name → the name of its service area (the latest team of that name wins)."""
    rows = Team.objects.filter(council__in=_ids(councils)).order_by("active_from", "id")
    return dict(rows.values_list("name", "service_area__name"))


def _window(years: Sequence[int]) -> tuple[date, date]:
    return reporting_year(years[0]).start, reporting_year(years[-1]).end_exclusive


def _year_of(field: str, years: Sequence[int]) -> DbCase:
    """The reporting year of ``field`` among ``years`` (``NULL`` outside them), for grouping rows by year in one
    query rather than counting each year with a filter of its own."""
    whens = []
    for year in years:
        period = reporting_year(year)
        whens.append(When(**{f"{field}__gte": period.start, f"{field}__lt": period.end_exclusive}, then=Value(year)))
    return DbCase(*whens, default=None, output_field=IntegerField())


#: The outcomes the trend tables count at each stage.
_TREND_OUTCOMES: Mapping[int, tuple[str, ...]] = {
    1: ("upheld", "partly_upheld", "not_upheld", "withdrawn"),
    2: ("withdrawn",),
    3: ("withdrawn",),
}


#: The columns of a complaint stage :func:`trend_stages` reads, in its rows' order; the service area's name is
#: at ``_AREA`` and, in a report of every procedure, the complaint's procedure after it.
_TREND_COLUMNS: tuple[str, ...] = (
    "number",
    "received_date",
    "response_date",
    "outcome",
    "extended",
    "statement_agreed_date",
    "acknowledged_date",
    "extended_due_date",
    "service_area__name",
)
_AREA = 8

#: One complaint stage as :func:`trend_stages` reads it (the columns of ``_TREND_COLUMNS``).
type TrendStage = tuple[Any, ...]


def trend_stages(*, councils: Sequence[Council], period: Period, procedure: str, count: int = 10) -> list[TrendStage]:
    """The few columns the trend figures, the trends by service area and the escalation history count of the
    councils' complaint stages received or answered in the ``count`` reporting years ending with the one
    ``period`` ends in: read once for all three (ten years of a council are some thousands of short rows)."""
    return _trend_stages(councils, trend_years(period, count=count), procedure)


def _trend_stages(councils: Sequence[Council], years: Sequence[int], procedure: str) -> list[TrendStage]:
    start, end = _window(years)
    stages = _complaint_stages(councils, procedure).filter(
        Q(received_date__gte=start, received_date__lt=end) | Q(response_date__gte=start, response_date__lt=end)
    )
    columns = [*_TREND_COLUMNS, *(("case__procedure",) if procedure == ALL_PROCEDURES else ())]
    return list(stages.values_list(*columns))


def _stage_counts(
    stages: Iterable[TrendStage],
    years: Sequence[int],
    procedure: str,
    calendar: WorkingDayCalendar,
    configured: Mapping[str, ProcedureRules] | None = None,
) -> Counts:
    """Each year's stages received and completed, their outcomes and the timeliness of stages 1 and 2, counted
    from ``stages`` (rows of :func:`trend_stages`). Timeliness needs working days, which SQL cannot count, so the
    rows are counted here."""
    counts: Counts = defaultdict(dict)
    for number, outcomes in _TREND_OUTCOMES.items():
        for measure in ("received", "completed", *outcomes, *(("assessed", "on_time") if number < 3 else ())):
            counts[f"stage{number}_{measure}"] = dict.fromkeys(years, 0)
    # Each stage's counters, looked up once rather than by building their names for every row.
    received_by = {n: counts[f"stage{n}_received"] for n in _TREND_OUTCOMES}
    completed_by = {n: counts[f"stage{n}_completed"] for n in _TREND_OUTCOMES}
    outcome_by = {(n, o): counts[f"stage{n}_{o}"] for n, outcomes in _TREND_OUTCOMES.items() for o in outcomes}
    assessed_by = {n: counts[f"stage{n}_assessed"] for n in (1, 2)}
    on_time_by = {n: counts[f"stage{n}_on_time"] for n in (1, 2)}
    wanted = set(years)
    for row in stages:
        number, received, responded, outcome, extended, agreed, acknowledged, extended_due = row[:8]
        year = reporting_year_of(received)
        if year in wanted:
            received_by[number][year] += 1
        if responded is None:
            continue
        year = reporting_year_of(responded)
        if year not in wanted:
            continue
        completed_by[number][year] += 1
        if (number, outcome) in outcome_by:
            outcome_by[(number, outcome)][year] += 1
        if number == 3 or outcome in NOT_ASSESSED:
            continue
        on_time = response_on_time(
            stage=number,
            procedure=row[_AREA + 1] if procedure == ALL_PROCEDURES else procedure,
            start=(agreed or received) if number == 2 else received,
            responded=responded,
            extended=extended,
            calendar=calendar,
            acknowledged=acknowledged,
            extended_due=extended_due,
            configured=configured,
        )
        if on_time is not None:
            assessed_by[number][year] += 1
            on_time_by[number][year] += on_time
    return counts


def _of_procedure(cases: QuerySet[Case, Case], procedure: str) -> QuerySet[Case, Case]:
    """``cases`` less the Ombudsman cases of another procedure than ``procedure`` (interchange §4): an Ombudsman
    case's procedure is the one recorded on it, else that of the complaint it is linked to, else the children's
    statutory procedure."""
    if procedure == ALL_PROCEDURES:
        return cases
    own = Coalesce(
        NullIf("ombudsman__complaint_procedure", Value("")),
        NullIf("ombudsman__complaint__procedure", Value("")),
        Value(DEFAULT_PROCEDURE),
        output_field=CharField(),
    )
    return cases.alias(own_procedure=own).exclude(Q(kind=c.Kind.OMBUDSMAN) & ~Q(own_procedure=procedure))


def _other_counts(councils: Sequence[Council], years: Sequence[int], procedure: str = ALL_PROCEDURES) -> Counts:
    """Each year's representations of the other kinds received, and the Ombudsman's decisions (less those in
    progress), those finding fault and the payments it recommended, each grouped by year in one query."""
    start, end = _window(years)
    other_kinds = (c.Kind.OMBUDSMAN, *representation_kinds())
    cases = _of_procedure(Case.objects.filter(council_id__in=_ids(councils), kind__in=other_kinds), procedure)
    counts: Counts = defaultdict(dict)
    for kind in other_kinds:
        counts[f"{kind}_received"] = dict.fromkeys(years, 0)
    received = (
        cases.filter(received_date__gte=start, received_date__lt=end)
        .annotate(year=_year_of("received_date", years))
        .order_by()
        .values_list("kind", "year")
        .annotate(n=Count("id"))
    )
    for kind, year, n in received:
        counts[f"{kind}_received"][year] = n
    decided = (
        cases.filter(kind=c.Kind.OMBUDSMAN, ombudsman__decision_date__gte=start, ombudsman__decision_date__lt=end)
        .exclude(ombudsman__decision=c.LgscoDecision.IN_PROGRESS)
        .annotate(year=_year_of("ombudsman__decision_date", years))
        .order_by()
        .values_list("year")
        .annotate(
            decided=Count("id"),
            upheld=Count("id", filter=Q(ombudsman__decision__in=UPHELD_DECISIONS)),
            payments=Sum("ombudsman__recommended_payment"),
        )
    )
    by_year = {year: (n, upheld, payments or 0) for year, n, upheld, payments in decided}
    for position, measure in enumerate(("ombudsman_decided", "ombudsman_upheld", "ombudsman_payments")):
        counts[measure] = {year: by_year[year][position] if year in by_year else 0 for year in years}
    return counts


def _compensation(councils: Sequence[Council], years: Sequence[int], procedure: str, counts: Counts) -> None:
    """Each year's compensation: the remedies' amounts of the stages answered in it and the payments the
    Ombudsman recommended in the decisions of that year."""
    start, end = _window(years)
    remedies = (
        of_council_complaints(
            Remedy.objects.order_by(),
            council_ids=_ids(councils),
            procedure=None if procedure == ALL_PROCEDURES else procedure,
        )
        .filter(stage__response_date__gte=start, stage__response_date__lt=end)
        .annotate(year=_year_of("stage__response_date", years))
        .values_list("year")
        .annotate(amount=Sum("amount"))
    )
    stage_money = dict(remedies.values_list("year", "amount"))
    payments = counts.pop("ombudsman_payments", {})
    for year in years:
        total = Decimal(stage_money.get(year) or 0) + Decimal(payments.get(year) or 0)
        counts["compensation_total"][year] = total.quantize(Decimal("0.01"))


def historic_figures(*, councils: Sequence[Council], years: Sequence[int]) -> dict[tuple[str, int], Decimal]:
    """Historic summary figures for ``years``, summed over the councils. Percentages can only be combined from
    their counts, so a combined report uses entered percentages only when there is one council."""
    rows = HistoricFigure.objects.filter(council__in=_ids(councils), year__in=list(years))
    figures: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for measure, year, value in rows.values_list("measure", "year", "value"):
        if len(councils) > 1 and measure.endswith("_percent"):
            continue
        figures[(measure, year)] += value
    return dict(figures)


def _first_data_year(councils: Sequence[Council]) -> int | None:
    first = Case.objects.filter(council__in=_ids(councils)).aggregate(first=Min("received_date"))["first"]
    return None if first is None else reporting_year_of(first)


def trend_data(
    *,
    councils: Sequence[Council],
    period: Period,
    procedure: str,
    calendar: WorkingDayCalendar,
    count: int = 10,
    configured: Mapping[str, ProcedureRules] | None = None,
    breakdowns: Mapping[BreakdownKey, Mapping[int, Mapping[str, int]]] | None = None,
    stages: Sequence[TrendStage] | None = None,
) -> TrendData:
    """Figures for the ``count`` reporting years ending with the one ``period`` ends in: counted from case data,
    merged with historic figures (see :mod:`opencomplaints.reporting.metrics.trends`). ``breakdowns``: the
    historic figures by dimension of those years, and ``stages`` the rows of :func:`trend_stages` for them,
    where the caller has read them already."""
    years = trend_years(period, count=count)
    if stages is None:
        stages = _trend_stages(councils, years, procedure)
    counts = _stage_counts(stages, years, procedure, calendar, configured)
    counts.update(_other_counts(councils, years, procedure))
    _compensation(councils, years, procedure, counts)
    historic = historic_figures(councils=councils, years=years)
    # A year entered only by service area still has its totals: each record names one service area.
    if breakdowns is None:
        breakdowns = historic_breakdowns(councils=councils, years=years)
    for (stage, measure, dimension), by_year in breakdowns.items():
        total_measure = f"stage{stage}_{measure}"
        if dimension == "service_area" and total_measure in HISTORIC_MEASURES:
            for year, cells in by_year.items():
                historic.setdefault((total_measure, year), Decimal(sum(cells.values())))
    return merge_trends(
        years=years,
        computed=counts,
        historic=historic,
        first_data_year=_first_data_year(councils),
    )


def historic_breakdowns(
    *, councils: Sequence[Council], years: Sequence[int]
) -> dict[BreakdownKey, dict[int, dict[str, int]]]:
    """Historic figures by dimension for ``years``, summed over the councils: (stage, measure, dimension) → year →
    category → count."""
    rows = HistoricBreakdown.objects.filter(council__in=_ids(councils), year__in=list(years)).values_list(
        "stage", "measure", "dimension", "year", "category", "value"
    )
    figures: dict[BreakdownKey, dict[int, dict[str, int]]] = {}
    for stage, measure, dimension, year, category, value in rows:
        cells = figures.setdefault((stage, measure, dimension), {}).setdefault(year, {})
        cells[category] = cells.get(category, 0) + value
    return figures


#: What the trend tables by service area count at each stage, from the stages received or answered in the years.
_AREA_MEASURES: tuple[str, ...] = ("received", "completed", "upheld", "partly_upheld", "not_upheld", "withdrawn")


def _area_counts(stages: Iterable[TrendStage], years: Sequence[int]) -> dict[BreakdownKey, dict[int, dict[str, int]]]:
    """Complaints by stage and service area in each of ``years``, counted from ``stages`` (rows of
    :func:`trend_stages`): received by ``received``, completed and outcomes by ``responded`` (each stage under its
    own service area, ADR 0010)."""
    wanted = set(years)
    outcomes = set(_AREA_MEASURES[2:])
    # (stage, measure, year, area) → count
    cells: dict[tuple[int, str, int, str], int] = defaultdict(int)
    for row in stages:
        number, received, responded, outcome, area = row[0], row[1], row[2], row[3], row[_AREA]
        area = UNKNOWN if area is None else area
        year = reporting_year_of(received)
        if year in wanted:
            cells[(number, "received", year, area)] += 1
        if responded is not None:
            year = reporting_year_of(responded)
            if year in wanted:
                cells[(number, "completed", year, area)] += 1
                if outcome in outcomes:
                    cells[(number, outcome, year, area)] += 1
    # In the order of the areas, then stages, measures and years, as a query grouped by area gives them.
    order = {measure: position for position, measure in enumerate(_AREA_MEASURES)}
    counts: dict[BreakdownKey, dict[int, dict[str, int]]] = {}
    for number, measure, year, area in sorted(cells, key=lambda k: (k[3], k[0], order[k[1]] > 0, k[2], order[k[1]])):
        key = (number, measure, "service_area")
        counts.setdefault(key, {}).setdefault(year, {})[area] = cells[(number, measure, year, area)]
    return counts


def dimension_trend_data(
    *,
    councils: Sequence[Council],
    period: Period,
    procedure: str,
    count: int = 10,
    breakdowns: Mapping[BreakdownKey, Mapping[int, Mapping[str, int]]] | None = None,
    stages: Sequence[TrendStage] | None = None,
) -> DimensionTrend:
    """Trend figures by dimension for the ``count`` reporting years ending with the one ``period`` ends in: by
    service area from the case data, merged with the historic figures by dimension (``breakdowns``, read here
    unless given; see :mod:`opencomplaints.reporting.metrics.dimension_trends`). ``stages``: the rows of
    :func:`trend_stages` for those years, where the caller has read them already."""
    years = trend_years(period, count=count)
    if stages is None:
        stages = _trend_stages(councils, years, procedure)
    return merge_dimension_trends(
        years=years,
        computed=_area_counts(stages, years),
        historic=historic_breakdowns(councils=councils, years=years) if breakdowns is None else breakdowns,
        first_data_year=_first_data_year(councils),
    )


def context_figures(*, councils: Sequence[Council], year: int) -> dict[str, int | None]:
    """The context figures for reporting ``year``, summed over the councils (``None`` where none was entered)."""
    names = [name for name, _ in CONTEXT_FIELDS]
    rows = ContextFigures.objects.filter(council__in=_ids(councils), year=year).values_list(*names)
    totals: dict[str, int | None] = dict.fromkeys(names)
    for row in rows:
        for name, value in zip(names, row, strict=True):
            if value is not None:
                totals[name] = (totals[name] or 0) + value
    return totals


def learning_items(*, councils: Sequence[Council], period: Period) -> list[LearningItem]:
    """The councils' learning actions relevant to ``period`` (leaving out those implemented before it began)."""
    rows = (
        LearningAction.objects.filter(council__in=_ids(councils))
        .exclude(status=c.LearningActionStatus.IMPLEMENTED, implemented_date__lt=period.start)
        .annotate(first_case_received=Min("cases__received_date"))
        .values_list(
            "action",
            "finding",
            "team__name",
            "status",
            "due_date",
            "implemented_date",
            "not_implemented_reason",
            "created_at",
            "first_case_received",
        )
    )
    return [
        LearningItem(
            action=action,
            finding=finding,
            team=team,
            status=status,
            due=due,
            implemented=implemented,
            not_implemented_reason=reason,
            # An action is recorded when it is entered, or (entered later, as on import) when the complaint it
            # came from was received.
            recorded=min(london_date(created), first) if first else london_date(created),
        )
        for action, finding, team, status, due, implemented, reason, created, first in rows
    ]


def quotes_for_report(*, councils: Sequence[Council], period: Period, limit: int = MAX_QUOTES) -> list[Quote]:
    """Up to ``limit`` quotes from the compliments received in ``period``, in the order received (not yet
    redacted: :func:`build_report` redacts them)."""
    return [quote for _, quote in quotes_for_review(councils=councils, period=period, limit=limit)]


def quotes_for_review(
    *, councils: Sequence[Council], period: Period, limit: int = MAX_QUOTES
) -> list[tuple[int, Quote]]:
    """The quotes :func:`quotes_for_report` gives, each with the id of its compliment (for a reviewer's
    decision on it)."""
    rows = (
        ComplimentDetail.objects.filter(
            case__council__in=_ids(councils),
            case__received_date__gte=period.start,
            case__received_date__lt=period.end_exclusive,
        )
        .exclude(quote="")
        .order_by("case__received_date", "id")
        .values_list("pk", "quote", "about_team__name")[:limit]
    )
    return [(pk, Quote(text=quote, team=team)) for pk, quote, team in rows]


def names_to_redact(*, councils: Sequence[Council], texts: Iterable[str]) -> frozenset[str]:
    """The names of people and staff in the councils' records that appear in ``texts``, and the names of the
    people compliments praise: only the capitalised words of the texts are looked up."""
    words = sorted(candidate_words(texts))
    if not words:
        return frozenset()
    names: set[str] = set()
    people = Person.objects.filter(council__in=_ids(councils)).filter(Q(first_name__in=words) | Q(last_name__in=words))
    for first, last in people.values_list("first_name", "last_name"):
        names.update({first, last, f"{first} {last}".strip()})
    staff = User.objects.filter(Q(first_name__in=words) | Q(last_name__in=words))
    for first, last in staff.values_list("first_name", "last_name"):
        names.update({first, last, f"{first} {last}".strip()})
    # People named in free text of the records: the person a compliment praises, advocates and enquirers.
    written = [
        ComplimentDetail.objects.filter(case__council__in=_ids(councils)).values_list("about_person", flat=True),
        Case.objects.filter(council__in=_ids(councils))
        .exclude(advocate_name="")
        .values_list("advocate_name", flat=True),
        EnquiryDetail.objects.filter(case__council__in=_ids(councils)).values_list("enquirer_name", flat=True),
    ]
    for query in written:
        for person in query.distinct():
            parts = name_parts(person)
            if any(part in words for part in parts):
                names.update(parts)
    return frozenset(n for n in names if is_name(n))


def service_area_names(*, councils: Sequence[Council]) -> list[str]:
    """The names of the councils' service areas, for choosing one."""
    return sorted(set(ServiceArea.objects.filter(council__in=_ids(councils)).values_list("name", flat=True)))


def saved_tables_for(*, councils: Sequence[Council], procedure: str) -> QuerySet[SavedTable]:
    """The tables saved to the councils' annual reports of ``procedure``, oldest first."""
    return SavedTable.objects.filter(council__in=_ids(councils), procedure=procedure).order_by("created_at", "id")


def saved_queries(*, councils: Sequence[Council], procedure: str) -> list[SavedQuery]:
    """The saved tables of the councils' reports of ``procedure`` as queries (one of each, where several councils
    reported together saved the same table)."""
    found: dict[tuple[object, ...], SavedQuery] = {}
    for row in saved_tables_for(councils=councils, procedure=procedure):
        query = TableQuery(
            measure=row.measure,
            rows=row.rows,
            columns=row.columns or None,
            stage=row.stage,
            kind=row.kind or None,
            procedure=row.procedure,
        )
        same = (query, row.title, row.service_area)
        if same not in found:
            # Numbered in the order saved, never by database id, so the report is the same after an archive has
            # moved it to another installation (docs/archive.md).
            key = f"saved_{len(found) + 1}"
            found[same] = SavedQuery(key=key, title=row.title, query=query, service_area=row.service_area or None)
    return list(found.values())


def report_inputs(
    *, councils: Sequence[Council], period: Period, procedure: str, calendar: WorkingDayCalendar | None = None
) -> ReportInputs:
    """Everything the report for ``councils`` over ``period`` is built from."""
    calendar = calendar or working_day_calendar()
    ordered = sorted(councils, key=lambda council: council.name)
    learning = learning_items(councils=ordered, period=period)
    quotes = quotes_for_report(councils=ordered, period=period)
    texts = [q.text for q in quotes] + [t for i in learning for t in (i.action, i.finding, i.not_implemented_reason)]
    year = period.reporting_year
    records = records_for_report(councils=ordered, period=period, procedure=procedure)
    configured = procedure_rules_for(councils=ordered)
    breakdowns = historic_breakdowns(councils=ordered, years=trend_years(period))
    # The ten years' stages, read once for the trends, the trends by service area and the escalation history.
    stages = trend_stages(councils=ordered, period=period, procedure=procedure)
    return ReportInputs(
        council_names=tuple(council.name for council in ordered),
        period=period,
        procedure=procedure,
        records=records,
        children=children_for_report(councils=ordered, records=records),
        escalation_history=escalation_history(councils=ordered, period=period, procedure=procedure, stages=stages),
        calendar=calendar,
        trend=trend_data(
            councils=ordered,
            period=period,
            procedure=procedure,
            calendar=calendar,
            configured=configured,
            breakdowns=breakdowns,
            stages=stages,
        ),
        dimension_trend=dimension_trend_data(
            councils=ordered, period=period, procedure=procedure, breakdowns=breakdowns, stages=stages
        ),
        labels=vocabulary_labels(councils=ordered),
        team_service_areas=team_service_areas(councils=ordered),
        context=context_figures(councils=ordered, year=year),
        previous_context=context_figures(councils=ordered, year=year - 1),
        learning=learning,
        quotes=quotes,
        names=names_to_redact(councils=ordered, texts=texts),
        procedure_rules=configured,
        saved_tables=saved_queries(councils=ordered, procedure=procedure),
    )


def report_files_for_user(*, user: AnyUser) -> QuerySet[ReportFile]:
    """The report files ``user`` asked for and may still download: only while they may see reports for every one
    of a file's councils (a role given up, or a council left, hides its files). Newest first."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return ReportFile.objects.none()
    allowed = councils_for_purpose(user=user, purpose=CouncilPurpose.REPORTS).values("pk")
    links = ReportFile.councils.through.objects.filter(reportfile_id=OuterRef("pk"))
    return (
        ReportFile.objects.filter(requested_by_id=user.pk)
        .filter(Exists(links))
        .exclude(Exists(links.exclude(council_id__in=allowed)))
        .prefetch_related("councils")
    )


def report_file_for_user(*, user: AnyUser, report_file_id: int | str) -> ReportFile:
    """The report file ``report_file_id`` if ``user`` may download it (see :func:`report_files_for_user`);
    otherwise ``NotFoundError``, the same whether it does not exist or is not theirs."""
    try:
        pk = int(str(report_file_id))
    except ValueError as error:
        raise NotFoundError(REPORT_FILE_NOT_FOUND) from error
    report_file = report_files_for_user(user=user).filter(pk=pk).first()
    if report_file is None:
        raise NotFoundError(REPORT_FILE_NOT_FOUND)
    return report_file
