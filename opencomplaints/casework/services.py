"""Writes of the casework app: documents kept on a case, each upload and download on the case's audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_event_record
from opencomplaints.cases.concurrency import bump_version, check_version
from opencomplaints.cases.models import Case, Stage
from opencomplaints.casework.models import Document, DocumentKind
from opencomplaints.casework.sniffing import ALLOWED_FORMATS, format_for_name, sniff_format
from opencomplaints.common.errors import DomainError

__all__ = [
    "DOCUMENT_EMPTY",
    "DOCUMENT_KIND_INVALID",
    "DOCUMENT_NAME_MISMATCH",
    "DOCUMENT_STAGE_OTHER_CASE",
    "DOCUMENT_TOO_LARGE",
    "DOCUMENT_TYPE_NOT_ALLOWED",
    "declared_action_perform",
    "document_download_record",
    "document_upload",
    "max_upload_bytes",
]

DOCUMENT_EMPTY = "The selected file is empty"
DOCUMENT_TOO_LARGE = "The selected file must be smaller than {limit}"
DOCUMENT_TYPE_NOT_ALLOWED = "The selected file must be a {formats}"
DOCUMENT_NAME_MISMATCH = "The selected file is a {label} file, so its name must end in {extensions}"
DOCUMENT_STAGE_OTHER_CASE = "The stage chosen is not a stage of {reference}"
DOCUMENT_KIND_INVALID = "Select what kind of document it is"

_NAME_LENGTH = 255


def max_upload_bytes() -> int:
    limit: int = settings.OPENCOMPLAINTS["MAX_UPLOAD_BYTES"]
    return limit


def allowed_formats_text() -> str:
    labels = list(dict.fromkeys(f.label for f in ALLOWED_FORMATS))
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def _display_name(name: str) -> str:
    # Keep only the last part of whatever path the browser sent, and never an empty or over-long name.
    base = PurePath(name.replace("\\", "/")).name.strip() or "document"
    if len(base) <= _NAME_LENGTH:
        return base
    suffix = PurePath(base).suffix[:20]
    return base[: _NAME_LENGTH - len(suffix)] + suffix


def document_upload(
    *,
    case: Case,
    acting_user: User | None,
    file: UploadedFile[bytes],
    description: str = "",
    kind: str = DocumentKind.OTHER,
    stage: Stage | None = None,
) -> Document:
    """Keep ``file`` on ``case``: at most ``OPENCOMPLAINTS["MAX_UPLOAD_BYTES"]``, one of the allowed formats by its
    contents (PDF, DOCX, DOC, XLSX, ODT, PNG, JPEG, TXT, EML, MSG), with a name that matches what it is. It is
    stored under a generated name in a folder for the month; the uploaded name is kept for display. Raises
    ``DomainError`` (on ``file``, ``kind`` or ``stage``) and stores nothing when any of that fails.

    A stored file is not undone by a database rollback, so the upload is a transaction of its own (``durable``: it
    cannot run inside another, which could roll back after it returned), and the file is deleted again unless
    that transaction commits."""
    limit = max_upload_bytes()
    size = file.size or 0
    if size == 0:
        raise DomainError(DOCUMENT_EMPTY, field="file")
    if size > limit:
        raise DomainError(DOCUMENT_TOO_LARGE.format(limit=filesizeformat(limit)), field="file")
    if kind not in DocumentKind.values:
        raise DomainError(DOCUMENT_KIND_INVALID, field="kind")
    if stage is not None and stage.case_id != case.pk:
        raise DomainError(DOCUMENT_STAGE_OTHER_CASE.format(reference=case.reference), field="stage")
    name = _display_name(file.name or "")
    file.seek(0)
    data = file.read()
    found = sniff_format(data, name)
    if found is None:
        raise DomainError(DOCUMENT_TYPE_NOT_ALLOWED.format(formats=allowed_formats_text()), field="file")
    if format_for_name(name) is not found:
        raise DomainError(
            DOCUMENT_NAME_MISMATCH.format(label=found.label, extensions=" or ".join(found.extensions)), field="file"
        )
    document = Document(
        case=case,
        stage=stage,
        original_name=name,
        content_type=found.content_type,
        size=len(data),
        description=description.strip(),
        kind=kind,
        uploaded_by=acting_user,
        uploaded_at=timezone.now(),
    )
    document.file.save(f"{uuid.uuid4().hex}{found.extension}", ContentFile(data), save=False)
    stored = str(document.file.name)
    try:
        with transaction.atomic(durable=True):
            try:
                document.full_clean(exclude=["case", "stage", "uploaded_by"], validate_constraints=False)
            except ValidationError as error:
                field, problems = next(iter(error.message_dict.items()))
                raise DomainError(problems[0], field=field) from error
            document.save()
            _document_event(
                document,
                acting_user,
                AuditEventType.DOCUMENT_UPLOADED,
                f"{document.get_kind_display()} document #{document.pk} added to {case.reference}",
                after={
                    "original_name": FreeText(name),
                    "content_type": found.content_type,
                    "size": len(data),
                    "kind": kind,
                    "stage": stage.number if stage else None,
                    "description": FreeText(document.description),
                },
            )
    except BaseException:
        # Whatever stopped the commit (a check, the database, the transaction being nested), the row is not there,
        # so neither may the file be.
        document.file.storage.delete(stored)
        raise
    return document


def _document_event(
    document: Document, acting_user: User | None, event_type: AuditEventType, summary: str, **changes: Any
) -> None:
    """The one audit event of a document's upload or download, on its case's trail."""
    audit_event_record(
        acting_user=acting_user, event_type=event_type, subject=document, case_id=document.case_id, summary=summary,
        **changes,
    )  # fmt: skip


@transaction.atomic
def document_download_record(*, document: Document, acting_user: User | None) -> Document:
    """Note on the case's audit trail that ``acting_user`` downloaded ``document`` (reads of case files are
    recorded, like changes)."""
    _document_event(document, acting_user, AuditEventType.DOCUMENT_DOWNLOADED, f"Document #{document.pk} downloaded")
    return document


class Performable(Protocol):
    """What :func:`declared_action_perform` needs of a declared action (``casework.declarations.Action``)."""

    @property
    def service(self) -> Callable[..., Any]: ...

    @property
    def own_transaction(self) -> bool: ...


def declared_action_perform(
    *, action: Performable, case: Case, acting_user: User, version: int | None, arguments: Mapping[str, Any]
) -> Any:
    """Make a declared action's one service call with the one version check of every edit (``cases.concurrency``):
    the case page and the API both come here, so a save from a stale page, or with a stale ETag, is refused whole.
    ``version`` is the case's version the change was read at (``None``: not checked)."""
    if action.own_transaction:
        # The service commits on its own (a stored file is not undone by a rollback), so the check runs before it.
        with transaction.atomic():
            check_version(case, version)
        result = action.service(acting_user=acting_user, **arguments)
        with transaction.atomic():
            bump_version(case)
        return result
    with transaction.atomic():
        check_version(case, version)
        result = action.service(acting_user=acting_user, **arguments)
        bump_version(case)
    return result
