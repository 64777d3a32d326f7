"""A letter that could not be sent, in the browser: read from the case page, printed on its own, then recorded as
posted by hand, with axe-core (WCAG 2.2 AA) on each page on the way."""

import pytest
from django.utils import timezone

from opencomplaints.cases.tests import factories as f
from opencomplaints.notifications.models import Channel, MessageStatus
from opencomplaints.notifications.senders import SmtpSender
from opencomplaints.notifications.services import message_queue, outbox_send_pending
from tests.e2e.conftest import sign_in
from tests.e2e.test_casework import assert_accessible, fill_date

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_failed_letter_is_read_printed_and_marked_as_posted(page, council, complaints_manager, complaints_officer):
    case = f.accepted(council, complaints_manager)
    letter = message_queue(
        template_key="hold_letter",
        channel=Channel.LETTER,
        recipient="Sam Ward\n1 High Street\nExampleton\nEX1 1AA",
        personalisation={
            "greeting": "Dear Sam Ward",
            "reference": case.reference,
            "council": council.name,
            "stage": "1",
            "start_date": "1 June 2022",
            "reason": "awaiting an advocate",
        },
        idempotency_key=f"hold:{case.pk}",
        case=case,
    )
    outbox_send_pending(now=timezone.now(), sender=SmtpSender())  # an email-only installation cannot post it
    letter.refresh_from_db()
    assert letter.status == MessageStatus.FAILED

    sign_in(page, complaints_officer)
    page.goto(f"/cases/{case.pk}/")
    assert "Not sent" in page.inner_text("#messages + table")
    page.get_by_role("link", name=f"Your complaint is on hold: {case.reference}").click()
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Hold letter"
    assert "This letter was not sent" in page.inner_text(".govuk-warning-text")
    assert_accessible(page)

    # Printed, the page is the letter alone.
    assert page.get_by_role("button", name="Print the letter").is_visible()
    page.emulate_media(media="print")
    assert page.is_visible("#message-words")
    assert "From 1 June 2022 we have put your complaint on hold." in page.inner_text("#message-words")
    for furniture in (".govuk-service-navigation", ".govuk-back-link", "h1", ".govuk-summary-list", ".govuk-footer"):
        assert not page.is_visible(furniture), furniture
    page.emulate_media(media="screen")

    page.get_by_role("button", name="Mark as sent by hand").click()
    page.wait_for_selector("h1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".govuk-error-summary")
    assert "Select how it was sent" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)
    fill_date(page, "sent_date", timezone.localdate())
    page.get_by_label("By post").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "Hold letter recorded as sent on" in page.inner_text(".govuk-notification-banner--success")
    assert page.inner_text("h1") == "Hold letter"
    assert_accessible(page)
    letter.refresh_from_db()
    assert (letter.status, letter.provider_id) == (MessageStatus.SENT, "post")
    assert timezone.localtime(letter.sent_at).date() == timezone.localdate()
