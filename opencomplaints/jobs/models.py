"""The record of scheduled runs: one row per job and time it was due, so a schedule fires once per slot however
many schedulers (the worker, cron) are running, and a run that failed in-process is tried again."""

from django.db import models

from opencomplaints.common.models import TimeStampedModel


class RunStatus(models.TextChoices):
    ENQUEUED = "enqueued", "Handed to the worker"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ScheduledRun(TimeStampedModel):
    name = models.CharField(max_length=60)
    slot = models.DateTimeField(help_text="When the schedule made it due.")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.ENQUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    result_id = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-slot", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="scheduled_run_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.name} at {self.slot:%Y-%m-%d %H:%M}"
