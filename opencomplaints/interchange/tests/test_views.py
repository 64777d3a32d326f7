"""The web pages: upload → validation report → mapping → confirm → result; history, export and subject access."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencomplaints.cases.models import Case
from opencomplaints.councils.models import Role
from opencomplaints.interchange.models import ImportMapping, ImportRun
from opencomplaints.interchange.runs import CREATE
from opencomplaints.interchange.tests.conftest import HAND_BUILT, TODAY, records_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def manager_client(client, structured_council, complaints_manager):
    client.force_login(complaints_manager)
    return client


@pytest.fixture
def confirm(manager_client, django_capture_on_commit_callbacks):
    """Press "Import": the job is queued when the transaction commits, and the test settings' ImmediateBackend runs
    it there and then (each test runs in a transaction that never commits, so the commit is played here)."""

    def post(run_pk):
        with django_capture_on_commit_callbacks(execute=True):
            return manager_client.post(reverse("interchange:import-confirm", args=[run_pk]))

    return post


def upload(client, data, name="records.csv"):
    return client.post(reverse("interchange:import-create"), {"file": SimpleUploadedFile(name, data)})


def test_a_clean_file_is_checked_confirmed_and_imported(manager_client, confirm):
    response = upload(manager_client, HAND_BUILT.encode())
    run = ImportRun.objects.get()
    assert response.url == reverse("interchange:import-detail", args=[run.pk])
    page = manager_client.get(response.url)
    assert b"Ready to import" in page.content
    assert b"Import 8 records" in page.content
    assert reverse("interchange:records-export").encode() in page.content
    assert not Case.objects.exists()
    confirmed = confirm(run.pk)
    assert confirmed.url == reverse("interchange:import-progress", args=[run.pk])
    result = manager_client.get(confirmed.url, follow=True)
    assert b"Records imported" in result.content
    run.refresh_from_db()
    assert (run.status, run.created, run.stored_file) == ("completed", 8, "")
    assert Case.objects.count() == 6


def test_a_file_with_problems_lists_each_with_line_and_column(manager_client):
    upload(manager_client, records_csv(",A1,,query,,,05/26/2023" + "," * 30))
    run = ImportRun.objects.get()
    page = manager_client.get(reverse("interchange:import-detail", args=[run.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "There is a problem with the file" in content
    assert "05/26/2023 looks like a month-first date" in content
    problems = manager_client.get(reverse("interchange:import-errors", args=[run.pk]))
    assert problems.content.decode("utf-8-sig").splitlines()[1].startswith("2,received,")
    confirm = manager_client.post(reverse("interchange:import-confirm", args=[run.pk]))
    assert confirm.url == reverse("interchange:import-detail", args=[run.pk])
    assert not Case.objects.exists()


def test_labels_are_mapped_once_on_the_page_and_remembered(manager_client, structured_council, confirm):
    data = records_csv(
        ",A1,,complaint,,1,2023-05-26,,,,2023-06-01,Partly Upheld,,Leaving Care Team,,,,,,,,,,,,,,,,,,,,,,,"
    )
    upload(manager_client, data)
    run = ImportRun.objects.get()
    page = manager_client.get(reverse("interchange:import-detail", args=[run.pk]))
    assert "What do these labels mean?" in page.content.decode()
    assert f'action="/data/imports/{run.pk}/mapping/"' in page.content.decode()
    fields = {item["label"]: f"label_{n}" for n, item in enumerate(run.unknown_labels, start=1)}
    response = manager_client.post(
        reverse("interchange:import-mapping-save", args=[run.pk]),
        {fields["Partly Upheld"]: "partly_upheld", fields["Leaving Care Team"]: CREATE},
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "ready"
    confirm(run.pk)
    assert Case.objects.get(reference="A1").teams.get().name == "Leaving Care Team"
    assert ImportMapping.objects.get(council=structured_council).target == "partly_upheld"
    # The next file with the same label is ready at once.
    upload(manager_client, data.replace(b"A1", b"A2"))
    assert ImportRun.objects.latest("id").status == "ready"


def test_a_file_over_the_limit_is_refused_on_the_upload_page(manager_client, settings):
    settings.OPENCOMPLAINTS = {**settings.OPENCOMPLAINTS, "MAX_IMPORT_BYTES": 100}
    response = upload(manager_client, HAND_BUILT.encode())
    assert response.status_code == 200
    assert "The selected file must be smaller than" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_progress_endpoint_reports_figures(manager_client, confirm):
    upload(manager_client, HAND_BUILT.encode())
    run = ImportRun.objects.get()
    confirm(run.pk)
    status = manager_client.get(reverse("interchange:import-status", args=[run.pk])).json()
    assert status == {
        "status": "completed",
        "done": 8,
        "total": 8,
        "percent": 100,
        "detail_url": reverse("interchange:import-detail", args=[run.pk]),
    }


def test_the_progress_page_refreshes_while_running(manager_client, structured_council, complaints_manager):
    run = ImportRun.objects.create(
        council=structured_council, started_by=complaints_manager, status="running", file_name="r.csv", rows=10
    )
    page = manager_client.get(reverse("interchange:import-progress", args=[run.pk]))
    content = page.content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in content
    assert '<progress max="100" value="0"' in content


def test_history_export_and_subject_access(manager_client, confirm):
    upload(manager_client, HAND_BUILT.encode())
    confirm(ImportRun.objects.get().pk)
    history = manager_client.get(reverse("interchange:import-list"))
    assert b"records.csv" in history.content
    export = manager_client.post(reverse("interchange:records-export"), {"council": "exampleton", "format": "jsonl"})
    assert export["Content-Disposition"].startswith('attachment; filename="records-exampleton-')
    assert len(export.content.splitlines()) == 8
    person = Case.objects.get(reference="C1").complainants.get().person
    sar = manager_client.post(reverse("interchange:subject-access-export"), {"person": person.pk})
    assert len(sar.content.splitlines()) == 4
    missing = manager_client.post(reverse("interchange:subject-access-export"), {"person": person.pk + 999})
    assert "There is no person with that number" in missing.content.decode()


def test_staff_only_and_scoped_to_the_users_councils(
    client, structured_council, complaints_officer, complaints_manager, other_council_officer
):
    # Imports and exports are for complaints managers (ADR 0005); being staff is not enough.
    complaints_officer.is_staff = True
    complaints_officer.save()
    client.force_login(complaints_officer)
    assert client.get(reverse("interchange:import-create")).status_code == 403
    client.force_login(complaints_manager)
    upload(client, HAND_BUILT.encode())
    run = ImportRun.objects.get()
    other_council_officer.memberships.update(role=Role.COMPLAINTS_MANAGER)
    client.force_login(other_council_officer)
    assert client.get(reverse("interchange:import-detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("interchange:import-list")).content.count(b"records.csv") == 0


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(reverse("interchange:import-create"))
    assert response.status_code == 302
    assert "sign-in" in response.url


def test_the_terminal_progress_bar():
    import io

    from opencomplaints.interchange.progress import TerminalProgress

    stream = io.StringIO()
    bar = TerminalProgress(stream, width=10, every=0)
    bar(5, 10)
    bar(10, 10)
    assert stream.getvalue() == (
        "\rImporting [#####.....]  50% 5 of 10 records\rImporting [##########] 100% 10 of 10 records\n"
    )


@pytest.fixture
def administrator_client(client, db):
    from opencomplaints.accounts.tests.factories import UserFactory

    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    return client


def first_upload(client, data, name="Camden", create_missing=True):
    form = {"council_name": name, "file": SimpleUploadedFile("records.csv", data)}
    if create_missing:
        form["create_missing"] = "on"
    return client.post(reverse("interchange:import-create"), form)


def test_a_system_administrator_imports_into_an_empty_installation(
    administrator_client, django_capture_on_commit_callbacks
):
    from opencomplaints.councils.models import Council, Team

    page = administrator_client.get(reverse("interchange:import-create"))
    assert b"There is no council here yet" in page.content
    response = first_upload(administrator_client, HAND_BUILT.encode())
    run = ImportRun.objects.get()
    assert (run.status, run.council, run.new_council_name) == ("ready", None, "Camden")
    assert not Council.objects.exists()  # checking creates nothing
    with django_capture_on_commit_callbacks(execute=True):
        administrator_client.post(reverse("interchange:import-confirm", args=[run.pk]))
    result = administrator_client.get(response.url)
    assert b"Records imported" in result.content
    assert reverse("interchange:records-export").encode() not in result.content  # not theirs to open
    council = Council.objects.get()
    run.refresh_from_db()
    assert (run.status, run.council, council.name) == ("completed", council, "Camden")
    assert set(Team.objects.filter(service_area__council=council).values_list("name", flat=True)) == {
        "Assessment East",
        "MASH",
    }
    assert Case.objects.filter(council=council).count() == 6


def test_a_failing_first_import_sets_up_no_council(administrator_client):
    from opencomplaints.councils.models import Council

    bad = HAND_BUILT + "\n,X1,,complaint,,1,2023-05-26,,,,2023-06-01,nonsense" + "," * 25
    response = first_upload(administrator_client, bad.encode())
    page = administrator_client.get(response.url)
    assert b"nonsense is not a valid outcome" in page.content
    assert ImportRun.objects.get().status == "invalid"
    assert not Council.objects.exists()
    assert not Case.objects.exists()


def test_without_creating_missing_names_the_first_import_lists_them(administrator_client):
    response = first_upload(administrator_client, HAND_BUILT.encode(), create_missing=False)
    page = administrator_client.get(response.url)
    assert b"MASH is not a team of Camden" in page.content


def test_the_first_import_page_is_only_for_an_empty_installation(administrator_client, council):
    assert administrator_client.get(reverse("interchange:import-create")).status_code == 403


def test_a_council_made_after_the_check_stops_the_first_import(
    administrator_client, django_capture_on_commit_callbacks
):
    from opencomplaints.councils.services import council_create

    first_upload(administrator_client, HAND_BUILT.encode())
    run = ImportRun.objects.get()
    council_create(name="Northby", slug="northby", reference_prefix="NBY", acting_user=None)
    with django_capture_on_commit_callbacks(execute=True):
        administrator_client.post(reverse("interchange:import-confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == "failed"
    assert "A council has been set up since this import was checked" in run.failure_reason
    assert not Case.objects.exists()
