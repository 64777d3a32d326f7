"""Messages the layers below ask for by signal, since they may not import this app (docs/adr/0009-layers.md)."""

from typing import Any

from django.dispatch import receiver

from opencomplaints.accounts.models import User
from opencomplaints.accounts.signals import security_notice_due
from opencomplaints.audit.models import AuditEvent
from opencomplaints.common.dates import london_time
from opencomplaints.notifications.models import TemplateKey
from opencomplaints.notifications.services import message_queue

__all__ = ["security_notice_queue"]


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
