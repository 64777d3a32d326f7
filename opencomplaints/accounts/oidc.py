"""Single sign-on through the council's identity provider (OpenID Connect, with mozilla-django-oidc), switched on
when ``OIDC_RP_CLIENT_ID`` and the provider's endpoints are set.

The provider says who the person is; this service still decides whether they may come in. A person is matched to an
existing, active account by email address, never created: accounts, and their councils and roles, are given by a
system administrator. A provider that says the address is not verified is not trusted with it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from opencomplaints.accounts.models import User

__all__ = ["StaffOIDCBackend"]


class StaffOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # mozilla-django-oidc is untyped
    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = str(claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> User:
        raise SuspiciousOperation("Single sign-on never creates accounts")
