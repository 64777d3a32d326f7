"""Signing in to the API with a personal token: ``Authorization: Bearer oc_<prefix>_<secret>`` (docs/api.md).

The token acts as its user, narrowed to its scope and councils; every request made with it is audited. A token
that is unknown, revoked or expired, or whose user can no longer sign in, gets 401 with one message, so a caller
cannot tell which."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.oauth2_backends import get_oauthlib_core
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from opencomplaints.accounts.models import User
from opencomplaints.api.models import ApiClient, ApiToken, token_digest
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_read_record

__all__ = [
    "ClientCredential",
    "ClientCredentialsAuthentication",
    "TokenAuthentication",
    "TokenScopePermission",
    "credential_council_ids",
    "token_council_ids",
]

INVALID = "The API token is not valid: it may be mistyped, revoked or expired. Create a new one on your security page."
#: How often a token's "last used" time is written (every use is audited regardless).
LAST_USED_EVERY = timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, value = header.partition(" ")
        if keyword != self.keyword:
            return None  # another scheme (the session) may answer
        token = value.strip()
        parts = token.split("_", 2)  # the secret may hold "_" itself
        if len(parts) != 3 or parts[0] != "oc":
            raise exceptions.AuthenticationFailed(INVALID)
        row = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
        now = timezone.now()
        if (
            row is None
            or not hmac.compare_digest(row.digest, token_digest(token))
            or not row.usable_at(now)
            or not row.user.is_active
        ):
            raise exceptions.AuthenticationFailed(INVALID)
        with transaction.atomic():
            if row.last_used_at is None or now - row.last_used_at >= LAST_USED_EVERY:
                ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
            audit_read_record(
                acting_user=row.user,
                event_type=AuditEventType.API_TOKEN_USED,
                subject=row,
                summary=f"API token {row.prefix} used: {request.method} {request.path}"[:500],
                details={"method": request.method, "path": request.path[:300], "scope": row.scope},
            )
        return row.user, row

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class TokenScopePermission(permissions.BasePermission):
    """A read-only token may only read."""

    message = "This API token may only read. Create a token with the write scope to make changes."

    def has_permission(self, request: Request, view: Any) -> bool:
        credential = request.auth
        if isinstance(credential, ApiToken | ClientCredential) and request.method not in permissions.SAFE_METHODS:
            return credential.may_write
        return True


def token_council_ids(request: Request) -> list[int] | None:
    """The councils the request's token is narrowed to; ``None`` when it is not narrowed (or not a token)."""
    token = request.auth
    if not isinstance(token, ApiToken):
        return None
    ids = list(token.councils.values_list("pk", flat=True))
    return ids or None


def credential_council_ids(request: Request) -> list[int] | None:
    """The councils the request's credential (a personal token or a system's client) is narrowed to; ``None`` when
    it is not narrowed (a token for all its user's councils, or a signed-in session)."""
    if isinstance(request.auth, ClientCredential):
        return request.auth.council_ids
    return token_council_ids(request)


@dataclass(frozen=True)
class ClientCredential:
    """A request made by a system with an OAuth access token: its client, and what the token allows."""

    client: ApiClient
    token: str  # the access token, for the rate limit's count
    scopes: frozenset[str]
    council_ids: list[int]

    @property
    def may_write(self) -> bool:
        return self.client.may_write and "write" in self.scopes


CLIENT_INVALID = "The access token is not valid: it may be mistyped, expired, or its client revoked. Ask for a new one."


class ClientCredentialsAuthentication(OAuth2Authentication):  # type: ignore[misc]  # the library has no type hints
    """A system's OAuth 2.0 access token (client credentials, ``/api/oauth/token/``): the request acts as the
    client's integration account, in the client's councils only; every use is audited. A personal token
    (``oc_...``) is left to ``TokenAuthentication``."""

    def authenticate(self, request: Request) -> tuple[User, ClientCredential] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _, value = header.partition(" ")
        if keyword != "Bearer" or value.strip().startswith("oc_"):
            return None
        # The Django request, not DRF's: reading DRF's parses the body, and a body the view does not take would
        # be refused (415) before the case's access check.
        valid, checked = get_oauthlib_core().verify_request(request._request, scopes=[])
        access = checked.access_token if valid else None
        clients = ApiClient.objects.select_related("user", "application")
        client = clients.filter(application_id=access.application_id).first() if access is not None else None
        if access is None or client is None or not client.usable or not client.user.is_active:
            raise exceptions.AuthenticationFailed(CLIENT_INVALID)
        credential = ClientCredential(
            client=client,
            token=access.token,
            scopes=frozenset(access.scope.split()),
            council_ids=list(client.councils.values_list("pk", flat=True)) or [0],
        )
        now = timezone.now()
        with transaction.atomic():
            if client.last_used_at is None or now - client.last_used_at >= LAST_USED_EVERY:
                ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
            audit_read_record(
                acting_user=client.user,
                event_type=AuditEventType.API_CLIENT_USED,
                subject=client,
                summary=f"API client {client.application.client_id} used: {request.method} {request.path}"[:500],
                details={"method": request.method, "path": request.path[:300], "scope": access.scope},
            )
        return client.user, credential


class ClientCredentialsScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "opencomplaints.api.authentication.ClientCredentialsAuthentication"
    name = "oauthClientCredentials"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "description": "A system integration's access token (OAuth 2.0 client credentials).",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/oauth/token/",
                    "scopes": {"read": "Read cases", "write": "Read and change cases"},
                }
            },
        }


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "opencomplaints.api.authentication.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal API token, oc_<prefix>_<secret>."}
