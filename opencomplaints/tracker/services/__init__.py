"""Writes of the trackers: saved views. Each has keyword-only arguments, the acting user, one transaction and one
audit event."""

from opencomplaints.tracker.services.saved_views import (
    SAVED_VIEW_EXISTS,
    SAVED_VIEW_NAME_REQUIRED,
    SAVED_VIEW_NAME_TOO_LONG,
    SAVED_VIEW_TOO_MANY,
    saved_view_create,
    saved_view_delete,
)

__all__ = [
    "SAVED_VIEW_EXISTS",
    "SAVED_VIEW_NAME_REQUIRED",
    "SAVED_VIEW_NAME_TOO_LONG",
    "SAVED_VIEW_TOO_MANY",
    "saved_view_create",
    "saved_view_delete",
]
