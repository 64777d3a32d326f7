"""Learning actions in the flat file family (issue 13 item 7): a second CSV or the XLSX sheet ``learning_actions``,
linked to the records by ``ref``; imported with the records, all or nothing; exported back the same way."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, LearningAction
from opencomplaints.councils.models import Council
from opencomplaints.interchange.exporter import records_export
from opencomplaints.interchange.importer import records_import
from opencomplaints.interchange.learning import LEARNING_COLUMNS
from opencomplaints.interchange.tests.conftest import HAND_BUILT, HEADER, TODAY
from opencomplaints.interchange.tests.helpers import empty_installation

pytestmark = pytest.mark.django_db

LEARNING_HEADER = "learning_ref,ref,finding,action,team,due,status,implemented,evidence,not_implemented_reason"
GOOD = "\n".join(
    [
        LEARNING_HEADER,
        "LA-1,C1/2;C1,Letters were late,Weekly check of due dates,MASH,2024-09-30,in progress,,,",
        'LA-2,O1,"Apologies were vague","Apology training, for every team",,2024-06-01,implemented,2024-05-20,'
        "Attendance list,",
        "LA-3,,Calls not logged,Log every call,,,not_implemented,,,The telephony contract ended",
    ]
)


def imported(data=None, learning=GOOD, filename="records.csv", **options):
    return records_import(
        data=HAND_BUILT.encode() if data is None else data,
        filename=filename,
        acting_user=None,
        today=TODAY,
        learning_data=None if learning is None else learning.encode(),
        learning_filename="learning.csv",
        **options,
    )


def test_a_second_csv_of_learning_actions_is_imported_with_the_records(structured_council):
    outcome = imported()
    assert outcome.errors == []
    assert (outcome.learning.rows, outcome.learning.created) == (3, 3)
    first = LearningAction.objects.get(reference="LA-1")
    assert first.council == structured_council
    assert list(first.cases.values_list("reference", flat=True)) == ["C1"]  # both stages are the one complaint
    assert first.team is not None
    assert (first.team.name, first.status, str(first.due_date)) == ("MASH", "in_progress", "2024-09-30")
    second = LearningAction.objects.get(reference="LA-2")
    assert second.action == "Apology training, for every team"
    assert list(second.cases.values_list("kind", flat=True)) == [c.Kind.OMBUDSMAN]
    assert (second.status, str(second.implemented_date)) == ("implemented", "2024-05-20")
    assert second.evidence == "Attendance list"
    assert LearningAction.objects.get(reference="LA-3").not_implemented_reason == "The telephony contract ended"
    assert AuditEvent.objects.filter(event_type=AuditEventType.LEARNING_ACTIONS_IMPORTED).count() == 1


def test_importing_again_updates_by_learning_ref_and_changes_nothing_else(structured_council):
    assert imported().ok
    again = imported()
    assert (again.learning.created, again.learning.updated, again.learning.unchanged) == (0, 0, 3)
    changed = imported(learning=GOOD.replace("Weekly check of due dates", "Daily check of due dates"))
    assert (changed.learning.created, changed.learning.updated) == (0, 1)
    assert LearningAction.objects.count() == 3
    assert LearningAction.objects.get(reference="LA-1").action == "Daily check of due dates"


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("LA-9,C1,Finding,Action,,,started,,,", "learning_actions.status", "The statuses are: planned"),
        ("LA-9,C1,,Action,,,,,,", "learning_actions.finding", "finding is required"),
        ("LA-9,C1,Finding,Action,,,implemented,2024-05-01,,", "learning_actions.status", "(evidence)"),
        ("LA-9,C1,Finding,Action,,,implemented,2030-01-01,Seen,", "learning_actions.implemented", "in the future"),
        ("LA-9,C1,Finding,Action,,,not_implemented,,,", "learning_actions.not_implemented_reason", "Say why"),
        ("LA-9,C1,Finding,Action,,31/02/2024,,,,", "learning_actions.due", "not a real date"),
        (",C1,Finding,Action,,,,,,", "learning_actions.learning_ref", "Give the action a learning_ref"),
        ("LA-1,C1,Finding,Action,,,,,,", "learning_actions.learning_ref", "given twice: also on line 2"),
        ("LA-9,NOPE,Finding,Action,,,,,,", "learning_actions.ref", "NOPE is not the ref of a record"),
        ("LA-9,C1,Finding,Action,Fostering,,,,,", "learning_actions.team", "Fostering is not a team"),
    ],
)
def test_a_wrong_action_imports_nothing_records_included(structured_council, row, column, reason):
    learning = f"{LEARNING_HEADER}\nLA-1,C1,Letters were late,Weekly check,,,,,,\n{row}"
    outcome = imported(learning=learning)
    assert [(e.line, e.column) for e in outcome.errors] == [(3, column)], outcome.errors
    assert reason in outcome.errors[0].reason
    assert not LearningAction.objects.exists()
    assert not Case.objects.exists()


def test_wrong_records_and_wrong_actions_are_reported_together(structured_council):
    records = "\n".join([HEADER, ",C1,,complaint,,1,2023-04-31,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"])
    outcome = imported(data=records.encode(), learning=f"{LEARNING_HEADER}\nLA-1,C1,,Action,,,,,,")
    assert {e.column for e in outcome.errors} == {"received", "learning_actions.finding"}


def test_the_command_takes_learning_actions_and_refuses_a_broken_file(structured_council, tmp_path, capsys):
    records, learning = tmp_path / "records.csv", tmp_path / "learning.csv"
    records.write_bytes(HAND_BUILT.encode())
    learning.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", str(records), "--learning-actions", str(learning))
    assert "learning_actions: This is a binary file" in capsys.readouterr().err
    learning.write_bytes(GOOD.encode())
    call_command("import", str(records), "--learning-actions", str(learning))
    assert "Imported 3 learning actions: 3 new, 0 updated, 0 unchanged." in capsys.readouterr().out


def workbook(records_text, learning_text):
    book = Workbook()
    first = book.active
    first.title = "records"
    for line in records_text.splitlines():
        first.append(next(csv.reader([line])))
    second = book.create_sheet("learning_actions")
    for line in learning_text.splitlines():
        second.append(next(csv.reader([line])))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_with_a_learning_actions_sheet_imports_both(structured_council):
    outcome = imported(data=workbook(HAND_BUILT, GOOD), learning=None, filename="records.xlsx")
    assert outcome.errors == []
    assert outcome.learning.created == 3
    bad = imported(data=workbook(HAND_BUILT, GOOD + "\nLA-4,C1,,x,,,,,,"), learning=None, filename="records.xlsx")
    assert [(e.line, e.column) for e in bad.errors] == [(5, "learning_actions.finding")]


def test_the_xlsx_export_has_the_learning_actions_sheet_and_round_trips(structured_council):
    assert imported().ok
    councils = list(Council.objects.order_by("slug"))
    first, _ = records_export(councils=councils, fmt="xlsx", acting_user=None)
    sheet = load_workbook(io.BytesIO(first), read_only=True)["learning_actions"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == LEARNING_COLUMNS
    assert rows[1][:6] == ["exampleton", "LA-1", "C1", "Letters were late", "Weekly check of due dates", "MASH"]
    empty_installation()
    again = records_import(data=first, filename="records.xlsx", acting_user=None, today=TODAY, create_missing=True)
    assert again.errors == []
    assert again.learning.created == 3
    second, _ = records_export(councils=list(Council.objects.order_by("slug")), fmt="xlsx", acting_user=None)
    assert second == first


def test_export_writes_a_csv_of_learning_actions_that_imports_back(structured_council, tmp_path, capsys):
    assert imported().ok
    action = LearningAction.objects.get(reference="LA-3")
    action.reference = ""  # recorded in the application: exported as LA-<id>, and found again by it
    action.save()
    out, learning = tmp_path / "out.csv", tmp_path / "learning.csv"
    call_command("export", "--out", str(out), "--learning-actions", str(learning))
    text = learning.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(LEARNING_COLUMNS)
    assert f"exampleton,LA-{action.pk},,Calls not logged" in text
    call_command("import", str(out), "--learning-actions", str(learning))
    assert "3 learning actions: 0 new, 0 updated, 3 unchanged" in capsys.readouterr().out
    assert LearningAction.objects.count() == 3
