from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "opencomplaints.reporting"
    label = "reporting"
    verbose_name = "Annual report"

    def ready(self) -> None:
        from opencomplaints.reporting import tasks  # noqa: F401 - provides the report file job (common.dispatch)
