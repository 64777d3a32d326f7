"""Protection of the public portal against abuse: per-address rate limits on what writes (Django's cache, so they
hold across processes with a shared cache), a cap on the size of a request, and the honeypot on every form
(``forms.PortalForm``). CSRF protection is Django's, on every form."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opencomplaints.common.http import client_address

__all__ = ["client_address", "limit_request_size", "rate_limited"]

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]

# How many times the submission limit each kind of request may be made in the window: a complaint takes several
# question pages, so answering them is allowed far more often than sending.
BUCKET_MULTIPLIERS = {"submit": 1, "link": 1, "follow": 3, "answer": 20}


def _over_limit(request: HttpRequest, bucket: str) -> bool:
    window: int = settings.OPENCOMPLAINTS["PORTAL_RATE_LIMIT_SECONDS"]
    limit: int = settings.OPENCOMPLAINTS["PORTAL_RATE_LIMIT"] * BUCKET_MULTIPLIERS[bucket]
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"portal-rate:{bucket}:{address}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def rate_limited(bucket: str) -> Callable[[View], View]:
    """Answer POSTs beyond the limit for ``bucket`` with the GOV.UK "too many requests" page (429)."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if request.method == "POST" and _over_limit(request, bucket):
                logger.warning("Portal rate limit reached for %s requests", bucket)
                window: int = settings.OPENCOMPLAINTS["PORTAL_RATE_LIMIT_SECONDS"]
                response = render(
                    request, "portal/too_many_requests.html", {"minutes": max(1, window // 60)}, status=429
                )
                response["Retry-After"] = str(window)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def limit_request_size(view: View) -> View:
    """Refuse a request body larger than ``PORTAL_MAX_REQUEST_BYTES`` before reading it (413)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        limit: int = settings.OPENCOMPLAINTS["PORTAL_MAX_REQUEST_BYTES"]
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return render(request, "portal/request_too_large.html", {"limit_mb": limit // (1024 * 1024)}, status=413)
        return view(request, *args, **kwargs)

    return wrapped
