"""What every layer may ask of a request: where it came from (the portal's rate limits and sign-in lockout alike)."""

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_address"]


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind ``PORTAL_TRUSTED_PROXIES`` proxies it is the entry those proxies added to
    X-Forwarded-For (the ones before it can be forged by the client)."""
    proxies: int = settings.OPENCOMPLAINTS["PORTAL_TRUSTED_PROXIES"]
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])
    return str(request.META.get("REMOTE_ADDR", "unknown"))
