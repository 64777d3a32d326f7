"""Records retention: personal data goes after the retention period, the statistics stay exactly as they were."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventText, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, Person
from opencomplaints.cases.selectors import case_timeline
from opencomplaints.cases.services import (
    ChildInput,
    ComplainantInput,
    PersonInput,
    complaint_close,
    remedy_record,
    stage_extend,
    stage_hold,
    stage_respond,
    stage_resume,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.casework.models import Document
from opencomplaints.casework.services import document_upload
from opencomplaints.councils.tests.factories import RemedyTypeFactory
from opencomplaints.notifications.models import Message, MessageTemplate
from opencomplaints.notifications.rendering import placeholders
from opencomplaints.notifications.services import message_queue
from opencomplaints.portal.models import FeedbackRating, FollowToken, PortalFeedback
from opencomplaints.reporting.metrics.selection import ALL_PROCEDURES
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.renderers.json import render_json
from opencomplaints.reporting.report import build_report
from opencomplaints.reporting.selectors import report_inputs
from opencomplaints.retention import errors
from opencomplaints.retention.errors import RetentionError
from opencomplaints.retention.models import CaseAnonymisation, LegalHold
from opencomplaints.retention.selectors import retention_cutoff, retention_due_cases
from opencomplaints.retention.services import REMOVED, legal_hold_lift, legal_hold_place, retention_anonymise_due
from opencomplaints.retention.tasks import retention_anonymise

pytestmark = pytest.mark.django_db

CLOSED = date(2022, 7, 15)
DUE = date(2028, 7, 15)  # six years after closure
SECRETS = (
    "Philippa",
    "Featherstonehaugh",
    "philippa.f@example.org",
    "07700 900123",
    "12 Acacia Avenue",
    "EX1 2AB",
    "Barnaby",
    "Quentin-Smythe",
    "barnaby.qs@example.net",
)


def _closed_case(council, user, *, closed=CLOSED):
    parent = ComplainantInput(
        person=PersonInput(
            first_name="Philippa",
            last_name="Featherstonehaugh",
            email="philippa.f@example.org",
            phone="07700 900123",
            address="12 Acacia Avenue\nExampleton",
            postcode="EX1 2AB",
            date_of_birth=date(1984, 9, 3),
            sex=c.Sex.FEMALE,
        ),
        complainant_type=c.ComplainantType.PARENT_RELATIVE,
        eligibility_basis=c.EligibilityBasis.PARENT,
    )
    child = ChildInput(
        person=PersonInput(
            first_name="Barnaby",
            last_name="Quentin-Smythe",
            email="barnaby.qs@example.net",
            date_of_birth=date(2010, 2, 1),
        ),
        support_category=c.SupportCategory.CIN,
    )
    case = f.accepted(
        council,
        user,
        complainants=[parent],
        children=[child],
        summary="Philippa Featherstonehaugh says Barnaby's social worker missed visits.",
        advocacy_offered=True,
        advocacy_provided=True,
        advocate_name="Barnaby Quentin-Smythe's advocate",
        advocate_organisation="NYAS",
    )
    stage = f.stage(case, 1)
    stage_hold(
        stage=stage,
        acting_user=user,
        start_date=date(2022, 5, 27),
        reason=c.HoldReason.AWAITING_ADVOCATE,
        note="Philippa away",
    )
    stage_resume(stage=stage, acting_user=user, end_date=date(2022, 5, 30))
    stage_extend(
        stage=stage,
        acting_user=user,
        extended_due_date=date(2022, 6, 24),
        reason="Philippa Featherstonehaugh asked to meet first",
        notified_date=date(2022, 6, 1),
    )
    stage_respond(stage=stage, acting_user=user, response_date=date(2022, 6, 20), outcome=c.Outcome.PARTLY_UPHELD)
    apology = RemedyTypeFactory.create(council=council, code="financial", name="Payment", is_financial=True)
    remedy_record(
        case=case,
        acting_user=user,
        remedy_type=apology,
        stage=stage,
        amount=Decimal("150.00"),
        description="Paid to Philippa",
    )
    document_upload(
        case=case,
        acting_user=user,
        file=SimpleUploadedFile("letter-to-philippa.txt", b"Dear Philippa Featherstonehaugh", "text/plain"),
        description="Letter to Philippa Featherstonehaugh",
    )
    template = MessageTemplate.objects.get(key="acknowledgement")
    message_queue(
        template_key="acknowledgement",
        recipient="philippa.f@example.org",
        personalisation=dict.fromkeys(placeholders(template.subject + template.body), "Philippa Featherstonehaugh"),
        idempotency_key=f"test-ack-{case.pk}",
        case=case,
    )
    PortalFeedback.objects.create(
        case=case, stage=stage, rating=FeedbackRating.SATISFIED, comments="Thank you, from Philippa"
    )
    FollowToken.objects.create(case=case, token_hash="a" * 64, expires_at="2022-08-01T00:00:00Z")
    return complaint_close(case=case, acting_user=user, closed_date=closed)


def _report(council):
    inputs = report_inputs(councils=[council], period=reporting_year(2022), procedure=ALL_PROCEDURES)
    return render_json(build_report(inputs, generated_on=date(2028, 8, 1)))


def _text_values(instance):
    return [
        str(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField | models.EmailField)
    ]


def _affected_rows(case):
    rows = [case, *case.stages.all(), *case.complainants.all(), *case.children.all(), *case.remedies.all()]
    rows += [row.person for row in [*case.complainants.all(), *case.children.all()]]
    rows += list(Message.objects.filter(case=case)) + list(PortalFeedback.objects.filter(case=case))
    rows += [hold for stage in case.stages.all() for hold in stage.holds.all()]
    return rows


def test_an_anonymised_case_counts_in_the_annual_report_exactly_as_before(council, complaints_manager):
    case = _closed_case(council, complaints_manager)
    before = _report(council)
    assert b'"received": 1' in before

    assert retention_anonymise_due(today=DUE) == 1

    assert _report(council) == before
    assert CaseAnonymisation.objects.get(case=case).people_anonymised == 2


def _audit_rows_recorded_before_free_text_was_kept_out(case, user):
    """Rows as the services wrote them before: the words and names in the row itself."""
    rows = [
        (AuditEventType.CASE_REOPENED, "Case reopened: Philippa Featherstonehaugh asked", {"reason": "Philippa asked"}),
        (AuditEventType.SUFFICIENT_INTEREST_DECIDED, "Philippa Featherstonehaugh has sufficient interest (R1.9)", {}),
        (AuditEventType.DOCUMENT_DOWNLOADED, "letter-to-philippa.txt downloaded", {}),
        (AuditEventType.MESSAGE_SENT, "Acknowledgement of a complaint to philippa.f@example.org sent", {}),
        (AuditEventType.STAGE_HELD, "Stage 1 on hold", {"reason": "awaiting_advocate", "note": "Barnaby away"}),
    ]
    for event_type, summary, after in rows:
        AuditEvent.objects.create(
            event_time=timezone.now(),
            acting_user=user,
            event_type=event_type,
            case=case,
            subject_type="cases.case",
            subject_id=str(case.pk),
            summary=summary,
            after=after,
        )


def test_no_personal_data_remains(council, complaints_manager):
    case = _closed_case(council, complaints_manager)
    _audit_rows_recorded_before_free_text_was_kept_out(case, complaints_manager)
    assert AuditEventText.objects.filter(event__case=case, text__icontains="Philippa").exists()
    document = Document.objects.get(case=case)
    stored = str(document.file.name)
    assert default_storage.exists(stored)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        retention_anonymise_due(today=DUE)

    case.refresh_from_db()
    texts = "\n".join(value for row in _affected_rows(case) for value in _text_values(row))
    for secret in SECRETS:
        assert secret.lower() not in texts.lower(), secret
    assert not Document.objects.filter(case=case).exists()
    assert not default_storage.exists(stored)
    assert CaseAnonymisation.objects.get(case=case).documents_deleted == 1
    assert Message.objects.get(case=case).body == REMOVED
    assert FollowToken.objects.get(case=case).revoked_at is not None
    parent = case.complainants.get().person
    assert parent.anonymised_at is not None
    # The equality data the reports count stays; the date of birth now says only the age on the day received.
    assert parent.sex == c.Sex.FEMALE
    assert parent.date_of_birth == date(1985, 5, 26)
    assert case.children.get().support_category == c.SupportCategory.CIN
    assert case.advocate_organisation == "NYAS"
    event = AuditEvent.objects.get(case=case, event_type=AuditEventType.CASE_ANONYMISED)
    assert event.after["documents_deleted"] == 1
    # The audit trail still says who did what and when, without anybody's words or names: the words kept beside
    # its rows are gone, and the rows recorded before free text was kept out of them are redacted.
    assert not AuditEventText.objects.filter(event__case=case).exists()
    rows = AuditEvent.objects.filter(case=case).exclude(pk=event.pk)
    assert event.after["audit_events_redacted"] == rows.count()
    assert all(row.redacted_at is not None for row in rows)
    trail = "\n".join(json.dumps([row.summary, row.before, row.after]) for row in rows)
    for secret in (*SECRETS, "Philippa", "Barnaby"):
        assert secret.lower() not in trail.lower(), secret
    # A code is not words: the hold's reason stays.
    assert rows.get(summary="Stage 1 on hold").after["reason"] == c.HoldReason.AWAITING_ADVOCATE
    assert [entry.texts for entry in case_timeline(case=case) if entry.texts] == []


def test_a_legal_hold_stops_it_until_lifted(council, complaints_manager):
    case = _closed_case(council, complaints_manager)
    legal_hold_place(case=case, reason="Claim in the county court", acting_user=complaints_manager)

    assert retention_anonymise_due(today=DUE) == 0
    assert Person.objects.filter(first_name="Philippa").exists()

    legal_hold_lift(case=case, acting_user=complaints_manager)
    assert retention_anonymise_due(today=DUE) == 1
    assert not Person.objects.filter(first_name="Philippa").exists()
    assert list(AuditEvent.objects.filter(case=case, event_type__gte=1200).values_list("event_type", flat=True)) == [
        AuditEventType.LEGAL_HOLD_PLACED,
        AuditEventType.LEGAL_HOLD_LIFTED,
        AuditEventType.CASE_ANONYMISED,
    ]


def test_legal_hold_errors(council, complaints_manager):
    case = _closed_case(council, complaints_manager)
    with pytest.raises(RetentionError, match="Enter why"):
        legal_hold_place(case=case, reason="  ", acting_user=complaints_manager)
    with pytest.raises(RetentionError) as not_held:
        legal_hold_lift(case=case, acting_user=complaints_manager)
    assert not_held.value.message == errors.HOLD_NOT_PLACED.format(reference=case.reference)
    legal_hold_place(case=case, reason="Ombudsman enquiry", acting_user=complaints_manager)
    with pytest.raises(RetentionError, match="already on legal hold"):
        legal_hold_place(case=case, reason="Again", acting_user=complaints_manager)
    legal_hold_lift(case=case, acting_user=complaints_manager)
    retention_anonymise_due(today=DUE)
    with pytest.raises(RetentionError, match="was removed on"):
        legal_hold_place(case=case, reason="Too late", acting_user=complaints_manager)


def test_only_closed_cases_past_the_period_are_due(council, complaints_manager):
    old = _closed_case(council, complaints_manager)
    f.accepted(council, complaints_manager)  # still open
    assert list(retention_due_cases(today=date(2028, 7, 14))) == []
    assert list(retention_due_cases(today=DUE)) == [old]
    assert retention_cutoff(today=date(2028, 2, 29)) == date(2022, 2, 28)


def test_someone_with_a_case_inside_the_period_keeps_their_details(council, complaints_manager):
    first = _closed_case(council, complaints_manager)
    philippa = first.complainants.get().person
    later = f.accepted(
        council,
        complaints_manager,
        received_date=date(2024, 1, 10),
        complainants=[ComplainantInput(person=PersonInput(person=philippa))],
    )
    retention_anonymise_due(today=DUE)

    philippa.refresh_from_db()
    assert philippa.first_name == "Philippa"
    assert CaseAnonymisation.objects.get(case=first).people_anonymised == 1  # the child only
    assert Case.objects.get(pk=first.pk).summary == ""
    assert later.complainants.get().person == philippa


def test_the_dry_run_changes_nothing(council, complaints_manager, capsys):
    case = _closed_case(council, complaints_manager)
    call_command("retention", "--dry-run", "--on", DUE.isoformat())
    out = capsys.readouterr().out
    assert "1 cases closed on or before 15 July 2022" in out
    assert case.reference in out
    assert "Nothing was changed" in out
    assert Person.objects.filter(first_name="Philippa").exists()
    assert not CaseAnonymisation.objects.exists()

    call_command("retention", "--on", DUE.isoformat())
    assert "Personal data removed from 1 cases" in capsys.readouterr().out


def test_the_command_places_and_lifts_holds(council, complaints_manager, capsys):
    case = _closed_case(council, complaints_manager)
    call_command("retention", "--hold", case.reference, "--reason", "Police enquiry", "--user", "manager.mo")
    assert LegalHold.objects.get(case=case).is_active
    with pytest.raises(CommandError, match="--user"):
        call_command("retention", "--lift", case.reference)
    call_command("retention", "--lift", case.reference, "--user", "manager.mo")
    assert not LegalHold.objects.get(case=case).is_active
    with pytest.raises(CommandError, match="has no case"):
        call_command("retention", "--hold", "NOPE-1", "--reason", "x", "--user", "manager.mo")


def test_the_daily_job_uses_the_date_it_is_given(council, complaints_manager):
    _closed_case(council, complaints_manager)
    assert retention_anonymise.call(date(2028, 7, 14).isoformat()) == {"anonymised": 0}
    assert retention_anonymise.call(DUE.isoformat()) == {"anonymised": 1}


def test_an_unreadable_file_does_not_stop_the_others(council, complaints_manager, monkeypatch):
    case = _closed_case(council, complaints_manager)
    default_storage.save("cases/orphan.txt", ContentFile(b"x"))
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
    monkeypatch.setattr(default_storage, "delete", lambda name: (_ for _ in ()).throw(OSError("read-only")))
    assert retention_anonymise_due(today=DUE) == 1
    assert CaseAnonymisation.objects.filter(case=case).exists()


def test_administrators_can_see_holds_and_anonymised_cases(client, council, complaints_manager, system_administrator):
    case = _closed_case(council, complaints_manager)
    legal_hold_place(case=case, reason="Claim", acting_user=complaints_manager)
    client.force_login(system_administrator)
    page = client.get("/admin/retention/legalhold/")
    assert page.status_code == 200
    assert case.reference in page.text
    assert client.get("/admin/retention/caseanonymisation/").status_code == 200
    assert client.get("/admin/retention/legalhold/add/").status_code == 403
