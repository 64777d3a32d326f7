from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opencomplaints.common.dates import DateParseError, parse_date
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.councils.selectors import council_for_command
from opencomplaints.reporting.assembly import annual_report
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.selection import ALL_PROCEDURES
from opencomplaints.reporting.periods import QUARTERS, Period, custom_period, reporting_quarter, reporting_year
from opencomplaints.reporting.renderers import Format, render
from opencomplaints.reporting.report import COMBINED

PROCEDURES = ("children_statutory", "corporate", "adults_statutory", ALL_PROCEDURES)
BINARY = {Format.DOCX, Format.PDF, Format.XLSX}


class Command(BaseCommand):
    help = (
        "Produce the annual complaints report, e.g. `opencomplaints report --year 2023 --format docx --out "
        "report.docx` for 1 April 2023 to 31 March 2024. Any other period: --start and --end, or --quarter."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, help="The reporting year by the year it starts: 2023 is 2023/24.")
        parser.add_argument("--quarter", choices=QUARTERS, help="One quarter of --year (Q1 is April to June).")
        parser.add_argument("--start", help="First day of another period (YYYY-MM-DD or DD/MM/YYYY).")
        parser.add_argument("--end", help="Last day of that period.")
        parser.add_argument(
            "--council", action="append", metavar="SLUG", help="The council; repeat it for a combined report."
        )
        parser.add_argument("--all-councils", action="store_true", help="One combined report for every council.")
        parser.add_argument(
            "--procedure",
            choices=PROCEDURES,
            default="children_statutory",
            help="The complaints procedure to report (default children_statutory; 'all' for every procedure).",
        )
        parser.add_argument(
            "--combined",
            action="store_true",
            help="The council-wide report: the children's, adults' and corporate reports side by side in one "
            "document (instead of --procedure).",
        )
        parser.add_argument(
            "--basis",
            choices=[b.value for b in Basis],
            default=Basis.RECEIVED.value,
            help="Count breakdowns by complaints received (default) or completed in the period (R1.41).",
        )
        parser.add_argument("--format", choices=[f.value for f in Format], default=Format.JSON.value)
        parser.add_argument("--out", metavar="FILE", help="Where to write it; HTML and JSON go to the screen without.")
        parser.add_argument(
            "--min-cell", type=int, help="Publish counts below this as suppressed (default from the settings, 5)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period = self._period(options)
        councils = self._councils(options)
        fmt = Format(options["format"])
        if fmt in BINARY and not options["out"]:
            raise CommandError(f"A {fmt.value.upper()} report is a file: say where to write it with --out FILE.")
        today, basis = timezone.localdate(), Basis(options["basis"])
        procedure = COMBINED if options["combined"] else options["procedure"]
        report = annual_report(councils=councils, period=period, procedure=procedure, generated_on=today, basis=basis)
        content = render(report, fmt, min_cell=options["min_cell"])
        if options["out"]:
            path = Path(options["out"])
            path.write_bytes(content)
            names = " and ".join(report.council_names)
            self.stdout.write(f"Wrote the {period.label} report for {names} to {path} ({len(content):,} bytes).")
        else:
            self.stdout.write(content.decode("utf-8"))

    def _period(self, options: dict[str, Any]) -> Period:
        year, quarter, start, end = options["year"], options["quarter"], options["start"], options["end"]
        if (start or end) and (year is not None or quarter):
            raise CommandError("Give either --year (with --quarter if you like) or --start and --end, not both.")
        if start or end:
            if not (start and end):
                raise CommandError("Give both --start and --end.")
            try:
                first, last = parse_date(start), parse_date(end)
            except DateParseError as error:
                raise CommandError(str(error)) from error
            if last < first:
                raise CommandError(f"--end ({last:%d/%m/%Y}) is before --start ({first:%d/%m/%Y}).")
            return custom_period(first, last)
        if year is None:
            raise CommandError("Say which period: --year YYYY (e.g. --year 2023 for 2023/24), or --start and --end.")
        if not date.min.year < year < 9999:
            raise CommandError(f"{year} is not a year.")
        return reporting_quarter(year, quarter) if quarter else reporting_year(year)

    def _councils(self, options: dict[str, Any]) -> list[Council]:
        if options["all_councils"]:
            if options["council"]:
                raise CommandError("Give --council or --all-councils, not both.")
            councils = list(Council.objects.order_by("name"))
            if not councils:
                raise CommandError("There are no councils yet.")
            return councils
        try:
            if not options["council"]:
                return [council_for_command(slug=None)]
            return [council_for_command(slug=slug) for slug in dict.fromkeys(options["council"])]
        except DomainError as error:
            raise CommandError(error.message) from error
