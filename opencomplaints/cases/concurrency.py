"""Optimistic concurrency for a case and everything on it (its stages, complainants, notes...).

Every change to a case goes through ``services._common.lock_case``, which adds one to ``Case.version``. A form (or an
API client, as its ETag) carries the version it was read at; :func:`check_version` is the one check every edit uses:
it locks the case row and refuses with ``StaleVersion`` when the version has moved on, so a save from a stale page
never silently overwrites someone else's change."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from opencomplaints.cases.errors import StaleVersion
from opencomplaints.cases.models import Case

__all__ = ["bump_version", "case_of", "check_version"]


def case_of(obj: Any) -> Case:
    """The case ``obj`` belongs to: the case itself, or a record with a ``case``."""
    if isinstance(obj, Case):
        return obj
    case = getattr(obj, "case", None)
    if not isinstance(case, Case):
        raise TypeError(f"{obj!r} belongs to no case")
    return case


def check_version(obj: Any, expected: int | None) -> None:
    """Lock the case of ``obj`` for this transaction and refuse if it is no longer at version ``expected``. Call it
    inside the transaction that makes the change. ``None`` (a client that sent no version) is not checked."""
    case = case_of(obj)
    current = Case.objects.select_for_update().filter(pk=case.pk).values_list("version", flat=True).get()
    if expected is not None and current != expected:
        raise StaleVersion(expected=expected, current=current)


def bump_version(case: Case) -> None:
    """One more change to ``case`` (in the caller's transaction)."""
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
