"""``opencomplaints import FILE``: bring records in from a CSV, XLSX or JSON Lines file (interchange format), or
restore a whole-history archive (a ``.zip`` made by ``opencomplaints export``, docs/archive.md)."""

import csv
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.interchange.archive import ArchiveImport, archive_import
from opencomplaints.interchange.importer import ImportOutcome, max_import_bytes, records_import
from opencomplaints.interchange.mapping import parse_map_option
from opencomplaints.interchange.models import ImportRun
from opencomplaints.interchange.parse import RowError
from opencomplaints.interchange.progress import TerminalProgress

MAPPING_FILE_COLUMNS = ("column", "label", "value")


class Command(BaseCommand):
    help = (
        "Import records from a CSV, XLSX or JSON Lines file in the interchange format. All or nothing: a file with "
        "any invalid row imports nothing and lists every problem. Re-importing a ref updates that record. A .zip "
        "file is a whole-history archive, restored into an installation that does not yet hold its councils."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The file to import: .csv, .xlsx, .jsonl, or an archive .zip.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument(
            "--council",
            default="",
            help="The council for rows whose council column is blank (its slug). In an installation with no "
            "council yet, the name of the council to create.",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar='COLUMN:"LABEL"=VALUE',
            help='What one of your labels means, e.g. outcome:"Partly Upheld"=partly_upheld. Repeat as needed; '
            "kept for later imports.",
        )
        parser.add_argument(
            "--mapping-file", help="A CSV of mappings with the columns column,label,value (one mapping a row)."
        )
        parser.add_argument(
            "--learning-actions",
            metavar="FILE",
            help="A second file (.csv, .xlsx or .jsonl) of learning actions linked to the records by ref, imported "
            "with them, all or nothing. An .xlsx records file may instead have a sheet named learning_actions.",
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create the teams, issue categories and service areas the file names that the council lacks.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        if path.suffix.lower() == ".zip":
            self._archive(path, dry_run=options["dry_run"])
            return
        size = path.stat().st_size
        if size > max_import_bytes():
            # Refused before reading: a file this size is never loaded into memory.
            limit = max_import_bytes() / (1024 * 1024)
            raise CommandError(
                f"{path.name} is {size / (1024 * 1024):.1f} MB; the largest file that can be imported is "
                f"{limit:.1f} MB. Split the records into several files, each with the header row."
            )
        mappings = self._mappings(options["map"], options.get("mapping_file"))
        councils = list(Council.objects.order_by("slug"))
        default = None
        new_name = ""
        slug = options["council"].strip()
        if slug and councils:
            default = next((c for c in councils if c.slug == slug), None)
            if default is None:
                raise CommandError(
                    f"There is no council with the slug {slug}. The councils are: "
                    + ", ".join(c.slug for c in councils)
                    + "."
                )
        elif slug:
            new_name = slug
        learning = Path(options["learning_actions"]) if options.get("learning_actions") else None
        if learning is not None and not learning.is_file():
            raise CommandError(f"There is no file {learning}.")
        progress = TerminalProgress(sys.stderr) if sys.stderr.isatty() else None
        try:
            outcome = records_import(
                data=path.read_bytes(),
                filename=path.name,
                acting_user=None,
                today=timezone.localdate(),
                councils=None,
                default_council=default,
                new_council_name=new_name,
                mappings=mappings,
                create_missing=options["create_missing"],
                dry_run=options["dry_run"],
                progress=progress,
                source=ImportRun.Source.COMMAND,
                learning_data=None if learning is None else learning.read_bytes(),
                learning_filename="" if learning is None else learning.name,
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self._report(outcome, path.name)

    def _archive(self, path: Path, *, dry_run: bool) -> None:
        try:
            outcome = archive_import(data=path.read_bytes(), acting_user=None, file_name=path.name, dry_run=dry_run)
        except DomainError as error:
            raise CommandError(error.message) from error
        except OSError as error:
            raise CommandError(f"{path} could not be read: {error.strerror or error}.") from error
        self._archive_report(outcome, path.name)

    def _archive_report(self, outcome: ArchiveImport, name: str) -> None:
        verb = "Would import" if outcome.dry_run else "Imported"
        self.stdout.write(
            f"{verb} the archive {name}: {', '.join(outcome.councils) or 'no council'}, {outcome.total} rows and "
            f"{outcome.documents} documents."
        )
        if outcome.users_reused:
            self.stdout.write(
                "These users were already here and were kept as they are: " + ", ".join(outcome.users_reused) + "."
            )
        if outcome.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(
                "Imported users have no password yet: set one with `opencomplaints changepassword USERNAME`, or "
                "let them sign in through single sign-on."
            )

    def _mappings(self, options: list[str], mapping_file: str | None) -> dict[tuple[str, str], str]:
        mappings: dict[tuple[str, str], str] = {}
        lines: list[str] = list(options)
        if mapping_file:
            path = Path(mapping_file)
            if not path.is_file():
                raise CommandError(f"There is no mapping file {path}.")
            reader = csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines())
            if tuple(reader.fieldnames or ()) != MAPPING_FILE_COLUMNS:
                raise CommandError("A mapping file has the header column,label,value and one mapping a row.")
            lines.extend(f'{row["column"]}:"{row["label"]}"={row["value"]}' for row in reader)
        for option in lines:
            try:
                key, value = parse_map_option(option)
            except ValueError as error:
                raise CommandError(str(error)) from error
            mappings[key] = value
        return mappings

    def _report(self, outcome: ImportOutcome, name: str) -> None:
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(_error_line(error))
            for label in outcome.unknown:
                hint = f" Did you mean {' or '.join(label.suggestions)}?" if label.suggestions else ""
                example = label.suggestions[0] if label.suggestions else "VALUE"
                lines = ", ".join(str(n) for n in label.lines[:10]) + (" …" if len(label.lines) > 10 else "")
                action = " (or --create-missing to create it)" if label.creatable else ""
                self.stderr.write(
                    f"Unmapped {label.column} “{label.label}” (lines {lines}).{hint} Map it with "
                    f'--map {label.column}:"{label.label}"={example}{action}.'
                )
            rows = len({e.line for e in outcome.errors})
            raise CommandError(
                f"Nothing was imported from {name}: {len(outcome.errors)} problems on {rows} lines. "
                "Correct them and import the file again."
            )
        verb = "Would import" if outcome.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {outcome.rows} records from {name}: {outcome.created} new, {outcome.updated} updated, "
            f"{outcome.unchanged} unchanged."
        )
        if outcome.learning.rows:
            self.stdout.write(
                f"{verb} {outcome.learning.rows} learning actions: {outcome.learning.created} new, "
                f"{outcome.learning.updated} updated, {outcome.learning.unchanged} unchanged."
            )
        for council in outcome.councils_created:
            self.stdout.write(f"{'Would create' if outcome.dry_run else 'Created'} the council {council}.")
        for column, value in outcome.names_created:
            what = {"teams": "team", "issues": "issue category", "service_area": "service area"}[column]
            self.stdout.write(f"{'Would create' if outcome.dry_run else 'Created'} the {what} {value}.")
        if outcome.dry_run:
            self.stdout.write("Dry run: nothing was written.")


def _error_line(error: RowError) -> str:
    where = f"line {error.line}" if error.line else "file"
    column = f", {error.column}" if error.column else ""
    return f"{where}{column}: {error.reason}"
