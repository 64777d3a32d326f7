"""Import and export pages: for complaints managers, scoped to the councils they manage (ADR 0005)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_read_record
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.cases.purposes import REFUSALS, Refusal, home_url, purpose_required, request_may
from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.councils.models import Council
from opencomplaints.interchange.archive import ARCHIVE_CONTENT_TYPE, archive_export
from opencomplaints.interchange.archive_runs import ARCHIVE_TOO_LARGE, archive_import_start
from opencomplaints.interchange.exporter import CONTENT_TYPES, records_export, subject_access_export
from opencomplaints.interchange.forms import (
    ARCHIVE,
    ArchiveImportForm,
    ExportForm,
    FirstImportForm,
    ImportUploadForm,
    MappingForm,
    SubjectAccessForm,
)
from opencomplaints.interchange.importer import max_import_bytes
from opencomplaints.interchange.mapping import mapping_options
from opencomplaints.interchange.models import ImportRun
from opencomplaints.interchange.progress import web_progress
from opencomplaints.interchange.runs import (
    import_run_confirm,
    import_run_create,
    import_run_errors_csv,
    import_run_fail_stalled,
    import_run_mappings_save,
)
from opencomplaints.interchange.selectors import (
    import_run_for_user,
    import_runs_for_user,
    person_case_references,
    person_for_user,
)

SHOWN_ERRORS = 500
ARCHIVE_REFUSAL = Refusal(
    "You cannot import an archive",
    "Only a system administrator can import a whole-history archive, as setting up a council is theirs.",
)
View = Callable[..., HttpResponse]


def _councils(request: HttpRequest) -> QuerySet[Council]:
    return councils_for_purpose(user=request.user, purpose=CouncilPurpose.INTERCHANGE)


# Imports and exports move every record of a council, restricted cases included, so they are the complaints
# managers' alone (``CouncilPurpose.INTERCHANGE``).
staff_required = purpose_required(CouncilPurpose.INTERCHANGE)


def _first_import(request: HttpRequest) -> bool:
    """A system administrator in an installation with no council yet: their import creates it (interchange §1)."""
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_superuser) and not Council.objects.exists()


def _imports_only(request: HttpRequest) -> bool:
    """A system administrator on the import pages: exports (of case data) are not theirs, so are not offered."""
    return not request_may(request, CouncilPurpose.INTERCHANGE)


def import_staff_required(view: View) -> View:
    """The import pages: the complaints managers', and a system administrator's for the first import of an empty
    installation (and afterwards the runs they started, which ``import_run_for_user`` scopes to them)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request_may(request, CouncilPurpose.INTERCHANGE) or request.user.is_superuser:
            return view(request, *args, **kwargs)
        context = {"refusal": REFUSALS[CouncilPurpose.INTERCHANGE], "home_href": home_url(request)}
        return render(request, "web/forbidden.html", context, status=403)

    return wrapped


def _run(request: HttpRequest, run_id: int) -> ImportRun:
    try:
        run = import_run_for_user(user=request.user, run_id=run_id)
    except NotFoundError as error:
        raise Http404(error.message) from error
    # An import whose process died shows as failed, with why, rather than "Importing" for ever.
    return import_run_fail_stalled(run=run, now=timezone.now())


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@import_staff_required
def import_list(request: HttpRequest) -> HttpResponse:
    """Every import of the user's councils, newest first."""
    now = timezone.now()
    runs = [import_run_fail_stalled(run=run, now=now) for run in import_runs_for_user(user=request.user)[:200]]
    return render(request, "interchange/import_list.html", {"runs": runs, "imports_only": _imports_only(request)})


@import_staff_required
def import_create(request: HttpRequest) -> HttpResponse:
    """Upload a file; it is checked at once and the report shows what is wrong or that it is ready."""
    councils = list(_councils(request).order_by("name"))
    first = not councils and _first_import(request)
    if not councils and not first:
        context = {"refusal": REFUSALS[CouncilPurpose.INTERCHANGE], "home_href": home_url(request)}
        return render(request, "web/forbidden.html", context, status=403)
    form: ImportUploadForm | FirstImportForm
    if first:
        form = FirstImportForm(request.POST or None, request.FILES or None)
    else:
        form = ImportUploadForm(request.POST or None, request.FILES or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > max_import_bytes():
                raise DomainError(
                    f"The selected file must be smaller than {max_import_bytes() / (1024 * 1024):.0f} MB. Split "
                    "the records into several files, each with the header row.",
                    field="file",
                )
            run = import_run_create(
                council=form.chosen_council() if isinstance(form, ImportUploadForm) else None,
                acting_user=request.user,  # type: ignore[arg-type]  # staff_required: a signed-in user
                filename=upload.name,
                data=upload.read(),
                today=timezone.localdate(),
                new_council_name=form.cleaned_data.get("council_name", ""),
                create_missing=bool(form.cleaned_data.get("create_missing")),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("interchange:import-detail", run_id=run.pk)
    return render(request, "interchange/import_create.html", {"form": form, "first_import": first})


def _mapping_form(run: ImportRun, data: Any = None) -> MappingForm | None:
    if run.status != ImportRun.Status.INVALID or not run.unknown_labels or not run.stored_file or run.council is None:
        return None
    return MappingForm(
        data,
        unknown=run.unknown_labels,
        options=mapping_options(run.council),
        action=reverse("interchange:import-mapping-save", args=[run.pk]),
    )


def _detail(request: HttpRequest, run: ImportRun, mapping_form: MappingForm | None, status: int = 200) -> HttpResponse:
    errors = [{"line": e[0], "column": e[1], "reason": e[2]} for e in run.errors[:SHOWN_ERRORS]]
    context = {
        "imports_only": _imports_only(request),
        "run": run,
        "errors": errors,
        "more_errors": max(run.error_count - len(errors), 0),
        "mapping_form": mapping_form,
    }
    return render(request, "interchange/import_detail.html", context, status=status)


@import_staff_required
def import_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """The check's report: every problem (line, column, reason), the labels to map, or the import's result."""
    run = _run(request, run_id)
    if run.kind == ImportRun.Kind.ARCHIVE:
        return redirect("interchange:archive-import-detail", run_id=run.pk)
    if run.status == ImportRun.Status.RUNNING:
        return redirect("interchange:import-progress", run_id=run.pk)
    return _detail(request, run, _mapping_form(run))


@import_staff_required
@require_POST
def import_mapping_save(request: HttpRequest, run_id: int) -> HttpResponse:
    """Save what the council's labels mean (kept for later imports) and check the file again."""
    run = _run(request, run_id)
    form = _mapping_form(run, request.POST)
    if form is None:
        return redirect("interchange:import-detail", run_id=run.pk)
    if form.is_valid():
        try:
            import_run_mappings_save(
                run=run,
                choices=form.choices(),
                acting_user=request.user,  # type: ignore[arg-type]  # staff_required: a signed-in user
                today=timezone.localdate(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("interchange:import-detail", run_id=run.pk)
    return _detail(request, run, form, status=400)


@import_staff_required
@require_POST
def import_confirm(request: HttpRequest, run_id: int) -> HttpResponse:
    """Import a checked file: all of it, or nothing."""
    run = _run(request, run_id)
    try:
        run = import_run_confirm(
            run=run,
            acting_user=request.user,  # type: ignore[arg-type]  # staff_required: a signed-in user
            today=timezone.localdate(),
        )
    except DomainError:
        return redirect("interchange:import-detail", run_id=run.pk)
    return redirect("interchange:import-progress", run_id=run.pk)


def _progress(run: ImportRun) -> dict[str, Any]:
    done, total = web_progress(run.pk) or (0, run.rows)
    if run.status != ImportRun.Status.RUNNING:
        done = total
    percent = int(100 * done / total) if total else (0 if run.status == ImportRun.Status.RUNNING else 100)
    return {"status": run.status, "done": done, "total": total, "percent": percent}


@import_staff_required
def import_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """While the import runs: how far it has got. Refreshes itself (with or without JavaScript)."""
    run = _run(request, run_id)
    if run.kind == ImportRun.Kind.ARCHIVE:
        return redirect("interchange:archive-import-detail", run_id=run.pk)
    if run.status != ImportRun.Status.RUNNING:
        return redirect("interchange:import-detail", run_id=run.pk)
    context = {
        "run": run,
        "progress": _progress(run),
        "status_url": reverse("interchange:import-status", args=[run.pk]),
    }
    return render(request, "interchange/import_progress.html", context)


@import_staff_required
def import_status(request: HttpRequest, run_id: int) -> JsonResponse:
    """The progress page's figures, for its script."""
    run = _run(request, run_id)
    detail = "interchange:archive-import-detail" if run.kind == ImportRun.Kind.ARCHIVE else "interchange:import-detail"
    data = _progress(run) | {"detail_url": reverse(detail, args=[run.pk])}
    return JsonResponse(data)


@import_staff_required
def import_errors(request: HttpRequest, run_id: int) -> HttpResponse:
    """Every problem with the file, as CSV."""
    run = _run(request, run_id)
    if run.kind == ImportRun.Kind.ARCHIVE:
        raise Http404("An archive import has no list of problems by line: its page says why it was not imported.")
    try:
        data = import_run_errors_csv(run=run, today=timezone.localdate())
    except DomainError as error:
        raise Http404(error.message) from error
    return _download(data, CONTENT_TYPES["csv"], f"import-{run.pk}-problems.csv")


@staff_required
def records_export_view(request: HttpRequest) -> HttpResponse:
    """Download every record of the user's councils in the interchange format."""
    councils = list(_councils(request).order_by("name"))
    form = ExportForm(request.POST or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["format"]
        chosen = form.chosen_councils()
        if fmt == ARCHIVE:
            return _archive_download(request, chosen)
        name = f"records-{chosen[0].slug if len(chosen) == 1 else 'all'}-{timezone.localdate():%Y-%m-%d}.{fmt}"
        data, _count = records_export(
            councils=chosen,
            fmt=fmt,
            acting_user=request.user,  # type: ignore[arg-type]  # staff_required: a signed-in user
            file_name=name,
        )
        return _download(data, CONTENT_TYPES[fmt], name)
    return render(request, "interchange/records_export.html", {"form": form})


def _archive_download(request: HttpRequest, councils: list[Council]) -> HttpResponse:
    """The whole-history archive of ``councils`` (docs/archive.md): a complaints manager's, as every export is,
    since it holds every case (ADR 0005: a system administrator sees no case content)."""
    data, _counts = archive_export(
        councils=councils,
        acting_user=request.user,  # type: ignore[arg-type]  # staff_required: a signed-in user
    )
    which = councils[0].slug if len(councils) == 1 else "all"
    return _download(data, ARCHIVE_CONTENT_TYPE, f"archive-{which}-{timezone.localdate():%Y-%m-%d}.zip")


def _max_archive_bytes() -> int:
    return int(settings.OPENCOMPLAINTS.get("MAX_ARCHIVE_BYTES", 1024 * 1024 * 1024))


def _administrator(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and request.user.is_active and request.user.is_superuser)


def _archive_refused(request: HttpRequest) -> HttpResponse:
    context = {"refusal": ARCHIVE_REFUSAL, "home_href": home_url(request)}
    return render(request, "web/forbidden.html", context, status=403)


@login_required
def archive_import_view(request: HttpRequest) -> HttpResponse:
    """Import a whole-history archive into this installation: a system administrator's, as setting up a council
    is. The upload starts a background job, whose page follows it; the archive is checked in full before anything
    is written, then all or nothing (docs/archive.md)."""
    if not _administrator(request):
        return _archive_refused(request)
    form = ArchiveImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > _max_archive_bytes():
                raise DomainError(
                    ARCHIVE_TOO_LARGE.format(limit=f"{_max_archive_bytes() / (1024 * 1024):.0f} MB"), field="file"
                )
            run = archive_import_start(
                acting_user=request.user,  # type: ignore[arg-type]  # _administrator: a signed-in user
                data=upload.read(),
                file_name=upload.name,
                max_bytes=_max_archive_bytes(),
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return redirect("interchange:archive-import-detail", run_id=run.pk)
    context = {"form": form, "imports_only": _imports_only(request)}
    return render(request, "interchange/archive_import.html", context, status=400 if form.errors else 200)


@login_required
def archive_import_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """An archive import: its progress while it runs (refreshing itself, with or without JavaScript), then what it
    wrote, or why nothing was written. A run whose process died shows as failed."""
    if not _administrator(request):
        return _archive_refused(request)
    run = _run(request, run_id)
    if run.kind != ImportRun.Kind.ARCHIVE:
        return redirect("interchange:import-detail", run_id=run.pk)
    outcome = run.outcome or {}
    councils = list(Council.objects.filter(slug__in=outcome.get("councils", [])).order_by("name"))
    context = {
        "run": run,
        "progress": _progress(run),
        "status_url": reverse("interchange:import-status", args=[run.pk]),
        "councils": councils,
        "documents": outcome.get("documents", 0),
        "users_reused": outcome.get("users_reused", []),
        "reason": outcome.get("error") or run.failure_reason,
        "imports_only": _imports_only(request),
    }
    return render(request, "interchange/archive_import_detail.html", context)


@staff_required
def subject_access_export_view(request: HttpRequest) -> HttpResponse:
    """Download everything held about one person, for a subject access request."""
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_for_user(user=request.user, person_id=form.cleaned_data["person"])
        except NotFoundError as error:
            form.add_error("person", error.message)
        else:
            data = subject_access_export(
                person=person,
                acting_user=request.user,  # type: ignore[arg-type]  # staff_required: a signed-in user
            )
            # The export has its own audit event; each case it includes also records it on its read trail, so the
            # case's "who has seen this case" page shows it.
            for case_id, reference in person_case_references(person=person):
                audit_read_record(
                    acting_user=request.user,  # type: ignore[arg-type]  # staff_required: a signed-in user
                    event_type=AuditEventType.EXPORT_DOWNLOADED,
                    subject=person,
                    case_id=case_id,
                    summary=f"{reference} included in a subject access export of person #{person.pk}",
                )
            return _download(data, CONTENT_TYPES["jsonl"], f"subject-access-person-{person.pk}.jsonl")
    return render(request, "interchange/subject_access_export.html", {"form": form})
