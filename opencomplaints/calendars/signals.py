"""What the calendar tells the layers above it without importing them (layers point down only, docs/adr/0009-layers.md).

``working_days_changed`` is sent, inside the service's transaction, after a calendar override was added or removed:
the case records (``cases.receivers``) move every open case's stored due dates onto the new calendar.
"""

from django.dispatch import Signal

__all__ = ["working_days_changed"]

working_days_changed = Signal()
