"""Reads for the import and export pages, scoped to the councils the user manages (``CouncilPurpose.INTERCHANGE``)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.cases.models import Case, Person
from opencomplaints.common.errors import NotFoundError
from opencomplaints.interchange.models import ExportFile, ImportRun

__all__ = [
    "EXPORT_NOT_FOUND",
    "PERSON_NOT_FOUND",
    "RUN_NOT_FOUND",
    "export_file_for_user",
    "export_files_for_user",
    "import_run_for_user",
    "import_runs_for_user",
    "person_case_references",
    "person_for_user",
]

RUN_NOT_FOUND = "Import not found"
EXPORT_NOT_FOUND = "Export not found"
PERSON_NOT_FOUND = "There is no person with that number in your councils' records"


def import_runs_for_user(*, user: User | AnonymousUser) -> QuerySet[ImportRun]:
    """The imports of the councils the user manages, and those the user started, newest first."""
    if not user.is_authenticated or not user.is_active:
        return ImportRun.objects.none()
    councils = councils_for_purpose(user=user, purpose=CouncilPurpose.INTERCHANGE).values("pk")
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
    councils = councils_for_purpose(user=user, purpose=CouncilPurpose.INTERCHANGE).values("pk")
    person = Person.objects.select_related("council").filter(pk=person_id, council__in=councils).first()
    if person is None:
        raise NotFoundError(PERSON_NOT_FOUND, field="person")
    return person


def person_case_references(*, person: Person) -> list[tuple[int, str]]:
    """The cases ``person`` complains in or is the child of, as (id, reference), oldest first."""
    cases = Case.objects.filter(Q(complainants__person=person) | Q(children__person=person)).distinct()
    return list(cases.order_by("received_date", "id").values_list("pk", "reference"))


def export_files_for_user(*, user: User | AnonymousUser) -> QuerySet[ExportFile]:
    """The exports ``user`` asked for, while they still manage every one of an export's councils. Newest first."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return ExportFile.objects.none()
    managed = councils_for_purpose(user=user, purpose=CouncilPurpose.INTERCHANGE).values("pk")
    links = ExportFile.councils.through.objects.filter(exportfile_id=OuterRef("pk"))
    return (
        ExportFile.objects.filter(requested_by_id=user.pk)
        .filter(Exists(links))
        .exclude(Exists(links.exclude(council_id__in=managed)))
        .prefetch_related("councils")
    )


def export_file_for_user(*, user: User | AnonymousUser, export_file_id: int | str) -> ExportFile:
    """The export ``export_file_id`` if ``user`` may download it; ``NotFoundError`` otherwise, whether it does not
    exist or is not theirs."""
    text = str(export_file_id)
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise NotFoundError(EXPORT_NOT_FOUND)
    export_file = export_files_for_user(user=user).filter(pk=int(text)).first()
    if export_file is None:
        raise NotFoundError(EXPORT_NOT_FOUND)
    return export_file
