from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "opencomplaints.casework"
    label = "casework"
    verbose_name = "Casework pages: registering representations, the case page and its actions"
