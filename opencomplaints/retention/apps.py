from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "opencomplaints.retention"
    label = "retention"
    verbose_name = "Records retention"
