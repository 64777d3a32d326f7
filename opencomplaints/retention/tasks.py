"""The daily retention job (scheduled in ``jobs.scheduler``): it reads the clock here, at the edge."""

from __future__ import annotations

from datetime import date

from django.tasks import task
from django.utils import timezone

from opencomplaints.retention.services import retention_anonymise_due


@task
def retention_anonymise(on: str | None = None) -> dict[str, int]:
    """Anonymise the cases whose retention period has ended by the London date ``on`` (ISO; today by default)."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    return {"anonymised": retention_anonymise_due(today=today)}
