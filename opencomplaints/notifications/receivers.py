"""Messages the layers below ask for by signal, since they may not import this app (docs/adr/0009-layers.md)."""

from typing import Any

from django.conf import settings
from django.dispatch import receiver

from opencomplaints.accounts.models import User
from opencomplaints.accounts.signals import security_notice_due
from opencomplaints.audit.models import AuditEvent
from opencomplaints.common.dates import london_time
from opencomplaints.councils.models import RoleRequest
from opencomplaints.councils.signals import role_request_made
from opencomplaints.notifications.models import TemplateKey
from opencomplaints.notifications.services import message_queue

__all__ = ["role_request_alert", "security_notice_queue"]

#: Where the administrators decide a role request (``web.role_requests``), as the site's path.
ROLE_REQUESTS_PATH = "/role-requests/"


@receiver(security_notice_due, dispatch_uid="notifications.security_notice_queue")
def security_notice_queue(
    sender: type[User], *, user: User, event: AuditEvent, change: str, acting_user: User | None, **kwargs: Any
) -> None:
    """Email ``user`` that their two-factor sign-in changed, in the sender's transaction. The key is the change's
    audit event, so each change is told once however often the outbox is worked, and two changes are told twice."""
    message_queue(
        template_key=TemplateKey.SECURITY_NOTICE,
        recipient=user.email,
        personalisation={
            "name": user.get_full_name() or user.username,
            "change": change,
            "when": london_time(event.event_time),
        },
        idempotency_key=f"security_notice:{event.pk}",
        recipient_user=user,
        acting_user=acting_user,
    )


@receiver(role_request_made, dispatch_uid="notifications.role_request_alert")
def role_request_alert(
    sender: type[RoleRequest], *, role_request: RoleRequest, recipients: list[User], **kwargs: Any
) -> None:
    """Email every other system administrator (with an address) that ``role_request`` waits for a decision, in
    the request's transaction; once each, keyed by the request and the recipient."""
    for recipient in recipients:
        if not recipient.email:
            continue
        message_queue(
            template_key=TemplateKey.ROLE_REQUEST,
            recipient=recipient.email,
            personalisation={
                "name": recipient.get_full_name() or recipient.username,
                "requester": role_request.user.get_full_name() or role_request.user.username,
                "role": role_request.get_role_display().lower(),
                "council": role_request.council.name,
                "url": f"{settings.OPENCOMPLAINTS.get('SITE_URL', '').rstrip('/')}{ROLE_REQUESTS_PATH}",
            },
            idempotency_key=f"role_request:{role_request.pk}:{recipient.pk}",
            recipient_user=recipient,
            acting_user=role_request.user,
        )
