"""Writes of the correspondence app: a council's templates and letter settings, and letters written on a case
(drafted, previewed, then emailed through the notifications outbox or put in the print queue). Every write has an
explicit acting user, is one transaction and records one audit event."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_event_record
from opencomplaints.cases.models import Case
from opencomplaints.common.errors import DomainError
from opencomplaints.correspondence import errors
from opencomplaints.correspondence.models import (
    Letter,
    LetterChannel,
    LetterSettings,
    LetterStatus,
    LetterTemplate,
    LetterTemplateVersion,
)
from opencomplaints.correspondence.rendering import template_problems
from opencomplaints.correspondence.selectors import letter_settings_for
from opencomplaints.correspondence.steps import Audience, StepKey, step_for
from opencomplaints.councils.models import Council
from opencomplaints.notifications.models import Channel, TemplateKey
from opencomplaints.notifications.services import message_queue

__all__ = [
    "letter_draft_save",
    "letter_send",
    "letter_settings_save",
    "letter_template_save",
    "letters_mark_printed",
]

# Guidance the standard words leave for the officer to replace ("[Write the reply here.]").
OFFICER_PROMPT = re.compile(r"\[((?:Write|Explain)[^\]]{0,40})")


def _step_and_audience(step: str, audience: str) -> None:
    found = step_for(step)
    if found is None:
        raise DomainError(errors.STEP_UNKNOWN, field="step")
    if audience not in Audience.values:
        raise DomainError(errors.AUDIENCE_UNKNOWN, field="audience")
    if audience not in found.audiences:
        raise DomainError(errors.AUDIENCE_NOT_FOR_STEP.format(step=found.label.lower()), field="audience")


@transaction.atomic
def letter_template_save(
    *, council: Council, step: str, audience: str, subject: str, body: str, acting_user: User, now: datetime
) -> LetterTemplateVersion:
    """Save new words for ``council``'s ``step`` letter to ``audience`` as a new version (earlier ones are kept).
    Refused, saving nothing, when the words use a merge field that is not shareable or any other template code."""
    _step_and_audience(step, audience)
    for part, text, field in (("subject", subject, "subject"), ("words", body, "body")):
        problems = template_problems(text, part=part)
        if problems:
            raise DomainError(problems[0], field=field)
    template, _ = LetterTemplate.objects.select_for_update().get_or_create(
        council=council, step=step, audience=audience
    )
    latest = template.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = LetterTemplateVersion.objects.create(
        template=template,
        number=latest + 1,
        subject=subject.strip(),
        body=body.strip(),
        saved_by=acting_user,
        saved_at=now,
    )
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.LETTER_TEMPLATE_SAVED,
        subject=version,
        summary=f"{template} letter template version {version.number} saved for {council.name}",
        after={"step": step, "audience": audience, "version": version.number, "subject": FreeText(version.subject)},
    )
    return version


SETTINGS_LIMIT = 2000


@transaction.atomic
def letter_settings_save(
    *, council: Council, acting_user: User, letterhead: str, signature: str, advocacy: str, support: str, ombudsman: str
) -> LetterSettings:
    """Save ``council``'s letterhead, signature block and the signposting merged into its letters."""
    parts = {
        "letterhead": letterhead,
        "signature": signature,
        "advocacy": advocacy,
        "support": support,
        "ombudsman": ombudsman,
    }
    for name, text in parts.items():
        if len(text) > SETTINGS_LIMIT:
            raise DomainError(errors.LETTER_SETTINGS_TOO_LONG.format(part=name, limit=SETTINGS_LIMIT), field=name)
    current = letter_settings_for(council)
    settings, _ = LetterSettings.objects.select_for_update().get_or_create(council=council)
    before = {name: FreeText(getattr(current, name)) for name in parts}
    for name, text in parts.items():
        setattr(settings, name, text.strip())
    settings.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.LETTER_SETTINGS_SAVED,
        subject=settings,
        summary=f"Letter settings saved for {council.name}",
        before=before,
        after={name: FreeText(getattr(settings, name)) for name in parts},
    )
    return settings


def _recipient_checked(channel: str, recipient: str) -> str:
    if channel not in LetterChannel.values:
        raise DomainError(errors.CHANNEL_UNKNOWN, field="channel")
    lines = [line.strip() for line in recipient.splitlines() if line.strip()]
    if not lines:
        raise DomainError(
            errors.RECIPIENT_MISSING.format(channel=LetterChannel(channel).label.lower()), field="recipient"
        )
    if channel == LetterChannel.EMAIL:
        try:
            validate_email(lines[0])
        except ValidationError as error:
            raise DomainError(errors.EMAIL_INVALID, field="recipient") from error
        return lines[0]
    return "\n".join(lines)


@transaction.atomic
def letter_draft_save(
    *,
    case: Case,
    acting_user: User,
    step: str,
    audience: str,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    template_version: LetterTemplateVersion | None,
    letter: Letter | None = None,
) -> Letter:
    """Write (or rewrite) the draft of a letter on ``case``: what the preview shows and what will be sent. The
    officer's edits are free text, checked only for a recipient and words; the council's letterhead and signature
    are fixed on the letter now, so the preview is exactly what goes."""
    _step_and_audience(step, audience)
    recipient = _recipient_checked(channel, recipient)
    if not subject.strip():
        raise DomainError("Enter the subject", field="subject")
    if not body.strip():
        raise DomainError("Enter the words of the letter", field="body")
    if letter is not None:
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if not letter.is_draft:
            raise DomainError(errors.NOT_A_DRAFT)
    settings = letter_settings_for(case.council)
    letter = letter or Letter(case=case, written_by=acting_user)
    letter.step, letter.audience, letter.channel = step, audience, channel
    letter.recipient, letter.subject, letter.body = recipient, subject.strip(), body.strip()
    letter.template_version = template_version
    letter.letterhead, letter.signature = settings.letterhead, settings.signature
    letter.save()
    return letter


def email_body(letter: Letter) -> str:
    """The words of an emailed letter: the body and the signature block (a letterhead is for paper)."""
    return f"{letter.body}\n\n{letter.signature}".strip()


@transaction.atomic
def letter_send(*, letter: Letter, acting_user: User, now: datetime) -> Letter:
    """Send a draft: an email is queued in the notifications outbox (Notify or SMTP, as configured) in this
    transaction; a letter for post joins the print queue. Either way it is on the case's timeline with what it was
    and to whom."""
    letter = Letter.objects.select_for_update().select_related("case", "case__council").get(pk=letter.pk)
    if not letter.is_draft:
        raise DomainError(errors.NOT_A_DRAFT)
    prompt = OFFICER_PROMPT.search(letter.subject + "\n" + letter.body)
    if prompt is not None:
        raise DomainError(errors.PROMPT_LEFT.format(prompt=prompt.group(1).split()[0]), field="body")
    case = letter.case
    if letter.channel == LetterChannel.EMAIL:
        letter.message = message_queue(
            template_key=TemplateKey.CORRESPONDENCE,
            channel=Channel.EMAIL,
            recipient=letter.recipient,
            personalisation={"subject": letter.subject, "body": email_body(letter)},
            idempotency_key=f"letter:{letter.pk}",
            case=case,
            acting_user=acting_user,
        )
        letter.status = LetterStatus.EMAILED
    else:
        letter.status = LetterStatus.TO_PRINT
    letter.sent_by, letter.sent_at = acting_user, now
    letter.save(update_fields=["message", "status", "sent_by", "sent_at", "updated_at"])
    how = "by email" if letter.channel == LetterChannel.EMAIL else "for post (in the print queue)"
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.LETTER_SENT,
        subject=letter,
        case_id=case.pk,
        summary=f"{StepKey(letter.step).label} letter #{letter.pk} ({Audience(letter.audience).label.lower()}) "
        f"sent {how}",
        after={
            "step": letter.step,
            "audience": letter.audience,
            "channel": letter.channel,
            "template_version": letter.template_version.number if letter.template_version else 0,
            "recipient": FreeText(letter.recipient),
            "subject": FreeText(letter.subject),
            "body": FreeText(letter.body),
        },
    )
    return letter


@transaction.atomic
def letters_mark_printed(*, letters: Sequence[Letter], acting_user: User, now: datetime) -> int:
    """Record that the letters in the print queue were printed for post; each on its case's timeline."""
    marked = 0
    for letter in Letter.objects.select_for_update().filter(
        pk__in=[x.pk for x in letters], status=LetterStatus.TO_PRINT
    ):
        letter.status, letter.printed_at = LetterStatus.PRINTED, now
        letter.save(update_fields=["status", "printed_at", "updated_at"])
        audit_event_record(
            acting_user=acting_user,
            event_type=AuditEventType.LETTER_PRINTED,
            subject=letter,
            case_id=letter.case_id,
            summary=f"{StepKey(letter.step).label} letter #{letter.pk} printed for post",
        )
        marked += 1
    if not marked:
        raise DomainError(errors.NOTHING_TO_PRINT)
    return marked
