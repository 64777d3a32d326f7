"""Councils (tenants) and the configuration each keeps: service areas, teams, issue categories, remedy types,
equality category schemes and corporate procedures.

Structures change between years: a team is never renamed or moved in place. It is ended (``active_until``) and a
new one created, and each case keeps the team and service area it named at the time, so earlier years' reports
do not change.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from opencomplaints.common.models import TimeStampedModel


class Council(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    reference_prefix = models.CharField(
        max_length=10, help_text="Prefix of case references, e.g. CSC gives CSC-2026-0001."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CouncilMembership", related_name="councils", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a member may do with a council's records. ``opencomplaints.cases.access`` is the one place that turns a
    role into the cases, sections and actions it reaches (docs/adr/0005-roles-and-access.md)."""

    COMPLAINTS_MANAGER = "complaints_manager", "Complaints manager"
    COMPLAINTS_OFFICER = "complaints_officer", "Complaints officer"
    INVESTIGATING_MANAGER = "investigating_manager", "Investigating manager"
    INVESTIGATING_OFFICER = "investigating_officer", "Investigating officer (external)"
    INDEPENDENT_PERSON = "independent_person", "Independent person"
    ADJUDICATOR = "adjudicator", "Adjudicator or director"
    PANEL_MEMBER = "panel_member", "Review panel member"
    REPORT_VIEWER = "report_viewer", "Report viewer (aggregate reports only)"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator (configuration only)"


class CouncilMembership(TimeStampedModel):
    """A user's role in one council. A user may hold a different role in each council they belong to."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.COMPLAINTS_OFFICER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.council}"  # noqa: RUF001 - an en dash, as in British typography


class ServiceArea(TimeStampedModel):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="service_areas")
    name = models.CharField(max_length=150)
    active_from = models.DateField(null=True, blank=True)
    active_until = models.DateField(null=True, blank=True, help_text="Last day it existed; blank if it still does.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name", "active_from"], name="service_area_unique"),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="service_area_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Team(TimeStampedModel):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="teams")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=150)
    active_from = models.DateField(null=True, blank=True)
    active_until = models.DateField(null=True, blank=True, help_text="Last day it existed; blank if it still does.")
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        help_text="The team this one replaced in a restructure, so reports can follow a team across years.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name", "active_from"], name="team_unique"),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="team_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IssueCategory(TimeStampedModel):
    """What a complaint (or one point of it) is about: communication, delay, staff attitude and so on."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="issue_categories")
    name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "issue categories"
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="issue_category_unique")]

    def __str__(self) -> str:
        return self.name


class RemedyType(TimeStampedModel):
    """A way of putting things right (R3.7, R4.5). ``code`` is the interchange vocabulary value."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="remedy_types")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=150)
    is_financial = models.BooleanField(default=False, help_text="A remedy of this type records an amount in pounds.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="remedy_type_unique")]

    def __str__(self) -> str:
        return self.name


class EqualityScheme(models.TextChoices):
    """The category schemes ethnicity may be recorded in (R6.2, R6.3); every value keeps its scheme."""

    CENSUS_2021 = "census_2021", "2021 Census ethnic groups (England and Wales)"
    DFE_CSC = "dfe_csc", "DfE children's social care codes"


class EthnicityCategory(models.Model):
    """One ethnic group in one scheme, with the broad group it is reported under."""

    scheme = models.CharField(max_length=20, choices=EqualityScheme.choices)
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=150)
    broad_group = models.CharField(max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "position"]
        verbose_name_plural = "ethnicity categories"
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="ethnicity_category_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_scheme_display()})"


class ProcedureVersion(TimeStampedModel):
    """One version of a council's rules for a procedure (docs/adr/0014-procedures-as-data.md).

    A version is never changed once saved: a council's edit creates the next version (``supersedes`` names the
    one it replaced, which gets ``superseded_at``), and each case keeps the version it started under, so a change
    never moves an existing case's due dates. The current version is the one not yet superseded.
    """

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by", editable=False
    )
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class CorporateProcedure(ProcedureVersion):
    """A council's corporate complaints procedure (R3.9): one or two stages, their working days and the window to
    ask for stage 2 are configuration, not code. Versioned (``ProcedureVersion``): a case keeps the version it was
    registered under.

    The default values are the Ombudsman's Complaint Handling Code (R3.5, R3.6).
    """

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="corporate_procedures")
    name = models.CharField(max_length=150, default="Corporate complaints (Complaint Handling Code)")
    is_default = models.BooleanField(default=True)
    stage_count = models.PositiveSmallIntegerField(
        default=2, choices=[(1, "One stage"), (2, "Two stages")], verbose_name="stages"
    )
    acknowledge_days = models.PositiveSmallIntegerField(default=5)
    stage1_days = models.PositiveSmallIntegerField(default=10, help_text="Working days after acknowledgement.")
    stage1_extension_days = models.PositiveSmallIntegerField(default=10)
    stage2_acknowledge_days = models.PositiveSmallIntegerField(default=5, null=True, blank=True)
    stage2_days = models.PositiveSmallIntegerField(
        default=20, null=True, blank=True, help_text="Working days after acknowledgement."
    )
    stage2_extension_days = models.PositiveSmallIntegerField(default=20, null=True, blank=True)
    escalation_window_days = models.PositiveSmallIntegerField(default=20, null=True, blank=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["council"], condition=Q(is_default=True), name="one_default_corporate_procedure"
            ),
            models.CheckConstraint(
                condition=Q(stage1_days__gt=0) & (Q(stage_count=1) | Q(stage2_days__gt=0)),
                name="corporate_procedures_days_positive",
            ),
            models.CheckConstraint(condition=Q(stage_count__in=[1, 2]), name="corporate_procedures_one_or_two"),
            models.CheckConstraint(
                condition=~Q(is_default=True, superseded_at__isnull=False), name="corporate_procedures_default_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class LocalTimescales(ProcedureVersion):
    """A council's own timescales where the law leaves them to it: the adults' statutory procedure's
    acknowledgement and default response period (R2.5, R2.6, within the Regulations' limits) and the answer to an
    MP's or councillor's enquiry (no statute; local practice). Versioned as ``CorporateProcedure`` is.

    The children's statutory procedure is fixed by the 2006 Regulations and is not configurable.
    """

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="local_timescales")
    adults_acknowledge_days = models.PositiveSmallIntegerField(
        default=3, help_text="Working days after receipt; the Regulations allow at most 3 (R2.5)."
    )
    adults_response_months = models.PositiveSmallIntegerField(
        default=6,
        help_text="The response period when none is agreed with the complainant, in months beginning on the day of "
        "receipt; the Regulations' benchmark is 6 (R2.6).",
    )
    enquiry_response_days = models.PositiveSmallIntegerField(
        default=10, help_text="Working days to answer an MP's or councillor's enquiry (local practice)."
    )

    class Meta:
        ordering = ["council", "-version"]
        verbose_name_plural = "local timescales"
        constraints = [
            models.UniqueConstraint(
                fields=["council"], condition=Q(superseded_at__isnull=True), name="one_current_local_timescales"
            ),
            models.CheckConstraint(
                condition=Q(adults_acknowledge_days__gte=1, adults_acknowledge_days__lte=3)
                & Q(adults_response_months__gte=1, adults_response_months__lte=6)
                & Q(enquiry_response_days__gte=1),
                name="local_timescales_procedures_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Local timescales of {self.council} (version {self.version})"


#: The roles that see case content (docs/adr/0005-roles-and-access.md): every role but the report viewer's aggregate
#: figures and the system administrator's configuration. A system administrator cannot give one to themselves: a
#: second administrator approves it (``RoleRequest``, docs/security.md).
CASE_CONTENT_ROLES = frozenset(set(Role) - {Role.REPORT_VIEWER, Role.SYSTEM_ADMINISTRATOR})


class RoleRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a second administrator"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class RoleRequest(TimeStampedModel):
    """A system administrator asking for a role that sees case content in a council, for themselves: granted only
    when a second system administrator approves it (``councils.services.role_requests``)."""

    Status = RoleRequestStatus

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="role_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_requests")
    role = models.CharField(max_length=30, choices=Role.choices)
    reason = models.TextField(help_text="Why they need it, for the administrator who decides.")
    status = models.CharField(max_length=10, choices=RoleRequestStatus.choices, default=RoleRequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RoleRequestStatus.values), name="role_request_status_valid"),
            # The administrator who decides is never the one who asked.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("user")),
                name="role_request_decided_by_another",
            ),
            models.CheckConstraint(
                condition=Q(status=RoleRequestStatus.PENDING) | Q(decided_at__isnull=False),
                name="role_request_decision_dated",
            ),
            models.UniqueConstraint(
                fields=["council", "user"],
                condition=Q(status=RoleRequestStatus.PENDING),
                name="role_request_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display().lower()} in {self.council} ({self.get_status_display()})"


#: The roles that keep a council's list of contacts (its external people without accounts).
CONTACT_KEEPER_ROLES = frozenset({Role.COMPLAINTS_MANAGER, Role.SYSTEM_ADMINISTRATOR})


class ContactCapacity(models.TextChoices):
    """What a contact may act as in a case; each is one of the contact's flags (``Contact.CAPACITY_FIELDS``)."""

    INDEPENDENT_PERSON = "independent_person", "Independent person"
    PANEL_MEMBER = "panel_member", "Review panel member"
    PANEL_CHAIR = "panel_chair", "Review panel chair"
    INVESTIGATING_OFFICER = "investigating_officer", "Investigating officer"


class Contact(TimeStampedModel):
    """Someone outside the council who takes a part in its complaints without an account: an independent person,
    a review panel member or chair, an external investigating officer (docs/adr/0032-contacts-without-accounts.md).
    They are told by email where a message allows it, and never sign in.

    R1.3, R1.30: an independent person and a panel's members are neither members nor officers of the council, so a
    contact who may act as one must be attested independent of it, by whom and when (a database constraint)."""

    Capacity = ContactCapacity
    #: Each capacity and the flag that allows it.
    CAPACITY_FIELDS: ClassVar[dict[ContactCapacity, str]] = {
        ContactCapacity.INDEPENDENT_PERSON: "may_be_independent_person",
        ContactCapacity.PANEL_MEMBER: "may_be_panel_member",
        ContactCapacity.PANEL_CHAIR: "may_be_panel_chair",
        ContactCapacity.INVESTIGATING_OFFICER: "may_be_investigating_officer",
    }
    #: The capacities that need the contact to be independent of the council.
    INDEPENDENT_CAPACITIES: ClassVar[frozenset[ContactCapacity]] = frozenset(
        {ContactCapacity.INDEPENDENT_PERSON, ContactCapacity.PANEL_MEMBER, ContactCapacity.PANEL_CHAIR}
    )

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    may_be_independent_person = models.BooleanField(default=False)
    may_be_panel_member = models.BooleanField(default=False)
    may_be_panel_chair = models.BooleanField(default=False)
    may_be_investigating_officer = models.BooleanField(default=False)
    independent_of_council = models.BooleanField(default=False)
    independence_attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    independence_attested_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(independent_of_council=True)
                | (Q(may_be_independent_person=False) & Q(may_be_panel_member=False) & Q(may_be_panel_chair=False)),
                name="contact_independent_roles_attested",
            ),
            # An attestation is dated, and only an attestation is.
            models.CheckConstraint(
                condition=Q(independent_of_council=True, independence_attested_at__isnull=False)
                | Q(independent_of_council=False, independence_attested_at__isnull=True),
                name="contact_attestation_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def may_act_as(self, capacity: ContactCapacity) -> bool:
        return bool(getattr(self, self.CAPACITY_FIELDS[capacity]))

    @property
    def capacities(self) -> list[ContactCapacity]:
        return [capacity for capacity in ContactCapacity if self.may_act_as(capacity)]
