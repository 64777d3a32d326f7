from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opencomplaints.backups.archive import BackupError, restore_read


class Command(BaseCommand):
    help = (
        "Restore a backup made by `opencomplaints backup` into an empty installation (an encrypted one with the "
        "passphrase in OPENCOMPLAINTS_BACKUP_PASSPHRASE)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help="The backup file.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no backup file at {path}.")
        try:
            manifest = restore_read(path, passphrase=settings.OPENCOMPLAINTS["BACKUP_PASSPHRASE"] or None)
        except BackupError as error:
            raise CommandError(str(error)) from None
        documents = sum(1 for name in manifest.files if name.startswith("documents/"))
        self.stdout.write(
            f"Restored the database and {documents} documents from the backup of {manifest.created}; every "
            "checksum matched. Run `opencomplaints migrate` if this version is newer than the backup's."
        )
