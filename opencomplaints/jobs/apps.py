from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "opencomplaints.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
