"""What the public portal keeps besides the case itself: the links complainants follow their case with, and their
feedback on the response.

A follow link carries a random token. Only its SHA-256 hash is stored, with the one thing it may be used for, when
it stops working, and whether it was revoked, so a copy of the database gives nobody a working link.
"""

import hashlib

from django.db import models

from opencomplaints.common.models import TimeStampedModel


def token_hash(raw: str) -> str:
    """The SHA-256 hash a follow link's token is stored and looked up by."""
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenPurpose(models.TextChoices):
    FOLLOW = "follow", "Follow a case"


class FollowToken(TimeStampedModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="follow_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=20, choices=TokenPurpose.choices, default=TokenPurpose.FOLLOW)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "purpose"], name="follow_token_case")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link for {self.case}"


class FeedbackRating(models.TextChoices):
    # The GOV.UK satisfaction scale, as the service's own feedback pages use.
    VERY_SATISFIED = "very_satisfied", "Very satisfied"
    SATISFIED = "satisfied", "Satisfied"
    NEITHER = "neither", "Neither satisfied nor dissatisfied"
    DISSATISFIED = "dissatisfied", "Dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"


class PortalFeedback(TimeStampedModel):
    """What the complainant thought of the response to one stage (or of the reply to a representation)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="portal_feedback")
    stage = models.ForeignKey(
        "cases.Stage", null=True, blank=True, on_delete=models.PROTECT, related_name="portal_feedback"
    )
    rating = models.CharField(max_length=20, choices=FeedbackRating.choices)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "portal feedback"
        constraints = [
            models.UniqueConstraint(fields=["case", "stage"], name="portal_feedback_once_per_stage"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(stage__isnull=True), name="portal_feedback_once_per_reply"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.case}: {self.get_rating_display()}"
