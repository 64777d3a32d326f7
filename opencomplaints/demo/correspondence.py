"""Correspondence in the demonstration, written through the real services: the council's letterhead, signature
and signposting; a second version of its acknowledgement template; acknowledgement letters on the latest
complaints, one emailed and delivered, one emailed and bounced back (so the case page suggests the postal letter),
one waiting in the print queue; and email in the shared mailbox, one quoting a case reference (filed on it) and two
quoting none, waiting in the inbox for triage.

Nothing leaves the machine: the emails are handed to a provider that only records them, as GOV.UK Notify or the
council's mail server would take them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case
from opencomplaints.correspondence import selectors, services
from opencomplaints.correspondence.inbound import inbound_email_receive
from opencomplaints.correspondence.models import InboundSource, LetterChannel
from opencomplaints.correspondence.rendering import merge
from opencomplaints.councils.models import Council
from opencomplaints.notifications.senders import Outgoing
from opencomplaints.notifications.services import message_delivery_record, outbox_send_pending

__all__ = ["correspondence_demo"]

LONDON = ZoneInfo("Europe/London")


class _RecordingProvider:
    """Takes every message as the council's mail server would, naming it by its reference, and sends nothing."""

    name = "smtp"

    def send(self, message: Outgoing) -> str:
        return message.reference


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def _settings(council: Council, manager: User) -> None:
    services.letter_settings_save(
        council=council,
        acting_user=manager,
        letterhead=f"{council.name}\nComplaints and Customer Feedback Team\nCivic Centre, Market Street",
        signature=f"Complaints and Customer Feedback Team\n{council.name}\nTelephone 01632 960 123",
        advocacy=(
            "You can ask for an advocate to help you make your complaint. Our advocacy service is free and "
            "independent of the council: call 01632 960 456."
        ),
        support=(
            "If you want to talk to someone in confidence, you can call Childline free on 0800 1111, or contact "
            "the National Youth Advocacy Service on 0808 808 1001."
        ),
        ombudsman=(
            "If you are still unhappy when we have finished, you can ask the Local Government and Social Care "
            "Ombudsman to look at your complaint: www.lgo.org.uk, telephone 0300 061 0614."
        ),
    )


def _template(council: Council, manager: User, end_date: date) -> None:
    words = selectors.template_words(council=council, step="acknowledgement", audience="adult")
    for number, extra in enumerate(
        (
            "",
            "\n\nIf you need this letter in another format or language, please tell us.",
        ),
        start=1,
    ):
        services.letter_template_save(
            council=council,
            step="acknowledgement",
            audience="adult",
            subject=words.subject,
            body=words.body + extra,
            acting_user=manager,
            now=_at(end_date - timedelta(days=120 - 60 * number)),
        )


def _latest_complaints(council: Council) -> list[Case]:
    return list(
        Case.objects.filter(council=council, kind=c.Kind.COMPLAINT, closed_date__isnull=True, restricted=False)
        .filter(complainants__is_primary=True, complainants__person__email__gt="")
        .order_by("-received_date", "-id")
        .distinct()[:3]
    )


def _acknowledge(case: Case, officer: User, *, channel: str, now: datetime) -> None:
    audience = selectors.audience_for_case(case=case, today=now.date())
    words = selectors.template_words(council=case.council, step="acknowledgement", audience=audience)
    merged = selectors.letter_values(case=case, today=now.date(), officer_name=officer.get_full_name())
    primary = case.complainants.select_related("person").get(is_primary=True).person
    recipient = (
        primary.email
        if channel == LetterChannel.EMAIL
        else "\n".join([primary.full_name, primary.address or "12 Station Road", primary.postcode or "EX1 4TQ"])
    )
    letter = services.letter_draft_save(
        case=case,
        acting_user=officer,
        step="acknowledgement",
        audience=audience,
        channel=channel,
        recipient=recipient,
        subject=merge(words.subject, merged),
        body=merge(words.body, merged),
        template_version=words.version,
    )
    services.letter_send(letter=letter, acting_user=officer, now=now)


def _bounce(reference: str, recipient: str, council: Council, when: datetime) -> bytes:
    """The delivery failure notice a mail server returns (RFC 3464), with the headers of the email it could not
    deliver."""
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mail.example.org>\r\n"
        f"To: complaints@{council.slug}.example.org\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <bounce-{reference.replace(':', '-')}@mail.example.org>\r\n"
        f"Date: {format_datetime(when)}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="notice"\r\n\r\n'
        "--notice\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        "Your message could not be delivered to one or more recipients.\r\n"
        "--notice\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mail.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: mailbox unavailable\r\n\r\n"
        "--notice\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"To: {recipient}\r\nSubject: We have received your complaint\r\n"
        f"X-OpenComplaints-Reference: {reference}\r\n\r\n"
        "--notice--\r\n"
    ).encode()


def _mailbox(council: Council, case: Case, end_date: date) -> None:
    emails = [
        (
            "Dana Whitfield <dana.whitfield@example.net>",
            f"Re: {case.reference}",
            "Thank you for your letter. I have found the copy of the plan I mentioned and will bring it to the "
            "meeting.",
        ),
        (
            "Morgan Ellis <morgan.ellis@example.com>",
            "Complaint about my son's short breaks",
            "I want to complain that my son's short breaks have been cut without anyone telling us. Nobody has "
            "returned my calls for three weeks. Please can someone contact me.",
        ),
        (
            "Priya Shah <p.shah@example.org>",
            "Thank you",
            "I just wanted to say how helpful the duty social worker was last Tuesday. She listened and sorted "
            "things out the same day.",
        ),
    ]
    for number, (sender, subject, body) in enumerate(emails, start=1):
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = sender, f"complaints@{council.slug}.example.org", subject
        email["Date"] = format_datetime(_at(end_date - timedelta(days=number), 9 + number))
        email["Message-ID"] = f"<demo-{council.slug}-{number}@example.net>"
        email.set_content(body)
        inbound_email_receive(
            council=council,
            raw=email.as_bytes(),
            source=InboundSource.MAILBOX,
            received_at=_at(end_date - timedelta(days=number), 9 + number),
        )


def correspondence_demo(*, council: Council, users: Mapping[str, User], end_date: date) -> None:
    manager, officer = users["manager"], users["officer"]
    _settings(council, manager)
    _template(council, manager, end_date)
    latest = _latest_complaints(council)
    if len(latest) < 3:
        return
    delivered, bounced, posted = latest
    sent_at = _at(end_date - timedelta(days=2))
    _acknowledge(delivered, officer, channel=LetterChannel.EMAIL, now=sent_at)
    _acknowledge(bounced, officer, channel=LetterChannel.EMAIL, now=sent_at)
    _acknowledge(posted, officer, channel=LetterChannel.POST, now=sent_at)
    outbox_send_pending(now=sent_at, sender=_RecordingProvider())
    first, second = (case.letters.get().message for case in (delivered, bounced))
    if first is None or second is None:  # every emailed letter has its message; nothing to mark otherwise
        return
    message_delivery_record(
        provider="smtp", provider_id=first.provider_id, delivered=True, detail="", at=sent_at + timedelta(minutes=2)
    )
    inbound_email_receive(
        council=council,
        raw=_bounce(second.provider_id, second.recipient, council, sent_at + timedelta(minutes=3)),
        source=InboundSource.MAILBOX,
        received_at=sent_at + timedelta(minutes=3),
    )
    _mailbox(council, delivered, end_date)
