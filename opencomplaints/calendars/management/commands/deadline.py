import json
from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from opencomplaints.calendars.selectors import calendar_overrides, receipt_rule
from opencomplaints.common.dates import DateParseError, long_date, parse_date
from opencomplaints.deadlines import (
    PROCEDURES,
    CalendarOverride,
    CalendarRangeError,
    DueDate,
    england_and_wales_calendar,
    stage_due_dates,
)
from opencomplaints.deadlines.procedures import UnknownStageError

PROCEDURE_ALIASES = {
    "children": "children_statutory",
    "children_statutory": "children_statutory",
    "corporate": "corporate",
    "adults": "adults_statutory",
    "adults_statutory": "adults_statutory",
}


def _date(value: str) -> date:
    try:
        return parse_date(value)
    except DateParseError as error:
        raise ArgumentTypeError(str(error)) from error


def _event(value: str) -> tuple[str, date]:
    name, sep, when = value.partition("=")
    if not sep or not name.strip():
        raise ArgumentTypeError(f"{value!r}: write an event as NAME=DATE, e.g. panel_held=2024-03-01.")
    return name.strip(), _date(when)


def receipt_anchor(stage: int) -> str:
    """The event that is day 0 of a stage: the representation for stage 1, the request for later stages."""
    return "received" if stage == 1 else f"stage{stage}_request_received"


class Command(BaseCommand):
    help = (
        "Print the due dates of a stage, e.g. "
        "`opencomplaints deadline --procedure children --stage 1 --received 2022-05-26`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--procedure", choices=sorted(PROCEDURE_ALIASES), default="children")
        parser.add_argument("--stage", type=int, default=1)
        parser.add_argument(
            "--received",
            type=_date,
            required=True,
            help="Day 0: when the representation (or request) arrived.",
        )
        parser.add_argument("--start", type=_date, help="Stage 2 start date (statement of complaint agreed).")
        parser.add_argument("--acknowledged", type=_date, help="Corporate procedures: when it was acknowledged.")
        parser.add_argument(
            "--event",
            type=_event,
            action="append",
            default=[],
            metavar="NAME=DATE",
            help="Any other event a timescale runs from, e.g. panel_held=2024-03-01 (repeatable).",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        procedure = PROCEDURES[PROCEDURE_ALIASES[options["procedure"]]]
        stage_number: int = options["stage"]
        try:
            procedure.stage(stage_number)
        except UnknownStageError as error:
            raise CommandError(str(error)) from error
        anchors: dict[str, date] = dict(options["event"])
        anchors[receipt_anchor(stage_number)] = options["received"]
        if options["start"]:
            anchors["stage2_start"] = options["start"]
        if options["acknowledged"]:
            anchors["acknowledged" if stage_number == 1 else f"stage{stage_number}_acknowledged"] = options[
                "acknowledged"
            ]
        calendar = england_and_wales_calendar(self._overrides())
        try:
            due_dates = stage_due_dates(
                procedure=procedure,
                stage=stage_number,
                anchors=anchors,
                calendar=calendar,
                receipt_rule=receipt_rule(),
            )
        except (CalendarRangeError, ValueError) as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps([self._as_dict(d) for d in due_dates], indent=2))
            return
        stage = procedure.stage(stage_number)
        self.stdout.write(f"{procedure.name}\n{stage.name}; day 0 received {long_date(options['received'])}")
        if not due_dates:
            self.stdout.write("No due dates: give the events the timescales run from (see --help).")
        for due in due_dates:
            line = f"{due.timescale.label} ({due.rule}): due {due.due_on.isoformat()} ({long_date(due.due_on)})"
            if due.extended_due_on:
                line += f"; extended due {due.extended_due_on.isoformat()} ({long_date(due.extended_due_on)})"
            self.stdout.write(line)

    def _overrides(self) -> tuple[CalendarOverride, ...]:
        try:
            return calendar_overrides()
        except DatabaseError:
            # A fresh installation not yet migrated has no overrides to apply; say so rather than fail.
            self.stderr.write("Note: the database is not set up yet, so no calendar overrides were applied.")
            return ()

    @staticmethod
    def _as_dict(due: DueDate) -> dict[str, Any]:
        return {
            "key": due.key,
            "label": due.timescale.label,
            "rule": due.rule,
            "statutory": due.timescale.statutory,
            "anchor": due.anchor,
            "anchor_on": due.anchor_on.isoformat(),
            "due_on": due.due_on.isoformat(),
            "extended_due_on": due.extended_due_on.isoformat() if due.extended_due_on else None,
        }
