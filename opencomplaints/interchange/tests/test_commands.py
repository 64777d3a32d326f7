"""The command line: ``import``, ``export`` and ``import-historic``, with their exit codes."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case, Person
from opencomplaints.interchange.models import ImportMapping
from opencomplaints.interchange.tests.conftest import HAND_BUILT, records_csv
from opencomplaints.reporting.models import HistoricFigure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from opencomplaints.interchange.tests.conftest import TODAY

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_reports_what_it_did(structured_council, tmp_path, capsys):
    call_command("import", write(tmp_path, "records.csv", HAND_BUILT.encode()))
    assert "Imported 8 records from records.csv: 8 new, 0 updated, 0 unchanged." in capsys.readouterr().out
    assert Case.objects.count() == 6


def test_invalid_input_exits_1_with_every_problem_and_writes_nothing(structured_council, tmp_path, capsys):
    path = write(
        tmp_path,
        "records.csv",
        records_csv(
            ",A1,,query,,,05/26/2023,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
            ",A2,,complaint,,1,2023-05-26,,,,2023-06-01,Partly Upheld,,,,,,,,,,,,,,,,,,,,,,,,,",
        ),
    )
    with pytest.raises(CommandError) as failed:
        call_command("import", path)
    assert failed.value.returncode == 1
    assert "Nothing was imported from records.csv: 2 problems on 2 lines." in str(failed.value)
    err = capsys.readouterr().err
    assert "line 2, received: 05/26/2023 looks like a month-first date." in err
    assert 'Map it with --map outcome:"Partly Upheld"=partly_upheld.' in err
    assert not Case.objects.exists()


def test_the_command_line_exit_code_for_a_bad_file(structured_council, tmp_path):
    from django.core.management import ManagementUtility

    path = write(tmp_path, "records.csv", b"ref,kind\nA1,query\n")
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["opencomplaints", "import", path]).execute()
    assert exited.value.code == 1


def test_dry_run_writes_nothing(structured_council, tmp_path, capsys):
    call_command("import", write(tmp_path, "records.csv", HAND_BUILT.encode()), "--dry-run")
    out = capsys.readouterr().out
    assert "Would import 8 records" in out
    assert "Dry run: nothing was written." in out
    assert not Case.objects.exists()


def test_map_options_and_mapping_files_are_kept(structured_council, tmp_path):
    data = records_csv(
        ",A1,,complaint,,1,2023-05-26,,,,2023-06-01,Partly Upheld,,,,,,Children Looked After,,,,,,,,,,,,,,,,,,,"
    )
    mapping = write(tmp_path, "mapping.csv", b"column,label,value\nsupport_category,Children Looked After,cla\n")
    call_command(
        "import",
        write(tmp_path, "r.csv", data),
        "--map",
        'outcome:"Partly Upheld"=partly_upheld',
        "--mapping-file",
        mapping,
    )
    assert set(ImportMapping.objects.values_list("source_label", "target")) == {
        ("Partly Upheld", "partly_upheld"),
        ("Children Looked After", "cla"),
    }


def test_a_bad_map_option_is_explained(structured_council, tmp_path):
    with pytest.raises(CommandError, match="Write a mapping as"):
        call_command("import", write(tmp_path, "r.csv", HAND_BUILT.encode()), "--map", "nonsense")


def test_a_file_over_the_limit_is_refused(structured_council, tmp_path, settings):
    settings.OPENCOMPLAINTS = {**settings.OPENCOMPLAINTS, "MAX_IMPORT_BYTES": 100}
    with pytest.raises(CommandError, match="the largest file that can be imported is"):
        call_command("import", write(tmp_path, "r.csv", HAND_BUILT.encode()))


def test_import_into_an_empty_installation_names_the_council(db, tmp_path, capsys):
    call_command(
        "import", write(tmp_path, "r.csv", records_csv(",Q1,,query,,,2024-01-02" + "," * 30)), "--council", "Northby"
    )
    assert "Created the council Northby." in capsys.readouterr().out


def test_export_chooses_the_format_by_extension(structured_council, tmp_path, capsys):
    call_command("import", write(tmp_path, "r.csv", HAND_BUILT.encode()))
    for name in ("out.csv", "out.xlsx", "out.jsonl"):
        call_command("export", "--out", str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 0
    first = json.loads((tmp_path / "out.jsonl").read_text().splitlines()[0])
    assert first["ref"] == "C1"
    assert first["teams"] == ["Assessment East", "MASH"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.EXPORT_CREATED).count() == 3
    with pytest.raises(CommandError, match=r"Name the file \.csv, \.xlsx or \.jsonl"):
        call_command("export", "--out", str(tmp_path / "out.txt"))


def test_export_neutralises_formulae_in_csv_and_xlsx(structured_council, tmp_path):
    from openpyxl import load_workbook

    call_command("import", write(tmp_path, "r.csv", HAND_BUILT.encode()))
    call_command("export", "--out", str(tmp_path / "out.csv"))
    call_command("export", "--out", str(tmp_path / "out.xlsx"))
    assert '"\'=HYPERLINK(""http://x"")"' in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    sheet = load_workbook(tmp_path / "out.xlsx")["records"]
    summaries = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in summaries
    assert not any(isinstance(v, str) and v.startswith("=") for row in sheet.iter_rows(values_only=True) for v in row)


def test_subject_access_export_holds_every_case_of_the_person(structured_council, tmp_path, capsys):
    call_command("import", write(tmp_path, "r.csv", HAND_BUILT.encode()))
    person = Case.objects.get(reference="C1").complainants.get().person
    out = tmp_path / "person.jsonl"
    call_command("export", "--person", str(person.pk), "--out", str(out))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0]["schema"] == "opencomplaints.subject-access/1"
    assert lines[0]["person"]["id"] == person.pk
    assert [(line["ref"], line["role"]) for line in lines[1:]] == [
        ("C1", "complainant"),
        ("C1/2", "complainant"),
        ("C1/3", "complainant"),
    ]
    event = AuditEvent.objects.get(event_type=AuditEventType.SUBJECT_ACCESS_EXPORT)
    assert event.after["cases"] == ["C1"]
    with pytest.raises(CommandError, match="There is no person"):
        call_command(
            "export",
            "--person",
            str(Person.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1),
            "--out",
            str(out),
        )


def test_historic_figures_import_all_or_nothing(structured_council, tmp_path, capsys):
    good = write(
        tmp_path,
        "h.csv",
        b"council,year,measure,value\n,2003/04,stage1_received,120\nexampleton,2004,stage1_received,135\n",
    )
    call_command("import-historic", good)
    assert "Imported 2 historic figures" in capsys.readouterr().out
    assert dict(HistoricFigure.objects.values_list("year", "value")) == {2003: Decimal("120"), 2004: Decimal("135")}
    bad = write(
        tmp_path,
        "bad.csv",
        b"council,year,measure,value\n,2005,stage1_received,99\n,2003/05,stage1_received,1\n,2006,height,2\n,2007,stage1_received,-1\n",
    )
    with pytest.raises(CommandError, match="3 problems"):
        call_command("import-historic", bad)
    err = capsys.readouterr().err
    assert "line 3, year:" in err
    assert "line 4, measure:" in err
    assert "line 5, value:" in err
    assert not HistoricFigure.objects.filter(year=2005).exists()
    # Re-importing a figure replaces it.
    call_command(
        "import-historic", write(tmp_path, "again.csv", b"council,year,measure,value\n,2003,stage1_received,121\n")
    )
    assert HistoricFigure.objects.get(year=2003).value == Decimal("121")


def test_import_into_an_empty_installation_creates_the_council_and_its_structure(db, tmp_path, capsys):
    from opencomplaints.councils.models import Council, IssueCategory, ServiceArea, Team

    call_command(
        "import", write(tmp_path, "records.csv", HAND_BUILT.encode()), "--council", "Camden", "--create-missing"
    )
    out = capsys.readouterr().out
    assert "Imported 8 records from records.csv: 8 new" in out
    assert "Created the council Camden." in out
    council = Council.objects.get()
    assert (council.name, council.slug) == ("Camden", "camden")
    assert set(ServiceArea.objects.filter(council=council).values_list("name", flat=True)) >= {"Localities"}
    assert set(Team.objects.filter(service_area__council=council).values_list("name", flat=True)) == {
        "Assessment East",
        "MASH",
    }
    assert IssueCategory.objects.filter(council=council, name="Delay").exists()
    assert Case.objects.filter(council=council).count() == 6


def test_a_dry_run_into_an_empty_installation_creates_nothing(db, tmp_path, capsys):
    from opencomplaints.councils.models import Council, Team

    path = write(tmp_path, "records.csv", HAND_BUILT.encode())
    call_command("import", path, "--council", "Camden", "--create-missing", "--dry-run")
    out = capsys.readouterr().out
    assert "Would import 8 records" in out
    assert "Would create the council Camden." in out
    assert "Would create the team MASH." in out
    assert not Council.objects.exists()
    assert not Team.objects.exists()
    assert not Case.objects.exists()


def test_a_failing_file_into_an_empty_installation_creates_no_council(db, tmp_path, capsys):
    from opencomplaints.councils.models import Council, Team

    bad = HAND_BUILT + "\n,X1,,complaint,,1,2023-05-26,,,,2023-06-01,nonsense" + "," * 25
    with pytest.raises(CommandError, match=r"Nothing was imported from records\.csv"):
        call_command("import", write(tmp_path, "records.csv", bad.encode()), "--council", "Camden", "--create-missing")
    assert "line 10, outcome: nonsense is not a valid outcome." in capsys.readouterr().err
    assert not Council.objects.exists()
    assert not Team.objects.exists()
    assert not Case.objects.exists()


def test_an_empty_installation_without_a_council_name_gets_the_default_one(db, tmp_path, capsys):
    from opencomplaints.councils.models import Council
    from opencomplaints.interchange.mapping import DEFAULT_COUNCIL_NAME

    call_command("import", write(tmp_path, "records.csv", HAND_BUILT.encode()), "--create-missing")
    assert Council.objects.get().name == DEFAULT_COUNCIL_NAME
    assert Case.objects.count() == 6
