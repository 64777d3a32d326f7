"""The demonstration's role request (docs/security.md): the deputy system administrator has asked to be a complaints
officer of the first council for a week, and waits for the other administrator (``admin``) to approve or refuse it
on the role requests page."""

from __future__ import annotations

from django.db.models import Q

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent
from opencomplaints.councils.models import Council, Role, RoleRequest
from opencomplaints.councils.services.role_requests import role_request_create
from opencomplaints.notifications.models import Message

__all__ = ["role_requests_demo", "role_requests_demo_delete"]

REASON = (
    "Covering the complaints inbox during the case system migration week, while two officers are on the training "
    "course. Please remove it again on Friday."
)


def role_requests_demo(*, council: Council, users: dict[str, User]) -> None:
    """The deputy administrator's request, pending; the other administrator is emailed, as in real use."""
    role_request_create(council=council, role=Role.COMPLAINTS_OFFICER, reason=REASON, acting_user=users["admin2"])


def role_requests_demo_delete(councils: list[Council]) -> None:
    """Remove the demonstration's role requests, their alerts and the audit events about them. Called with the
    audit trail unlocked."""
    requests = RoleRequest.objects.filter(council__in=councils)
    ids = [str(pk) for pk in requests.values_list("pk", flat=True)]
    AuditEvent.objects.filter(Q(subject_type=RoleRequest._meta.label_lower, subject_id__in=ids)).delete()
    for pk in ids:
        Message.objects.filter(template_key="role_request", idempotency_key__startswith=f"role_request:{pk}:").delete()
    requests.delete()
