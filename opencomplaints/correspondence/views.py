"""The correspondence pages: compose a letter from the case's step template, preview it exactly as it goes, send
it by email or for post, download it as an A4 PDF or DOCX, and the print queue. Cases are read through
``opencomplaints.cases.access``; the composing roles are those allowed the ``letter-compose`` action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import CouncilPurpose, access_case_by_id, case_permissions, councils_for_purpose
from opencomplaints.cases.models import Case
from opencomplaints.cases.purposes import purpose_required
from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.correspondence import documents, selectors, services
from opencomplaints.correspondence.models import Letter, LetterChannel
from opencomplaints.correspondence.rendering import merge
from opencomplaints.correspondence.steps import Audience, step_for, steps_for_kind
from opencomplaints.notifications.services import complainant_contact

COMPOSE = "letter-compose"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required has run
    return user


def _case(request: HttpRequest, case_id: int) -> Case:
    try:
        case = access_case_by_id(user=_user(request), case_id=case_id)
    except NotFoundError as error:
        raise Http404(error.message) from error
    if not case_permissions(user=_user(request), case=case).allows(COMPOSE):
        raise Http404("Case not found")
    return case


def _letter(case: Case, letter_id: int) -> Letter:
    letter = selectors.letters_for_case(case=case).filter(pk=letter_id).first()
    if letter is None:
        raise Http404("Letter not found")
    return letter


def _officer(request: HttpRequest) -> str:
    user = _user(request)
    return user.get_full_name() or user.username


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest, case_id: int, letter_id: int | None = None) -> HttpResponse:
    """Choose the step, then edit the words the template gives for this case (the young person's version for a
    child), its recipient and how it goes; saving shows the preview."""
    case = _case(request, case_id)
    today = timezone.localdate()
    letter = _letter(case, letter_id) if letter_id is not None else None
    if letter is not None and not letter.is_draft:
        return redirect("correspondence:letter-preview", case_id=case.pk, letter_id=letter.pk)
    steps = steps_for_kind(case.kind)
    source: Any = request.POST if request.method == "POST" else request.GET
    step = step_for(source.get("step", letter.step if letter else ""))
    audience = source.get("audience") or (letter.audience if letter else "")
    if step is not None and audience not in step.audiences:
        audience = selectors.audience_for_case(case=case, today=today)
        audience = audience if audience in step.audiences else Audience.ADULT
    errors: list[dict[str, str]] = []
    values: dict[str, str] = {}
    if step is not None:
        words = selectors.template_words(council=case.council, step=step.key, audience=audience)
        contact = complainant_contact(case, post=source.get("channel") == LetterChannel.POST)
        merged = selectors.letter_values(case=case, today=today, officer_name=_officer(request))
        default_channel = LetterChannel.POST if contact and contact.channel == "letter" else LetterChannel.EMAIL
        values = {
            # ?channel=post: the postal letter suggested for an email that was not delivered.
            "channel": letter.channel if letter else default_channel,
            "recipient": letter.recipient if letter else (contact.recipient if contact else ""),
            "subject": letter.subject if letter else merge(words.subject, merged),
            "body": letter.body if letter else merge(words.body, merged),
        }
        if request.method == "POST":
            values = {name: request.POST.get(name, "") for name in values}
            try:
                saved = services.letter_draft_save(
                    case=case,
                    acting_user=_user(request),
                    step=step.key,
                    audience=audience,
                    channel=values["channel"],
                    recipient=values["recipient"],
                    subject=values["subject"],
                    body=values["body"],
                    template_version=letter.template_version if letter else words.version,
                    letter=letter,
                )
            except DomainError as error:
                errors.append({"href": f"#id_{error.field or 'body'}", "message": error.message})
            else:
                return redirect("correspondence:letter-preview", case_id=case.pk, letter_id=saved.pk)
    context = {
        "case": case,
        "steps": steps,
        "step": step,
        "audience": audience,
        "audiences": step.audiences if step else (),
        "values": values,
        "errors": errors,
        "letter": letter,
        "channels": LetterChannel.choices,
    }
    return render(request, "correspondence/compose.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, case_id: int, letter_id: int) -> HttpResponse:
    """The letter exactly as it will go; sending it emails it or puts it in the print queue."""
    case = _case(request, case_id)
    letter = _letter(case, letter_id)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            letter = services.letter_send(letter=letter, acting_user=_user(request), now=timezone.now())
        except DomainError as error:
            errors.append({"href": "#letter", "message": error.message})
        else:
            done = "emailed" if letter.channel == LetterChannel.EMAIL else "added to the print queue"
            messages.success(request, f"{letter.get_step_display()} letter {done}")
            return redirect("casework:case-detail", case_id=case.pk)
    paragraphs = [part for part in letter.body.split("\n\n") if part.strip()]
    context = {"case": case, "letter": letter, "paragraphs": paragraphs, "errors": errors}
    return render(request, "correspondence/preview.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET"])
def letter_file(request: HttpRequest, case_id: int, letter_id: int, kind: str) -> HttpResponse:
    case = _case(request, case_id)
    letter = _letter(case, letter_id)
    name = f"{case.reference}-{letter.step}-{letter.pk}"
    if kind == "pdf":
        response = HttpResponse(documents.letters_pdf([letter]), content_type="application/pdf")
    elif kind == "docx":
        response = HttpResponse(
            documents.letter_docx(letter),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    else:
        raise Http404("Letter not found")
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@purpose_required(CouncilPurpose.REGISTER)
@require_http_methods(["GET", "POST"])
def print_queue(request: HttpRequest) -> HttpResponse:
    """Letters for post waiting to be printed: the day's in one A4 PDF, then marked printed."""
    councils = councils_for_purpose(user=_user(request), purpose=CouncilPurpose.REGISTER)
    today = timezone.localdate()
    waiting = list(selectors.print_queue(councils=councils))
    if request.GET.get("format") == "pdf":
        todays = list(selectors.print_queue(councils=councils, day=today)) or waiting
        if not todays:
            raise Http404("There are no letters waiting to be printed")
        response = HttpResponse(documents.letters_pdf(todays), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="letters-for-post-{today.isoformat()}.pdf"'
        return response
    if request.method == "POST":
        try:
            count = services.letters_mark_printed(letters=waiting, acting_user=_user(request), now=timezone.now())
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{count} letter{'s' if count != 1 else ''} marked as printed")
        return redirect("correspondence:print-queue")
    return render(request, "correspondence/print_queue.html", {"letters": waiting})


__all__ = ["compose", "letter_file", "preview", "print_queue"]
