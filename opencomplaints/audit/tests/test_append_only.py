"""The audit trail is append-only in the database: triggers refuse UPDATE and DELETE on PostgreSQL and SQLite
(run this module once with each: ``DATABASE_URL=postgres://… pytest opencomplaints/audit``)."""

import importlib
import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from opencomplaints.audit import append_only
from opencomplaints.audit.append_only import APPEND_ONLY_MESSAGE, audit_trail_unlocked, triggers_installed
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.audit.services import audit_event_record

pytestmark = pytest.mark.django_db

# The migration that last changed the triggers: the module must create exactly what it created.
MIGRATION = importlib.import_module("opencomplaints.audit.migrations.0009_auditevent_redacted_at")


@pytest.fixture
def event(council):
    return audit_event_record(
        acting_user=None, event_type=AuditEventType.COUNCIL_CREATED, subject=council, summary="Council created"
    )


def refused(action):
    with pytest.raises(IntegrityError, match=re.escape(APPEND_ONLY_MESSAGE)), transaction.atomic():
        action()


def test_the_triggers_are_installed():
    assert connection.vendor in {"sqlite", "postgresql"}
    assert triggers_installed()


def test_rows_can_be_added(event):
    audit_event_record(acting_user=None, event_type=AuditEventType.TEAM_CREATED, subject=event, summary="Another")
    assert AuditEvent.objects.count() == 2


def test_an_update_is_refused(event):
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(summary="Something else"))
    event.summary = "Something else"
    refused(event.save)
    event.refresh_from_db()
    assert event.summary == "Council created"


def test_a_delete_is_refused(event):
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    refused(event.delete)
    refused(lambda: AuditEvent.objects.all().delete())
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_is_refused_too(event):
    def raw(sql):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])

        return run

    refused(raw("UPDATE audit_auditevent SET summary = 'x' WHERE id = %s"))
    refused(raw("DELETE FROM audit_auditevent WHERE id = %s"))


def test_unlocked_lifts_the_triggers_for_one_transaction_only(event):
    with audit_trail_unlocked():
        assert not triggers_installed()
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert triggers_installed()
    again = audit_event_record(acting_user=None, event_type=AuditEventType.TEAM_CREATED, subject=event, summary="x")
    refused(again.delete)


def test_a_failure_while_unlocked_leaves_the_triggers_in_place(event):
    def delete_then_fail():
        with audit_trail_unlocked():
            AuditEvent.objects.filter(pk=event.pk).delete()
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        delete_then_fail()
    assert triggers_installed()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def _normalised(statements):
    return [" ".join(statement.split()) for statement in statements]


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_the_migration_and_the_module_create_the_same_triggers(vendor):
    assert _normalised(MIGRATION.CREATE[vendor]) == _normalised(append_only.create_sql(vendor))
    assert _normalised(MIGRATION.DROP[vendor]) == _normalised(append_only.drop_sql(vendor, with_function=True))


def test_flushing_the_whole_database_still_works(council):
    # The test runner flushes between transactional tests; so may an administrator, emptying every table at once.
    # (Inside this test's transaction, so the rows every other test needs come back when it rolls back.)
    audit_event_record(acting_user=None, event_type=AuditEventType.COUNCIL_CREATED, subject=council, summary="x")
    if connection.vendor == "postgresql":
        # PostgreSQL truncates only tables without deferred checks pending in the transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert triggers_installed()
    event = AuditEvent.objects.create(
        event_time=timezone.now(), event_type=AuditEventType.SIGN_IN, subject_type="x", subject_id="1", summary="x"
    )
    refused(event.delete)
