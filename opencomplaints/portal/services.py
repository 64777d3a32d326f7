"""Writes of the public portal. A submission registers the case through the case services (a complaint waits in
triage, R1.38) and writes its acknowledgement to the outbox in the same transaction: the complaint is kept even if
the email cannot be sent, and no email goes out for a complaint that was not saved."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, Stage
from opencomplaints.cases.services import (
    ChildInput,
    ComplainantInput,
    ComplimentInput,
    PersonInput,
    complaint_register,
    representation_register,
)
from opencomplaints.casework.models import Document, DocumentKind
from opencomplaints.casework.services import document_upload
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.notifications.models import Channel, TemplateKey
from opencomplaints.notifications.services import complainant_contact, govuk_date, message_queue
from opencomplaints.portal import errors
from opencomplaints.portal.models import FeedbackRating, FollowToken, PortalFeedback, TokenPurpose, token_hash
from opencomplaints.portal.selectors import case_for_link_request, feedback_stage

__all__ = [
    "ComplaintSubmission",
    "ComplimentSubmission",
    "Submitted",
    "follow_link_request",
    "follow_token_issue",
    "follow_token_revoke",
    "portal_complaint_submit",
    "portal_compliment_submit",
    "portal_document_add",
    "portal_feedback_give",
    "token_hash",
]

ADULT = "adult"
YOUNG_PERSON = "young_person"


# Who the person is → how the case records them (R1.8; the complaints team checks eligibility at triage).
RELATIONSHIP_RECORD = {
    "young_person": (c.ComplainantType.CHILD_YOUNG_PERSON, c.EligibilityBasis.CHILD),
    "parent": (c.ComplainantType.PARENT_RELATIVE, c.EligibilityBasis.PARENT),
    "foster_carer": (c.ComplainantType.FOSTER_CARER, c.EligibilityBasis.LA_FOSTER_CARER),
    "special_guardian": (c.ComplainantType.SPECIAL_GUARDIAN, c.EligibilityBasis.SPECIAL_GUARDIAN),
    # R1.9: the council decides whether they have sufficient interest in the child's welfare.
    "relative": (c.ComplainantType.PARENT_RELATIVE, c.EligibilityBasis.SUFFICIENT_INTEREST),
    "advocate": (c.ComplainantType.ADVOCATE, c.EligibilityBasis.CHILD),
    "other": (c.ComplainantType.OTHER, c.EligibilityBasis.NOT_APPLICABLE),
}


@dataclass(frozen=True, kw_only=True)
class ComplaintSubmission:
    """The answers to the complaint questions, in either version."""

    version: str = ADULT
    relationship: str = "young_person"
    consent: str = c.ChildConsent.NOT_APPLICABLE
    child_first_name: str = ""
    child_last_name: str = ""
    child_date_of_birth: date | None = None
    what_happened: str
    put_right: str = ""
    advocate: str = "no"
    advocate_name: str = ""
    advocate_organisation: str = ""
    contact: str = "anonymous"
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    age: int | None = None

    @property
    def anonymous(self) -> bool:
        return self.contact == "anonymous"

    @property
    def on_behalf(self) -> bool:
        return self.relationship != "young_person"


@dataclass(frozen=True, kw_only=True)
class ComplimentSubmission:
    quote: str
    about_person: str = ""
    name: str = ""
    email: str = ""


@dataclass(frozen=True)
class Submitted:
    case: Case
    # The follow link's raw token, for the confirmation page; never stored.
    follow_token: str | None


def _summary(answers: ComplaintSubmission) -> str:
    parts = [f"What happened:\n{answers.what_happened.strip()}"]
    if answers.put_right.strip():
        parts.append(f"What would put it right:\n{answers.put_right.strip()}")
    notes = [
        "Made online"
        + (" using the version for children and young people." if answers.version == YOUNG_PERSON else ".")
    ]
    if answers.age is not None:
        notes.append(f"Age given: {answers.age}.")
    if answers.on_behalf:
        notes.append(
            "Made on behalf of a child or young person; their agreement: "
            f"{c.ChildConsent(answers.consent).label.lower()} (R1.10)."
        )
    if answers.advocate == "yes":
        notes.append("Asked for help from an advocate.")  # R1.17
    if answers.anonymous:
        notes.append("Anonymous: the complainant gave no name or contact details.")
    elif answers.phone.strip():
        notes.append(f"Phone: {answers.phone.strip()}.")
    parts.append(" ".join(notes))
    return "\n\n".join(parts)


def _complainant(answers: ComplaintSubmission) -> ComplainantInput:
    complainant_type, basis = RELATIONSHIP_RECORD[answers.relationship]
    person = PersonInput()
    if not answers.anonymous:
        person = PersonInput(
            first_name=answers.first_name,
            last_name=answers.last_name,
            email=answers.email if answers.contact == "email" else "",
            address=answers.address if answers.contact == "post" else "",
            postcode=answers.postcode if answers.contact == "post" else "",
            phone=answers.phone,
        )
    return ComplainantInput(
        person=person,
        complainant_type=complainant_type,
        eligibility_basis=basis,
        on_behalf_of_child=answers.on_behalf,
        child_consent=answers.consent if answers.on_behalf else c.ChildConsent.NOT_APPLICABLE,
    )


def _expiry(now: datetime) -> datetime:
    days: int = settings.OPENCOMPLAINTS["FOLLOW_LINK_DAYS"]
    return now + timedelta(days=days)


def _follow_url(raw: str) -> str:
    base: str = settings.OPENCOMPLAINTS["SITE_URL"]
    return base.rstrip("/") + reverse("portal:follow-detail", args=[raw])


def _expiry_text(token: FollowToken) -> str:
    return govuk_date(timezone.localtime(token.expires_at).date())


def follow_token_issue(*, case: Case, now: datetime) -> tuple[FollowToken, str]:
    """A new follow link for ``case``: returns the stored token and the raw value, which only the email carries."""
    raw = secrets.token_urlsafe(32)
    token = FollowToken.objects.create(
        case=case, token_hash=token_hash(raw), purpose=TokenPurpose.FOLLOW, expires_at=_expiry(now)
    )
    audit_event_record(
        acting_user=None,
        event_type=AuditEventType.FOLLOW_LINK_ISSUED,
        subject=token,
        case_id=case.pk,
        summary=f"Link to follow {case.reference} sent, working until {_expiry_text(token)}",
        after={"expires_at": token.expires_at},
    )
    return token, raw


@transaction.atomic
def follow_token_revoke(*, token: FollowToken, acting_user: object, now: datetime) -> FollowToken:
    """Stop a follow link working at once (sent to the wrong address, or the complainant asked)."""
    from opencomplaints.accounts.models import User

    if token.revoked_at is None:
        token.revoked_at = now
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_event_record(
            acting_user=acting_user if isinstance(acting_user, User) else None,
            event_type=AuditEventType.FOLLOW_LINK_REVOKED,
            subject=token,
            case_id=token.case_id,
            summary=f"Link to follow {token.case} revoked",
        )
    return token


def _link_details(token: FollowToken, raw: str) -> dict[str, str]:
    return {"follow_link": _follow_url(raw), "link_expires": _expiry_text(token)}


@transaction.atomic
def portal_complaint_submit(*, council: Council, answers: ComplaintSubmission, received_at: datetime) -> Submitted:
    """Register the complaint, in triage, received online at ``received_at``; if the complainant gave an email
    address, a follow link and the acknowledgement (queued, in this transaction), and for a postal address the
    acknowledgement by letter. An anonymous complaint gets neither: there is nobody to send them to."""
    if not answers.what_happened.strip():
        raise DomainError(errors.COMPLAINT_EMPTY, field="what_happened")
    children: tuple[ChildInput, ...] = ()
    if answers.relationship == "young_person":
        # A young person complaining about their own care is the child concerned too: one person, counted once.
        children = (ChildInput(same_as_complainant=True),)
    elif answers.on_behalf and (answers.child_first_name.strip() or answers.child_last_name.strip()):
        children = (
            ChildInput(
                person=PersonInput(
                    first_name=answers.child_first_name,
                    last_name=answers.child_last_name,
                    date_of_birth=answers.child_date_of_birth,
                )
            ),
        )
    has_advocate = answers.advocate == "have_one"
    case = complaint_register(
        council=council,
        acting_user=None,
        received_date=timezone.localtime(received_at).date(),
        received_at=received_at,
        received_via=c.ReceivedVia.ONLINE,
        complainants=[_complainant(answers)],
        children=children,
        summary=_summary(answers),
        advocacy_offered=True,
        advocacy_provided=True if has_advocate else None,
        advocate_name=answers.advocate_name if has_advocate else "",
        advocate_organisation=answers.advocate_organisation if has_advocate else "",
    )
    contact = complainant_contact(case)
    if contact is None:
        return Submitted(case=case, follow_token=None)
    details = {
        "greeting": contact.greeting,
        "reference": case.reference,
        "council": council.name,
        "received_date": govuk_date(case.received_date),
        "due_date": govuk_date(case.next_due_date) if case.next_due_date else "as soon as we can",
        "advocacy": errors.ADVOCACY_NOTE[answers.advocate],
        "follow_section": errors.FOLLOW_BY_POST,
    }
    raw: str | None = None
    secret_keys: list[str] = []
    if contact.channel == Channel.EMAIL:
        token, raw = follow_token_issue(case=case, now=received_at)
        details["follow_section"] = errors.FOLLOW_SECTION.format(**_link_details(token, raw))
        secret_keys = ["follow_section"]
    message_queue(
        template_key=TemplateKey.ACKNOWLEDGEMENT,
        channel=contact.channel,
        recipient=contact.recipient,
        personalisation=details,
        secret_keys=secret_keys,
        idempotency_key=f"acknowledgement:{case.pk}",
        case=case,
    )
    return Submitted(case=case, follow_token=raw)


@transaction.atomic
def portal_compliment_submit(*, council: Council, answers: ComplimentSubmission, received_at: datetime) -> Submitted:
    """Register a compliment, with a thank-you email if an address was given."""
    if not answers.quote.strip():
        raise DomainError(errors.COMPLIMENT_EMPTY, field="quote")
    case = representation_register(
        council=council,
        acting_user=None,
        kind=c.Kind.COMPLIMENT,
        received_date=timezone.localtime(received_at).date(),
        received_at=received_at,
        received_via=c.ReceivedVia.ONLINE,
        topic="Compliment made online",
        summary=f"From: {answers.name.strip() or 'not given'}" + (f" ({answers.email})" if answers.email else ""),
        compliment=ComplimentInput(about_person=answers.about_person.strip(), quote=answers.quote.strip()),
    )
    if answers.email:
        message_queue(
            template_key=TemplateKey.COMPLIMENT_ACKNOWLEDGEMENT,
            recipient=answers.email,
            personalisation={
                "greeting": f"Dear {answers.name.strip()}" if answers.name.strip() else "Hello",
                "reference": case.reference,
                "council": council.name,
            },
            idempotency_key=f"compliment-acknowledgement:{case.pk}",
            case=case,
        )
    return Submitted(case=case, follow_token=None)


@transaction.atomic
def follow_link_request(*, reference: str, email: str, now: datetime) -> None:
    """Email a new follow link when ``reference`` and ``email`` match a complaint's complainant. Says nothing
    either way, so the answer never tells anyone whether a complaint exists."""
    case = case_for_link_request(reference=reference, email=email)
    if case is None:
        return
    contact = complainant_contact(case)
    if contact is None or contact.channel != Channel.EMAIL:
        return
    token, raw = follow_token_issue(case=case, now=now)
    message_queue(
        template_key=TemplateKey.FOLLOW_LINK,
        recipient=contact.recipient,
        personalisation={
            "greeting": contact.greeting,
            "reference": case.reference,
            "council": case.council.name,
            **_link_details(token, raw),
        },
        secret_keys=["follow_link"],
        idempotency_key=f"follow-link:{token.pk}",
        case=case,
    )


def portal_document_add(*, token: FollowToken, file: UploadedFile[bytes], description: str) -> Document:
    """Keep a document the complainant sent on their case (the casework app's checks: size, type, name)."""
    return document_upload(
        case=token.case,
        acting_user=None,
        file=file,
        description=f"From the complainant: {description.strip()}" if description.strip() else "From the complainant",
        kind=DocumentKind.EVIDENCE,
    )


@transaction.atomic
def portal_feedback_give(*, token: FollowToken, rating: str, comments: str) -> PortalFeedback:
    """The complainant's view of the latest response, once per response."""
    case = token.case
    if rating not in FeedbackRating.values:
        raise DomainError(errors.FEEDBACK_RATING_INVALID, field="rating")
    stage: Stage | None = feedback_stage(case=case)
    if stage is None and case.responded_date is None:
        raise DomainError(errors.FEEDBACK_BEFORE_RESPONSE)
    feedback = PortalFeedback(case=case, stage=stage, rating=rating, comments=comments.strip())
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError as error:
        raise DomainError(errors.FEEDBACK_ALREADY_GIVEN) from error
    audit_event_record(
        acting_user=None,
        event_type=AuditEventType.PORTAL_FEEDBACK_RECEIVED,
        subject=feedback,
        case_id=case.pk,
        summary=f"Feedback on the {'stage ' + str(stage.number) + ' ' if stage else ''}response: "
        f"{feedback.get_rating_display().lower()}",
        after={"rating": rating, "stage": stage.number if stage else None},
    )
    return feedback
