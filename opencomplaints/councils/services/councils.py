import re

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.defaults import DEFAULT_ISSUE_CATEGORIES, DEFAULT_REMEDY_TYPES
from opencomplaints.councils.models import (
    CASE_CONTENT_ROLES,
    CorporateProcedure,
    Council,
    CouncilMembership,
    IssueCategory,
    LocalTimescales,
    RemedyType,
    Role,
)
from opencomplaints.councils.services.validation import full_clean_or_domain_error

COUNCIL_NEEDS_NAME = "Enter the council's name."
COUNCIL_NAME_TAKEN = "There is already a council called {name}."
COUNCIL_SLUG_INVALID = (
    "Enter a slug of lower-case letters, numbers and hyphens, for example exampleton (it names the council in "
    "web addresses and on the command line)."
)
COUNCIL_SLUG_TAKEN = "There is already a council with the slug {slug}."
COUNCIL_PREFIX_INVALID = "Enter a reference prefix of 1 to 10 letters or numbers, for example CSC."
MEMBER_ALREADY = "{user} is already a member of {council}."
MEMBER_NOT = "{user} is not a member of {council}."
SELF_GRANT = (
    "A system administrator cannot give themselves a role that sees case content. Ask for it on the role requests "
    "page: a second system administrator approves or refuses it."
)


class SelfGrantRefused(DomainError):
    """A system administrator giving themselves a role that sees case content (docs/security.md)."""

    code = "self_grant"


def is_system_administrator(user: User) -> bool:
    """A superuser (the admin site's), or anyone holding the system administrator role in a council."""
    if not user.is_active:
        return False
    return user.is_superuser or CouncilMembership.objects.filter(user=user, role=Role.SYSTEM_ADMINISTRATOR).exists()


def refuse_self_grant(*, user: User, role: Role, acting_user: User | None) -> None:
    """Raise ``SelfGrantRefused`` when ``acting_user`` is a system administrator giving ``user`` (themselves) a role
    that sees case content; such a grant is a ``RoleRequest`` a second administrator decides."""
    self_grant = acting_user is not None and acting_user.pk == user.pk and role in CASE_CONTENT_ROLES
    if self_grant and is_system_administrator(user):
        raise SelfGrantRefused(SELF_GRANT, field="role")


ROLE_UNKNOWN = "Choose a role: {roles}."
ROLE_UNCHANGED = "{user} already has the role {role} in {council}."

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PREFIX = re.compile(r"[A-Z0-9]{1,10}")


@transaction.atomic
def council_create(*, name: str, slug: str, reference_prefix: str, acting_user: User | None) -> Council:
    """Create a council with the configuration it needs before its first case: the issue categories of §7, the
    remedy types of R3.7/R4.5, a corporate procedure with the Complaint Handling Code's timescales (R3.5, R3.6)
    and local timescales at the Regulations' values (R2.5, R2.6), all of which the council may change afterwards
    (procedures by new versions, ``councils.services.procedures``).

    ``reference_prefix`` is stored in capitals, as case references show it (``CSC-2026-0001``).
    """
    name = name.strip()
    slug = slug.strip()
    reference_prefix = reference_prefix.strip().upper()
    if not name:
        raise DomainError(COUNCIL_NEEDS_NAME, field="name")
    if not _SLUG.fullmatch(slug):
        raise DomainError(COUNCIL_SLUG_INVALID, field="slug")
    if not _PREFIX.fullmatch(reference_prefix):
        raise DomainError(COUNCIL_PREFIX_INVALID, field="reference_prefix")
    if Council.objects.filter(name__iexact=name).exists():
        raise DomainError(COUNCIL_NAME_TAKEN.format(name=name), field="name")
    if Council.objects.filter(slug=slug).exists():
        raise DomainError(COUNCIL_SLUG_TAKEN.format(slug=slug), field="slug")

    council = Council(name=name, slug=slug, reference_prefix=reference_prefix)
    full_clean_or_domain_error(council)
    council.save()
    IssueCategory.objects.bulk_create(IssueCategory(council=council, name=n) for n in DEFAULT_ISSUE_CATEGORIES)
    RemedyType.objects.bulk_create(
        RemedyType(council=council, code=r.code, name=r.name, is_financial=r.is_financial) for r in DEFAULT_REMEDY_TYPES
    )
    # The model's defaults are the Code's values, so an unconfigured council is Code-compliant from day one.
    procedure = CorporateProcedure(council=council)
    full_clean_or_domain_error(procedure)
    procedure.save()
    local = LocalTimescales(council=council)
    full_clean_or_domain_error(local)
    local.save()

    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.COUNCIL_CREATED,
        subject=council,
        summary=f"Council created: {council.name} ({council.slug})",
        after={
            "name": council.name,
            "slug": council.slug,
            "reference_prefix": council.reference_prefix,
            "issue_categories": list(DEFAULT_ISSUE_CATEGORIES),
            "remedy_types": [r.code for r in DEFAULT_REMEDY_TYPES],
            "corporate_procedure": {
                "id": procedure.pk,
                "name": procedure.name,
                "acknowledge_days": procedure.acknowledge_days,
                "stage1_days": procedure.stage1_days,
                "stage1_extension_days": procedure.stage1_extension_days,
                "stage2_acknowledge_days": procedure.stage2_acknowledge_days,
                "stage2_days": procedure.stage2_days,
                "stage2_extension_days": procedure.stage2_extension_days,
                "escalation_window_days": procedure.escalation_window_days,
            },
            "local_timescales": {
                "id": local.pk,
                "adults_acknowledge_days": local.adults_acknowledge_days,
                "adults_response_months": local.adults_response_months,
                "enquiry_response_days": local.enquiry_response_days,
            },
        },
    )
    return council


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise DomainError(ROLE_UNKNOWN.format(roles=", ".join(Role.values)), field="role") from None


@transaction.atomic
def council_member_add(
    *, council: Council, user: User, role: Role | str, acting_user: User | None
) -> CouncilMembership:
    """Give ``user`` a role in the council; the role decides which of its records they see (``cases.access``).
    A system administrator cannot give themselves a role that sees case content (``refuse_self_grant``)."""
    chosen = _role(role)
    refuse_self_grant(user=user, role=chosen, acting_user=acting_user)
    if CouncilMembership.objects.filter(council=council, user=user).exists():
        raise DomainError(MEMBER_ALREADY.format(user=user.username, council=council.name), field="user")
    membership = CouncilMembership(council=council, user=user, role=chosen)
    full_clean_or_domain_error(membership)
    membership.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.COUNCIL_MEMBER_ADDED,
        subject=membership,
        summary=f"{user.username} added to {council.name} as {chosen.label.lower()}",
        after={"council": council, "user": user, "username": user.username, "role": chosen.value},
    )
    return membership


@transaction.atomic
def council_member_role_set(
    *, council: Council, user: User, role: Role | str, acting_user: User | None
) -> CouncilMembership:
    """Change the role ``user`` holds in the council. Takes effect on their next request. A system administrator
    cannot give themselves a role that sees case content (``refuse_self_grant``)."""
    chosen = _role(role)
    refuse_self_grant(user=user, role=chosen, acting_user=acting_user)
    membership = CouncilMembership.objects.select_for_update().filter(council=council, user=user).first()
    if membership is None:
        raise DomainError(MEMBER_NOT.format(user=user.username, council=council.name), field="user")
    if membership.role == chosen:
        raise DomainError(
            ROLE_UNCHANGED.format(user=user.username, role=chosen.label.lower(), council=council.name), field="role"
        )
    before = membership.role
    membership.role = chosen
    membership.save(update_fields=["role", "updated_at"])
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.COUNCIL_MEMBER_ROLE_CHANGED,
        subject=membership,
        summary=f"{user.username} is now {chosen.label.lower()} in {council.name}",
        before={"role": before},
        after={"role": chosen.value},
    )
    return membership


@transaction.atomic
def council_member_remove(*, council: Council, user: User, acting_user: User | None) -> None:
    """Take away ``user``'s access to the council's records. What they recorded stays, attributed to them."""
    membership = CouncilMembership.objects.select_for_update().filter(council=council, user=user).first()
    if membership is None:
        raise DomainError(MEMBER_NOT.format(user=user.username, council=council.name), field="user")
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.COUNCIL_MEMBER_REMOVED,
        subject=membership,
        summary=f"{user.username} removed from {council.name}",
        before={"council": council, "user": user, "username": user.username},
    )
    membership.delete()
