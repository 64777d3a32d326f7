"""Administrators edit the words of each message; the outbox is a read-only log of what was sent when (never to
whom or what it said), with two actions for a message that could not be sent: try it again, or record that it
went out another way (a letter posted by hand)."""

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

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


# What a message's own words could hold, blanked wherever the provider's reason for refusing it quotes them.
REMOVED = "[removed]"
# Shorter values (a day of the month, a number) are not worth blanking and would blank ordinary words.
SHORTEST_REMOVED = 3


def error_without_case_content(message: Message) -> str:
    """Why ``message`` was not sent, with its recipient, its words and the details filled into them blanked: a
    provider's reason can quote the address or the line it refused."""
    values = [
        *message.recipient.splitlines(),
        message.subject,
        *message.body.splitlines(),
        *(str(value) for value in message.personalisation.values()),
    ]
    wanted = {value.strip() for value in values if len(value.strip()) >= SHORTEST_REMOVED}
    text = message.last_error
    for value in sorted(wanted, key=len, reverse=True):
        text = re.sub(re.escape(value), REMOVED, text, flags=re.IGNORECASE)
    return text


# Everything about a message but its recipient and its words.
SHOWN_FIELDS = (
    "id",
    "created_at",
    "template_key",
    "channel",
    "recipient_kind",
    "case_link",
    "status",
    "attempts",
    "next_attempt_at",
    "sent_at",
    "provider",
    "provider_id",
    "notify_template_id",
    "idempotency_key",
    "error",
    "content",
)


@dataclass(frozen=True)
class _Heading:
    """Stands in for a message where the admin's pages name the object they show (title, breadcrumbs): a message's
    own name includes its recipient."""

    pk: int

    def __str__(self) -> str:
        return f"Message {self.pk}"


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    """The outbox, as an administrator needs it to keep messages moving: which kind of message, about which case,
    by which channel, whether and when it went. Who it went to and what it said are case content, read on the case
    page by the people whose role includes the case; nothing here shows or searches them."""

    list_display = ["id", "created_at", "template_key", "channel", "recipient_kind", "status", "attempts", "case_link"]
    list_filter = ["status", "channel", "template_key"]
    # Exact matches only: an idempotency key names the records a message is about by id, never by content.
    search_fields = ["=idempotency_key", "=case__reference"]
    date_hierarchy = "created_at"
    list_select_related = ["case", "recipient_user"]
    actions = ["retry", "mark_sent"]
    fields = readonly_fields = SHOWN_FIELDS

    @admin.display(description="to")
    def recipient_kind(self, message: Message) -> str:
        if message.recipient_user is not None:
            return f"{message.recipient_user} (staff)"
        return "Someone outside the council (not shown)"

    @admin.display(description="case", ordering="case__reference")
    def case_link(self, message: Message) -> str:
        case = message.case
        if case is None:
            return "-"
        # The case page checks the reader's role in the council and records that they saw it.
        url = reverse("casework:case-detail", kwargs={"case_id": case.pk})
        return format_html('<a href="{}">{}</a>', url, case.reference)

    @admin.display(description="why it was not sent")
    def error(self, message: Message) -> str:
        return error_without_case_content(message) or "-"

    @admin.display(description="recipient and words")
    def content(self, message: Message) -> str:
        where = " People whose role includes the case see it on the case page." if message.case_id else ""
        return f"Not shown to administrators: a message's recipient and words are case content.{where}"

    def action_checkbox(self, obj: Message) -> SafeString:
        # Django labels each row's checkbox with the message's name, which includes its recipient.
        attrs = {"class": "action-select", "aria-label": f"Select this object for an action - {_Heading(obj.pk)}"}
        return forms.CheckboxInput(attrs, lambda value: False).render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Message | None = None,
    ) -> Any:
        if obj is not None:
            context |= {"subtitle": str(_Heading(obj.pk)), "original": _Heading(obj.pk)}
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        heading = _Heading(int(object_id)) if object_id.isdigit() else None
        if heading is not None:
            extra_context = {**(extra_context or {}), "title": f"Change history: {heading}", "object": heading}
        return super().history_view(request, object_id, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        # Nothing is edited here (and saving would log the message's name, with its recipient, as a recent action);
        # the two actions below are the only changes.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    @admin.action(description="Try sending the selected failed messages again")
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        for message in queryset:
            try:
                message_retry(message=message, acting_user=_user(request))
            except DomainError as error:
                self.message_user(request, f"{_Heading(message.pk)}: {error.message}", messages.ERROR)

    @admin.action(description="Record that the selected failed messages were sent another way")
    def mark_sent(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        for message in queryset:
            try:
                message_mark_sent(message=message, acting_user=_user(request), sent_at=timezone.now())
            except DomainError as error:
                self.message_user(request, f"{_Heading(message.pk)}: {error.message}", messages.ERROR)
