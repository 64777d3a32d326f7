"""A system administrator's request for a role that sees case content (issue 19, docs/security.md).

A system administrator configures the service and sees no case content (docs/adr/0005-roles-and-access.md). So they
cannot give themselves a role that does (``councils.refuse_self_grant``): they ask (:func:`role_request_create`),
the other administrators are alerted, and a *second* administrator approves (:func:`role_request_approve`, which
grants the role in their name) or refuses (:func:`role_request_refuse`) it; never the one who asked. Each step is
on the audit trail. An installation with one administrator only grants it on the server, by the command line
(:func:`role_grant_by_only_administrator`), audited as such."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import CASE_CONTENT_ROLES, Council, CouncilMembership, Role, RoleRequest
from opencomplaints.councils.services.councils import (
    council_member_add,
    council_member_role_set,
    is_system_administrator,
)
from opencomplaints.councils.signals import role_request_made

__all__ = [
    "role_grant_by_only_administrator",
    "role_request_approve",
    "role_request_create",
    "role_request_refuse",
    "system_administrators",
]

NOT_ADMINISTRATOR = "Only a system administrator can ask for a role this way."
NOT_CASE_CONTENT = "{role} does not see case content: give it on the council's page in the admin."
NEEDS_REASON = "Say why you need this role, for the administrator who decides."
ALREADY_ASKED = "You have already asked for a role in {council}: wait for a second administrator to decide."
ALREADY_HELD = "You already have the role {role} in {council}."
NOT_DECIDER = "Only a system administrator can approve or refuse a role request."
OWN_REQUEST = "You cannot approve or refuse your own request: a second system administrator must decide it."
DECIDED = "This request has already been {status}."
NOT_ONLY = (
    "This installation has {count} system administrators: ask for the role on the role requests page, and another "
    "administrator approves it."
)
NOT_A_ROLE = "Choose a role that sees case content."


def system_administrators() -> QuerySet[User]:
    """Every active system administrator: superusers, and holders of the system administrator role."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(memberships__role=Role.SYSTEM_ADMINISTRATOR))
        .distinct()
        .order_by("username")
    )


def _case_role(role: Role | str) -> Role:
    try:
        chosen = Role(role)
    except ValueError:
        raise DomainError(NOT_A_ROLE, field="role") from None
    if chosen not in CASE_CONTENT_ROLES:
        raise DomainError(NOT_CASE_CONTENT.format(role=chosen.label), field="role")
    return chosen


@transaction.atomic
def role_request_create(*, council: Council, role: Role | str, reason: str, acting_user: User) -> RoleRequest:
    """``acting_user`` (a system administrator) asks for ``role`` in ``council`` for themselves. The other
    administrators are alerted (an email each, through the messages app) and the request is audited (1820)."""
    if not is_system_administrator(acting_user):
        raise DomainError(NOT_ADMINISTRATOR)
    chosen = _case_role(role)
    reason = reason.strip()
    if not reason:
        raise DomainError(NEEDS_REASON, field="reason")
    held = CouncilMembership.objects.filter(council=council, user=acting_user).first()
    if held is not None and held.role == chosen:
        raise DomainError(ALREADY_HELD.format(role=chosen.label.lower(), council=council.name), field="role")
    if RoleRequest.objects.filter(council=council, user=acting_user, status=RoleRequest.Status.PENDING).exists():
        raise DomainError(ALREADY_ASKED.format(council=council.name), field="council")
    request = RoleRequest.objects.create(council=council, user=acting_user, role=chosen, reason=reason[:2000])
    others = list(system_administrators().exclude(pk=acting_user.pk))
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.ROLE_GRANT_REQUESTED,
        subject=request,
        summary=f"{acting_user.username} asked to be {chosen.label.lower()} in {council.name}",
        after={"council": council, "user": acting_user, "role": chosen.value, "alerted": [u.username for u in others]},
    )
    role_request_made.send(sender=RoleRequest, role_request=request, recipients=others)
    return request


def _decidable(role_request: RoleRequest, acting_user: User) -> RoleRequest:
    if not is_system_administrator(acting_user):
        raise DomainError(NOT_DECIDER)
    locked = RoleRequest.objects.select_for_update().select_related("council", "user").get(pk=role_request.pk)
    if locked.user_id == acting_user.pk:
        raise DomainError(OWN_REQUEST)
    if locked.status != RoleRequest.Status.PENDING:
        raise DomainError(DECIDED.format(status=locked.get_status_display().lower()))
    return locked


def _decided(locked: RoleRequest, status: str, *, acting_user: User, now: datetime, note: str = "") -> RoleRequest:
    """The decision recorded on the request and audited: approved (1821) or refused (1822)."""
    approved = status == RoleRequest.Status.APPROVED
    locked.status, locked.decided_by, locked.decided_at, locked.decision_note = status, acting_user, now, note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.ROLE_GRANT_APPROVED if approved else AuditEventType.ROLE_GRANT_REFUSED,
        subject=locked,
        summary=f"{acting_user.username} {'approved' if approved else 'refused'} {locked.user.username} as "
        f"{locked.get_role_display().lower()} in {locked.council.name}",
        after={"status": locked.status, "role": locked.role},
    )
    return locked


@transaction.atomic
def role_request_approve(*, role_request: RoleRequest, acting_user: User, now: datetime) -> RoleRequest:
    """A second administrator approves the request: the role is granted, in their name (so audited as theirs as
    well), and the approval recorded (1821)."""
    locked = _decidable(role_request, acting_user)
    if CouncilMembership.objects.filter(council=locked.council, user=locked.user).exists():
        council_member_role_set(council=locked.council, user=locked.user, role=locked.role, acting_user=acting_user)
    else:
        council_member_add(council=locked.council, user=locked.user, role=locked.role, acting_user=acting_user)
    return _decided(locked, RoleRequest.Status.APPROVED, acting_user=acting_user, now=now)


@transaction.atomic
def role_request_refuse(*, role_request: RoleRequest, acting_user: User, note: str, now: datetime) -> RoleRequest:
    """A second administrator refuses the request, saying why (1822). Nothing is granted."""
    locked = _decidable(role_request, acting_user)
    return _decided(locked, RoleRequest.Status.REFUSED, acting_user=acting_user, now=now, note=note.strip()[:2000])


@transaction.atomic
def role_grant_by_only_administrator(*, council: Council, user: User, role: Role | str, reason: str) -> None:
    """The one way an installation with a single system administrator gives them a role that sees case content:
    on the server, by the command line (whoever runs it has the server already), refused as soon as there is a
    second administrator to ask, and audited as a grant made on the server (1823)."""
    chosen = _case_role(role)
    administrators = list(system_administrators())
    if [u.pk for u in administrators] != [user.pk]:
        raise DomainError(NOT_ONLY.format(count=len(administrators)))
    reason = reason.strip()
    if not reason:
        raise DomainError(NEEDS_REASON, field="reason")
    # Granted by no one in the service (acting_user None): the audit event below says who and why.
    if CouncilMembership.objects.filter(council=council, user=user).exists():
        membership = council_member_role_set(council=council, user=user, role=chosen, acting_user=None)
    else:
        membership = council_member_add(council=council, user=user, role=chosen, acting_user=None)
    audit_event_record(
        acting_user=user,
        event_type=AuditEventType.ROLE_GRANTED_ON_SERVER,
        subject=membership,
        summary=f"{user.username}, the only system administrator, given {chosen.label.lower()} in {council.name} "
        "on the server",
        after={"council": council, "user": user, "role": chosen.value, "reason_length": len(reason)},
    )
