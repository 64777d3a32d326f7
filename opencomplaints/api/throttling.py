"""The API's rate limit: requests a minute for each credential (a personal token, a system's client, or a
signed-in person), and for each address without one, counted in Django's cache as the portal's limits are, so it
holds across processes with a shared cache. Past it a request gets 429 with ``Retry-After`` (docs/api.md)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from opencomplaints.common.http import client_address

__all__ = ["CredentialRateThrottle"]


class CredentialRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self) -> str:
        return f"{settings.OPENCOMPLAINTS['API_RATE_LIMIT']}/min"

    def get_cache_key(self, request: Request, view: Any) -> str:
        # A personal token by its prefix, an OAuth access token by itself (hashed): both random, unlike a row's id.
        credential = getattr(request.auth, "prefix", None) or getattr(request.auth, "token", None)
        if credential:
            ident = "credential-" + hashlib.sha256(str(credential).encode()).hexdigest()[:32]
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{client_address(request)}"
        return f"opencomplaints:api-rate:{ident}"
