"""Email coming in (docs/adr/0016-inbound-email.md): a message from the shared mailbox, or an ``.eml`` or Outlook
``.msg`` file added to a case, is stored once per council (by its Message-ID) with the message as it arrived. One
that quotes a case reference is filed on that case with its attachments (checked as any uploaded document is);
one that does not waits in the inbox, where an officer registers it, files it on a case or discards it.

Storing the email is one transaction; its attachments are then added through ``casework.services.document_upload``
(each upload is a transaction of its own). The raw message is kept, so nothing is lost if an attachment cannot be
added, and the mailbox marks the message read only after ``inbound_email_receive`` has returned.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_event_record
from opencomplaints.cases.models import Case
from opencomplaints.casework.models import DocumentKind
from opencomplaints.casework.services import document_upload
from opencomplaints.common.errors import DomainError
from opencomplaints.correspondence.models import InboundEmail, InboundSource, InboundStatus
from opencomplaints.councils.models import Council
from opencomplaints.notifications.models import Message
from opencomplaints.notifications.services import message_delivery_record

__all__ = [
    "EMAIL_FILE_UNREADABLE",
    "Bounce",
    "ParsedEmail",
    "bounce_parse",
    "email_file_parse",
    "email_parse",
    "inbound_email_discard",
    "inbound_email_file",
    "inbound_email_receive",
    "references_quoted",
]

# A case reference as ``cases.services.references`` makes them: PREFIX-YEAR-NUMBER.
REFERENCE = re.compile(r"\b([A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,})\b")
BODY_LIMIT = 100_000

EMAIL_FILE_UNREADABLE = "The selected file is not an email that can be read: choose an .eml or Outlook .msg file"
NOT_IN_INBOX = "This email has already been dealt with"
DISCARD_REASON_MISSING = "Enter why the email is being discarded"
DISCARD_REASON_TOO_LONG = "The reason must be 500 characters or fewer"
CASE_OTHER_COUNCIL = "That case belongs to another council, so the email cannot be filed on it"


@dataclass
class ParsedEmail:
    message_id: str
    from_address: str
    from_name: str
    subject: str
    sent_at: datetime | None
    body: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if part.get_content_subtype() == "html":
        content = strip_tags(content)
    return str(content).strip()[:BODY_LIMIT]


def email_parse(raw: bytes) -> ParsedEmail:
    """The parts of an RFC 5322 message kept on an ``InboundEmail``; a message with no Message-ID is named by a
    digest of its bytes, so reading it twice is still recognised."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)  # noqa: S101 - policy.default makes EmailMessage
    message_id = str(message.get("Message-ID", "") or "").strip()[:500]
    if not message_id:
        message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    addresses = getaddresses([str(message.get("From", "") or "")])
    name, address = addresses[0] if addresses else ("", "")
    sent_at = None
    if message.get("Date"):
        try:
            sent_at = parsedate_to_datetime(str(message["Date"]))
        except (TypeError, ValueError):
            sent_at = None
        if sent_at is not None and sent_at.tzinfo is None:
            sent_at = sent_at.replace(tzinfo=UTC)
    attachments = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            attachments.append((part.get_filename() or "attachment", payload))
    return ParsedEmail(
        message_id=message_id,
        from_address=address[:320],
        from_name=name[:200],
        subject=str(message.get("Subject", "") or "")[:500],
        sent_at=sent_at,
        body=_text(message),
        attachments=attachments,
    )


@dataclass(frozen=True)
class Bounce:
    """A delivery status notification (RFC 3464) saying an email could not be delivered: the reference our
    server put on it (``X-OpenComplaints-Reference``, see ``notifications.senders.SmtpSender``) and why."""

    reference: str
    detail: str


_REFERENCE_HEADER = re.compile(rb"^X-OpenComplaints-Reference:[ \t]*(\S{1,200})", re.IGNORECASE | re.MULTILINE)
_DSN_FIELDS = frozenset({"action", "status", "diagnostic-code", "final-recipient"})


def _dsn_fields(part: EmailMessage) -> dict[str, str]:
    """The per-recipient fields of a message/delivery-status part (the first recipient's), which the email
    package parses into blocks of headers."""
    fields: dict[str, str] = {}
    payload = part.get_payload()
    for block in payload if isinstance(payload, list) else []:
        if isinstance(block, str):
            continue
        for name, value in block.items():
            if name.lower() in _DSN_FIELDS:
                fields.setdefault(name.lower(), " ".join(str(value).split()))
    return fields


def bounce_parse(raw: bytes) -> Bounce | None:
    """The bounce ``raw`` is, or None: a ``multipart/report`` of type ``delivery-status`` whose action is
    ``failed`` and which returns the headers of a message we sent. A "delayed" notice is not a bounce."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if message.get_content_type() != "multipart/report":
        return None
    if str(message.get_param("report-type", "", header="content-type")).lower() != "delivery-status":
        return None
    fields: dict[str, str] = {}
    returned = b""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            fields = _dsn_fields(part) | fields
        elif kind in {"message/rfc822", "text/rfc822-headers", "message/rfc822-headers"}:
            returned += part.as_bytes()
    if fields.get("action", "").lower() != "failed":
        return None
    found = _REFERENCE_HEADER.search(returned)
    if found is None:
        return None
    reason = fields.get("diagnostic-code") or fields.get("status") or ""
    reason = reason.split(";", 1)[-1].strip() if ";" in reason else reason
    return Bounce(
        reference=found.group(1).decode("ascii", "replace"),
        detail=f"the recipient's server said: {reason}"[:500] if reason else "",
    )


def _stored(
    council: Council, raw: bytes, parsed: ParsedEmail, *, source: str, received_at: datetime, **where: Any
) -> InboundEmail:
    """The email as it arrived, kept with its raw bytes; ``where`` says where it went (status, case, triage)."""
    return InboundEmail.objects.create(
        council=council,
        message_id=parsed.message_id,
        source=source,
        from_address=parsed.from_address,
        from_name=parsed.from_name,
        subject=parsed.subject,
        sent_at=parsed.sent_at,
        received_at=received_at,
        body=parsed.body,
        raw=raw,
        **where,
    )


def _bounce_receive(
    *, council: Council, raw: bytes, parsed: ParsedEmail, source: str, received_at: datetime, bounce: Bounce
) -> InboundEmail | None:
    """Store a bounce for an email this council sent through its server, on that email's case, and mark the
    message not delivered, in one transaction. None when the bounce is for no message of ours."""
    sent = Message.objects.filter(provider="smtp", provider_id=bounce.reference, case__council=council).first()
    if sent is None:
        return None
    with transaction.atomic():
        message_delivery_record(
            provider="smtp", provider_id=bounce.reference, delivered=False, detail=bounce.detail, at=received_at
        )
        email = _stored(
            council,
            raw,
            parsed,
            source=source,
            received_at=received_at,
            status=InboundStatus.BOUNCE,
            case_id=sent.case_id,
            triaged_at=received_at,
        )
        audit_event_record(
            acting_user=None,
            event_type=AuditEventType.INBOUND_EMAIL_RECEIVED,
            subject=email,
            case_id=sent.case_id,
            summary=f"Email #{email.pk} received: a delivery failure notice for {sent.name_without_recipient}",
        )
    return email


def _msg_parse(data: bytes) -> ParsedEmail:
    """An Outlook ``.msg`` file, read with extract-msg."""
    import extract_msg

    try:
        msg: Any = extract_msg.openMsg(data)
    except Exception as error:  # extract-msg raises many kinds for a file that is not a .msg
        raise DomainError(EMAIL_FILE_UNREADABLE, field="file") from error
    try:
        sender = getaddresses([str(msg.sender or "")])
        name, address = sender[0] if sender else ("", "")
        sent_at = msg.date if isinstance(msg.date, datetime) else None
        attachments: list[tuple[str, bytes]] = [
            (str(a.longFilename or a.shortFilename or "attachment"), bytes(a.data))
            for a in msg.attachments
            if isinstance(getattr(a, "data", None), bytes)
        ]
        message_id = str(msg.messageId or "").strip() or "sha256:" + hashlib.sha256(data).hexdigest()
        return ParsedEmail(
            message_id=message_id[:500],
            from_address=address[:320],
            from_name=name[:200],
            subject=str(msg.subject or "")[:500],
            sent_at=sent_at,
            body=str(msg.body or "").strip()[:BODY_LIMIT],
            attachments=attachments,
        )
    finally:
        msg.close()


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def email_file_parse(data: bytes) -> ParsedEmail:
    """An email file dropped onto a case: Outlook ``.msg`` (an OLE compound file) or ``.eml``."""
    if data.startswith(OLE_MAGIC):
        return _msg_parse(data)
    parsed = email_parse(data)
    if not parsed.from_address and not parsed.subject and not parsed.message_id.startswith("<"):
        raise DomainError(EMAIL_FILE_UNREADABLE, field="file")
    return parsed


def references_quoted(parsed: ParsedEmail) -> list[str]:
    """Case references in the subject first, then the words, in order, once each."""
    found = REFERENCE.findall(parsed.subject) + REFERENCE.findall(parsed.body)
    return list(dict.fromkeys(found))


def _case_quoted(council: Council, parsed: ParsedEmail) -> Case | None:
    for reference in references_quoted(parsed):
        case = Case.objects.filter(council=council, reference=reference).first()
        if case is not None:
            return case
    return None


def _attach(email: InboundEmail, parsed: ParsedEmail, acting_user: User | None) -> None:
    """Add the attachments to the email's case as documents, each checked by ``document_upload``; those refused are
    listed on the email with why."""
    assert email.case is not None  # noqa: S101 - only filed emails have their attachments added
    refused = list(email.refused_attachments)
    for name, data in parsed.attachments:
        try:
            document = document_upload(
                case=email.case,
                acting_user=acting_user,
                file=SimpleUploadedFile(name, data),
                description=f"Attached to the email from {parsed.from_address or 'an unknown sender'}"[:500],
                kind=DocumentKind.EVIDENCE,
            )
        except DomainError as error:
            refused.append({"name": name, "problem": error.message})
        else:
            email.documents.add(document)
    if refused != email.refused_attachments:
        InboundEmail.objects.filter(pk=email.pk).update(refused_attachments=refused)
        email.refused_attachments = refused


def inbound_email_receive(
    *,
    council: Council,
    raw: bytes,
    source: str,
    received_at: datetime,
    acting_user: User | None = None,
    case: Case | None = None,
    parsed: ParsedEmail | None = None,
) -> tuple[InboundEmail, bool]:
    """Store an email that arrived for ``council`` and file it on ``case`` (an email file added to a case) or on
    the case it quotes; otherwise it waits in the inbox. Returns the email and whether it is new: a message whose
    Message-ID is already stored for the council is not stored again."""
    parsed = parsed or email_parse(raw)
    existing = InboundEmail.objects.filter(council=council, message_id=parsed.message_id).first()
    if existing is not None:
        return existing, False
    if case is not None and case.council_id != council.pk:
        raise DomainError(CASE_OTHER_COUNCIL)
    bounce = bounce_parse(raw) if source == InboundSource.MAILBOX else None
    if bounce is not None:
        try:
            stored = _bounce_receive(
                council=council, raw=raw, parsed=parsed, source=source, received_at=received_at, bounce=bounce
            )
        except IntegrityError:
            return InboundEmail.objects.get(council=council, message_id=parsed.message_id), False
        if stored is not None:
            return stored, True
    target = case or _case_quoted(council, parsed)
    try:
        with transaction.atomic():
            email = _stored(
                council,
                raw,
                parsed,
                source=source,
                received_at=received_at,
                status=InboundStatus.FILED if target else InboundStatus.INBOX,
                case_id=target.pk if target else None,
                triaged_by=acting_user if target else None,
                triaged_at=received_at if target else None,
            )
            where = f"filed on {target.reference}" if target else "in the inbox"
            audit_event_record(
                acting_user=acting_user,
                event_type=AuditEventType.INBOUND_EMAIL_RECEIVED,
                subject=email,
                case_id=target.pk if target else None,
                summary=f"Email #{email.pk} received ({InboundSource(source).label.lower()}), {where}",
                after={
                    "from": FreeText(parsed.from_address),
                    "subject": FreeText(parsed.subject),
                    "attachments": len(parsed.attachments),
                },
            )
    except IntegrityError:
        # Stored a moment ago by another poller: the same message, so nothing more to do.
        return InboundEmail.objects.get(council=council, message_id=parsed.message_id), False
    if target is not None:
        _attach(email, parsed, acting_user)
    return email, True


def _in_inbox(email: InboundEmail) -> InboundEmail:
    locked = InboundEmail.objects.select_for_update().get(pk=email.pk)
    if locked.status != InboundStatus.INBOX:
        raise DomainError(NOT_IN_INBOX)
    return locked


def inbound_email_file(*, email: InboundEmail, case: Case, acting_user: User, now: datetime) -> InboundEmail:
    """File an email from the inbox on ``case`` (one just registered from it, or one it is about), with its
    attachments."""
    if case.council_id != email.council_id:
        raise DomainError(CASE_OTHER_COUNCIL, field="reference")
    with transaction.atomic():
        email = _in_inbox(email)
        email.status, email.case, email.triaged_by, email.triaged_at = InboundStatus.FILED, case, acting_user, now
        email.save(update_fields=["status", "case", "triaged_by", "triaged_at", "updated_at"])
        audit_event_record(
            acting_user=acting_user,
            event_type=AuditEventType.INBOUND_EMAIL_FILED,
            subject=email,
            case_id=case.pk,
            summary=f"Email #{email.pk} filed on {case.reference} from the inbox",
        )
    _attach(email, email_parse(bytes(email.raw)), acting_user)
    return email


@transaction.atomic
def inbound_email_discard(*, email: InboundEmail, reason: str, acting_user: User, now: datetime) -> InboundEmail:
    """Take an email out of the inbox without filing it (spam, for another council ...), saying why."""
    reason = reason.strip()
    if not reason:
        raise DomainError(DISCARD_REASON_MISSING, field="reason")
    if len(reason) > 500:
        raise DomainError(DISCARD_REASON_TOO_LONG, field="reason")
    email = _in_inbox(email)
    email.status, email.discard_reason = InboundStatus.DISCARDED, reason
    email.triaged_by, email.triaged_at = acting_user, now
    email.save(update_fields=["status", "discard_reason", "triaged_by", "triaged_at", "updated_at"])
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.INBOUND_EMAIL_DISCARDED,
        subject=email,
        summary=f"Email #{email.pk} discarded from the inbox",
        after={"reason": FreeText(reason)},
    )
    return email
