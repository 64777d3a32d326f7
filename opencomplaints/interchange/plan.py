"""Step 3 of an import, *plan*: the valid records of a file resolved against what the database holds, into the
rows to insert, update and delete (../shared/spec/interchange.md §4).

:class:`Planner` takes the :class:`~opencomplaints.records.Record` values that
:mod:`~opencomplaints.interchange.validate` gave, with the councils they belong to (:class:`CouncilNames`: their
teams, service areas, issue categories and remedy types by name), and

1. groups them by case (:meth:`Planner.groups`): the stages of a complaint by ``case_ref``, any other record on its
   own; each group finds its stored case, if any, and the refs the file uses are checked against the stored ones
   (a record cannot move to another case or change kind or stage);
2. turns each case's records into its *canonical* records (:mod:`~opencomplaints.interchange.canonical`), the
   records the export would give back once imported, so that a case whose canonical records equal its stored ones
   is unchanged and is not touched (:meth:`Planner.changes`);
3. plans the new and changed cases of a chunk (:meth:`Planner.plan`): a :class:`WritePlan` of model instances and
   rows, with the stored deadlines from the deadline bridge (``cases.deadlines.case_deadlines_plan``), one plan
   per case with one clock.

It reads the database and never writes it; :mod:`~opencomplaints.interchange.write` writes a plan. Every problem
found is a :class:`~opencomplaints.interchange.parse.RowError` in :attr:`Planner.errors`, against the lines of the
case's records.

Historic data is what it is: the procedure's rules (an extension agreed before the deadline, findings on every
point, …) are not applied to it. Where a constraint needs a fact the interchange format does not carry (the reason
for an extension and the date the complainant was told of it), the plan records that the source did not say.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from opencomplaints.cases import constants as c
from opencomplaints.cases import rules
from opencomplaints.cases.deadlines import (
    case_deadlines_plan,
    case_summary_apply,
    current_clock,
    procedure_for_case,
)
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.kinds import kind_of
from opencomplaints.cases.models import (
    Case,
    CaseChild,
    CaseComplainant,
    CaseIssue,
    CaseTeam,
    ComplimentDetail,
    Deadline,
    EnquiryDetail,
    Hold,
    OmbudsmanDetail,
    Person,
    Remedy,
    Stage,
)
from opencomplaints.common.instances import instance_build
from opencomplaints.councils.models import (
    Council,
    EthnicityCategory,
)
from opencomplaints.interchange.canonical import (
    COMPLAINT,
    FINANCIAL,
    OMBUDSMAN,
    UNKNOWN,
    CouncilNames,
    canonical_records,
)
from opencomplaints.interchange.parse import RowError, label_key
from opencomplaints.interchange.validate import DEFAULT_PROCEDURE
from opencomplaints.records import Record
from opencomplaints.records.selectors import records_for_councils

__all__ = [
    "CALENDAR",
    "IMPORTED_EXTENSION_REASON",
    "NO_TEAM_SERVICE_AREA",
    "CaseGroup",
    "NewRow",
    "Planner",
    "Row",
    "WritePlan",
    "chunks",
]

IMPORTED_EXTENSION_REASON = (
    "Extension recorded in imported data; the source did not give the reason or the date the complainant was told."
)
NO_TEAM_SERVICE_AREA = "Service area not recorded"

REF_IN_OTHER_CASE = "The ref {ref} already belongs to {other}; a record cannot move to another case ({case_ref})."
REF_IS_A_CASE = "The ref {ref} is already used by {kind} {reference} of this council."
CASE_REF_OTHER_KIND = "{case_ref} is already a {kind}, not a complaint."
KIND_CHANGED = "{ref} is already a {kind}; a record's kind cannot change on import."
STAGE_NUMBER_CHANGED = "{ref} is stage {number} of {case_ref}; a record's stage cannot change on import."
STAGE_ORDER_EXISTING = (
    "Stage {number} of {case_ref} would be received ({received}) before stage {earlier} ({earlier_received}), "
    "which is already recorded."
)
OPEN_STAGE_EXISTING = (
    "Stage {number} of {case_ref} is still open (no response date), so stage {later} cannot follow it: only the latest "
    "stage of a complaint can be open."
)
CALENDAR = "A date of this record is outside the years the working-day calendar covers: {message}"
NO_REMEDY_TYPE = "{council} has no remedy type {code}; add it in the council's configuration first."


# -- planning ------------------------------------------------------------------------------------------------


def _approximate_birth(age: int | None, on: date) -> date | None:
    """A date of birth giving ``age`` on ``on``: the format carries the age at receipt, not the date of birth."""
    if age is None:
        return None
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February
        return on.replace(year=on.year - age, day=28)


@dataclass
class CaseGroup:
    """The records of one case in the file, with the lines they are on, and the case already stored, if any."""

    council: Council
    key: str
    lines: list[int]
    records: list[Record]
    canonical: list[Record] = field(default_factory=list)
    case: Case | None = None  # the existing case, if any


#: A new row of one of the bulk-written tables, by attribute name (``case_id``, ``position``, …); the model's
#: defaults fill the rest. A foreign key may be given as the unsaved object it points to (a ``Case``, a ``Stage``,
#: a :class:`NewRow`), whose id is read when the row is written.
type Row = dict[str, Any]


class NewRow:
    """A new row that other rows point at before it is written: :mod:`~opencomplaints.interchange.write` gives it
    its id (``pk``) first."""

    __slots__ = ("pk", "values")

    def __init__(self, values: Row) -> None:
        self.values = values
        self.pk: int | None = None


@dataclass
class WritePlan:
    """What one chunk of cases writes: new rows (model instances or :data:`Row` values), changed model instances
    (every field as it is to be stored), and the ids of the rows they replace."""

    people: list[NewRow] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    case_updates: list[Case] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    stage_updates: list[Stage] = field(default_factory=list)
    person_updates: list[Person] = field(default_factory=list)
    complainants: list[Row] = field(default_factory=list)
    complainant_updates: list[CaseComplainant] = field(default_factory=list)
    children: list[Row] = field(default_factory=list)
    child_updates: list[CaseChild] = field(default_factory=list)
    teams: list[Row] = field(default_factory=list)
    issues: list[Row] = field(default_factory=list)
    remedies: list[Row] = field(default_factory=list)
    ombudsman: list[OmbudsmanDetail] = field(default_factory=list)
    ombudsman_updates: list[OmbudsmanDetail] = field(default_factory=list)
    enquiries: list[EnquiryDetail] = field(default_factory=list)
    compliments: list[ComplimentDetail] = field(default_factory=list)
    compliment_updates: list[ComplimentDetail] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    stage_teams: list[Row] = field(default_factory=list)
    stage_issues: list[Row] = field(default_factory=list)
    delete_teams: list[int] = field(default_factory=list)
    delete_stage_links: list[int] = field(default_factory=list)  # stage ids whose team and issue links go
    delete_issues: list[int] = field(default_factory=list)
    delete_remedies: list[int] = field(default_factory=list)
    delete_deadlines: list[int] = field(default_factory=list)


class Planner:
    """Plans an import's writes, chunk by chunk (see the module docstring). ``names`` are the councils the records
    belong to, by the slug the records carry (blank for the default council)."""

    def __init__(self, *, names: Mapping[str, CouncilNames], today: date) -> None:
        self.names = names
        self.today = today
        self.clock = current_clock()
        self.schemes = dict(EthnicityCategory.objects.values_list("code", "scheme"))
        self.now = timezone.now()
        self.errors: list[RowError] = []
        self.created = self.updated = self.unchanged = 0
        self._stored: dict[tuple[str, str], Record] = {}
        self._stored_by_case: dict[tuple[str, str], list[Record]] = defaultdict(list)

    def error(self, lines: Iterable[int], column: str, reason: str) -> None:
        for line in lines:
            self.errors.append(RowError(line, column, reason))

    # -- grouping --------------------------------------------------------------------------------------------

    def groups(self, records: Sequence[tuple[int, Record]]) -> list[CaseGroup]:
        """The records by case, in the order of the file, each with its stored case; refs that contradict the
        stored ones are errors. Then the stored records of the councils with such cases are read, once."""
        by_council: dict[str, list[tuple[int, Record]]] = defaultdict(list)
        for line, record in records:
            by_council[record.council].append((line, record))
        result: list[CaseGroup] = []
        for slug, items in by_council.items():
            council = self.names[slug].council
            grouped: dict[str, CaseGroup] = {}
            for line, record in items:
                key = record.group_ref if record.kind == COMPLAINT else record.ref
                group = grouped.get(key)
                if group is None:
                    group = grouped[key] = CaseGroup(council=council, key=key, lines=[], records=[])
                group.lines.append(line)
                # A blank council column names the default council: the record takes its slug.
                group.records.append(
                    record if record.council == council.slug else dataclasses.replace(record, council=council.slug)
                )
            self._match_existing(council, list(grouped.values()))
            result.extend(grouped.values())
        if not self.errors:
            self._load_stored(result)
        return result

    def _load_stored(self, groups: Sequence[CaseGroup]) -> None:
        """The stored records of the councils whose cases the file updates, by (council, ref) and by case."""
        councils = {g.council.pk: g.council for g in groups if g.case is not None}
        if not councils:
            return
        self._stored = {(r.council, r.ref): r for r in records_for_councils(councils=list(councils.values()))}
        for record in self._stored.values():
            self._stored_by_case[(record.council, record.case_ref)].append(record)

    def _match_existing(self, council: Council, groups: list[CaseGroup]) -> None:
        """Find each group's case among those stored, and check the file does not contradict them."""
        if not Case.objects.filter(council=council).exists():
            return
        refs = {r.ref for g in groups for r in g.records} | {g.key for g in groups}
        cases: dict[str, Case] = {}
        stage_refs: dict[str, tuple[int, int]] = {}
        for chunk in chunks(sorted(refs)):
            for stored in Case.objects.filter(council=council, reference__in=chunk):
                cases[stored.reference] = stored
            for ref, case_id, number in Stage.objects.filter(case__council=council, reference__in=chunk).values_list(
                "reference", "case_id", "number"
            ):
                stage_refs[ref] = (case_id, number)
        existing_by_id = {stored.pk: stored for stored in cases.values()}
        missing_ids = {case_id for case_id, _ in stage_refs.values()} - set(existing_by_id)
        for stored in Case.objects.filter(pk__in=missing_ids):
            existing_by_id[stored.pk] = stored
        for group in groups:
            first = group.records[0]
            case = cases.get(group.key)
            if first.kind == COMPLAINT:
                if case is not None and case.kind != COMPLAINT:
                    self.error(
                        group.lines,
                        "case_ref",
                        CASE_REF_OTHER_KIND.format(case_ref=group.key, kind=case.get_kind_display().lower()),
                    )
                    continue
                for line, record in zip(group.lines, group.records, strict=True):
                    owner = stage_refs.get(record.ref)
                    if owner is not None and (case is None or owner[0] != case.pk):
                        other = existing_by_id[owner[0]].reference
                        self.error(
                            [line], "ref", REF_IN_OTHER_CASE.format(ref=record.ref, other=other, case_ref=group.key)
                        )
                    elif owner is not None and owner[1] != record.stage:
                        self.error(
                            [line],
                            "stage",
                            STAGE_NUMBER_CHANGED.format(ref=record.ref, number=owner[1], case_ref=group.key),
                        )
                    other_case = cases.get(record.ref)
                    if other_case is not None and (case is None or other_case.pk != case.pk):
                        self.error(
                            [line],
                            "ref",
                            REF_IS_A_CASE.format(
                                ref=record.ref,
                                kind=other_case.get_kind_display().lower(),
                                reference=other_case.reference,
                            ),
                        )
            else:
                if case is not None and case.kind != first.kind:
                    self.error(
                        group.lines, "kind", KIND_CHANGED.format(ref=first.ref, kind=case.get_kind_display().lower())
                    )
                    continue
                if first.ref in stage_refs:
                    other = existing_by_id[stage_refs[first.ref][0]].reference
                    self.error(
                        group.lines, "ref", REF_IS_A_CASE.format(ref=first.ref, kind="complaint", reference=other)
                    )
            group.case = case

    # -- what changes ----------------------------------------------------------------------------------------

    def changes(self, groups: Sequence[CaseGroup]) -> list[CaseGroup]:
        """The groups whose canonical records differ from the stored ones (each group's ``canonical`` is set),
        counting the records created, updated and unchanged."""
        changed: list[CaseGroup] = []
        stored_records = self._stored
        for group in groups:
            names = self.names[group.council.slug]
            fallback: list[Record] = []
            if group.case is not None and group.records[0].kind == COMPLAINT:
                in_file = {r.ref for r in group.records}
                stored_case = self._stored_by_case.get((group.council.slug, group.key), [])
                fallback = [r for r in stored_case if r.ref not in in_file]
            try:
                group.canonical = canonical_records(group.records, names=names, clock=self.clock, fallback=fallback)
            except ProcedureError as error:
                self.error(group.lines, "extended", error.message)
                continue
            stored = [stored_records.get((group.council.slug, r.ref)) for r in group.canonical]
            if group.case is not None and all(s == r for s, r in zip(stored, group.canonical, strict=True)):
                self.unchanged += len(group.canonical)
                continue
            for before in stored:
                if before is None:
                    self.created += 1
                else:
                    self.updated += 1
            changed.append(group)
        return changed

    def plan(self, groups: Sequence[CaseGroup]) -> WritePlan:
        """The rows that write the canonical records of ``groups`` (from :meth:`changes`). A case the plan cannot
        be made for is an error in :attr:`errors`, and the plan is then not to be written."""
        batch = WritePlan()
        loaded = _Loaded.load([g.case for g in groups if g.case is not None])
        for group in groups:
            try:
                if group.canonical[0].kind == COMPLAINT:
                    self._complaint(batch, group, loaded)
                else:
                    self._other(batch, group, loaded)
            except ProcedureError as error:
                self.error(group.lines, "", CALENDAR.format(message=error.message))
        return batch

    # -- one case --------------------------------------------------------------------------------------------

    def _person(self, batch: WritePlan, council: Council, person: Person | None, **values: Any) -> Person | NewRow:
        code = values.pop("ethnicity") or ""
        values["ethnicity_code"] = code
        values["ethnicity_scheme"] = self.schemes.get(code, "") if code else ""
        if person is None:
            new = NewRow(dict(council_id=council.pk, **values))
            batch.people.append(new)
            return new
        if any(getattr(person, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(person, k, v)
            batch.person_updates.append(person)
        return person

    def _people(self, batch: WritePlan, case: Case, first: Record, loaded: _Loaded) -> None:
        council = case.council
        complainant = loaded.complainants.get(case.pk) if case.pk else None
        if first.complainant_type is not None:
            person = self._person(
                batch,
                council,
                complainant.person if complainant else None,
                sex=first.complainant_sex,
                ethnicity=first.complainant_ethnicity,
                disability=first.complainant_disability,
                sexual_orientation=first.complainant_sexual_orientation,
                date_of_birth=self._birth(
                    complainant.person if complainant else None, first.complainant_age, case.received_date
                ),
            )
            if complainant is None:
                batch.complainants.append(
                    {
                        "case_id": case,
                        "person_id": person,
                        "complainant_type": first.complainant_type,
                        "is_primary": True,
                    }
                )
            elif complainant.complainant_type != first.complainant_type:
                complainant.complainant_type = first.complainant_type
                batch.complainant_updates.append(complainant)
        child = loaded.children.get(case.pk) if case.pk else None
        if first.support_category is not None:
            person = self._person(
                batch,
                council,
                child.person if child else None,
                sex=first.child_sex,
                ethnicity=first.child_ethnicity,
                disability=first.child_disability,
            )
            if child is None:
                batch.children.append(
                    {
                        "case_id": case,
                        "person_id": person,
                        "age_at_receipt": first.child_age,
                        "support_category": first.support_category,
                    }
                )
            elif (child.age_at_receipt, child.support_category) != (first.child_age, first.support_category):
                child.age_at_receipt, child.support_category = first.child_age, first.support_category
                batch.child_updates.append(child)

    @staticmethod
    def _birth(person: Person | None, age: int | None, received: date) -> date | None:
        if person is not None and person.date_of_birth is not None and age is not None:
            born = person.date_of_birth
            if received.year - born.year - ((received.month, received.day) < (born.month, born.day)) == age:
                return born  # a real date of birth that gives the same age is kept
        return _approximate_birth(age, received)

    def _links(self, batch: WritePlan, case: Case, first: Record, names: CouncilNames, loaded: _Loaded) -> None:
        current_teams = loaded.teams.get(case.pk, []) if case.pk else []
        current_areas = [link.service_area.name for link in current_teams[:1]]
        wanted_area = [first.service_area] if first.teams else []
        if [link.team.name for link in current_teams] != list(first.teams) or current_areas != wanted_area:
            batch.delete_teams.extend(link.pk for link in current_teams)
            area = names.area(first.service_area, case.received_date) if first.service_area and first.teams else None
            for position, name in enumerate(first.teams):
                team = names.team(name, case.received_date)
                batch.teams.append(
                    {
                        "case_id": case,
                        "team_id": team.pk,
                        "service_area_id": (area or team.service_area).pk,
                        "position": position,
                    }
                )
        current_issues = loaded.issues.get(case.pk, []) if case.pk else []
        if [link.category.name for link in current_issues] != list(first.issues):
            batch.delete_issues.extend(link.pk for link in current_issues)
            for position, name in enumerate(first.issues):
                category = names.issues[label_key(name)]
                batch.issues.append({"case_id": case, "category_id": category.pk, "position": position})

    def _remedy_rows(
        self,
        batch: WritePlan,
        case: Case,
        stage: Stage | None,
        record: Record,
        names: CouncilNames,
        current: Sequence[Remedy],
        *,
        with_amount: bool,
        lines: Sequence[int],
    ) -> None:
        amounts = [r.amount for r in current if r.amount is not None]
        stored = (
            tuple(dict.fromkeys(r.remedy_type.code for r in current)),
            sum(amounts, Decimal("0.00")) if amounts else None,
        )
        wanted = (record.remedies, record.compensation if with_amount else None)
        if stored == wanted:
            return
        batch.delete_remedies.extend(r.pk for r in current)
        for code in record.remedies:
            remedy_type = names.remedy_types.get(code)
            if remedy_type is None:
                self.error(lines, "remedies", NO_REMEDY_TYPE.format(council=names.council.name, code=code))
                continue
            amount = record.compensation if with_amount and code == FINANCIAL else None
            batch.remedies.append(
                {"case_id": case, "stage_id": stage, "remedy_type_id": remedy_type.pk, "amount": amount}
            )

    def _complaint(self, batch: WritePlan, group: CaseGroup, loaded: _Loaded) -> None:
        names = self.names[group.council.slug]
        records = group.canonical
        # The case keeps the current values: those of the latest stage (docs/adr/0010-per-stage-values.md).
        first = records[-1]
        case = group.case
        existing_stages = loaded.stages.get(case.pk, []) if case is not None else []
        received = min([r.received for r in records] + [s.received_date for s in existing_stages])
        if case is None:
            case = instance_build(
                Case, council=group.council, reference=group.key, kind=COMPLAINT, acceptance=c.Acceptance.ACCEPTED
            )
            batch.cases.append(case)
        else:
            batch.case_updates.append(case)
            case.council = group.council
        case.procedure = first.procedure or DEFAULT_PROCEDURE
        case.corporate_procedure = names.corporate if case.procedure == c.Procedure.CORPORATE else None
        case.received_date = received
        self._case_values(case, first, names)

        by_number = {s.number: s for s in existing_stages}
        stages: dict[int, Stage] = dict(by_number)
        for record in records:
            assert record.stage is not None  # noqa: S101 - complaint records have a stage
            stage = by_number.get(record.stage)
            if stage is None:
                stage = instance_build(Stage, case=case, number=record.stage)
                batch.stages.append(stage)
            else:
                batch.stage_updates.append(stage)
                batch.delete_stage_links.append(stage.pk)
            self._stage_values(stage, record, case.procedure)
            self._stage_own_values(batch, stage, record, names)
            stages[record.stage] = stage
        ordered = [stages[n] for n in sorted(stages)]
        for earlier, later in itertools.pairwise(ordered):
            if later.received_date < earlier.received_date:
                self.error(
                    group.lines,
                    "received",
                    STAGE_ORDER_EXISTING.format(
                        number=later.number,
                        case_ref=group.key,
                        received=f"{later.received_date:%d/%m/%Y}",
                        earlier=earlier.number,
                        earlier_received=f"{earlier.received_date:%d/%m/%Y}",
                    ),
                )
            if earlier.response_date is None:
                self.error(
                    group.lines,
                    "responded",
                    OPEN_STAGE_EXISTING.format(number=earlier.number, case_ref=group.key, later=later.number),
                )
        self._people(batch, case, first, loaded)
        self._links(batch, case, first, names, loaded)
        for record in records:
            stage = stages[record.stage or 0]
            current = loaded.stage_remedies.get(stage.pk, []) if stage.pk else []
            self._remedy_rows(batch, case, stage, record, names, current, with_amount=True, lines=group.lines)

        # Closed once the last stage is answered and nothing can follow: it was the procedure's last stage, it
        # ended without a decision, or the complainant's window to ask for the next stage has passed (R1.22,
        # R1.29). The window is read from the planned deadlines below.
        last = ordered[-1]
        closing: date | None = None
        awaiting_window = False
        if last.response_date is not None:
            procedure = procedure_for_case(case, names.corporate)
            if last.number >= len(procedure.stages) or last.outcome not in rules.ESCALATABLE_OUTCOMES:
                closing = last.response_date
            else:
                awaiting_window = True
            if case.closed_date is not None and case.closed_date >= last.response_date:
                closing = case.closed_date
        case.closed_date = closing
        if (
            group.case is None
            and records[0].stage == ordered[0].number
            and ordered[0].outcome == c.Outcome.NOT_ACCEPTED
        ):
            case.acceptance = c.Acceptance.PENDING  # refused at triage; the source gives no reason to record
        holds = loaded.holds.get(case.pk, {}) if case.pk else {}
        rows = self._deadlines(batch, case, ordered, holds, None, loaded)
        if awaiting_window and case.closed_date is None:
            window = next((r for r in rows if r.kind == c.DeadlineKind.REQUEST_WINDOW and r.met_date is None), None)
            if window is None or window.due_date < self.today:
                case.closed_date = last.response_date
                # What the bridge's summary gives a case with a closing date (cases.deadlines.case_status).
                case.status = c.CaseStatus.CLOSED
                case.next_due_date = None

    def _case_values(self, case: Case, first: Record, names: CouncilNames) -> None:
        case.received_via = first.received_via or UNKNOWN
        case.summary = first.summary or ""
        case.topic = first.topic or ""
        case.mediation = first.mediation or c.Mediation.NONE
        case.advocacy_provided = first.advocacy
        area = first.service_area
        case.service_area = names.area(area, case.received_date) if area and not first.teams else None
        case.updated_at = self.now

    def _stage_values(self, stage: Stage, record: Record, procedure: str) -> None:
        stage.reference = record.ref
        stage.received_date = record.received
        stage.acknowledged_date = record.acknowledged
        stage.start_date = record.stage2_start or record.received
        stage.statement_agreed_date = record.stage2_start if record.stage == 2 else stage.statement_agreed_date
        stage.extended = bool(record.extended)
        # Adults' agreed response period applies whatever ``extended`` says (R2.6; interchange §4).
        keeps_due = record.extended or procedure == c.Procedure.ADULTS_STATUTORY
        stage.extended_due_date = record.extended_due if keeps_due else None
        if record.extended:
            if not stage.extension_reason:
                stage.extension_reason = IMPORTED_EXTENSION_REASON
            if stage.extension_notified_date is None or stage.extension_notified_date < record.received:
                stage.extension_notified_date = record.received
        else:
            stage.extension_reason = ""
            stage.extension_notified_date = None
        stage.response_date = record.responded
        stage.outcome = record.outcome or ""
        if record.stage == 2 and procedure == c.Procedure.CHILDREN_STATUTORY:
            # The children's stage 2 response is the adjudication (R1.28).
            stage.adjudication_date = record.responded
        stage.panel_date = record.panel_date
        stage.panel_report_date = record.panel_report_date
        stage.updated_at = self.now

    @staticmethod
    def _stage_own_values(batch: WritePlan, stage: Stage, record: Record, names: CouncilNames) -> None:
        """The details the record gives for its own stage (docs/adr/0010-per-stage-values.md)."""
        stage.received_via = record.received_via or UNKNOWN
        stage.service_area = names.area(record.service_area, record.received) if record.service_area else None
        stage.complainant_type = record.complainant_type or ""
        stage.support_category = record.support_category or ""
        stage.mediation = record.mediation or c.Mediation.NONE
        stage.advocacy_provided = record.advocacy
        for position, name in enumerate(record.teams):
            team = names.team(name, record.received)
            batch.stage_teams.append({"stage_id": stage, "team_id": team.pk, "position": position})
        for position, name in enumerate(record.issues):
            category = names.issues[label_key(name)]
            batch.stage_issues.append({"stage_id": stage, "category_id": category.pk, "position": position})

    def _other(self, batch: WritePlan, group: CaseGroup, loaded: _Loaded) -> None:
        names = self.names[group.council.slug]
        record = group.canonical[0]
        case = group.case
        if case is None:
            case = instance_build(Case, council=group.council, reference=record.ref, kind=record.kind)
            batch.cases.append(case)
        else:
            batch.case_updates.append(case)
            case.council = group.council
        case.procedure = ""
        case.corporate_procedure = None
        case.received_date = record.received
        case.acknowledged_date = record.acknowledged
        self._case_values(case, record, names)
        case.outcome = record.outcome or ""
        detail: OmbudsmanDetail | None = None
        if record.kind == OMBUDSMAN:
            case.responded_date = None
            detail = loaded.ombudsman.get(case.pk) if case.pk else None
            values = {
                "decision": record.lgsco_decision or c.LgscoDecision.IN_PROGRESS,
                "decision_date": record.responded,
                "decision_label": record.lgsco_decision_label or "",
                "recommended_payment": record.compensation,
                "complaint_procedure": record.procedure or "",
            }
            if detail is None:
                detail = instance_build(OmbudsmanDetail, case=case, **values)
                batch.ombudsman.append(detail)
            elif any(getattr(detail, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(detail, k, v)
                batch.ombudsman_updates.append(detail)
            decided = record.responded is not None and detail.decision != c.LgscoDecision.IN_PROGRESS
            case.closed_date = record.responded if decided and detail.compliance_due_date is None else None
        else:
            case.responded_date = record.responded
            case.closed_date = record.responded
            if kind_of(record.kind).enquirer_type and (case.pk is None or case.pk not in loaded.enquiries):
                batch.enquiries.append(
                    instance_build(
                        EnquiryDetail, case=case, enquirer_type=kind_of(record.kind).enquirer_type, enquirer_name=""
                    )
                )
            if record.kind == c.Kind.COMPLIMENT:
                team = names.team(record.teams[0], case.received_date) if record.teams else None
                compliment = loaded.compliments.get(case.pk) if case.pk else None
                if compliment is None:
                    batch.compliments.append(
                        instance_build(ComplimentDetail, case=case, about_team_id=team.pk if team else None)
                    )
                elif compliment.about_team_id != (team.pk if team else None):
                    compliment.about_team = team
                    batch.compliment_updates.append(compliment)
        self._people(batch, case, record, loaded)
        self._links(batch, case, record, names, loaded)
        current = loaded.case_remedies.get(case.pk, []) if case.pk else []
        self._remedy_rows(
            batch, case, None, record, names, current, with_amount=record.kind != OMBUDSMAN, lines=group.lines
        )
        self._deadlines(batch, case, [], {}, detail, loaded)

    def _deadlines(
        self,
        batch: WritePlan,
        case: Case,
        stages: Sequence[Stage],
        holds: Mapping[int, Sequence[Hold]],
        detail: OmbudsmanDetail | None,
        loaded: _Loaded,
    ) -> list[Deadline]:
        if case.pk:
            batch.delete_deadlines.extend(loaded.deadlines.get(case.pk, []))
        try:
            rows, summary = case_deadlines_plan(
                case=case, stages=stages, holds=holds, ombudsman=detail, clock=self.clock
            )
        except ProcedureError:
            # An extension the engine would not have allowed (historic data is what it is): plan without it and
            # keep the agreed date on the stage and, where it is not earlier, on the response deadline.
            unextended = [copy.copy(s) for s in stages]
            for s in unextended:
                s.extended = False
            rows, summary = case_deadlines_plan(
                case=case, stages=unextended, holds=holds, ombudsman=detail, clock=self.clock
            )
            originals = {s.number: s for s in stages}
            for row in rows:
                original = originals.get(row.stage.number) if row.stage is not None else None
                if row.stage is not None and original is not None:
                    row.stage = original
                    key = procedure_for_case(case, case.corporate_procedure).stage(original.number).response_key
                    if row.key == key and original.extended_due_date and original.extended_due_date >= row.due_date:
                        row.extended_due_date = original.extended_due_date
        case_summary_apply(case, summary)
        batch.deadlines.extend(rows)
        return rows


@dataclass
class _Loaded:
    """What is stored for the existing cases a chunk updates, read in one query per table."""

    stages: dict[int, list[Stage]] = field(default_factory=dict)
    holds: dict[int, dict[int, list[Hold]]] = field(default_factory=dict)
    complainants: dict[int, CaseComplainant] = field(default_factory=dict)
    children: dict[int, CaseChild] = field(default_factory=dict)
    teams: dict[int, list[CaseTeam]] = field(default_factory=dict)
    issues: dict[int, list[CaseIssue]] = field(default_factory=dict)
    stage_remedies: dict[int, list[Remedy]] = field(default_factory=dict)
    case_remedies: dict[int, list[Remedy]] = field(default_factory=dict)
    ombudsman: dict[int, OmbudsmanDetail] = field(default_factory=dict)
    enquiries: set[int] = field(default_factory=set)
    compliments: dict[int, ComplimentDetail] = field(default_factory=dict)
    deadlines: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, cases: Sequence[Case]) -> _Loaded:
        loaded = cls()
        ids = [case.pk for case in cases]
        if not ids:
            return loaded
        for stage in Stage.objects.filter(case_id__in=ids).order_by("case_id", "number"):
            loaded.stages.setdefault(stage.case_id, []).append(stage)
        for hold in Hold.objects.filter(stage__case_id__in=ids).select_related("stage").order_by("start_date", "id"):
            loaded.holds.setdefault(hold.stage.case_id, {}).setdefault(hold.stage_id, []).append(hold)
        for complainant in (
            CaseComplainant.objects.filter(case_id__in=ids)
            .select_related("person")
            .order_by("case_id", "-is_primary", "id")
        ):
            loaded.complainants.setdefault(complainant.case_id, complainant)
        for child in CaseChild.objects.filter(case_id__in=ids).select_related("person").order_by("case_id", "id"):
            loaded.children.setdefault(child.case_id, child)
        for team in (
            CaseTeam.objects.filter(case_id__in=ids)
            .select_related("team", "service_area")
            .order_by("case_id", "position", "id")
        ):
            loaded.teams.setdefault(team.case_id, []).append(team)
        for issue in (
            CaseIssue.objects.filter(case_id__in=ids).select_related("category").order_by("case_id", "position", "id")
        ):
            loaded.issues.setdefault(issue.case_id, []).append(issue)
        for remedy in Remedy.objects.filter(case_id__in=ids).select_related("remedy_type").order_by("case_id", "id"):
            if remedy.stage_id is not None:
                loaded.stage_remedies.setdefault(remedy.stage_id, []).append(remedy)
            else:
                loaded.case_remedies.setdefault(remedy.case_id, []).append(remedy)
        for detail in OmbudsmanDetail.objects.filter(case_id__in=ids):
            loaded.ombudsman[detail.case_id] = detail
        loaded.enquiries = set(EnquiryDetail.objects.filter(case_id__in=ids).values_list("case_id", flat=True))
        for compliment in ComplimentDetail.objects.filter(case_id__in=ids):
            loaded.compliments[compliment.case_id] = compliment
        for case_id, deadline_id in Deadline.objects.filter(case_id__in=ids).values_list("case_id", "id"):
            loaded.deadlines.setdefault(case_id, []).append(deadline_id)
        return loaded


def chunks[T](items: Sequence[T], size: int = 5000) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
