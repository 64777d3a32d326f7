"""The demonstration's system integrations (docs/api.md): a data warehouse reading the first council's cases with
OAuth client credentials, with a published client id and secret like the demonstration users' password, and a
webhook subscription for the council's CRM, to an address on this machine and turned off, so the demonstration
sends nothing anywhere until someone turns it on (with something listening)."""

from __future__ import annotations

from datetime import date

from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.api.models import ApiClient, WebhookDelivery, WebhookEvent, WebhookSubscription
from opencomplaints.api.services import api_client_create
from opencomplaints.api.services.webhooks import webhook_subscription_create
from opencomplaints.audit.models import AuditEvent
from opencomplaints.councils.models import Council, CouncilMembership
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.models import ReportFile
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.services import report_file_build, report_file_request

__all__ = ["DEMO_CLIENT_ID", "DEMO_CLIENT_SECRET", "integrations_demo", "integrations_demo_delete"]

DEMO_CLIENT_ID = "demo-data-warehouse"
DEMO_CLIENT_SECRET = "demo-client-secret-123"  # noqa: S105 - published, like the demonstration users' password
DEMO_WEBHOOK_URL = "http://127.0.0.1:8099/opencomplaints-hooks"


def integrations_demo(*, council: Council, end_date: date) -> None:
    """The data warehouse's read-only client and the CRM's webhook subscription (turned off); and the annual
    report the warehouse fetched through the API as a job (``POST /api/v1/reports/``), finished and ready."""
    client, _client_id, _secret = api_client_create(
        name="Data warehouse (demonstration)", scope="read", councils=[council], acting_user=None,
        client_id=DEMO_CLIENT_ID, secret=DEMO_CLIENT_SECRET,
    )  # fmt: skip
    year = end_date.year - 1 if end_date.month >= 4 else end_date.year - 2  # the last whole reporting year
    asked = report_file_request(
        acting_user=client.user, councils=[council], period=reporting_year(year), procedure="children_statutory",
        basis=Basis.RECEIVED, file_format="json", query=f"council={council.slug}&year={year}", now=timezone.now(),
    )  # fmt: skip
    report_file_build(report_file_id=asked.pk)
    webhook_subscription_create(
        council=council, name="CRM (demonstration)", url=DEMO_WEBHOOK_URL, acting_user=None, enabled=False,
        events=[WebhookEvent.CASE_REGISTERED, WebhookEvent.STAGE_OVERDUE, WebhookEvent.CASE_CLOSED],
    )  # fmt: skip


def integrations_demo_delete(councils: list[Council]) -> None:
    """Remove the demonstration's clients (their OAuth applications and integration accounts) and subscriptions,
    with the audit events about them. Called with the audit trail unlocked."""
    clients = list(ApiClient.objects.filter(councils__in=councils).select_related("application", "user").distinct())
    subscriptions = WebhookSubscription.objects.filter(council__in=councils)
    deliveries = WebhookDelivery.objects.filter(subscription__in=subscriptions)
    about = (
        Q(subject_type=ApiClient._meta.label_lower, subject_id__in=[str(x.pk) for x in clients])
        | Q(subject_type=WebhookSubscription._meta.label_lower, subject_id__in=[str(s.pk) for s in subscriptions])
        | Q(subject_type=WebhookDelivery._meta.label_lower, subject_id__in=[str(d.pk) for d in deliveries])
    )
    users = [x.user_id for x in clients]
    memberships = CouncilMembership.objects.filter(user_id__in=users).values_list("pk", flat=True)
    about |= Q(subject_type=CouncilMembership._meta.label_lower, subject_id__in=[str(pk) for pk in memberships])
    AuditEvent.objects.filter(about | Q(acting_user_id__in=users)).delete()
    for report_file in ReportFile.objects.filter(requested_by_id__in=users):  # the warehouse's report job
        if report_file.stored_file:
            default_storage.delete(report_file.stored_file)
        report_file.delete()
    subscriptions.delete()
    for client in clients:
        client.application.delete()  # the client goes with it
    User.objects.filter(pk__in=users).delete()
