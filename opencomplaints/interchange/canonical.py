"""Part of step 3 of an import (*plan*): a case's records as the export will give them back once imported, and the
council's names they are resolved against.

:func:`canonical_records` turns the records of one case into its *canonical* records: each stage of a complaint
keeps its own received via, service area, teams, issues, complainant type, support category, mediation and
advocacy (§4); the stages share the case-level values (the first stage that gives one; their topics and summaries
are joined), blanks take the defaults the database keeps (``unknown``, mediation ``none``, a stage 2 start date of
the date received), a service area comes from the first team when none is given, and compensation is a financial
remedy. These are exactly the records the export gives back (``records.selectors.records_for_councils``), so a
case whose canonical records equal its stored ones is unchanged (``plan.Planner.changes``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from opencomplaints.cases import constants as c
from opencomplaints.cases import rules
from opencomplaints.cases.deadlines import Clock, procedure_for_case, stage_deadlines
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case
from opencomplaints.councils.models import CorporateProcedure, Council, IssueCategory, RemedyType, ServiceArea, Team
from opencomplaints.deadlines import PROCEDURES
from opencomplaints.interchange.parse import label_key
from opencomplaints.interchange.validate import DEFAULT_PROCEDURE, SHARED_COLUMNS, STAGE_COLUMNS, TOPIC_LIMIT
from opencomplaints.records import Record

__all__ = ["COMPLAINT", "FINANCIAL", "OMBUDSMAN", "UNKNOWN", "CouncilNames", "canonical_records"]

COMPLAINT = c.Kind.COMPLAINT.value
OMBUDSMAN = c.Kind.OMBUDSMAN.value
FINANCIAL = "financial"
UNKNOWN = "unknown"

EXTENSION_WITHOUT_DATE = (
    "extended is yes but no extended due date is given, and the {procedure} sets no longest extension to assume. "
    "Enter extended_due."
)


# -- canonical records -----------------------------------------------------------------------------------------


@dataclass
class CouncilNames:
    """One council's configuration, by normalised name, for turning names into rows."""

    council: Council
    teams: dict[str, list[Team]]
    areas: dict[str, list[ServiceArea]]
    issues: dict[str, IssueCategory]
    remedy_types: dict[str, RemedyType]
    corporate: CorporateProcedure | None

    @classmethod
    def load(cls, council: Council) -> CouncilNames:
        teams: dict[str, list[Team]] = defaultdict(list)
        for team in council.teams.select_related("service_area").order_by("-active_from", "id"):
            teams[label_key(team.name)].append(team)
        areas: dict[str, list[ServiceArea]] = defaultdict(list)
        for area in council.service_areas.order_by("-active_from", "id"):
            areas[label_key(area.name)].append(area)
        return cls(
            council=council,
            teams=teams,
            areas=areas,
            issues={label_key(i.name): i for i in council.issue_categories.all()},
            remedy_types={r.code: r for r in council.remedy_types.all()},
            corporate=council.corporate_procedures.filter(is_default=True).first(),
        )

    @staticmethod
    def _active[T: (Team, ServiceArea)](rows: Sequence[T], on: date) -> T:
        for row in rows:
            if (row.active_from is None or row.active_from <= on) and (
                row.active_until is None or row.active_until >= on
            ):
                return row
        return rows[0]

    def team(self, name: str, on: date) -> Team:
        return self._active(self.teams[label_key(name)], on)

    def area(self, name: str, on: date) -> ServiceArea:
        return self._active(self.areas[label_key(name)], on)


def _first(records: Sequence[Record], column: str) -> Any:
    for record in records:
        value = getattr(record, column)
        if value is not None:
            return value
    return None


def _joined(values: Iterable[str | None]) -> str | None:
    distinct = list(dict.fromkeys(v for v in values if v))
    return "\n\n".join(distinct) or None


def _union(records: Sequence[Record], column: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for r in records for v in getattr(r, column)))


def _remedies(remedies: tuple[str, ...], compensation: Decimal | None) -> tuple[str, ...]:
    # Compensation is stored as the amount of a financial remedy, so the export lists that remedy.
    if compensation is not None and FINANCIAL not in remedies:
        return (*remedies, FINANCIAL)
    return remedies


def _ethnicity(code: str | None) -> str | None:
    return None if code in (None, UNKNOWN) else code


def _shared(
    records: Sequence[Record], fallback: Sequence[Record], names: CouncilNames, received: date
) -> dict[str, Any]:
    """The case-level values of a case's records: the first record (in stage order) that gives one, else the
    first of the case's records already stored (``fallback``) that does."""
    values = {column: _first(records, column) for column in (*SHARED_COLUMNS, *STAGE_COLUMNS)}
    for column, value in values.items():
        if value is None:
            values[column] = _first(fallback, column)
    teams = _union(records, "teams") or _union(fallback, "teams")
    area = values["service_area"]
    if area is None and teams:
        area = names.team(teams[0], received).service_area.name
    has_child = any(
        values[col] is not None
        for col in ("child_age", "child_sex", "child_ethnicity", "child_disability", "support_category")
    )
    # A case is stored with one topic of at most TOPIC_LIMIT characters, so the stages' topics are joined as one.
    topic = _joined(r.topic for r in records) or _joined(r.topic for r in fallback)
    shared: dict[str, Any] = {
        "service_area": area,
        "teams": teams,
        "topic": (topic or "")[:TOPIC_LIMIT] or None,
        "issues": _union(records, "issues") or _union(fallback, "issues"),
        "received_via": values["received_via"] or UNKNOWN,
        "advocacy": values["advocacy"],
        "mediation": values["mediation"] or c.Mediation.NONE.value,
        "summary": _joined(r.summary for r in records) or _joined(r.summary for r in fallback),
        "child_age": values["child_age"] if has_child else None,
        "support_category": (values["support_category"] or UNKNOWN) if has_child else None,
        "child_sex": (values["child_sex"] or UNKNOWN) if has_child else None,
        "child_ethnicity": _ethnicity(values["child_ethnicity"]) if has_child else None,
        "child_disability": (values["child_disability"] or UNKNOWN) if has_child else None,
    }
    has_complainant = records[0].kind == COMPLAINT or any(
        values[col] is not None
        for col in (
            "complainant_type",
            "complainant_age",
            "complainant_sex",
            "complainant_ethnicity",
            "complainant_disability",
            "complainant_sexual_orientation",
        )
    )
    shared |= {
        "complainant_type": (values["complainant_type"] or UNKNOWN) if has_complainant else None,
        "complainant_age": values["complainant_age"] if has_complainant else None,
        "complainant_sex": (values["complainant_sex"] or UNKNOWN) if has_complainant else None,
        "complainant_ethnicity": _ethnicity(values["complainant_ethnicity"]) if has_complainant else None,
        "complainant_disability": (values["complainant_disability"] or UNKNOWN) if has_complainant else None,
        "complainant_sexual_orientation": (values["complainant_sexual_orientation"] or UNKNOWN)
        if has_complainant
        else None,
    }
    return shared


def _own(record: Record, shared: Mapping[str, Any], names: CouncilNames) -> dict[str, Any]:
    """The values a complaint's stage keeps for itself (§4; docs/adr/0010-per-stage-values.md): a blank is the
    stage's own unknown, not another stage's value."""
    area = record.service_area
    if area is None and record.teams:
        area = names.team(record.teams[0], record.received).service_area.name
    return {
        "received_via": record.received_via or UNKNOWN,
        "service_area": area,
        "teams": record.teams,
        "issues": record.issues,
        "complainant_type": record.complainant_type or UNKNOWN,
        "support_category": (record.support_category or UNKNOWN) if shared["support_category"] is not None else None,
        "mediation": record.mediation or c.Mediation.NONE.value,
        "advocacy": record.advocacy,
    }


def _extended_due(
    record: Record, procedure_key: str, corporate: CorporateProcedure | None, clock: Clock
) -> date | None:
    """The longest extension the procedure allows, for a record that says a stage was extended without saying
    to when (R1.20, R1.26)."""
    case = Case(
        kind=COMPLAINT, procedure=procedure_key, corporate_procedure=corporate if procedure_key == "corporate" else None
    )
    procedure = procedure_for_case(case, corporate)
    assert record.stage is not None  # noqa: S101 - complaint records have a stage
    anchors = {rules.receipt_anchor(record.stage): record.received}
    if record.stage == 2 and record.stage2_start is not None:
        anchors["stage2_start"] = record.stage2_start
    if record.stage == 3 and record.panel_report_date is not None:
        anchors["panel_report_received"] = record.panel_report_date
    try:
        spec = procedure.stage(record.stage)
        dues = stage_deadlines(procedure=procedure, number=record.stage, anchors=anchors, clock=clock)
    except (ProcedureError, ValueError):
        return None
    response = next((d for d in dues if d.key == spec.response_key), None)
    if response is None:
        return None
    if response.extended_due_on is None and response.timescale.calendar_months is not None:
        # Adults' (R2.6): a period said to be agreed without its date is taken as the six months, which the report
        # then counts against exactly as it would a blank (interchange §4).
        return response.due_on
    return response.extended_due_on


def canonical_records(
    records: Sequence[Record], *, names: CouncilNames, clock: Clock, fallback: Sequence[Record] = ()
) -> list[Record]:
    """The records of one case as the export will give them back once imported (see the module docstring).
    ``fallback`` are the case's records already stored and not in the file: their case-level values fill blanks.

    Raises ``ProcedureError`` naming the problem when a record cannot be stored as it is.
    """
    first = records[0]
    if first.kind == COMPLAINT:
        ordered = sorted(records, key=lambda r: r.stage or 0)
        received = min(r.received for r in [*ordered, *fallback])
        shared = _shared(ordered, fallback, names, received)
        procedure = _first(ordered, "procedure") or _first(fallback, "procedure") or DEFAULT_PROCEDURE
        result = []
        for record in ordered:
            extended_due = record.extended_due
            if record.extended and extended_due is None:
                extended_due = _extended_due(record, procedure, names.corporate, clock)
                if extended_due is None:
                    raise ProcedureError(EXTENSION_WITHOUT_DATE.format(procedure=PROCEDURES[procedure].name))
            result.append(
                Record(
                    council=names.council.slug,
                    ref=record.ref,
                    case_ref=record.group_ref,
                    kind=COMPLAINT,
                    procedure=procedure,
                    stage=record.stage,
                    received=record.received,
                    acknowledged=record.acknowledged,
                    stage2_start=(record.stage2_start or record.received) if record.stage == 2 else None,
                    extended=bool(record.extended),
                    extended_due=extended_due,
                    responded=record.responded,
                    outcome=record.outcome,
                    compensation=record.compensation,
                    remedies=_remedies(record.remedies, record.compensation),
                    panel_date=record.panel_date,
                    panel_report_date=record.panel_report_date,
                    **(shared | _own(record, shared, names)),
                )
            )
        return result
    shared = _shared(records, fallback, names, first.received)
    is_ombudsman = first.kind == OMBUDSMAN
    return [
        Record(
            council=names.council.slug,
            ref=first.ref,
            case_ref=first.ref,
            kind=first.kind,
            # Interchange §4: the procedure of the complaint the Ombudsman looked at (other kinds have none).
            procedure=first.procedure if is_ombudsman else None,
            received=first.received,
            acknowledged=first.acknowledged,
            responded=first.responded,
            outcome=first.outcome,
            compensation=first.compensation,
            remedies=first.remedies if is_ombudsman else _remedies(first.remedies, first.compensation),
            lgsco_decision=(first.lgsco_decision or c.LgscoDecision.IN_PROGRESS.value) if is_ombudsman else None,
            lgsco_decision_label=first.lgsco_decision_label if is_ombudsman else None,
            **shared,
        )
    ]
