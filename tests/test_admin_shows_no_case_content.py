"""The admin site is for configuration, not case content (docs/adr/0005-roles-and-access.md): a superuser who
opens every list and every record of every model registered there reads none of a case's words, names, addresses,
documents, messages or reasons, and the operational actions still work.

The sweep walks ``admin.site``'s registry, so a model registered later is covered without changing this file.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case
from opencomplaints.cases.services import ChildInput, PersonInput, case_restrict, learning_action_create
from opencomplaints.cases.tests import factories as f
from opencomplaints.casework.models import Document
from opencomplaints.casework.services import document_upload
from opencomplaints.councils.models import Council
from opencomplaints.jobs.models import RunStatus, ScheduledRun
from opencomplaints.notifications.models import Channel, Message, MessageStatus, MessageTemplate, TemplateKey
from opencomplaints.notifications.rendering import placeholders
from opencomplaints.notifications.services import message_queue
from opencomplaints.retention.models import CaseAnonymisation
from opencomplaints.retention.services import legal_hold_place

pytestmark = pytest.mark.django_db

# Words that appear nowhere but in the case records made below (all synthetic).
COMPLAINANT_FIRST, COMPLAINANT_LAST = "Zephyrine", "Quillonbury"
EMAIL = "zephyrine.quillonbury@example.org"
ADDRESS, POSTCODE = "14 Marrowdale Crescent", "ZZ9 9QX"
CHILD = "Perpetua"
SUMMARY = "The fostering visit about the ferret was missed"
DOCUMENT = "Thistlewick-statement.txt"
GRANT_REASON = "About the Brackenholt team manager"
HOLD_REASON = "Claim by Wexcombe and Partners"
LEARNING = "Visit plans must name the Gorsemoor respite carer"
AUDIT_WORDS = "Ombersley-Fitch said the social worker shouted"

SECRETS = (
    COMPLAINANT_FIRST,
    COMPLAINANT_LAST,
    "quillonbury@",
    "Marrowdale",
    POSTCODE,
    CHILD,
    "ferret",
    "Thistlewick",
    "Brackenholt",
    "Wexcombe",
    "Gorsemoor",
    "Ombersley",
)


def _case_with_content(council: Council, manager: User, officer: User) -> Case:
    complainant = f.complainant(
        first_name=COMPLAINANT_FIRST, last_name=COMPLAINANT_LAST, email=EMAIL, address=ADDRESS, postcode=POSTCODE
    )
    case = f.accepted(
        council,
        manager,
        complainants=[complainant],
        children=[ChildInput(person=PersonInput(first_name=CHILD, last_name=COMPLAINANT_LAST), age_at_receipt=9)],
        summary=SUMMARY,
        owner=officer,
    )
    upload = SimpleUploadedFile(DOCUMENT, b"Notes of a visit.\n", content_type="text/plain")
    document_upload(case=case, acting_user=officer, file=upload, stage=case.stages.get(number=1))
    learning_action_create(
        council=council, acting_user=manager, finding=LEARNING, action=LEARNING, cases=[case], owner=officer
    )
    legal_hold_place(case=case, reason=HOLD_REASON, acting_user=manager)
    case_restrict(case=case, acting_user=manager, reason=GRANT_REASON, named_users=[officer])
    # Rows as an older release, or any code path, may have written them: the words in the summary and the values.
    AuditEvent.objects.create(
        event_time=timezone.now(),
        acting_user=officer,
        event_type=AuditEventType.STAGE_HELD,
        case=case,
        subject_type="cases.case",
        subject_id=str(case.pk),
        summary=f"Stage put on hold: {AUDIT_WORDS}",
        before={"hold_reason": ""},
        after={"hold_reason": AUDIT_WORDS, "complainant": EMAIL},
    )
    AuditEvent.objects.create(
        event_time=timezone.now(),
        acting_user=officer,
        event_type=AuditEventType.SEARCH_PERFORMED,
        subject_type="accounts.user",
        subject_id=str(officer.pk),
        summary=f"Searched for {COMPLAINANT_LAST!r}: 1 cases found",
        after={"text": COMPLAINANT_LAST},
    )
    return case


def _messages(case: Case, officer: User) -> dict[str, Message]:
    template = MessageTemplate.objects.get(key=TemplateKey.ACKNOWLEDGEMENT)
    words = dict.fromkeys(placeholders(f"{template.subject}\n{template.body}"), "")
    words |= {"greeting": f"Dear {COMPLAINANT_FIRST} {COMPLAINANT_LAST}", "reference": case.reference}

    def queue(key: str, recipient: str, **extra: object) -> Message:
        return message_queue(
            template_key=TemplateKey.ACKNOWLEDGEMENT,
            recipient=recipient,
            personalisation=words,
            idempotency_key=key,
            case=case,
            **extra,  # type: ignore[arg-type]
        )

    failed = queue("test:failed", EMAIL)
    letter = queue(
        "test:letter", f"{COMPLAINANT_FIRST} {COMPLAINANT_LAST}\n{ADDRESS}\n{POSTCODE}", channel=Channel.LETTER
    )
    sent = queue("test:sent", EMAIL)
    staff = queue("test:staff", "officer@exampleton.example", recipient_user=officer)
    Message.objects.filter(pk=failed.pk).update(
        status=MessageStatus.FAILED, attempts=4, last_error=f"Recipient <{EMAIL.upper()}> refused: mailbox unknown"
    )
    Message.objects.filter(pk=letter.pk).update(
        status=MessageStatus.FAILED,
        attempts=1,
        last_error=f"Line 1 ({COMPLAINANT_FIRST} {COMPLAINANT_LAST}) too long; {ADDRESS} not found",
    )
    Message.objects.filter(pk=sent.pk).update(status=MessageStatus.SENT, sent_at=timezone.now(), provider="notify")
    return {"failed": failed, "letter": letter, "sent": sent, "staff": staff}


@pytest.fixture
def content(council, complaints_manager, complaints_officer):
    case = _case_with_content(council, complaints_manager, complaints_officer)
    messages = _messages(case, complaints_officer)
    CaseAnonymisation.objects.create(
        case=f.accepted(council, complaints_manager), anonymised_at=timezone.now(), closed_date=date(2022, 7, 1)
    )
    ScheduledRun.objects.create(
        name="deadline_reminders", slot=timezone.now(), status=RunStatus.FAILED, last_error="OperationalError"
    )
    return {"case": case, "messages": messages, "uploader": complaints_officer}


@pytest.fixture
def admin_client(system_administrator) -> Client:
    client = Client()
    client.force_login(system_administrator)
    return client


def _leaks(html: str) -> list[str]:
    lowered = html.lower()
    return [secret for secret in SECRETS if secret.lower() in lowered]


def _pages(client: Client, content) -> list[tuple[str, int, list[str]]]:
    """Every admin page a superuser can open about the records: the index, each model's list, and each record's
    page and history."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:50]:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[pk]))
    # Django's delete page names every record a deletion would touch or is stopped by.
    urls.append(reverse("admin:accounts_user_delete", args=[content["uploader"].pk]))
    answers = []
    for url in urls:
        response = client.get(url)
        answers.append((url, response.status_code, _leaks(response.content.decode())))
    return answers


def test_no_admin_page_shows_case_content(admin_client, content):
    answers = _pages(admin_client, content)
    assert len(answers) > 40, "the sweep found too few pages to mean anything"
    assert [(url, status) for url, status, _ in answers if status != 200] == []
    assert [(url, leaks) for url, _, leaks in answers if leaks] == []


def test_the_message_admin_says_what_happened_without_the_words(admin_client, content):
    message = content["messages"]["failed"]
    page = admin_client.get(reverse("admin:notifications_message_change", args=[message.pk])).text
    assert content["case"].reference in page
    assert reverse("casework:case-detail", kwargs={"case_id": content["case"].pk}) in page
    # The provider's reason is kept, with the address it quoted blanked.
    assert "Recipient &lt;[removed]&gt; refused: mailbox unknown" in page
    assert "Someone outside the council (not shown)" in page
    assert f"Message {message.pk}" in page


def _rows(response) -> str:
    html = response.text
    start = html.index('id="result_list"')
    return html[start : html.index("</table>", start)]


def test_the_audit_admin_lists_what_happened_by_name_and_filters_by_it(admin_client, content):
    url = reverse("admin:audit_auditevent_changelist")
    everything = _rows(admin_client.get(url))
    assert "Stage put on hold" in everything
    assert "Cases searched" in everything
    response = admin_client.get(url, {"event_type": AuditEventType.STAGE_HELD.value})
    assert 'href="?event_type=702"' in response.text  # the filter offers every kind of event by name
    held = _rows(response)
    assert "Stage put on hold" in held
    assert "Cases searched" not in held
    by_reference = _rows(admin_client.get(url, {"q": content["case"].reference}))
    assert "Stage put on hold" in by_reference
    assert "Cases searched" not in by_reference
    assert _leaks(admin_client.get(url, {"q": COMPLAINANT_LAST}).text) == [COMPLAINANT_LAST]  # the box echoes it
    assert "0 results" in admin_client.get(url, {"q": COMPLAINANT_LAST}).text


def _act(client: Client, action: str, *messages: Message):
    return client.post(
        reverse("admin:notifications_message_changelist"),
        {"action": action, "_selected_action": [m.pk for m in messages], "index": 0},
        follow=True,
    )


def test_a_failed_message_can_still_be_tried_again(admin_client, content):
    failed, sent = content["messages"]["failed"], content["messages"]["sent"]
    response = _act(admin_client, "retry", failed, sent)
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == MessageStatus.QUEUED
    # The refusal names the message by number, never by its recipient.
    assert f"Message {sent.pk}: Only a message that could not be sent can be tried again" in response.text
    assert _leaks(response.text) == []


def test_a_failed_letter_can_still_be_marked_as_sent(admin_client, content):
    letter = content["messages"]["letter"]
    response = _act(admin_client, "mark_sent", letter)
    assert response.status_code == 200
    letter.refresh_from_db()
    assert (letter.status, letter.provider) == (MessageStatus.SENT, "manual")
    assert _leaks(response.text) == []
    assert _leaks(admin_client.get(reverse("admin:audit_auditevent_changelist")).text) == []


def test_messages_cannot_be_edited_or_deleted_in_the_admin(admin_client, content):
    message = content["messages"]["sent"]
    url = reverse("admin:notifications_message_change", args=[message.pk])
    assert admin_client.post(url, {"status": MessageStatus.QUEUED}).status_code == 403
    assert admin_client.get(reverse("admin:notifications_message_delete", args=[message.pk])).status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_user_who_cannot_be_deleted_is_told_why_by_kind_of_record(admin_client, content):
    # Someone whose only trace is a document they uploaded: Django's page would name it (by the file's name).
    uploader = User.objects.create(username="temp.tam", first_name="Tam", last_name="Ridley")
    Document.objects.filter(case=content["case"]).update(uploaded_by=uploader)
    page = admin_client.get(reverse("admin:accounts_user_delete", args=[uploader.pk])).text
    assert "Cannot delete user" in page
    assert "Documents: 1" in page
    assert _leaks(page) == []
