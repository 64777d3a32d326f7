from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from opencomplaints.accounts.models import User
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import CASE_CONTENT_ROLES, Council, Role
from opencomplaints.councils.selectors import NO_COUNCILS, council_for_command
from opencomplaints.councils.services import council_create, council_member_add
from opencomplaints.councils.services.councils import is_system_administrator
from opencomplaints.councils.services.role_requests import role_grant_by_only_administrator, role_request_create

NO_SUCH_USER = "There is no user called {username}. Create the account first (e.g. opencomplaints createsuperuser)."
ADMINISTRATOR_NEEDS_ANOTHER = (
    "{username} is a system administrator, and {role} sees case content: a second system administrator must give "
    "it. Run this again with --acting-user naming another administrator, or with --acting-user {username} and "
    "--reason to ask for it (another administrator approves it on the role requests page). The only administrator "
    "of an installation gives it with --only-administrator --reason."
)


class Command(BaseCommand):
    help = (
        "Create and list councils and give people access to them, e.g. "
        '`opencomplaints council create --name "Borough of Exampleton" --slug exampleton --prefix CSC`.'
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,add-member}")

        create = actions.add_parser(
            "create", help="Create a council with the default issue categories, remedy types and procedure."
        )
        create.add_argument("--name", required=True, help='The council\'s name, e.g. "Borough of Exampleton".')
        create.add_argument("--slug", required=True, help="Short name used in web addresses and by --council.")
        create.add_argument("--prefix", required=True, help="Prefix of case references, e.g. CSC gives CSC-2026-0001.")
        create.add_argument("--acting-user", metavar="USERNAME", help="Who is doing this, for the audit trail.")

        actions.add_parser("list", help="List the councils.")

        add_member = actions.add_parser("add-member", help="Let a user see a council's records.")
        add_member.add_argument("--council", metavar="SLUG", help="Needed when there is more than one council.")
        add_member.add_argument("--username", required=True)
        add_member.add_argument(
            "--role",
            choices=Role.values,
            default=Role.COMPLAINTS_OFFICER.value,
            help="What they may see and do (default: complaints_officer). See docs/adr/0005-roles-and-access.md.",
        )
        add_member.add_argument("--acting-user", metavar="USERNAME", help="Who is doing this, for the audit trail.")
        add_member.add_argument(
            "--reason", default="", help="Why: needed when a system administrator asks for a role for themselves."
        )
        add_member.add_argument(
            "--only-administrator",
            action="store_true",
            help="The installation's only system administrator gives themselves a role that sees case content "
            "(refused when there is another administrator to ask; recorded in the audit trail).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                self._create(options)
            elif options["action"] == "list":
                self._list()
            else:
                self._add_member(options)
        except DomainError as error:
            raise CommandError(error.message) from error

    def _create(self, options: dict[str, Any]) -> None:
        council = council_create(
            name=options["name"],
            slug=options["slug"],
            reference_prefix=options["prefix"],
            acting_user=self._acting_user(options),
        )
        self.stdout.write(
            f"Created {council.name} ({council.slug}); case references start {council.reference_prefix}-. "
            f"It has {council.issue_categories.count()} issue categories, {council.remedy_types.count()} remedy "
            "types and the Complaint Handling Code's corporate procedure, which can be changed in the admin."
        )

    def _list(self) -> None:
        councils = Council.objects.annotate(member_total=Count("memberships")).order_by("slug")
        if not councils:
            self.stdout.write(NO_COUNCILS)
            return
        width = max(len(c.slug) for c in councils)
        for council in councils:
            self.stdout.write(
                f"{council.slug:<{width}}  {council.reference_prefix:<10}  {council.name} "
                f"({council.member_total} member{'' if council.member_total == 1 else 's'})"
            )

    def _add_member(self, options: dict[str, Any]) -> None:
        council = council_for_command(slug=options["council"])
        user = self._user(options["username"])
        role = Role(options["role"])
        acting_user = self._acting_user(options)
        administrator_self = role in CASE_CONTENT_ROLES and is_system_administrator(user)
        if administrator_self and options["only_administrator"]:
            role_grant_by_only_administrator(council=council, user=user, role=role, reason=options["reason"])
        elif administrator_self and acting_user is not None and acting_user.pk == user.pk:
            role_request_create(council=council, role=role, reason=options["reason"], acting_user=user)
            self.stdout.write(
                f"{user.username} has asked to be {role.label.lower()} in {council.name}: another system "
                "administrator approves or refuses it on the role requests page (/role-requests/)."
            )
            return
        elif administrator_self and acting_user is None:
            raise CommandError(ADMINISTRATOR_NEEDS_ANOTHER.format(username=user.username, role=role.label.lower()))
        else:
            council_member_add(council=council, user=user, role=role, acting_user=acting_user)
        self.stdout.write(f"{user.username} is now {role.label.lower()} in {council.name}.")

    def _acting_user(self, options: dict[str, Any]) -> User | None:
        # Without --acting-user the audit trail records the change as the system's, like any other console job.
        return self._user(options["acting_user"]) if options["acting_user"] else None

    @staticmethod
    def _user(username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(NO_SUCH_USER.format(username=username))
        return user
