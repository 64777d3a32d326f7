"""The service name, version and navigation every page needs; which sections someone may open is decided below,
in ``cases.purposes``, which the feature apps' views also use to refuse a page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

import opencomplaints
from opencomplaints.cases.purposes import NAVIGATION, request_purposes, sections_allowed, signed_in

__all__ = ["NAVIGATION", "navigation", "service"]

# Where a request keeps its navigation once worked out: a page rendered more than once asks only once.
_CACHE_ATTRIBUTE = "_opencomplaints_navigation"


def _active(path: str, hrefs: list[str]) -> str | None:
    """The section ``path`` belongs to: the longest section address it starts with. The home page ("/") is a
    prefix of everything, so it is the current section only when it is the page itself."""
    matches = [href for href in hrefs if path == href or (href != "/" and path.startswith(href))]
    return max(matches, key=len, default=None)


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation for ``request``'s user: text, address and whether it is the current section."""
    cached: list[dict[str, Any]] | None = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    # Someone not signed in is offered no section, not even the pages every signed-in person has.
    allowed = sections_allowed(request_purposes(request)) if signed_in(request.user) else []
    sections = [(section.text, reverse(section.url_name)) for section in allowed]
    active = _active(request.path, [href for _, href in sections])
    items = [{"text": text, "href": href, "active": href == active} for text, href in sections]
    setattr(request, _CACHE_ATTRIBUTE, items)
    return items


def service(request: HttpRequest) -> dict[str, Any]:
    """The service name, version and navigation every page needs. The navigation is worked out only when a
    template shows it (pages that do not, such as the admin's, cost no query)."""
    return {
        "service_name": settings.OPENCOMPLAINTS["SERVICE_NAME"],
        "version": opencomplaints.__version__,
        "navigation": SimpleLazyObject(lambda: navigation(request)),
    }
