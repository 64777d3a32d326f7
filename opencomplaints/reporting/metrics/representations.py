"""Other representations, advocacy and mediation (R1.40 items 1 and 2; interchange §2).

- **Other representations** (potential complaints, queries, MP and councillor enquiries, compliments) are
  counted by ``received``; *responded* and *open at end* follow the same rules as complaints.
- **Topics** of enquiries and queries count the records received in the period under their recorded ``topic``.
- **Advocacy** and **mediation** count each complaint once (its stages share a ``case_ref``), over the complaints
  with a stage received in the period; advocacy is ``advocacy = yes`` (R1.17, R1.40 item 1).
- **Young people's own complaints** are those whose complainant type is ``child_young_person``.
"""

from __future__ import annotations

from collections.abc import Sequence

from opencomplaints.cases.kinds import representation_kinds
from opencomplaints.deadlines import WorkingDayCalendar
from opencomplaints.records import Record
from opencomplaints.reporting.metrics.breakdowns import Basis, count_by, select
from opencomplaints.reporting.metrics.rules import stage_numbers
from opencomplaints.reporting.metrics.selection import (
    Labels,
    complaint_stage,
    complaints,
    completed_in,
    label,
    open_at_end,
    received_in,
)
from opencomplaints.reporting.metrics.table import (
    Cell,
    ChartKind,
    ChartSpec,
    Table,
    count_column,
    definition_of,
    label_column,
    number_column,
    percent,
    percent_column,
)
from opencomplaints.reporting.periods import Period

__all__ = [
    "advocacy_table",
    "complaints_once",
    "complaints_received_once",
    "compliments_by_team_table",
    "mediation_table",
    "other_representations",
    "other_representations_table",
    "topics_table",
    "young_people_table",
]

CHILD = "child_young_person"


def other_representations(records: Sequence[Record], period: Period) -> dict[str, int]:
    """How many of each other kind of representation were received in the period (every kind is a key)."""
    received = received_in(records, period)
    return {kind: sum(1 for r in received if r.kind == kind) for kind in representation_kinds()}


def other_representations_table(
    records: Sequence[Record], period: Period, labels: Labels, calendar: WorkingDayCalendar
) -> Table:
    """Potential complaints, queries, MP and councillor enquiries and compliments: received in the period,
    responded to in the period, open at its end, and the average working days from receipt to response of those
    responded to (R1.40 item 2)."""
    rows: list[tuple[Cell, ...]] = []
    for kind in representation_kinds():
        of_kind = [r for r in records if r.kind == kind]
        done = completed_in(of_kind, period)
        days = [calendar.working_days_between(r.received, r.responded) for r in done if r.responded]
        average = round(sum(days) / len(days), 1) if days else None
        rows.append(
            (
                label(labels, "kind", kind),
                len(received_in(of_kind, period)),
                len(done),
                len(open_at_end(of_kind, period)),
                None if kind == "compliment" else average,
            )
        )
    return Table(
        key="other_representations",
        title=f"Other representations, {period.label}",
        columns=(
            label_column(""),
            count_column("Received"),
            count_column("Responded to"),
            count_column("Open at the end of the period"),
            number_column("Average working days to respond"),
        ),
        rows=tuple(rows),
        definition=definition_of(other_representations_table),
        source="R1.40 item 2; interchange §2",
        chart=ChartSpec(ChartKind.HBAR, value_columns=(1,), title="Other representations received"),
    )


def topics_table(records: Sequence[Record], period: Period, kind: str, labels: Labels) -> Table:
    """The subjects of the ``kind`` records received in the period, by their recorded topic ("Not recorded" when
    none was), with a total."""
    received = [r for r in received_in(records, period) if r.kind == kind]
    counts = count_by(received, lambda r: (r.topic or "Not recorded",))
    rows: list[tuple[Cell, ...]] = [(topic, n) for topic, n in counts.items()]
    rows.append(("Total", len(received)))
    name = label(labels, "kind", kind)
    return Table(
        key=f"{kind}_topics",
        title=f"{name}: topics, {period.label}",
        columns=(label_column("Topic"), count_column("Number")),
        rows=tuple(rows),
        definition=definition_of(topics_table),
        source="R1.40 item 2",
        total_row=True,
        sensitive=True,
    )


def compliments_by_team_table(records: Sequence[Record], period: Period) -> Table:
    """Compliments received in the period, by the team they praise ("Not recorded" when none was named)."""
    received = [r for r in received_in(records, period) if r.kind == "compliment"]
    counts = count_by(received, lambda r: r.teams or ("Not recorded",))
    rows: list[tuple[Cell, ...]] = [(team, n) for team, n in counts.items()]
    return Table(
        key="compliments_by_team",
        title=f"Compliments by team, {period.label}",
        columns=(label_column("Team"), count_column("Compliments")),
        rows=tuple(rows),
        definition=definition_of(compliments_by_team_table),
        source="§7 (compliments by team)",
    )


def complaints_received_once(records: Sequence[Record], period: Period, procedure: str) -> list[Record]:
    """Each complaint with a stage received in the period, once: its earliest such stage."""
    return complaints_once(records, period, procedure, Basis.RECEIVED)


def complaints_once(records: Sequence[Record], period: Period, procedure: str, basis: Basis) -> list[Record]:
    """Each complaint with a stage received in the period (or completed in it, when the report counts completed
    complaints, R1.41), once: its earliest such stage. Complaints are told apart by council and ``case_ref``."""
    first: dict[tuple[str, str], Record] = {}
    for record in select(complaints(records, procedure), period, basis):
        key = (record.council, record.group_ref)
        kept = first.get(key)
        if kept is None or (record.stage or 0) < (kept.stage or 0):
            first[key] = record
    return sorted(first.values(), key=lambda r: (r.received, r.ref))


def advocacy_table(records: Sequence[Record], period: Period, procedure: str) -> Table:
    """Complaints supported by an advocate (R1.17, R1.40 item 1): each complaint with a stage received in the
    period counted once, for young people's own complaints and for others."""
    once = complaints_received_once(records, period, procedure)
    rows: list[tuple[Cell, ...]] = []
    for name, subset in (
        ("Young people's own complaints", [r for r in once if r.complainant_type == CHILD]),
        ("Complaints made by others", [r for r in once if r.complainant_type != CHILD]),
        ("All complaints", once),
    ):
        supported = sum(1 for r in subset if r.advocacy)
        rows.append((name, len(subset), supported, percent(supported, len(subset))))
    return Table(
        key="advocacy",
        title=f"Advocacy, {period.label}",
        columns=(
            label_column(""),
            count_column("Complaints"),
            count_column("Supported by an advocate"),
            percent_column("%", of="Supported by an advocate"),
        ),
        rows=tuple(rows),
        definition=definition_of(advocacy_table),
        source="R1.17; R1.40 item 1",
        total_row=True,
        sensitive=True,
    )


def mediation_table(records: Sequence[Record], period: Period, procedure: str) -> Table:
    """Complaints where mediation was used, and whether it resolved them; each complaint with a stage received in
    the period counted once."""
    once = complaints_received_once(records, period, procedure)
    resolved = sum(1 for r in once if r.mediation == "resolved")
    not_resolved = sum(1 for r in once if r.mediation == "not_resolved")
    rows: tuple[tuple[Cell, ...], ...] = (
        ("Mediation resolved the complaint", resolved),
        ("Mediation did not resolve the complaint", not_resolved),
        ("Mediation used", resolved + not_resolved),
    )
    return Table(
        key="mediation",
        title=f"Mediation, {period.label}",
        columns=(label_column(""), count_column("Complaints")),
        rows=rows,
        definition=definition_of(mediation_table),
        source="§7 (mediation)",
        total_row=True,
        sensitive=True,
    )


def young_people_table(records: Sequence[Record], period: Period, procedure: str) -> Table:
    """Young people's own complaints (complainant type ``child_young_person``) received at each stage in the
    period, and as a percentage of all complaints received at that stage."""
    rows: list[tuple[Cell, ...]] = []
    for stage in stage_numbers(procedure):
        received = received_in(complaint_stage(records, procedure, stage), period)
        own = sum(1 for r in received if r.complainant_type == CHILD)
        rows.append((f"Stage {stage}", own, len(received), percent(own, len(received))))
    return Table(
        key="young_people",
        title=f"Complaints made by children and young people themselves, {period.label}",
        columns=(
            label_column("Stage"),
            count_column("Made by a child or young person"),
            count_column("All complaints received"),
            percent_column("%", of="Made by a child or young person"),
        ),
        rows=tuple(rows),
        definition=definition_of(young_people_table),
        source="R1.40 item 4",
        sensitive=True,
    )
