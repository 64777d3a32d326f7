"""Saved views: a user names the tracker's current filters to open them again, and deletes them."""

from __future__ import annotations

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_event_record
from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.tracker.models import SAVED_VIEW_NAME_LENGTH, SavedView

__all__ = [
    "SAVED_VIEW_EXISTS",
    "SAVED_VIEW_NAME_REQUIRED",
    "SAVED_VIEW_NAME_TOO_LONG",
    "SAVED_VIEW_TOO_MANY",
    "saved_view_create",
    "saved_view_delete",
]

SAVED_VIEWS_LIMIT = 30
SAVED_VIEW_NAME_REQUIRED = "Enter a name for the view"
SAVED_VIEW_NAME_TOO_LONG = f"The name must be {SAVED_VIEW_NAME_LENGTH} characters or fewer"
SAVED_VIEW_EXISTS = "You already have a view called {name}: choose another name or delete that one first"
SAVED_VIEW_TOO_MANY = f"You can save up to {SAVED_VIEWS_LIMIT} views: delete one you no longer use first"
SAVED_VIEW_NOT_FOUND = "Saved view not found"


@transaction.atomic
def saved_view_create(*, acting_user: User, name: str, query: str) -> SavedView:
    """Save the tracker's filters ``query`` (a query string the tracker reads, without "?") as ``name`` for
    ``acting_user``."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(SAVED_VIEW_NAME_REQUIRED, field="name")
    if len(name) > SAVED_VIEW_NAME_LENGTH:
        raise DomainError(SAVED_VIEW_NAME_TOO_LONG, field="name")
    mine = SavedView.objects.select_for_update().filter(user=acting_user)
    if mine.filter(name__iexact=name).exists():
        raise DomainError(SAVED_VIEW_EXISTS.format(name=name), field="name")
    if mine.count() >= SAVED_VIEWS_LIMIT:
        raise DomainError(SAVED_VIEW_TOO_MANY, field="name")
    view = SavedView.objects.create(user=acting_user, name=name, query=query.removeprefix("?")[:1000])
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.SAVED_VIEW_CREATED,
        subject=view,
        summary=f"Tracker view #{view.pk} saved",
        after={"name": FreeText(name), "query": FreeText(view.query)},
    )
    return view


@transaction.atomic
def saved_view_delete(*, acting_user: User, saved_view_id: int | str) -> None:
    """Delete one of ``acting_user``'s saved views; anyone else's is "not found"."""
    pk = int(saved_view_id) if str(saved_view_id).isdigit() else 0
    view = SavedView.objects.select_for_update().filter(pk=pk, user=acting_user).first()
    if view is None:
        raise NotFoundError(SAVED_VIEW_NOT_FOUND)
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.SAVED_VIEW_DELETED,
        subject=view,
        summary=f"Tracker view #{view.pk} deleted",
        before={"name": FreeText(view.name), "query": FreeText(view.query)},
    )
    view.delete()
