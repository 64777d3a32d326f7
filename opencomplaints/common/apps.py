from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "opencomplaints.common"
    label = "common"
    verbose_name = "Common"
