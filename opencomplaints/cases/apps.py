from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "opencomplaints.cases"
    label = "cases"
    verbose_name = "Cases"
