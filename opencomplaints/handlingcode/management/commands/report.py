"""``opencomplaints report`` with ``--template code``: the annual complaint performance and service improvement
report against the Complaint Handling Code (with ``--quarter``, the quarterly governance pack), in the same
formats as the annual report. Without ``--template`` it is the reporting app's command, unchanged."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_read_record
from opencomplaints.handlingcode.documents import code_report
from opencomplaints.handlingcode.report import code_report_json
from opencomplaints.reporting.management.commands.report import BINARY
from opencomplaints.reporting.management.commands.report import Command as ReportCommand
from opencomplaints.reporting.renderers import Format, render


class Command(ReportCommand):
    help = ReportCommand.help + (
        " With --template code: the annual complaint performance and service improvement report against the "
        "Complaint Handling Code (--quarter gives the quarterly governance pack)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--template",
            choices=["annual", "code"],
            default="annual",
            help="annual (default): the annual report; code: the Complaint Handling Code report.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["template"] != "code":
            super().handle(*args, **options)
            return
        period = self._period(options)
        councils = self._councils(options)
        fmt = Format(options["format"])
        if fmt in BINARY and not options["out"]:
            raise CommandError(f"A {fmt.value.upper()} report is a file: say where to write it with --out FILE.")
        built = code_report(
            councils=councils, period=period, generated_on=timezone.localdate(), quarterly=bool(options["quarter"])
        )
        content = (
            code_report_json(built) if fmt is Format.JSON else render(built.report, fmt, min_cell=options["min_cell"])
        )
        audit_read_record(
            acting_user=None,
            event_type=AuditEventType.REPORT_GENERATED,
            subject=councils[0] if len(councils) == 1 else None,
            summary=f"Complaint Handling Code report generated (command) for {', '.join(c.name for c in councils)}",
            details={"councils": [c.slug for c in councils], "format": fmt.value, "period": period.label},
        )
        if options["out"]:
            path = Path(options["out"])
            path.write_bytes(content)
            self.stdout.write(f"Wrote the {period.label} Code report to {path} ({len(content):,} bytes).")
        else:
            self.stdout.write(content.decode("utf-8"))
