"""The case jobs (scheduled in ``jobs.scheduler``). Each reads the clock here, at the edge, and passes the date
down; arguments are JSON (dates as ISO strings), as a queue stores them."""

from __future__ import annotations

from datetime import date

from django.tasks import task
from django.utils import timezone

from opencomplaints.cases.services.closing import complaints_close_after_window as close_after_window


@task
def complaints_close_after_window(on: str | None = None) -> dict[str, int]:
    """Close the complaints whose window to ask for the next stage ended before the London date ``on`` (ISO
    format; today when not given)."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    return {"closed": close_after_window(today=today)}
