from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "opencomplaints.interchange"
    label = "interchange"
    verbose_name = "Import and export"
