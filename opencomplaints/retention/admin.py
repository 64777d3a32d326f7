"""Legal holds and anonymised cases, for system administrators to see. Holds are placed and lifted with
`opencomplaints retention --hold/--lift`, which audits them; nothing here changes either.

Which case is held, by whom and since when is shown; why it is held is not (the reason names the claim or enquiry
about the case, which is case content; docs/adr/0005-roles-and-access.md)."""

from django.contrib import admin
from django.http import HttpRequest

from opencomplaints.retention.models import CaseAnonymisation, LegalHold


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]  # shared by two models
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(LegalHold)
class LegalHoldAdmin(_ReadOnly):
    list_display = ["case", "placed_at", "placed_by", "lifted_at", "lifted_by"]
    fields = ["case", "placed_at", "placed_by", "lifted_at", "lifted_by"]
    list_filter = ["lifted_at"]
    search_fields = ["case__reference"]


@admin.register(CaseAnonymisation)
class CaseAnonymisationAdmin(_ReadOnly):
    list_display = ["case", "closed_date", "anonymised_at", "people_anonymised", "documents_deleted"]
    fields = [
        "case",
        "closed_date",
        "anonymised_at",
        "acting_user",
        "people_anonymised",
        "documents_deleted",
        "messages_cleared",
    ]
    date_hierarchy = "anonymised_at"
    search_fields = ["case__reference"]
