from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

import opencomplaints

# (label, URL name) of the main sections, in the order they appear in the service navigation.
NAVIGATION = (
    ("Cases", "tracker:case-list"),
    ("My cases", "tracker:my-cases"),
    ("Search", "tracker:search"),
    ("Learning actions", "tracker:learning-action-list"),
    ("Ombudsman", "tracker:ombudsman-list"),
    ("Deadline calculator", "web:deadline-calculator"),
    ("Register", "casework:register"),
    ("Reports", "reporting:report"),
    ("Import and export", "interchange:import-list"),
)


def _active(path: str, hrefs: list[str]) -> str | None:
    """The section ``path`` belongs to: the longest section address it starts with. The home page ("/") is a
    prefix of everything, so it is the current section only when it is the page itself."""
    matches = [href for href in hrefs if path == href or (href != "/" and path.startswith(href))]
    return max(matches, key=len, default=None)


def service(request: HttpRequest) -> dict[str, Any]:
    """The service name, version and navigation every page needs."""
    sections = [(text, reverse(name)) for text, name in NAVIGATION]
    active = _active(request.path, [href for _, href in sections])
    return {
        "service_name": settings.OPENCOMPLAINTS["SERVICE_NAME"],
        "version": opencomplaints.__version__,
        "navigation": [{"text": text, "href": href, "active": href == active} for text, href in sections],
    }
