from django.conf import settings
from django.db import models
from django.db.models import Q

from opencomplaints.common.models import TimeStampedModel


class OverrideKind(models.TextChoices):
    ADD = "add", "Add a non-working day (a newly proclaimed bank holiday)"
    REMOVE = "remove", "Remove a listed holiday (the proclamation was cancelled or moved)"


class BankHolidayOverride(TimeStampedModel):
    """A correction to the statutory England and Wales calendar (R5.6 layer 3) for a day proclaimed after the
    installed ``holidays`` data. It applies to every council: statutory working days are national (R5.9)."""

    on_date = models.DateField(unique=True, verbose_name="date")
    kind = models.CharField(max_length=10, choices=OverrideKind.choices)
    reason = models.TextField(help_text="For example the proclamation, with its date.")
    source_url = models.URLField(blank=True, help_text="Where the proclamation or announcement was published.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["on_date"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason")]

    def __str__(self) -> str:
        return f"{self.on_date:%d %B %Y}: {self.get_kind_display()}"
