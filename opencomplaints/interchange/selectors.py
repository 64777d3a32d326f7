"""Reads for the import and export pages, scoped to the user's councils."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases.models import Person
from opencomplaints.common.errors import NotFoundError
from opencomplaints.councils.selectors import councils_for_user
from opencomplaints.interchange.models import ImportRun

__all__ = ["PERSON_NOT_FOUND", "RUN_NOT_FOUND", "import_run_for_user", "import_runs_for_user", "person_for_user"]

RUN_NOT_FOUND = "Import not found"
PERSON_NOT_FOUND = "There is no person with that number in your councils' records"


def import_runs_for_user(*, user: User | AnonymousUser) -> QuerySet[ImportRun]:
    """The imports of the user's councils, and those the user started, newest first."""
    if not user.is_authenticated or not user.is_active:
        return ImportRun.objects.none()
    if user.is_superuser:
        return ImportRun.objects.select_related("council", "started_by")
    councils = councils_for_user(user=user).values("pk")
    return ImportRun.objects.filter(Q(council__in=councils) | Q(started_by=user)).select_related(
        "council", "started_by"
    )


def import_run_for_user(*, user: User | AnonymousUser, run_id: int | str) -> ImportRun:
    try:
        pk = int(str(run_id))
    except ValueError:
        raise NotFoundError(RUN_NOT_FOUND) from None
    run = import_runs_for_user(user=user).filter(pk=pk).first()
    if run is None:
        raise NotFoundError(RUN_NOT_FOUND)
    return run


def person_for_user(*, user: User | AnonymousUser, person_id: int) -> Person:
    """A person recorded by one of the user's councils; ``NotFoundError`` otherwise (never saying which)."""
    councils = councils_for_user(user=user).values("pk")
    person = Person.objects.select_related("council").filter(pk=person_id, council__in=councils).first()
    if person is None:
        raise NotFoundError(PERSON_NOT_FOUND, field="person")
    return person
