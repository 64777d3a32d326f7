"""The Complaint Handling Code's own records: which Codes a council follows, its self-assessments (each answer a
snapshot of the provision it answered, so a later Code version never rewrites it), and the Ombudsman's annual
review letters with the cases they list."""

from django.conf import settings
from django.db import models

from opencomplaints.councils.models import Council

USER = settings.AUTH_USER_MODEL


class Verdict(models.TextChoices):
    COMPLIANT = "compliant", "Compliant"
    PARTLY = "partly", "Partly compliant"
    NOT_COMPLIANT = "not_compliant", "Not compliant"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class CouncilCode(models.Model):
    """A Code the council follows (a setting per council)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="handling_codes")
    code = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="council_code_once")]

    def __str__(self) -> str:
        return f"{self.council_id}: {self.code}"


class SelfAssessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEWED = "reviewed", "Reviewed"
        SIGNED_OFF = "signed_off", "Signed off"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="self_assessments")
    code = models.CharField(max_length=20)
    code_version = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField(help_text="The reporting year by the year it starts.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField(blank=True, help_text="Why it was started, e.g. after a restructure.")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    governing_body_response = models.TextField(blank=True)
    response_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.year}"


class AssessmentAnswer(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    provision = models.CharField(max_length=10)
    section = models.PositiveSmallIntegerField()
    provision_text = models.TextField()
    source = models.CharField(max_length=200)
    metric = models.CharField(max_length=40, blank=True)
    verdict = models.CharField(max_length=20, choices=Verdict.choices, blank=True)
    measured = models.JSONField(null=True, blank=True)
    commentary = models.TextField(blank=True)
    evidence = models.FileField(upload_to="handlingcode/%Y/%m/", max_length=200, blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "provision"], name="assessment_answer_once"),
        ]

    def __str__(self) -> str:
        return self.provision


class OmbudsmanLetter(models.Model):
    """The Ombudsman's annual review letter for a council's year: its figures and the averages of similar
    authorities."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="ombudsman_letters")
    year = models.PositiveSmallIntegerField()
    letter_date = models.DateField(null=True, blank=True)
    decided = models.PositiveIntegerField()
    upheld = models.PositiveIntegerField()
    upheld_rate = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    compliance_rate = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    satisfactory_remedy = models.PositiveIntegerField(null=True, blank=True)
    average_upheld_rate = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    average_compliance_rate = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    average_satisfactory_remedy_rate = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    entered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="ombudsman_letter_once_a_year")]

    def __str__(self) -> str:
        return f"{self.council_id} {self.year}"


class OmbudsmanLetterCase(models.Model):
    letter = models.ForeignKey(OmbudsmanLetter, on_delete=models.CASCADE, related_name="cases")
    lgsco_reference = models.CharField(max_length=40)
    decision = models.CharField(max_length=40)
    decision_date = models.DateField(null=True, blank=True)
    #: Whether the Ombudsman found the council complied with its recommendations on time (``None``: none made).
    complied_on_time = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["letter", "id"]
        constraints = [models.UniqueConstraint(fields=["letter", "lgsco_reference"], name="letter_case_once")]

    def __str__(self) -> str:
        return self.lgsco_reference
