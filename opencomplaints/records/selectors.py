"""Database → interchange records (../shared/spec/interchange.md §1).

A complaint gives one record per stage; every other kind of representation gives one record. The mapping:

- ``ref``: the stage's own reference where the model has one, else the case reference for stage 1 and
  ``<case reference>/<n>`` for later stages; other kinds use the case reference. ``case_ref`` is the case
  reference. ``council`` is the council's slug.
- Stages: ``received`` is the stage's received date; ``stage2_start`` (stage 2) the date the statement of
  complaint was agreed, else the date received (R1.26); ``acknowledged``, ``extended``/``extended_due``,
  ``responded``, ``outcome`` and the stage 3 panel dates come from the stage.
- Ombudsman cases: ``responded`` is the decision date, ``lgsco_decision``/``lgsco_decision_label`` the decision
  and the Ombudsman's wording, ``compensation`` the payment recommended. Enquiries, queries, potential complaints
  and compliments: ``responded`` is the case's response date.
- A stage's own details (docs/adr/0010-per-stage-values.md): ``received_via``, ``service_area``, ``teams`` and
  ``issues`` in position order, ``complainant_type``, ``support_category``, ``mediation`` and ``advocacy`` come
  from the stage; the case-level values below are for the kinds without stages.
- Shared by every record of a case: teams in position order; the service area of the first team link (as it
  was when the case was received), else the case's own service area (an imported record can name one without a
  team); ``topic``; issues in position order (the first is the principal issue); the primary
  complainant's type, sex, ethnicity code, disability and sexual orientation, and age in whole years at the date
  the case was received; the first child's age at receipt, support category, sex, ethnicity code and
  disability; ``advocacy`` (an advocate was provided), ``mediation`` and ``summary``.
- ``compensation`` of a stage is the sum of the remedies' amounts recorded against that stage, and ``remedies``
  their type codes; remedies of other kinds are those of the case.

Built with a handful of queries whatever the number of records (no query per row).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Q

from opencomplaints.cases.models import (
    Case,
    CaseChild,
    CaseComplainant,
    CaseIssue,
    CaseTeam,
    Remedy,
    Stage,
    StageIssue,
    StageTeam,
)
from opencomplaints.common.dates import age_on
from opencomplaints.councils.models import Council
from opencomplaints.records.queries import InIds, of_council_complaints
from opencomplaints.records.record import Record

__all__ = ["records_for_councils"]

COMPLAINT = "complaint"
OMBUDSMAN = "ombudsman"
_UNKNOWN = {"", "unknown"}
# Postgres takes any number of parameters; SQLite builds vary, so long id lists are sent in chunks.
_CHUNK = 5000
_STAGE_HAS_REFERENCE = any(f.name == "reference" for f in Stage._meta.get_fields())

_STAGE_FIELDS = (
    "id",
    "case_id",
    "number",
    "received_date",
    "acknowledged_date",
    "statement_agreed_date",
    "extended",
    "extended_due_date",
    "response_date",
    "outcome",
    "panel_date",
    "panel_report_date",
    *(("reference",) if _STAGE_HAS_REFERENCE else ()),
    # The stage's own details (docs/adr/0010-per-stage-values.md).
    "received_via",
    "service_area__name",
    "complainant_type",
    "support_category",
    "mediation",
    "advocacy_provided",
)
_CASE_FIELDS = (
    "id",
    "council_id",
    "reference",
    "kind",
    "procedure",
    "received_date",
    "received_via",
    "summary",
    "topic",
    "mediation",
    "advocacy_provided",
    "responded_date",
    "outcome",
    "service_area__name",
)


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _age(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return age_on(born, on)


def _code(value: str | None) -> str | None:
    return value or None


def _council_ids(councils: Iterable[Council]) -> dict[int, str]:
    return {c.pk: c.slug for c in councils}


def _stage_filter(
    received_from: date | None,
    received_before: date | None,
    open_during: tuple[date, date] | None,
) -> Q:
    q = Q()
    if received_from:
        q &= Q(received_date__gte=received_from)
    if received_before:
        q &= Q(received_date__lt=received_before)
    if open_during:
        start, end_exclusive = open_during
        q &= Q(received_date__lt=end_exclusive) & (Q(response_date__isnull=True) | Q(response_date__gte=start))
    return q


def _other_filter(
    council_ids: Collection[int],
    kinds: Collection[str] | None,
    received_from: date | None,
    received_before: date | None,
    open_during: tuple[date, date] | None,
) -> Q:
    q = Q(council_id__in=council_ids) & ~Q(kind=COMPLAINT)
    if kinds is not None:
        q &= Q(kind__in=[k for k in kinds if k != COMPLAINT])
    if received_from:
        q &= Q(received_date__gte=received_from)
    if received_before:
        q &= Q(received_date__lt=received_before)
    if open_during:
        start, end_exclusive = open_during
        ombudsman_open = Q(ombudsman__decision_date__isnull=True) | Q(ombudsman__decision_date__gte=start)
        other_open = Q(responded_date__isnull=True) | Q(responded_date__gte=start)
        q &= Q(received_date__lt=end_exclusive) & (
            (Q(kind=OMBUDSMAN) & ombudsman_open) | (~Q(kind=OMBUDSMAN) & other_open)
        )
    return q


class _Related:
    """Everything recorded against a set of cases, fetched in one query per table."""

    def __init__(self, case_ids: Sequence[int], stage_ids: Sequence[int] = ()) -> None:
        self.teams: dict[int, list[str]] = defaultdict(list)
        self.service_area: dict[int, str] = {}
        self.issues: dict[int, list[str]] = defaultdict(list)
        self.complainant: dict[int, tuple[Any, ...]] = {}
        self.child: dict[int, tuple[Any, ...]] = {}
        self.stage_remedies: dict[int, list[tuple[str, Decimal | None]]] = defaultdict(list)
        self.case_remedies: dict[int, list[tuple[str, Decimal | None]]] = defaultdict(list)
        self.stage_teams: dict[int, list[str]] = defaultdict(list)
        self.stage_issues: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks(case_ids):
            self._load(chunk)
        for chunk in _chunks(stage_ids):
            self._load_stages(chunk)

    def _load_stages(self, ids: Sequence[int]) -> None:
        teams = StageTeam.objects.filter(InIds(F("stage_id"), ids)).order_by()
        for stage_id, _, _, team in sorted(teams.values_list("stage_id", "position", "id", "team__name")):
            self.stage_teams[stage_id].append(team)
        issues = StageIssue.objects.filter(InIds(F("stage_id"), ids)).order_by()
        for stage_id, _, _, issue in sorted(issues.values_list("stage_id", "position", "id", "category__name")):
            self.stage_issues[stage_id].append(issue)

    def staged(self, shared: dict[str, Any], stage: dict[str, Any]) -> dict[str, Any]:
        """The record fields of one stage: ``shared`` (its case's) with the stage's own details."""
        stage_id = stage["id"]
        return shared | {
            "received_via": _code(stage["received_via"]),
            "service_area": stage["service_area__name"],
            "teams": tuple(self.stage_teams.get(stage_id, ())),
            "issues": tuple(self.stage_issues.get(stage_id, ())),
            "complainant_type": _code(stage["complainant_type"]),
            "support_category": _code(stage["support_category"]),
            "mediation": _code(stage["mediation"]),
            "advocacy": stage["advocacy_provided"],
        }

    def _load(self, ids: Sequence[int]) -> None:
        # Rows are put in order here rather than by the database: asked to sort, SQLite reads a whole table in
        # index order instead of looking the ids up.
        teams = CaseTeam.objects.filter(InIds(F("case_id"), ids)).order_by()
        for case_id, _, _, team, area in sorted(
            teams.values_list("case_id", "position", "id", "team__name", "service_area__name")
        ):
            self.teams[case_id].append(team)
            self.service_area.setdefault(case_id, area)
        issues = CaseIssue.objects.filter(InIds(F("case_id"), ids)).order_by()
        for case_id, _, _, issue in sorted(issues.values_list("case_id", "position", "id", "category__name")):
            self.issues[case_id].append(issue)
        complainants = (
            CaseComplainant.objects.filter(InIds(F("case_id"), ids))
            .order_by()
            .values_list(
                "case_id",
                "is_primary",
                "id",
                "complainant_type",
                "person__date_of_birth",
                "person__sex",
                "person__ethnicity_code",
                "person__disability",
                "person__sexual_orientation",
            )
        )
        for row in sorted(complainants, key=lambda row: (row[0], not row[1], row[2])):
            self.complainant.setdefault(row[0], row[3:])
        children = (
            CaseChild.objects.filter(InIds(F("case_id"), ids))
            .order_by()
            .values_list(
                "case_id",
                "id",
                "age_at_receipt",
                "support_category",
                "person__sex",
                "person__ethnicity_code",
                "person__disability",
            )
        )
        for child in sorted(children, key=lambda row: (row[0], row[1])):
            self.child.setdefault(child[0], child[2:])
        remedies = (
            Remedy.objects.filter(InIds(F("case_id"), ids))
            .order_by()
            .values_list("case_id", "id", "stage_id", "remedy_type__code", "amount")
        )
        for case_id, _, stage_id, code, amount in sorted(remedies, key=lambda row: (row[0], row[1])):
            self.case_remedies[case_id].append((code, amount))
            if stage_id is not None:
                self.stage_remedies[stage_id].append((code, amount))

    def shared(self, case: dict[str, Any]) -> dict[str, Any]:
        """The record fields every record of ``case`` shares."""
        case_id = case["id"]
        complainant = self.complainant.get(case_id)
        child = self.child.get(case_id)
        fields: dict[str, Any] = {
            "case_ref": case["reference"],
            "received_via": _code(case["received_via"]),
            "service_area": self.service_area.get(case_id) or case["service_area__name"],
            "topic": case["topic"] or None,
            "teams": tuple(self.teams.get(case_id, ())),
            "issues": tuple(self.issues.get(case_id, ())),
            "advocacy": case["advocacy_provided"],
            "mediation": _code(case["mediation"]),
            "summary": case["summary"] or None,
        }
        if complainant is not None:
            kind, born, sex, ethnicity, disability, orientation = complainant
            fields |= {
                "complainant_type": _code(kind),
                "complainant_age": _age(born, case["received_date"]),
                "complainant_sex": _code(sex),
                "complainant_ethnicity": _code(ethnicity),
                "complainant_disability": _code(disability),
                "complainant_sexual_orientation": _code(orientation),
            }
        if child is not None:
            age, support, sex, ethnicity, disability = child
            fields |= {
                "child_age": age,
                "support_category": _code(support),
                "child_sex": _code(sex),
                "child_ethnicity": _code(ethnicity),
                "child_disability": _code(disability),
            }
        return fields


def _money(remedies: Sequence[tuple[str, Decimal | None]]) -> tuple[Decimal | None, tuple[str, ...]]:
    amounts = [a for _, a in remedies if a is not None]
    codes = tuple(dict.fromkeys(code for code, _ in remedies))
    return (sum(amounts, Decimal("0.00")) if amounts else None), codes


def records_for_councils(
    *,
    councils: Iterable[Council],
    received_from: date | None = None,
    received_before: date | None = None,
    open_during: tuple[date, date] | None = None,
    procedure: str | None = None,
    kinds: Collection[str] | None = None,
) -> list[Record]:
    """The councils' records in the interchange shape, mapped as the module docstring describes.

    ``received_from``/``received_before`` limit records by their own received date (half-open). ``open_during``
    = ``(start, end_exclusive)`` keeps the records relevant to that period: received before it ends and not
    responded to before it starts (so received in it, responded to in it, or open at its end). ``procedure``
    limits complaints to one procedure; ``kinds`` limits the kinds of record. Sorted by received date and ref.
    """
    slugs = _council_ids(councils)
    want_complaints = kinds is None or COMPLAINT in kinds
    want_others = kinds is None or any(k != COMPLAINT for k in kinds)
    stages: list[dict[str, Any]] = []
    complaint_cases: dict[int, dict[str, Any]] = {}
    if want_complaints:
        of_councils = of_council_complaints(Stage.objects.all(), council_ids=list(slugs), procedure=procedure)
        stage_q = _stage_filter(received_from, received_before, open_during)
        stage_rows = (
            of_councils.filter(stage_q).order_by().values(*_STAGE_FIELDS, *(f"case__{f}" for f in _CASE_FIELDS))
        )
        for row in stage_rows:
            stages.append(row)
            complaint_cases.setdefault(row["case_id"], {f: row[f"case__{f}"] for f in _CASE_FIELDS})
    others: list[dict[str, Any]] = []
    if want_others:
        other_q = _other_filter(slugs, kinds, received_from, received_before, open_during)
        others = list(
            Case.objects.filter(other_q)
            .order_by()
            .values(
                *_CASE_FIELDS,
                "ombudsman__decision",
                "ombudsman__decision_label",
                "ombudsman__decision_date",
                "ombudsman__recommended_payment",
                "ombudsman__complaint_procedure",
                "acknowledged_date",
                "compliment__about_team__name",
            )
        )
    related = _Related(sorted({*complaint_cases, *(c["id"] for c in others)}), sorted(s["id"] for s in stages))

    records: list[Record] = []
    shared_by_case = {case_id: related.shared(case) for case_id, case in complaint_cases.items()}
    for stage in stages:
        case = complaint_cases[stage["case_id"]]
        number = stage["number"]
        ref = stage.get("reference") or (case["reference"] if number == 1 else f"{case['reference']}/{number}")
        compensation, remedies = _money(related.stage_remedies.get(stage["id"], ()))
        records.append(
            Record(
                council=slugs[case["council_id"]],
                ref=ref,
                kind=COMPLAINT,
                procedure=case["procedure"] or None,
                stage=number,
                received=stage["received_date"],
                acknowledged=stage["acknowledged_date"],
                stage2_start=(stage["statement_agreed_date"] or stage["received_date"]) if number == 2 else None,
                extended=stage["extended"],
                extended_due=stage["extended_due_date"],
                responded=stage["response_date"],
                outcome=_code(stage["outcome"]),
                compensation=compensation,
                remedies=remedies,
                panel_date=stage["panel_date"],
                panel_report_date=stage["panel_report_date"],
                **related.staged(shared_by_case[case["id"]], stage),
            )
        )
    for case in others:
        shared = related.shared(case)
        if not shared["teams"] and case["compliment__about_team__name"]:
            shared["teams"] = (case["compliment__about_team__name"],)
        is_ombudsman = case["kind"] == OMBUDSMAN
        compensation, remedies = _money(related.case_remedies.get(case["id"], ()))
        records.append(
            Record(
                council=slugs[case["council_id"]],
                ref=case["reference"],
                kind=case["kind"],
                procedure=(case["ombudsman__complaint_procedure"] or None) if is_ombudsman else None,
                received=case["received_date"],
                acknowledged=case["acknowledged_date"],
                responded=case["ombudsman__decision_date"] if is_ombudsman else case["responded_date"],
                outcome=_code(case["outcome"]),
                compensation=case["ombudsman__recommended_payment"] if is_ombudsman else compensation,
                remedies=remedies,
                lgsco_decision=_code(case["ombudsman__decision"]) if is_ombudsman else None,
                lgsco_decision_label=(case["ombudsman__decision_label"] or None) if is_ombudsman else None,
                **shared,
            )
        )
    records.sort(key=lambda r: (r.received, r.ref))
    return records
