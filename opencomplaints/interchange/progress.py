"""Progress of a long import: a bar in the terminal, and a figure the import page polls.

The import runs in one transaction, so progress cannot be written to the ``ImportRun`` row as it goes (SQLite
allows one writer, and PostgreSQL would hide the update until the end). The web's progress is kept in the cache
instead, keyed by the run; the row records the start and the result. With Redis the import runs in the worker, so
the cache must be Redis too for the figures to reach the web process. The time of the last figures is kept with
them: it is how the web tells a running import from one whose process died (``runs.import_run_fail_stalled``).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TextIO

from django.core.cache import cache
from django.utils import timezone

__all__ = ["TerminalProgress", "WebProgress", "web_progress", "web_progress_written_at"]

_KEY = "interchange:import:{pk}:progress"
_TIMEOUT = 60 * 60 * 6


class TerminalProgress:
    """``progress(done, total)`` drawing ``Importing [#####.....]  52% 52,000 of 100,000 records`` on one line."""

    def __init__(self, stream: TextIO, *, width: int = 30, every: float = 0.2) -> None:
        self.stream = stream
        self.width = width
        self.every = every
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < self.every:
            return
        self.last = now
        fraction = done / total if total else 1.0
        filled = int(self.width * fraction)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\rImporting [{bar}] {fraction:4.0%} {done:,} of {total:,} records")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class WebProgress:
    """``progress(done, total)`` for the web: the latest figures in the cache, read by :func:`web_progress`."""

    def __init__(self, run_pk: int) -> None:
        self.key = _KEY.format(pk=run_pk)

    def __call__(self, done: int, total: int) -> None:
        cache.set(self.key, (done, total, timezone.now()), _TIMEOUT)


def web_progress(run_pk: int) -> tuple[int, int] | None:
    """The last (done, total) an import reported, or ``None`` before it has started writing."""
    value = cache.get(_KEY.format(pk=run_pk))
    if value is None:
        return None
    done, total, *_ = value
    return int(done), int(total)


def web_progress_written_at(run_pk: int) -> datetime | None:
    """When the import last reported its figures, or ``None`` if the cache holds none (a cache in the memory of a
    process that has since restarted loses them)."""
    value = cache.get(_KEY.format(pk=run_pk))
    if value is None or len(value) < 3:
        return None
    written: datetime = value[2]
    return written
