"""A message about a case, read in full on its own page, and a message that could not be sent tried again or
recorded as sent by hand: who may do each, what is recorded, and what an anonymised case still shows."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.audit.selectors import case_access_log
from opencomplaints.cases import constants as c
from opencomplaints.cases.selectors import case_timeline
from opencomplaints.cases.services import complaint_close, stage_respond
from opencomplaints.cases.tests import factories as f
from opencomplaints.cases.tests.access_world import world_fixture
from opencomplaints.notifications import errors
from opencomplaints.notifications.models import Channel, Message, MessageStatus
from opencomplaints.notifications.selectors import LINK_HIDDEN
from opencomplaints.notifications.senders import SendError, SmtpSender
from opencomplaints.notifications.services import message_queue, outbox_send_pending
from opencomplaints.retention.services import case_anonymise

pytestmark = pytest.mark.django_db

world = pytest.fixture(scope="module")(world_fixture)

ADDRESS = "Sam Ward\n1 High Street\nExampleton\nEX1 1AA"
HOLD = {
    "greeting": "Dear Sam Ward",
    "council": "Borough of Exampleton",
    "stage": "1",
    "start_date": "1 June 2022",
    "reason": "awaiting an advocate",
}


class Refusing:
    """A provider that refuses every message for good, as Notify does a bad address."""

    name = "notify"

    def send(self, message):
        raise SendError("GOV.UK Notify: 400 - [{'error': 'BadRequestError', 'message': 'Bad address'}]", permanent=True)


def failed_letter(case, *, key="hold", channel=Channel.LETTER, recipient=ADDRESS, **extra):
    """A hold letter about ``case`` that the provider refused (email-only installations refuse every letter)."""
    message = message_queue(
        template_key="hold_letter",
        channel=channel,
        recipient=recipient,
        personalisation=HOLD | {"reference": case.reference},
        idempotency_key=f"{key}:{case.pk}",
        case=case,
        **extra,
    )
    outbox_send_pending(now=timezone.now(), sender=SmtpSender() if channel == Channel.LETTER else Refusing())
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    return message


def url(name, message):
    return reverse(f"casework:{name}", args=[message.case_id, message.pk])


def text(response):
    return unescape(response.content.decode())


@pytest.fixture
def as_user(client, world, settings):
    settings.MEDIA_ROOT = world.media_root

    def sign_in(name):
        client.force_login(world.users[name])
        return client

    return sign_in


# -- reading a message -----------------------------------------------------------------------------------------


def test_a_failed_letter_is_shown_in_full_ready_to_print(as_user, world):
    letter = failed_letter(world.stage1)
    response = as_user("complaints_officer").get(url("message-detail", letter))
    assert response.status_code == 200
    page = text(response)
    assert '<h1 class="govuk-heading-l">Hold letter</h1>' in page
    assert "Sam Ward<br>1 High Street<br>Exampleton<br>EX1 1AA" in page  # the address, line by line
    assert f"Your complaint is on hold: {world.stage1.reference}" in page
    assert '<p class="govuk-body">Dear Sam Ward,</p>' in page
    assert "From 1 June 2022 we have put your complaint on hold. The reason is: awaiting an advocate." in page
    assert "Complaints team<br>Borough of Exampleton" in page
    # The status, the reason in plain words, the dates and the number of attempts.
    assert 'govuk-tag--red">Not sent</strong>' in page
    assert "This letter was not sent" in page
    assert f'__value"><p class="govuk-body">{errors.LETTER_NEEDS_NOTIFY}' in page.split("Why it was not sent")[1]
    assert "Attempts to send it" in page
    assert timezone.localdate().strftime("%B %Y") in page
    # What can be done about it, and a print button (shown by its script) that prints the letter alone.
    assert url("message-retry", letter) in page
    assert url("message-mark-sent", letter) in page
    assert '<div id="message-print-actions" class="govuk-!-display-none-print" hidden>' in page
    assert "casework/message_print.js" in page
    assert page.count("govuk-!-display-none-print") >= 4  # header, back link, page furniture, footer
    # GOV.UK components throughout.
    for component in ("govuk-back-link", "govuk-summary-list__row", "govuk-warning-text", "govuk-button"):
        assert component in page, component


def test_the_provider_s_reason_is_put_in_plain_words_and_kept_for_support(as_user, world):
    email = failed_letter(world.stage1, channel=Channel.EMAIL, recipient="sam.ward@example.org")
    page = text(as_user("complaints_officer").get(url("message-detail", email)))
    assert "GOV.UK Notify would not accept this message" in page
    assert "What the provider said" in page
    assert "BadRequestError" in page
    assert "Print the letter" not in page  # an email is not printed


def test_the_case_page_links_each_message_and_flags_one_not_sent(as_user, world):
    letter = failed_letter(world.stage1)
    page = text(as_user("complaints_officer").get(reverse("casework:case-detail", args=[world.stage1.pk])))
    assert f'href="{url("message-detail", letter)}"' in page
    assert 'govuk-tag--red">Not sent</strong>' in page.split('id="messages"')[1]


def test_reading_a_message_is_recorded_as_a_read_of_the_case(as_user, world):
    letter = failed_letter(world.stage1)
    as_user("complaints_officer").get(url("message-detail", letter))
    [event] = AuditEvent.objects.filter(event_type=AuditEventType.MESSAGE_VIEWED)
    assert (event.acting_user, event.case_id) == (world.users["complaints_officer"], world.stage1.pk)
    assert (event.subject_type, event.subject_id) == ("notifications.message", str(letter.pk))
    assert event.summary == f"Hold letter (message #{letter.pk}) about {world.stage1.reference} read"
    assert event.after == {"role": "complaints_officer", "break_glass": False, "words_shown": True}
    assert not event.texts.exists()  # nothing of the message's words or recipient
    # On "who has seen this case", not on the case's timeline of what was done.
    assert event in case_access_log(case_id=world.stage1.pk)
    assert "Message read" not in [entry.label for entry in case_timeline(case=world.stage1)]


# -- who may read and resend -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "case", "read", "resend"),
    [
        ("complaints_manager", "stage1", 200, 200),
        ("complaints_officer", "stage1", 200, 200),
        ("investigating_manager", "stage1", 200, 403),  # owns the case: reads it, the team resends
        ("adjudicator", "stage2", 200, 403),
        ("investigating_officer", "stage2", 403, 403),  # sees stage 2 only: no messages section
        ("independent_person", "stage2", 403, 403),
        ("panel_member", "stage3", 403, 403),
        ("report_viewer", "stage1", 404, 404),
        ("system_administrator", "stage1", 404, 404),
        ("other_council_officer", "stage1", 404, 404),
        ("investigating_manager", "stage2", 404, 404),  # not theirs
    ],
)
def test_who_may_read_and_resend_a_message(as_user, world, role, case, read, resend):
    letter = failed_letter(getattr(world, case))
    client = as_user(role)
    page = client.get(url("message-detail", letter))
    assert page.status_code == read
    if read == 200:
        # The buttons are offered exactly to those who may use them; others are told who can.
        html = page.content.decode()
        assert (url("message-retry", letter) in html) == (resend == 200)
        assert ("The complaints team can try sending it again" in html) == (resend != 200)
    for name in ("message-retry", "message-mark-sent"):
        assert client.get(url(name, letter)).status_code == resend
        if resend != 200:
            assert client.post(url(name, letter), {"sent_via": "post"}).status_code == resend
    letter.refresh_from_db()
    assert letter.status == MessageStatus.FAILED
    queued = AuditEvent.objects.filter(event_type=AuditEventType.MESSAGE_QUEUED, subject_id=str(letter.pk))
    assert not queued.exclude(acting_user=None).exists()  # only the system's, when it was first queued


def test_a_restricted_case_s_messages_are_for_the_people_named_on_it(as_user, world):
    letter = failed_letter(world.restricted)
    assert as_user("complaints_officer").get(url("message-detail", letter)).status_code == 200  # named
    # A complaints manager not named on it finds nothing here (emergency access starts from the case page).
    assert as_user("complaints_manager").get(url("message-detail", letter)).status_code == 404
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.MESSAGE_VIEWED, acting_user=world.users["complaints_manager"]
    ).exists()


def test_a_message_is_found_only_under_its_own_case(as_user, world):
    letter = failed_letter(world.stage2)
    client = as_user("complaints_officer")
    wrong = reverse("casework:message-detail", args=[world.stage1.pk, letter.pk])
    assert client.get(wrong).status_code == 404
    staff_only = Message.objects.create(
        channel=Channel.EMAIL, recipient="x@example.org", template_key="weekly_digest", idempotency_key="digest:1"
    )
    assert client.get(reverse("casework:message-detail", args=[world.stage1.pk, staff_only.pk])).status_code == 404
    assert client.get(f"/cases/{world.stage1.pk}/messages/0/").status_code == 404


def test_a_follow_link_not_yet_sent_is_not_shown(as_user, world):
    link = "http://127.0.0.1:8000/follow/s3cret-token/"
    message = message_queue(
        template_key="follow_link",
        recipient="sam.ward@example.org",
        personalisation={
            "greeting": "Dear Sam",
            "reference": world.stage1.reference,
            "follow_link": link,
            "link_expires": "25 June 2022",
            "council": "Borough of Exampleton",
        },
        secret_keys=["follow_link"],
        idempotency_key="follow:matrix",
        case=world.stage1,
    )
    page = text(as_user("complaints_officer").get(url("message-detail", message)))
    assert "s3cret-token" not in page
    assert LINK_HIDDEN in page


# -- trying again, and sent by hand ----------------------------------------------------------------------------


def test_try_sending_again_queues_it_records_it_and_it_goes(as_user, world, django_capture_on_commit_callbacks):
    email = failed_letter(world.stage1, channel=Channel.EMAIL, recipient="sam.ward@example.org")
    client = as_user("complaints_officer")
    form = client.get(url("message-retry", email))
    assert form.status_code == 200
    assert "Try sending the message again" in text(form)
    assert "GOV.UK Notify would not accept this message" in text(form)  # why it failed, beside the button
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("message-retry", email))
    assert response.status_code == 302
    assert response["Location"] == url("message-detail", email)
    # Queued again, and sent by the job the retry started (email, through the test's email backend).
    email.refresh_from_db()
    assert (email.status, email.provider) == (MessageStatus.SENT, "smtp")
    [sent] = mail.outbox
    assert sent.to == ["sam.ward@example.org"]
    [event] = AuditEvent.objects.filter(event_type=AuditEventType.MESSAGE_QUEUED, subject_id=str(email.pk)).exclude(
        acting_user=None
    )
    assert (event.acting_user, event.case_id) == (world.users["complaints_officer"], world.stage1.pk)
    assert event.summary == f"Hold letter (message #{email.pk}) queued to be sent again"
    page = text(client.get(url("message-detail", email)))
    assert "Hold letter queued to be sent again" in page
    assert 'govuk-tag--green">Sent</strong>' in page
    assert url("message-retry", email) not in page


def test_mark_as_sent_by_hand_records_the_date_and_how(as_user, world):
    letter = failed_letter(world.stage1)
    client = as_user("complaints_officer")
    today = timezone.localdate()
    response = client.post(
        url("message-mark-sent", letter),
        {"sent_date_0": today.day, "sent_date_1": today.month, "sent_date_2": today.year, "sent_via": "post"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("message-detail", letter)
    letter.refresh_from_db()
    assert (letter.status, letter.provider, letter.provider_id) == (MessageStatus.SENT, "manual", "post")
    assert timezone.localtime(letter.sent_at).date() == today
    [event] = AuditEvent.objects.filter(event_type=AuditEventType.MESSAGE_SENT, subject_id=str(letter.pk))
    assert (event.acting_user, event.case_id) == (world.users["complaints_officer"], world.stage1.pk)
    assert event.summary == f"Hold letter (message #{letter.pk}) marked as sent by hand (by post)"
    assert event.after["sent_via"] == "post"
    assert event.after["sent_date"] == today.isoformat()
    page = text(client.get(url("message-detail", letter)))
    assert f"Hold letter recorded as sent on {today.day} {today:%B %Y}" in page
    assert "Sent by hand" in page
    assert f"{today.day} {today:%B %Y}, by post" in page
    assert url("message-mark-sent", letter) not in page
    # On the case: its messages table and its timeline.
    case_page = text(client.get(reverse("casework:case-detail", args=[world.stage1.pk])))
    assert "Sent by hand" in case_page.split('id="messages"')[1]
    assert f"Hold letter (message #{letter.pk}) marked as sent by hand (by post)" in case_page.split('id="timeline"')[1]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Enter the date it was sent"),
        ({"sent_via": "pigeon"}, "Select how it was sent"),
        ({"sent_date": "in two days"}, "Date sent must be today or in the past"),
        ({"sent_date": date(2022, 1, 3)}, "The date it was sent must be on or after"),
    ],
)
def test_marking_as_sent_says_what_is_wrong_and_changes_nothing(as_user, world, data, error):
    letter = failed_letter(world.stage1)
    when = data.get("sent_date")
    if when == "in two days":
        when = timezone.localdate() + timedelta(days=2)
    posted = {"sent_via": data.get("sent_via", "post")}
    if when is not None:
        posted |= {"sent_date_0": when.day, "sent_date_1": when.month, "sent_date_2": when.year}
    response = as_user("complaints_officer").post(url("message-mark-sent", letter), posted)
    assert response.status_code == 400
    assert error in text(response)
    assert "govuk-error-summary" in text(response)
    letter.refresh_from_db()
    assert letter.status == MessageStatus.FAILED


def test_a_message_that_was_sent_cannot_be_resent_or_marked(as_user, world):
    letter = failed_letter(world.stage1)
    client = as_user("complaints_officer")
    today = timezone.localdate()
    marked = {"sent_date_0": today.day, "sent_date_1": today.month, "sent_date_2": today.year, "sent_via": "hand"}
    assert client.post(url("message-mark-sent", letter), marked).status_code == 302
    again = client.post(url("message-mark-sent", letter), marked)
    assert again.status_code == 400
    assert errors.MARK_SENT_NOT_FAILED.format(status="sent") in text(again)
    retry = client.post(url("message-retry", letter))
    assert retry.status_code == 400
    assert errors.RETRY_NOT_FAILED.format(status="sent") in text(retry)
    assert AuditEvent.objects.filter(subject_id=str(letter.pk), event_type=AuditEventType.MESSAGE_SENT).count() == 1


# -- after the retention period --------------------------------------------------------------------------------


def test_an_anonymised_case_shows_no_words_of_its_messages(as_user, world):
    manager = world.users["complaints_manager"]
    case = f.accepted(world.council, manager)
    letter = failed_letter(case)
    stage = f.stage(case, 1)
    stage_respond(stage=stage, acting_user=manager, response_date=date(2022, 6, 10), outcome=c.Outcome.NOT_UPHELD)
    complaint_close(case=case, acting_user=manager, closed_date=date(2022, 7, 15))
    assert case_anonymise(case=case, today=date(2028, 7, 15)) is not None
    client = as_user("complaints_officer")
    response = client.get(url("message-detail", letter))
    assert response.status_code == 200
    page = text(response)
    for words in ("Sam Ward", "High Street", "on hold", "Dear", "GOV.UK Notify", "Letters are posted"):
        assert words not in page, words
    assert "were removed after the retention period" in page
    assert "Hold letter" in page  # what kind of message it was stays
    assert url("message-retry", letter) not in page
    assert "message_print.js" not in page
    refused = client.post(url("message-retry", letter))
    assert refused.status_code == 400
    assert errors.WORDS_REMOVED in text(refused)
    letter.refresh_from_db()
    assert letter.status == MessageStatus.FAILED
    [event] = AuditEvent.objects.filter(event_type=AuditEventType.MESSAGE_VIEWED, case=case)
    assert event.after["words_shown"] is False
