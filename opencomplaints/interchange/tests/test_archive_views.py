"""The archive on the web pages: a complaints manager downloads it from the export page (as every export of case
data is theirs, ADR 0005); a system administrator imports one, and a broken one is refused with a message."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case
from opencomplaints.councils.models import Council
from opencomplaints.interchange.importer import records_import
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


def _upload(client, data, name="exampleton.zip"):
    return client.post(reverse("interchange:archive-import"), {"file": SimpleUploadedFile(name, data)})


def test_a_system_administrator_imports_an_archive_into_an_empty_installation(client, archive):
    assert zipfile.ZipFile(io.BytesIO(archive)).namelist()[0] == "manifest.json"
    empty_installation()
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    page = client.get(reverse("interchange:archive-import"))
    assert b"Import a whole-history archive" in page.content
    result = _upload(client, archive)
    assert result.status_code == 200
    assert b"Archive imported" in result.content
    assert b"Borough of Exampleton" in result.content
    assert Case.objects.filter(council__slug="exampleton").count() == 6


def test_a_broken_archive_is_refused_on_the_page_with_why(client, archive):
    empty_installation()
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    result = _upload(client, archive[:-100])
    assert result.status_code == 200
    assert b"There is a problem" in result.content
    assert b"is not a zip file" in result.content
    assert not Council.objects.exists()


def test_an_archive_of_a_council_already_here_is_refused(client, archive):
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    result = _upload(client, archive)
    assert b"This installation already holds Borough of Exampleton" in result.content
    assert Case.objects.count() == 6


def test_only_a_system_administrator_may_import_an_archive(client, archive, complaints_manager):
    client.force_login(complaints_manager)
    assert client.get(reverse("interchange:archive-import")).status_code == 403
    assert _upload(client, archive).status_code == 403
