"""Messages to people: the outbox every email and letter passes through, which is also the log of every message
sent about a case, and the templates administrators edit.

A message is written to the outbox in the same transaction as the change it tells someone about, so a change is
never made without its message and a message never goes out for a change that was rolled back. Sending happens
afterwards, from the outbox, as many times as it takes, and at most once per message: the idempotency key is
unique, and a row that has been handed to the provider is never handed over again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from opencomplaints.common.models import TimeStampedModel


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.TextChoices):
    """What the provider said afterwards about a message it took: a GOV.UK Notify callback, or a bounce notice
    returned to the council's mailbox for an email sent through its server."""

    UNKNOWN = "", "Not known"
    DELIVERED = "delivered", "Delivered"
    NOT_DELIVERED = "not_delivered", "Not delivered"


class SentVia(models.TextChoices):
    """How a message that could not be sent went out instead, recorded by the person who sent it."""

    POST = "post", "By post"
    EMAIL = "email", "By email"
    HAND = "hand", "By hand"


# The provider of a message a person sent themselves: its ``provider_id`` is then how it went (``SentVia``), or
# blank where that was not recorded.
SENT_BY_HAND = "manual"


class TemplateKey(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement of a complaint"
    COMPLIMENT_ACKNOWLEDGEMENT = "compliment_acknowledgement", "Thank you for a compliment"
    FOLLOW_LINK = "follow_link", "Link to follow a case"
    EXTENSION_LETTER = "extension_letter", "Extension letter"
    HOLD_LETTER = "hold_letter", "Hold letter"
    DEADLINE_REMINDER = "deadline_reminder", "Deadline reminder to the case owner"
    OVERDUE_ALERT = "overdue_alert", "Overdue alert to complaints managers"
    WEEKLY_DIGEST = "weekly_digest", "Weekly tracker digest for senior managers"
    SECURITY_NOTICE = "security_notice", "Change to your sign-in security"
    ROLE_REQUEST = "role_request", "A system administrator asks for a role that sees case content"
    # Words an officer wrote (or edited) from a correspondence template: sent as they were previewed.
    CORRESPONDENCE = "correspondence", "Letter or email written on the case"
    # The review panel's meeting, arranged ahead (issue 15): its members and the case owner told, then reminded.
    PANEL_ARRANGED = "panel_arranged", "Review panel meeting arranged"
    PANEL_REMINDER = "panel_reminder", "Reminder of a review panel meeting"
    # The same, to a panel member who is one of the council's contacts, without an account (docs/adr/0032): no
    # link to a case they cannot open.
    PANEL_ARRANGED_CONTACT = "panel_arranged_contact", "Review panel meeting arranged (member without an account)"
    PANEL_REMINDER_CONTACT = "panel_reminder_contact", "Reminder of a review panel meeting (member without an account)"


#: The messages a contact without an account may be sent, each in place of the one a user is sent: only those whose
#: words make sense without signing in. A message with no version here is not sent to a contact.
CONTACT_TEMPLATE_KEYS: dict[str, str] = {
    TemplateKey.PANEL_ARRANGED: TemplateKey.PANEL_ARRANGED_CONTACT,
    TemplateKey.PANEL_REMINDER: TemplateKey.PANEL_REMINDER_CONTACT,
}


class MessageTemplate(TimeStampedModel):
    """The words of one kind of message. ``((name))`` placeholders are filled in when a message is queued, as
    GOV.UK Notify does; the message keeps the words it was sent with, so editing a template never rewrites the log.
    """

    key = models.CharField(max_length=60, choices=TemplateKey.choices, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text. Use ((placeholder)) for the details filled in for each message.")
    notify_template_id = models.CharField(
        max_length=36,
        blank=True,
        help_text="A GOV.UK Notify template to send instead of these words, given the same placeholders. "
        "Leave blank to send these words through the service's general Notify template.",
    )

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.get_key_display()


class Message(TimeStampedModel):
    """One email or letter to one recipient, from the moment it is queued to the moment the provider took it."""

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # An email address, or the postal address, one line per line.
    recipient = models.TextField()
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    template_key = models.CharField(max_length=60, choices=TemplateKey.choices)
    personalisation = models.JSONField(default=dict, blank=True)
    # The personalisation values that grant access (a follow link): removed from the stored copy once sent.
    secret_keys = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    notify_template_id = models.CharField(max_length=36, blank=True)
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    idempotency_key = models.CharField(max_length=200, unique=True)
    provider = models.CharField(max_length=20, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.UNKNOWN, blank=True)
    delivery_at = models.DateTimeField(null=True, blank=True)
    delivery_detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["case", "created_at"], name="message_case"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.SENT) | Q(sent_at__isnull=False), name="message_sent_has_time"
            ),
            models.CheckConstraint(condition=~Q(idempotency_key=""), name="message_has_idempotency_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_template_key_display()} to {self.recipient.splitlines()[0] if self.recipient else '?'}"

    @property
    def name_without_recipient(self) -> str:
        """``Hold letter (message #12)``: how the audit trail and the pages about it name a message, never by whom
        it went to (docs/adr/0006-retention.md)."""
        return f"{self.get_template_key_display()} (message #{self.pk})"

    @property
    def sent_by_hand(self) -> bool:
        return self.status == MessageStatus.SENT and self.provider == SENT_BY_HAND
