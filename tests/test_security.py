"""Hardening that applies to the whole service: CSRF on every form, the content security policy, templates with no
inline script or style, the production settings, and logs without personal data."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from opencomplaints.common.log_scrubbing import PersonalDataFilter, scrub

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "opencomplaints"

# Example values for the URL converters, so every route can be requested.
CONVERTER_VALUES = {"int": "1", "slug": "example", "str": "example", "uuid": "00000000-0000-0000-0000-000000000001"}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _example_path(route):
    if route.startswith("^") or "(?P" in route:  # the admin's regular expressions
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).strip("^$").replace("\\", "")
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_VALUES.get(m.group(1) or "str", "example"), route)
    return "/" + path.lstrip("/")


def every_path():
    return sorted({_example_path(route) for route in _routes(get_resolver().url_patterns)})


# The OAuth token endpoint reads no cookie (a system sends its client id and secret), so a forged cross-site post
# has nothing to ride on: it is refused as a request without client credentials.
OAUTH_TOKEN = "/api/oauth/token/"
# GOV.UK Notify's delivery receipts carry a bearer token, not a cookie: refused without it (401), or not found while
# no token is set (404), never taken.
NOTIFY_RECEIPTS = "/notifications/notify/receipts/"


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused(system_administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(system_administrator)
    anonymous = Client(enforce_csrf_checks=True)
    paths = every_path()
    assert len(paths) > 50
    accepted = []
    for path in paths:
        for who in (client, anonymous):
            response = who.post(path, {"anything": "x"})
            # 405: a view exempt from the middleware's check (the API's) that takes no POST at all; 401: the API
            # asking a caller with neither a session nor a token to sign in.
            refused = (403, 405, 401) if path.startswith("/api/") and who is anonymous else (403, 405)
            if path == OAUTH_TOKEN:
                refused = (400, 401)
            if path == NOTIFY_RECEIPTS:
                refused = (401, 404)
            if response.status_code not in refused:
                accepted.append((path, response.status_code))
    assert accepted == []


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy(client, complaints_officer):
    client.force_login(complaints_officer)
    for path in ("/", "/accounts/sign-in/", "/complain/"):
        policy = client.get(path)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy
        assert "frame-ancestors 'none'" in policy
        assert "form-action 'self'" in policy
        assert "data:" not in policy


def test_no_template_has_inline_script_style_or_event_handlers():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    offenders = []
    for template in PACKAGE.rglob("templates/**/*.html"):
        # The downloadable report is a standalone file with its own stylesheet, never served as a page.
        if template.name == "report_document.html":
            continue
        offenders += [f"{template.relative_to(ROOT)}: {m.group(0)}" for m in inline.finditer(template.read_text())]
    assert offenders == []


def _production(code, **env):
    # Not the test run's own switches (the browser tests allow async-unsafe calls, which a deployment must not).
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "opencomplaints.config.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-key-with-enough-characters-0123456789",
        "ALLOWED_HOSTS": "complaints.example.gov.uk",
        "DATABASE_URL": "sqlite:////tmp/opencomplaints-check-deploy.sqlite3",
        "EMAIL_URL": "smtp+tls://complaints:not-a-password@smtp.example.gov.uk:587",
        "OPENCOMPLAINTS_SITE_URL": "https://complaints.example.gov.uk",
        **env,
    }
    # A value of None leaves the variable out altogether.
    environment = {k: v for k, v in environment.items() if v is not None}
    return subprocess.run(  # noqa: S603  # our own interpreter and manage.py, no shell
        [sys.executable, *code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_is_clean_under_the_production_settings():
    result = _production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("email_url", [None, "consolemail://", "filemail:///tmp/mail", "memorymail://"])
def test_production_refuses_to_start_without_a_real_email_backend(email_url):
    result = _production(["manage.py", "check"], EMAIL_URL=email_url, NOTIFY_API_KEY=None)
    assert result.returncode != 0
    assert "Set NOTIFY_API_KEY (GOV.UK Notify) or EMAIL_URL to an SMTP server" in result.stderr
    assert "Traceback" in result.stderr  # an ImproperlyConfigured at start-up, before anything is served


def test_with_notify_and_no_email_url_production_passes_the_deployment_checks():
    result = _production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        EMAIL_URL=None,
        NOTIFY_API_KEY="test-key-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["DATABASE_URL", "OPENCOMPLAINTS_SITE_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_each_required_variable(missing):
    result = _production(["manage.py", "check"], **{missing: None})
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_debug_and_two_factor_cannot_be_switched_in_production():
    result = _production(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.OPENCOMPLAINTS['REQUIRE_TWO_FACTOR'], s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        ],
        DEBUG="true",
        OPENCOMPLAINTS_REQUIRE_TWO_FACTOR="false",
    )
    assert result.stdout.split() == ["False", "True", "True", "31536000"], result.stderr


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ('"GET /search/?q=Featherstonehaugh HTTP/1.1" 200', "/search/?[removed]", "Featherstonehaugh"),
        ("Not Found: /follow/Zk9x-secret-token/", "/follow/[removed]", "Zk9x-secret-token"),
        ("Could not send to philippa.f@example.org", "Could not send to [removed]", "philippa.f@example.org"),
        ("Address EX1 2AB, phone 07700 900123", "Address [removed], phone [removed]", "07700"),
        ("Key (first_name)=(Philippa) failed; last_name='Smith'", "last_name='[removed]'", "Smith"),
        ("Imported 12 records in 3 seconds", "Imported 12 records in 3 seconds", None),
    ],
)
def test_the_log_filter_removes_personal_data(text, kept, gone):
    scrubbed = scrub(text)
    assert kept in scrubbed
    if gone:
        assert gone not in scrubbed


def test_the_log_filter_covers_arguments_tracebacks_and_requests():
    try:
        raise ValueError("duplicate email philippa.f@example.org")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Error for %s", ("philippa.f@example.org",), sys.exc_info()
        )
    # Django's request logger adds the request to the record.
    record.request = object()
    assert PersonalDataFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "philippa" not in formatted
    assert "ValueError: duplicate email [removed]" in formatted
    assert getattr(record, "request") is None  # noqa: B009  # an attribute LogRecord does not declare


def test_the_console_log_handler_uses_the_filter():
    from opencomplaints.config.settings import base

    handlers: dict[str, dict[str, list[str]]] = base.LOGGING["handlers"]  # type: ignore[assignment]  # a plain dict
    assert "personal_data" in handlers["console"]["filters"]


def test_production_logs_are_json_lines_with_personal_data_scrubbed():
    result = _production(
        [
            "-c",
            "import django, logging; django.setup(); "
            "logging.getLogger('opencomplaints.probe').warning("
            "'Could not send to %s', 'philippa.f@example.org', extra={'secret': 'Featherstonehaugh'})",
        ]
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    probe = next(record for record in records if record["logger"] == "opencomplaints.probe")
    assert probe["level"] == "WARNING"
    assert probe["message"] == "Could not send to [removed]"
    assert set(probe) <= {"time", "level", "logger", "process", "message"}
    assert "Featherstonehaugh" not in result.stderr
    assert "philippa" not in result.stderr
