"""Tables by any dimension saved to a council's annual report (interchange §5), and taken off it again."""

from __future__ import annotations

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.reporting.metrics.crosstab import TableQuery, TableQueryError, validate
from opencomplaints.reporting.models import SavedTable

__all__ = ["saved_table_create", "saved_table_remove"]

MAX_TITLE = 200


@transaction.atomic
def saved_table_create(
    *, acting_user: User, council: Council, query: TableQuery, title: str, service_area: str | None = None
) -> SavedTable:
    """Save ``query`` (limited to ``service_area`` where given) to ``council``'s annual report of the query's
    procedure, under ``title``."""
    title = " ".join(title.split())
    if not title:
        raise DomainError("Enter a title for the table", field="title")
    if len(title) > MAX_TITLE:
        raise DomainError(f"The title must be {MAX_TITLE} characters or fewer", field="title")
    try:
        validate(query)
    except TableQueryError as error:
        raise DomainError(error.message) from error
    saved = SavedTable.objects.create(
        council=council,
        procedure=query.procedure,
        title=title,
        measure=query.measure,
        stage=query.stage,
        kind=query.kind or "",
        rows=query.rows,
        columns=query.columns or "",
        service_area=service_area or "",
        created_by=acting_user,
    )
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.SAVED_TABLE_CREATED,
        subject=saved,
        summary=f"Table {saved.pk} saved to the {query.procedure} annual report of {council.slug}",
        after={
            "procedure": saved.procedure,
            "measure": saved.measure,
            "stage": saved.stage,
            "kind": saved.kind,
            "rows": saved.rows,
            "columns": saved.columns,
            "service_area": saved.service_area,
        },
    )
    return saved


@transaction.atomic
def saved_table_remove(*, acting_user: User, saved_table: SavedTable) -> None:
    """Take ``saved_table`` off its council's annual report."""
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.SAVED_TABLE_REMOVED,
        subject=saved_table,
        summary=f"Table {saved_table.pk} removed from the {saved_table.procedure} annual report",
        before={"measure": saved_table.measure, "rows": saved_table.rows, "columns": saved_table.columns},
    )
    saved_table.delete()
