"""The archive on the web pages: a complaints manager downloads it from the export page (as every export of case
data is theirs, ADR 0005); a system administrator imports one as a background job (issue 13) whose page follows
it, and a broken one is refused with a message, nothing changed; a job whose process died shows as failed."""

import io
import socket
import subprocess
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case
from opencomplaints.councils.models import Council
from opencomplaints.interchange.importer import records_import
from opencomplaints.interchange.models import ImportRun
from opencomplaints.interchange.tasks import archive_import_run
from opencomplaints.interchange.tests.archive_world import empty_installation
from opencomplaints.interchange.tests.conftest import HAND_BUILT, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(client, structured_council, complaints_manager):
    """The archive the council's complaints manager downloads from the export page."""
    assert records_import(data=HAND_BUILT.encode(), filename="hand.csv", acting_user=None, today=TODAY).errors == []
    client.force_login(complaints_manager)
    page = client.get(reverse("interchange:records-export"))
    assert b"Whole-history archive (ZIP)" in page.content
    response = client.post(reverse("interchange:records-export"), {"council": "exampleton", "format": "zip"})
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="archive-exampleton-')
    assert AuditEvent.objects.filter(event_type=AuditEventType.ARCHIVE_EXPORTED).count() == 1
    client.logout()
    return response.content


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Uploads' jobs run as their request commits (the immediate backend), as a worker would run them."""

    def send(client, data, name="exampleton.zip", execute=True):
        with django_capture_on_commit_callbacks(execute=execute):
            response = client.post(reverse("interchange:archive-import"), {"file": SimpleUploadedFile(name, data)})
        return client.get(response.url) if response.status_code == 302 else response

    return send


def test_a_system_administrator_imports_an_archive_into_an_empty_installation(client, archive, upload):
    assert zipfile.ZipFile(io.BytesIO(archive)).namelist()[0] == "manifest.json"
    empty_installation()
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    page = client.get(reverse("interchange:archive-import"))
    assert b"Import a whole-history archive" in page.content
    result = upload(client, archive)
    assert result.status_code == 200
    assert b"Archive imported" in result.content
    assert b"Borough of Exampleton" in result.content
    assert Case.objects.filter(council__slug="exampleton").count() == 6
    run = ImportRun.objects.get(kind=ImportRun.Kind.ARCHIVE)
    assert (run.status, run.council and run.council.slug, run.stored_file) == ("completed", "exampleton", "")
    assert AuditEvent.objects.filter(event_type=AuditEventType.ARCHIVE_IMPORT_STARTED, subject_id=str(run.pk)).exists()
    # The import history lists it, and its status is the progress page's.
    assert b"exampleton.zip" in client.get(reverse("interchange:import-list")).content
    status = client.get(reverse("interchange:import-status", args=[run.pk])).json()
    assert status["status"] == "completed"
    assert status["detail_url"] == reverse("interchange:archive-import-detail", args=[run.pk])


def test_while_it_runs_the_page_shows_its_progress(client, archive, upload):
    empty_installation()
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    page = upload(client, archive, execute=False)  # the job has not started
    assert page.status_code == 200
    assert b"Importing the archive" in page.content
    assert b'http-equiv="refresh"' in page.content
    assert not Council.objects.exists()


def test_an_archive_import_whose_process_died_shows_as_failed_with_nothing_imported(client, archive, upload):
    empty_installation()
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    upload(client, archive, execute=False)
    run = ImportRun.objects.get(kind=ImportRun.Kind.ARCHIVE)
    finished = subprocess.Popen(["true"])  # noqa: S607 - a process that has ended, for its id
    finished.wait()
    ImportRun.objects.filter(pk=run.pk).update(worker=f"{socket.gethostname()}:{finished.pid}")
    page = client.get(reverse("interchange:archive-import-detail", args=[run.pk]))
    assert b"The archive was not imported" in page.content
    assert b"no longer running" in page.content
    run.refresh_from_db()
    assert (run.status, run.stored_file) == ("failed", "")
    assert not Council.objects.exists()
    # The job, if it ever ran after all, leaves a failed run alone.
    archive_import_run.call(run.pk, run.started_by_id)
    assert not Council.objects.exists()


def test_a_broken_archive_is_refused_on_the_page_with_why(client, archive, upload):
    empty_installation()
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    result = upload(client, archive[:-100])
    assert result.status_code == 200
    assert b"The archive was not imported" in result.content
    assert b"is not a zip file" in result.content
    assert b"Nothing has been imported" in result.content
    assert not Council.objects.exists()
    assert ImportRun.objects.get(kind=ImportRun.Kind.ARCHIVE).status == "failed"


def test_an_emptyupload_is_refused_on_the_form(client, upload):
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    result = upload(client, b"")
    assert result.status_code == 400
    assert b"There is a problem" in result.content
    assert not ImportRun.objects.exists()


def test_an_archive_of_a_council_already_here_is_refused(client, archive, upload):
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    result = upload(client, archive)
    assert b"This installation already holds Borough of Exampleton" in result.content
    assert Case.objects.count() == 6


def test_only_a_system_administrator_may_import_an_archive(client, archive, complaints_manager, upload):
    client.force_login(complaints_manager)
    assert client.get(reverse("interchange:archive-import")).status_code == 403
    assert upload(client, archive).status_code == 403
    assert client.get(reverse("interchange:archive-import-detail", args=[1])).status_code == 403
