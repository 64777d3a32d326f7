from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "opencomplaints.reporting"
    label = "reporting"
    verbose_name = "Annual report"
