"""Liveness and readiness: no sign-in, no case data, 503 with the failing check named when something is down."""

import pytest
from redis import Redis
from rq import Queue, Worker

from opencomplaints.jobs.tests.redis import redis_or_skip, redis_url_for_this_worker
from opencomplaints.web import health

pytestmark = pytest.mark.django_db

RQ_TASKS = {
    "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    "background": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["long"]},
}


def test_live_answers_without_signing_in(client):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_ready_checks_the_database_without_redis(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_ready_is_503_naming_the_database_when_it_is_down(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def down() -> str:
        raise OSError("connection refused")

    monkeypatch.setattr(health, "_database", down)
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unavailable"}


def test_ready_is_503_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "unavailable"}


def test_ready_needs_a_worker_with_a_recent_heartbeat_on_every_queue(client, settings):
    url = redis_url_for_this_worker()
    redis_or_skip(url)
    settings.REDIS_URL = url
    settings.TASKS = RQ_TASKS
    connection = Redis.from_url(url)
    for worker in Worker.all(connection=connection):
        worker.register_death()
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["workers"] == "no worker on default, long"

    default = Worker([Queue("default", connection=connection)], connection=connection, name="health-default")
    default.register_birth()
    default.heartbeat()
    try:
        assert client.get("/health/ready").json()["checks"]["workers"] == "no worker on long"
        long = Worker([Queue("long", connection=connection)], connection=connection, name="health-long")
        long.register_birth()
        long.heartbeat()
        try:
            response = client.get("/health/ready")
            assert response.status_code == 200
            assert response.json()["checks"] == {"database": "ok", "redis": "ok", "workers": "ok"}
        finally:
            long.register_death()
    finally:
        default.register_death()
