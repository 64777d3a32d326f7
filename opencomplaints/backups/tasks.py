"""The scheduled backup: daily at ``BACKUP_AT`` into ``BACKUP_DIR`` (when set), keeping the newest ``BACKUP_KEEP``.

It runs on the long queue, beside imports, so a large backup never delays a reminder. Safe to run again: a second
run for the same day writes the same file name again, and older files beyond the number kept are deleted.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.tasks import task

from opencomplaints.backups.archive import backup_write

__all__ = ["backup_scheduled", "backups_prune"]

PATTERN = "opencomplaints-backup-*.tar.gz"


def backups_prune(folder: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` scheduled backups in ``folder`` (by name, which sorts by date)."""
    files = sorted(folder.glob(PATTERN))
    removed = files[: max(0, len(files) - keep)]
    for path in removed:
        path.unlink()
    return removed


@task(backend="background", queue_name="long")
def backup_scheduled(on: str | None = None) -> dict[str, object]:
    """Write today's backup (``on``: the schedule's London date, YYYY-MM-DD) and prune old ones."""
    config = settings.OPENCOMPLAINTS
    if not config["BACKUP_DIR"]:
        return {"written": None, "removed": 0}
    folder = Path(config["BACKUP_DIR"])
    out = folder / f"opencomplaints-backup-{on or 'now'}.tar.gz"
    backup_write(out, passphrase=config["BACKUP_PASSPHRASE"] or None)
    removed = backups_prune(folder, keep=max(1, int(config["BACKUP_KEEP"])))
    return {"written": out.name, "removed": len(removed)}
