"""The load test of ``scripts/production-smoke`` (Locust, headless): staff working through the pages and systems
working through the API, against the two web processes.

There is no proxy in front here: each user is given one of the web processes in turn (the first user the first
process, the second the second, …), as a round-robin proxy with sticky connections would. Each request carries the
``X-Forwarded-Proto: https`` that the proxy (Caddy) adds, and the web processes are told to believe it from
127.0.0.1 (``serve --trusted-proxy``), so the production settings' HTTPS-only cookies, redirects and CSRF origin
checks are all in force. The cookie jar sends those Secure cookies over the plain connection, as the proxy does.

- ``Staff`` sign in with their password and a code from their authenticator app (TOTP computed from the app's
  secret, a fresh one at each sign-in), then look at the tracker, search, open case pages and add notes.
- ``ApiClient`` systems use a personal API token made by ``opencomplaints api-token create``: they list and read
  cases and change a case's owner with ``If-Match``. A 412 is an error unless the case really did change after the
  ETag was read (another client got there first), which is checked by reading the case again; and after each
  change the old ETag is sent once more, which must be refused with 412.

Every response is also written to ``SMOKE_TIMINGS`` (one line each: name, milliseconds, ok) for
``scripts/smoke/summary.py``. Inputs come from the environment: ``SMOKE_DATA`` (the JSON that prepare.py wrote, with
the tokens added), ``SMOKE_HOSTS`` (the web processes' base URLs, comma-separated), ``SMOKE_WAIT`` ("min,max"
seconds between a user's actions).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from datetime import UTC, datetime, timedelta
from http.cookiejar import Cookie, DefaultCookiePolicy
from typing import Any, ClassVar
from urllib.parse import urlsplit
from urllib.request import Request

from django_otp.oath import TOTP
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

DATA: dict[str, Any] = json.loads(open(os.environ["SMOKE_DATA"], encoding="utf-8").read())  # noqa: SIM115
HOSTS = os.environ["SMOKE_HOSTS"].split(",")
WAIT = [float(part) for part in os.environ.get("SMOKE_WAIT", "2,8").split(",")]
_numbers = itertools.count()
_staff_accounts = itertools.cycle(DATA["accounts"][len(DATA["tokens"]) :])
_tokens = itertools.cycle(DATA["tokens"])
_timings = open(os.environ["SMOKE_TIMINGS"], "a", encoding="utf-8", buffering=1)  # noqa: SIM115
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="(\d+)"')
STALE_PAGE = "Someone else changed this case since you opened the page"


@events.request.add_listener  # type: ignore[untyped-decorator]  # Locust's event hooks are untyped
def _record(name: str, response_time: float, exception: BaseException | None, **kwargs: Any) -> None:
    _timings.write(f"{name}\t{response_time:.2f}\t{0 if exception else 1}\n")


class _BehindTheProxy(DefaultCookiePolicy):
    """Send the web processes' Secure cookies over the plain connection to them, as the proxy does."""

    def return_ok_secure(self, cookie: Cookie, request: Request) -> bool:
        return True


class _SmokeUser(FastHttpUser):
    abstract = True
    host = HOSTS[0]
    wait_time = between(WAIT[0], WAIT[1])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Users take the web processes in turn (the round-robin a proxy would do).
        self.host = HOSTS[next(_numbers) % len(HOSTS)]
        origin = f"https://{urlsplit(self.host).netloc}"
        self.default_headers = {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": f"{origin}/"}
        super().__init__(*args, **kwargs)
        self.client.cookiejar.set_policy(_BehindTheProxy())

    def page(self, path: str, name: str) -> str:
        """GET a page that must answer 200 itself: a redirect (to the sign-in page, say) is an error here, not
        the page it led to."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.headers.get('Location', '')}")
            return response.text or ""

    def _case(self, *, open_complaint: bool = False) -> int:
        return int(random.choice(DATA["open_complaints"] if open_complaint else DATA["cases"]))


class Staff(_SmokeUser):
    """A member of the complaints team working through the pages."""

    weight = 9

    def on_start(self) -> None:
        account = next(_staff_accounts)
        page = self.client.get("/accounts/sign-in/", name="page: sign-in form")
        token = _CSRF.search(page.text or "")
        with self.client.post(
            "/accounts/sign-in/",
            {
                "username": account["username"],
                "password": DATA["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="page: sign in (password)",
            allow_redirects=False,
            catch_response=True,
        ) as signed_in:
            if signed_in.status_code != 302 or "/accounts/two-factor/" not in signed_in.headers.get("Location", ""):
                signed_in.failure(f"signing in did not ask for a code (HTTP {signed_in.status_code})")
                return
        code_page = self.client.get("/accounts/two-factor/", name="page: two-factor form")
        token = _CSRF.search(code_page.text or "")
        totp = TOTP(bytes.fromhex(account["totp_key"]), step=account["step"], t0=account["t0"], digits=6)
        totp.time = time.time()
        with self.client.post(
            "/accounts/two-factor/",
            {"code": f"{totp.token():06d}", "csrfmiddlewaretoken": token.group(1) if token else ""},
            name="page: sign in (authenticator code)",
            allow_redirects=False,
            catch_response=True,
        ) as verified:
            if verified.status_code != 302 or "/accounts/" in verified.headers.get("Location", ""):
                verified.failure(f"the authenticator code was refused (HTTP {verified.status_code})")

    @task(4)
    def tracker(self) -> None:
        self.page("/", "page: tracker")

    @task(1)
    def my_cases(self) -> None:
        self.page("/my-cases/", "page: my cases")

    @task(1)
    def search(self) -> None:
        self.page(f"/search/?q={random.choice(['a', 'smith', 'school', 'EXA'])}", "page: search")

    @task(6)
    def case_page(self) -> None:
        self.page(f"/cases/{self._case()}/", "page: case")

    @task(1)
    def add_note(self) -> None:
        case_id = self._case(open_complaint=True)
        form = self.page(f"/cases/{case_id}/notes/new/", "page: note form")
        token, version = _CSRF.search(form), _VERSION.search(form)
        if not (token and version):
            return  # the form page has already been counted as an error
        # Yesterday's call: a call at 10:30 today is in the future (and refused) when the smoke runs before then.
        today = datetime.now(tz=UTC).date() - timedelta(days=1)
        fields = {
            "csrfmiddlewaretoken": token.group(1),
            "version": version.group(1),
            "kind": "call",
            "occurred_on_0": str(today.day),
            "occurred_on_1": str(today.month),
            "occurred_on_2": str(today.year),
            "occurred_time": "10:30",
            "with_whom": "The complainant",
            "direction": "in",
            "summary": "Called to ask how the complaint is going; told the response is being written.",
        }
        with self.client.post(
            f"/cases/{case_id}/notes/new/",
            fields,
            name="page: add note",
            allow_redirects=False,
            catch_response=True,
        ) as saved:
            if saved.status_code == 302:
                return
            if saved.status_code == 400 and STALE_PAGE in saved.text:
                # Someone else changed the case between reading the form and saving it: the page says so and
                # keeps what was typed, which is what it must do.
                saved.success()
                return
            saved.failure(f"the note was not saved (HTTP {saved.status_code})")


class ApiClient(_SmokeUser):
    """A system (a CRM, a data warehouse) with a personal API token."""

    weight = 1
    tokens: ClassVar[list[str]] = DATA["tokens"]

    def on_start(self) -> None:
        self.client.auth_header = f"Bearer {next(_tokens)}"

    @task(3)
    def list_cases(self) -> None:
        self.page("/api/v1/cases/?status=open", "api: list cases")

    @task(4)
    def read_case(self) -> None:
        self.page(f"/api/v1/cases/{self._case()}/", "api: read case")

    @task(2)
    def change_owner(self) -> None:
        case_url = f"/api/v1/cases/{self._case(open_complaint=True)}/"
        read = self.client.get(case_url, name="api: read case")
        etag = str(read.headers.get("ETag") or "") if read.headers else ""
        if read.status_code != 200 or not etag:
            return
        current = (read.json() or {}).get("owner")
        owner = random.choice([name for name in DATA["owners"] if name != current])
        body = {"owner": owner, "reason": "Load test: allocated for the week"}
        with self.client.patch(
            case_url, json=body, headers={"If-Match": etag}, name="api: change owner", catch_response=True
        ) as changed:
            if changed.status_code == 200:
                pass
            elif changed.status_code == 412 and self._changed_since(case_url, etag):
                changed.success()  # another client changed it after we read it: refused, as it must be
                return
            else:
                changed.failure(f"HTTP {changed.status_code}: {changed.text[:200]}")
                return
        with self.client.patch(
            case_url, json=body, headers={"If-Match": etag}, name="api: stale If-Match refused", catch_response=True
        ) as stale:
            if stale.status_code == 412:
                stale.success()
            else:
                stale.failure(f"a stale If-Match got HTTP {stale.status_code}, not 412")

    def _changed_since(self, case_url: str, etag: str) -> bool:
        again = self.client.get(case_url, name="api: read case")
        return again.status_code == 200 and again.headers is not None and again.headers.get("ETag") != etag
