"""Prometheus metrics (prometheus-client) at ``/metrics``, for the council's monitoring only: it answers 404 unless
``OPENCOMPLAINTS_METRICS_TOKEN`` is set, and then only to a scraper sending ``Authorization: Bearer <token>``. The
reverse proxy does not pass ``/metrics`` on (deploy/Caddyfile); Prometheus scrapes each web process directly.

Requests are counted and timed by URL name (never the path, which holds case numbers and link tokens), method and
status; the client library adds the process's own figures (memory, CPU, open files). No metric names a case or a
person.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

__all__ = ["RequestMetricsMiddleware", "metrics"]

REQUESTS = Counter(
    "opencomplaints_http_requests",
    "HTTP requests answered, by URL name, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "opencomplaints_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL name and method.",
    ["view", "method"],
    buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0),
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        # Static files and unknown addresses share one label, so no path ever becomes a metric.
        view = match.view_name if match is not None else "unmatched"
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        LATENCY.labels(view, method).observe(time.perf_counter() - started)
        return response


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token: str = settings.OPENCOMPLAINTS["METRICS_TOKEN"]
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise Http404
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
