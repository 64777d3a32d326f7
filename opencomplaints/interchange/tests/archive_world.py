"""The installation the archive tests export: the demonstration data, with the things a council holds that the
demonstration does not make (documents, notes, saved tables, context and historic figures), and helpers to empty
the installation and to draw every annual report as JSON."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from opencomplaints.accounts.models import User
from opencomplaints.audit.append_only import audit_trail_unlocked
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case
from opencomplaints.cases.services.notes import case_note_add
from opencomplaints.casework.models import Document
from opencomplaints.casework.services import document_upload
from opencomplaints.councils.models import Council, Role
from opencomplaints.demo.builder import apply_plan
from opencomplaints.demo.scenario import plan_demo
from opencomplaints.interchange.archive_parts import EXCLUDED, archive_parts
from opencomplaints.notifications.services import message_queue
from opencomplaints.reporting.metrics.crosstab import TableQuery
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.renderers.json import report_json
from opencomplaints.reporting.report import build_report
from opencomplaints.reporting.selectors import report_inputs
from opencomplaints.reporting.services import context_figures_set, historic_figure_set, saved_table_create

END = date(2024, 3, 31)
PROCEDURES = ("children_statutory", "corporate", "adults_statutory", "all")
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def build_world(*, years: int = 1, councils: int = 2) -> None:
    """The demonstration data of ``councils`` councils over ``years`` years ending 31 March 2024, and more."""
    apply_plan(plan_demo(seed=3, years=years, end_date=END, councils=councils))
    for council in Council.objects.order_by("slug"):
        manager = User.objects.filter(memberships__council=council, memberships__role=Role.COMPLAINTS_MANAGER).first()
        cases = list(Case.objects.filter(council=council, kind=c.Kind.COMPLAINT).order_by("received_date", "id")[:2])
        for number, case in enumerate(cases, start=1):
            upload = SimpleUploadedFile(f"response-{number}.pdf", PDF + str(case.pk).encode(), "application/pdf")
            document_upload(case=case, acting_user=manager, file=upload, kind="letter", description="Response")
            # A message in the outbox about the case, keyed (as the services key theirs) by a record id.
            message_queue(
                template_key="follow_link",
                recipient="parent@example.org",
                personalisation={
                    "greeting": "Hello",
                    "council": council.name,
                    "reference": case.reference,
                    "follow_link": "https://example.org/follow/secret",
                    "link_expires": "30 April 2024",
                },
                secret_keys=["follow_link"],
                idempotency_key=f"follow:{case.pk}",
                case=case,
            )
            case_note_add(
                case=case,
                acting_user=manager,
                kind=c.NoteKind.NOTE,
                occurred_at=datetime(2024, 3, 1, 10, 30, tzinfo=UTC),
                summary="Spoke to the complainant about the response.",
            )
        saved_table_create(
            acting_user=manager,  # type: ignore[arg-type]
            council=council,
            query=TableQuery(measure="received", stage=1, rows="team"),
            title="Complaints by team",
        )
        context_figures_set(council=council, year=2023, figures={"referrals": 4100}, acting_user=manager)
        historic_figure_set(
            council=council, year=2019, measure="stage1_received", value=Decimal(120), acting_user=manager
        )


def empty_installation() -> None:
    """Delete every row an archive holds or leaves out, users included, as a new installation has none."""
    from django.apps import apps

    with audit_trail_unlocked():
        # Integrations (OAuth clients, webhooks) are not archived; their accounts protect the users they act as.
        for app_label in ("oauth2_provider", "api"):
            for model in reversed(list(apps.get_app_config(app_label).get_models())):
                model._base_manager.all().delete()
        apps.get_model("correspondence", "Letter")._base_manager.all().delete()
        for label in EXCLUDED:
            app_label, name = label.split(".")
            if label not in {"councils.ethnicitycategory", "notifications.messagetemplate"}:
                apps.get_model(app_label, name)._base_manager.all().delete()
        parts = archive_parts()
        for part in parts:
            for field in part.fields:
                if field.is_relation and field.related_model is part.model:
                    part.model._base_manager.update(**{field.name: None})
        for part in reversed(parts):
            part.model._base_manager.all().delete()
        apps.get_model("notifications", "Message")._base_manager.all().delete()


def every_report() -> dict[tuple[str, ...], Any]:
    """Every annual report's JSON: each council alone and all together, every procedure, every year with data."""
    calendar = working_day_calendar()
    councils = list(Council.objects.order_by("slug"))
    years = sorted({d.year - (d.month < 4) for d in Case.objects.values_list("received_date", flat=True)})
    groups = [[council] for council in councils] + [councils]
    reports: dict[tuple[str, ...], Any] = {}
    for group in groups:
        for procedure in PROCEDURES:
            for year in years:
                inputs = report_inputs(
                    councils=group, period=reporting_year(year), procedure=procedure, calendar=calendar
                )
                report = build_report(inputs, generated_on=END)
                key = (*[council.slug for council in group], procedure, str(year))
                reports[key] = report_json(report)
    return reports


def document_checksums() -> dict[str, str]:
    """The SHA-256 of every document's file, by its case and name."""
    found = {}
    for document in Document.objects.select_related("case__council").order_by("pk"):
        with default_storage.open(str(document.file.name), "rb") as stored:
            digest = hashlib.sha256(stored.read()).hexdigest()
        found[f"{document.case.council.slug}/{document.case.reference}/{document.original_name}"] = digest
    return found
