"""Who sees a case's notes and contacts (``CaseNote``).

A restricted note is for a small circle, as a restricted case is (``cases.access``): complaints managers of the
council, the person who wrote it, and, on a restricted case, the people named on it (anyone who sees a restricted
case at all is named on it, or a manager with emergency access). Everyone else who sees the case sees its other
notes."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import CasePermissions
from opencomplaints.cases.models import Case, CaseNote
from opencomplaints.councils.models import Role

__all__ = ["notes_for_case", "sees_restricted_notes"]


def sees_restricted_notes(*, case: Case, permissions: CasePermissions) -> bool:
    """Whether the user with ``permissions`` on ``case`` sees every restricted note on it."""
    if not permissions.sees_whole_case:
        return False
    return permissions.role == Role.COMPLAINTS_MANAGER or case.restricted


def notes_for_case(*, case: Case, user: User, permissions: CasePermissions) -> QuerySet[CaseNote]:
    """The notes of ``case`` that ``user`` sees, newest first (one query); none for those who do not see the whole
    case (appointees see their stage only)."""
    if not permissions.sees_whole_case:
        return CaseNote.objects.none()
    notes = CaseNote.objects.filter(case=case).select_related("author").order_by("-occurred_at", "-id")
    if sees_restricted_notes(case=case, permissions=permissions):
        return notes
    return notes.filter(Q(restricted=False) | Q(author_id=user.pk))
