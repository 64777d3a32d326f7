"""The API's records in the admin: system integrations' clients (registered with ``opencomplaints api-client
create``, which shows the secret once), and the webhook subscriptions with their delivery log."""

from django.contrib import admin
from django.http import HttpRequest

from opencomplaints.api.models import ApiClient, WebhookDelivery, WebhookSubscription


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin[ApiClient]):
    """Who each client acts as, where and how; revoke with ``opencomplaints api-client revoke`` (it also ends the
    client's access tokens at once)."""

    list_display = ["name", "scope", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    readonly_fields = ["application", "user", "scope", "councils", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class DeliveryInline(admin.TabularInline[WebhookDelivery, WebhookSubscription]):
    """The delivery log: what was sent, how often, and what came back (never the payload: it names cases)."""

    model = WebhookDelivery
    fields = ["event", "case", "status", "attempts", "last_status_code", "last_error", "next_attempt_at",
              "delivered_at", "created_at"]  # fmt: skip
    readonly_fields = fields  # type: ignore[assignment]  # the same names, read only
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-created_at", "-id"]
    show_change_link = False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin[WebhookSubscription]):
    """A council's webhook subscriptions, with their delivery log. Made with ``opencomplaints api-webhook create``,
    which shows the signing secret once; here an administrator can turn one off or on."""

    list_display = ["name", "council", "url", "enabled", "created_at"]
    list_filter = ["enabled", "council"]
    fields = ["name", "council", "url", "events", "enabled", "created_at"]
    readonly_fields = ["name", "council", "url", "events", "created_at"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    """Every delivery, to find the failed ones."""

    list_display = ["event", "subscription", "status", "attempts", "last_status_code", "next_attempt_at", "created_at"]
    list_filter = ["status", "event"]
    fields = DeliveryInline.fields
    readonly_fields = DeliveryInline.fields  # type: ignore[assignment]  # the same names, read only

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: WebhookDelivery | None = None) -> bool:
        return False
