"""What every API endpoint on case data shares: the signed-in user, the cases the request may reach (the access
functions, narrowed to the credential's councils), one case by its id, and the case's ETag (its version,
``cases.concurrency``) with the If-Match check every change makes (docs/api.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from opencomplaints.accounts.models import User
from opencomplaints.api.authentication import credential_council_ids
from opencomplaints.api.errors import STALE
from opencomplaints.cases.access import CasePermissions, case_permissions, case_queryset_for_user
from opencomplaints.cases.models import Case
from opencomplaints.common.errors import DomainError, NotFoundError

__all__ = [
    "CASE_NOT_FOUND",
    "PreconditionFailed",
    "PreconditionRequired",
    "api_error",
    "case_etag",
    "case_for_request",
    "expected_version",
    "request_user",
    "visible_cases",
]

CASE_NOT_FOUND = "Case not found"
MISSING_IF_MATCH = "Send the case's ETag in If-Match, so a change made since you read it is not overwritten."


class PreconditionRequired(DomainError):
    """A change sent without If-Match: 428."""

    code = "precondition_required"


class PreconditionFailed(DomainError):
    """A change sent with an ETag the case no longer has: 412, nothing changed."""

    code = "stale"


def request_user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated ran first
    return user


def visible_cases(request: Request) -> QuerySet[Case]:
    """The cases the request may reach: those its user sees (``cases.access``), narrowed to the councils of its
    token or client."""
    cases = case_queryset_for_user(user=request_user(request))
    councils = credential_council_ids(request)
    if councils is not None:
        cases = cases.filter(council_id__in=councils)
    return cases


def case_for_request(request: Request, case_id: int | str) -> tuple[Case, CasePermissions]:
    """Case ``case_id`` and the user's permissions on it; a case the request may not reach is not found, as one that
    does not exist is. The id is read here rather than by the URL, so a malformed one gets the API's 404."""
    text = str(case_id)
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise NotFoundError(CASE_NOT_FOUND)
    case = visible_cases(request).select_related("council", "owner").filter(pk=int(text)).first()
    if case is None:
        raise NotFoundError(CASE_NOT_FOUND)
    return case, case_permissions(user=request_user(request), case=case)


def case_etag(case: Case) -> str:
    """The case's ETag: its id and version. Any change to the case or anything on it moves the version on."""
    return f'"case-{case.pk}-v{case.version}"'


def expected_version(request: Request, case: Case) -> int:
    """The version the request's If-Match says it read ``case`` at; raises 428 without one and 412 when it is not
    an ETag of this case. A version the case has moved on from is refused by ``cases.concurrency.check_version``
    inside the change's transaction, so two writers cannot both pass."""
    sent = (request.headers.get("If-Match") or "").strip()
    if not sent:
        raise PreconditionRequired(MISSING_IF_MATCH)
    prefix = f'"case-{case.pk}-v'
    version = sent.removeprefix("W/").removeprefix(prefix).removesuffix('"')
    if (
        not sent.removeprefix("W/").startswith(prefix)
        or not (version.isascii() and version.isdigit())
        or len(version) > 12
    ):
        raise PreconditionFailed(STALE)
    return int(version)


def api_error(code: int, name: str, message: str, field: str | None = None) -> Response:
    return Response({"error": {"code": name, "message": message, "field": field}}, status=code)


def respond_with_case(data: dict[str, Any], case: Case, code: int = status.HTTP_200_OK) -> Response:
    return Response(data, status=code, headers={"ETag": case_etag(case)})
