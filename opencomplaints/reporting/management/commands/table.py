from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.reporting.management.commands.report import Command as ReportCommand
from opencomplaints.reporting.metrics.crosstab import (
    DIMENSIONS,
    MEASURES,
    PROCEDURES,
    STAGE3_MEASURES,
    TableQuery,
    TableQueryError,
    crosstab,
    validate,
)
from opencomplaints.reporting.renderers.crosstab import TableFormat, render_crosstab
from opencomplaints.reporting.selectors import procedure_rules_for, records_for_report


class Command(BaseCommand):
    help = (
        "Count one measure by one or two dimensions, e.g. `opencomplaints table --year 2023 --stage 1 --measure "
        "within_timescale --rows service_area --format json` (1 April 2023 to 31 March 2024)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, help="The reporting year by the year it starts: 2023 is 2023/24.")
        parser.add_argument("--quarter", help="One quarter of --year (Q1 is April to June).")
        parser.add_argument("--start", help="First day of another period (YYYY-MM-DD or DD/MM/YYYY).")
        parser.add_argument("--end", help="Last day of that period.")
        parser.add_argument("--council", action="append", metavar="SLUG", help="The council; repeat it to combine.")
        parser.add_argument("--all-councils", action="store_true", help="Count every council together.")
        parser.add_argument(
            "--procedure", default="children_statutory", help=f"One of {', '.join(PROCEDURES)} (default children's)."
        )
        parser.add_argument("--stage", type=int, help="The stage of the complaints to count (1, 2 or 3).")
        parser.add_argument("--kind", help="Count a kind of other representation instead of a stage, e.g. compliment.")
        parser.add_argument(
            "--measure", required=True, help=f"What to count: {', '.join((*MEASURES, *STAGE3_MEASURES))}."
        )
        parser.add_argument("--rows", required=True, help=f"The dimension of the rows: {', '.join(DIMENSIONS)}.")
        parser.add_argument("--columns", help="A second dimension, for the columns.")
        parser.add_argument("--format", default=TableFormat.JSON.value, help="json (default), csv or text.")
        parser.add_argument("--out", metavar="FILE", help="Where to write it; the screen without.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            fmt = TableFormat(options["format"])
        except ValueError:
            raise CommandError(
                f"Unknown format {options['format']!r}; the formats are: {', '.join(f.value for f in TableFormat)}."
            ) from None
        query = TableQuery(
            measure=options["measure"],
            rows=options["rows"],
            columns=options["columns"],
            stage=options["stage"],
            kind=options["kind"],
            procedure=options["procedure"],
        )
        try:
            validate(query)
        except TableQueryError as error:
            raise CommandError(error.message) from error
        report = ReportCommand()
        if options["quarter"] and options["quarter"] not in ("Q1", "Q2", "Q3", "Q4"):
            raise CommandError(f"{options['quarter']!r} is not a quarter; use Q1, Q2, Q3 or Q4.")
        period = report._period(options)
        councils = report._councils(options)
        records = records_for_report(councils=councils, period=period, procedure=query.procedure)
        result = crosstab(
            records, period, query, working_day_calendar(), configured=procedure_rules_for(councils=councils)
        )
        content = render_crosstab(result, fmt)
        if options["out"]:
            with open(options["out"], "wb") as handle:
                handle.write(content)
            self.stdout.write(f"Wrote the {period.label} table to {options['out']} ({len(content):,} bytes).")
        else:
            self.stdout.write(content.decode("utf-8"))
