"""A case's timeline on its page: what was done to it (the audit trail, ``cases.selectors.case_timeline``), its
notes and contacts, and the letters and emails sent, newest first. It adds one query to the page whatever the case
holds (the notes); the events and the messages are the page's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.access import CasePermissions
from opencomplaints.cases.models import Case, CaseNote
from opencomplaints.cases.notes import notes_for_case
from opencomplaints.cases.selectors import READS_NOT_ON_TIMELINE
from opencomplaints.casework.selectors import CasePage

__all__ = ["ChangeEntry", "PageEntry", "case_page_timeline", "changes_since"]

# A note's words are shown with the note, to those who may see it: never through the trail of its adding.
NOTE_EVENTS = frozenset({AuditEventType.CASE_NOTE_ADDED, AuditEventType.CASE_NOTE_CHANGED})


@dataclass(frozen=True)
class PageEntry:
    """One line of the timeline: the attributes the case page shows, whatever it came from."""

    event_time: datetime
    kind: str  # "event", "note" or "message"
    label: str
    acting_user: str
    summary: str
    texts: tuple[tuple[str, str], ...] = ()
    note: CaseNote | None = None


def _note_entry(note: CaseNote) -> PageEntry:
    direction = f", {note.get_direction_display().lower()}" if note.direction else ""
    label = f"{note.get_kind_display()}{direction}" + (f" with {note.with_whom}" if note.with_whom else "")
    if note.restricted:
        label += " (restricted)"
    who = str(note.author) if note.author else "Someone no longer here"
    return PageEntry(event_time=note.occurred_at, kind="note", label=label, acting_user=who, summary=note.summary,
                     note=note)  # fmt: skip


def case_page_timeline(*, page: CasePage, user: User, permissions: CasePermissions) -> list[PageEntry]:
    """The case page's timeline for ``user``: empty for those who do not see the whole case."""
    if not permissions.sees_whole_case:
        return []
    entries: list[PageEntry] = [
        PageEntry(
            event_time=e.event_time,
            kind="event",
            label=e.label,
            acting_user=e.acting_user,
            summary=e.summary,
            texts=e.texts,
        )
        for e in page.timeline
        if e.event_type not in NOTE_EVENTS
    ]
    entries += [_note_entry(note) for note in notes_for_case(case=page.case, user=user, permissions=permissions)]
    for message in page.messages:
        entries.append(
            PageEntry(
                event_time=message.sent_at or message.created_at,
                kind="message",
                label=f"{message.get_template_key_display()} {'sent' if message.sent_at else 'written'}",
                acting_user="",
                summary=message.subject,
            )
        )
    entries.sort(key=lambda e: e.event_time, reverse=True)
    return entries


@dataclass(frozen=True)
class ChangeEntry:
    when: datetime
    title: str
    who: str


def changes_since(*, case: Case, count: int) -> list[ChangeEntry]:
    """The ``count`` most recent changes to ``case`` (at most ten): what someone else did while a form was open."""
    if count <= 0:
        return []
    events: Any = (
        AuditEvent.objects.filter(case_id=case.pk)
        .exclude(event_type__in=READS_NOT_ON_TIMELINE)
        .select_related("acting_user")
        .order_by("-event_time", "-id")[: min(count, 10)]
    )
    return [
        ChangeEntry(when=e.event_time, title=e.summary, who=str(e.acting_user) if e.acting_user else "") for e in events
    ]
