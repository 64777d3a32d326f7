from django.contrib import admin
from django.http import HttpRequest

from opencomplaints.jobs.models import ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin[ScheduledRun]):
    """A read-only log: when each scheduled job was due, and how its run went."""

    list_display = ["name", "slot", "status", "attempts", "last_attempt_at"]
    list_filter = ["name", "status"]

    def get_readonly_fields(self, request: HttpRequest, obj: ScheduledRun | None = None) -> list[str]:
        return [field.name for field in ScheduledRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
