from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

import opencomplaints
from opencomplaints.accounts.models import User
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose


@dataclass(frozen=True)
class Section:
    """One of the main sections in the service navigation. ``purpose`` is the council-wide purpose its view asks
    ``councils_for_purpose`` about before answering; ``None`` for a page every signed-in user may open (each lists
    only what their role sees)."""

    text: str
    url_name: str
    purpose: CouncilPurpose | None = None


# The main sections, in the order they appear in the service navigation.
NAVIGATION = (
    Section("Cases", "tracker:case-list"),
    Section("My cases", "tracker:my-cases"),
    Section("Search", "tracker:search"),
    Section("Learning actions", "tracker:learning-action-list"),
    Section("Ombudsman", "tracker:ombudsman-list"),
    Section("Deadline calculator", "web:deadline-calculator"),
    Section("Register", "casework:register", CouncilPurpose.REGISTER),
    Section("Reports", "reporting:report", CouncilPurpose.REPORTS),
    Section("Import and export", "interchange:import-list", CouncilPurpose.INTERCHANGE),
)

# Where a request keeps its navigation once worked out: a page rendered more than once asks only once.
_CACHE_ATTRIBUTE = "_opencomplaints_navigation"


def _active(path: str, hrefs: list[str]) -> str | None:
    """The section ``path`` belongs to: the longest section address it starts with. The home page ("/") is a
    prefix of everything, so it is the current section only when it is the page itself."""
    matches = [href for href in hrefs if path == href or (href != "/" and path.startswith(href))]
    return max(matches, key=len, default=None)


def purposes_for_user(*, user: User, purposes: Iterable[CouncilPurpose]) -> frozenset[CouncilPurpose]:
    """Which of ``purposes`` ``user`` has at least one council for, as the views decide it
    (``councils_for_purpose``), asked in one query: one ``EXISTS`` per purpose."""
    wanted = sorted(set(purposes))
    if not wanted:
        return frozenset()
    checks = {f"may_{purpose.value}": Exists(councils_for_purpose(user=user, purpose=purpose)) for purpose in wanted}
    row = User.objects.filter(pk=user.pk).values(**checks).first() or {}
    return frozenset(purpose for purpose in wanted if row.get(f"may_{purpose.value}"))


def sections_for_user(user: object) -> list[Section]:
    """The sections ``user`` may open: none for someone not signed in, and of the rest only those whose view would
    let them in, so the navigation never offers a page that answers "forbidden" or "not found"."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return []
    allowed = purposes_for_user(user=user, purposes=(s.purpose for s in NAVIGATION if s.purpose is not None))
    return [section for section in NAVIGATION if section.purpose is None or section.purpose in allowed]


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation for ``request``'s user: text, address and whether it is the current section."""
    cached: list[dict[str, Any]] | None = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    sections = [(section.text, reverse(section.url_name)) for section in sections_for_user(request.user)]
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
