from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "opencomplaints.calendars"
    label = "calendars"
    verbose_name = "Working-day calendar"

    def ready(self) -> None:
        from opencomplaints.calendars import checks  # noqa: F401 - registers the system checks
