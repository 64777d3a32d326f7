"""The real IMAP server for the inbound tests (Dovecot, started by .ci/start-dovecot): its settings, and skipping
with a clear message when it cannot be reached, unless OPENCOMPLAINTS_REQUIRE_IMAP is set, when that fails."""

from __future__ import annotations

import imaplib
import os
import socket
import time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.utils import timezone

from opencomplaints.correspondence.mailbox import MailboxConfig

HOST = os.environ.get("OPENCOMPLAINTS_TEST_IMAP_HOST", "127.0.0.1")
PORT = int(os.environ.get("OPENCOMPLAINTS_TEST_IMAP_PORT", "10143"))
USER = os.environ.get("OPENCOMPLAINTS_TEST_IMAP_USER", "inbox")
PASSWORD = os.environ.get("OPENCOMPLAINTS_TEST_IMAP_PASSWORD", "inbox-test-password")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def message(
    *, subject: str, body: str, sender: str = "Sam Okafor <sam.okafor@example.org>", attachments=(), message_id=None
) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "complaints@example.gov.uk"
    mail["Subject"] = subject
    mail["Date"] = format_datetime(timezone.now())
    mail["Message-ID"] = message_id or make_msgid(domain="example.org")
    mail.set_content(body)
    for name, data, maintype, subtype in attachments:
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(mail)


def _reachable() -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def imap_server():
    """A clean mailbox on the real IMAP server, as a ``MailboxConfig`` for the poller."""
    if not _reachable():
        message_text = (
            f"No IMAP server on {HOST}:{PORT}: start one with .ci/start-dovecot (the inbound email tests need a "
            "real server)"
        )
        if os.environ.get("OPENCOMPLAINTS_REQUIRE_IMAP"):
            pytest.fail(message_text)
        pytest.skip(message_text)
    connection = imaplib.IMAP4(HOST, PORT, timeout=10)
    connection.login(USER, PASSWORD)
    connection.select("INBOX")
    connection.store("1:*", "+FLAGS", "(\\Deleted)") if _count(connection) else None
    connection.expunge()
    connection.logout()
    return MailboxConfig(
        host=HOST, port=PORT, user=USER, password=PASSWORD, folder="INBOX", ssl=False, council_slug="", retry_seconds=()
    )


def _count(connection: imaplib.IMAP4) -> int:
    _, data = connection.select("INBOX")
    return int(data[0] or 0)


def append(*raws: bytes) -> None:
    """Put messages in the mailbox as the mail server would: unread, through IMAP APPEND."""
    connection = imaplib.IMAP4(HOST, PORT, timeout=10)
    connection.login(USER, PASSWORD)
    for raw in raws:
        connection.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
    connection.logout()


def unread_count() -> int:
    connection = imaplib.IMAP4(HOST, PORT, timeout=10)
    connection.login(USER, PASSWORD)
    connection.select("INBOX")
    _, data = connection.search(None, "UNSEEN")
    connection.logout()
    return len((data[0] or b"").split())
