from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "opencomplaints.portal"
    label = "portal"
    verbose_name = "Public complaints portal"
