from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "opencomplaints.councils"
    label = "councils"
    verbose_name = "Councils and configuration"
