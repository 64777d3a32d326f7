"""What the case records do when a layer below them tells them something changed (docs/adr/0009-layers.md)."""

from typing import Any

from django.dispatch import receiver

from opencomplaints.calendars.signals import working_days_changed
from opencomplaints.cases.deadlines import deadlines_recompute_open

__all__ = ["open_deadlines_follow_calendar"]


@receiver(working_days_changed, dispatch_uid="cases.open_deadlines_follow_calendar")
def open_deadlines_follow_calendar(sender: type[Any], **kwargs: Any) -> None:
    """A calendar override was added or removed: every open case's stored due dates move onto the new calendar, in
    the override's transaction, so no one ever sees a deadline on the old calendar."""
    deadlines_recompute_open()
