"""The report's reads: the only module of the reporting app that queries the database.

``report_inputs`` gathers everything :func:`opencomplaints.reporting.report.build_report` needs for a set of
councils and a period, in a fixed, small number of queries: the period's records (through
:func:`opencomplaints.records.selectors.records_for_councils`), trend figures aggregated by the database for up
to ten reporting years (so a database of a million records is never loaded into Python), historic and context
figures, learning actions, compliment quotes and the names to redact from them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, ComplimentDetail, LearningAction, Person, Remedy, Stage
from opencomplaints.councils.models import Council, EthnicityCategory, RemedyType, Team
from opencomplaints.deadlines import WorkingDayCalendar
from opencomplaints.records import Record
from opencomplaints.records.selectors import records_for_councils
from opencomplaints.reporting.metrics.benchmarking import CONTEXT_FIELDS
from opencomplaints.reporting.metrics.learning import LearningItem
from opencomplaints.reporting.metrics.ombudsman import UPHELD_DECISIONS
from opencomplaints.reporting.metrics.selection import ALL_PROCEDURES, NOT_ASSESSED, Labels
from opencomplaints.reporting.metrics.timeliness import stage_timeliness
from opencomplaints.reporting.metrics.trends import TrendData, merge_trends
from opencomplaints.reporting.models import ContextFigures, HistoricFigure
from opencomplaints.reporting.periods import Period, reporting_year, reporting_year_of, trend_years
from opencomplaints.reporting.redaction import candidate_words
from opencomplaints.reporting.report import Quote, ReportInputs

__all__ = [
    "context_figures",
    "ethnicity_names",
    "historic_figures",
    "learning_items",
    "names_to_redact",
    "quotes_for_report",
    "records_for_report",
    "report_inputs",
    "team_service_areas",
    "trend_data",
    "vocabulary_labels",
]

OTHER_KINDS = ("ombudsman", "potential_complaint", "query", "mp_enquiry", "member_enquiry", "compliment")
MAX_QUOTES = 10

type Counts = dict[str, dict[int, Decimal | int]]


def _ids(councils: Iterable[Council]) -> list[int]:
    return [council.pk for council in councils]


def records_for_report(*, councils: Sequence[Council], period: Period, procedure: str) -> list[Record]:
    """The records relevant to ``period``: received in it, responded to in it, or open at its end. Complaints are
    limited to ``procedure`` (``"all"`` for every procedure); every other kind of record is included."""
    return records_for_councils(
        councils=councils,
        open_during=(period.start, period.end_exclusive),
        procedure=None if procedure == ALL_PROCEDURES else procedure,
    )


def vocabulary_labels(*, councils: Sequence[Council]) -> Labels:
    """Display names of every vocabulary the report shows, from the case model's choices and the councils'
    remedy types."""
    remedies = dict(RemedyType.objects.filter(council__in=_ids(councils)).values_list("code", "name"))
    return {
        "outcome": dict(c.Outcome.choices),
        "kind": dict(c.Kind.choices),
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


def ethnicity_names() -> dict[str, str]:
    """Ethnic group codes (of every scheme) → their names."""
    return dict(EthnicityCategory.objects.values_list("code", "name"))


def team_service_areas(*, councils: Sequence[Council]) -> dict[str, str]:
    """Team name → the name of its service area (the latest team of that name wins)."""
    rows = Team.objects.filter(council__in=_ids(councils)).order_by("active_from", "id")
    return dict(rows.values_list("name", "service_area__name"))


def _window(years: Sequence[int]) -> tuple[date, date]:
    return reporting_year(years[0]).start, reporting_year(years[-1]).end_exclusive


def _by_year(field: str, years: Sequence[int], extra: Q | None = None) -> dict[int, Q]:
    conditions = {}
    for year in years:
        period = reporting_year(year)
        condition = Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end_exclusive})
        conditions[year] = condition & extra if extra is not None else condition
    return conditions


def _stage_counts(councils: Sequence[Council], years: Sequence[int], procedure: str) -> Counts:
    start, end = _window(years)
    stages = Stage.objects.filter(case__council_id__in=_ids(councils), case__kind=c.Kind.COMPLAINT)
    if procedure != ALL_PROCEDURES:
        stages = stages.filter(case__procedure=procedure)
    stages = stages.filter(
        Q(received_date__gte=start, received_date__lt=end) | Q(response_date__gte=start, response_date__lt=end)
    )
    aggregates: dict[str, Any] = {}
    for number in (1, 2, 3):
        is_stage = Q(number=number)
        for year, q in _by_year("received_date", years, is_stage).items():
            aggregates[f"stage{number}_received__{year}"] = Count("id", filter=q)
        for year, q in _by_year("response_date", years, is_stage).items():
            aggregates[f"stage{number}_completed__{year}"] = Count("id", filter=q)
            for outcome in ("upheld", "partly_upheld", "not_upheld", "withdrawn"):
                if number == 1 or outcome == "withdrawn":
                    aggregates[f"stage{number}_{outcome}__{year}"] = Count("id", filter=q & Q(outcome=outcome))
    return _unflatten(stages.aggregate(**aggregates))


def _unflatten(flat: Mapping[str, Any]) -> Counts:
    counts: Counts = defaultdict(dict)
    for key, value in flat.items():
        measure, year = key.rsplit("__", 1)
        counts[measure][int(year)] = value if value is not None else 0
    return counts


def _other_counts(councils: Sequence[Council], years: Sequence[int]) -> Counts:
    start, end = _window(years)
    cases = Case.objects.filter(council_id__in=_ids(councils), kind__in=OTHER_KINDS)
    received = cases.filter(received_date__gte=start, received_date__lt=end)
    aggregates: dict[str, Any] = {}
    for kind in OTHER_KINDS:
        for year, q in _by_year("received_date", years, Q(kind=kind)).items():
            aggregates[f"{kind}_received__{year}"] = Count("id", filter=q)
    counts = _unflatten(received.aggregate(**aggregates))
    decided = cases.filter(
        kind=c.Kind.OMBUDSMAN, ombudsman__decision_date__gte=start, ombudsman__decision_date__lt=end
    ).exclude(ombudsman__decision=c.LgscoDecision.IN_PROGRESS)
    aggregates = {}
    for year, q in _by_year("ombudsman__decision_date", years).items():
        aggregates[f"ombudsman_decided__{year}"] = Count("id", filter=q)
        aggregates[f"ombudsman_upheld__{year}"] = Count("id", filter=q & Q(ombudsman__decision__in=UPHELD_DECISIONS))
        aggregates[f"ombudsman_payments__{year}"] = Sum("ombudsman__recommended_payment", filter=q)
    counts.update(_unflatten(decided.aggregate(**aggregates)))
    return counts


def _compensation(councils: Sequence[Council], years: Sequence[int], procedure: str, counts: Counts) -> None:
    start, end = _window(years)
    remedies = Remedy.objects.filter(
        case__council_id__in=_ids(councils),
        case__kind=c.Kind.COMPLAINT,
        stage__response_date__gte=start,
        stage__response_date__lt=end,
    )
    if procedure != ALL_PROCEDURES:
        remedies = remedies.filter(case__procedure=procedure)
    aggregates = {
        f"compensation_stages__{year}": Sum("amount", filter=q)
        for year, q in _by_year("stage__response_date", years).items()
    }
    stage_money = _unflatten(remedies.aggregate(**aggregates))
    payments = counts.pop("ombudsman_payments", {})
    for year in years:
        total = Decimal(stage_money["compensation_stages"].get(year) or 0) + Decimal(payments.get(year) or 0)
        counts["compensation_total"][year] = total.quantize(Decimal("0.01"))


def _timeliness_counts(
    councils: Sequence[Council], years: Sequence[int], procedure: str, calendar: WorkingDayCalendar, counts: Counts
) -> None:
    # Timeliness needs working days per record, which SQL cannot count; only the few columns it needs are read,
    # for stages 1 and 2 completed in the window.
    start, end = _window(years)
    stages = Stage.objects.filter(
        case__council_id__in=_ids(councils),
        case__kind=c.Kind.COMPLAINT,
        number__in=(1, 2),
        response_date__gte=start,
        response_date__lt=end,
    ).exclude(outcome__in=NOT_ASSESSED)
    if procedure != ALL_PROCEDURES:
        stages = stages.filter(case__procedure=procedure)
    rows = stages.values_list(
        "number", "received_date", "statement_agreed_date", "response_date", "extended", "outcome", "case__procedure"
    )
    by_year: dict[int, list[Record]] = defaultdict(list)
    for number, received, agreed, responded, extended, outcome, case_procedure in rows:
        if responded is None:  # excluded by the filter; narrows the type
            continue
        by_year[reporting_year_of(responded)].append(
            Record(
                ref="",
                kind=c.Kind.COMPLAINT,
                procedure=case_procedure or None,
                stage=number,
                received=received,
                stage2_start=agreed or received,
                extended=extended,
                responded=responded,
                outcome=outcome,
            )
        )
    for year in years:
        period = reporting_year(year)
        for number in (1, 2):
            t = stage_timeliness(by_year.get(year, []), period, procedure, number, calendar)
            counts[f"stage{number}_assessed"][year] = t.assessed
            counts[f"stage{number}_on_time"][year] = t.on_time


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
    *, councils: Sequence[Council], period: Period, procedure: str, calendar: WorkingDayCalendar, count: int = 10
) -> TrendData:
    """Figures for the ``count`` reporting years ending with the one ``period`` ends in: counted by the database
    from case data, merged with historic figures (see :mod:`opencomplaints.reporting.metrics.trends`)."""
    years = trend_years(period, count=count)
    counts = _stage_counts(councils, years, procedure)
    counts.update(_other_counts(councils, years))
    _compensation(councils, years, procedure, counts)
    _timeliness_counts(councils, years, procedure, calendar, counts)
    return merge_trends(
        years=years,
        computed=counts,
        historic=historic_figures(councils=councils, years=years),
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


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def learning_items(*, councils: Sequence[Council], period: Period) -> list[LearningItem]:
    """The councils' learning actions relevant to ``period`` (leaving out those implemented before it began)."""
    rows = (
        LearningAction.objects.filter(council__in=_ids(councils))
        .exclude(status=c.LearningActionStatus.IMPLEMENTED, implemented_date__lt=period.start)
        .values_list(
            "action",
            "finding",
            "team__name",
            "status",
            "due_date",
            "implemented_date",
            "not_implemented_reason",
            "created_at",
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
            recorded=_local_date(created),
        )
        for action, finding, team, status, due, implemented, reason, created in rows
    ]


def quotes_for_report(*, councils: Sequence[Council], period: Period, limit: int = MAX_QUOTES) -> list[Quote]:
    """Up to ``limit`` quotes from the compliments received in ``period``, in the order received (not yet
    redacted: :func:`build_report` redacts them)."""
    rows = (
        ComplimentDetail.objects.filter(
            case__council__in=_ids(councils),
            case__received_date__gte=period.start,
            case__received_date__lt=period.end_exclusive,
        )
        .exclude(quote="")
        .order_by("case__received_date", "id")
        .values_list("quote", "about_team__name")[:limit]
    )
    return [Quote(text=quote, team=team) for quote, team in rows]


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
    praised = ComplimentDetail.objects.filter(case__council__in=_ids(councils)).exclude(about_person="")
    for (person,) in praised.values_list("about_person").distinct():
        if any(part in words for part in person.split()):
            names.update({person, *person.split()})
    return frozenset(n for n in names if n)


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
    return ReportInputs(
        council_names=tuple(council.name for council in ordered),
        period=period,
        procedure=procedure,
        records=records_for_report(councils=ordered, period=period, procedure=procedure),
        calendar=calendar,
        trend=trend_data(councils=ordered, period=period, procedure=procedure, calendar=calendar),
        labels=vocabulary_labels(councils=ordered),
        ethnicity_names=ethnicity_names(),
        team_service_areas=team_service_areas(councils=ordered),
        context=context_figures(councils=ordered, year=year),
        previous_context=context_figures(councils=ordered, year=year - 1),
        learning=learning,
        quotes=quotes,
        names=names_to_redact(councils=ordered, texts=texts),
    )
