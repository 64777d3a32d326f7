"""Correspondence: the words of each step's letter as a council edits them (every saved version kept), the council's
letterhead and signature, each letter or email written from them on a case, and email that arrives in the shared
mailbox.

An emailed letter goes out through the notifications outbox (``notifications.Message``, GOV.UK Notify or SMTP as
configured); a letter for post waits in the print queue until it is printed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from opencomplaints.common.models import TimeStampedModel
from opencomplaints.correspondence.steps import Audience, StepKey

USER = settings.AUTH_USER_MODEL


class LetterSettings(TimeStampedModel):
    """A council's letterhead, signature block and the signposting its letters merge in."""

    council = models.OneToOneField("councils.Council", on_delete=models.CASCADE, related_name="letter_settings")
    letterhead = models.TextField(
        blank=True, help_text="The council's name and address as printed at the top of a letter, one line per line."
    )
    signature = models.TextField(blank=True, help_text="How letters are signed off, one line per line.")
    advocacy = models.TextField(blank=True, help_text="Where to get an advocate: merged as {{ advocacy }}.")
    support = models.TextField(
        blank=True, help_text="Support for children and young people (Childline, NYAS): merged as {{ support }}."
    )
    ombudsman = models.TextField(blank=True, help_text="How to contact the Ombudsman: merged as {{ ombudsman }}.")

    class Meta:
        verbose_name_plural = "letter settings"

    def __str__(self) -> str:
        return f"Letter settings of {self.council}"


class LetterTemplate(models.Model):
    """One council's words for one step and audience; the words are its latest ``LetterTemplateVersion``."""

    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="letter_templates")
    step = models.CharField(max_length=40, choices=StepKey.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)

    class Meta:
        ordering = ["council", "step", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["council", "step", "audience"], name="letter_template_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} ({self.get_audience_display()})"


class LetterTemplateVersion(models.Model):
    """Words saved for a template; never changed, so a letter names the version it was written from."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    saved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="letter_template_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.template} version {self.number}"


class LetterChannel(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Post"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    EMAILED = "emailed", "Sent by email"
    TO_PRINT = "to_print", "Waiting to be printed"
    PRINTED = "printed", "Printed for post"


class Letter(TimeStampedModel):
    """One letter or email written on a case from a step's template, edited and previewed before it goes."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="letters")
    step = models.CharField(max_length=40, choices=StepKey.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    # The version the words started from; blank for the standard words (``defaults.DEFAULT_WORDS``).
    template_version = models.ForeignKey(
        LetterTemplateVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    channel = models.CharField(max_length=10, choices=LetterChannel.choices)
    # An email address, or the postal address one line per line.
    recipient = models.TextField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # The letterhead and signature as they were when the letter went, so a later change does not rewrite it.
    letterhead = models.TextField(blank=True)
    signature = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT)
    message = models.OneToOneField(
        "notifications.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="letter"
    )
    written_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    printed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "sent_at"], name="letter_print_queue")]
        constraints = [
            models.CheckConstraint(condition=Q(status="draft") | Q(sent_at__isnull=False), name="letter_sent_has_time"),
            models.CheckConstraint(
                condition=~Q(status="emailed") | Q(message__isnull=False), name="letter_emailed_has_message"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} letter #{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT

    @property
    def recipient_lines(self) -> list[str]:
        return [line for line in self.recipient.splitlines() if line.strip()]


class InboundStatus(models.TextChoices):
    INBOX = "inbox", "In the inbox, to triage"
    FILED = "filed", "On a case"
    DISCARDED = "discarded", "Discarded"
    # A delivery failure notice for an email the council sent: the message is marked not delivered and the notice
    # kept on its case; it never waits in the inbox.
    BOUNCE = "bounce", "Delivery failure notice"


class InboundSource(models.TextChoices):
    MAILBOX = "mailbox", "Shared mailbox"
    UPLOAD = "upload", "Email file added by hand"


class InboundEmail(TimeStampedModel):
    """An email that arrived: filed on the case its subject or words quote, or waiting in the inbox for triage.

    ``message_id`` (the Message-ID header, or a digest of the message where it has none) is unique per council, so
    the same message read twice from the mailbox, or dropped onto a case again, is recognised and stored once.
    """

    council = models.ForeignKey("councils.Council", on_delete=models.PROTECT, related_name="inbound_emails")
    message_id = models.CharField(max_length=500)
    source = models.CharField(max_length=10, choices=InboundSource.choices)
    from_address = models.CharField(max_length=320, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField()
    body = models.TextField(blank=True)
    # The message as it arrived, so attachments can be checked and added to a case when it is triaged.
    raw = models.BinaryField()
    status = models.CharField(max_length=10, choices=InboundStatus.choices, default=InboundStatus.INBOX)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="inbound_emails"
    )
    documents = models.ManyToManyField("casework.Document", blank=True, related_name="inbound_emails")
    # Attachments the document checks refused, each {"name": ..., "problem": ...}.
    refused_attachments = models.JSONField(default=list, blank=True)
    triaged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)
    # Why it was discarded from the inbox (spam, sent to the wrong council ...).
    discard_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["council", "status", "received_at"], name="inbound_inbox")]
        constraints = [
            models.UniqueConstraint(fields=["council", "message_id"], name="inbound_message_id_unique"),
            models.CheckConstraint(condition=~Q(status="filed") | Q(case__isnull=False), name="inbound_filed_has_case"),
        ]

    def __str__(self) -> str:
        return f"Email #{self.pk}"
