"""Writes of the API app: personal API tokens, the OAuth clients of system integrations, webhooks."""

from opencomplaints.api.services.clients import api_client_create, api_client_revoke
from opencomplaints.api.services.tokens import TokenError, api_token_create, api_token_revoke

__all__ = ["TokenError", "api_client_create", "api_client_revoke", "api_token_create", "api_token_revoke"]
