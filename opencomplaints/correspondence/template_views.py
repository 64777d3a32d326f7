"""The pages where a council keeps the words of its letters: every step's template for an adult and for a child or
young person (a new version each time they are saved, earlier ones kept), previewed with a real case's details,
and the letterhead, signature block and signposting merged into every letter. For the council's complaints
managers and its system administrator (``CouncilPurpose.LETTERS``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import CouncilPurpose, case_queryset_for_user, councils_for_purpose
from opencomplaints.cases.purposes import purpose_required
from opencomplaints.common.errors import DomainError
from opencomplaints.correspondence import selectors, services
from opencomplaints.correspondence.fields import MERGE_FIELDS
from opencomplaints.correspondence.rendering import merge, template_problems
from opencomplaints.correspondence.steps import Audience, step_for
from opencomplaints.councils.models import Council

__all__ = ["letter_settings", "template_edit", "templates_list"]

SETTINGS_PARTS = (
    ("letterhead", "Letterhead", "The council's name and address as they head every letter, one line per line."),
    ("signature", "Signature block", "How letters are signed off, one line per line."),
    ("advocacy", "Help from an advocate", "Merged into letters as {{ advocacy }}."),
    ("support", "Support for children and young people", "Merged into letters as {{ support }}."),
    ("ombudsman", "How to contact the Ombudsman", "Merged into letters as {{ ombudsman }}."),
)
PREVIEW_CASE_NOT_FOUND = "There is no case with that reference that you can see in this council"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind purpose_required
    return user


def _council(request: HttpRequest) -> tuple[Council, list[Council]]:
    councils = list(councils_for_purpose(user=_user(request), purpose=CouncilPurpose.LETTERS).order_by("name"))
    params = request.POST if request.method == "POST" else request.GET
    slug = params.get("council") or councils[0].slug
    council = next((x for x in councils if x.slug == slug), None)
    if council is None:
        raise Http404("Choose one of your councils.")
    return council, councils


def _with_council(url: str, council: Council, councils: list[Council]) -> str:
    return f"{url}?council={council.slug}" if len(councils) > 1 else url


@purpose_required(CouncilPurpose.LETTERS)
def templates_list(request: HttpRequest) -> HttpResponse:
    """Every step and audience, with the version in use and a link to change it."""
    council, councils = _council(request)
    rows = selectors.template_rows(council=council)
    return render(
        request,
        "correspondence/templates_list.html",
        {"council": council, "councils": councils, "rows": rows, "several": len(councils) > 1},
    )


@purpose_required(CouncilPurpose.LETTERS)
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, step: str, audience: str) -> HttpResponse:
    """Change the words of one template. "Preview" fills the merge fields in from a case the user can see (its
    reference given), or from the fields' examples; "Save" keeps the words as a new version."""
    council, councils = _council(request)
    found = step_for(step)
    if found is None or audience not in found.audiences:
        raise Http404("There is no such letter template.")
    words = selectors.template_words(council=council, step=found.key, audience=audience)
    values = {"subject": words.subject, "body": words.body, "case": ""}
    errors: list[dict[str, str]] = []
    preview: dict[str, str] | None = None
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        if request.POST.get("action") == "save":
            try:
                version = services.letter_template_save(
                    council=council,
                    step=found.key,
                    audience=audience,
                    subject=values["subject"],
                    body=values["body"],
                    acting_user=_user(request),
                    now=timezone.now(),
                )
            except DomainError as error:
                errors.append({"href": f"#id_{error.field or 'body'}", "message": error.message})
            else:
                messages.success(request, f"Version {version.number} of the {found.label.lower()} letter saved")
                return redirect(_with_council(reverse("correspondence:templates"), council, councils))
        else:
            preview, errors = _preview(request, council, values)
    context = {
        "council": council,
        "several": len(councils) > 1,
        "step": found,
        "audience": Audience(audience),
        "values": values,
        "errors": errors,
        "field_errors": {e["href"][4:]: e["message"] for e in errors},
        "preview": preview,
        "fields": MERGE_FIELDS,
        "versions": selectors.template_versions(council=council, step=found.key, audience=audience),
        "in_use": words.version_number,
    }
    return render(request, "correspondence/template_edit.html", context, status=400 if errors else 200)


def _preview(
    request: HttpRequest, council: Council, values: dict[str, str]
) -> tuple[dict[str, str] | None, list[dict[str, str]]]:
    errors = [
        {"href": f"#id_{field}", "message": problem}
        for field, part in (("subject", "subject"), ("body", "words"))
        for problem in template_problems(values[field], part=part)[:1]
    ]
    reference = values["case"].strip().upper()
    merged = {field.name: field.example for field in MERGE_FIELDS}
    if reference:
        case = case_queryset_for_user(user=_user(request)).filter(council=council, reference=reference).first()
        if case is None:
            errors.append({"href": "#id_case", "message": PREVIEW_CASE_NOT_FOUND})
        else:
            merged = selectors.letter_values(case=case, today=timezone.localdate(), officer_name=_officer(request))
    if errors:
        return None, errors
    settings = selectors.letter_settings_for(council)
    return {
        "subject": merge(values["subject"], merged),
        "body": merge(values["body"], merged),
        "letterhead": settings.letterhead,
        "signature": settings.signature,
    }, []


def _officer(request: HttpRequest) -> str:
    user = _user(request)
    return user.get_full_name() or user.username


@purpose_required(CouncilPurpose.LETTERS)
@require_http_methods(["GET", "POST"])
def letter_settings(request: HttpRequest) -> HttpResponse:
    """The letterhead, signature block and signposting of the council's letters."""
    council, councils = _council(request)
    current = selectors.letter_settings_for(council)
    values = {name: getattr(current, name) for name, _, _ in SETTINGS_PARTS}
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        try:
            services.letter_settings_save(council=council, acting_user=_user(request), **values)
        except DomainError as error:
            errors.append({"href": f"#id_{error.field or 'letterhead'}", "message": error.message})
        else:
            messages.success(request, "Letterhead, signature and signposting saved")
            return redirect(_with_council(reverse("correspondence:templates"), council, councils))
    field_errors = {e["href"][4:]: e["message"] for e in errors}
    parts = [
        {"name": name, "label": label, "hint": hint, "value": values[name], "error": field_errors.get(name, "")}
        for name, label, hint in SETTINGS_PARTS
    ]
    return render(
        request,
        "correspondence/letter_settings.html",
        {
            "council": council,
            "several": len(councils) > 1,
            "parts": parts,
            "errors": errors,
        },
        status=400 if errors else 200,
    )
