"""Learning and service improvement (R1.40 item 10): changes implemented, and changes not implemented with the
reason why.

An action counts as **implemented in the period** when its implemented date falls in it; **not implemented**
when its status is not implemented and it was due in the period (or, with no due date, recorded in it);
**in progress** when it was recorded by the period's end and was neither implemented nor abandoned by then (an
action not implemented that was due after the period's end was still open at it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from opencomplaints.reporting.metrics.table import (
    Cell,
    Table,
    count_column,
    definition_of,
    label_column,
    text_column,
)
from opencomplaints.reporting.periods import Period

__all__ = ["LearningItem", "learning_tables"]


@dataclass(frozen=True, kw_only=True)
class LearningItem:
    action: str
    finding: str = ""
    team: str | None = None
    status: str
    recorded: date
    due: date | None = None
    implemented: date | None = None
    not_implemented_reason: str = ""


def _implemented(items: Sequence[LearningItem], period: Period) -> list[LearningItem]:
    return [i for i in items if i.status == "implemented" and period.contains(i.implemented)]


def _not_implemented(items: Sequence[LearningItem], period: Period) -> list[LearningItem]:
    return [i for i in items if i.status == "not_implemented" and period.contains(i.due or i.recorded)]


def _in_progress(items: Sequence[LearningItem], period: Period) -> list[LearningItem]:
    return [
        i
        for i in items
        if i.recorded < period.end_exclusive
        and (
            i.status in {"planned", "in_progress"}
            or (i.status == "implemented" and i.implemented is not None and i.implemented >= period.end_exclusive)
            or (i.status == "not_implemented" and i.due is not None and i.due >= period.end_exclusive)
        )
    ]


def learning_tables(items: Sequence[LearningItem], period: Period) -> list[Table]:
    """A summary of learning actions, then the actions implemented in the period, those not implemented with
    their reasons, and those still in progress, as the module docstring defines them."""
    implemented = _implemented(items, period)
    not_implemented = _not_implemented(items, period)
    in_progress = _in_progress(items, period)
    definition = definition_of(learning_tables) + "\n\n" + (__doc__ or "").strip()
    summary = Table(
        key="learning_summary",
        title=f"Learning from complaints, {period.label}",
        columns=(label_column(""), count_column("Actions")),
        rows=(
            ("Implemented in the period", len(implemented)),
            ("Not implemented (with reasons)", len(not_implemented)),
            ("In progress at the end of the period", len(in_progress)),
        ),
        definition=definition,
        source="R1.40 item 10",
    )
    done_rows: tuple[tuple[Cell, ...], ...] = tuple(
        (i.action, i.team or "", i.implemented.strftime("%d/%m/%Y") if i.implemented else "")
        for i in sorted(implemented, key=lambda i: (i.implemented or period.start, i.action))
    )
    not_rows: tuple[tuple[Cell, ...], ...] = tuple(
        (i.action, i.team or "", i.not_implemented_reason) for i in sorted(not_implemented, key=lambda i: i.action)
    )
    open_rows: tuple[tuple[Cell, ...], ...] = tuple(
        (i.action, i.team or "", i.due.strftime("%d/%m/%Y") if i.due else "")
        for i in sorted(in_progress, key=lambda i: (i.due or period.end, i.action))
    )
    return [
        summary,
        Table(
            key="learning_implemented",
            title=f"Changes implemented, {period.label}",
            columns=(text_column("Change"), label_column("Team"), label_column("Implemented")),
            rows=done_rows,
            definition=definition,
            source="R1.40 item 10",
        ),
        Table(
            key="learning_not_implemented",
            title=f"Changes not implemented, and why, {period.label}",
            columns=(text_column("Change"), label_column("Team"), text_column("Reason")),
            rows=not_rows,
            definition=definition,
            source="R1.40 item 10",
        ),
        Table(
            key="learning_in_progress",
            title=f"Changes in progress at {period.end.day} {period.end:%B %Y}",
            columns=(text_column("Change"), label_column("Team"), label_column("Due")),
            rows=open_rows,
            definition=definition,
            source="R1.40 item 10",
        ),
    ]
