"""Every read of case data starts here (convention 5): a user sees the cases of the councils they are a member
of; a system administrator sees all; anyone else, nothing. A case that does not exist and a case the user may not
see raise the same ``NotFoundError``, so the answer never reveals which it was."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases.models import Case, Stage
from opencomplaints.common.errors import NotFoundError
from opencomplaints.councils.models import CouncilMembership

__all__ = ["CASE_NOT_FOUND", "STAGE_NOT_FOUND", "access_case_by_id", "access_stage_by_id", "case_queryset_for_user"]

CASE_NOT_FOUND = "Case not found"
STAGE_NOT_FOUND = "Stage not found"


def _council_ids(user: User | AnonymousUser | None) -> QuerySet[CouncilMembership, Any] | None:
    """The user's councils as a subquery; ``None`` for "every council"; an empty queryset for "none"."""
    if user is None or not user.is_authenticated or not user.is_active:
        return CouncilMembership.objects.none().values("council_id")
    if user.is_superuser:
        return None
    return CouncilMembership.objects.filter(user_id=user.pk).values("council_id")


def case_queryset_for_user(*, user: User | AnonymousUser | None) -> QuerySet[Case]:
    """The cases ``user`` may see (one query when evaluated; a subquery, not a list of ids)."""
    councils = _council_ids(user)
    if councils is None:
        return Case.objects.all()
    return Case.objects.filter(council_id__in=councils)


def _pk(value: object) -> int | None:
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        return None
    return pk if pk > 0 else None


def access_case_by_id(*, user: User | AnonymousUser | None, case_id: int | str) -> Case:
    """The case ``case_id`` if ``user`` may see it; otherwise ``NotFoundError("Case not found")``, the same whether
    it does not exist or is not visible."""
    pk = _pk(case_id)
    case = case_queryset_for_user(user=user).select_related("council").filter(pk=pk).first() if pk else None
    if case is None:
        raise NotFoundError(CASE_NOT_FOUND)
    return case


def access_stage_by_id(*, user: User | AnonymousUser | None, stage_id: int | str) -> Stage:
    """The stage ``stage_id`` if ``user`` may see its case; otherwise ``NotFoundError("Stage not found")``."""
    pk = _pk(stage_id)
    councils = _council_ids(user)
    stages = Stage.objects.select_related("case", "case__council")
    if councils is not None:
        stages = stages.filter(case__council_id__in=councils)
    stage = stages.filter(pk=pk).first() if pk else None
    if stage is None:
        raise NotFoundError(STAGE_NOT_FOUND)
    return stage
