"""`opencomplaints council create | list | add-member`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.councils.models import Council, CouncilMembership, Role
from opencomplaints.councils.selectors import NO_COUNCILS

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("council", *args, stdout=out)
    return out.getvalue()


def test_create_makes_a_council_with_its_defaults():
    out = run("create", "--name", "Borough of Exampleton", "--slug", "exampleton", "--prefix", "csc")

    council = Council.objects.get(slug="exampleton")
    assert council.reference_prefix == "CSC"
    assert council.issue_categories.count() == 13
    assert "Created Borough of Exampleton (exampleton); case references start CSC-." in out
    assert "13 issue categories, 7 remedy types" in out
    assert AuditEvent.objects.get().acting_user is None


def test_create_records_the_acting_user_when_given(system_administrator):
    run("create", "--name", "Northby", "--slug", "northby", "--prefix", "NBY", "--acting-user", "admin.sam")
    assert AuditEvent.objects.get(event_type=AuditEventType.COUNCIL_CREATED).acting_user == system_administrator


def test_create_refusals_are_clear_command_errors(council):
    with pytest.raises(CommandError, match=r"There is already a council with the slug exampleton\."):
        run("create", "--name", "Another", "--slug", "exampleton", "--prefix", "CSC")
    with pytest.raises(CommandError, match="Enter a reference prefix of 1 to 10 letters or numbers"):
        run("create", "--name", "Another", "--slug", "another", "--prefix", "C/S")


def test_create_needs_its_options():
    with pytest.raises(CommandError, match="--slug"):
        run("create", "--name", "Borough of Exampleton", "--prefix", "CSC")


def test_list_with_no_councils_says_how_to_create_one():
    assert run("list").strip() == NO_COUNCILS


def test_list_shows_slug_prefix_name_and_members(council, other_council, complaints_officer, complaints_manager):
    lines = run("list").splitlines()
    assert lines == [
        "exampleton  CSC         Borough of Exampleton (2 members)",
        "northby     NBY         Northby District Council (0 members)",
    ]


def test_add_member_with_one_council_needs_no_council_option(council):
    UserFactory.create(username="new.starter")

    out = run("add-member", "--username", "new.starter")

    assert CouncilMembership.objects.filter(council=council, user__username="new.starter").exists()
    assert out.strip() == "new.starter is now complaints officer in Borough of Exampleton."
    assert AuditEvent.objects.get().event_type == AuditEventType.COUNCIL_MEMBER_ADDED


def test_add_member_with_several_councils_lists_them(council, other_council):
    UserFactory.create(username="new.starter")

    with pytest.raises(CommandError, match=r"say which with --council SLUG.*exampleton \(Borough of Exampleton\)"):
        run("add-member", "--username", "new.starter")
    run("add-member", "--username", "new.starter", "--council", "northby")
    assert other_council.members.filter(username="new.starter").exists()


def test_add_member_with_no_councils_says_to_create_one():
    UserFactory.create(username="new.starter")
    with pytest.raises(CommandError) as raised:
        run("add-member", "--username", "new.starter")
    assert str(raised.value) == NO_COUNCILS


def test_add_member_with_a_role(council):
    UserFactory.create(username="new.analyst")

    out = run("add-member", "--username", "new.analyst", "--role", "report_viewer")

    assert CouncilMembership.objects.get(user__username="new.analyst").role == Role.REPORT_VIEWER
    assert out.strip() == "new.analyst is now report viewer (aggregate reports only) in Borough of Exampleton."


def test_add_member_refuses_an_unknown_role(council):
    UserFactory.create(username="new.starter")

    with pytest.raises(CommandError, match="invalid choice: 'boss'"):
        run("add-member", "--username", "new.starter", "--role", "boss")


def test_add_member_errors(council, complaints_officer):
    with pytest.raises(CommandError, match="There is no user called nobody"):
        run("add-member", "--username", "nobody")
    with pytest.raises(CommandError, match=r"officer\.ola is already a member of Borough of Exampleton\."):
        run("add-member", "--username", "officer.ola", "--council", "exampleton")


def test_an_unknown_action_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        run("delete")
