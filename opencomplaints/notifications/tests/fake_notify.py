"""A local stand-in for the GOV.UK Notify API: a threaded HTTP server on 127.0.0.1 (a random free port) answering
the calls notifications-python-client makes to send an email or a letter.

It checks the request the way Notify does, loosely: a Bearer JWT signed with HS256 by the key's secret, issued by
the key's service id, issued within the last 30 seconds; JSON with the fields each endpoint needs. It records every
request it accepts, and can be told to fail the next requests with a given status (``fail_next``).

    with FakeNotify() as notify:
        client = NotificationsAPIClient(notify.api_key, base_url=notify.url)
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt

SERVICE_ID = "4a5b6c7d-0000-4000-8000-000000000001"
SECRET = "9f8e7d6c-0000-4000-8000-000000000002"
API_KEY = f"opencomplaints_test-{SERVICE_ID}-{SECRET}"
# Notify refuses a token issued more than 30 seconds before (or after) it receives the request.
TOKEN_WINDOW_SECONDS = 30


@dataclass(frozen=True)
class Received:
    path: str
    body: dict[str, Any]
    notification_id: str


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output clean

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, error: str, message: str) -> None:
        self._answer(status, {"status_code": status, "errors": [{"error": error, "message": message}]})

    def _token_problem(self) -> str | None:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return "Unauthorized: authentication token must be provided"
        try:
            claims = jwt.decode(
                header.removeprefix("Bearer "), SECRET, algorithms=["HS256"], options={"verify_iat": False}
            )
        except jwt.PyJWTError as error:
            return f"Invalid token: {error}"
        if claims.get("iss") != SERVICE_ID:
            return "Invalid token: service not found"
        if abs(time.time() - float(claims.get("iat", 0))) > TOKEN_WINDOW_SECONDS:
            return "Error: Your system clock must be accurate to within 30 seconds"
        return None

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        problem = self._token_problem()
        if problem:
            return self._error(403, "AuthError", problem)
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            return self._error(400, "BadRequestError", "Invalid JSON")
        required = {
            "/v2/notifications/email": ("email_address", "template_id"),
            "/v2/notifications/letter": ("template_id", "personalisation"),
        }.get(self.path)
        if required is None:
            return self._error(404, "NotFound", "Not found")
        missing = [name for name in required if not body.get(name)]
        if missing:
            return self._error(400, "ValidationError", f"{missing[0]} is a required property")
        failure = self.server.take_failure()
        if failure is not None:
            return self._error(failure, "FakeFailure", f"Failing on purpose with {failure}")
        notification_id = str(uuid.uuid4())
        self.server.record(Received(path=self.path, body=body, notification_id=notification_id))
        return self._answer(
            201,
            {
                "id": notification_id,
                "reference": body.get("reference"),
                "content": {"subject": body.get("personalisation", {}).get("subject", ""), "body": ""},
                "uri": f"{self.server.url}/v2/notifications/{notification_id}",
                "template": {"id": body["template_id"], "version": 1, "uri": ""},
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self._lock = threading.Lock()
        self._failures: list[int] = []
        self.received: list[Received] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def take_failure(self) -> int | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def record(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)


class FakeNotify:
    """Start with ``with FakeNotify() as notify``; ``notify.url`` and ``notify.api_key`` configure the client."""

    api_key = API_KEY

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-notify", daemon=True)

    def __enter__(self) -> FakeNotify:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def received(self) -> list[Received]:
        return list(self._server.received)

    def fail_next(self, *statuses: int) -> None:
        """Answer the next requests with these error statuses, one each, before working normally again."""
        with self._server._lock:
            self._server._failures.extend(statuses)
