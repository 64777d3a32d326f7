"""Correspondence in the browser, with axe-core (WCAG 2.2 AA) reporting no violation on each page: a letter
written on a case and previewed, the print queue, the inbox with an email waiting, and the letter templates, a
template's page with a refused merge field, its preview, and the letterhead page."""

import pytest
from django.utils import timezone

from opencomplaints.cases.tests import factories as f
from opencomplaints.correspondence.inbound import inbound_email_receive
from opencomplaints.correspondence.models import InboundSource
from tests.e2e.conftest import sign_in
from tests.e2e.test_casework import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = (
    b"From: Morgan Ellis <morgan.ellis@example.com>\r\nTo: complaints@exampleton.example.org\r\n"
    b"Subject: Short breaks\r\nMessage-ID: <e2e-1@example.com>\r\n\r\nNobody has called me back.\r\n"
)


def test_writing_a_letter_the_print_queue_and_the_inbox_are_accessible(page, council, complaints_manager):
    case = f.accepted(council, complaints_manager)
    inbound_email_receive(council=council, raw=EMAIL, source=InboundSource.MAILBOX, received_at=timezone.now())
    sign_in(page, complaints_manager)
    page.goto(f"/correspondence/cases/{case.pk}/letters/new/")
    page.wait_for_selector("text=Which letter?")
    assert_accessible(page)
    page.get_by_label("Acknowledgement").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("#id_body")
    assert_accessible(page)
    page.get_by_label("Post").check()
    page.get_by_label("To").fill("Sam Ward\n1 High Street\nExampleton\nEX1 1AA")
    page.get_by_role("button", name="Preview the letter").click()
    page.wait_for_selector("h1")
    assert_accessible(page)

    page.goto("/correspondence/print-queue/")
    page.wait_for_selector("h1")
    assert_accessible(page)
    page.goto("/correspondence/inbox/")
    page.wait_for_selector("text=Short breaks")
    assert_accessible(page)


def test_the_letter_template_pages_are_accessible(page, council, complaints_manager):
    f.accepted(council, complaints_manager)
    sign_in(page, complaints_manager)
    page.goto("/correspondence/templates/")
    page.wait_for_selector("h1:has-text('Letter templates')")
    assert_accessible(page)

    page.get_by_role("link", name="Change the acknowledgement letter for an adult").click()
    page.wait_for_selector("#id_body")
    assert_accessible(page)
    page.get_by_label("Words of the letter").fill("We extended because {{ extension_reason }}.")
    page.get_by_role("button", name="Save as a new version").click()
    page.wait_for_selector(".govuk-error-summary")
    assert "is not a merge field you can use" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)

    page.get_by_label("Words of the letter").fill("{{ greeting }},\n\nThank you for your complaint.")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_selector("#preview")
    assert "Dear Sam Taylor" in page.inner_text("main")
    assert_accessible(page)

    page.goto("/correspondence/templates/letterhead/")
    page.wait_for_selector("#id_letterhead")
    assert_accessible(page)
