from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "opencomplaints.api"
    label = "api"
    verbose_name = "REST API"
