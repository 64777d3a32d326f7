"""Reading the shared mailbox over IMAP (docs/adr/0016-inbound-email.md).

Each unread message is fetched without marking it read (``BODY.PEEK[]``), stored by
``inbound.inbound_email_receive`` (one transaction; a Message-ID already stored is recognised), and only then
marked ``\\Seen``. If the mailbox or the database is unavailable the message stays unread and is read again on the
next poll; connecting is retried after each of ``IMAP_RETRY_SECONDS``.
"""

from __future__ import annotations

import imaplib
import logging
import re
import time as clock
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from opencomplaints.correspondence.inbound import inbound_email_receive
from opencomplaints.correspondence.models import InboundSource
from opencomplaints.councils.models import Council

__all__ = ["MailboxConfig", "MailboxUnavailable", "inbound_email_receive", "mailbox_config", "mailbox_poll"]

logger = logging.getLogger(__name__)

_UID = re.compile(rb"UID (\d+)")


class MailboxUnavailable(Exception):
    """The mailbox could not be reached after every retry."""


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    user: str
    password: str
    folder: str
    ssl: bool
    council_slug: str
    retry_seconds: tuple[float, ...] = (1, 5, 15)
    timeout: float = 30


def mailbox_config() -> MailboxConfig | None:
    """The shared mailbox from ``OPENCOMPLAINTS["IMAP_*"]``; ``None`` when no host is set (nothing to poll)."""
    config = settings.OPENCOMPLAINTS
    if not config["IMAP_HOST"]:
        return None
    return MailboxConfig(
        host=config["IMAP_HOST"],
        port=int(config["IMAP_PORT"]),
        user=config["IMAP_USER"],
        password=config["IMAP_PASSWORD"],
        folder=config["IMAP_FOLDER"],
        ssl=bool(config["IMAP_SSL"]),
        council_slug=config["IMAP_COUNCIL"],
        retry_seconds=tuple(float(x) for x in config["IMAP_RETRY_SECONDS"]),
    )


def _connect(config: MailboxConfig) -> imaplib.IMAP4:
    if config.ssl:
        connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(config.host, config.port, timeout=config.timeout)
    else:
        connection = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
    connection.login(config.user, config.password)
    status, _ = connection.select(config.folder)
    if status != "OK":
        connection.logout()
        raise imaplib.IMAP4.error(f"The folder {config.folder!r} cannot be opened")
    return connection


def _with_retries(config: MailboxConfig, sleep: Callable[[float], None]) -> imaplib.IMAP4:
    delays = [*config.retry_seconds, None]
    for delay in delays:
        try:
            return _connect(config)
        except (TimeoutError, OSError, imaplib.IMAP4.error) as error:
            if delay is None:
                raise MailboxUnavailable(f"{config.host}:{config.port}: {error}") from error
            logger.warning("The shared mailbox could not be reached (%s); trying again in %ss", error, delay)
            sleep(delay)
    raise MailboxUnavailable(config.host)  # pragma: no cover - the loop returns or raises


def mailbox_poll(
    *, config: MailboxConfig | None = None, sleep: Callable[[float], None] = clock.sleep
) -> dict[str, int]:
    """Read the unread messages of the shared mailbox into OpenComplaints; returns how many were stored, how many
    were already stored (duplicates) and how many are left unread to try again."""
    config = config or mailbox_config()
    counts = {"stored": 0, "duplicates": 0, "left_unread": 0}
    if config is None:
        return counts
    council = Council.objects.get(slug=config.council_slug)
    connection = _with_retries(config, sleep)
    try:
        status, data = connection.uid("SEARCH", "UNSEEN")
        if status != "OK":
            raise MailboxUnavailable("The mailbox could not be searched")
        for uid in (part.decode() for part in (data[0] or b"").split()):
            status, fetched = connection.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in fetched if isinstance(part, tuple)), None)
            if status != "OK" or not isinstance(raw, bytes):
                counts["left_unread"] += 1
                continue
            try:
                _, new = inbound_email_receive(
                    council=council, raw=raw, source=InboundSource.MAILBOX, received_at=timezone.now()
                )
            except DatabaseError:
                # Not stored, so not marked read: the next poll reads it again.
                logger.exception("An email from the shared mailbox could not be stored; it stays unread")
                counts["left_unread"] += 1
                continue
            counts["stored" if new else "duplicates"] += 1
            connection.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    finally:
        try:
            connection.logout()
        except (OSError, imaplib.IMAP4.error):
            logger.warning("The shared mailbox connection did not close cleanly")
    return counts
