"""Records retention (docs/adr/0006-retention.md): legal holds that keep a case's personal data past the retention
period, and the record of each case whose personal data was removed."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from opencomplaints.common.models import TimeStampedModel


class LegalHold(TimeStampedModel):
    """Keeps a case's personal data for as long as it is in place (litigation, an Ombudsman or police enquiry, a
    subject access request in progress). One per case: placing a hold again after it was lifted reuses the row, and
    the audit trail keeps every placing and lifting."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="legal_hold")
    reason = models.TextField(help_text="Why the case's personal data must be kept, e.g. a claim or an enquiry.")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="legal_hold_has_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | Q(lifted_at__gte=models.F("placed_at")),
                name="legal_hold_lifted_after_placed",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold on {self.case}" + (" (lifted)" if self.lifted_at else "")

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class CaseAnonymisation(models.Model):
    """A case whose personal data was removed after the retention period: when, and what was removed. The case
    itself, with every statistical field, stays and is counted in reports as before."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="anonymisation")
    anonymised_at = models.DateTimeField()
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_date = models.DateField(help_text="When the case closed: the retention period ran from this date.")
    people_anonymised = models.PositiveIntegerField(default=0)
    documents_deleted = models.PositiveIntegerField(default=0)
    messages_cleared = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-anonymised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} anonymised {self.anonymised_at:%d/%m/%Y}"
