"""The import against the database: all or nothing, idempotent, mappings kept, councils and names created."""

from datetime import date

import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case, CaseTeam, Deadline, Remedy, Stage
from opencomplaints.councils.models import Council, IssueCategory, Team
from opencomplaints.interchange.importer import records_check, records_import
from opencomplaints.interchange.mapping import DEFAULT_COUNCIL_NAME
from opencomplaints.interchange.models import ImportMapping, ImportRun
from opencomplaints.interchange.tests.conftest import HAND_BUILT, TODAY, records_csv
from opencomplaints.records.selectors import records_for_councils

pytestmark = pytest.mark.django_db


def run(data, **kwargs):
    kwargs.setdefault("acting_user", None)
    kwargs.setdefault("today", TODAY)
    return records_import(data=data, filename=kwargs.pop("filename", "records.csv"), **kwargs)


def test_a_clean_file_imports_every_record_with_its_deadlines(structured_council, complaints_manager):
    outcome = run(HAND_BUILT.encode(), acting_user=complaints_manager)
    assert (outcome.errors, outcome.rows, outcome.created) == ([], 8, 8)
    case = Case.objects.get(reference="C1")
    assert case.status == "closed"
    assert case.closed_date == date(2023, 9, 15)
    assert case.summary == '=HYPERLINK("http://x")'  # neutralisation is for spreadsheets, not the record
    assert [s.reference for s in case.stages.order_by("number")] == ["C1", "C1/2", "C1/3"]
    stage1 = case.stages.get(number=1)
    assert (stage1.extended, stage1.extended_due_date) == (True, date(2023, 5, 2))
    assert Deadline.objects.filter(case=case, key="stage1_response").get().met_date == date(2023, 4, 28)
    assert Remedy.objects.filter(case=case, remedy_type__code="financial").count() == 2
    open_case = Case.objects.get(reference="C2")
    assert (open_case.status, open_case.procedure, open_case.next_due_date is not None) == ("open", "corporate", True)
    # One audit event for the whole import, and its run for the history page.
    event = AuditEvent.objects.get(event_type=AuditEventType.IMPORT_COMPLETED)
    assert event.acting_user == complaints_manager
    assert ImportRun.objects.get().created == 8


def test_one_bad_row_imports_nothing_and_every_bad_row_is_listed(structured_council):
    data = records_csv(
        ",A1,,query,,,2024-01-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
        ",A2,,query,,,2099-01-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
        ",A3,,query,,,2024-01-02,,,,,,,,,,carrier pigeon,,,,,,,,,,,,,,,,,,,,",
    )
    outcome = run(data)
    assert [(e.line, e.column) for e in outcome.errors] == [(3, "received"), (4, "received_via")]
    assert not Case.objects.exists()
    assert not ImportRun.objects.exists()


def test_reimporting_updates_and_never_duplicates(structured_council):
    run(HAND_BUILT.encode())
    again = run(HAND_BUILT.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    changed = HAND_BUILT.replace("2024-02-05,,", "2024-02-09,,").replace("Council tax", "Council tax bands")
    outcome = run(changed.encode())
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 7)
    query = Case.objects.get(reference="Q1")
    assert (query.responded_date, query.topic) == (date(2024, 2, 9), "Council tax bands")
    assert Case.objects.count() == 6
    assert Stage.objects.count() == 4


def test_a_new_stage_joins_its_existing_complaint(structured_council):
    run(records_csv(",B1,B,complaint,,1,2024-01-02,,,,2024-01-10,not_upheld,,MASH,,,,,,,,,,female,,,,,,,,,,,,,"))
    outcome = run(records_csv(",B2,B,complaint,,2,2024-01-20,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"))
    assert (outcome.errors, outcome.created) == ([], 1)
    case = Case.objects.get(reference="B")
    assert (case.current_stage, case.status) == (2, "open")
    # The complainant is the complaint's, kept from the stage already stored; the teams are each stage's own (§4).
    (stage2,) = [r for r in records_for_councils(councils=[structured_council]) if r.ref == "B2"]
    assert (stage2.teams, stage2.complainant_sex) == ((), "female")


def test_records_that_contradict_stored_ones_are_rejected(structured_council):
    run(records_csv(",B1,B,complaint,,1,2024-01-02,,,,2024-01-10,not_upheld,,,,,,,,,,,,,,,,,,,,,,,,,"))
    outcome = run(records_csv(",B1,X,complaint,,1,2024-01-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"))
    assert outcome.errors[0].reason == "The ref B1 already belongs to B; a record cannot move to another case (X)."
    outcome = run(records_csv(",B,,query,,,2024-01-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"))
    assert outcome.errors[0].column == "kind"
    assert Case.objects.count() == 1


def test_a_dry_run_reports_the_same_and_writes_nothing(structured_council):
    outcome = run(HAND_BUILT.encode(), dry_run=True)
    assert (outcome.errors, outcome.created, outcome.dry_run) == ([], 8, True)
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.IMPORT_COMPLETED).exists()


def test_a_mapping_is_confirmed_once_and_kept(structured_council):
    data = records_csv(
        ",A1,,complaint,,1,2023-05-26,,,,2023-06-01,Partly Upheld,,,,,,Children Looked After,,,,,,,,,,,,,,,,,,,"
    )
    first = run(data)
    assert {u.label for u in first.unknown} == {"Partly Upheld", "Children Looked After"}
    outcome = run(
        data,
        mappings={("outcome", "Partly Upheld"): "partly_upheld", ("support_category", "Children Looked After"): "cla"},
    )
    assert outcome.errors == []
    assert ImportMapping.objects.filter(council=structured_council).count() == 2
    # Next time the same labels need no mapping.
    again = run(data.replace(b"A1", b"A2"))
    assert (again.errors, again.created) == ([], 1)
    (record,) = [r for r in records_for_councils(councils=[structured_council]) if r.ref == "A2"]
    assert (record.outcome, record.support_category) == ("partly_upheld", "cla")


def test_names_the_council_lacks_are_created_on_request(structured_council):
    data = records_csv(
        ",A1,,complaint,,1,2023-05-26,,,,,,Leaving Care,Leaving Care Team,Transport,,,,,,,,,,,,,,,,,,,,,,"
    )
    assert run(data).errors
    outcome = run(data, create_missing=True)
    assert outcome.errors == []
    assert set(outcome.names_created) == {
        ("service_area", "Leaving Care"),
        ("teams", "Leaving Care Team"),
        ("issues", "Transport"),
    }
    team = Team.objects.get(name="Leaving Care Team")
    assert team.service_area.name == "Leaving Care"
    assert IssueCategory.objects.filter(council=structured_council, name="Transport").exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.ISSUE_CATEGORY_CREATED).count() == 1


def test_an_empty_installation_gets_its_council(db):
    outcome = run(records_csv(",A1,,query,,,2024-01-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"), new_council_name="Northby")
    assert outcome.councils_created == ["Northby"]
    assert Council.objects.get().slug == "northby"
    other = run(records_csv(",A1,,query,,,2024-01-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,").replace(b"A1", b"Z9"))
    assert (other.errors, other.councils_created) == ([], [])


def test_without_a_name_the_new_council_gets_the_default(db):
    outcome = run(records_csv(",A1,,query,,,2024-01-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"))
    assert outcome.councils_created == [DEFAULT_COUNCIL_NAME]


def test_several_councils_must_be_named(structured_council, other_council):
    checked = records_check(
        data=records_csv(",A1,,query,,,2024-01-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"), filename="r.csv", today=TODAY
    )
    assert checked.validation.errors[0].column == "council"


def test_a_service_area_without_a_team_is_kept_on_the_case(structured_council):
    assert run(records_csv(",A1,,query,,,2024-01-02,,,,,,Localities,,,,,,,,,,,,,,,,,,,,,,,,")).errors == []
    case = Case.objects.get(reference="A1")
    assert case.service_area is not None
    assert case.service_area.name == "Localities"
    assert not CaseTeam.objects.filter(case=case).exists()


def test_progress_is_reported(structured_council):
    seen = []
    run(HAND_BUILT.encode(), progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 8)
    assert seen[-1] == (8, 8)


def test_blank_rows_and_rows_naming_the_new_council_make_one_council(db):
    data = records_csv(
        ",A1,,query,,,2024-01-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
        "Camden,A2,,query,,,2024-01-03,,,,,,,Duty Team,,,,,,,,,,,,,,,,,,,,,,,",
    )
    outcome = run(data, new_council_name="Camden", create_missing=True)
    assert (outcome.errors, outcome.councils_created, outcome.names_created) == (
        [],
        ["Camden"],
        [("service_area", "Service area not recorded"), ("teams", "Duty Team")],
    )
    assert Council.objects.get().slug == "camden"
    assert Case.objects.count() == 2
