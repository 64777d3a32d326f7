"""The scheduled job that reads the shared mailbox (every ``IMAP_POLL_MINUTES``, see ``jobs.scheduler``)."""

from __future__ import annotations

from django.tasks import task

from opencomplaints.correspondence.mailbox import mailbox_poll

__all__ = ["mailbox_poll_scheduled"]


@task(backend="background")
def mailbox_poll_scheduled(on: str | None = None) -> dict[str, int]:
    """Read the shared mailbox once (``on``: the schedule's slot date, unused: each poll reads what is unread)."""
    return mailbox_poll()
