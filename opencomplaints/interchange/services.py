"""Writes of the interchange app besides the import itself: issue categories created for an import, and the
labels a council maps to our vocabulary. Each records an audit event in its own transaction."""

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council, IssueCategory
from opencomplaints.interchange.models import ImportMapping
from opencomplaints.interchange.parse import label_key

ISSUE_CATEGORY_NEEDS_NAME = "Enter the issue category's name."
ISSUE_CATEGORY_EXISTS = "{council} already has an issue category called {name}."
MAPPING_NEEDS_TARGET = "Choose what {label} means in {column}."

__all__ = ["import_mapping_save", "issue_category_create"]


@transaction.atomic
def issue_category_create(*, council: Council, name: str, acting_user: User | None) -> IssueCategory:
    """Add an issue category (e.g. "Leaving care support") that complaints can be about (rules §7)."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(ISSUE_CATEGORY_NEEDS_NAME, field="name")
    if council.issue_categories.filter(name__iexact=name).exists():
        raise DomainError(ISSUE_CATEGORY_EXISTS.format(council=council.name, name=name), field="name")
    category = IssueCategory(council=council, name=name)
    category.full_clean()
    category.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.ISSUE_CATEGORY_CREATED,
        subject=category,
        summary=f"Issue category created in {council.name}: {name}",
        after={"council": council, "name": name},
    )
    return category


@transaction.atomic
def import_mapping_save(
    *, council: Council, column: str, label: str, target: str, acting_user: User | None
) -> ImportMapping:
    """Remember that ``label`` in ``column`` means ``target`` (a vocabulary code or a configured name) for every
    later import of the council. Saving a label again replaces what it meant."""
    target = target.strip()
    if not target:
        raise DomainError(MAPPING_NEEDS_TARGET.format(label=label, column=column), field="target")
    key = label_key(label)
    mapping = ImportMapping.objects.filter(council=council, column=column, label_key=key).first()
    before = {"target": mapping.target} if mapping else {}
    if mapping is None:
        mapping = ImportMapping(council=council, column=column, label_key=key, source_label=label.strip()[:300])
    mapping.target = target
    mapping.confirmed_by = acting_user
    mapping.full_clean(validate_constraints=False)
    mapping.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.IMPORT_MAPPING_SAVED,
        subject=mapping,
        summary=f"{council.name}: “{label.strip()}” in {column} means {target}",
        before=before,
        after={"council": council, "column": column, "label": label.strip(), "target": target},
    )
    return mapping
