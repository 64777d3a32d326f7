from django.apps import AppConfig


class HandlingCodeConfig(AppConfig):
    name = "opencomplaints.handlingcode"
    label = "handlingcode"
    verbose_name = "Complaint Handling Code"
