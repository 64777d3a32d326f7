from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.cases.models import Case
from opencomplaints.common.dates import DateParseError, parse_date
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.selectors import council_for_command
from opencomplaints.retention.selectors import retention_cutoff, retention_due_cases
from opencomplaints.retention.services import legal_hold_lift, legal_hold_place, retention_anonymise_due


class Command(BaseCommand):
    help = (
        "Remove the personal data of closed cases whose retention period has ended (the daily job does this too): "
        "`opencomplaints retention --dry-run` lists them and changes nothing. `--hold REFERENCE --reason TEXT "
        "--user USERNAME` keeps a case's personal data until `--lift REFERENCE --user USERNAME`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List the cases that are due; change nothing.")
        parser.add_argument("--on", help="Act as on this date (YYYY-MM-DD or DD/MM/YYYY; default today).")
        parser.add_argument("--hold", metavar="REFERENCE", help="Place a legal hold on this case.")
        parser.add_argument("--lift", metavar="REFERENCE", help="Lift the legal hold on this case.")
        parser.add_argument("--reason", default="", help="Why the case's personal data must be kept (with --hold).")
        parser.add_argument("--council", metavar="SLUG", help="The case's council, where there are several.")
        parser.add_argument("--user", metavar="USERNAME", help="Who is placing or lifting the hold (audited).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["hold"] or options["lift"]:
                self._hold(options)
            else:
                self._run(options)
        except DomainError as error:
            raise CommandError(error.message) from error

    def _run(self, options: dict[str, Any]) -> None:
        try:
            today = parse_date(options["on"]) if options["on"] else timezone.localdate()
        except DateParseError as error:
            raise CommandError(str(error)) from error
        years = settings.OPENCOMPLAINTS["RETENTION_YEARS"]
        cutoff = retention_cutoff(today=today)
        if options["dry_run"]:
            due = list(retention_due_cases(today=today).values_list("reference", "closed_date"))
            self.stdout.write(
                f"{len(due)} cases closed on or before {cutoff:%-d %B %Y} ({years} years before {today:%-d %B %Y}) "
                "would have their personal data removed. Nothing was changed."
            )
            for reference, closed in due:
                self.stdout.write(f"  {reference} (closed {closed:%-d %B %Y})")
            return
        count = retention_anonymise_due(today=today)
        self.stdout.write(f"Personal data removed from {count} cases closed on or before {cutoff:%-d %B %Y}.")

    def _hold(self, options: dict[str, Any]) -> None:
        reference = options["hold"] or options["lift"]
        council = council_for_command(slug=options["council"])
        case = Case.objects.filter(council=council, reference=reference.strip()).first()
        if case is None:
            raise CommandError(f"{council.name} has no case {reference}.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"There is no active user {options['user']}.")
        if not user:
            raise CommandError("Say who is doing this with --user USERNAME: legal holds are audited.")
        if options["hold"]:
            legal_hold_place(case=case, reason=options["reason"], acting_user=user)
            self.stdout.write(f"{case.reference} is on legal hold: its personal data is kept until the hold is lifted.")
        else:
            legal_hold_lift(case=case, acting_user=user)
            self.stdout.write(f"The legal hold on {case.reference} is lifted.")
