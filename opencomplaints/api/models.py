"""Personal API tokens: how a person's scripts and integrations sign in to the REST API (docs/api.md).

A token is shown once, when it is made: ``oc_<prefix>_<secret>``. Only the prefix (to find it) and a SHA-256
digest of the whole token are stored, so a copy of the database gives nobody a working token. A token acts as its
user, never beyond what the user may do, and may be narrowed further: to reading only, to some of the user's
councils, and to a number of days.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import models

__all__ = [
    "ApiClient",
    "ApiToken",
    "DeliveryStatus",
    "TokenScope",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
    "token_digest",
]


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and change"


def token_digest(token: str) -> str:
    """The SHA-256 digest kept of a token. A token is 32 random bytes, so a fast hash is enough: there is nothing
    to guess by trying, unlike a password."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the data warehouse load.")
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    # Blank: every council the user belongs to.
    councils = models.ManyToManyField("councils.Council", blank=True, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def usable_at(self, now: datetime) -> bool:
        """Whether the token still works: not revoked and not expired."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class ApiClient(models.Model):
    """A system integration (a CRM, a data warehouse) signing in with OAuth 2.0 client credentials
    (``/api/oauth/token/``, docs/api.md). Its OAuth application holds the client id and the hashed secret; this
    row says what the client may do: it acts as its integration account, only in its councils, reading or also
    changing, and it can be revoked at once."""

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE, related_name="api_client"
    )
    name = models.CharField(max_length=100, help_text="The system, e.g. the CRM.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_clients")
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    councils = models.ManyToManyField("councils.Council", related_name="+")
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    @property
    def usable(self) -> bool:
        return self.revoked_at is None


class WebhookEvent(models.TextChoices):
    """What a subscription may be told of (opencomplaints/api/services/webhooks.py says when each is raised)."""

    CASE_REGISTERED = "case.registered", "A case is registered"
    STAGE_DUE_SOON = "stage.due_soon", "A deadline falls due soon"
    STAGE_OVERDUE = "stage.overdue", "A deadline has passed"
    STAGE_RESPONDED = "stage.responded", "A stage or representation is responded to"
    CASE_CLOSED = "case.closed", "A case is closed"


class WebhookSubscription(models.Model):
    """A council's system told of changes to its cases: each event is POSTed to ``url`` as JSON, signed with
    ``secret`` (HMAC-SHA256 over the timestamp and the body), retried with exponential backoff (docs/api.md).
    The secret is kept as it is, since signing needs it; it is shown once, when the subscription is made."""

    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100, help_text="The receiving system, e.g. the CRM.")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=100)
    events = models.JSONField(default=list, help_text="The events it is told of (WebhookEvent values).")
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["council", "name", "id"]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    RETRYING = "retrying", "Failed, to be tried again"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed after every attempt"


class WebhookDelivery(models.Model):
    """One event for one subscription, and how its delivery went (the log administrators see). ``key`` names the
    event (a case's registration, a deadline's due date...), so the same event is never delivered twice."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    key = models.CharField(max_length=200)
    delivery_id = models.UUIDField(unique=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["subscription", "key"], name="webhook_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription}"
