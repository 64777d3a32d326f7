"""A review panel member who is a contact without an account (docs/adr/0032) is told of the meeting and reminded
at their email address, in words with no link to a case they cannot open; without an email address they are
skipped, and nothing fails."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from opencomplaints.cases.services import stage3_panel_appoint
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import ContactFactory
from opencomplaints.notifications.models import Message, TemplateKey
from opencomplaints.notifications.services import stage3_panel_schedule_and_notify
from opencomplaints.notifications.triggers import deadline_scan

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def stage3(council, complaints_manager, investigating_officer, independent_person, adjudicator):
    return f.at_stage3(council, complaints_manager, investigating_officer=investigating_officer,
                       independent_person=independent_person, adjudicator=adjudicator)  # fmt: skip


def test_a_contact_on_the_panel_is_told_without_a_case_link(stage3, council, complaints_manager, panel_members):
    chair = ContactFactory.create(
        council=council, name="Marguerite Ashdown", email="m.ashdown@example.org", may_be_panel_chair=True
    )
    # No email address: nobody can tell them by message, and arranging the meeting still succeeds.
    unreachable = ContactFactory.create(council=council, name="Tobias Wrenfield", email="", may_be_panel_member=True)
    stage3_panel_appoint(
        stage=stage3, acting_user=complaints_manager, chair=chair, members=[unreachable, panel_members[1]]
    )

    stage3_panel_schedule_and_notify(
        stage=stage3,
        acting_user=complaints_manager,
        meeting_at=datetime(2022, 9, 6, 10, tzinfo=LONDON),
        place="County Hall, Committee Room 2",
    )

    to_contact = Message.objects.get(template_key=TemplateKey.PANEL_ARRANGED_CONTACT)
    assert to_contact.recipient == "m.ashdown@example.org"
    assert to_contact.recipient_user is None
    assert "Hello Marguerite Ashdown," in to_contact.body
    assert "The panel: Marguerite Ashdown (Independent Advocacy Partnership) (chair)" in to_contact.body
    assert "/cases/" not in to_contact.body
    assert "Borough of Exampleton" in to_contact.body
    to_users = Message.objects.filter(template_key=TemplateKey.PANEL_ARRANGED)
    # The user member (and the case owner, if it has one); the contact without an address is skipped.
    owner = stage3.case.owner
    told = [panel_members[1].email] + ([owner.email] if owner is not None else [])
    assert sorted(to_users.values_list("recipient", flat=True)) == sorted(told)

    deadline_scan(today=date(2022, 9, 1))
    reminder = Message.objects.get(template_key=TemplateKey.PANEL_REMINDER_CONTACT)
    assert reminder.recipient == "m.ashdown@example.org"
    assert "in 3 working days" in reminder.body
    assert Message.objects.filter(template_key=TemplateKey.PANEL_REMINDER).count() == len(told)
