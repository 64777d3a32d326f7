"""Browser tests: Playwright driving Debian's Chromium (never a browser Playwright downloads itself).

Without a Chromium on the machine these tests are skipped with a message saying how to install it, unless
OPENCOMPLAINTS_REQUIRE_BROWSER is set (as CI does), when its absence is a failure.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

# Playwright's sync API runs an event loop in the test thread; the test's own database calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium() -> str | None:
    for candidate in (os.environ.get("OPENCOMPLAINTS_CHROMIUM", ""), *CHROMIUM_CANDIDATES):
        if candidate and shutil.which(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = _chromium()
    if executable is None:
        message = "Chromium is not installed: apt-get install chromium (or set OPENCOMPLAINTS_CHROMIUM)"
        if os.environ.get("OPENCOMPLAINTS_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    # Save a screenshot when a test fails, for the CI log and for people.
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def sign_in(page, user, password: str = "correct-horse-battery-staple") -> None:
    """Sign in as a person does: username and password, then the code their authenticator app shows now (the
    device is set up for them the first time)."""
    from opencomplaints.accounts.tests.two_factor import confirmed_device, current_code

    device = confirmed_device(user)
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/**")
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def axe_violations(page) -> list[dict[str, object]]:
    """Run axe-core (bundled with axe-playwright-python, no download) for WCAG 2.2 A and AA."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
    )
    violations: list[dict[str, object]] = results.response["violations"]
    return violations
