from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "opencomplaints.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from opencomplaints.api import tasks  # noqa: F401 - provides the webhook jobs and listens for changes
