from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "opencomplaints.web"
    label = "web"
    verbose_name = "Staff web pages"
