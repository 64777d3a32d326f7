"""Prometheus metrics: only for a scraper with the configured token; 404 for anyone else, and when none is set."""

import pytest

pytestmark = pytest.mark.django_db

TOKEN = "a-long-random-metrics-token-0123456789"


def test_metrics_are_off_without_a_token(client, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"METRICS_TOKEN": ""}
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_need_the_token(client, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"METRICS_TOKEN": TOKEN}
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.get("/health/live")
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert 'opencomplaints_http_requests_total{method="GET",status="200",view="web:health-live"}' in body
    assert "opencomplaints_http_request_duration_seconds_bucket" in body
    assert "/health/live" not in body  # URL names, never paths
