"""Administrators edit the words of each message; the outbox is a read-only log, with two actions for a message
that could not be sent: try it again, or record that it went out another way (a letter posted by hand)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.common.errors import DomainError
from opencomplaints.notifications.models import Message, MessageTemplate
from opencomplaints.notifications.rendering import placeholders
from opencomplaints.notifications.services import message_mark_sent, message_retry


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin[MessageTemplate]):
    list_display = ["key", "subject", "notify_template_id", "updated_at"]
    readonly_fields = ["key", "placeholders_used", "updated_at"]
    fields = ["key", "subject", "body", "placeholders_used", "notify_template_id", "updated_at"]

    @admin.display(description="Placeholders")
    def placeholders_used(self, template: MessageTemplate) -> str:
        names = placeholders(f"{template.subject}\n{template.body}")
        return ", ".join(f"(({name}))" for name in names) or "None"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Every key the code sends is seeded by a migration; a new key would never be used.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: MessageTemplate | None = None) -> bool:
        return False


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ["created_at", "template_key", "channel", "recipient", "status", "attempts", "case"]
    list_filter = ["status", "channel", "template_key"]
    search_fields = ["recipient", "idempotency_key", "case__reference"]
    date_hierarchy = "created_at"
    list_select_related = ["case"]
    actions = ["retry", "mark_sent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Message | None = None) -> list[str]:
        return [field.name for field in Message._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    @admin.action(description="Try sending the selected failed messages again")
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        for message in queryset:
            try:
                message_retry(message=message, acting_user=_user(request))
            except DomainError as error:
                self.message_user(request, f"{message}: {error.message}", messages.ERROR)

    @admin.action(description="Record that the selected failed messages were sent another way")
    def mark_sent(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        for message in queryset:
            try:
                message_mark_sent(message=message, acting_user=_user(request), sent_at=timezone.now())
            except DomainError as error:
                self.message_user(request, f"{message}: {error.message}", messages.ERROR)
