"""The Code's writes: the Codes a council follows, self-assessments (started pre-filled from the case data,
answered, reviewed and signed off) and the Ombudsman's annual letter. Each is one transaction with an audit event."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_event_record
from opencomplaints.cases.models import Stage
from opencomplaints.casework.services import (
    DOCUMENT_EMPTY,
    DOCUMENT_TOO_LARGE,
    DOCUMENT_TYPE_NOT_ALLOWED,
    allowed_formats_text,
    max_upload_bytes,
)
from opencomplaints.casework.sniffing import format_for_name, sniff_format
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.handlingcode.codes import CODES, code_for
from opencomplaints.handlingcode.metrics import Measure
from opencomplaints.handlingcode.models import (
    AssessmentAnswer,
    CouncilCode,
    OmbudsmanLetter,
    OmbudsmanLetterCase,
    SelfAssessment,
    Verdict,
)
from opencomplaints.handlingcode.reconciliation import LetterData

__all__ = [
    "assessment_advance",
    "assessment_answer_update",
    "council_codes_set",
    "governing_body_response_record",
    "ombudsman_letter_save",
    "self_assessment_start",
    "stage_handler_record",
]

UNKNOWN_CODE = "Choose a Complaint Handling Code"
CANNOT_ADVANCE = "A signed off self-assessment cannot change; start a new self-assessment instead"
SIGNED_OFF = "This self-assessment is signed off and cannot change; start a new self-assessment instead"
VERDICT_REQUIRED = "Select whether the council complies with this provision"
NEXT = {
    SelfAssessment.Status.DRAFT: SelfAssessment.Status.REVIEWED,
    SelfAssessment.Status.REVIEWED: SelfAssessment.Status.SIGNED_OFF,
}


@transaction.atomic
def council_codes_set(*, council: Council, codes: Sequence[str], acting_user: User) -> list[str]:
    """Set the Codes ``council`` follows."""
    chosen = sorted(set(codes))
    if not chosen or any(code not in CODES for code in chosen):
        raise DomainError(UNKNOWN_CODE, field="codes")
    before = sorted(CouncilCode.objects.filter(council=council).values_list("code", flat=True))
    CouncilCode.objects.filter(council=council).exclude(code__in=chosen).delete()
    for code in chosen:
        CouncilCode.objects.get_or_create(council=council, code=code)
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.HANDLING_CODES_SET,
        subject=council,
        summary=f"Complaint Handling Codes set for {council.name}",
        before={"codes": before},
        after={"codes": chosen},
    )
    return chosen


@transaction.atomic
def self_assessment_start(
    *,
    council: Council,
    year: int,
    code: str,
    measures: dict[str, Measure],
    acting_user: User | None,
    now: datetime,
    reason: str = "",
) -> SelfAssessment:
    """Start a self-assessment of ``council``'s year against ``code``, each measurable provision pre-filled with
    its figure, verdict and cases (``measures`` by metric key), each provision's wording kept as it is now."""
    try:
        declared = code_for(code)
    except KeyError:
        raise DomainError(UNKNOWN_CODE, field="code") from None
    assessment = SelfAssessment.objects.create(
        council=council,
        code=declared.key,
        code_version=declared.version,
        year=year,
        reason=reason.strip(),
        created_by=acting_user,
        created_at=now,
    )
    answers = []
    for p in declared.provisions:
        m = measures.get(p.metric) if p.metric else None
        answers.append(
            AssessmentAnswer(
                assessment=assessment,
                provision=p.number,
                section=p.section,
                provision_text=p.text,
                source=p.source,
                metric=p.metric,
                verdict=m.verdict if m else "",
                measured={**m.measured, "cases": list(m.cases)} if m else None,
            )
        )
    AssessmentAnswer.objects.bulk_create(answers)
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.SELF_ASSESSMENT_STARTED,
        subject=assessment,
        summary=f"Self-assessment #{assessment.pk} against the {declared.name} started for {council.name}, {year}",
        after={"code": declared.key, "version": declared.version, "year": year, "reason": FreeText(assessment.reason)},
    )
    return assessment


def _evidence(file: UploadedFile[bytes]) -> tuple[str, bytes, str]:
    # The same checks as a case document's (opencomplaints.casework.services.document_upload).
    size = file.size or 0
    if size == 0:
        raise DomainError(DOCUMENT_EMPTY, field="evidence")
    if size > max_upload_bytes():
        raise DomainError(DOCUMENT_TOO_LARGE.format(limit=filesizeformat(max_upload_bytes())), field="evidence")
    name = (file.name or "evidence").replace("\\", "/").rsplit("/", 1)[-1][:255]
    file.seek(0)
    data = file.read()
    found = sniff_format(data, name)
    if found is None or format_for_name(name) is not found:
        raise DomainError(DOCUMENT_TYPE_NOT_ALLOWED.format(formats=allowed_formats_text()), field="evidence")
    return name, data, found.extension


@transaction.atomic
def assessment_answer_update(
    *,
    answer: AssessmentAnswer,
    acting_user: User,
    verdict: str,
    commentary: str,
    evidence: UploadedFile[bytes] | None = None,
) -> AssessmentAnswer:
    """Answer one provision: the council's verdict, commentary and (optionally) an evidence document."""
    if answer.assessment.status == SelfAssessment.Status.SIGNED_OFF:
        raise DomainError(SIGNED_OFF)
    if verdict not in Verdict.values:
        raise DomainError(VERDICT_REQUIRED, field="verdict")
    before = {"verdict": answer.verdict, "commentary": FreeText(answer.commentary)}
    answer.verdict = verdict
    answer.commentary = commentary.strip()
    if evidence is not None:
        name, data, extension = _evidence(evidence)
        answer.evidence.save(f"{uuid.uuid4().hex}{extension}", ContentFile(data), save=False)
        answer.evidence_name = name
    answer.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.SELF_ASSESSMENT_ANSWERED,
        subject=answer.assessment,
        summary=f"Self-assessment #{answer.assessment_id}: provision {answer.provision} answered",
        before=before,
        after={
            "verdict": verdict,
            "commentary": FreeText(answer.commentary),
            "evidence": FreeText(answer.evidence_name) if evidence is not None else None,
        },
    )
    return answer


@transaction.atomic
def assessment_advance(*, assessment: SelfAssessment, acting_user: User, now: datetime) -> SelfAssessment:
    """Move a self-assessment on: draft → reviewed → signed off."""
    status = SelfAssessment.Status(assessment.status)
    if status not in NEXT:
        raise DomainError(CANNOT_ADVANCE)
    assessment.status = NEXT[status]
    if assessment.status == SelfAssessment.Status.REVIEWED:
        assessment.reviewed_by, assessment.reviewed_at = acting_user, now
    else:
        assessment.signed_off_by, assessment.signed_off_at = acting_user, now
    assessment.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.SELF_ASSESSMENT_ADVANCED,
        subject=assessment,
        summary=f"Self-assessment #{assessment.pk} {assessment.get_status_display().lower()}",
        before={"status": str(status)},
        after={"status": assessment.status},
    )
    return assessment


@transaction.atomic
def governing_body_response_record(
    *, assessment: SelfAssessment, acting_user: User, response: str, now: datetime
) -> SelfAssessment:
    """Record the governing body's response to the year's report."""
    if not response.strip():
        raise DomainError("Enter the governing body's response", field="response")
    assessment.governing_body_response = response.strip()
    assessment.response_recorded_at = now
    assessment.save(update_fields=["governing_body_response", "response_recorded_at"])
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.GOVERNING_BODY_RESPONSE_RECORDED,
        subject=assessment,
        summary=f"Governing body's response recorded on self-assessment #{assessment.pk}",
        after={"response": FreeText(assessment.governing_body_response)},
    )
    return assessment


@transaction.atomic
def ombudsman_letter_save(
    *, council: Council, year: int, data: LetterData, acting_user: User | None, now: datetime
) -> OmbudsmanLetter:
    """Enter (or replace) the Ombudsman's annual review letter for ``council``'s ``year``."""
    letter, created = OmbudsmanLetter.objects.update_or_create(
        council=council,
        year=year,
        defaults={**data.summary, "letter_date": data.letter_date, "entered_by": acting_user, "entered_at": now},
    )
    letter.cases.all().delete()
    OmbudsmanLetterCase.objects.bulk_create(
        OmbudsmanLetterCase(
            letter=letter,
            lgsco_reference=case.lgsco_reference,
            decision=case.decision,
            decision_date=case.decision_date,
            complied_on_time=case.complied_on_time,
        )
        for case in data.cases
    )
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.OMBUDSMAN_LETTER_SAVED,
        subject=letter,
        summary=f"Ombudsman's annual letter {'entered' if created else 'replaced'} for {council.name}, {year}",
        after={k: (None if v is None else str(v)) for k, v in data.summary.items()} | {"cases": len(data.cases)},
    )
    return letter


@transaction.atomic
def stage_handler_record(*, stage: Stage, handler: User, acting_user: User | None) -> Stage:
    """Record who handled ``stage`` (its investigating officer), which the Code's rule that the stage 1 handler
    does not handle stage 2 is measured by."""
    before = stage.investigating_officer_id
    # The handler is a user: a contact recorded as the investigator gives way (a stage names one or the other).
    stage.investigating_officer, stage.investigating_contact = handler, None
    stage.save(update_fields=["investigating_officer", "investigating_contact", "updated_at"])
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.STAGE_HANDLER_RECORDED,
        subject=stage,
        case_id=stage.case_id,
        summary=f"Stage {stage.number} of {stage.case.reference}: handler recorded as user #{handler.pk}",
        before={"investigating_officer": before},
        after={"investigating_officer": handler.pk},
    )
    return stage
