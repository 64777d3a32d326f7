"""Records retention (docs/adr/0006-retention.md): legal holds, and removing the personal data of a closed case once
its retention period has ended while keeping every field the statutory reports count (R1.39, R1.40).

What is removed from a case: the names, contact details and address of its complainants and children (their date of
birth becomes the latest date that gives the same age on each of their cases, so ages at receipt still count), and
every free-text field that may describe people: the summary, notes, reasons, points of complaint, recommendations,
remedy descriptions, the enquirer's name, who a compliment praised and its words, portal feedback comments, and the
words and addresses of every message sent about it. Its documents are deleted, files and rows, and counted. Its
follow links stop working. Its audit trail keeps who did what and when, without the words: the notes, reasons
and names kept beside its events are deleted, and events recorded before free text was kept out of the trail are
redacted (``audit_events_redact``). Everything the reports read (kind, procedure, dates, stages, outcomes, timeliness,
teams, issues, complainant type, support category, ages, sex, ethnicity, disability, sexual orientation, religion,
remedies and amounts, the Ombudsman's decision) stays.

A person is anonymised with the last of their cases: someone with a case still inside its retention period keeps
their details on that case.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_event_record, audit_events_redact
from opencomplaints.cases.models import (
    Case,
    CaseChild,
    CaseComplainant,
    ComplaintPoint,
    ComplimentDetail,
    EnquiryDetail,
    Hold,
    Person,
    PointFinding,
    Recommendation,
    Remedy,
    Stage,
)
from opencomplaints.casework.models import Document
from opencomplaints.common.dates import age_on
from opencomplaints.notifications.models import Message
from opencomplaints.portal.models import FollowToken, PortalFeedback
from opencomplaints.retention import errors
from opencomplaints.retention.errors import RetentionError
from opencomplaints.retention.models import CaseAnonymisation, LegalHold
from opencomplaints.retention.selectors import retention_due_cases

__all__ = [
    "REMOVED",
    "case_anonymise",
    "legal_hold_lift",
    "legal_hold_place",
    "retention_anonymise_due",
]

logger = logging.getLogger(__name__)

# What a required text field holds once its words are gone (an optional one is left blank).
REMOVED = "Removed after the retention period"


@transaction.atomic
def legal_hold_place(*, case: Case, reason: str, acting_user: User | None) -> LegalHold:
    """Keep ``case``'s personal data past the retention period until the hold is lifted."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    reason = reason.strip()
    if not reason:
        raise RetentionError(errors.HOLD_REASON_REQUIRED.format(reference=case.reference), field="reason")
    anonymisation = CaseAnonymisation.objects.filter(case=case).first()
    if anonymisation is not None:
        on = timezone.localdate(anonymisation.anonymised_at)
        raise RetentionError(errors.ALREADY_ANONYMISED.format(reference=case.reference, on=f"{on:%-d %B %Y}"))
    hold = LegalHold.objects.filter(case=case).first()
    if hold is not None and hold.is_active:
        raise RetentionError(errors.HOLD_ALREADY_PLACED.format(reference=case.reference))
    now = timezone.now()
    if hold is None:
        hold = LegalHold(case=case)
    hold.reason, hold.placed_by, hold.placed_at, hold.lifted_by, hold.lifted_at = reason, acting_user, now, None, None
    hold.full_clean(exclude=["case", "placed_by", "lifted_by"], validate_constraints=False)
    hold.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.LEGAL_HOLD_PLACED,
        subject=hold,
        case_id=case.pk,
        summary=f"Legal hold placed on {case.reference}",
        after={"reason": FreeText(reason)},
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, case: Case, acting_user: User | None) -> LegalHold:
    """Lift ``case``'s legal hold: its retention period applies again (and may already have ended)."""
    hold = LegalHold.objects.select_for_update().filter(case=case).first()
    if hold is None or not hold.is_active:
        raise RetentionError(errors.HOLD_NOT_PLACED.format(reference=case.reference))
    hold.lifted_by, hold.lifted_at = acting_user, timezone.now()
    hold.save(update_fields=["lifted_by", "lifted_at", "updated_at"])
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.LEGAL_HOLD_LIFTED,
        subject=hold,
        case_id=case.pk,
        summary=f"Legal hold on {case.reference} lifted",
        before={"placed_at": hold.placed_at},
    )
    return hold


def _standin_date_of_birth(born: date, received: Iterable[date]) -> date:
    """The latest date of birth that gives the same age in whole years on every date in ``received`` as ``born``
    does: it says nothing the ages do not."""
    return min(day - relativedelta(years=age_on(born, day)) for day in received)


def _people_to_anonymise(case: Case) -> list[Person]:
    """The case's complainants and children whose every other case has been anonymised already."""
    ids = set(CaseComplainant.objects.filter(case=case).values_list("person_id", flat=True))
    ids |= set(CaseChild.objects.filter(case=case).values_list("person_id", flat=True))
    kept: set[int] = set()
    for model in (CaseComplainant, CaseChild):
        others = model.objects.filter(person_id__in=ids).exclude(case=case)
        kept |= set(others.exclude(case__anonymisation__isnull=False).values_list("person_id", flat=True))
    return list(Person.objects.filter(pk__in=ids - kept, anonymised_at__isnull=True).order_by("pk"))


def _person_anonymise(person: Person, now: datetime) -> None:
    if person.date_of_birth is not None:
        received = set(Case.objects.filter(complainants__person=person).values_list("received_date", flat=True))
        received |= set(Case.objects.filter(children__person=person).values_list("received_date", flat=True))
        person.date_of_birth = _standin_date_of_birth(person.date_of_birth, received) if received else None
    person.first_name = person.last_name = person.email = person.phone = person.address = person.postcode = ""
    person.anonymised_at = now
    person.save(
        update_fields=[
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
            "postcode",
            "date_of_birth",
            "anonymised_at",
            "updated_at",
        ]
    )


def _texts_remove(case: Case) -> None:
    """Blank the optional free text of the case and its records, and replace the required text."""
    Case.objects.filter(pk=case.pk).update(
        summary="",
        decline_note="",
        late_not_reasonable_to_expect_reason="",
        late_still_possible_reason="",
        advocate_name="",
        updated_at=timezone.now(),
    )
    stages = Stage.objects.filter(case=case)
    stages.update(previous_stage_skipped_reason="")
    # Database constraints require these reasons where a late request was decided or a stage extended.
    stages.exclude(late_request_reason="").update(late_request_reason=REMOVED)
    stages.exclude(extension_reason="").update(extension_reason=REMOVED)
    Hold.objects.filter(stage__case=case).update(note="")
    ComplaintPoint.objects.filter(case=case).update(description=REMOVED)
    PointFinding.objects.filter(point__case=case).update(note="")
    recommendations = Recommendation.objects.filter(stage__case=case)
    recommendations.update(text=REMOVED)
    recommendations.exclude(reason="").update(reason=REMOVED)
    Remedy.objects.filter(case=case).update(description="")
    Remedy.objects.filter(case=case).exclude(not_delivered_reason="").update(not_delivered_reason=REMOVED)
    EnquiryDetail.objects.filter(case=case).update(enquirer_name=REMOVED)
    ComplimentDetail.objects.filter(case=case).update(about_person="", quote="")
    PortalFeedback.objects.filter(case=case).update(comments="")


def _documents_delete(case: Case) -> int:
    documents = list(Document.objects.filter(case=case))
    names = [document.file.name for document in documents if document.file.name]
    Document.objects.filter(pk__in=[document.pk for document in documents]).delete()

    def delete_files() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                # The row is gone, so the file can no longer be reached; a left-over file is reported, not fatal.
                logger.exception("Could not delete a document file of an anonymised case")

    # Only once the rows are gone for good: a rollback must not leave rows whose files were deleted.
    transaction.on_commit(delete_files)
    return len(documents)


def _messages_clear(case: Case) -> int:
    return Message.objects.filter(case=case).update(
        recipient=REMOVED, subject=REMOVED, body=REMOVED, personalisation={}, secret_keys=[], last_error=""
    )


@transaction.atomic
def case_anonymise(*, case: Case, today: date, acting_user: User | None = None) -> CaseAnonymisation | None:
    """Remove the personal data of ``case`` (see the module docstring), if it is still due on ``today``: closed,
    past its retention period, with no legal hold, not anonymised already. ``None`` when it is not due."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    closed_date = case.closed_date
    if closed_date is None or not retention_due_cases(today=today).filter(pk=case.pk).exists():
        return None
    now = timezone.now()
    people = _people_to_anonymise(case)
    for person in people:
        _person_anonymise(person, now)
    _texts_remove(case)
    documents = _documents_delete(case)
    messages = _messages_clear(case)
    FollowToken.objects.filter(case=case, revoked_at__isnull=True).update(revoked_at=now)
    # The case's trail as it stands: the event recorded below holds counts only.
    redacted = audit_events_redact(case_id=case.pk, acting_user=acting_user)
    anonymisation = CaseAnonymisation.objects.create(
        case=case,
        anonymised_at=now,
        acting_user=acting_user,
        closed_date=closed_date,
        people_anonymised=len(people),
        documents_deleted=documents,
        messages_cleared=messages,
    )
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.CASE_ANONYMISED,
        subject=case,
        case_id=case.pk,
        summary=f"Personal data of {case.reference} removed after the retention period",
        after={
            "closed_date": closed_date,
            "people_anonymised": len(people),
            "documents_deleted": documents,
            "messages_cleared": messages,
            "audit_events_redacted": redacted,
        },
    )
    return anonymisation


def retention_anonymise_due(*, today: date, acting_user: User | None = None) -> int:
    """Anonymise every case due on ``today``; returns how many were anonymised.

    Each case is anonymised in its own transaction, so one that fails leaves the others done; the run then fails
    (naming the cases by id only) so the scheduler tries again."""
    anonymised, failed = 0, []
    for case_id in list(retention_due_cases(today=today).values_list("pk", flat=True)):
        try:
            if case_anonymise(case=Case(pk=case_id), today=today, acting_user=acting_user) is not None:
                anonymised += 1
        except Exception:  # one case's failure must not keep the others' personal data past their time
            logger.exception("Could not anonymise case #%s", case_id)
            failed.append(case_id)
    if failed:
        raise RuntimeError(f"Anonymised {anonymised} cases; could not anonymise cases {failed}")
    return anonymised
