"""What the trackers keep for their users: saved views (a named set of the tracker's filters)."""

from django.conf import settings
from django.db import models

from opencomplaints.common.models import TimeStampedModel

SAVED_VIEW_NAME_LENGTH = 80


class SavedView(TimeStampedModel):
    """A set of the tracker's filters (and its sort) a user named, to open again from the tracker. Only its owner
    sees it; it holds the query string, never the cases, so it always shows what the user may see now."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_tracker_views")
    name = models.CharField(max_length=SAVED_VIEW_NAME_LENGTH)
    query = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_view_name_unique_per_user")]

    def __str__(self) -> str:
        return self.name
