"""Redacting a case's audit trail when the retention anonymises the case: the one UPDATE the triggers allow, once,
only taking words away (run this module on SQLite and on PostgreSQL, like ``test_append_only``)."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from opencomplaints.audit.append_only import APPEND_ONLY_MESSAGE, REDACTED_SUMMARY
from opencomplaints.audit.models import AuditEvent, AuditEventText, AuditEventType
from opencomplaints.audit.services import FreeText, audit_event_record, audit_events_redact
from opencomplaints.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def refused(action):
    with pytest.raises(IntegrityError, match=re.escape(APPEND_ONLY_MESSAGE)), transaction.atomic():
        action()


def legacy(case, event_type, summary, *, before=None, after=None, subject_type="cases.case", acting_user=None):
    """A row as the services wrote it before free text was kept out of the trail: words and names in it."""
    return AuditEvent.objects.create(
        event_time=timezone.now(),
        acting_user=acting_user,
        event_type=event_type,
        case=case,
        subject_type=subject_type,
        subject_id=str(case.pk),
        summary=summary,
        before=before or {},
        after=after or {},
    )


@pytest.fixture
def case(council, complaints_manager):
    return f.accepted(council, complaints_manager)


def test_a_legacy_row_loses_its_words_and_keeps_everything_else(case, complaints_manager, system_administrator):
    reopened = legacy(
        case,
        AuditEventType.CASE_REOPENED,
        f"Case {case.reference} reopened: Mrs Ada Quill asked again",
        before={"status": "closed", "closed_date": "2022-10-12"},
        after={"status": "open", "reason": "Mrs Ada Quill asked again", "reopened_stage": None},
        acting_user=complaints_manager,
    )
    agreed = legacy(
        case,
        AuditEventType.STAGE2_STATEMENT_AGREED,
        f"Stage 2 of {case.reference}: statement of complaint agreed with 2 points",
        before={"points": ["Ada's first point"]},
        after={"points": ["Ada's point", "Another"], "statement_agreed_date": "2022-07-01"},
    )

    assert (
        audit_events_redact(case_id=case.pk, acting_user=system_administrator)
        == AuditEvent.objects.filter(case=case).count()
    )

    reopened.refresh_from_db()
    assert reopened.summary == f"Case {case.reference} reopened: {REDACTED_SUMMARY}"
    assert reopened.before == {"status": "closed", "closed_date": "2022-10-12"}
    assert reopened.after == {"status": "open", "reason": {"redacted": True, "characters": 25}, "reopened_stage": None}
    assert (reopened.acting_user, reopened.event_type, reopened.case_id) == (
        complaints_manager,
        AuditEventType.CASE_REOPENED,
        case.pk,
    )
    assert reopened.redacted_at is not None
    assert reopened.redacted_by == system_administrator
    agreed.refresh_from_db()
    assert agreed.summary == f"Stage 2 of {case.reference}: statement of complaint agreed with 2 points"
    assert agreed.before == {"points": {"redacted": True}}
    assert agreed.after == {"points": {"redacted": True}, "statement_agreed_date": "2022-07-01"}


@pytest.mark.parametrize(
    ("event_type", "summary", "after", "expected"),
    [
        (
            AuditEventType.SUFFICIENT_INTEREST_DECIDED,
            "Ada Quill has sufficient interest (R1.9)",
            {},
            f"{REDACTED_SUMMARY} has sufficient interest (R1.9)",
        ),
        (
            AuditEventType.DOCUMENT_UPLOADED,
            "Letter Letter to Ada Quill.pdf added to CSC-2022-0001",
            {"original_name": "Letter to Ada Quill.pdf", "description": "For Ada"},
            f"Letter {REDACTED_SUMMARY} added to CSC-2022-0001",
        ),
        (
            AuditEventType.DOCUMENT_DOWNLOADED,
            "Letter to Ada Quill.pdf downloaded",
            {},
            f"{REDACTED_SUMMARY} downloaded",
        ),
        (
            AuditEventType.MESSAGE_SENT,
            "Deadline reminder to the case owner to ada.quill@example.org sent",
            {"status": "sent"},
            f"Deadline reminder to the case owner to {REDACTED_SUMMARY} sent",
        ),
        (
            AuditEventType.MESSAGE_FAILED,
            "Acknowledgement of a complaint to Ada Quill could not be sent",
            {"status": "failed"},
            f"Acknowledgement of a complaint to {REDACTED_SUMMARY} could not be sent",
        ),
        (
            AuditEventType.BREAK_GLASS,
            "Emergency access until 5:30pm on Monday 13 June 2022: Ada Quill called",
            {"reason": "Ada Quill called"},
            f"Emergency access until 5:30pm on Monday 13 June 2022: {REDACTED_SUMMARY}",
        ),
        (
            AuditEventType.LEARNING_ACTION_CREATED,
            "Learning action created: Call Ada back",
            {"action": "Call Ada back", "status": "planned"},
            f"Learning action created: {REDACTED_SUMMARY}",
        ),
        (
            AuditEventType.LEGAL_HOLD_PLACED,
            "Legal hold placed on CSC-2022-0001",
            {"reason": "Ada Quill's claim"},
            "Legal hold placed on CSC-2022-0001",
        ),
    ],
)
def test_the_words_in_a_legacy_summary_are_taken_out(case, event_type, summary, after, expected):
    event = legacy(case, event_type, summary, after=after)
    audit_events_redact(case_id=case.pk, acting_user=None)
    event.refresh_from_db()
    assert event.summary == expected
    assert "Ada" not in str(event.after)


def test_a_long_summary_stays_within_its_column(case):
    reason = "Ada " * 120
    event = legacy(case, AuditEventType.CASE_REOPENED, f"Case reopened: {reason}"[:500], after={"reason": reason})
    audit_events_redact(case_id=case.pk, acting_user=None)
    event.refresh_from_db()
    assert event.summary == f"Case reopened: {REDACTED_SUMMARY}"
    assert event.after == {"reason": {"redacted": True, "characters": 480}}


def test_a_hold_keeps_its_reason_code(case):
    event = legacy(
        case, AuditEventType.STAGE_HELD, "Stage 1 on hold", after={"reason": "awaiting_advocate", "note": "Ada away"}
    )
    audit_events_redact(case_id=case.pk, acting_user=None)
    event.refresh_from_db()
    assert event.after == {"reason": "awaiting_advocate", "note": {"redacted": True, "characters": 8}}


def test_rows_recorded_now_need_only_their_words_beside_them_deleted(case, complaints_manager):
    event = audit_event_record(
        acting_user=complaints_manager,
        event_type=AuditEventType.COMPLAINT_WITHDRAWN,
        subject=case,
        case_id=case.pk,
        summary=f"Complaint {case.reference} withdrawn at stage 1",
        after={"note": FreeText("Ada moved away"), "withdrawn_date": "2022-06-01"},
    )
    assert event.texts.get().text == "Ada moved away"
    audit_events_redact(case_id=case.pk, acting_user=complaints_manager)
    event.refresh_from_db()
    assert not AuditEventText.objects.filter(event__case=case).exists()
    assert event.after == {"note": {"free_text": True, "characters": 14}, "withdrawn_date": "2022-06-01"}
    assert event.summary == f"Complaint {case.reference} withdrawn at stage 1"
    assert event.redacted_by == complaints_manager


def test_other_cases_are_not_touched(case, council, complaints_manager):
    other = f.accepted(council, complaints_manager)
    event = legacy(other, AuditEventType.CASE_REOPENED, "Case reopened: Ada", after={"reason": "Ada"})
    kept = audit_event_record(
        acting_user=None,
        event_type=AuditEventType.COMPLAINT_WITHDRAWN,
        subject=other,
        case_id=other.pk,
        summary="Withdrawn",
        after={"note": FreeText("Ada")},
    )
    audit_events_redact(case_id=case.pk, acting_user=None)
    event.refresh_from_db()
    assert (event.summary, event.after, event.redacted_at) == ("Case reopened: Ada", {"reason": "Ada"}, None)
    assert kept.texts.get().text == "Ada"


def test_a_second_redaction_finds_nothing_and_the_database_refuses_one(case):
    event = legacy(case, AuditEventType.CASE_REOPENED, "Case reopened: Ada", after={"reason": "Ada"})
    assert audit_events_redact(case_id=case.pk, acting_user=None) > 0
    assert audit_events_redact(case_id=case.pk, acting_user=None) == 0
    event.refresh_from_db()
    redacted_at = event.redacted_at
    rows = AuditEvent.objects.filter(pk=event.pk)
    refused(lambda: rows.update(redacted_at=timezone.now()))
    refused(lambda: rows.update(redacted_at=None))
    refused(lambda: rows.update(summary="Case reopened"))
    event.refresh_from_db()
    assert event.redacted_at == redacted_at


def test_any_other_update_is_refused(case, complaints_manager):
    event = legacy(
        case,
        AuditEventType.CASE_REOPENED,
        "Case reopened: Ada asked",
        before={"status": "closed"},
        after={"status": "open", "reason": "Ada asked"},
    )
    rows = AuditEvent.objects.filter(pk=event.pk)
    now = timezone.now()
    marker = {"redacted": True, "characters": 9}
    after = {"status": "open", "reason": marker}
    attempts = [
        # Without marking the row as redacted.
        {"after": after},
        {"summary": f"Case reopened: {REDACTED_SUMMARY}"},
        # Marking it, but changing what is not words.
        {"redacted_at": now, "event_type": AuditEventType.CASE_CLOSED},
        {"redacted_at": now, "acting_user": complaints_manager},
        {"redacted_at": now, "subject_id": "999"},
        {"redacted_at": now, "event_time": now},
        # Marking it, but adding, renaming or altering values instead of redacting them.
        {"redacted_at": now, "after": {**after, "extra": 1}},
        {"redacted_at": now, "after": {"status": "open", "why": marker}},
        {"redacted_at": now, "after": {"status": "open"}},
        {"redacted_at": now, "after": {"status": "closed", "reason": marker}},
        {"redacted_at": now, "after": {"status": "open", "reason": "Somebody else asked"}},
        {"redacted_at": now, "after": {"status": "open", "reason": {"redacted": True, "characters": 3}}},
        {"redacted_at": now, "after": {"status": "open", "reason": {"redacted": True, "characters": 9, "x": 1}}},
        {"redacted_at": now, "after": {"status": "open", "reason": {"redacted": True}}},
        {"redacted_at": now, "before": {"status": {"redacted": True, "characters": 5}, "x": 1}},
        # Marking it, but writing a summary that is not the old one with one stretch taken out.
        {"redacted_at": now, "summary": "Case closed"},
        {"redacted_at": now, "summary": f"Case reopened: {REDACTED_SUMMARY} by Bob"},
        {"redacted_at": now, "summary": f"Case opened: {REDACTED_SUMMARY}"},
        {"redacted_at": now, "summary": f"Case reopened: Ada asked{REDACTED_SUMMARY}"},
    ]
    for values in attempts:
        refused(lambda values=values: rows.update(**values))
    event.refresh_from_db()
    assert (event.summary, event.after, event.redacted_at) == ("Case reopened: Ada asked", event.after, None)
    assert event.after == {"status": "open", "reason": "Ada asked"}
    # The exact redaction is allowed, with a value of any other type replaced by the plain marker.
    rows.update(
        redacted_at=now,
        summary=f"Case reopened: {REDACTED_SUMMARY}",
        before={"status": {"redacted": True, "characters": 6}},
        after=after,
    )


def test_a_delete_is_still_refused_after_redaction(case):
    event = legacy(case, AuditEventType.CASE_REOPENED, "Case reopened: Ada", after={"reason": "Ada"})
    audit_events_redact(case_id=case.pk, acting_user=None)
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds a table for some changes")
@pytest.mark.django_db(transaction=True)  # the schema editor cannot run inside a transaction on SQLite
def test_the_column_is_added_without_rebuilding_the_table():
    # A rebuilt table loses its triggers (test_append_only checks they are there); adding a nullable column must be
    # a plain ALTER TABLE.
    out = io.StringIO()
    call_command("sqlmigrate", "audit", "0009", stdout=out)
    sql = out.getvalue()
    assert 'ALTER TABLE "audit_auditevent" ADD COLUMN "redacted_at"' in sql
    assert "new__audit_auditevent" not in sql
