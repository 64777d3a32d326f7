from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "opencomplaints.calendars"
    label = "calendars"
    verbose_name = "Working-day calendar"
