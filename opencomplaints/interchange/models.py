"""What the import keeps between steps and for next time: the labels a council has mapped to our vocabulary, and
a row per import for the history page."""

from django.conf import settings
from django.db import models

from opencomplaints.common.models import JobFileStatus, TimeStampedModel
from opencomplaints.councils.models import Council


class ImportMapping(TimeStampedModel):
    """A council's own label for a value ("Partly Upheld", "Children Looked After", "Leaving Care Team") and the
    vocabulary code or configured name it means, confirmed once by a person and applied to every later import."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="import_mappings")
    column = models.CharField(max_length=40)
    source_label = models.CharField(max_length=300, help_text="The label as it first appeared in a file.")
    # Labels are compared case-folded with white space collapsed, so "Partly  upheld" finds "partly upheld".
    label_key = models.CharField(max_length=300)
    target = models.CharField(max_length=150, help_text="The vocabulary code, or the name of a team or category.")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["council", "column", "label_key"]
        constraints = [
            models.UniqueConstraint(fields=["council", "column", "label_key"], name="import_mapping_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.column}: {self.source_label} → {self.target}"


class ImportRun(TimeStampedModel):
    """One file brought in (or checked): who, when, which file, what it did, and what was wrong with it."""

    class Status(models.TextChoices):
        INVALID = "invalid", "Has errors"
        READY = "ready", "Ready to import"
        RUNNING = "running", "Importing"
        COMPLETED = "completed", "Imported"
        FAILED = "failed", "Not imported"
        CHECKED = "checked", "Checked (dry run)"

    class Kind(models.TextChoices):
        RECORDS = "records", "Records"
        HISTORIC = "historic", "Historic summary figures"
        ARCHIVE = "archive", "Whole-history archive"

    class Source(models.TextChoices):
        WEB = "web", "Web"
        COMMAND = "command", "Command line"

    council = models.ForeignKey(Council, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RECORDS)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    status = models.CharField(max_length=10, choices=Status.choices)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    file_size = models.PositiveBigIntegerField(default=0)
    file_format = models.CharField(max_length=10, blank=True)
    # The uploaded file, kept (in the default storage) only until it is imported or abandoned: it holds personal data.
    stored_file = models.CharField(max_length=255, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The first errors, as [line, column, reason]; the full list is worked out again from the file when asked for.
    errors = models.JSONField(default=list, blank=True)
    unknown_labels = models.JSONField(default=list, blank=True)
    # An import into an installation with no council yet (a system administrator's first import): the name of the
    # council it creates with the records (blank: the default name). ``council`` is empty until it has run.
    new_council_name = models.CharField(max_length=200, blank=True)
    # Names the user chose to create (teams, issue categories, service areas), as [column, name].
    to_create = models.JSONField(default=list, blank=True)
    # Why a run stopped when the file was not at fault (its process died, or an unexpected error): shown to the user.
    failure_reason = models.CharField(max_length=300, blank=True)
    # The process running the import ("host:pid"), so a run whose process is gone is failed as soon as it is seen.
    worker = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What an archive import wrote (``archive.ArchiveImport``): councils, rows per part, documents, users reused.
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


# The states every file made by a background job goes through (``common.job_files``).
ExportFileStatus = JobFileStatus


class ExportFile(TimeStampedModel):
    """A records file (CSV, XLSX, JSON Lines) or whole-history archive (ZIP) of some councils, asked for through the
    API and made by a background job (``interchange.export_files``). Kept in the default storage, never served by
    the web server, until ``expires_at``; only the person who asked may download it, while they still manage
    every one of its councils."""

    Status = ExportFileStatus

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="export_files"
    )
    councils = models.ManyToManyField(Council, related_name="+")
    # The records file's format (csv, xlsx, jsonl) or "zip" for the whole-history archive (forms.FORMAT_CHOICES).
    file_format = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=ExportFileStatus.choices, default=ExportFileStatus.QUEUED)
    stored_file = models.CharField(max_length=255, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    # Records in a records file; rows of every part in an archive.
    rows = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    error_message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(file_format__in=["csv", "xlsx", "jsonl", "zip"]), name="export_file_format_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ExportFileStatus.READY)
                | (~models.Q(stored_file="") & models.Q(finished_at__isnull=False)),
                name="export_file_ready_has_file",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ExportFileStatus.FAILED)
                | (~models.Q(error_message="") & models.Q(finished_at__isnull=False)),
                name="export_file_failed_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} export {self.file_format} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in (ExportFileStatus.QUEUED, ExportFileStatus.PREPARING)
