"""Prometheus metrics (django-prometheus: requests, responses, latencies, database queries, per process) at
``/metrics``, for the council's monitoring only: it answers 404 unless ``OPENCOMPLAINTS_METRICS_TOKEN`` is set, and
then only to a scraper sending ``Authorization: Bearer <token>``. The reverse proxy does not pass ``/metrics`` on
(deploy/Caddyfile); Prometheus scrapes each web process directly. No metric carries case data or user names."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

__all__ = ["metrics"]


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token: str = settings.OPENCOMPLAINTS["METRICS_TOKEN"]
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise Http404
    response: HttpResponse = ExportToDjangoView(request)
    return response
