"""The providers a message can be handed to: GOV.UK Notify when ``NOTIFY_API_KEY`` is set, otherwise Django's
email backend (SMTP in production, the console in the demo, an in-memory outbox in tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from opencomplaints.notifications import errors
from opencomplaints.notifications.models import Channel

__all__ = ["NotifySender", "Outgoing", "SendError", "Sender", "SmtpSender", "sender_from_settings"]

# Notify refuses a request it will never accept (a bad address, a template it does not know, a trial-mode
# recipient) with one of these; anything else (429, 5xx, no answer) may work on a later try.
PERMANENT_STATUS_CODES = frozenset({400, 403})
# Notify needs the postal address as personalisation lines; it reads at most seven.
ADDRESS_LINES = 7


@dataclass(frozen=True, kw_only=True)
class Outgoing:
    """What a provider needs to send one message."""

    channel: str
    recipient: str
    subject: str
    body: str
    reference: str
    personalisation: dict[str, str] = field(default_factory=dict)
    notify_template_id: str = ""


class SendError(Exception):
    """The provider did not take the message. ``permanent`` means trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Sender(Protocol):
    name: str

    def send(self, message: Outgoing) -> str:
        """Hand ``message`` to the provider and return the provider's id for it, or raise ``SendError``."""
        ...


def _address_lines(recipient: str) -> dict[str, str]:
    lines = [line.strip() for line in recipient.splitlines() if line.strip()]
    if len(lines) > ADDRESS_LINES:
        lines = [*lines[: ADDRESS_LINES - 1], ", ".join(lines[ADDRESS_LINES - 1 :])]
    return {f"address_line_{number}": line for number, line in enumerate(lines, start=1)}


class NotifySender:
    """GOV.UK Notify through its Python client. A message with its own Notify template is sent with its
    personalisation; any other through the service's general template, which shows ((subject)) and ((body))."""

    name = "notify"

    def __init__(
        self, *, api_key: str, base_url: str, email_template_id: str, letter_template_id: str, timeout: int = 30
    ) -> None:
        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)  # type: ignore[no-untyped-call]  # the client has no type hints
        self.email_template_id = email_template_id
        self.letter_template_id = letter_template_id

    def send(self, message: Outgoing) -> str:
        if message.notify_template_id:
            template_id, personalisation = message.notify_template_id, dict(message.personalisation)
        else:
            general = self.letter_template_id if message.channel == Channel.LETTER else self.email_template_id
            template_id, personalisation = general, {"subject": message.subject, "body": message.body}
        try:
            if message.channel == Channel.LETTER:
                personalisation |= _address_lines(message.recipient)
                response = self.client.send_letter_notification(  # type: ignore[no-untyped-call]  # no type hints
                    template_id=template_id, personalisation=personalisation, reference=message.reference
                )
            else:
                response = self.client.send_email_notification(  # type: ignore[no-untyped-call]  # no type hints
                    email_address=message.recipient,
                    template_id=template_id,
                    personalisation=personalisation,
                    reference=message.reference,
                )
        except APIError as error:
            raise SendError(f"GOV.UK Notify: {error}", permanent=error.status_code in PERMANENT_STATUS_CODES) from error
        return str(response["id"])


class SmtpSender:
    """Django's email backend. It cannot post a letter, so a letter fails at once with a message saying so."""

    name = "smtp"

    def send(self, message: Outgoing) -> str:
        if message.channel == Channel.LETTER:
            raise SendError(errors.LETTER_NEEDS_NOTIFY, permanent=True)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"X-OpenComplaints-Reference": message.reference},
        )
        try:
            email.send()
        except OSError as error:  # smtplib's errors and refused connections are all OSErrors
            raise SendError(f"Email: {error}") from error
        return message.reference


def sender_from_settings() -> Sender:
    """Notify when ``NOTIFY_API_KEY`` is set, otherwise email."""
    if settings.NOTIFY_API_KEY:
        return NotifySender(
            api_key=settings.NOTIFY_API_KEY,
            base_url=settings.NOTIFY_BASE_URL,
            email_template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            letter_template_id=settings.NOTIFY_LETTER_TEMPLATE_ID,
        )
    return SmtpSender()
