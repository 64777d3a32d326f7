"""Administration of the working-day calendar's overrides (R5.6).

Adding and removing go through the services, so the deadline engine checks every override and the audit trail
records it. An override is never edited: a wrong one is removed and the right one added, each audited.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from opencomplaints.accounts.requests import acting_user
from opencomplaints.calendars.models import BankHolidayOverride, OverrideKind
from opencomplaints.calendars.services import calendar_override_create, calendar_override_delete
from opencomplaints.common.admin import check_with_service, copy_saved


class BankHolidayOverrideAddForm(forms.ModelForm[BankHolidayOverride]):
    class Meta:
        model = BankHolidayOverride
        fields = ["on_date", "kind", "reason", "source_url"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        # Ask the service itself, then roll back: the engine's checks (a removal must remove a listed holiday,
        # Christmas Day can never be a working day...) stay in one place, and a refusal is shown on the form
        # instead of failing in save_model.
        check_with_service(
            self,
            lambda: calendar_override_create(
                on_date=cleaned["on_date"],
                kind=OverrideKind(cleaned["kind"]),
                reason=cleaned["reason"],
                source_url=cleaned.get("source_url", ""),
                acting_user=None,
            ),
        )
        return cleaned

    def validate_unique(self) -> None:
        # The service checks it with a clearer message ("There is already an override for ..."); checking here too
        # would show the same problem twice.
        return


@admin.register(BankHolidayOverride)
class BankHolidayOverrideAdmin(admin.ModelAdmin[BankHolidayOverride]):
    form = BankHolidayOverrideAddForm
    list_display = ["on_date", "kind", "reason", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["reason", "source_url"]
    date_hierarchy = "on_date"
    list_select_related = ["created_by"]

    def get_fields(self, request: HttpRequest, obj: BankHolidayOverride | None = None) -> tuple[str, ...]:
        fields = ("on_date", "kind", "reason", "source_url")
        return fields if obj is None else (*fields, "created_by", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: BankHolidayOverride | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: BankHolidayOverride, form: Any, change: bool) -> None:
        override = calendar_override_create(
            on_date=obj.on_date,
            kind=OverrideKind(obj.kind),
            reason=obj.reason,
            source_url=obj.source_url,
            acting_user=acting_user(request),
        )
        # The admin's history entry and redirect need the saved row's primary key.
        copy_saved(target=obj, saved=override)

    def delete_model(self, request: HttpRequest, obj: BankHolidayOverride) -> None:
        calendar_override_delete(override=obj, acting_user=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[BankHolidayOverride]) -> None:
        user = acting_user(request)
        with transaction.atomic():
            for override in queryset:
                calendar_override_delete(override=override, acting_user=user)
