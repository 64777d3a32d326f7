"""Liveness and readiness, for a load balancer, an orchestrator or the container's health check.

``/health/live`` answers 200 while the process serves requests (it touches nothing else). ``/health/ready`` checks
what a request needs: the database, Redis when ``REDIS_URL`` is set, and, with Redis, a worker on every queue that
has sent its heartbeat recently. Neither needs signing in, and neither says anything about cases or people.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from redis import Redis
from rq import Worker

__all__ = ["live", "ready", "worker_queues_without_heartbeat"]

# RQ workers renew their heartbeat every few seconds while idle and while working (their default timeout is 420 s).
HEARTBEAT_SECONDS = 420


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _redis_connection() -> Redis:
    return Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


def worker_queues_without_heartbeat(redis: Redis) -> list[str]:
    """The queues that some task backend uses and no worker with a recent heartbeat listens to."""
    wanted: list[str] = []
    tasks: dict[str, dict[str, Any]] = getattr(settings, "TASKS", {})
    for config in tasks.values():
        if config.get("BACKEND") == "django_tasks_rq.RQBackend":
            wanted += [name for name in config.get("QUEUES", ["default"]) if name not in wanted]
    now = timezone.now()
    served: set[str] = set()
    for worker in Worker.all(connection=redis):
        beat = worker.last_heartbeat
        if beat is None:
            continue
        if beat.tzinfo is None:
            beat = beat.replace(tzinfo=UTC)
        if (now - beat).total_seconds() <= HEARTBEAT_SECONDS:
            served.update(worker.queue_names())
    return [name for name in wanted if name not in served]


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        checks["database"] = _database()
    except Exception:  # any failure to reach the database means not ready; the reason goes to the log only
        checks["database"] = "unavailable"
    if settings.REDIS_URL:
        try:
            redis = _redis_connection()
            redis.ping()
            checks["redis"] = "ok"
        except Exception:  # unreachable, refused, timed out
            checks["redis"] = "unavailable"
        else:
            missing = worker_queues_without_heartbeat(redis)
            checks["workers"] = "ok" if not missing else f"no worker on {', '.join(missing)}"
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)
