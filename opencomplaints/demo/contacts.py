"""The demonstration's contacts (docs/adr/0032-contacts-without-accounts.md): people outside each council it
appoints without an account, kept by its complaints manager, and appointed on some of its cases: an independent
person at stage 2 of a complaint still being investigated, and a member of a review panel that has not yet met.
Names are synthetic."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import PanelMember, Stage
from opencomplaints.cases.services import stage2_appoint, stage3_panel_appoint
from opencomplaints.councils.models import Contact, Council
from opencomplaints.councils.services import ContactDetails, contact_create

__all__ = ["CONTACTS", "contacts_demo", "contacts_demo_delete"]

CONTACTS = (
    ContactDetails(
        name="Harriet Quenby",
        organisation="Independent Advocacy Partnership",
        email="harriet.quenby@example.org",
        phone="01632 960123",
        may_be_independent_person=True,
        may_be_panel_member=True,
        independent_of_council=True,
    ),
    ContactDetails(
        name="Marguerite Ashdown",
        organisation="Retired magistrate",
        email="m.ashdown@example.org",
        may_be_panel_member=True,
        may_be_panel_chair=True,
        independent_of_council=True,
    ),
    ContactDetails(
        name="Tobias Wrenfield",
        organisation="Wrenfield Consulting",
        email="tobias@wrenfield.example.org",
        may_be_independent_person=True,
        may_be_panel_member=True,
        independent_of_council=True,
    ),
    ContactDetails(
        name="Desmond Pellow",
        organisation="Pellow Investigations Ltd",
        email="desmond.pellow@example.org",
        phone="01632 960456",
        may_be_investigating_officer=True,
    ),
)


def contacts_demo(*, council: Council, users: Mapping[str, User], end_date: date) -> None:
    """The council's contacts, then one appointed independent person on the latest open stage 2 and one on the
    latest review panel yet to meet, each through the services, as a manager would."""
    manager = users["manager"]
    attested = datetime.combine(end_date, time(9), tzinfo=UTC)
    made = [contact_create(council=council, details=d, acting_user=manager, now=attested) for d in CONTACTS]
    harriet, _, tobias, _ = made
    open_stages = Stage.objects.filter(
        case__council=council, case__procedure=c.Procedure.CHILDREN_STATUTORY, response_date__isnull=True
    ).order_by("-received_date", "-id")
    stage2 = open_stages.filter(number=2, independent_person__isnull=False).first()
    if stage2 is not None:
        stage2_appoint(
            stage=stage2,
            acting_user=manager,
            appointed_date=stage2.independent_person_appointed_date or stage2.received_date,
            independent_person=harriet,
        )
    stage3 = open_stages.filter(number=3, panel_date__isnull=True, panel_members__isnull=False).distinct().first()
    if stage3 is not None:
        panel = list(PanelMember.objects.filter(stage=stage3).select_related("user", "contact").order_by("-role", "id"))
        chair = next(m.person for m in panel if m.role == c.PanelRole.CHAIR)
        members = [m.person for m in panel if m.role != c.PanelRole.CHAIR]
        # Tobias takes the place of the last member; Harriet may be this complaint's stage 2 independent person.
        stage3_panel_appoint(stage=stage3, acting_user=manager, chair=chair, members=[*members[:-1], tobias])


def contacts_demo_delete(councils: list[Council]) -> None:
    """Remove the demonstration councils' contacts and the audit events about them, once their cases are gone.
    Called with the audit trail unlocked."""
    contacts = Contact.objects.filter(council__in=councils)
    ids = [str(pk) for pk in contacts.values_list("pk", flat=True)]
    AuditEvent.objects.filter(subject_type=Contact._meta.label_lower, subject_id__in=ids).delete()
    contacts.delete()
