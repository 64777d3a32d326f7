"""The audit trail in the admin site: who did what kind of thing, when, to which record, and nothing more.

A system administrator configures the service; they do not read case content (docs/adr/0005-roles-and-access.md).
An event's summary and the values before and after it name complainants and children and quote the case, so they
are not shown here, and nothing here searches them. The case's timeline and "Who has seen this case" show them to
the people whose role includes the case, and the case page records that it was seen.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from opencomplaints.audit.models import AuditEvent, AuditEventType

CONTENT_FIELDS = ("summary", "before", "after")
SHOWN_FIELDS = (
    "id",
    "event_time",
    "what_happened",
    "acting_user",
    "subject_type",
    "subject_id",
    "case_link",
    "details",
)


class AuditEventTypeFilter(admin.SimpleListFilter):
    """What happened, by name: the column holds bare codes (``AuditEventType`` has no ``choices=`` on the model)."""

    title = "what happened"
    parameter_name = "event_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(member.value), str(member.label)) for member in sorted(AuditEventType, key=lambda m: m.label)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value is None:
            return queryset
        try:
            return queryset.filter(event_type=int(value))
        except ValueError:
            return queryset.none()


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["event_time", "what_happened", "acting_user", "subject_type", "subject_id", "case_link"]
    list_filter = [AuditEventTypeFilter, "subject_type"]
    list_select_related = ["acting_user", "case"]
    # Exact matches of a record's id or a case reference only: the summaries are not searched.
    search_fields = ["=subject_id", "=case__reference"]
    date_hierarchy = "event_time"
    fields = readonly_fields = SHOWN_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        # The summary and the values before and after are never read here.
        return super().get_queryset(request).defer(*CONTENT_FIELDS)

    @admin.display(description="what happened", ordering="event_type")
    def what_happened(self, event: AuditEvent) -> str:
        return event.event_type_label

    @admin.display(description="case", ordering="case__reference")
    def case_link(self, event: AuditEvent) -> str:
        case = event.case
        if case is None:
            return "-"
        # The case page checks the reader's role in the council and records that they saw it.
        url = reverse("casework:case-detail", kwargs={"case_id": case.pk})
        return format_html('<a href="{}">{}</a>', url, case.reference)

    @admin.display(description="details")
    def details(self, event: AuditEvent) -> str:
        where = " People whose role includes the case read them on its timeline." if event.case_id else ""
        return (
            "The summary and the values before and after are not shown to administrators: they can name people "
            f"and quote case records.{where}"
        )

    # The trail is append-only: nobody edits or deletes it, administrators included.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
