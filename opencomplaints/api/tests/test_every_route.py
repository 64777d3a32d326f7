"""Every route under /api/, walked from the URL configuration: each one that reaches case data refuses an anonymous
request, a token scoped to another council and a system client of another council, for every method it answers,
and each read of case data is on the audit trail. A new route is either about cases (and so walked here) or named
in ``NO_CASE_DATA`` with its reason."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from rest_framework.test import APIClient

from opencomplaints.api.services import api_client_create, api_token_create
from opencomplaints.api.urls import urlpatterns
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.services import learning_action_create, ombudsman_case_register
from opencomplaints.cases.tests import factories as f
from opencomplaints.casework.services import document_upload
from opencomplaints.councils.models import CouncilMembership, Role

pytestmark = pytest.mark.django_db

#: Routes that read no case data, and why.
NO_CASE_DATA = {
    "api:v1:deadline-calculate": "works out dates from dates it is sent; reads no record",
    "api:tokens": "the person's own tokens, a signed-in page",
    "api:oauth-token": "gives a system's client an access token for its id and secret",
    "api:schema": "the OpenAPI description",
    "api:docs": "the browsable description",
}
#: What a read of case data is recorded as.
READ_EVENTS = {AuditEventType.CASE_VIEWED, AuditEventType.SEARCH_PERFORMED, AuditEventType.DOCUMENT_DOWNLOADED}
METHODS = ("get", "post", "put", "patch", "delete")


def _walk(patterns, prefix="/api/", namespace="api"):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}:{entry.name}", prefix + str(entry.pattern), entry.callback


ROUTES = list(_walk(urlpatterns))
#: Reports, imports and exports as jobs (api.jobs): each job is its requester's (an import also its council's
#: managers'), walked by ``test_no_job_route_answers_an_anonymous_request_or_another_council_s_credential``.
JOB_PREFIXES = ("/api/v1/reports/", "/api/v1/imports/", "/api/v1/exports/")
JOB_ROUTES = [(n, r, v) for n, r, v in ROUTES if n not in NO_CASE_DATA and r.startswith(JOB_PREFIXES)]
CASE_ROUTES = [(n, r, v) for n, r, v in ROUTES if n not in NO_CASE_DATA and not r.startswith(JOB_PREFIXES)]


def _methods(view) -> list[str]:
    handler = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if handler is None:
        return ["get", "post"]
    return [m for m in METHODS if hasattr(handler, m)]


def test_every_route_is_walked_or_named_with_its_reason():
    names = {name for name, _route, _view in ROUTES}
    assert set(NO_CASE_DATA) <= names, "a route named here no longer exists"
    for name, route, _view in CASE_ROUTES:
        assert route.startswith("/api/v1/cases/"), f"{name} ({route}) is not about cases: add it to NO_CASE_DATA"
    assert len(JOB_ROUTES) == 9, "a job route was added or removed: walk it"


@pytest.fixture
def world(council, other_council, complaints_manager):
    """One case of each shape in ``council``, with a document and a learning action; and the manager, also a
    member of ``other_council``, holding a token for that council only."""
    today = timezone.localdate()
    case = f.accepted(council, complaints_manager, received_date=today - timedelta(days=3))
    ombudsman = ombudsman_case_register(
        council=council, acting_user=complaints_manager, received_date=today, lgsco_reference="24 001 234"
    )
    file = SimpleUploadedFile("notes.txt", b"Notes of the call.\n", content_type="text/plain")
    document = document_upload(case=case, acting_user=complaints_manager, file=file, kind="other")
    action = learning_action_create(
        council=council, acting_user=complaints_manager, finding="Late letters", action="Weekly check", cases=[case]
    )
    CouncilMembership.objects.create(council=other_council, user=complaints_manager, role=Role.COMPLAINTS_MANAGER)
    return {"case": case, "ombudsman": ombudsman, "document": document, "action": action}


def _url(route: str, world) -> str:
    case = world["ombudsman"] if "ombudsman" in route else world["case"]
    values = {"case_id": case.pk, "number": 1, "document_id": world["document"].pk, "action_id": world["action"].pk}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def _client(token: str | None = None) -> APIClient:
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _token(user, **kwargs) -> str:
    return api_token_create(user=user, acting_user=user, name="Walk", scope="write", **kwargs)[1]


@pytest.mark.parametrize(("name", "route", "view"), CASE_ROUTES, ids=[name for name, _r, _v in CASE_ROUTES])
def test_no_route_gives_case_data_to_an_anonymous_request_or_another_council_s_token(
    name, route, view, world, complaints_manager, other_council
):
    url = _url(route, world)
    token = _client(_token(complaints_manager, councils=[other_council]))
    _row, client_id, secret = api_client_create(name="CRM", scope="write", councils=[other_council], acting_user=None)
    issued = _client().post("/api/oauth/token/", {"grant_type": "client_credentials", "client_id": client_id,
                                                  "client_secret": secret})  # fmt: skip
    system = _client(issued.json()["access_token"])
    reference = world["case"].reference
    for method in _methods(view):
        anonymous = getattr(_client(), method)(url, {}, format="json")
        assert anonymous.status_code in (401, 403), f"{method.upper()} {url} answered an anonymous request"
        assert reference not in anonymous.content.decode(errors="replace")
        for elsewhere in (token, system):
            other = getattr(elsewhere, method)(url, {}, format="json", HTTP_IF_MATCH='"case-0-v0"')
            body = b"" if other.streaming else other.content
            assert reference.encode() not in body, f"{method.upper()} {url} showed the case to another council"
            if url.rstrip("/").endswith("/cases"):
                assert other.status_code in (200, 400, 403), f"{method.upper()} {url}"
            else:
                assert other.status_code in (403, 404), f"{method.upper()} {url} answered {other.status_code}"


@pytest.mark.parametrize(
    ("name", "route", "view"),
    [r for r in CASE_ROUTES if "get" in _methods(r[2])],
    ids=[name for name, _r, view in CASE_ROUTES if "get" in _methods(view)],
)
def test_every_read_of_case_data_is_audited(name, route, view, world, complaints_manager):
    url = _url(route, world)
    reads = AuditEvent.objects.filter(acting_user=complaints_manager, event_type__in=READ_EVENTS)
    before = reads.count()
    response = _client(_token(complaints_manager)).get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    assert reads.count() > before, f"GET {url} read case data without an audit event"


@pytest.fixture
def jobs(council, other_council, complaints_manager, django_capture_on_commit_callbacks):
    """A finished report file, import and export of ``council`` (the manager's), and the manager also a member of
    ``other_council``."""
    from opencomplaints.interchange.export_files import export_file_request
    from opencomplaints.interchange.runs import import_run_create
    from opencomplaints.reporting.periods import reporting_year
    from opencomplaints.reporting.services import report_file_request

    f.accepted(council, complaints_manager)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        report = report_file_request(
            acting_user=complaints_manager, councils=[council], period=reporting_year(2025),
            procedure="children_statutory", basis="received", file_format="json", now=now,
        )  # fmt: skip
        export = export_file_request(acting_user=complaints_manager, councils=[council], file_format="csv", now=now)
    run = import_run_create(
        council=council, acting_user=complaints_manager, filename="walk.csv", data=b"ref\nW1\n",
        today=timezone.localdate(),
    )  # fmt: skip
    CouncilMembership.objects.create(council=other_council, user=complaints_manager, role=Role.COMPLAINTS_MANAGER)
    return {"report_file_id": report.pk, "export_file_id": export.pk, "run_id": run.pk}


@pytest.mark.parametrize(("name", "route", "view"), JOB_ROUTES, ids=[name for name, _r, _v in JOB_ROUTES])
def test_no_job_route_answers_an_anonymous_request_or_another_council_s_credential(
    name, route, view, jobs, complaints_manager, other_council
):
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(jobs[m.group(1)]), route)
    token = _client(_token(complaints_manager, councils=[other_council]))
    _row, client_id, secret = api_client_create(name="CRM", scope="write", councils=[other_council], acting_user=None)
    issued = _client().post("/api/oauth/token/", {"grant_type": "client_credentials", "client_id": client_id,
                                                  "client_secret": secret})  # fmt: skip
    system = _client(issued.json()["access_token"])
    for method in _methods(view):
        anonymous = getattr(_client(), method)(url, {}, format="json")
        assert anonymous.status_code in (401, 403), f"{method.upper()} {url} answered an anonymous request"
        for elsewhere in (token, system):
            other = getattr(elsewhere, method)(url, {}, format="json")
            body = b"" if other.streaming else other.content
            assert b"exampleton" not in body, f"{method.upper()} {url} showed another council's job"
            if "<" in route:
                assert other.status_code in (403, 404), f"{method.upper()} {url} answered {other.status_code}"
            else:  # starting a job: refused, or told what is wrong, never of the council it cannot reach
                assert other.status_code in (400, 403, 415), f"{method.upper()} {url} answered {other.status_code}"
