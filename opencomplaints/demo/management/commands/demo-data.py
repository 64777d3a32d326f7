import time
from argparse import ArgumentParser, ArgumentTypeError
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases.models import Case, LearningAction, Person, Remedy, Stage
from opencomplaints.common.dates import DateParseError, long_date, parse_date
from opencomplaints.demo.builder import BuildError, apply_plan, demo_councils
from opencomplaints.demo.scenario import DEMO_PASSWORD, MAX_COUNCILS, PERSONAS, plan_demo

ALREADY_LOADED = (
    "Demonstration data is already loaded ({councils}). Run the command again with --replace to delete it and "
    "build it afresh."
)
YEARS_INVALID = "--years must be between 1 and 10."


def _date(value: str) -> date:
    try:
        return parse_date(value)
    except DateParseError as error:
        raise ArgumentTypeError(str(error)) from error


def last_day_of_previous_month(today: date) -> date:
    return today.replace(day=1) - timedelta(days=1)


class Command(BaseCommand):
    help = (
        "Build a synthetic council (or a shared service of two) with years of realistic, made-up complaints, "
        "written through the same services as real data. The same --seed always gives the same data, e.g. "
        "`opencomplaints demo-data --years 3 --seed 1`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--years", type=int, default=3, help="How many years of cases, ending on --end-date.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed always gives the same data.")
        parser.add_argument(
            "--councils",
            type=int,
            choices=range(1, MAX_COUNCILS + 1),
            default=1,
            help="2 builds a shared service: two councils worked by one complaints team.",
        )
        parser.add_argument(
            "--end-date",
            type=_date,
            help="The last day of the data (YYYY-MM-DD); cases still running then are open. "
            "Default: the last day of the previous month.",
        )
        parser.add_argument(
            "--replace", action="store_true", help="Delete the demonstration data already loaded, then build it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years: int = options["years"]
        if not 1 <= years <= 10:
            raise CommandError(YEARS_INVALID)
        # The only reading of the clock: everything in the data is planned from this one date.
        end_date: date = options["end_date"] or last_day_of_previous_month(timezone.localdate())
        existing = demo_councils()
        if existing and not options["replace"]:
            raise CommandError(ALREADY_LOADED.format(councils=", ".join(council.name for council in existing)))
        plan = plan_demo(
            seed=options["seed"],
            years=years,
            end_date=end_date,
            councils=options["councils"],
            calendar=working_day_calendar(),
        )
        started = time.perf_counter()
        try:
            summary = apply_plan(plan, replace=options["replace"])
        except BuildError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        period = f"{years} year{'s' if years != 1 else ''}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {period} of demonstration data to {long_date(end_date)} (seed {options['seed']}) "
                f"for {' and '.join(summary.councils)} in {seconds:.1f} seconds."
            )
        )
        self._counts()
        self.stdout.write("\nSign in as any of these users with the password " + f"'{DEMO_PASSWORD}':")
        for username, job_title, _, _ in PERSONAS:
            user = User.objects.get(username=username)
            self.stdout.write(f"  {username:<13} {user.get_full_name()} ({job_title})")

    def _counts(self) -> None:
        councils = demo_councils()
        cases = Case.objects.filter(council__in=councils)
        by_kind = dict(cases.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
        stages = Stage.objects.filter(case__council__in=councils)
        by_stage = dict(stages.values_list("number").annotate(n=Count("pk")).values_list("number", "n"))
        rows = [
            ("Cases", cases.count()),
            ("  complaints", by_kind.get("complaint", 0)),
            ("    at stage 1, 2, 3", "/".join(str(by_stage.get(n, 0)) for n in (1, 2, 3))),
            ("    open on the end date", cases.filter(kind="complaint", closed_date__isnull=True).count()),
            ("  potential complaints", by_kind.get("potential_complaint", 0)),
            ("  queries", by_kind.get("query", 0)),
            ("  MP enquiries", by_kind.get("mp_enquiry", 0)),
            ("  councillor enquiries", by_kind.get("member_enquiry", 0)),
            ("  compliments", by_kind.get("compliment", 0)),
            ("  Ombudsman cases", by_kind.get("ombudsman", 0)),
            ("People", Person.objects.filter(council__in=councils).count()),
            ("Remedies", Remedy.objects.filter(case__council__in=councils).count()),
            ("Learning actions", LearningAction.objects.filter(council__in=councils).count()),
            ("Audit events", AuditEvent.objects.filter(case__council__in=councils).count()),
        ]
        for label, value in rows:
            self.stdout.write(f"  {label:<26} {value}")
