"""What the annual report needs beyond case data: each year's context figures, and historic summary figures for
years before the system held case data (so trend tables reach back as far as the council's reports do)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from opencomplaints.common.models import JobFileStatus, TimeStampedModel
from opencomplaints.councils.models import Council
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.dimension_trends import BREAKDOWN_DIMENSIONS, BREAKDOWN_MEASURES
from opencomplaints.reporting.metrics.selection import ALL_PROCEDURES, COMBINED
from opencomplaints.reporting.metrics.trends import HISTORIC_MEASURES
from opencomplaints.reporting.periods import Period

MEASURE_CHOICES = [(code, description) for code, description in HISTORIC_MEASURES.items()]
PROCEDURE_CHOICES = [
    ("children_statutory", "Children's statutory procedure"),
    ("corporate", "Corporate procedure"),
    ("adults_statutory", "Adults' statutory procedure"),
    (ALL_PROCEDURES, "All complaint procedures together"),
    (COMBINED, "Council-wide report: the children's, adults' and corporate reports side by side"),
]
BASIS_CHOICES = [
    (Basis.RECEIVED.value, "Complaints received in the period (the usual basis)"),
    (Basis.COMPLETED.value, "Complaints completed in the period"),
]


def _figure(verbose_name: str) -> models.PositiveIntegerField[int | None, int | None]:
    return models.PositiveIntegerField(verbose_name, null=True, blank=True)


class ContextFigures(TimeStampedModel):
    """A council's children's social care activity in one reporting year, to set complaints in context and give
    rates for benchmarking. Every figure is optional."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="context_figures")
    year = models.PositiveSmallIntegerField(help_text="The reporting year, by the year it starts: 2023 is 2023/24.")
    referrals = _figure("referrals")
    assessments = _figure("assessments completed")
    children_in_need = _figure("children in need")
    child_protection_plans = _figure("children with a child protection plan")
    children_looked_after = _figure("children looked after")
    care_leavers = _figure("care leavers")
    population_0_17 = _figure("population aged 0 to 17")

    class Meta:
        ordering = ["council", "-year"]
        verbose_name_plural = "context figures"
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="context_figures_unique")]

    def __str__(self) -> str:
        return f"{self.council} {self.year}/{(self.year + 1) % 100:02d}"


class HistoricFigure(TimeStampedModel):
    """One summary figure for a year before the system held case data, e.g. stage 1 complaints received in
    2003/04. Where one exists it is used in trend tables instead of a figure computed from case data."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="historic_figures")
    year = models.PositiveSmallIntegerField(help_text="The reporting year, by the year it starts: 2017 is 2017/18.")
    measure = models.CharField(max_length=40, choices=MEASURE_CHOICES)
    value = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.TextField(blank=True, help_text="Where the figure comes from, e.g. the published report.")

    class Meta:
        ordering = ["council", "measure", "year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year", "measure"], name="historic_figure_unique"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="historic_figure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.year}: {self.measure} = {self.value}"


class HistoricBreakdown(TimeStampedModel):
    """One historic figure by dimension: for a year before the system held case data, how many stage ``stage``
    complaints had ``measure`` (received, completed, an outcome) under ``category`` of ``dimension``, e.g. 41
    stage 1 complaints received about Localities in 2018/19 (interchange §5's cells, for one year). Trend tables by
    service area (and by the other dimensions entered) use them (``metrics/dimension_trends.py``)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="historic_breakdowns")
    year = models.PositiveSmallIntegerField(help_text="The reporting year, by the year it starts: 2017 is 2017/18.")
    stage = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=30, choices=[(m, m.replace("_", " ")) for m in BREAKDOWN_MEASURES])
    dimension = models.CharField(max_length=30, choices=list(BREAKDOWN_DIMENSIONS.items()))
    category = models.CharField(max_length=150, help_text="The service area, team, issue or code counted under.")
    value = models.PositiveIntegerField()

    class Meta:
        ordering = ["council", "dimension", "stage", "measure", "year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "stage", "measure", "dimension", "category"],
                name="historic_breakdown_unique",
            ),
            models.CheckConstraint(condition=models.Q(stage__in=(1, 2, 3)), name="historic_breakdown_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.year} stage {self.stage} {self.measure} {self.dimension}={self.category}"


# The states every file made by a background job goes through (``common.job_files``).
ReportFileStatus = JobFileStatus


class ReportFileFormat(models.TextChoices):
    # The downloadable formats of ``renderers.Format`` (HTML is the report page itself).
    DOCX = "docx", "Word document for committee (DOCX)"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Spreadsheet, one sheet per table (XLSX)"
    JSON = "json", "Machine-readable figures, exact (JSON)"


class ReportFile(TimeStampedModel):
    """A downloadable copy of the annual report (DOCX, PDF, XLSX or JSON) that a person asked for: made by a
    background job, kept in the default storage (never served by the web server) until ``expires_at``, and
    downloadable only by the person who asked, while they may still see reports for every one of its councils."""

    Status = ReportFileStatus
    FileFormat = ReportFileFormat

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="report_files"
    )
    councils = models.ManyToManyField(Council, related_name="+")
    # The period as the report page chose it (the last day inclusive, as reports write it), so the file is the
    # same report whenever the job runs.
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(max_length=60)
    procedure = models.CharField(max_length=30, choices=PROCEDURE_CHOICES)
    basis = models.CharField(max_length=20, choices=BASIS_CHOICES)
    # The report page's query string, to go back to the report the file was asked for from.
    query = models.CharField(max_length=1000, blank=True)
    # The date the report says it was produced: the London date it was asked for.
    generated_on = models.DateField()
    file_format = models.CharField(max_length=10, choices=ReportFileFormat.choices)
    status = models.CharField(max_length=10, choices=ReportFileStatus.choices, default=ReportFileStatus.QUEUED)
    # The name in the default storage; the name offered to the browser is ``file_name``.
    stored_file = models.CharField(max_length=255, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    # Shown to the person who asked, as it is.
    error_message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="report_file_user_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReportFileStatus.values), name="report_file_status_valid"),
            models.CheckConstraint(
                condition=Q(file_format__in=ReportFileFormat.values), name="report_file_format_valid"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="report_file_period"),
            models.CheckConstraint(
                condition=~Q(status=ReportFileStatus.READY) | (~Q(stored_file="") & Q(finished_at__isnull=False)),
                name="report_file_ready_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportFileStatus.FAILED) | (~Q(error_message="") & Q(finished_at__isnull=False)),
                name="report_file_failed_says_why",
            ),
            models.CheckConstraint(
                condition=Q(status=ReportFileStatus.READY) | Q(stored_file=""), name="report_file_only_ready_has_file"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.period_label} {self.file_format} ({self.get_status_display()})"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end + timedelta(days=1), self.period_label)

    @property
    def council_names(self) -> str:
        return ", ".join(sorted(council.name for council in self.councils.all()))

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.PREPARING)


class SavedTable(TimeStampedModel):
    """A table by any dimension (interchange §5) saved to a council's annual report of one procedure: every report
    of that council and procedure draws it, over the report's own period, suppressed with the rest of the
    document."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="saved_tables")
    procedure = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    measure = models.CharField(max_length=32)
    stage = models.PositiveSmallIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=32, blank=True)
    rows = models.CharField(max_length=32)
    columns = models.CharField(max_length=32, blank=True)
    service_area = models.CharField(max_length=200, blank=True, help_text="Only the records of this service area.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["council", "procedure", "created_at", "id"]

    def __str__(self) -> str:
        return self.title


# -- Publication (docs/adr/0015-publication-freezes-the-document.md) ----------------------------------------------


class ReportDraftStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for approval"
    APPROVED = "approved", "Approved, not yet published"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Published, then superseded by a correction"


#: The states a report is still being written or approved in: one such draft at a time per council, procedure and
#: year.
OPEN_STATUSES = (ReportDraftStatus.DRAFT, ReportDraftStatus.SUBMITTED, ReportDraftStatus.APPROVED)


def _by_whom(name: str) -> "models.ForeignKey[Any, Any]":
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=name
    )


class ReportDraft(TimeStampedModel):
    """A council's annual report of one procedure and reporting year on its way to publication: officers write
    each section's narrative and the year's context figures, submit it, a manager approves it (or returns it with
    a comment), and publishing freezes it: the whole report as JSON (``report_json``), the files made from it
    (:class:`PublishedReportFile`) and the SHA-256 of the case data it came from. A published report never
    changes; a correction is a new draft that ``corrects`` it, and publishing the correction supersedes it."""

    Status = ReportDraftStatus

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="report_drafts")
    procedure = models.CharField(max_length=30, choices=PROCEDURE_CHOICES)
    year = models.PositiveSmallIntegerField(help_text="The reporting year, by the year it starts: 2023 is 2023/24.")
    status = models.CharField(max_length=12, choices=ReportDraftStatus.choices, default=ReportDraftStatus.DRAFT)
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction")
    started_by = _by_whom("started by")
    last_edited_by = _by_whom("last edited by")
    last_edited_at = models.DateTimeField(null=True, blank=True)
    submitted_by = _by_whom("submitted by")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = _by_whom("approved by")
    approved_at = models.DateTimeField(null=True, blank=True)
    #: The manager's comment when they last returned the draft (kept until it is approved).
    returned_comment = models.TextField(blank=True)
    returned_by = _by_whom("returned by")
    returned_at = models.DateTimeField(null=True, blank=True)
    published_by = _by_whom("published by")
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    #: The frozen report (``reporting.frozen``), as canonical JSON text: its bytes are what ``report_sha256`` names.
    report_json = models.TextField(blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    #: The SHA-256 of the case data the report was built from (its records, canonical JSON).
    data_sha256 = models.CharField(max_length=64, blank=True)
    #: The suppression threshold the files were made with, so they are made again the same way.
    min_cell = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["council", "procedure", "-year", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReportDraftStatus.values), name="report_draft_status_valid"),
            models.UniqueConstraint(
                fields=["council", "procedure", "year"],
                condition=Q(status__in=OPEN_STATUSES),
                name="report_draft_one_open",
            ),
            models.UniqueConstraint(
                fields=["council", "procedure", "year"],
                condition=Q(status=ReportDraftStatus.PUBLISHED),
                name="report_draft_one_published",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=(ReportDraftStatus.PUBLISHED, ReportDraftStatus.SUPERSEDED))
                | (~Q(report_json="") & ~Q(report_sha256="") & Q(published_at__isnull=False)),
                name="report_draft_published_is_frozen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.get_procedure_display()} {self.year_label} ({self.get_status_display()})"

    @property
    def year_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def editable(self) -> bool:
        return self.status == ReportDraftStatus.DRAFT

    @property
    def frozen(self) -> bool:
        return self.status in (ReportDraftStatus.PUBLISHED, ReportDraftStatus.SUPERSEDED)


class ReportNarrative(TimeStampedModel):
    """What officers wrote for one section of a report draft: ``text`` is published (as plain paragraphs);
    ``note`` is for the manager approving it and is never published."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="narratives")
    section = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    note = models.TextField(blank=True, help_text="For the approving manager; never published.")
    edited_by = _by_whom("edited by")

    class Meta:
        ordering = ["draft", "section"]
        constraints = [models.UniqueConstraint(fields=["draft", "section"], name="report_narrative_one_per_section")]

    def __str__(self) -> str:
        return f"{self.draft_id}: {self.section}"


class QuoteReviewStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class QuoteReview(TimeStampedModel):
    """A complaints manager's decision on one compliment's words for one report: publish them as redacted (or as
    the reviewer changed them, ``edited``), or not at all. The decision holds for the words it was made on
    (``source_sha256``): if the compliment's words change, the quote waits for review again. Only approved quotes
    are published; a report cannot be published while a quote is waiting. The compliment's own words are not
    copied here; ``text`` is the redacted text to publish."""

    Status = QuoteReviewStatus

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="quote_reviews")
    compliment = models.ForeignKey("cases.ComplimentDetail", on_delete=models.CASCADE, related_name="+")
    source_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=QuoteReviewStatus.choices)
    #: What is published, once approved: the redacted words, or the reviewer's own version of them (redacted too).
    text = models.TextField(blank=True)
    edited = models.BooleanField(default=False)
    reviewed_by = _by_whom("reviewed by")
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["draft", "id"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "compliment"], name="quote_review_one_per_quote"),
            models.CheckConstraint(condition=Q(status__in=QuoteReviewStatus.values), name="quote_review_status"),
            models.CheckConstraint(
                condition=~Q(status=QuoteReviewStatus.APPROVED) | ~Q(text=""), name="quote_review_approved_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft_id}: compliment {self.compliment_id} {self.status}"


class PublishedReportFile(models.Model):
    """One file of a published report, exactly as it was published (kept in the database, in the publication's
    own transaction, and never changed or deleted)."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.PROTECT, related_name="files")
    file_format = models.CharField(max_length=10)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["draft", "file_format"]
        constraints = [models.UniqueConstraint(fields=["draft", "file_format"], name="published_file_one_per_format")]

    def __str__(self) -> str:
        return self.file_name
