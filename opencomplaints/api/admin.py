"""The API's records in the admin: system integrations' clients (registered with ``opencomplaints api-client
create``, which shows the secret once), and the webhook subscriptions with their delivery log."""

from django.contrib import admin
from django.http import HttpRequest

from opencomplaints.api.models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin[ApiClient]):
    """Who each client acts as, where and how; revoke with ``opencomplaints api-client revoke`` (it also ends the
    client's access tokens at once)."""

    list_display = ["name", "scope", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    readonly_fields = ["application", "user", "scope", "councils", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
