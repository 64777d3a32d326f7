"""A reviewer sees and approves each quote with its redactions marked (issue 17 part 4): approve, change or
reject; a report cannot be published while a quote waits; only approved quotes reach the published document."""

import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from opencomplaints.accounts.tests.personas import member
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import ComplimentDetail
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Role
from opencomplaints.reporting import services
from opencomplaints.reporting.models import QuoteReview
from opencomplaints.reporting.publication_selectors import draft_quotes
from opencomplaints.reporting.redaction import marked
from opencomplaints.reporting.tests.builder import CaseBuilder, S
from opencomplaints.reporting.tests.test_publication import approved

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
KIND = "Thank you to Bartholomew Quennell-Smythe in the Fostering team, who rang me back on 07700 900123."
SHORT = "The duty team were patient and explained everything."
PRIVATE = "Ask Hermione at hermione@example.org, she sorted it all."


@pytest.fixture
def second_manager(council):
    return member(council, "manager.mina", "Mina", "Castellane", Role.COMPLAINTS_MANAGER)


@pytest.fixture
def cases(council):
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 4, 3), date(2023, 4, 14), "upheld"))
    b.other("compliment", date(2023, 5, 2), quote=KIND, about_person="Bartholomew Quennell-Smythe")
    b.other("compliment", date(2023, 6, 2), quote=SHORT)
    b.other("compliment", date(2023, 7, 2), quote=PRIVATE)
    b.flush()
    return list(ComplimentDetail.objects.order_by("case__received_date").values_list("pk", flat=True))


def review(draft, compliment, manager, *, approve=True, text=None):
    return services.report_quote_review(
        draft=draft, compliment_id=compliment, approve=approve, text=text, acting_user=manager, now=NOW
    )


def test_marks_show_what_redaction_took_out_and_put_in():
    original, redacted = marked(
        KIND, "Thank you to [name] in the Fostering team, who rang me back on [contact details]."
    )
    assert [text for text, changed in original if changed] == ["Bartholomew Quennell-Smythe", "07700 900123"]
    assert [text for text, changed in redacted if changed] == ["[name]", "[contact details]"]
    assert "".join(t for t, _ in original) == KIND


def test_each_quote_waits_until_reviewed_then_only_approved_quotes_are_published(
    council, cases, complaints_officer, complaints_manager, second_manager
):
    kind, short, private = cases
    draft = approved(council, complaints_officer, complaints_manager)
    quotes = draft_quotes(draft)
    assert [q.compliment_id for q in quotes] == cases
    assert all(q.waiting for q in quotes)
    assert quotes[0].proposed == "Thank you to [name] in the Fostering team, who rang me back on [contact details]."
    with pytest.raises(DomainError, match="3 waiting for review"):
        services.report_publish(draft=draft, acting_user=complaints_manager, now=NOW)

    review(draft, kind, second_manager)
    edited = review(draft, short, second_manager, text="The duty team (thank you, Bartholomew) explained everything.")
    assert edited.text == "The duty team (thank you, [name]) explained everything."  # redacted even when typed
    assert edited.edited
    review(draft, private, second_manager, approve=False)
    assert AuditEvent.objects.filter(event_type=AuditEventType.REPORT_QUOTE_APPROVED).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.REPORT_QUOTE_EDITED).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.REPORT_QUOTE_REJECTED).count() == 1
    event = AuditEvent.objects.get(event_type=AuditEventType.REPORT_QUOTE_EDITED)
    assert "Bartholomew" not in json.dumps(event.after)  # the words are kept as free text, not in the audit row

    draft = services.report_publish(draft=draft, acting_user=complaints_manager, now=NOW)
    frozen = draft.report_json
    assert "Thank you to [name] in the Fostering team" in frozen
    assert "The duty team (thank you, [name]) explained everything." in frozen
    assert "sorted it all" not in frozen  # rejected
    assert "patient" not in frozen  # the words as first written were replaced by the reviewer's
    html = bytes(draft.files.get(file_format="html").content).decode()
    assert "sorted it all" not in html
    assert "Bartholomew" not in html


def test_refusals_and_a_changed_compliment_waits_again(
    council, cases, complaints_officer, complaints_manager, report_viewer
):
    kind = cases[0]
    draft = services.report_draft_start(
        council=council, procedure="children_statutory", year=2023, acting_user=complaints_officer, now=NOW
    )
    for user in (complaints_officer, report_viewer):
        with pytest.raises(DomainError, match="Only a complaints manager"):
            review(draft, kind, user)
    with pytest.raises(DomainError, match="does not quote that compliment"):
        review(draft, 999_999, complaints_manager)
    with pytest.raises(DomainError, match="Enter the words to publish"):
        review(draft, kind, complaints_manager, text="   ")
    assert not QuoteReview.objects.exists()
    review(draft, kind, complaints_manager)
    assert draft_quotes(draft)[0].approved
    ComplimentDetail.objects.filter(pk=kind).update(quote="Completely different words from Bartholomew.")
    assert draft_quotes(draft)[0].waiting  # the decision was made on other words


@time_machine.travel(NOW, tick=False)
def test_the_page_lists_quotes_with_marks_and_a_manager_decides(
    client, council, cases, complaints_officer, complaints_manager, report_viewer
):
    kind = cases[0]
    draft = services.report_draft_start(
        council=council, procedure="children_statutory", year=2023, acting_user=complaints_officer, now=NOW
    )
    page_url = reverse("reporting:report-draft-detail", args=[draft.pk])
    client.force_login(report_viewer)
    assert "Quotes from compliments" not in client.get(page_url).text  # the words as written name people
    client.force_login(complaints_manager)
    page = client.get(page_url).text
    assert "3 quotes waiting for review." in page
    assert "(taken out: </span>Bartholomew Quennell-Smythe" in page
    assert "(put in its place: </span>[name]" in page
    url = reverse("reporting:report-draft-quote", args=[draft.pk, kind])
    response = client.post(url, {"decision": "edit", "text": ""})
    assert response.status_code == 400
    assert "Enter the words to publish, or reject the quote" in response.text
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#quote-{kind}")
    assert "2 quotes waiting for review." in client.get(page_url).text
    assert QuoteReview.objects.get().status == QuoteReview.Status.APPROVED
