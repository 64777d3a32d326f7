"""The deployment recipe (Dockerfile, compose.yaml, deploy/Caddyfile), read as files: Docker is not available to the
test suite, so these check what the image and the topology promise rather than running them."""

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _stages() -> list[list[str]]:
    """The Dockerfile's instructions, one list per stage (continuation lines joined)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_the_image_is_multi_stage_and_the_final_stage_has_no_build_tools():
    stages = _stages()
    assert len(stages) >= 2
    final = stages[-1]
    assert not any(re.search(r"build-essential|\bgcc\b|\bmake\b", line) for line in final)
    assert any(line.startswith("COPY --from=build") for line in final)
    assert any("build-essential" in line for line in stages[0])


def test_the_image_runs_as_a_non_root_user_with_a_health_check():
    final = _stages()[-1]
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users, "the final stage sets no USER"
    assert users[-1].split(":")[0] not in {"root", "0"}
    healthcheck = next(line for line in final if line.startswith("HEALTHCHECK "))
    assert "/health/live" in healthcheck
    assert any(line.startswith("CMD ") and "serve" in line for line in final)
    assert any("DJANGO_SETTINGS_MODULE=opencomplaints.config.settings.production" in line for line in final)


def test_compose_runs_the_production_topology():
    services = _compose()["services"]
    assert {"web-1", "web-2", "proxy", "worker-default", "worker-long", "postgres", "redis", "migrate"} <= set(services)
    for web in ("web-1", "web-2"):
        assert services[web]["command"][:2] == ["opencomplaints", "serve"]
        # Caddy's X-Forwarded-Proto is believed, or the HTTPS redirect would send every request back to itself.
        assert services[web]["command"][-2:] == ["--trusted-proxy", "*"]
        assert services[web]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["worker-default"]["command"] == ["opencomplaints", "worker", "--queue", "default"]
    assert services["worker-long"]["command"][:4] == ["opencomplaints", "worker", "--queue", "long"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("web-1", "worker-default", "worker-long"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "opencomplaints.config.settings.production"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://redis:")


def test_documents_and_backups_are_on_volumes_every_process_shares():
    compose = _compose()
    assert {"documents", "backups", "postgres-data"} <= set(compose["volumes"])
    for name in ("web-1", "web-2", "worker-default", "worker-long"):
        volumes = compose["services"][name]["volumes"]
        assert "documents:/data/documents" in volumes
        assert "backups:/backups" in volumes


def test_the_proxy_balances_both_web_processes_and_hides_the_metrics():
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert re.search(r"reverse_proxy\s+web-1:8000\s+web-2:8000", caddyfile)
    assert "health_uri /health/ready" in caddyfile
    assert "respond @metrics 404" in caddyfile
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in _compose()["services"]["proxy"]["volumes"]
