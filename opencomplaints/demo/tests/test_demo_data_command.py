"""``opencomplaints demo-data``: builds the plan through the services, and refuses to build it twice."""

from collections import Counter
from datetime import date
from importlib import import_module
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, LearningAction, Remedy, Stage
from opencomplaints.cases.services import complaints_close_after_window
from opencomplaints.correspondence.models import (
    InboundEmail,
    InboundStatus,
    Letter,
    LetterSettings,
    LetterStatus,
    LetterTemplateVersion,
)
from opencomplaints.councils.models import Council, CouncilMembership, Team
from opencomplaints.councils.tests.factories import CouncilFactory
from opencomplaints.demo.builder import DEMO_ROLES, REPLACE_REFUSED, USER_NOT_DEMO
from opencomplaints.demo.scenario import DEMO_PASSWORD, plan_demo
from opencomplaints.notifications.models import Delivery

END = date(2025, 3, 31)
# The module name has a hyphen, as the command does, so it is imported by name.
COMMAND = import_module("opencomplaints.demo.management.commands.demo-data")


def build(**options):
    out = StringIO()
    call_command("demo-data", stdout=out, **{"years": 1, "seed": 1, "end_date": END, **options})
    return out.getvalue()


@pytest.mark.django_db
def test_demo_data_builds_the_plan_through_the_services_and_refuses_a_second_run():
    output = build()
    plan = plan_demo(seed=1, years=1, end_date=END)
    council_plan = plan.councils[0]
    council = Council.objects.get()
    assert council.slug == council_plan.slug
    assert f"'{DEMO_PASSWORD}'" in output

    # Every planned case, stage, remedy and learning action is there.
    cases = Case.objects.filter(council=council)
    kinds = Counter(cases.values_list("kind", flat=True))
    assert kinds[c.Kind.COMPLAINT] == len(council_plan.complaints)
    assert kinds[c.Kind.OMBUDSMAN] == len(council_plan.ombudsman_cases)
    planned_kinds = Counter(rep.kind for rep in council_plan.representations)
    for kind, count in planned_kinds.items():
        assert kinds[kind] == count
    assert Stage.objects.filter(case__council=council).count() == sum(len(x.stages) for x in council_plan.complaints)
    remedies = Remedy.objects.filter(case__council=council)
    assert remedies.filter(case__kind=c.Kind.COMPLAINT).count() == sum(len(x.remedies) for x in council_plan.complaints)
    # The Ombudsman's recommended payments follow the remedy lifecycle too (docs/adr/0020-remedy-lifecycle.md).
    paid_by_ombudsman = [
        x for x in council_plan.ombudsman_cases
        if x.decision and x.decision.recommended_payment and x.decision.compliance_due_date
    ]  # fmt: skip
    assert remedies.filter(case__kind=c.Kind.OMBUDSMAN).count() == len(paid_by_ombudsman)
    # Remedies paid and outstanding (a longer demonstration has every state), none approved without a due date.
    assert c.RemedyStatus.PAID in set(remedies.values_list("status", flat=True))
    assert not remedies.filter(status=c.RemedyStatus.APPROVED, due_date__isnull=True).exists()
    assert LearningAction.objects.filter(council=council).count() == len(council_plan.learning_actions)

    # ... as the plan has them: same references, stages, dates and outcomes, open exactly when planned.
    by_reference = {case.reference: case for case in cases.prefetch_related("stages")}
    for complaint in council_plan.complaints:
        case = by_reference[complaint.reference]
        stages = [(s.number, s.received_date, s.response_date, s.outcome) for s in case.stages.all()]
        assert stages == [(s.number, s.received_date, s.response_date, s.outcome) for s in complaint.stages]
        assert (case.closed_date is None) == complaint.is_open, complaint.reference
        assert case.mediation == complaint.mediation, complaint.reference

    # The tracker looks alive: open complaints, some overdue on the end date.
    open_complaints = cases.filter(kind=c.Kind.COMPLAINT, closed_date__isnull=True)
    assert open_complaints.filter(next_due_date__lt=END).exists()
    assert open_complaints.filter(next_due_date__gt=END).exists()

    # Written through the services: every case has its audit trail.
    assert not cases.exclude(pk__in=AuditEvent.objects.values("case_id")).exists()

    # Closed after their request window as the daily job closes them (by the system, on the window's last day),
    # so on the end date the job finds nothing more to close.
    closings = AuditEvent.objects.filter(case__council=council, event_type=AuditEventType.CASE_CLOSED)
    assert closings.count() == sum(len(x.closures) for x in council_plan.complaints) > 0
    assert not closings.filter(acting_user__isnull=False).exists()
    assert complaints_close_after_window(today=END) == 0

    # Corporate complaints go on to stage 2 too.
    assert Stage.objects.filter(case__council=council, case__procedure=c.Procedure.CORPORATE, number=2).exists()

    # The council changed its corporate procedure part-way (docs/adr/0014): both versions have complaints, each
    # with its own stage 1 timescale.
    versions = {
        (case.corporate_procedure.version if case.corporate_procedure else None, deadline.working_days)
        for case in cases.filter(procedure=c.Procedure.CORPORATE).select_related("corporate_procedure")
        for deadline in case.deadlines.filter(key="stage1_response")
    }
    assert versions == {(1, 10), (2, 15)}

    # The structure was restructured, not renamed in place.
    assert Team.objects.filter(council=council, active_until__isnull=False).exists()
    assert Team.objects.filter(council=council, predecessor__isnull=False).exists()

    # The shared complaints team of personas, all members, all with the demonstration password.
    users = User.objects.filter(email__endswith="@demo.example")
    assert users.count() == len(plan.users)
    # Besides them, the data warehouse's integration account (docs/api.md).
    people = CouncilMembership.objects.filter(council=council).exclude(user__api_clients__isnull=False)
    assert people.count() == len(plan.users)
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="manager").check_password(DEMO_PASSWORD)

    # Owners spread across the team, each stage with the owner of its time, and the manager's saved views.
    owners = Counter(cases.filter(kind=c.Kind.COMPLAINT).values_list("owner__username", flat=True))
    assert owners["officer"] > owners["manager"] > 0
    assert owners["officer2"] > owners["manager"]
    assert not Stage.objects.filter(case__council=council, owner__isnull=True, case__owner__isnull=False).exists()
    from opencomplaints.tracker.models import SavedView

    assert SavedView.objects.filter(user__username="manager").count() == 3

    with pytest.raises(CommandError) as raised:
        build()
    assert str(raised.value) == COMMAND.ALREADY_LOADED.format(councils="Borough of Exampleton")
    assert "--replace" in str(raised.value)
    assert Council.objects.count() == 1


@pytest.mark.django_db
def test_demo_data_replace_deletes_the_earlier_data_in_the_same_run():
    build()
    build(replace=True, seed=2)
    council = Council.objects.get()
    plan = plan_demo(seed=2, years=1, end_date=END).councils[0]
    assert Case.objects.filter(council=council, kind=c.Kind.COMPLAINT).count() == len(plan.complaints)
    # Nothing of the first build is left behind, not even its audit trail.
    assert not AuditEvent.objects.filter(case__isnull=False).exclude(case__council=council).exists()


@pytest.mark.django_db
def test_demo_data_replace_is_refused_where_a_real_council_exists():
    build()
    CouncilFactory.create(name="Borough of Realton", slug="realton")
    events = AuditEvent.objects.count()

    with pytest.raises(CommandError) as raised:
        build(replace=True, seed=2)

    assert str(raised.value) == REPLACE_REFUSED.format(councils="Borough of Realton")
    assert Council.objects.count() == 2
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_demo_data_replace_leaves_the_audit_trail_append_only():
    from django.db import IntegrityError, transaction

    build()
    build(replace=True, seed=2)

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_demo_users_hold_their_roles():
    build()

    people = CouncilMembership.objects.exclude(user__api_clients__isnull=False)  # not the integration account
    roles = dict(people.values_list("user__username", "role"))
    assert roles == {username: role.value for username, role in DEMO_ROLES.items()}


@pytest.mark.django_db
def test_demo_data_never_takes_over_a_real_user(django_user_model):
    django_user_model.objects.create_user(username="admin", email="it@council.example", password="x")
    with pytest.raises(CommandError) as raised:
        build()
    assert str(raised.value) == USER_NOT_DEMO.format(username="admin")
    assert not Council.objects.exists()


def test_the_default_end_date_is_the_last_day_of_the_previous_month():
    assert COMMAND.last_day_of_previous_month(date(2026, 11, 22)) == date(2026, 10, 31)
    assert COMMAND.last_day_of_previous_month(date(2025, 3, 1)) == date(2025, 2, 28)


@pytest.mark.django_db
def test_demo_data_has_the_councils_letters_and_email():
    build()
    council = Council.objects.get()
    assert LetterSettings.objects.get(council=council).letterhead.startswith(council.name)
    assert LetterTemplateVersion.objects.filter(template__council=council).count() == 2
    letters = Letter.objects.filter(case__council=council).select_related("message")
    assert sorted(letter.status for letter in letters) == [LetterStatus.EMAILED] * 2 + [LetterStatus.TO_PRINT]
    assert sorted(letter.message.delivery for letter in letters if letter.message) == [
        Delivery.DELIVERED,
        Delivery.NOT_DELIVERED,
    ]
    statuses = Counter(InboundEmail.objects.filter(council=council).values_list("status", flat=True))
    assert statuses == {InboundStatus.INBOX: 2, InboundStatus.FILED: 1, InboundStatus.BOUNCE: 1}
    # Building it again with --replace removes all of it first.
    build(replace=True)
    assert Letter.objects.filter(case__council__slug=council.slug).count() == 3


@pytest.mark.django_db
def test_the_demonstration_council_has_a_published_report_and_a_draft_in_progress():
    from opencomplaints.reporting.models import ReportDraft
    from opencomplaints.reporting.services import report_reproduce

    build()
    council = Council.objects.get()
    published = ReportDraft.objects.get(council=council, year=2023)
    assert published.status == ReportDraft.Status.PUBLISHED
    assert published.published_by.username != published.last_edited_by.username
    assert published.files.count() == 4
    assert all(r.identical for r in report_reproduce(draft=published))
    draft = ReportDraft.objects.get(council=council, year=2024)
    assert draft.status == ReportDraft.Status.DRAFT
    assert set(draft.narratives.values_list("section", flat=True)) == {"about", "context", "complainants"}
    assert council.context_figures.get(year=2024).referrals == 4365
    # Last year's quotes were all approved before publishing; this year's are approved but the last, which waits.
    from opencomplaints.reporting.publication_selectors import draft_quotes

    assert not any(q.waiting for q in draft_quotes(published))
    waiting = [q.waiting for q in draft_quotes(draft)]
    assert len(waiting) >= 2
    assert waiting[-1]
    assert not any(waiting[:-1])
    # Deleting the demonstration data takes the reports with it.
    build(replace=True)
    assert ReportDraft.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_has_a_data_warehouse_client_and_a_crm_webhook_turned_off():
    from rest_framework.test import APIClient

    from opencomplaints.api.models import ApiClient, WebhookSubscription
    from opencomplaints.demo.integrations import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    build()
    build(replace=True, seed=2)
    client = ApiClient.objects.get()
    assert client.scope == "read"
    subscription = WebhookSubscription.objects.get()
    assert not subscription.enabled
    assert subscription.url.startswith("http://127.0.0.1:")
    token = APIClient().post(
        "/api/oauth/token/",
        {"grant_type": "client_credentials", "client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET},
    )
    assert token.status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    assert api.get("/api/v1/cases/").json()["results"]


@pytest.mark.django_db
def test_review_panel_meetings_are_arranged_ahead_through_the_service():
    plan = plan_demo(seed=2, years=1, end_date=END).councils[0]
    planned = [s.panel_meeting_at for x in plan.complaints for s in x.stages if s.panel_meeting_at is not None]
    assert planned
    build(seed=2)
    arranged = Stage.objects.filter(number=3, panel_meeting_at__isnull=False)
    meetings = [m for m in arranged.values_list("panel_meeting_at", flat=True) if m is not None]
    assert sorted(meetings) == sorted(planned)
    assert set(arranged.values_list("panel_meeting_place", flat=True)) == {"County Hall, Committee Room 2"}
    assert AuditEvent.objects.filter(event_type=AuditEventType.STAGE3_PANEL_SCHEDULED).count() == len(planned)
