"""Notes and the contact log of a case: calls, meetings, emails and letters outside the system, and plain notes."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, CaseNote
from opencomplaints.cases.services._common import changes, lock_case, record, save_changes, snapshot

__all__ = ["case_note_add", "case_note_change"]

_FIELDS = ("kind", "occurred_at", "with_whom", "direction", "summary", "restricted")


def _checked(summary: str, occurred_at: datetime) -> str:
    summary = summary.strip()
    if not summary:
        raise ProcedureError(errors.NOTE_NEEDS_SUMMARY, field="summary")
    if occurred_at > timezone.now():
        raise ProcedureError(errors.NOTE_IN_FUTURE, field="occurred_at")
    return summary


@transaction.atomic
def case_note_add(
    *,
    case: Case,
    acting_user: User | None,
    kind: str,
    occurred_at: datetime,
    summary: str,
    with_whom: str = "",
    direction: str = "",
    restricted: bool = False,
) -> CaseNote:
    """Add a note or a contact to ``case`` (open or closed: a call after closure is still recorded)."""
    lock_case(case, stages=False)
    note = CaseNote(
        case=case, kind=c.NoteKind(kind), occurred_at=occurred_at, summary=_checked(summary, occurred_at),
        with_whom=with_whom.strip(), direction=direction, restricted=restricted, author=acting_user,
    )  # fmt: skip
    note.full_clean()
    note.save()
    record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_NOTE_ADDED,
        subject=note,
        case=case,
        summary=f"{note.get_kind_display()} added to {case.reference}",
        after=snapshot(note, _FIELDS),
    )
    return note


@transaction.atomic
def case_note_change(
    *,
    note: CaseNote,
    acting_user: User | None,
    kind: str,
    occurred_at: datetime,
    summary: str,
    with_whom: str = "",
    direction: str = "",
    restricted: bool = False,
) -> CaseNote:
    """Change a note: only its author may."""
    lock_case(note.case, stages=False)
    if acting_user is None or note.author_id != acting_user.pk:
        raise ProcedureError(errors.NOTE_NOT_YOURS)
    was = snapshot(note, _FIELDS)
    note.kind, note.occurred_at, note.summary = c.NoteKind(kind), occurred_at, _checked(summary, occurred_at)
    note.with_whom, note.direction, note.restricted = with_whom.strip(), direction, restricted
    before, after = changes(was, snapshot(note, _FIELDS))
    if not after:
        raise ProcedureError(errors.DETAILS_UNCHANGED)
    save_changes(note, after)
    record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_NOTE_CHANGED,
        subject=note,
        case=note.case,
        summary=f"{note.get_kind_display()} on {note.case.reference} changed",
        before=before,
        after=after,
    )
    return note
