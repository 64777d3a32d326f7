from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "opencomplaints.demo"
    label = "demo"
    verbose_name = "Demonstration data"
