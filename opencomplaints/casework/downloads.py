"""The only way a stored file leaves the server, for the case page and the API alike."""

from __future__ import annotations

from django.http import FileResponse

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import CasePermissions
from opencomplaints.cases.models import Case
from opencomplaints.casework.access import DOCUMENT_NOT_FOUND, access_document_for_case
from opencomplaints.casework.services import document_download_record
from opencomplaints.common.errors import NotFoundError

__all__ = ["document_file_response"]


def document_file_response(
    *, case: Case, permissions: CasePermissions, document_id: int | str, acting_user: User | None
) -> FileResponse:
    """Document ``document_id`` of ``case``, for someone who may see its stage, as an attachment, recorded on the
    case's audit trail; a document they may not see is not found."""
    document = access_document_for_case(case=case, document_id=document_id)
    if not permissions.sees_stage(document.stage_id):
        raise NotFoundError(DOCUMENT_NOT_FOUND)
    document_download_record(document=document, acting_user=acting_user)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Nothing in a downloaded file may run as this site, even if a browser were to display it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
