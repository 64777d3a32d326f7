from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opencomplaints.backups.archive import BackupError, backup_write


def configured_passphrase() -> str:
    """The passphrase from OPENCOMPLAINTS_BACKUP_PASSPHRASE (never on the command line, where others can see it)."""
    value: str = settings.OPENCOMPLAINTS["BACKUP_PASSPHRASE"]
    if not value:
        raise CommandError("Set OPENCOMPLAINTS_BACKUP_PASSPHRASE to encrypt backups or read an encrypted one.")
    return value


class Command(BaseCommand):
    help = "Write a backup of the database and every document, with a manifest of checksums, to one file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--out", required=True, metavar="FILE", help="The backup file to write.")
        parser.add_argument(
            "--encrypt",
            action="store_true",
            help="Encrypt the backup with the passphrase in OPENCOMPLAINTS_BACKUP_PASSPHRASE.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        try:
            manifest = backup_write(out, passphrase=configured_passphrase() if options["encrypt"] else None)
        except BackupError as error:
            raise CommandError(str(error)) from None
        documents = sum(1 for name in manifest.files if name.startswith("documents/"))
        encrypted = ", encrypted" if options["encrypt"] else ""
        self.stdout.write(f"Backed up the {manifest.engine} database and {documents} documents to {out}{encrypted}.")
