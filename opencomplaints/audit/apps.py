from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "opencomplaints.audit"
    label = "audit"
    verbose_name = "Audit trail"
