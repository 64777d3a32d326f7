from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "opencomplaints.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from opencomplaints.cases import receivers  # noqa: F401 - connects the receivers
