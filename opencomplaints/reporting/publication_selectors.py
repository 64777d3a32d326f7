"""Reads of the publication workflow: the report drafts and published reports a person may see (those of the
councils whose reports their role includes, ``CouncilPurpose.REPORTS``), and what they may do with one."""

from __future__ import annotations

from django.db.models import QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import AnyUser, CouncilPurpose, councils_for_purpose
from opencomplaints.common.errors import NotFoundError
from opencomplaints.councils.models import CouncilMembership, Role
from opencomplaints.reporting.models import ReportDraft

__all__ = ["REPORT_DRAFT_NOT_FOUND", "report_draft_for_user", "report_drafts_for_user", "roles_in_council"]

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
