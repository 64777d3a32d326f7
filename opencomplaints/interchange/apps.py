from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "opencomplaints.interchange"
    label = "interchange"
    verbose_name = "Import and export"

    def ready(self) -> None:
        from opencomplaints.interchange import tasks  # noqa: F401 - provides the import job (common.dispatch)
