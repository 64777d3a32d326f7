"""The record the 2006 Regulations require (R1.39): every representation, its stages, the people involved,
outcomes, remedies and learning.

A ``Case`` is one representation of any kind. Complaints have ``Stage`` rows (1, 2, 3); every other kind has a
single response date. Invariants live in database constraints; the rules of the procedure live in
``cases.services`` and ``cases.rules``.
"""

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from opencomplaints.cases import constants as c
from opencomplaints.cases.kinds import CaseKind, kind_choices, kind_of
from opencomplaints.common.models import TimeStampedModel
from opencomplaints.councils.models import (
    Contact,
    Council,
    EqualityScheme,
    IssueCategory,
    RemedyType,
    ServiceArea,
    Team,
)

if TYPE_CHECKING:
    from opencomplaints.accounts.models import User

USER = settings.AUTH_USER_MODEL


def person_ref(user_id: int | None, contact_id: int | None) -> str | None:
    """How a part in a case names its holder across users and contacts: ``user:<id>`` or ``contact:<id>``."""
    if user_id is not None:
        return f"user:{user_id}"
    if contact_id is not None:
        return f"contact:{contact_id}"
    return None


class Person(TimeStampedModel):
    """A complainant or a child, kept once per council so repeated complaints can be linked (R1.14)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="people")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Equality monitoring (R6.x): always optional, always allowing "not known".
    sex = models.CharField(max_length=10, choices=c.Sex.choices, default=c.Sex.UNKNOWN)
    ethnicity_scheme = models.CharField(max_length=20, choices=EqualityScheme.choices, blank=True)
    ethnicity_code = models.CharField(max_length=40, blank=True)
    disability = models.CharField(max_length=10, choices=c.YesNoUnknown.choices, default=c.YesNoUnknown.UNKNOWN)
    sexual_orientation = models.CharField(
        max_length=20, choices=c.SexualOrientation.choices, default=c.SexualOrientation.UNKNOWN
    )
    religion = models.CharField(max_length=100, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["council", "last_name", "first_name"], name="person_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ethnicity_code="") | ~Q(ethnicity_scheme=""), name="person_ethnicity_has_scheme"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or f"Person #{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Case(TimeStampedModel):
    """One representation: a complaint, potential complaint, query, MP or councillor enquiry, compliment or
    Ombudsman case. ``status``, ``current_stage`` and ``next_due_date`` are kept up to date by the services so
    the tracker reads one row per case."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=40)
    kind = models.CharField(max_length=30, choices=kind_choices)
    procedure = models.CharField(max_length=30, choices=c.Procedure.choices, blank=True)
    # The versions of the council's configured rules the case started under (docs/adr/0014-procedures-as-data.md):
    # a later change to the council's procedure is a new version and never moves this case's due dates. Blank
    # means the built-in rules (the Complaint Handling Code, the Regulations, ten working days for an enquiry).
    corporate_procedure = models.ForeignKey(
        "councils.CorporateProcedure", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    local_timescales = models.ForeignKey(
        "councils.LocalTimescales", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=c.CaseStatus.choices, default=c.CaseStatus.OPEN)
    # R5.11, R5.12: the raw timestamp is kept; the London date is day 0.
    received_at = models.DateTimeField(null=True, blank=True)
    received_date = models.DateField()
    received_via = models.CharField(max_length=20, choices=c.ReceivedVia.choices, default=c.ReceivedVia.UNKNOWN)
    summary = models.TextField(blank=True, help_text="Personal data: never published.")
    topic = models.CharField(max_length=200, blank=True, help_text="The subject of an enquiry, query or compliment.")
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_cases")
    teams = models.ManyToManyField(Team, through="CaseTeam", related_name="cases", blank=True)
    # Imported records may name a service area without a team; with a team, the service area is on ``CaseTeam``.
    service_area = models.ForeignKey(
        ServiceArea, null=True, blank=True, on_delete=models.PROTECT, related_name="cases_without_team"
    )
    issues = models.ManyToManyField(IssueCategory, through="CaseIssue", related_name="cases", blank=True)

    # R1.12: the one-year time limit and the discretion to consider late representations.
    grounds_arose_date = models.DateField(null=True, blank=True)
    in_time = models.BooleanField(null=True, blank=True)
    late_acceptance_decided = models.BooleanField(null=True, blank=True)
    late_not_reasonable_to_expect_reason = models.TextField(blank=True)
    late_still_possible_reason = models.TextField(blank=True)

    # Triage (R1.7-R1.14): accepted under the procedure, or not and where it went instead.
    acceptance = models.CharField(max_length=10, choices=c.Acceptance.choices, default=c.Acceptance.PENDING)
    decline_reason = models.CharField(max_length=40, choices=c.DeclineReason.choices, blank=True)
    redirected_to = models.CharField(max_length=40, choices=c.Route.choices, blank=True)
    decline_note = models.TextField(blank=True)

    mediation = models.CharField(max_length=20, choices=c.Mediation.choices, default=c.Mediation.NONE)
    # R1.17, R1.40 item 1.
    advocacy_offered = models.BooleanField(null=True, blank=True)
    advocacy_provided = models.BooleanField(null=True, blank=True)
    advocate_name = models.CharField(max_length=150, blank=True)
    advocate_organisation = models.CharField(max_length=150, blank=True)

    current_stage = models.PositiveSmallIntegerField(null=True, blank=True)
    next_due_date = models.DateField(null=True, blank=True, db_index=True)
    # Kinds without stages: when it was acknowledged (interchange §4 ``acknowledged``, optional for every
    # record), the response target and when it was met. A complaint's stages keep their own.
    acknowledged_date = models.DateField(null=True, blank=True)
    response_due_date = models.DateField(null=True, blank=True)
    responded_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=c.Outcome.choices, blank=True)
    closed_date = models.DateField(null=True, blank=True)

    linked_case = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_from",
        help_text="An earlier case this one re-raises or resubmits (R1.13, R1.14).",
    )
    restricted = models.BooleanField(default=False)
    # Optimistic concurrency (cases.concurrency): one more on every change, so a form opened before a change is
    # known to be stale when it is saved.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_date", "-id"]
        indexes = [
            models.Index(fields=["council", "status", "next_due_date"], name="case_tracker"),
            models.Index(fields=["council", "kind", "received_date"], name="case_kind_received"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="case_reference_unique"),
            models.CheckConstraint(
                condition=(Q(kind=c.Kind.COMPLAINT) & ~Q(procedure="")) | (~Q(kind=c.Kind.COMPLAINT) & Q(procedure="")),
                name="case_procedure_only_for_complaints",
            ),
            models.CheckConstraint(
                condition=Q(closed_date__isnull=True) | Q(closed_date__gte=F("received_date")),
                name="case_closed_after_received",
            ),
            models.CheckConstraint(
                condition=Q(responded_date__isnull=True) | Q(responded_date__gte=F("received_date")),
                name="case_responded_after_received",
            ),
            models.CheckConstraint(
                condition=Q(status=c.CaseStatus.CLOSED, closed_date__isnull=False)
                | (~Q(status=c.CaseStatus.CLOSED) & Q(closed_date__isnull=True)),
                name="case_closed_date_iff_closed",
            ),
            models.CheckConstraint(
                condition=(Q(acceptance=c.Acceptance.DECLINED) & ~Q(decline_reason=""))
                | (~Q(acceptance=c.Acceptance.DECLINED) & Q(decline_reason="")),
                name="case_decline_reason_iff_declined",
            ),
            models.CheckConstraint(
                condition=Q(grounds_arose_date__isnull=True) | Q(grounds_arose_date__lte=F("received_date")),
                name="case_grounds_before_received",
            ),
            models.CheckConstraint(
                condition=Q(current_stage__isnull=True) | Q(current_stage__in=[1, 2, 3]), name="case_stage_number"
            ),
            # R1.12: a representation made after the time limit is never left without a discretion decision.
            models.CheckConstraint(
                condition=~Q(in_time=False) | Q(late_acceptance_decided__isnull=False),
                name="case_late_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != c.CaseStatus.CLOSED

    @property
    def kind_declaration(self) -> CaseKind:
        """The declaration of the case's kind (``cases.kinds``)."""
        return kind_of(self.kind)


class CaseTeam(models.Model):
    """A team a case names. ``service_area`` is the team's service area when the case was received, so
    a later restructure does not rewrite an earlier year's report."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_teams")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="case_teams")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="case_teams")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "team"], name="case_team_unique")]

    def __str__(self) -> str:
        return f"{self.case} – {self.team}"  # noqa: RUF001 - an en dash between the parts, as GOV.UK style has it


class CaseIssue(models.Model):
    """An issue category a case names; position 0 is the principal issue."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_issues")
    category = models.ForeignKey(IssueCategory, on_delete=models.PROTECT, related_name="case_issues")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "category"], name="case_issue_unique")]

    def __str__(self) -> str:
        return f"{self.case} – {self.category}"  # noqa: RUF001 - an en dash between the parts, as GOV.UK style has it


class CaseComplainant(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="complainants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="complaints_made")
    complainant_type = models.CharField(
        max_length=30, choices=c.ComplainantType.choices, default=c.ComplainantType.UNKNOWN
    )
    is_primary = models.BooleanField(default=True)
    # R1.8, R1.9.
    eligibility_basis = models.CharField(
        max_length=40, choices=c.EligibilityBasis.choices, default=c.EligibilityBasis.NOT_APPLICABLE
    )
    sufficient_interest = models.CharField(
        max_length=20, choices=c.SufficientInterestDecision.choices, default=c.SufficientInterestDecision.NOT_REQUIRED
    )
    sufficient_interest_decided_date = models.DateField(null=True, blank=True)
    sufficient_interest_child_consulted = models.BooleanField(null=True, blank=True)
    sufficient_interest_notified_date = models.DateField(null=True, blank=True)
    # R1.10.
    on_behalf_of_child = models.BooleanField(default=False)
    child_consent = models.CharField(
        max_length=20, choices=c.ChildConsent.choices, default=c.ChildConsent.NOT_APPLICABLE
    )

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_complainant_unique"),
            models.UniqueConstraint(fields=["case"], condition=Q(is_primary=True), name="case_one_primary_complainant"),
            # R1.9: a sufficient-interest decision is dated.
            models.CheckConstraint(
                condition=~Q(
                    sufficient_interest__in=[
                        c.SufficientInterestDecision.HAS_INTEREST,
                        c.SufficientInterestDecision.NO_INTEREST,
                    ]
                )
                | Q(sufficient_interest_decided_date__isnull=False),
                name="complainant_interest_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_complainant_type_display()})"


class CaseChild(models.Model):
    """A child or young person the case concerns."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="complaints_about")
    age_at_receipt = models.PositiveSmallIntegerField(null=True, blank=True)
    support_category = models.CharField(
        max_length=30, choices=c.SupportCategory.choices, default=c.SupportCategory.UNKNOWN
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "case children"
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_child_unique"),
            models.CheckConstraint(
                condition=Q(age_at_receipt__isnull=True) | Q(age_at_receipt__lte=25), name="case_child_age_range"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Stage(TimeStampedModel):
    """One stage of a complaint. Day 0 is ``received_date`` (for stage 2 and 3, the date the request arrived);
    stage 2's timescale runs from ``start_date``, the day the statement of complaint was agreed (R1.26)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField()
    # The interchange format's ``ref`` of this stage (../shared/spec/interchange.md §1), so re-importing a file
    # updates the stage it created. Blank for stages recorded here, whose ref is derived from the case reference.
    reference = models.CharField(max_length=40, blank=True, db_index=True)
    received_date = models.DateField()
    start_date = models.DateField()
    # R1.22, R1.29: a request outside the window is flagged for a discretion decision, never refused silently.
    request_in_window = models.BooleanField(null=True, blank=True)
    late_request_accepted = models.BooleanField(null=True, blank=True)
    late_request_reason = models.TextField(blank=True)
    previous_stage_skipped_reason = models.TextField(blank=True, help_text="R1.23: why stage 1 was not used.")
    # Corporate and adults' procedures time the response from the acknowledgement (R2.5, R3.5, R3.6).
    acknowledged_date = models.DateField(null=True, blank=True)

    # The details as they stood for this stage (docs/adr/0010-per-stage-values.md): each stage is one record of the
    # interchange format and of the report, so two stages of a complaint may differ in them. The case keeps the
    # current values the workspace shows; a new stage starts from those.
    received_via = models.CharField(max_length=20, choices=c.ReceivedVia.choices, default=c.ReceivedVia.UNKNOWN)
    teams = models.ManyToManyField(Team, through="StageTeam", related_name="stages", blank=True)
    issues = models.ManyToManyField(IssueCategory, through="StageIssue", related_name="stages", blank=True)
    # The service area the stage is counted under: its first team's when received, or one named without a team.
    service_area = models.ForeignKey(
        ServiceArea, null=True, blank=True, on_delete=models.PROTECT, related_name="stages"
    )
    # Blank where the case records no complainant (or no child): the record then leaves the column empty.
    complainant_type = models.CharField(max_length=30, choices=c.ComplainantType.choices, blank=True)
    support_category = models.CharField(max_length=30, choices=c.SupportCategory.choices, blank=True)
    mediation = models.CharField(max_length=20, choices=c.Mediation.choices, default=c.Mediation.NONE)
    advocacy_provided = models.BooleanField(null=True, blank=True)

    # R1.20, R1.26: an extension needs a reason and the date the complainant was told.
    extended = models.BooleanField(default=False)
    extended_due_date = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    extension_notified_date = models.DateField(null=True, blank=True)

    # The officer who owned the case while this stage was open (the case's owner is the current one): set when the
    # stage opens and whenever the owner changes while it is open.
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_stages")

    # Stage 2 (R1.24-R1.28).
    investigating_officer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    investigating_officer_appointed_date = models.DateField(null=True, blank=True)
    independent_person = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    independent_person_appointed_date = models.DateField(null=True, blank=True)
    # Either may instead be one of the council's contacts, someone without an account (docs/adr/0032): a stage
    # names a user or a contact for each part, never both (the constraints below).
    investigating_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    independent_contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    statement_agreed_date = models.DateField(null=True, blank=True)
    investigator_report_date = models.DateField(null=True, blank=True)
    adjudication_date = models.DateField(null=True, blank=True)
    adjudicator = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    # Stage 3 (R1.29-R1.33).
    # The panel meeting arranged ahead (R1.31): when, and where or online; its members and the case owner are told,
    # and reminded before it. ``panel_date`` is the day it met.
    panel_meeting_at = models.DateTimeField(null=True, blank=True)
    panel_meeting_place = models.CharField(max_length=200, blank=True)
    panel_meeting_online = models.BooleanField(default=False)
    panel_date = models.DateField(null=True, blank=True)
    panel_report_date = models.DateField(null=True, blank=True)

    response_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=c.Outcome.choices, blank=True)
    # Why the outcome is not the one the findings on the points give (the roll-up); blank when it is.
    outcome_override_reason = models.TextField(blank=True)
    # R1.29: how the response was sent, and the day the complainant received it or is deemed to have (a letter by
    # post some working days after it was sent). The window to ask for the next stage runs from that day.
    response_sent_via = models.CharField(max_length=10, choices=c.ResponseSentVia.choices, blank=True)
    response_received_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["case", "number"]
        indexes = [models.Index(fields=["number", "response_date"], name="stage_completed")]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="stage_unique_per_case"),
            models.CheckConstraint(condition=Q(number__in=[1, 2, 3]), name="stage_number_1_to_3"),
            models.CheckConstraint(condition=Q(start_date__gte=F("received_date")), name="stage_start_after_received"),
            models.CheckConstraint(
                condition=Q(response_date__isnull=True) | Q(response_date__gte=F("received_date")),
                name="stage_response_after_received",
            ),
            models.CheckConstraint(
                condition=(Q(response_date__isnull=True) & Q(outcome=""))
                | (Q(response_date__isnull=False) & ~Q(outcome="")),
                name="stage_outcome_iff_responded",
            ),
            models.CheckConstraint(
                condition=Q(extended=False)
                | (
                    ~Q(extension_reason="")
                    & Q(extension_notified_date__isnull=False)
                    & Q(extended_due_date__isnull=False)
                ),
                name="stage_extension_recorded",
            ),
            models.CheckConstraint(
                condition=Q(panel_report_date__isnull=True)
                | (Q(panel_date__isnull=False) & Q(panel_report_date__gte=F("panel_date"))),
                name="stage_panel_report_after_panel",
            ),
            models.CheckConstraint(
                condition=Q(investigating_officer__isnull=True)
                | Q(independent_person__isnull=True)
                | ~Q(investigating_officer=F("independent_person")),
                name="stage_io_is_not_ip",
            ),
            models.CheckConstraint(
                condition=Q(investigating_contact__isnull=True)
                | Q(independent_contact__isnull=True)
                | ~Q(investigating_contact=F("independent_contact")),
                name="stage_io_contact_is_not_ip",
            ),
            models.CheckConstraint(
                condition=Q(investigating_officer__isnull=True) | Q(investigating_contact__isnull=True),
                name="stage_one_investigator",
            ),
            models.CheckConstraint(
                condition=Q(independent_person__isnull=True) | Q(independent_contact__isnull=True),
                name="stage_one_independent_person",
            ),
            # A complaint is at one stage at a time: the next opens only when the previous has ended.
            models.UniqueConstraint(
                fields=["case"], condition=Q(response_date__isnull=True), name="stage_one_open_per_case"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_date__isnull=True) | Q(acknowledged_date__gte=F("received_date")),
                name="stage_acknowledged_after_received",
            ),
            # R1.22, R1.29: a late request carries the discretion decision and its reason.
            models.CheckConstraint(
                condition=~Q(request_in_window=False)
                | (Q(late_request_accepted__isnull=False) & ~Q(late_request_reason="")),
                name="stage_late_request_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} stage {self.number}"

    @property
    def is_open(self) -> bool:
        return self.response_date is None

    @property
    def investigator(self) -> "User | Contact | None":
        """The investigating officer: a user or a contact."""
        return self.investigating_officer or self.investigating_contact

    @property
    def independent(self) -> "User | Contact | None":
        """The independent person: a user or a contact."""
        return self.independent_person or self.independent_contact

    @property
    def investigator_ref(self) -> str | None:
        """``user:<id>`` or ``contact:<id>`` for the investigating officer, ``None`` before one is appointed."""
        return person_ref(self.investigating_officer_id, self.investigating_contact_id)

    @property
    def independent_ref(self) -> str | None:
        """``user:<id>`` or ``contact:<id>`` for the independent person, ``None`` before one is appointed."""
        return person_ref(self.independent_person_id, self.independent_contact_id)


class StageTeam(models.Model):
    """A team a stage names, in the order recorded."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="stage_teams")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="stage_teams")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["stage", "team"], name="stage_team_unique")]

    def __str__(self) -> str:
        return f"{self.stage} – {self.team}"  # noqa: RUF001 - an en dash between the parts, as GOV.UK style has it


class StageIssue(models.Model):
    """An issue category a stage names; position 0 is the principal issue."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="stage_issues")
    category = models.ForeignKey(IssueCategory, on_delete=models.PROTECT, related_name="stage_issues")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["stage", "category"], name="stage_issue_unique")]

    def __str__(self) -> str:
        return f"{self.stage} – {self.category}"  # noqa: RUF001 - an en dash between the parts, as GOV.UK style has it


class Deadline(models.Model):
    """A due date of a stage (or of a case without stages), with its statutory basis.

    Computed by the deadline engine from the dates it is anchored to, and recomputed whenever they change or the
    working-day calendar does.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines")
    key = models.CharField(max_length=60)
    label = models.CharField(max_length=150)
    rule = models.CharField(max_length=40, blank=True, help_text="The rule it comes from, e.g. R1.20.")
    statutory = models.BooleanField(default=True)
    anchor_date = models.DateField()
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    due_date = models.DateField()
    extended_due_date = models.DateField(null=True, blank=True)
    met_date = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=c.DeadlineKind.choices, default=c.DeadlineKind.DEADLINE)
    # R1.37: the due date moved on by working days on hold. For case management only, labelled as adjusted;
    # statutory timeliness always uses due_date / extended_due_date. Blank while an open hold stops the clock.
    adjusted_due_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["met_date", "due_date"], name="deadline_open_due")]
        constraints = [
            models.UniqueConstraint(fields=["case", "stage", "key"], name="deadline_unique_key"),
            models.CheckConstraint(condition=Q(due_date__gte=F("anchor_date")), name="deadline_due_after_anchor"),
            models.CheckConstraint(
                condition=Q(extended_due_date__isnull=True) | Q(extended_due_date__gte=F("due_date")),
                name="deadline_extended_after_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.label} due {self.due_date:%d/%m/%Y}"

    @property
    def effective_due_date(self) -> date:
        return self.extended_due_date or self.due_date


class Hold(TimeStampedModel):
    """A period a stage is on hold (R1.13, R1.19, R1.37). ``end_date`` is the day work resumed; blank while held.

    Statutory timeliness is measured on raw working days; the adjusted figure leaves these periods out.
    """

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="holds")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=30, choices=c.HoldReason.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="hold_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["stage"], condition=Q(end_date__isnull=True), name="hold_one_open_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} on hold from {self.start_date:%d/%m/%Y}"


class ComplaintPoint(models.Model):
    """One point of complaint, as agreed in the statement of complaint (R1.24)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField()
    description = models.TextField()
    issue = models.ForeignKey(IssueCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="point_number_unique")]

    def __str__(self) -> str:
        return f"{self.case} point {self.number}"


class PointFinding(models.Model):
    """The finding on one point at one stage (R1.25)."""

    point = models.ForeignKey(ComplaintPoint, on_delete=models.CASCADE, related_name="findings")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="findings")
    finding = models.CharField(max_length=20, choices=c.Finding.choices)
    note = models.TextField(blank=True)
    # What the council tells the complainant about this point: the response letter lists it (issue 15, item 4).
    response = models.TextField(blank=True)

    class Meta:
        ordering = ["point__number"]
        constraints = [models.UniqueConstraint(fields=["point", "stage"], name="finding_unique_per_stage")]

    def __str__(self) -> str:
        return f"{self.point}: {self.get_finding_display()}"


class PanelMember(models.Model):
    """A member of a stage 3 review panel (R1.30): three independent people, one of them chairing. Each is a user
    or one of the council's contacts without an account (docs/adr/0032), exactly one of the two."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="panel_members")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=c.PanelRole.choices, default=c.PanelRole.MEMBER)

    class Meta:
        ordering = ["-role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "user"], name="panel_member_unique"),
            models.UniqueConstraint(fields=["stage", "contact"], name="panel_contact_unique"),
            models.UniqueConstraint(fields=["stage"], condition=Q(role="chair"), name="panel_one_chair"),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(contact__isnull=True))
                | (Q(user__isnull=True) & Q(contact__isnull=False)),
                name="panel_member_user_or_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    @property
    def person(self) -> "User | Contact":
        """The member: a user or a contact."""
        person = self.user if self.user_id is not None else self.contact
        assert person is not None  # noqa: S101 - the constraint panel_member_user_or_contact
        return person

    @property
    def ref(self) -> str:
        return person_ref(self.user_id, self.contact_id) or ""


class Recommendation(models.Model):
    """A recommendation of the investigation (stage 2) or the panel (stage 3), and the council's response to it.
    Not following one needs a reason (R1.33)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    accepted = models.BooleanField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # The follow-up of a recommendation the council accepted: what it will do, by when, and when it was done.
    follow_up_action = models.TextField(blank=True)
    follow_up_due_date = models.DateField(null=True, blank=True)
    follow_up_done_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["stage", "number"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "number"], name="recommendation_number_unique"),
            models.CheckConstraint(
                condition=~Q(accepted=False) | ~Q(reason=""), name="recommendation_rejection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} recommendation {self.number}"


class Remedy(TimeStampedModel):
    """Something done to put things right, with any payment (R3.7, R4.5), followed from its proposal to its
    delivery: proposed, approved (with the date it is due), then paid or delivered, or not delivered with the
    reason (docs/adr/0020-remedy-lifecycle.md). ``paid_date`` is the date it was paid or, for a remedy that is not
    a payment, delivered. A remedy on an Ombudsman case is due by the Ombudsman's compliance date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="remedies")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="remedies")
    remedy_type = models.ForeignKey(RemedyType, on_delete=models.PROTECT, related_name="remedies")
    description = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, choices=c.RemedyStatus.choices, default=c.RemedyStatus.PROPOSED)
    due_date = models.DateField(null=True, blank=True, help_text="When the remedy is to be delivered by.")
    proposed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agreed_date = models.DateField(null=True, blank=True)
    paid_date = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=60, blank=True)
    not_delivered_date = models.DateField(null=True, blank=True)
    not_delivered_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name_plural = "remedies"
        indexes = [models.Index(fields=["status", "due_date"], name="remedy_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="remedy_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(paid_date__isnull=True) | Q(agreed_date__isnull=True) | Q(paid_date__gte=F("agreed_date")),
                name="remedy_paid_after_agreed",
            ),
            models.CheckConstraint(
                condition=Q(status=c.RemedyStatus.PAID, paid_date__isnull=False)
                | (~Q(status=c.RemedyStatus.PAID) & Q(paid_date__isnull=True)),
                name="remedy_paid_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=c.RemedyStatus.APPROVED) | Q(agreed_date__isnull=False),
                name="remedy_approved_has_date",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=c.RemedyStatus.NOT_DELIVERED, not_delivered_date__isnull=False)
                    & ~Q(not_delivered_reason="")
                )
                | (~Q(status=c.RemedyStatus.NOT_DELIVERED) & Q(not_delivered_date__isnull=True)),
                name="remedy_not_delivered_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.remedy_type}"  # noqa: RUF001 - an en dash between the parts, as GOV.UK style has it

    @property
    def is_editable(self) -> bool:
        """Only a proposal can be changed: once approved, what was agreed stands (R3.7)."""
        return self.status == c.RemedyStatus.PROPOSED

    @property
    def is_outstanding(self) -> bool:
        """Approved and still to be paid or delivered."""
        return self.status == c.RemedyStatus.APPROVED

    def is_overdue(self, today: date) -> bool:
        return self.is_outstanding and self.due_date is not None and self.due_date < today

    @property
    def status_label(self) -> str:
        """ "Paid" for a payment, "Delivered" for anything else, once done."""
        if self.status == c.RemedyStatus.PAID:
            return "Paid" if self.amount is not None else "Delivered"
        return str(c.RemedyStatus(self.status).label)


class LearningAction(TimeStampedModel):
    """A change the council commits to because of complaints, followed until implemented (R1.40 item 10)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="learning_actions")
    cases = models.ManyToManyField(Case, related_name="learning_actions", blank=True)
    finding = models.TextField(help_text="What the complaint showed.")
    action = models.TextField(help_text="What will change.")
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="learning_actions")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="learning_actions")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=c.LearningActionStatus.choices, default=c.LearningActionStatus.PLANNED
    )
    implemented_date = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True, help_text="How we know it was implemented.")
    not_implemented_reason = models.TextField(blank=True)
    # The ``learning_ref`` of the flat files' learning_actions sheet, so importing a file again updates the action
    # it created. Blank for actions recorded here, whose reference in a file is ``LA-<id>``.
    reference = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "reference"], condition=~Q(reference=""), name="learning_action_reference_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status=c.LearningActionStatus.IMPLEMENTED)
                | (Q(implemented_date__isnull=False) & ~Q(evidence="")),
                name="learning_implemented_has_evidence",
            ),
            models.CheckConstraint(
                condition=~Q(status=c.LearningActionStatus.NOT_IMPLEMENTED) | ~Q(not_implemented_reason=""),
                name="learning_not_implemented_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.action[:80]


class OmbudsmanDetail(models.Model):
    """The Ombudsman's part of an ``ombudsman`` case (§4): its reference, decision, remedies and compliance."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="ombudsman")
    complaint = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ombudsman_cases",
        help_text="The council complaint the Ombudsman considered, where there is one.",
    )
    # Interchange §4: the procedure of the complaint the Ombudsman looked at, as recorded or imported; blank means
    # that of the linked complaint where there is one, else the children's statutory procedure.
    complaint_procedure = models.CharField(max_length=30, choices=c.Procedure.choices, blank=True)
    lgsco_reference = models.CharField(max_length=40, blank=True)
    enquiry_due_date = models.DateField(
        null=True, blank=True, help_text="When the council's reply to the Ombudsman is due."
    )
    enquiry_responded_date = models.DateField(null=True, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=40, choices=c.LgscoDecision.choices, default=c.LgscoDecision.IN_PROGRESS)
    decision_label = models.CharField(max_length=300, blank=True, help_text="The Ombudsman's own wording.")
    fault_found = models.BooleanField(null=True, blank=True)
    injustice_found = models.BooleanField(null=True, blank=True)
    recommended_payment = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    compliance_due_date = models.DateField(null=True, blank=True)
    complied_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=c.LgscoDecision.IN_PROGRESS) | Q(decision_date__isnull=False),
                name="ombudsman_decision_has_date",
            ),
            models.CheckConstraint(
                condition=Q(recommended_payment__isnull=True) | Q(recommended_payment__gte=0),
                name="ombudsman_payment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.lgsco_reference or str(self.case)

    @property
    def compliance_met(self) -> bool | None:
        if self.compliance_due_date is None:
            return None
        if self.complied_date is None:
            return None
        return self.complied_date <= self.compliance_due_date


class EnquiryDetail(models.Model):
    """Who made an MP or councillor enquiry."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="enquiry")
    enquirer_type = models.CharField(max_length=20, choices=c.EnquirerType.choices)
    enquirer_name = models.CharField(max_length=150)
    constituency_or_ward = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return f"{self.get_enquirer_type_display()}: {self.enquirer_name}"


class ComplimentDetail(models.Model):
    """Who a compliment praises, and its words (names are redacted before a quote is published)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="compliment")
    about_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="compliments")
    about_person = models.CharField(max_length=150, blank=True)
    quote = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Compliment {self.case}"


class ReferenceSequence(models.Model):
    """The last number used for references with a prefix in a year, per council."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "prefix", "year"], name="reference_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class CaseAccessGrant(models.Model):
    """A person named on a restricted case (``Case.restricted``), or a complaints manager's emergency
    ("break-glass") access to one. Grants are never deleted: revoking one dates it, so the record shows who could
    see the case and when."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="access_grants")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_access_grants")
    granted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    reason = models.TextField()
    break_glass = models.BooleanField(default=False)
    # Blank for a person named on the case; break-glass access ends by itself.
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["granted_at", "id"]
        indexes = [models.Index(fields=["user", "case"], name="access_grant_user_case")]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="access_grant_has_reason"),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=F("granted_at")),
                name="access_grant_expires_after_granted",
            ),
            models.CheckConstraint(
                condition=~Q(break_glass=True) | Q(expires_at__isnull=False), name="access_grant_break_glass_expires"
            ),
            models.UniqueConstraint(
                fields=["case", "user"], condition=Q(revoked_at__isnull=True), name="access_grant_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.case}"


class CaseNote(TimeStampedModel):
    """A note or a contact with someone outside the system (a call, a meeting, an email or a letter) on a case.

    A restricted note is seen only by complaints managers, its author and, on a restricted case, the people named on
    it (``cases.notes``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=c.NoteKind.choices, default=c.NoteKind.NOTE)
    occurred_at = models.DateTimeField()
    with_whom = models.CharField(max_length=200, blank=True)
    direction = models.CharField(max_length=3, choices=c.NoteDirection.choices, blank=True)
    summary = models.TextField(help_text="Personal data: never published.")
    restricted = models.BooleanField(default=False)
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "occurred_at"], name="case_note_case_time")]
        constraints = [models.CheckConstraint(condition=~Q(summary=""), name="case_note_has_summary")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"
