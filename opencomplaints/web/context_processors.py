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
    ``councils_for_purpose`` about before answering; ``None`` for a page every signed-in user may open."""

    text: str
    url_name: str
    purpose: CouncilPurpose | None = None


# The main sections, in the order they appear in the service navigation. The first one a person may open is where
# the home page sends them (``home_url``).
NAVIGATION = (
    Section("Cases", "tracker:case-list", CouncilPurpose.CASES),
    Section("My cases", "tracker:my-cases", CouncilPurpose.CASES),
    Section("Search", "tracker:search", CouncilPurpose.CASES),
    Section("Learning actions", "tracker:learning-action-list", CouncilPurpose.LEARNING),
    Section("Ombudsman", "tracker:ombudsman-list", CouncilPurpose.OMBUDSMAN),
    Section("Deadline calculator", "web:deadline-calculator"),
    Section("Register", "casework:register", CouncilPurpose.REGISTER),
    Section("Reports", "reporting:report", CouncilPurpose.REPORTS),
    Section("Import and export", "interchange:import-list", CouncilPurpose.INTERCHANGE),
)

# Where a request keeps its navigation once worked out: a page rendered more than once asks only once.
_CACHE_ATTRIBUTE = "_opencomplaints_navigation"
# Where it keeps the purposes its user may do, asked once for the view's own check and the navigation alike.
_PURPOSES_ATTRIBUTE = "_opencomplaints_purposes"


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


def _signed_in(user: object) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def request_purposes(request: HttpRequest) -> frozenset[CouncilPurpose]:
    """Which council-wide purposes ``request``'s user may do (``councils_for_purpose``), asked once a request in
    one query, so a view that checks its purpose and the navigation on its page share that query."""
    cached: frozenset[CouncilPurpose] | None = getattr(request, _PURPOSES_ATTRIBUTE, None)
    if cached is None:
        user = _signed_in(request.user)
        cached = frozenset() if user is None else purposes_for_user(user=user, purposes=CouncilPurpose)
        setattr(request, _PURPOSES_ATTRIBUTE, cached)
    return cached


def request_may(request: HttpRequest, purpose: CouncilPurpose) -> bool:
    """Whether ``request``'s user holds a role that may do ``purpose`` in at least one council."""
    return purpose in request_purposes(request)


def _sections(allowed: frozenset[CouncilPurpose]) -> list[Section]:
    """The sections someone who may do ``allowed`` may open: only those whose view would let them in, so the
    navigation never offers a page that answers "forbidden" or "not found"."""
    return [section for section in NAVIGATION if section.purpose is None or section.purpose in allowed]


def home_url(request: HttpRequest) -> str:
    """Where the home page (the tracker) sends ``request``'s user if their role sees no case: the first section of
    their own (a report viewer's reports); for someone with none, the admin site if they may use it (a system
    administrator configures the service), or else the deadline calculator, the page every signed-in person has."""
    user = _signed_in(request.user)
    sections = [section for section in _sections(request_purposes(request)) if section.purpose is not None]
    if sections:
        return reverse(sections[0].url_name)
    if user is not None and user.is_staff:
        return reverse("admin:index")
    return reverse("web:deadline-calculator")


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation for ``request``'s user: text, address and whether it is the current section."""
    cached: list[dict[str, Any]] | None = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    # Someone not signed in is offered no section, not even the pages every signed-in person has.
    allowed = _sections(request_purposes(request)) if _signed_in(request.user) else []
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
