from django.contrib import admin
from django.http import HttpRequest

from opencomplaints.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["event_time", "event_type", "acting_user", "subject_type", "subject_id", "summary"]
    list_filter = ["event_type", "subject_type"]
    date_hierarchy = "event_time"

    # The trail is append-only: nobody edits or deletes it, administrators included.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
