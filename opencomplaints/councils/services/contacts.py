"""A council's contacts: the people outside it who take a part in its complaints without an account (issue 15,
docs/adr/0032-contacts-without-accounts.md).

A complaints manager or a system administrator keeps the list. A contact who may act as an independent person, a
review panel member or chair must be attested independent of the council (R1.3, R1.30): the service records who
attested it and when, and the database refuses the flags without it. A contact is deactivated, never deleted, so
the cases that named them keep their name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import CONTACT_KEEPER_ROLES, Contact, Council, CouncilMembership
from opencomplaints.councils.services.validation import full_clean_or_domain_error

__all__ = [
    "ContactDetails",
    "contact_create",
    "contact_deactivate",
    "contact_update",
    "may_keep_contacts",
]

NOT_KEEPER = "Only a complaints manager or a system administrator of {council} can change its contacts."
NEEDS_NAME = "Enter the contact's name."
NEEDS_PART = "Choose at least one part the contact may take."
NOT_ATTESTED = (
    "Confirm that {name} is independent of the council: an independent person or a member of a review panel is "
    "neither a member nor an officer of it."
)
ALREADY_INACTIVE = "{name} is already deactivated."

# The fields a change is audited by; the words of free-text ones are kept out of the trail (``FreeText``).
_FREE_TEXT = ("name", "organisation", "email", "phone")
_FLAGS = (
    "may_be_independent_person",
    "may_be_panel_member",
    "may_be_panel_chair",
    "may_be_investigating_officer",
    "independent_of_council",
)


@dataclass(frozen=True)
class ContactDetails:
    """What the manager enters about a contact: who they are, how to reach them, the parts they may take and
    whether they attest the contact independent of the council."""

    name: str
    organisation: str = ""
    email: str = ""
    phone: str = ""
    may_be_independent_person: bool = False
    may_be_panel_member: bool = False
    may_be_panel_chair: bool = False
    may_be_investigating_officer: bool = False
    independent_of_council: bool = False


def may_keep_contacts(*, user: User, council: Council) -> bool:
    """A superuser, or a complaints manager or system administrator of ``council``."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return CouncilMembership.objects.filter(user=user, council=council, role__in=CONTACT_KEEPER_ROLES).exists()


def _require_keeper(user: User, council: Council) -> None:
    if not may_keep_contacts(user=user, council=council):
        raise DomainError(NOT_KEEPER.format(council=council.name))


def _snapshot(contact: Contact) -> dict[str, Any]:
    values: dict[str, Any] = {name: FreeText(getattr(contact, name)) for name in _FREE_TEXT}
    values.update({name: getattr(contact, name) for name in _FLAGS})
    values["active"] = contact.active
    return values


def _apply(contact: Contact, details: ContactDetails, *, acting_user: User, now: datetime) -> None:
    """Copy ``details`` onto ``contact``, checking the rules first: a name, a part, and independence attested for
    the parts that need it. An attestation newly given is the acting user's, now; one withdrawn is cleared."""
    name = details.name.strip()
    if not name:
        raise DomainError(NEEDS_NAME, field="name")
    flags = {field: bool(getattr(details, field)) for field in Contact.CAPACITY_FIELDS.values()}
    if not any(flags.values()):
        raise DomainError(NEEDS_PART, field="capacities")
    needs_independence = any(flags[Contact.CAPACITY_FIELDS[c]] for c in Contact.INDEPENDENT_CAPACITIES)
    if needs_independence and not details.independent_of_council:
        raise DomainError(NOT_ATTESTED.format(name=name), field="independent_of_council")
    contact.name = name
    contact.organisation = details.organisation.strip()
    contact.email = details.email.strip()
    contact.phone = details.phone.strip()
    for field, value in flags.items():
        setattr(contact, field, value)
    if details.independent_of_council and not contact.independent_of_council:
        contact.independence_attested_by, contact.independence_attested_at = acting_user, now
    elif not details.independent_of_council:
        contact.independence_attested_by, contact.independence_attested_at = None, None
    contact.independent_of_council = details.independent_of_council
    full_clean_or_domain_error(contact)


@transaction.atomic
def contact_create(*, council: Council, details: ContactDetails, acting_user: User, now: datetime) -> Contact:
    """Add a contact to ``council``'s list (audited, 1870)."""
    _require_keeper(acting_user, council)
    contact = Contact(council=council)
    _apply(contact, details, acting_user=acting_user, now=now)
    contact.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.CONTACT_CREATED,
        subject=contact,
        summary=f"Contact {contact.pk} added to {council.name}",
        after=_snapshot(contact),
    )
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, details: ContactDetails, acting_user: User, now: datetime) -> Contact:
    """Change a contact's details, parts or attestation (audited, 1871). A case that named them keeps naming
    them; the parts they may take govern appointments from now on."""
    locked = Contact.objects.select_for_update().select_related("council").get(pk=contact.pk)
    _require_keeper(acting_user, locked.council)
    before = _snapshot(locked)
    _apply(locked, details, acting_user=acting_user, now=now)
    locked.save()
    after = _snapshot(locked)
    changed = [key for key in after if before[key] != after[key]]
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.CONTACT_CHANGED,
        subject=locked,
        summary=f"Contact {locked.pk} of {locked.council.name} changed",
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    return locked


@transaction.atomic
def contact_deactivate(*, contact: Contact, acting_user: User) -> Contact:
    """Take a contact off the pickers (audited, 1872): they can no longer be appointed, and the cases that named
    them keep their name."""
    locked = Contact.objects.select_for_update().select_related("council").get(pk=contact.pk)
    _require_keeper(acting_user, locked.council)
    if not locked.active:
        raise DomainError(ALREADY_INACTIVE.format(name=locked.name))
    locked.active = False
    locked.save(update_fields=["active", "updated_at"])
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.CONTACT_DEACTIVATED,
        subject=locked,
        summary=f"Contact {locked.pk} of {locked.council.name} deactivated",
        before={"active": True},
        after={"active": False},
    )
    return locked
