"""What a request's user may do across councils, decided by ``cases.access``: the council-wide purposes they hold,
asked once a request; the main sections those purposes open (the service navigation ``web`` draws from them) and
where home is; and the one way a council-wide page refuses someone whose role does not include its purpose: a
"forbidden" page (403) that says why and where to go instead. A page the navigation offers always opens and one it
hides always refuses. The feature apps' views use it, so it sits below them, beside the access functions it asks."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Exists
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose

__all__ = [
    "NAVIGATION",
    "REFUSALS",
    "Refusal",
    "Section",
    "home_url",
    "purpose_required",
    "purposes_for_user",
    "request_may",
    "request_purposes",
    "sections_allowed",
    "signed_in",
]


@dataclass(frozen=True)
class Section:
    """One of the main sections in the service navigation. ``purpose`` is the council-wide purpose its view asks
    ``councils_for_purpose`` about before answering; ``None`` for a page every signed-in user may open."""

    text: str
    url_name: str
    purpose: CouncilPurpose | None = None
    # Whether the home page may send someone here: not to a configuration page (a system administrator's home is
    # the admin site).
    landing: bool = True


# The main sections, in the order they appear in the service navigation. The first one a person may open is where
# the home page sends them (``home_url``).
NAVIGATION = (
    Section("Cases", "tracker:case-list", CouncilPurpose.CASES),
    Section("My cases", "tracker:my-cases", CouncilPurpose.CASES),
    Section("Search", "tracker:search", CouncilPurpose.CASES),
    Section("Learning actions", "tracker:learning-action-list", CouncilPurpose.LEARNING),
    Section("Ombudsman", "tracker:ombudsman-list", CouncilPurpose.OMBUDSMAN),
    Section("Remedies", "tracker:remedy-list", CouncilPurpose.REMEDIES),
    Section("Deadline calculator", "web:deadline-calculator"),
    Section("Register", "casework:register", CouncilPurpose.REGISTER),
    Section("Inbox", "correspondence:inbox", CouncilPurpose.REGISTER),
    Section("Reports", "reporting:report", CouncilPurpose.REPORTS),
    Section("Complaint Handling Code", "handlingcode:self-assessment", CouncilPurpose.REPORTS),
    Section("Import and export", "interchange:import-list", CouncilPurpose.INTERCHANGE),
    Section("Dashboard", "tracker:dashboard", CouncilPurpose.ALLOCATE),
    Section("Workload", "tracker:workload", CouncilPurpose.ALLOCATE),
    Section("Letter templates", "correspondence:templates", CouncilPurpose.LETTERS, landing=False),
    Section("Contacts", "web:contact-list", CouncilPurpose.CONTACTS, landing=False),
)

# Where it keeps the purposes its user may do, asked once for the view's own check and the navigation alike.
_PURPOSES_ATTRIBUTE = "_opencomplaints_purposes"


def purposes_for_user(*, user: User, purposes: Iterable[CouncilPurpose]) -> frozenset[CouncilPurpose]:
    """Which of ``purposes`` ``user`` has at least one council for, as the views decide it
    (``councils_for_purpose``), asked in one query: one ``EXISTS`` per purpose."""
    wanted = sorted(set(purposes))
    if not wanted:
        return frozenset()
    checks = {f"may_{purpose.value}": Exists(councils_for_purpose(user=user, purpose=purpose)) for purpose in wanted}
    row = User.objects.filter(pk=user.pk).values(**checks).first() or {}
    return frozenset(purpose for purpose in wanted if row.get(f"may_{purpose.value}"))


def signed_in(user: object) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def request_purposes(request: HttpRequest) -> frozenset[CouncilPurpose]:
    """Which council-wide purposes ``request``'s user may do (``councils_for_purpose``), asked once a request in
    one query, so a view that checks its purpose and the navigation on its page share that query."""
    cached: frozenset[CouncilPurpose] | None = getattr(request, _PURPOSES_ATTRIBUTE, None)
    if cached is None:
        user = signed_in(request.user)
        cached = frozenset() if user is None else purposes_for_user(user=user, purposes=CouncilPurpose)
        setattr(request, _PURPOSES_ATTRIBUTE, cached)
    return cached


def request_may(request: HttpRequest, purpose: CouncilPurpose) -> bool:
    """Whether ``request``'s user holds a role that may do ``purpose`` in at least one council."""
    return purpose in request_purposes(request)


def sections_allowed(allowed: frozenset[CouncilPurpose]) -> list[Section]:
    """The sections someone who may do ``allowed`` may open: only those whose view would let them in, so the
    navigation never offers a page that answers "forbidden" or "not found"."""
    return [section for section in NAVIGATION if section.purpose is None or section.purpose in allowed]


def home_url(request: HttpRequest) -> str:
    """Where the home page (the tracker) sends ``request``'s user if their role sees no case: the first section of
    their own (a report viewer's reports); for someone with none, the admin site if they may use it (a system
    administrator configures the service), or else the deadline calculator, the page every signed-in person has."""
    user = signed_in(request.user)
    sections = [
        section
        for section in sections_allowed(request_purposes(request))
        if section.purpose is not None and section.landing
    ]
    if sections:
        return reverse(sections[0].url_name)
    if user is not None and user.is_staff:
        return reverse("admin:index")
    return reverse("web:deadline-calculator")


View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Refusal:
    """What the "forbidden" page says to someone whose role does not include a page's purpose."""

    title: str
    reason: str


REFUSALS: dict[CouncilPurpose, Refusal] = {
    CouncilPurpose.CASES: Refusal(
        "You cannot see cases", "Your role does not let you see any case, so there are no cases to list or search."
    ),
    CouncilPurpose.LEARNING: Refusal(
        "You cannot see learning actions",
        "Learning actions are for the complaints team, investigating managers and adjudicators.",
    ),
    CouncilPurpose.OMBUDSMAN: Refusal(
        "You cannot see Ombudsman cases",
        "Ombudsman cases are for the complaints team and the investigating managers who own them.",
    ),
    CouncilPurpose.REMEDIES: Refusal(
        "You cannot see the remedies outstanding",
        "The list of remedies still to be paid or delivered is for the complaints team.",
    ),
    CouncilPurpose.REPORTS: Refusal(
        "You cannot see reports",
        "Reports are for the complaints team, adjudicators and directors, and report viewers.",
    ),
    CouncilPurpose.REGISTER: Refusal(
        "You cannot register cases or send letters",
        "Registering cases and sending the council's letters is for the complaints team.",
    ),
    CouncilPurpose.LETTERS: Refusal(
        "You cannot change the council's letters",
        "The words of the council's letters are kept by its complaints managers.",
    ),
    CouncilPurpose.INTERCHANGE: Refusal(
        "You cannot import or export records",
        "Importing and exporting records is for staff who manage a council's complaints records.",
    ),
    CouncilPurpose.CONTACTS: Refusal(
        "You cannot change the council's contacts",
        "The council's contacts, the people outside it appointed without an account, are kept by its complaints "
        "managers.",
    ),
    CouncilPurpose.ALLOCATE: Refusal(
        "You cannot allocate cases or see the team's workload",
        "Giving cases to officers, the workload page and the dashboard are for complaints managers and officers.",
    ),
}


def purpose_required(purpose: CouncilPurpose) -> Callable[[View], View]:
    """Signed in, with a role that includes ``purpose`` in at least one council; anyone else gets the "forbidden"
    page, which changes nothing, rather than a page that could only ever be empty."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request_may(request, purpose):
                context = {"refusal": REFUSALS[purpose], "home_href": home_url(request)}
                return render(request, "web/forbidden.html", context, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
