"""The public portal in a browser: the adult and young person's complaint journeys, a compliment, and following a
case with its link (adding a document and giving feedback), with axe-core reporting no WCAG 2.2 AA violation on
any portal page."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def continue_(page, name="Continue"):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_adult_complaint_on_behalf_of_a_child(page, council, other_council):
    page.goto("/complain/")
    assert_accessible(page)  # choosing among several councils
    page.get_by_role("link", name="Borough of Exampleton").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()

    continue_(page)  # nothing chosen: the error summary
    assert page.get_by_role("alert").is_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("I am their parent").check()
    assert_accessible(page)
    continue_(page)

    page.get_by_label("Yes, they know and they agree").check()
    continue_(page)
    page.get_by_label("First name").fill("Jamie")
    page.get_by_label("Last name").fill("Ward")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2012")
    assert_accessible(page)
    continue_(page)

    page.get_by_label("What is your complaint about?").fill("Nobody returned my calls for six weeks.")
    assert_accessible(page)
    continue_(page)
    page.get_by_label("Yes, I would like help from an advocate").check()
    assert_accessible(page)
    continue_(page)
    page.get_by_label("By email").check()
    continue_(page)
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Ward")
    page.get_by_label("Email address").fill("sam@example.com")
    continue_(page)

    assert page.get_by_role("heading", name="Check your answers before sending").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change what is your complaint about?").click()
    page.get_by_label("What is your complaint about?").fill("Nobody returned my calls for seven weeks.")
    continue_(page)
    assert "seven weeks" in page.inner_text("main")
    continue_(page, "Send")

    assert page.get_by_role("heading", name="Complaint sent").is_visible()
    assert_accessible(page)
    case = Case.objects.get()
    assert case.reference in page.inner_text(".govuk-panel")
    assert (case.status, case.complainants.get().child_consent) == (c.CaseStatus.TRIAGE, c.ChildConsent.GIVEN)
    assert mail.outbox[0].to == ["sam@example.com"]


def test_young_persons_complaint_by_keyboard_alone(page, council):
    page.goto("/complain/exampleton/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.get_by_role("button", name="Start the version for children and young people").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/young-person/help/")
    assert page.get_by_text("An advocate is a grown-up who is on your side.").is_visible()
    assert_accessible(page)
    page.get_by_label("Yes, please").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/young-person/complaint/")
    page.get_by_label("What do you want to tell us?").focus()
    page.keyboard.type("My social worker keeps changing.")
    page.get_by_role("button", name="Continue").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/young-person/contact/")
    assert_accessible(page)
    page.get_by_label("I do not want to say who I am").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Continue").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/young-person/check-answers/")
    assert page.get_by_role("heading", name="Check what you told us").is_visible()
    page.get_by_role("button", name="Send").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/complaint-sent/")
    assert page.get_by_role("heading", name="We have got your message").is_visible()
    assert_accessible(page)
    assert Case.objects.get().complainants.get().complainant_type == c.ComplainantType.CHILD_YOUNG_PERSON


def test_compliment(page, council):
    page.goto("/compliment/")
    continue_(page)
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
    page.get_by_label("What would you like to tell us?").fill("Our social worker listened to us.")
    continue_(page)
    assert_accessible(page)
    continue_(page)
    continue_(page, "Send")
    assert page.get_by_role("heading", name="Thank you for your compliment").is_visible()
    assert_accessible(page)
    assert Case.objects.get().kind == c.Kind.COMPLIMENT


def test_follow_a_complaint_add_a_document_and_give_feedback(page, council, complaints_manager, tmp_path):
    page.goto("/complain/exampleton/adult/who/")
    page.get_by_label("I am the child or young person the complaint is about").check()
    continue_(page)
    page.get_by_label("What is your complaint about?").fill("My pathway plan was never written.")
    continue_(page)
    page.get_by_label("No, thank you").check()
    continue_(page)
    page.get_by_label("By email").check()
    continue_(page)
    page.get_by_label("First name").fill("Riley")
    page.get_by_label("Last name").fill("Shaw")
    page.get_by_label("Email address").fill("riley@example.com")
    continue_(page)
    continue_(page, "Send")

    found = re.search(r"https?://\S+(/follow/[^/\s]+/)", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(1)
    page.goto(link)
    assert page.get_by_role("heading", name="Your complaint").is_visible()
    assert page.get_by_text("We have received your complaint and are deciding how we will look into it.").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Send a document").click()
    continue_(page, "Send document")
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
    upload = tmp_path / "letter.pdf"
    upload.write_bytes(PDF)
    page.get_by_label("Choose a document").set_input_files(str(upload))
    continue_(page, "Send document")
    assert page.get_by_text("We have received your document. Thank you.").is_visible()
    assert_accessible(page)

    from opencomplaints.cases.services import complaint_accept, stage_respond

    case = Case.objects.get()
    complaint_accept(case=case, acting_user=complaints_manager)
    stage_respond(
        stage=case.stages.get(), acting_user=complaints_manager, response_date=timezone.localdate(), outcome="upheld"
    )
    page.reload()
    page.get_by_role("link", name="Give feedback").click()
    assert_accessible(page)
    page.get_by_label("Satisfied", exact=True).check()
    page.get_by_label("How could we improve? (optional)").fill("Reply sooner.")
    continue_(page, "Send feedback")
    assert page.get_by_text("Thank you for your feedback.").is_visible()
    assert case.portal_feedback.get().rating == "satisfied"

    page.goto("/follow/")
    assert_accessible(page)
    page.get_by_label("Reference number").fill(case.reference)
    page.get_by_label("Email address").fill("riley@example.com")
    continue_(page, "Send me a link")
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert_accessible(page)
    page.goto("/follow/this-link-is-not-real/")
    assert page.get_by_role("heading", name="This link does not work").is_visible()
    assert_accessible(page)
