from django.db import models


class TimeStampedModel(models.Model):
    """Adds when a row was created and last changed (aware UTC, R5.12 conversions happen at the edges)."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class JobFileStatus(models.TextChoices):
    """The states of a file a background job makes for one person (``common.job_files``): a report file's and an
    export's."""

    QUEUED = "queued", "Waiting to start"
    PREPARING = "preparing", "Preparing"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"
    EXPIRED = "expired", "Deleted"
