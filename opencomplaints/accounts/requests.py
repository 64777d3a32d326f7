"""Who a request acts as: the signed-in user, whom the audit trail records as having made a change (the admin pages
and any view that calls a service)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from opencomplaints.accounts.models import User

__all__ = ["acting_user"]


def acting_user(request: HttpRequest) -> User:
    """The signed-in user, who the audit trail records as having made the change."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user
