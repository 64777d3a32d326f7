"""``opencomplaints serve`` behind the reverse proxy: waitress believes X-Forwarded-Proto and X-Forwarded-For only
from the proxy named with ``--trusted-proxy``. Without it the production settings' HTTPS redirect would send every
request through the proxy back to itself, and every sign-in would count as the proxy's address."""

from io import StringIO

import pytest
from django.core.management import call_command
from waitress.proxy_headers import proxy_headers_middleware

PROXY = "10.0.0.2"


@pytest.fixture
def served(monkeypatch):
    """What the command hands to waitress, without serving anything."""
    captured: dict[str, object] = {}
    monkeypatch.setattr("waitress.serve", lambda app, **options: captured.update(options))
    return captured


def _seen_by_the_app(options, **environ):
    """The WSGI environment the application gets after waitress's proxy-header handling with ``options``."""
    seen: dict[str, str] = {}

    def app(environ, start_response):
        seen.update(environ)
        return []

    wrapped = proxy_headers_middleware(
        app,
        trusted_proxy=options.get("trusted_proxy"),
        trusted_proxy_count=options.get("trusted_proxy_count", 1),
        trusted_proxy_headers=options.get("trusted_proxy_headers"),
        clear_untrusted=True,
    )
    wrapped({"wsgi.url_scheme": "http", **environ}, lambda *args: None)  # type: ignore[arg-type]
    return seen


FROM_THE_PROXY = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}


def test_the_trusted_proxy_tells_the_scheme_and_the_browsers_address(served):
    call_command("serve", "--port", "8123", "--trusted-proxy", PROXY, stdout=StringIO())
    seen = _seen_by_the_app(served, **FROM_THE_PROXY)
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["REMOTE_ADDR"] == "203.0.113.9"


def test_anyone_else_cannot_claim_https_or_another_address(served):
    call_command("serve", "--port", "8123", "--trusted-proxy", PROXY, stdout=StringIO())
    seen = _seen_by_the_app(served, **(FROM_THE_PROXY | {"REMOTE_ADDR": "198.51.100.7"}))
    assert seen["wsgi.url_scheme"] == "http"
    assert seen["REMOTE_ADDR"] == "198.51.100.7"
    assert "HTTP_X_FORWARDED_PROTO" not in seen


def test_without_a_trusted_proxy_the_headers_are_removed(served):
    call_command("serve", "--port", "8123", stdout=StringIO())
    assert "trusted_proxy" not in served
    seen = _seen_by_the_app(served, **FROM_THE_PROXY)
    assert seen["wsgi.url_scheme"] == "http"
    assert seen["REMOTE_ADDR"] == PROXY
