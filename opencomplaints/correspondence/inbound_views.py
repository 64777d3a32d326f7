"""The inbox of email that quoted no case (register it, file it on a case, or discard it) and adding an ``.eml``
or Outlook ``.msg`` file to a case. The inbox is the complaints team's, as registering is."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.cases.models import Case
from opencomplaints.cases.purposes import purpose_required
from opencomplaints.casework.services import max_upload_bytes
from opencomplaints.common.errors import DomainError
from opencomplaints.correspondence import inbound, selectors
from opencomplaints.correspondence.models import InboundEmail, InboundSource
from opencomplaints.correspondence.views import _case, _user

__all__ = ["email_add", "inbox", "inbox_email"]

CASE_NOT_FOUND = "Enter the reference of a case of this council, like ABC-2026-0001"
FILE_MISSING = "Select an email file (.eml or Outlook .msg)"


@purpose_required(CouncilPurpose.REGISTER)
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    councils = councils_for_purpose(user=_user(request), purpose=CouncilPurpose.REGISTER)
    emails = selectors.inbox_for_councils(councils=councils)
    return render(request, "correspondence/inbox.html", {"emails": emails})


def registration_links(email: InboundEmail) -> dict[str, str]:
    """Links to the registration pages with what the email says already filled in."""
    name = email.from_name.split()
    received = timezone.localdate(email.received_at).isoformat()
    query = {"received_date": received, "received_via": "email", "summary": email.body[:2000]}
    person = {"first_name": " ".join(name[:-1]), "last_name": name[-1] if name else "", "email": email.from_address}
    complaint = reverse("casework:complaint-register") + "?" + urlencode({**query, **person})
    topic = {**query, "topic": email.subject[:200]}
    return {
        "complaint": complaint,
        "query": reverse("casework:representation-register", args=["query"]) + "?" + urlencode(topic),
        "compliment": reverse("casework:representation-register", args=["compliment"]) + "?" + urlencode(topic),
    }


@purpose_required(CouncilPurpose.REGISTER)
@require_http_methods(["GET", "POST"])
def inbox_email(request: HttpRequest, email_id: int) -> HttpResponse:
    """One email from the inbox: register it (the form filled in from it), then file it on the case; file it on a
    case it is about; or discard it, saying why."""
    councils = councils_for_purpose(user=_user(request), purpose=CouncilPurpose.REGISTER)
    email = selectors.inbox_for_councils(councils=councils).filter(pk=email_id).first()
    if email is None:
        raise Http404("Email not found")
    errors: list[dict[str, str]] = []
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "file":
                reference = request.POST.get("reference", "").strip().upper()
                case = Case.objects.filter(council=email.council, reference=reference).first()
                if case is None:
                    raise DomainError(CASE_NOT_FOUND, field="reference")
                inbound.inbound_email_file(email=email, case=case, acting_user=_user(request), now=timezone.now())
                messages.success(request, f"Email filed on {case.reference}")
                return redirect("casework:case-detail", case_id=case.pk)
            if action == "discard":
                inbound.inbound_email_discard(
                    email=email, reason=request.POST.get("reason", ""), acting_user=_user(request), now=timezone.now()
                )
                messages.success(request, "Email discarded")
                return redirect("correspondence:inbox")
            raise DomainError("Choose what to do with the email", field="reference")
        except DomainError as error:
            errors.append({"href": f"#id_{error.field or 'reference'}", "message": error.message})
    attachments = inbound.email_parse(bytes(email.raw)).attachments
    context = {
        "email": email,
        "attachments": [name for name, _ in attachments],
        "links": registration_links(email),
        "errors": errors,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "correspondence/inbox_email.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def email_add(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add an email saved as a file (``.eml``, or ``.msg`` from Outlook) to a case, with its attachments."""
    case = _case(request, case_id)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None or not upload.size:
                raise DomainError(FILE_MISSING, field="file")
            if upload.size > max_upload_bytes():
                raise DomainError("The selected file is too large", field="file")
            data = upload.read()
            parsed = inbound.email_file_parse(data)
            email, new = inbound.inbound_email_receive(
                council=case.council,
                raw=data,
                source=InboundSource.UPLOAD,
                received_at=timezone.now(),
                acting_user=_user(request),
                case=case,
                parsed=parsed,
            )
        except DomainError as error:
            errors.append({"href": "#id_file", "message": error.message})
        else:
            if new:
                messages.success(request, f"Email “{email.subject or 'with no subject'}” added to {case.reference}")
            else:
                messages.success(request, "That email was already stored, so it was not added again")
            return redirect("casework:case-detail", case_id=case.pk)
    return render(
        request, "correspondence/email_add.html", {"case": case, "errors": errors}, status=400 if errors else 200
    )
