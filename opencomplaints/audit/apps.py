from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "opencomplaints.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from opencomplaints.audit.append_only import install_flush_unlock

        install_flush_unlock()
