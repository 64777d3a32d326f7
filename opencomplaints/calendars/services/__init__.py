from opencomplaints.calendars.services.overrides import calendar_override_create, calendar_override_delete

__all__ = ["calendar_override_create", "calendar_override_delete"]
