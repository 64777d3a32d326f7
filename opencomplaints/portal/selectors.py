"""Reads for the public portal. A member of the public never reaches case data except through a follow token
(``follow_token_resolve``), and then sees only ``CaseProgress``: the status in plain words, never names,
notes or documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, CaseComplainant, Hold, Stage
from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.councils.models import Council
from opencomplaints.notifications.services import govuk_date
from opencomplaints.portal import errors
from opencomplaints.portal.models import FollowToken, PortalFeedback, TokenPurpose, token_hash

__all__ = [
    "CaseProgress",
    "FollowLinkExpired",
    "case_for_link_request",
    "case_progress",
    "council_for_portal",
    "councils_for_portal",
    "feedback_stage",
    "follow_token_resolve",
]

STAGE_NAMES = {1: "Stage 1: local resolution", 2: "Stage 2: investigation", 3: "Stage 3: review panel"}
STAGE_WORK = {
    1: "The team responsible is looking into your complaint.",
    2: "An investigating officer and an independent person are looking into your complaint.",
    3: "A review panel of three independent people will look at your complaint.",
}


class FollowLinkExpired(DomainError):
    code = "expired"


def councils_for_portal() -> QuerySet[Council]:
    return Council.objects.order_by("name")


def council_for_portal(*, slug: str) -> Council:
    council = Council.objects.filter(slug=slug).first()
    if council is None:
        raise NotFoundError("Council not found")
    return council


def follow_token_resolve(*, raw: str, now: datetime, purpose: str = TokenPurpose.FOLLOW) -> FollowToken:
    """The token for ``raw`` if it may be used for ``purpose`` at ``now``. A token that was never issued, was
    revoked or is for something else raises ``NotFoundError``; one past its time ``FollowLinkExpired``."""
    token = FollowToken.objects.select_related("case", "case__council").filter(token_hash=token_hash(raw)).first()
    if token is None or token.revoked_at is not None or token.purpose != purpose:
        raise NotFoundError(errors.LINK_NOT_FOUND)
    if token.expires_at <= now:
        raise FollowLinkExpired(errors.LINK_EXPIRED)
    return token


def case_for_link_request(*, reference: str, email: str) -> Case | None:
    """The complaint with ``reference`` whose primary complainant's email is ``email`` (case-insensitive)."""
    complainant = (
        CaseComplainant.objects.filter(
            case__reference__iexact=reference.strip(),
            case__kind=c.Kind.COMPLAINT,
            is_primary=True,
            person__email__iexact=email.strip(),
        )
        .select_related("case", "case__council")
        .first()
    )
    return complainant.case if complainant is not None else None


def feedback_stage(*, case: Case) -> Stage | None:
    """The latest answered stage of a complaint, which feedback is about."""
    return Stage.objects.filter(case=case, response_date__isnull=False).order_by("-number").first()


@dataclass(frozen=True)
class CaseProgress:
    """What the complainant sees: where the complaint is, in plain words."""

    reference: str
    council: str
    kind_label: str
    received_date: date
    headline: str
    explanation: str
    stage_name: str
    due_date: date | None
    due_label: str
    can_add_documents: bool
    can_give_feedback: bool
    feedback_given: bool


def _complaint_words(case: Case, stage: Stage | None, on_hold: Hold | None) -> tuple[str, str]:
    if case.status == c.CaseStatus.TRIAGE:
        return "Received", "We have received your complaint and are deciding how we will look into it."
    if case.acceptance == c.Acceptance.DECLINED:
        return (
            "Closed",
            "We cannot look into this complaint under the complaints procedure. We have written to explain why.",
        )
    if case.status == c.CaseStatus.CLOSED:
        if case.outcome == c.Outcome.WITHDRAWN:
            return "Closed", "Your complaint was withdrawn."
        return "Closed", "We have replied to your complaint and it is now closed."
    if on_hold is not None:
        return "On hold", f"We have paused work on your complaint: {on_hold.get_reason_display().lower()}."
    if stage is not None and stage.response_date is None:
        return "Being looked into", STAGE_WORK.get(stage.number, STAGE_WORK[1])
    if stage is not None and stage.response_date is not None:
        return "Replied", (
            f"We replied on {govuk_date(stage.response_date)}. If you are unhappy with our reply, you can ask for the "
            "next stage."
        )
    return "Being looked into", STAGE_WORK[1]


def case_progress(*, token: FollowToken) -> CaseProgress:
    case = token.case
    stage = Stage.objects.filter(case=case).order_by("-number").first()
    on_hold = Hold.objects.filter(stage=stage, end_date__isnull=True).first() if stage else None
    answered = feedback_stage(case=case)
    if case.kind == c.Kind.COMPLAINT:
        headline, explanation = _complaint_words(case, stage, on_hold)
    elif case.status == c.CaseStatus.CLOSED:
        headline, explanation = "Replied", "We have replied and this is now closed."
    else:
        headline, explanation = "Being looked into", "We are looking into what you told us."
    stage_open = stage is not None and stage.response_date is None
    waiting_for_us = case.status != c.CaseStatus.CLOSED and on_hold is None and (stage_open or stage is None)
    given = PortalFeedback.objects.filter(case=case, stage=answered).exists() if answered else False
    return CaseProgress(
        reference=case.reference,
        council=case.council.name,
        kind_label=case.get_kind_display().lower(),
        received_date=case.received_date,
        headline=headline,
        explanation=explanation,
        stage_name=STAGE_NAMES.get(stage.number, "") if stage is not None and case.kind == c.Kind.COMPLAINT else "",
        due_date=case.next_due_date if waiting_for_us else None,
        due_label="We aim to reply by",
        can_add_documents=case.status != c.CaseStatus.CLOSED,
        can_give_feedback=answered is not None and not given,
        feedback_given=given,
    )
