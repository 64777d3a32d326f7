"""The one way a council-wide page refuses someone whose role does not include its purpose: a "forbidden" page
(403) that says why and where to go instead, decided by ``cases.access`` through the same per-request purposes the
navigation uses, so a page the navigation offers always opens and one it hides always refuses."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opencomplaints.cases.access import CouncilPurpose
from opencomplaints.web.context_processors import home_url, request_may

__all__ = ["REFUSALS", "Refusal", "purpose_required"]

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
    CouncilPurpose.REPORTS: Refusal(
        "You cannot see reports",
        "Reports are for the complaints team, adjudicators and directors, and report viewers.",
    ),
    CouncilPurpose.INTERCHANGE: Refusal(
        "You cannot import or export records",
        "Importing and exporting records is for staff who manage a council's complaints records.",
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
