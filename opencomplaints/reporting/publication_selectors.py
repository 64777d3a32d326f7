"""Reads of the publication workflow: the report drafts and published reports a person may see (those of the
councils whose reports their role includes, ``CouncilPurpose.REPORTS``), and what they may do with one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import AnyUser, CouncilPurpose, councils_for_purpose
from opencomplaints.common.errors import NotFoundError
from opencomplaints.councils.models import CouncilMembership, Role
from opencomplaints.reporting.models import QuoteReview, ReportDraft
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.redaction import Segment, marked, redact
from opencomplaints.reporting.report import Quote
from opencomplaints.reporting.selectors import names_to_redact, quotes_for_review

__all__ = [
    "REPORT_DRAFT_NOT_FOUND",
    "DraftQuote",
    "approved_quotes",
    "draft_quotes",
    "quote_sha256",
    "report_draft_for_user",
    "report_drafts_for_user",
    "roles_in_council",
]

REPORT_DRAFT_NOT_FOUND = "Report not found"


def report_drafts_for_user(*, user: AnyUser) -> QuerySet[ReportDraft]:
    """Every report draft and published report of the councils ``user`` may see reports for, newest year first."""
    councils = councils_for_purpose(user=user, purpose=CouncilPurpose.REPORTS)
    return (
        ReportDraft.objects.filter(council__in=councils)
        .select_related("council", "last_edited_by", "published_by")
        .order_by("council__name", "-year", "procedure", "-created_at")
    )


def report_draft_for_user(*, user: AnyUser, draft_id: int | str) -> ReportDraft:
    """The report ``draft_id`` if ``user`` may see it; otherwise ``NotFoundError``, the same whether it does not
    exist or is another council's."""
    try:
        pk = int(str(draft_id))
    except ValueError as error:
        raise NotFoundError(REPORT_DRAFT_NOT_FOUND) from error
    draft = report_drafts_for_user(user=user).filter(pk=pk).first()
    if draft is None:
        raise NotFoundError(REPORT_DRAFT_NOT_FOUND)
    return draft


def roles_in_council(*, user: AnyUser, council_id: int) -> frozenset[Role]:
    """The roles ``user`` holds in the council (to offer only the buttons the services will accept)."""
    if not isinstance(user, User) or not user.is_active:
        return frozenset()
    roles = CouncilMembership.objects.filter(user_id=user.pk, council_id=council_id).values_list("role", flat=True)
    return frozenset(Role(role) for role in roles)


def quote_sha256(text: str) -> str:
    """The fingerprint of a compliment's words a reviewer's decision was made on."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class DraftQuote:
    """One compliment's words the report would quote, for a reviewer: as written, as redaction proposes to
    publish them (each cut into :data:`~opencomplaints.reporting.redaction.Segment` runs, marked where they
    differ), and the reviewer's decision if one was made on these words."""

    compliment_id: int
    original: str
    team: str | None
    proposed: str
    review: QuoteReview | None

    @property
    def status(self) -> str:
        return self.review.status if self.review is not None else "waiting"

    @property
    def waiting(self) -> bool:
        return self.review is None

    @property
    def approved(self) -> bool:
        return self.review is not None and self.review.status == QuoteReview.Status.APPROVED

    @property
    def published_text(self) -> str:
        """What the report publishes: the approved words (the reviewer's own version, if they changed them)."""
        return self.review.text if self.review is not None and self.approved else self.proposed

    @property
    def segments(self) -> tuple[list[Segment], list[Segment]]:
        """The words as written and as they would be published, with the redactions marked."""
        return marked(self.original, self.published_text)


def draft_quotes(draft: ReportDraft) -> list[DraftQuote]:
    """The quotes the report of ``draft`` would publish (the compliments received in its year, as
    ``selectors.quotes_for_report`` chooses them), each with redaction's proposal and the decision on it. A
    decision made on words that have since changed no longer counts: the quote waits for review again."""
    found = quotes_for_review(councils=[draft.council], period=reporting_year(draft.year))
    if not found:
        return []
    names = names_to_redact(councils=[draft.council], texts=[q.text for _, q in found])
    reviews = {r.compliment_id: r for r in QuoteReview.objects.filter(draft=draft).select_related("reviewed_by")}
    quotes = []
    for compliment_id, quote in found:
        review = reviews.get(compliment_id)
        if review is not None and review.source_sha256 != quote_sha256(quote.text):
            review = None
        quotes.append(DraftQuote(compliment_id, quote.text, quote.team, redact(quote.text, names), review))
    return quotes


def approved_quotes(draft: ReportDraft) -> list[Quote]:
    """The quotes a reviewer approved for ``draft``'s report, as approved: the only ones it publishes."""
    return [Quote(text=q.published_text, team=q.team) for q in draft_quotes(draft) if q.approved]
