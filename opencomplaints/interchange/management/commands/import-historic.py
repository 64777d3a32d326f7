"""``opencomplaints import-historic FILE``: historic figures for trend tables: summary figures
(``council,year,measure,value``, e.g. stage 1 complaints received each year back to 2003/04) and figures by
dimension (with ``stage,dimension,category``, e.g. by service area); docs/historic-figures.md."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.councils.selectors import council_for_command
from opencomplaints.interchange.historic import historic_import


class Command(BaseCommand):
    help = (
        "Import historic figures from a CSV with the columns council,year,measure,value (year as 2003 or 2003/04), "
        "and stage,dimension,category for figures by service area, team, issue, mediation or equality group. "
        "All or nothing; importing a figure again replaces it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--council", default="", help="The council for rows whose council is blank (its slug).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        try:
            default = council_for_command(slug=options["council"]) if options["council"] else None
            councils = list(Council.objects.order_by("slug"))
            if not councils:
                council_for_command(slug=None)
            outcome = historic_import(
                data=path.read_bytes(),
                filename=path.name,
                acting_user=None,
                councils=councils,
                default_council=default,
                dry_run=options["dry_run"],
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        if not outcome.ok:
            for problem in outcome.errors:
                where = f"line {problem.line}" if problem.line else "file"
                self.stderr.write(f"{where}{', ' + problem.column if problem.column else ''}: {problem.reason}")
            raise CommandError(f"Nothing was imported from {path.name}: {len(outcome.errors)} problems.")
        if outcome.dry_run:
            self.stdout.write(f"{outcome.rows} figures are ready to import. Dry run: nothing was written.")
        else:
            self.stdout.write(f"Imported {outcome.written} historic figures from {path.name}.")
