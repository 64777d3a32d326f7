"""Signing a benchmark's client in as staff do: the sign-in page with a password, then the code page with a
6-digit code from an authenticator app, computed here from the app's secret (TOTP, RFC 6238), so every page timed
passes the same two-factor middleware as a real session does."""

from __future__ import annotations

import time
from typing import Any

__all__ = ["sign_in"]

PASSWORD = "benchmark-password-0123"  # noqa: S105  # a synthetic user in a throw-away database


def sign_in(client: Any, user: Any) -> None:
    """Sign ``client`` in as ``user`` (given a known password and a confirmed authenticator app first)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from opencomplaints.accounts.two_factor import DEVICE_NAME

    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    signed_in = client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})
    if signed_in.status_code != 302 or "/accounts/two-factor/" not in signed_in["Location"]:
        raise SystemExit(f"Signing in did not ask for a code (HTTP {signed_in.status_code})")
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    totp.time = time.time()
    verified = client.post("/accounts/two-factor/", {"code": f"{totp.token():0{device.digits}d}"})
    if verified.status_code != 302 or "/accounts/" in verified["Location"]:
        raise SystemExit(f"The authenticator code was refused (HTTP {verified.status_code})")
    page = client.get("/")
    if page.status_code != 200:
        raise SystemExit(f"After signing in the tracker answered HTTP {page.status_code}")
