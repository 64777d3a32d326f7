"""``opencomplaints export --out FILE``: every record in the interchange format, one person's data, or (``.zip``,
or ``--archive``) the whole-history archive of docs/archive.md."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opencomplaints.cases.models import Person
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.councils.selectors import council_for_command
from opencomplaints.interchange.archive import archive_export
from opencomplaints.interchange.exporter import format_for, records_export, subject_access_export
from opencomplaints.interchange.learning import learning_actions_csv


class Command(BaseCommand):
    help = (
        "Export every record (of all councils, or of --council) as CSV, XLSX or JSON Lines, chosen by the "
        "extension of --out; or, with --person, one person's data for a subject access request (.jsonl); or, "
        "with a .zip file (or --archive), the whole-history archive: everything the councils hold, to import into "
        "another installation."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--out", required=True, help="The file to write: .csv, .xlsx, .jsonl or .zip.")
        parser.add_argument("--council", default="", help="Export only this council (its slug).")
        parser.add_argument("--person", type=int, help="The id of a person, for a subject access request.")
        parser.add_argument(
            "--archive",
            action="store_true",
            help="Write the whole-history archive (the default for a .zip file): every record, document, message "
            "and setting, with users but no passwords (docs/archive.md).",
        )
        parser.add_argument(
            "--learning-actions",
            metavar="FILE",
            help="Also write the learning actions, linked to the records by ref, to this CSV (an .xlsx export has "
            "them as its second sheet, learning_actions).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if options["archive"] or out.suffix.lower() == ".zip":
            self._archive(out, options)
            return
        try:
            fmt = format_for(out.name)
            if options["person"] is not None:
                if fmt != "jsonl":
                    raise CommandError("A subject access export is JSON Lines: name the file .jsonl.")
                person = Person.objects.select_related("council").filter(pk=options["person"]).first()
                if person is None:
                    raise CommandError(f"There is no person with the id {options['person']}.")
                data = subject_access_export(person=person, acting_user=None)
                out.write_bytes(data)
                self.stdout.write(f"Wrote the data held about person {person.pk} to {out}.")
                return
            if options["council"]:
                councils = [council_for_command(slug=options["council"])]
            else:
                councils = list(Council.objects.order_by("slug"))
            data, count = records_export(councils=councils, fmt=fmt, acting_user=None, file_name=out.name)
        except DomainError as error:
            raise CommandError(error.message) from error
        out.write_bytes(data)
        self.stdout.write(f"Wrote {count} records to {out}.")
        if options.get("learning_actions"):
            learning = Path(options["learning_actions"])
            learning.write_bytes(learning_actions_csv(councils=councils))
            self.stdout.write(f"Wrote the learning actions to {learning}.")

    def _archive(self, out: Path, options: dict[str, Any]) -> None:
        if options["person"] is not None:
            raise CommandError("A subject access export is JSON Lines, not an archive: name the file .jsonl.")
        try:
            if options["council"]:
                councils = [council_for_command(slug=options["council"])]
            else:
                councils = list(Council.objects.order_by("slug"))
            if not councils:
                raise CommandError("There is nothing to export: this installation has no council.")
            data, counts = archive_export(councils=councils, acting_user=None)
        except DomainError as error:
            raise CommandError(error.message) from error
        try:
            out.write_bytes(data)
        except OSError as error:
            raise CommandError(f"{out} could not be written: {error.strerror or error}.") from error
        rows = sum(count for label, count in counts.items() if label != "documents")
        names = ", ".join(council.name for council in sorted(councils, key=lambda council: council.slug))
        self.stdout.write(f"Wrote the archive of {names} to {out}: {rows} rows and {counts['documents']} documents.")
