"""The letter template pages: the list of every step's template, changing one (a new version each save, the
earlier kept, nothing internal mergeable), previewing it with a real case's details, and the letterhead and
signature; only for the council's complaints managers and its system administrator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.tests import factories as f
from opencomplaints.correspondence.models import LetterSettings, LetterTemplateVersion
from opencomplaints.correspondence.rendering import UNKNOWN_FIELD
from opencomplaints.correspondence.selectors import template_words
from opencomplaints.correspondence.steps import STEPS
from opencomplaints.correspondence.template_views import PREVIEW_CASE_NOT_FOUND

pytestmark = pytest.mark.django_db

EDIT = reverse("correspondence:template-edit", args=["acknowledgement", "adult"])


@pytest.fixture
def manager(client, complaints_manager):
    client.force_login(complaints_manager)
    return client


def test_the_list_has_every_step_for_each_of_its_audiences(manager):
    page = manager.get(reverse("correspondence:templates"))
    assert page.status_code == 200
    assert len(page.context["rows"]) == sum(len(step.audiences) for step in STEPS)
    assert "The standard words" in page.content.decode()


def test_saving_makes_a_new_version_and_keeps_the_earlier(manager, council, complaints_manager):
    for words in ("Dear {{ complainant_name }}, we have your complaint.", "Dear {{ complainant_name }}, thank you."):
        response = manager.post(EDIT, {"action": "save", "subject": "Your complaint {{ reference }}", "body": words})
        assert response.status_code == 302
    versions = LetterTemplateVersion.objects.filter(template__council=council).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert template_words(council=council, step="acknowledgement", audience="adult").body.endswith("thank you.")
    page = manager.get(EDIT)
    assert [v.number for v in page.context["versions"]] == [2, 1]
    assert AuditEvent.objects.filter(event_type=AuditEventType.LETTER_TEMPLATE_SAVED).count() == 2


def test_an_internal_field_cannot_be_saved_and_nothing_is_lost(manager, council):
    response = manager.post(
        EDIT, {"action": "save", "subject": "Your complaint", "body": "We extended because {{ extension_reason }}."}
    )
    assert response.status_code == 400
    assert UNKNOWN_FIELD.format(name="extension_reason") in response.content.decode()
    assert response.context["values"]["body"] == "We extended because {{ extension_reason }}."  # kept for correcting
    assert not LetterTemplateVersion.objects.exists()


def test_the_preview_fills_in_a_real_cases_details_without_saving(manager, adult_case):
    response = manager.post(
        EDIT,
        {
            "action": "preview",
            "subject": "Your complaint {{ reference }}",
            "body": "{{ greeting }},\n\nWe have your complaint.",
            "case": adult_case.reference.lower(),
        },
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview["subject"] == f"Your complaint {adult_case.reference}"
    assert preview["body"].startswith("Dear Jordan Price")
    assert not LetterTemplateVersion.objects.exists()


def test_the_preview_without_a_case_uses_the_examples(manager):
    response = manager.post(EDIT, {"action": "preview", "subject": "{{ reference }}", "body": "{{ greeting }}"})
    assert response.context["preview"]["subject"] == "CSC-2026-0042"


def test_the_preview_of_a_case_the_user_cannot_see_is_refused(manager, other_council, other_council_officer):
    elsewhere = f.accepted(other_council, other_council_officer)
    response = manager.post(EDIT, {"action": "preview", "subject": "x", "body": "y", "case": elsewhere.reference})
    assert response.status_code == 400
    assert PREVIEW_CASE_NOT_FOUND in response.content.decode()


def test_an_unknown_template_is_not_found(manager):
    assert manager.get(reverse("correspondence:template-edit", args=["nonsense", "adult"])).status_code == 404
    assert manager.get(reverse("correspondence:template-edit", args=["decline", "martian"])).status_code == 404


def test_the_letterhead_and_signature_are_saved(manager, council):
    data = {
        "letterhead": "Exampleton Borough Council\nTown Hall",
        "signature": "Complaints team",
        "advocacy": "Ask us for an advocate.",
        "support": "Childline: 0800 1111.",
        "ombudsman": "The Ombudsman can look at your complaint.",
    }
    assert manager.post(reverse("correspondence:letter-settings"), data).status_code == 302
    assert LetterSettings.objects.get(council=council).letterhead == "Exampleton Borough Council\nTown Hall"


def test_a_letterhead_too_long_is_refused_with_its_field_named(manager, council):
    data = {"letterhead": "x" * 2001, "signature": "", "advocacy": "", "support": "", "ombudsman": ""}
    response = manager.post(reverse("correspondence:letter-settings"), data)
    assert response.status_code == 400
    assert 'href="#id_letterhead"' in response.content.decode()
    assert not LetterSettings.objects.exists()


def test_officers_cannot_change_the_templates(client, complaints_officer):
    client.force_login(complaints_officer)
    assert client.get(reverse("correspondence:templates")).status_code == 403
    assert client.post(EDIT, {"action": "save", "subject": "s", "body": "b"}).status_code == 403
    assert not LetterTemplateVersion.objects.exists()


def test_the_navigation_offers_the_page_to_managers_only(manager, client, complaints_officer):
    assert reverse("correspondence:templates") in manager.get(reverse("correspondence:print-queue")).content.decode()
    client.force_login(complaints_officer)
    assert reverse("correspondence:templates") not in client.get(reverse("correspondence:print-queue")).content.decode()
