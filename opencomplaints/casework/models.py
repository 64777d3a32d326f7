"""Documents kept on a case: letters sent, reports received, evidence.

Files live under ``MEDIA_ROOT`` (``data/documents`` by default), which the web server never serves: the only way
out is the access-checked download view, which records who downloaded what. Each file is stored under a generated
name; the name it was uploaded with is kept for display and for the download.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from opencomplaints.cases.models import Case, Stage


class DocumentKind(models.TextChoices):
    LETTER = "letter", "Letter"
    REPORT = "report", "Report"
    EVIDENCE = "evidence", "Evidence"
    OTHER = "other", "Other"


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents")
    file = models.FileField(upload_to="cases/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    # What the contents were found to be (sniffed from the bytes), never what the browser said.
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    description = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["case", "uploaded_at"], name="document_case_uploaded")]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
            models.CheckConstraint(condition=~Q(original_name=""), name="document_has_name"),
        ]

    def __str__(self) -> str:
        return self.original_name
