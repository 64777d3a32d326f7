"""Documents: what a file is comes from its bytes; uploads are limited in size and kind; files are stored under
generated names outside the web root and leave only through the access-checked download, which is audited."""

import io
import zipfile
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.tests import factories as f
from opencomplaints.casework import sniffing
from opencomplaints.casework.models import Document
from opencomplaints.casework.services import document_upload
from opencomplaints.common.errors import DomainError

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


def _zip(names, *, mimetype=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX = _zip(["[Content_Types].xml", "_rels/.rels", "word/document.xml"])
XLSX = _zip(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"])
ODT = _zip(["content.xml"], mimetype="application/vnd.oasis.opendocument.text")
DOC = OLE + "WordDocument".encode("utf-16-le") + b"\x00" * 20
MSG = OLE + "__substg1.0_0037001F".encode("utf-16-le") + b"\x00" * 20
EML = b"From: jo@example.com\r\nTo: complaints@example.gov.uk\r\nSubject: My complaint\r\n\r\nHello\r\n"
TXT = "Notes of the phone call on 1 June. £50 offered.\n".encode()


@pytest.mark.parametrize(
    ("data", "name", "label"),
    [
        (PDF, "letter.pdf", "PDF"),
        (DOCX, "report.docx", "DOCX"),
        (DOC, "old.doc", "DOC"),
        (XLSX, "costs.xlsx", "XLSX"),
        (ODT, "notes.odt", "ODT"),
        (PNG, "photo.png", "PNG"),
        (JPEG, "photo.jpg", "JPEG"),
        (JPEG, "photo.JPEG", "JPEG"),
        (TXT, "notes.txt", "TXT"),
        (EML, "email.eml", "EML"),
        (MSG, "email.msg", "MSG"),
    ],
)
def test_sniffing_knows_each_allowed_format(data, name, label):
    found = sniffing.sniff_format(data, name)
    assert found is not None
    assert found.label == label


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "setup.exe"),
        (b"MZ\x90\x00" + b"\x00" * 60, "letter.pdf"),  # an extension does not make a PDF
        (b"<html><script>alert(1)</script></html>", "page.html"),
        (b"<html><script>alert(1)</script></html>", "page.txt.html"),
        (_zip(["payload.js"]), "archive.docx"),  # a ZIP that is not a Word document
        (OLE, "unknown.doc"),  # an OLE file with neither a Word nor an Outlook stream
        (b"\x00\x01\x02binary", "notes.txt"),  # binary bytes named as text
        (b"", "empty.txt"),
    ],
)
def test_sniffing_refuses_everything_else(data, name):
    assert sniffing.sniff_format(data, name) is None


def test_text_that_is_not_an_email_is_text():
    assert sniffing.sniff_format(b"Just some words\n", "message.eml") is sniffing.TXT


def upload(client, case, data, name, **extra):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    target = reverse("casework:document-upload", args=[case.pk])
    return client.post(target, {"file": file, "kind": "letter", "description": "Stage 1 response", **extra})


@pytest.mark.django_db
def test_upload_and_download(officer_client, complaint, complaints_officer, settings):
    response = upload(officer_client, complaint, PDF, "Response letter.pdf")
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == "Response letter.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    stored = Path(document.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "cases")
    assert stored.name != "Response letter.pdf"
    assert stored.suffix == ".pdf"
    assert len(stored.stem) == 32
    assert stored.read_bytes() == PDF
    page = unescape(officer_client.get(response.url).content.decode())
    assert "Response letter.pdf uploaded" in page
    download = reverse("casework:document-download", args=[complaint.pk, document.pk])
    assert download in page

    response = officer_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "Response%20letter.pdf" in response["Content-Disposition"]
        or "Response letter.pdf" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    events = AuditEvent.objects.filter(
        case=complaint, event_type__in=[AuditEventType.DOCUMENT_UPLOADED, AuditEventType.DOCUMENT_DOWNLOADED]
    )
    assert [(e.event_type, e.acting_user) for e in events.order_by("id")] == [
        (AuditEventType.DOCUMENT_UPLOADED, complaints_officer),
        (AuditEventType.DOCUMENT_DOWNLOADED, complaints_officer),
    ]


@pytest.mark.django_db
def test_the_stored_type_is_what_the_bytes_are(officer_client, complaint):
    # The browser said octet-stream; the file is a PNG, and is served as one.
    assert upload(officer_client, complaint, PNG, "scan.png").status_code == 302
    assert Document.objects.get().content_type == "image/png"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"MZ\x90\x00" + b"\x00" * 60,
            "letter.pdf",
            "The selected file must be a PDF, DOCX, DOC, XLSX, ODT, PNG, JPEG, TXT, EML or MSG",
        ),
        (
            b"<html></html>",
            "page.html",
            "The selected file must be a PDF, DOCX, DOC, XLSX, ODT, PNG, JPEG, TXT, EML or MSG",
        ),
        (PDF, "letter.docx", "The selected file is a PDF file, so its name must end in .pdf"),
    ],
)
def test_files_that_are_not_allowed(officer_client, complaint, data, name, message):
    response = upload(officer_client, complaint, data, name)
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert f'<a href="#id_file">{message}</a>' in page
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_empty_and_missing_files(officer_client, complaint):
    page = unescape(upload(officer_client, complaint, b"", "empty.pdf").content.decode())
    assert "The selected file is empty" in page
    response = officer_client.post(reverse("casework:document-upload", args=[complaint.pk]), {"kind": "letter"})
    assert "Select a file" in unescape(response.content.decode())


@pytest.mark.django_db
def test_size_limit(officer_client, complaint, settings):
    settings.OPENCOMPLAINTS = {**settings.OPENCOMPLAINTS, "MAX_UPLOAD_BYTES": 1024}
    page = unescape(upload(officer_client, complaint, PDF + b"0" * 1024, "big.pdf").content.decode())
    assert (
        "The selected file must be smaller than 1.0\xa0KB" in page
        or "The selected file must be smaller than 1.0 KB" in page
    )
    assert "smaller than 1.0" in page  # the hint states the limit too
    assert Document.objects.count() == 0
    assert upload(officer_client, complaint, PDF, "small.pdf").status_code == 302


@pytest.mark.django_db
def test_the_default_limit_is_20_mb(settings):
    assert settings.OPENCOMPLAINTS["MAX_UPLOAD_BYTES"] == 20 * 1024 * 1024


@pytest.mark.django_db
def test_a_stage_of_another_case_is_refused(complaint, council, complaints_manager):
    other = f.accepted(council, complaints_manager)
    file = SimpleUploadedFile("a.pdf", PDF)
    with pytest.raises(DomainError, match="is not a stage of"):
        document_upload(case=complaint, acting_user=complaints_manager, file=file, stage=other.stages.get())
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_downloads_are_access_checked(officer_client, other_client, complaint, council, complaints_manager):
    document = document_upload(case=complaint, acting_user=complaints_manager, file=SimpleUploadedFile("a.pdf", PDF))
    other_case = f.accepted(council, complaints_manager)
    assert other_client.get(reverse("casework:document-download", args=[complaint.pk, document.pk])).status_code == 404
    # The right document through the wrong case is not found either.
    assert (
        officer_client.get(reverse("casework:document-download", args=[other_case.pk, document.pk])).status_code == 404
    )
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_DOWNLOADED).exists()


@pytest.mark.django_db
def test_media_files_have_no_url(client, complaint, complaints_manager):
    document = document_upload(case=complaint, acting_user=complaints_manager, file=SimpleUploadedFile("a.pdf", PDF))
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(f"/{document.file.name}").status_code == 404


def _stored_files(settings):
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


@pytest.mark.django_db
def test_a_failure_after_the_file_is_stored_leaves_no_file(complaint, complaints_manager, settings, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr("opencomplaints.casework.services.audit_event_record", fail)
    with pytest.raises(RuntimeError, match="unavailable"):
        document_upload(case=complaint, acting_user=complaints_manager, file=SimpleUploadedFile("a.pdf", PDF))
    assert not Document.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.django_db
def test_an_upload_cannot_be_rolled_back_by_an_outer_transaction(complaint, complaints_manager, settings):
    # A transaction around the upload could roll back after it returned, leaving the file without its row: the
    # upload refuses to run inside one, and stores nothing.
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        document_upload(case=complaint, acting_user=complaints_manager, file=SimpleUploadedFile("a.pdf", PDF))
    assert not Document.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_a_commit_that_fails_leaves_no_file(council, complaints_manager, settings, monkeypatch):
    case = f.accepted(council, complaints_manager)

    def commit():
        raise DatabaseError("the database went away")

    monkeypatch.setattr(connection, "commit", commit)
    with pytest.raises(DatabaseError):
        document_upload(case=case, acting_user=complaints_manager, file=SimpleUploadedFile("a.pdf", PDF))
    monkeypatch.undo()
    assert not Document.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.django_db
def test_the_audit_trail_names_the_document_by_id(complaint, complaints_manager):
    document = document_upload(
        case=complaint,
        acting_user=complaints_manager,
        file=SimpleUploadedFile("Letter to Ada Pemberton.pdf", PDF),
        description="Sent to Ada Pemberton",
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_UPLOADED)
    assert event.summary == f"Other document #{document.pk} added to {complaint.reference}"
    assert event.after["original_name"] == {"free_text": True, "characters": 27}
    assert "Pemberton" not in str(event.after)
    # The words are kept beside the row, for the case's timeline, until the retention removes them.
    assert {t.path: t.text for t in event.texts.all()} == {
        "original_name": "Letter to Ada Pemberton.pdf",
        "description": "Sent to Ada Pemberton",
    }
