"""The address a sign-in attempt came from, for django-axes' lockout (``AXES_CLIENT_IP_CALLABLE``)."""

from __future__ import annotations

from ipaddress import ip_address

from django.http import HttpRequest

from opencomplaints.common.http import client_address


def sign_in_client_address(request: HttpRequest) -> str | None:
    """The client's address as the portal's rate limit reads it (behind ``PORTAL_TRUSTED_PROXIES`` proxies, the one
    they added), or ``None`` when there is no valid one: axes stores it in an IP address column."""
    address = client_address(request)
    try:
        return str(ip_address(address))
    except ValueError:
        return None
