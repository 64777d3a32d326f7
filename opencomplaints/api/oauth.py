"""OAuth 2.0 client credentials for system integrations (django-oauth-toolkit; docs/api.md,
docs/adr/0023-oauth-and-webhooks.md).

A system administrator registers a client (``opencomplaints api-client create``): an OAuth application allowed
only the client-credentials grant, with a hashed secret, and an ``ApiClient`` saying which councils it reaches and
whether it may change anything. The client asks ``/api/oauth/token/`` for an access token with its id and secret;
the validator here gives it the ``read`` scope, and ``write`` too when the client may write, and nothing to a
revoked client."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from opencomplaints.api.models import ApiClient, TokenScope

__all__ = ["ClientValidator", "client_scopes"]


def client_scopes(client: ApiClient | None) -> list[str]:
    """The scopes ``client`` may hold: none when revoked (or not registered through us)."""
    if client is None or not client.usable:
        return []
    return [TokenScope.READ, TokenScope.WRITE] if client.may_write else [TokenScope.READ]


def _client_of(application: Any) -> ApiClient | None:
    return ApiClient.objects.filter(application=application).first()


class ClientValidator(OAuth2Validator):  # type: ignore[misc]  # the library has no type hints
    """django-oauth-toolkit's validator, with each application's scopes from its ``ApiClient``."""

    def validate_scopes(
        self, client_id: str, scopes: list[str], client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        allowed = client_scopes(_client_of(client))
        return bool(allowed) and set(scopes) <= set(allowed)

    def get_default_scopes(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> list[str]:
        return client_scopes(_client_of(request.client))
