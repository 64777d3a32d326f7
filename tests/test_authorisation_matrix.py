"""The authorisation matrix: every URL of the site, requested as every persona (and anonymously), on a case of
their own council, on another council's case and on a restricted case, gives the answer declared here.

``EXPECTED[url_name][role]`` is ``{"own": status, "other": status, "restricted": status}`` for a URL about a case,
``{"any": status}`` for one that is not. A URL the resolver knows but this file does not fails the test, naming
it: a new page is not finished until someone has decided who may use it. POSTs to case actions are sent for every
role refused on GET, and must be refused the same way without changing anything.

The tables below are the decisions of ADR 0005 written out by hand (not computed from ``cases.access``), so a
change to the access rules that is not also made here fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from opencomplaints.audit.models import AuditEvent
from opencomplaints.audit.services.reads import READ_EVENT_TYPES
from opencomplaints.cases.tests.access_world import World, world_fixture
from opencomplaints.interchange.models import ImportRun

pytestmark = pytest.mark.django_db

world = pytest.fixture(scope="module")(world_fixture)

ANONYMOUS = "anonymous"
M, O, IM, IO, IP = (  # noqa: E741 - O is the officer, as M is the manager
    "complaints_manager",
    "complaints_officer",
    "investigating_manager",
    "investigating_officer",
    "independent_person",
)
ADJ, PANEL, RV, SA, OTHER = (
    "adjudicator",
    "panel_member",
    "report_viewer",
    "system_administrator",
    "other_council_officer",
)
ROLES = (ANONYMOUS, M, O, IM, IO, IP, ADJ, PANEL, RV, SA, OTHER)
SIGNED_IN = ROLES[1:]

# -- who sees each case of the world (cases.tests.access_world) ------------------------------------------------

SEES = {
    "stage1": {M, O, IM},
    "stage2": {M, O, IO, IP, ADJ},
    "stage3": {M, O, ADJ, PANEL},
    "enquiry": {M, O},
    "ombudsman": {M, O},
}

# The API's records on a case (the world's case each is asked about) and its actions (POST only).
API_RECORDS = {
    "note-list": "stage1",
    "document-list": "stage1",
    "document-file": "stage1",
    "learning-action-list": "stage1",
    "learning-action-detail": "stage1",
    "ombudsman-detail": "ombudsman",
}
API_ACTIONS = ("stage-acknowledge", "stage-extend", "stage-hold", "stage-resume", "stage-respond", "complaint-escalate")

# -- case URLs: the case (and stage) each is asked about, and who may use it there -----------------------------


@dataclass(frozen=True)
class CaseUrl:
    case: str  # a case of the world
    allowed: frozenset[str]  # the roles that get ``ok``
    stage: int | None = None
    ok: int = 200  # the answer to a role allowed to use it (a GET of its page)
    restricted: bool = False  # also asked about the restricted case
    get_only: bool = False  # a POST is refused (405) before anything else, for everyone


TEAM = frozenset({M, O})


def _case_urls() -> dict[str, CaseUrl]:
    stage1 = {
        name: CaseUrl("stage1", TEAM | {IM}, stage=1)
        for name in (
            "stage-extend",
            "stage-hold",
            "stage-resume",
            "stage-acknowledge",
            "stage-respond",
        )
    }
    complaint = {
        name: CaseUrl("stage1", TEAM)
        for name in (
            "complaint-accept",
            "complaint-decline",
            "complaint-escalate",
            "complaint-withdraw",
            "complaint-close",
            "complaint-reopen",
            "case-support",
            "case-owner-change",
            "case-note-add",
            "case-note-change",
            "case-summary-change",
            "case-topic-change",
            "case-received-via-change",
            "case-received-date-change",
            "complainant-name-change",
            "complainant-contact-change",
            "complainant-type-change",
            "child-details-change",
            "child-support-change",
            "complainant-interest-decide",
            "remedy-propose",
            "remedy-change",
            "remedy-pay",
            "remedy-not-delivered",
            "learning-action-update",
            "learning-action-complete",
            "learning-action-not-implemented",
        )
    }
    stage2 = {
        name: CaseUrl("stage2", TEAM, stage=2)
        for name in (
            "stage2-appoint",
            "stage2-statement",
            "stage2-report",
        )
    }
    stage3 = {
        name: CaseUrl("stage3", TEAM, stage=3)
        for name in (
            "stage3-panel-appoint",
            "stage3-panel-schedule",
            "stage3-panel-record",
            "stage3-report",
        )
    }
    ombudsman = {
        name: CaseUrl("ombudsman", TEAM)
        for name in (
            "ombudsman-decision",
            "ombudsman-compliance",
            "ombudsman-enquiry-respond",
        )
    }
    managers = {
        name: CaseUrl("stage1", frozenset({M}))
        for name in (
            "case-access-log",
            "case-restrict",
            "case-unrestrict",
            "case-access-grant",
            "case-access-revoke",
        )
    }
    return {
        "case-detail": CaseUrl("stage2", frozenset(SEES["stage2"]), restricted=True, get_only=True),
        **stage1,
        **complaint,
        "stage-respond": CaseUrl("stage1", TEAM | {IM}, stage=1, restricted=True),
        "complaint-close": CaseUrl("stage1", TEAM, restricted=True),
        "learning-action-create": CaseUrl("stage1", TEAM | {IM}),
        **stage2,
        "stage2-adjudicate": CaseUrl("stage2", TEAM | {ADJ}, stage=2),
        # A remedy is approved by a complaints manager or the adjudicator, never by a complaints officer (ADR 0020).
        "remedy-approve": CaseUrl("stage2", frozenset({M, ADJ})),
        **stage3,
        "stage3-respond": CaseUrl("stage3", TEAM | {ADJ}, stage=3),
        "representation-respond": CaseUrl("enquiry", TEAM),
        **ombudsman,
        **managers,
        "case-access-log": CaseUrl("stage1", frozenset({M}), restricted=True, get_only=True),
        "document-upload": CaseUrl("stage2", frozenset(SEES["stage2"]), restricted=True),
        "document-download": CaseUrl("stage2", frozenset(SEES["stage2"]), restricted=True, get_only=True),
        # A message is read by those who see the whole case; one that failed is resent by the complaints team.
        "message-detail": CaseUrl("stage1", TEAM | {IM}, get_only=True),
        "message-retry": CaseUrl("stage1", TEAM),
        "message-mark-sent": CaseUrl("stage1", TEAM),
        # The points of complaint the stage 1 response answers one by one: the team's and the investigating manager
        # answering the stage; the response to recommendations is the team's and the director's (R1.33).
        "complaint-point-add": CaseUrl("stage1", TEAM | {IM}),
        "complaint-point-change": CaseUrl("stage1", TEAM | {IM}),
        "complaint-point-remove": CaseUrl("stage1", TEAM | {IM}),
        "recommendation-respond": CaseUrl("stage2", TEAM | {ADJ}),
        "recommendation-done": CaseUrl("stage2", TEAM),
        "case-linked-change": CaseUrl("stage1", TEAM),
    }


CASE_URLS = _case_urls()


def _case_expectation(spec: CaseUrl, name: str) -> dict[str, dict[str, int]]:
    expected: dict[str, dict[str, int]] = {}
    for role in ROLES:
        if role == ANONYMOUS:
            own = other = restricted = 302  # to sign in
        else:
            own = spec.ok if role in spec.allowed else 403 if role in SEES[spec.case] else 404
            other = 404  # another council's case
            # The complaints officer is named on the restricted case; a complaints manager not named on it is
            # sent from its page to ask for emergency access; for everyone else it does not exist.
            restricted = 404
            named = {"case-detail", "stage-respond", "complaint-close", "document-upload", "document-download"}
            if role == O and name in named:
                restricted = 200
            elif role == O and name == "case-access-log":
                restricted = 403
            elif role == M and name == "case-detail":
                restricted = 302
        # Northby's officer's "own" is our case; their own council's cases are tested by the rest of the suite.
        expected[role] = {"own": own} if role == OTHER else {"own": own, "other": other}
        if spec.restricted:
            expected[role]["restricted"] = restricted
    return expected


# -- URLs not about one case: {"any": status} for each role --------------------------------------------------


def _each(default: int, *, anonymous: int = 302, **roles: int) -> dict[str, dict[str, int]]:
    return {role: {"any": anonymous if role == ANONYMOUS else roles.get(role, default)} for role in ROLES}


def _only(
    allowed: set[str], *, ok: int = 200, refused: int, anonymous: int = 302, **roles: int
) -> dict[str, dict[str, int]]:
    """``ok`` for the ``allowed`` roles, ``refused`` for the others, and the answers named for ``roles``."""
    return {
        role: {"any": anonymous if role == ANONYMOUS else roles.get(role, ok if role in allowed else refused)}
        for role in ROLES
    }


REPORTS = {M, O, ADJ, RV}
REGISTER = {M, O, OTHER}
CASE_LISTS = {M, O, IM, IO, IP, ADJ, PANEL, OTHER}
# Learning actions are the council's complaints team's, its investigating managers' and its adjudicators'; Ombudsman
# cases (no stages, so no appointees; not complaints, so no adjudicator) the team's and their owners'.
LEARNING = {M, O, IM, ADJ, OTHER}
OMBUDSMAN = {M, O, IM, OTHER}
# Giving cases to officers, the workload page and the dashboard: the council's complaints team.
ALLOCATE = {M, O, OTHER}

EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    **{f"casework:{name}": _case_expectation(spec, name) for name, spec in CASE_URLS.items()},
    # Emergency access: only a complaints manager of the council, only to a restricted case not named on.
    "casework:case-break-glass": {
        role: {
            "own": 302 if role == ANONYMOUS else 200 if role == M else 404,
            "other": 302 if role == ANONYMOUS else 404,
        }
        for role in ROLES
    },
    # The case lists are for the roles that see cases, each listing only the cases their role sees; report viewers and
    # system administrators, who never see a case, are refused them. The tracker is also the home page, so it sends
    # them to a page of their own instead (the reports; the admin site for a superuser).
    "tracker:case-list": _only(CASE_LISTS, refused=302),
    "tracker:my-cases": _only(CASE_LISTS, refused=403),
    "tracker:case-export": _only(CASE_LISTS, refused=403),
    "tracker:search": _only(CASE_LISTS, refused=403),
    "tracker:learning-action-list": _only(LEARNING, refused=403),
    "tracker:ombudsman-list": _only(OMBUDSMAN, refused=403),
    # Remedies approved and not yet paid: the complaints team's (ADR 0020).
    "tracker:remedy-list": _only({M, O, OTHER}, refused=403),
    # Allocation and saved views are forms posted from the tracker: asked for with GET, they answer 405.
    "tracker:case-allocate": _only(ALLOCATE, ok=405, refused=403),
    "tracker:workload": _only(ALLOCATE, refused=403),
    "tracker:dashboard": _only(ALLOCATE, refused=403),
    "tracker:saved-view-create": _only(CASE_LISTS, ok=405, refused=403),
    "tracker:saved-view-delete": _only(CASE_LISTS, ok=405, refused=403),
    # The calendar reads no case data: every signed-in person has it.
    "web:deadline-calculator": _each(200),
    # Aggregate reports, no personal data.
    "reporting:report": _only(REPORTS | {OTHER}, refused=403),
    "reporting:table-builder": _only(REPORTS | {OTHER}, refused=403),
    # Report files: asked for by POST; each file is its requester's alone (here the complaints manager's).
    "reporting:report-file-request": _only(REPORTS | {OTHER}, ok=405, refused=403),  # POST only
    "reporting:report-file-list": _only(REPORTS | {OTHER}, refused=403),
    "reporting:report-file-detail": _only({M}, refused=404),
    "reporting:report-file-status": _only({M}, refused=404),
    "reporting:report-file-download": _only({M}, refused=404),
    # The publication workflow (docs/adr/0015): read by the roles with reports; a report is its council's (another
    # council's officer is told it does not exist); the steps are POSTs, whose services check who may take each
    # (reporting/tests/test_publication*.py). The world's report is a draft, so it has no published file yet.
    "reporting:report-draft-list": _only(REPORTS | {OTHER}, refused=403),
    "reporting:report-draft-detail": _only(REPORTS, refused=403, **{OTHER: 404}),
    **{
        f"reporting:report-draft-{step}": _only(REPORTS | {OTHER}, ok=405, refused=403)
        for step in ("narrative", "context", "quote", "return", "reproduce", "transition")
    },
    "reporting:report-draft-download": _only(REPORTS | {OTHER}, ok=404, refused=403),
    # The Complaint Handling Code: read by the roles with reports; changed by the council's complaints managers only
    # (the answer page needs a self-assessment started, which the world has not: 404 for the manager).
    "handlingcode:self-assessment": _only(REPORTS | {OTHER}, refused=403),
    "handlingcode:answer": _only({M}, ok=404, refused=403),
    "handlingcode:ombudsman-letter": _only(REPORTS | {OTHER}, refused=403),
    "handlingcode:evidence-download": _only(REPORTS | {OTHER}, ok=404, refused=403),  # no evidence in the world
    "handlingcode:report-download": _only(REPORTS | {OTHER}, refused=403),
    # Registering is the complaints team's.
    "casework:register": _only(REGISTER, refused=403),
    "casework:complaint-register": _only(REGISTER, refused=403),
    "casework:ombudsman-register": _only(REGISTER, refused=403),
    "casework:representation-register": _only(REGISTER, refused=403),
    # Imports and exports move every record of a council: complaints managers only.
    # A system administrator (a superuser) may start the first import into an empty installation, so sees the list
    # of the runs they started; the complaints manager's run is not theirs (404).
    "interchange:import-list": _only({M, SA}, refused=403),
    # The whole-history archive is imported by a system administrator (a superuser), as setting up a council is;
    # its import's page is theirs too (the world's run is the manager's records import: not the administrator's).
    "interchange:archive-import": _only({SA}, refused=403),
    "interchange:archive-import-detail": _only(set(), refused=403, system_administrator=404),
    "interchange:import-create": _only({M}, refused=403),
    "interchange:records-export": _only({M}, refused=403),
    "interchange:subject-access-export": _only({M}, refused=403),
    "interchange:import-detail": _only({M}, refused=403, system_administrator=404),
    "interchange:import-mapping-save": _only({M}, ok=405, refused=403, system_administrator=405),  # POST only
    "interchange:import-confirm": _only({M}, ok=405, refused=403, system_administrator=405),  # POST only
    "interchange:import-progress": _only({M}, ok=302, refused=403, system_administrator=404),  # finished: to its report
    "interchange:import-status": _only({M}, refused=403, system_administrator=404),
    "interchange:import-errors": _only(
        {M}, ok=404, refused=403, system_administrator=404
    ),  # a clean file has no problems to list
    # The API computes dates from dates; it reads no case data. A GET of the POST-only endpoint is 405.
    "api:v1:deadline-calculate": _each(405, anonymous=401),
    # Cases through the API (signed in by the session here; tokens in api/tests): the list holds only what each
    # may see, and one case answers as its page does, 404 for those who may not see it.
    "api:v1:case-list": _each(200, anonymous=401),
    # Reports, imports and exports as jobs (api/jobs.py, api/tests/test_jobs_api.py): started by POST (a GET is
    # 405); each job is its requester's (here the complaints manager's), not found for anyone else.
    **{f"api:v1:{name}-start": _each(405, anonymous=401) for name in ("report", "import", "export")},
    "api:v1:import-confirm": _each(405, anonymous=401),
    **{
        f"api:v1:{name}": _only({M}, refused=404, anonymous=401)
        for name in ("report-detail", "report-file", "import-detail", "export-detail", "export-file")
    },
    # Everyone's own API tokens, beside their two-factor sign-in.
    "api:tokens": _each(200),
    "api:v1:case-detail": {
        role: {"any": 401 if role == ANONYMOUS else 200 if role in SEES["stage1"] else 404} for role in ROLES
    },
    # What is recorded on a case, through the API (api/records.py): as the case's page, 404 for those who may not
    # see the case (the world's stage 1 complaint; the Ombudsman case for its details).
    **{
        f"api:v1:{name}": {
            role: {"any": 401 if role == ANONYMOUS else 200 if role in SEES[case] else 404} for role in ROLES
        }
        for name, case in API_RECORDS.items()
    },
    # The stage and case actions through the API take POST only (api/tests/test_actions_api.py): a GET is 405.
    **{f"api:v1:{name}": _each(405, anonymous=401) for name in API_ACTIONS},
    # A system's client asks for its access token by POST with its id and secret; no session is read.
    "api:oauth-token": _each(405, anonymous=405),
    # The API's description (no data) is public, like the documentation of any public API.
    "api:schema": _each(200, anonymous=200),
    "api:docs": _each(200, anonymous=200),
    # Health checks for the load balancer and the container, and metrics (behind a token, so 404 without one): no
    # personal data, the same answer whoever asks (web/tests/test_health.py, web/tests/test_metrics.py).
    "web:health-live": _each(200, anonymous=200),
    "web:metrics": _each(404, anonymous=404),
    # The day's letters for post: the complaints team's, as registering is.
    "correspondence:print-queue": _only(REGISTER, refused=403),
    # The inbox of email that quoted no case: the complaints team's, as registering is. Each email is asked about
    # below (the world has none).
    "correspondence:inbox": _only(REGISTER, refused=403),
    # The words of the council's letters, its letterhead and signature: configuration, kept by its complaints
    # managers and its system administrator.
    "correspondence:templates": _only({M, SA}, refused=403),
    "correspondence:template-edit": _only({M, SA}, refused=403),
    "correspondence:letter-settings": _only({M, SA}, refused=403),
    # GOV.UK Notify's delivery receipts: POST only, behind Notify's bearer token (notifications/tests/test_delivery.py).
    "notifications:notify-receipt": _each(405, anonymous=405),
    # Everyone's own two-factor sign-in: their app, their recovery codes, and a new set after a code from the app.
    "accounts:security": _each(200),
    "accounts:recovery-codes": _each(200),
    # Moving their own app to a new phone, behind their password (accounts/tests/test_authenticator_replace.py).
    "accounts:authenticator-replace": _each(200),
    # Role requests (docs/security.md): the system administrators' own page; deciding is a POST, refused to all but
    # administrators (councils/tests/test_role_requests.py).
    "web:role-requests": _only({SA}, refused=403),
    "web:role-request-decide": _each(405),
    # The council's contacts, people appointed without an account: kept by its complaints managers and its system
    # administrator (docs/adr/0032). A contact of no council of theirs is not found.
    "web:contact-list": _only({M, SA}, refused=403),
    "web:contact-add": _only({M, SA}, refused=403),
    "web:contact-change": _only({M, SA}, ok=404, refused=403),
    "web:contact-deactivate": _only({M, SA}, ok=405, refused=403),
}

# The public portal: the same answer for everyone, signed in or not (it never depends on who is signed in).
PUBLIC = frozenset(
    {
        "portal:complaint-start",
        "portal:complaint-council-start",
        "portal:complaint-confirmation",
        "portal:complaint-check",
        "portal:complaint-question",
        "portal:compliment-start",
        "portal:compliment-council-start",
        "portal:compliment-confirmation",
        "portal:compliment-check",
        "portal:compliment-question",
        "portal:follow-link-request",
        "portal:follow-link-sent",
        "portal:follow-detail",
        "portal:follow-document-add",
        "portal:follow-feedback-give",
    }
)
# Signing in and out, two-factor and single sign-on are the sign-in work's (issue 7, part B), tested there; here
# only that none of them fails for anyone.
SIGN_IN = {
    "accounts:login",
    "accounts:logout",
    "accounts:two-factor-verify",
    "accounts:two-factor-enrol",
    "accounts:oidc-start",
    "accounts:oidc-callback",
}
# The admin site is one group: Django's own permission checks, for staff; tested through its index below.
ADMIN_NAMESPACE = "admin:"

# -- the URLs the resolver knows -------------------------------------------------------------------------------


def url_names(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


# Letters on a case, asked about below with a letter of each case (the world has none).
LETTER_URLS = ("correspondence:compose", "correspondence:letter-edit", "correspondence:letter-preview")
# Adding an email file to a case, and one email of the inbox: asked about below with the world's cases.
EMAIL_URLS = {"correspondence:email-add", "correspondence:inbox-email"}
# Readiness depends on the worker's heartbeat, so its answer is the health tests' (web/tests/test_health.py).
OPERATIONS = {"web:health-ready"}


def test_every_url_has_an_entry_in_the_matrix():
    covered = (
        set(EXPECTED) | PUBLIC | SIGN_IN | set(LETTER_URLS) | {"correspondence:letter-file"} | OPERATIONS | EMAIL_URLS
    )
    missing = sorted(n for n in set(url_names()) if n not in covered and not n.startswith(ADMIN_NAMESPACE))
    assert not missing, (
        "These URLs have no entry in tests/test_authorisation_matrix.py; decide who may use them and add them: "
        + ", ".join(missing)
    )
    stale = sorted(set(EXPECTED) - set(url_names()))
    assert not stale, "These entries name URLs that no longer exist: " + ", ".join(stale)


def test_every_role_is_in_every_entry():
    for name, roles in EXPECTED.items():
        assert set(roles) == set(ROLES), name


# -- concrete URLs -------------------------------------------------------------------------------------------


def _case_kwargs(world: World, name: str, case_key: str, stage_number: int | None) -> dict[str, Any]:
    case = getattr(world, case_key)
    kwargs: dict[str, Any] = {"case_id": case.pk}
    if stage_number is not None:
        stage = case.stages.filter(number=stage_number).first() or case.stages.order_by("number").first()
        kwargs["stage_id"] = stage.pk
    if name.startswith("complainant-"):
        kwargs["complainant_id"] = case.complainants.first().pk
    if name.startswith("learning-action-") and name != "learning-action-create":
        kwargs["action_id"] = case.learning_actions.first().pk
    if name.startswith("child-"):
        from opencomplaints.cases.models import CaseChild, Person

        child = case.children.first() or CaseChild.objects.create(
            case=case, person=Person.objects.create(council=case.council, first_name="Sam", last_name="Example")
        )
        kwargs["child_id"] = child.pk
    if name == "case-note-change":
        from opencomplaints.cases.models import CaseNote

        note = CaseNote.objects.filter(case=case).first() or CaseNote.objects.create(
            case=case, author=world.users[M], kind="call", occurred_at=case.created_at, summary="Called back"
        )
        kwargs["note_id"] = note.pk
    if name.startswith("remedy-") and name != "remedy-propose":
        from opencomplaints.cases.models import Remedy
        from opencomplaints.councils.models import RemedyType

        apology, _ = RemedyType.objects.get_or_create(council=case.council, code="apology", name="Apology")
        remedy = case.remedies.first() or Remedy.objects.create(case=case, remedy_type=apology)
        kwargs["remedy_id"] = remedy.pk
    if name.startswith("complaint-point-") and name != "complaint-point-add":
        from opencomplaints.cases.models import ComplaintPoint

        point = case.points.first() or ComplaintPoint.objects.create(
            case=case, number=1, description="Nobody returned the calls."
        )
        kwargs["point_id"] = point.pk
    if name.startswith("recommendation-"):
        from opencomplaints.cases.models import Recommendation

        stage = case.stages.order_by("-number").first()
        recommendation = Recommendation.objects.filter(stage__case=case).first() or Recommendation.objects.create(
            stage=stage, number=1, text="Apologise for the delay."
        )
        kwargs["recommendation_id"] = recommendation.pk
    if name == "document-download":
        kwargs["document_id"] = case.documents.order_by("-stage__number").first().pk
    if name == "case-access-revoke":
        kwargs["grant_id"] = case.access_grants.first().pk if case.access_grants.exists() else world.grant.pk
    if name.startswith("message-"):
        kwargs["message_id"] = _failed_message(case).pk
    return kwargs


def _failed_message(case: Any) -> Any:
    """A letter about ``case`` that could not be sent (made here, in the test's savepoint: the world has none)."""
    from opencomplaints.notifications.models import Message, MessageStatus

    message, _ = Message.objects.get_or_create(
        idempotency_key=f"matrix:{case.pk}",
        defaults={
            "case": case,
            "channel": "letter",
            "template_key": "hold_letter",
            "recipient": "1 High Street\nExampleton",
            "subject": "Your complaint is on hold",
            "body": "Hello,\n\nWe have put your complaint on hold.",
            "status": MessageStatus.FAILED,
        },
    )
    assert message.status == MessageStatus.FAILED
    return message


def case_url(world: World, name: str, variant: str) -> str:
    if name == "case-break-glass":
        case_key = {"own": "restricted", "other": "other"}[variant]
        return reverse(f"casework:{name}", kwargs={"case_id": getattr(world, case_key).pk})
    spec = CASE_URLS[name]
    case_key = {"own": spec.case, "other": "other", "restricted": "restricted"}[variant]
    return reverse(f"casework:{name}", kwargs=_case_kwargs(world, name, case_key, spec.stage))


def _api_kwargs(world: World, name: str) -> dict[str, int]:
    case = world.ombudsman if name == "ombudsman-detail" else world.stage1
    kwargs = {"case_id": case.pk}
    if name.startswith("stage-"):
        kwargs["number"] = 1
    if name == "document-file":
        kwargs["document_id"] = world.documents["stage1"].pk
    if name == "learning-action-detail":
        kwargs["action_id"] = world.stage1.learning_actions.get().pk
    return kwargs


REPORT_QUERY = "?council=exampleton&year=2022&procedure=children_statutory&basis=received"


def other_url(world: World, name: str, run: ImportRun, export_file: Any = None) -> str:
    if name in {"interchange:archive-import-detail", "api:v1:import-detail", "api:v1:import-confirm"}:
        return reverse(name, kwargs={"run_id": run.pk})
    if name in {"api:v1:report-detail", "api:v1:report-file"}:
        from opencomplaints.reporting.tests.files import ready_report_file

        made = ready_report_file(world.users[M], [world.council], reuse=True)
        return reverse(name, kwargs={"report_file_id": made.pk})
    if name in {"api:v1:export-detail", "api:v1:export-file"}:
        return reverse(name, kwargs={"export_file_id": export_file.pk})
    if name == "web:role-request-decide":
        return reverse(name, kwargs={"role_request_id": 999_999})
    if name in {"web:contact-change", "web:contact-deactivate"}:
        return reverse(name, kwargs={"contact_id": 999_999})
    if name == "casework:representation-register":
        return reverse(name, kwargs={"kind": "query"})
    if name.startswith("interchange:import-") and name not in {"interchange:import-list", "interchange:import-create"}:
        return reverse(name, kwargs={"run_id": run.pk})
    if name in {"reporting:report-file-detail", "reporting:report-file-status", "reporting:report-file-download"}:
        from opencomplaints.reporting.tests.files import ready_report_file

        made = ready_report_file(world.users[M], [world.council], reuse=True)
        return reverse(name, kwargs={"report_file_id": made.pk})
    if name == "reporting:report":
        return reverse(name) + REPORT_QUERY
    if name.startswith("reporting:report-draft-") and name != "reporting:report-draft-list":
        from opencomplaints.reporting.models import ReportDraft

        draft, _ = ReportDraft.objects.get_or_create(council=world.council, procedure="children_statutory", year=2022)
        kwargs: dict[str, Any] = {"draft_id": draft.pk}
        if name == "reporting:report-draft-transition":
            kwargs["step"] = "submit"
        if name == "reporting:report-draft-download":
            kwargs["file_format"] = "pdf"
        if name == "reporting:report-draft-quote":
            kwargs["compliment_id"] = 999_999
        return reverse(name, kwargs=kwargs)
    if name == "api:v1:case-detail":
        return reverse(name, kwargs={"case_id": world.stage1.pk})
    if name == "correspondence:template-edit":
        return reverse(name, kwargs={"step": "acknowledgement", "audience": "adult"})
    if name.removeprefix("api:v1:") in {*API_RECORDS, *API_ACTIONS}:
        return reverse(name, kwargs=_api_kwargs(world, name.removeprefix("api:v1:")))
    if name == "tracker:saved-view-delete":
        return reverse(name, kwargs={"pk": 999_999})
    return reverse(name)


# -- asking ------------------------------------------------------------------------------------------------------


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    return client


def _changes() -> list[tuple[int, str]]:
    """Every change on the audit trail: everything but the records of reads (the 700s and downloads)."""
    changes = AuditEvent.objects.exclude(event_type__range=(700, 799)).exclude(event_type__in=READ_EVENT_TYPES)
    return list(changes.values_list("event_type", "summary"))


@pytest.fixture
def import_run(world):
    from opencomplaints.interchange.runs import import_run_create
    from opencomplaints.interchange.tests.test_views import HAND_BUILT

    return import_run_create(
        council=world.council,
        acting_user=world.users[M],
        filename="records.csv",
        data=HAND_BUILT.encode(),
        today=world.stage1.received_date,
    )


@pytest.fixture
def export_file(world, settings):
    """A records export the complaints manager asked for through the API, made (before the matrix counts changes)."""
    from opencomplaints.interchange.export_files import export_file_build, export_file_request

    settings.MEDIA_ROOT = world.media_root
    from django.utils import timezone

    asked = export_file_request(
        acting_user=world.users[M], councils=[world.council], file_format="csv", now=timezone.now()
    )
    return export_file_build(export_file_id=asked.pk)


@pytest.mark.parametrize("role", ROLES)
def test_the_matrix(world, role, settings, import_run, export_file):
    settings.MEDIA_ROOT = world.media_root
    client = _client(world, role)
    problems: list[str] = []
    changes = _changes()

    def check(name: str, variant: str, url: str, expected: int, ask: Callable[[str], Any] = client.get) -> None:
        status = ask(url).status_code
        if status != expected:
            problems.append(f"{name} ({variant}) {url}: expected {expected}, got {status}")

    for full_name, roles in EXPECTED.items():
        app, _, name = full_name.partition(":")
        for variant, expected in roles[role].items():
            if app == "casework" and variant != "any":
                url = case_url(world, name, variant)
                check(full_name, variant, url, expected)
                spec = CASE_URLS.get(name)
                if spec is not None and spec.get_only and role != ANONYMOUS:
                    check(full_name, f"{variant}, POST", url, 405, client.post)
                elif expected in (403, 404):
                    check(full_name, f"{variant}, POST", url, expected, client.post)
            else:
                check(full_name, variant, other_url(world, full_name, import_run, export_file), expected)
    assert not problems, f"{role}:\n" + "\n".join(problems)
    assert _changes() == changes, "a refused request changed something"


def test_the_public_portal_answers_everyone_alike(world):
    answers: dict[str, set[int]] = {}
    kwargs = {"council": "exampleton", "version": "1", "step": "about-you", "token": "not-a-real-token"}
    for name in sorted(PUBLIC):
        wanted = {k: v for k, v in kwargs.items() if f"<{k}>" in _route(name) or f":{k}>" in _route(name)}
        url = reverse(name, kwargs=wanted)
        answers[name] = {_client(world, role).get(url).status_code for role in (ANONYMOUS, M, IO, SA)}
    assert {name: statuses for name, statuses in answers.items() if len(statuses) != 1 or max(statuses) >= 500} == {}


def _draft_letter(world: World, case_key: str) -> Any:
    from opencomplaints.correspondence.models import LetterChannel
    from opencomplaints.correspondence.services import letter_draft_save
    from opencomplaints.correspondence.steps import Audience, StepKey

    return letter_draft_save(
        case=getattr(world, case_key),
        acting_user=world.users[M] if case_key != "other" else world.users[OTHER],
        step=StepKey.ACKNOWLEDGEMENT,
        audience=Audience.ADULT,
        channel=LetterChannel.POST,
        recipient="1 High Street\nExampleton",
        subject="Your complaint",
        body="We have your complaint.",
        template_version=None,
    )


def test_letters_on_a_case_are_the_complaints_teams(world):
    """Writing, previewing and downloading a letter about a case: the council's complaints team only; anyone else,
    and anyone asking about another council's case, is told there is no such page."""
    problems = []
    for variant, case_key in (("own", "stage1"), ("other", "other")):
        letter = _draft_letter(world, case_key)
        case_id = getattr(world, case_key).pk
        urls = [reverse("correspondence:compose", kwargs={"case_id": case_id})]
        urls += [reverse(n, kwargs={"case_id": case_id, "letter_id": letter.pk}) for n in LETTER_URLS[1:]]
        urls += [
            reverse("correspondence:letter-file", kwargs={"case_id": case_id, "letter_id": letter.pk, "kind": "pdf"})
        ]
        for role in ROLES:
            team = TEAM if variant == "own" else {OTHER}  # the other council's officer writes its letters
            wanted = 302 if role == ANONYMOUS else 200 if role in team else 404
            client = _client(world, role)
            for url in urls:
                got = client.get(url).status_code
                if got != wanted:
                    problems.append(f"{role} {variant} {url}: expected {wanted}, got {got}")
    assert not problems, "\n".join(problems)


def test_email_coming_in_is_the_complaints_teams(world):
    """Adding an email file to a case is for those who write its letters; an email in the inbox is for its own
    council's complaints team (others are told there is no such page, or that they may not use the inbox)."""
    from django.utils import timezone

    from opencomplaints.correspondence.inbound import inbound_email_receive

    problems = []
    for variant, case_key in (("own", "stage1"), ("other", "other")):
        case = getattr(world, case_key)
        raw = f"From: a@example.org\r\nSubject: Hello\r\nMessage-ID: <{variant}@example.org>\r\n\r\nWords\r\n"
        email, _ = inbound_email_receive(
            council=case.council, raw=raw.encode(), source="mailbox", received_at=timezone.now()
        )
        team = TEAM if variant == "own" else {OTHER}
        for role in ROLES:
            client = _client(world, role)
            add = client.get(reverse("correspondence:email-add", kwargs={"case_id": case.pk})).status_code
            wanted = 302 if role == ANONYMOUS else 200 if role in team else 404
            if add != wanted:
                problems.append(f"{role} {variant} email-add: expected {wanted}, got {add}")
            got = client.get(reverse("correspondence:inbox-email", kwargs={"email_id": email.pk})).status_code
            wanted = 302 if role == ANONYMOUS else 200 if role in team else 403 if role not in REGISTER else 404
            if got != wanted:
                problems.append(f"{role} {variant} inbox-email: expected {wanted}, got {got}")
    assert not problems, "\n".join(problems)


def test_sign_in_pages_never_fail(world):
    for name in sorted(SIGN_IN):
        for role in (ANONYMOUS, M, RV):
            assert _client(world, role).get(reverse(name)).status_code < 500, (name, role)


def test_the_admin_is_for_staff_and_shows_no_case(world):
    assert _client(world, ANONYMOUS).get(reverse("admin:index")).status_code == 302
    assert _client(world, O).get(reverse("admin:index")).status_code == 302  # not staff
    assert _client(world, SA).get(reverse("admin:index")).status_code == 200
    # No case model is in the admin: a superuser configures, and sees cases only through a council role.
    assert not [n for n in url_names() if n.startswith("admin:cases_")]


def _route(name: str) -> str:
    namespace, _, short = name.partition(":")
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == namespace:
            for inner in pattern.url_patterns:
                if isinstance(inner, URLPattern) and inner.name == short:
                    return str(inner.pattern)
    return ""
