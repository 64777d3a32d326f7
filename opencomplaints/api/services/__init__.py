"""Writes of the API app: personal API tokens."""

from opencomplaints.api.services.tokens import TokenError, api_token_create, api_token_revoke

__all__ = ["TokenError", "api_token_create", "api_token_revoke"]
