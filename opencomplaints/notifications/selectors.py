"""Reads of the message log, for a case's page. Callers pass a case they obtained through
``opencomplaints.cases.access``."""

from django.db.models import QuerySet

from opencomplaints.cases.models import Case
from opencomplaints.notifications.models import Message

__all__ = ["message_list_for_case"]


def message_list_for_case(*, case: Case) -> QuerySet[Message]:
    """Every message about ``case``, newest first: what was sent, to whom, when, and whether it went."""
    return Message.objects.filter(case=case).order_by("-created_at", "-id")
