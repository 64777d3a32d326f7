"""A whole children's statutory complaint in the browser, from registration to the council's response to the
review panel, with axe-core run on every kind of page on the way (WCAG 2.2 AA) and the registration form filled
in with the keyboard alone."""

import re
from datetime import date

import pytest

from opencomplaints.cases.models import Case
from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def describe(violations):
    return "; ".join(
        f"{v['id']}: {v['help']} ({', '.join(str(n['html'])[:120] for n in v['nodes'])})" for v in violations
    )


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def fill_date(page, name, value):
    page.fill(f"#id_{name}_0", str(value.day))
    page.fill(f"#id_{name}_1", str(value.month))
    page.fill(f"#id_{name}_2", str(value.year))


def type_date(page, name, value):
    """Day, month and year typed with the keyboard, tabbing between them as a person would."""
    page.focus(f"#id_{name}_0")
    page.keyboard.type(str(value.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(value.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(value.year))


def press(page, selector, key="Space"):
    page.focus(selector)
    page.keyboard.press(key)


def act(page, link_text, *, success):
    """Follow an action from the case page, fill its form (by the caller) and expect the success banner."""
    page.get_by_role("link", name=link_text, exact=True).first.click()
    page.wait_for_selector("h1")


def submit(page, success):
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_selector(".govuk-notification-banner--success")
    assert success in page.inner_text(".govuk-notification-banner--success")


def open_action(page, name):
    page.locator(f"a[href*='/{name}/']").first.click()
    page.wait_for_selector("h1")


def register_with_the_keyboard(page):
    page.goto("/cases/register/")
    assert_accessible(page)
    press(page, "#id_kind_1")  # Complaint
    page.keyboard.press("Enter")
    page.wait_for_url("**/register/complaint/")

    # Submitting the empty form shows the error summary, which takes focus.
    press(page, "main form button.govuk-button:not(.govuk-button--secondary)", "Enter")
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter the date received" in page.inner_text(".govuk-error-summary")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    # Selecting an error moves to the answer to fix.
    page.get_by_role("link", name="Enter the date received").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_received_date_0"

    type_date(page, "received_date", date(2022, 5, 26))
    page.keyboard.press("Tab")
    page.keyboard.type("10:15")
    press(page, "#id_received_via_2")  # Online form
    press(page, "#id_procedure_1")  # Children's statutory procedure
    press(page, "#id_start_stage_1")  # Stage 1
    page.focus("#id_complainant-0-first_name")
    page.keyboard.type("Jo")
    page.keyboard.press("Tab")
    page.keyboard.type("Marsh")
    page.focus("#id_complainant-0-eligibility_basis")
    page.keyboard.type("Parent")  # type-ahead picks "Parent of such a child (s26(3)(b))"
    press(page, "#id_complainant-0-on_behalf_of_child_2")  # Yes
    assert page.is_visible("#id_complainant-0-child_consent")
    page.focus("#id_summary")
    page.keyboard.type("The social worker did not return calls, and the assessment was late.")
    press(page, "main form button.govuk-button:not(.govuk-button--secondary)", "Enter")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert re.search(r"Complaint CSC-2022-\d{4} registered", page.inner_text(".govuk-notification-banner--success"))


def test_a_whole_complaint_in_the_browser(
    page, complaints_officer, investigating_officer, independent_person, adjudicator, panel_members
):
    sign_in(page, complaints_officer)
    register_with_the_keyboard(page)
    case = Case.objects.get()
    complainant = case.complainants.get()
    assert complainant.eligibility_basis == "parent"
    assert complainant.on_behalf_of_child
    assert case.received_at is not None
    assert "To triage" in page.inner_text("h1 + p")
    assert_accessible(page)  # the case page in triage

    open_action(page, "accept")
    assert_accessible(page)
    submit(page, f"Complaint {case.reference} accepted")

    # An action form and its error state.
    open_action(page, "extend")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter the new due date" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)
    fill_date(page, "extended_due_date", date(2022, 6, 20))
    page.fill("#id_reason", "Waiting for the social worker's records")
    fill_date(page, "notified_date", date(2022, 6, 1))
    submit(page, "Stage 1 extended to 20 June 2022")
    assert "Extended to 20 June 2022" in page.inner_text("#deadlines")

    open_action(page, "respond")
    fill_date(page, "response_date", date(2022, 6, 17))
    page.check("#id_outcome_3")  # Not upheld
    submit(page, "Stage 1 response recorded: not upheld")

    open_action(page, "escalate")
    fill_date(page, "request_received_date", date(2022, 6, 20))
    submit(page, "Stage 2 opened")
    assert_accessible(page)  # the case page at stage 2

    open_action(page, "appoint")
    fill_date(page, "appointed_date", date(2022, 6, 21))
    page.select_option("#id_investigating_officer", f"user:{investigating_officer.pk}")
    page.select_option("#id_independent_person", f"user:{independent_person.pk}")
    submit(page, "Stage 2 appointments recorded")

    open_action(page, "statement")
    fill_date(page, "agreed_date", date(2022, 7, 1))
    page.fill("#id_points", "Calls were not returned\nThe assessment was late")
    submit(page, "Statement of complaint agreed with 2 points")

    open_action(page, "investigation-report")
    fill_date(page, "report_date", date(2022, 7, 25))
    submit(page, "Investigation report recorded")

    open_action(page, "adjudicate")
    points = list(case.points.order_by("number"))
    page.select_option("#id_adjudicator", str(adjudicator.pk))
    fill_date(page, "adjudication_date", date(2022, 8, 5))
    page.check(f"#id_finding_{points[0].pk}_1")  # Upheld
    page.check(f"#id_finding_{points[1].pk}_3")  # Not upheld
    page.fill("#id_recommendations", "Apologise to the family")
    assert_accessible(page)
    submit(page, "Stage 2 adjudication recorded: partly upheld")
    findings = page.inner_text("#points")
    assert "Calls were not returned\tNot yet\tUpheld" not in findings
    assert "Calls were not returned\tUpheld" in findings
    assert "The assessment was late\tNot upheld" in findings

    open_action(page, "escalate")
    fill_date(page, "request_received_date", date(2022, 8, 15))
    submit(page, "Stage 3 opened")
    assert_accessible(page)  # the case page at stage 3

    open_action(page, "panel")
    page.select_option("#id_chair", f"user:{panel_members[0].pk}")
    page.check(f"input[name=members][value='user:{panel_members[1].pk}']")
    page.check(f"input[name=members][value='user:{panel_members[2].pk}']")
    submit(page, "Review panel appointed")

    open_action(page, "panel-meeting")
    fill_date(page, "panel_date", date(2022, 9, 1))
    submit(page, "Panel meeting recorded")

    open_action(page, "panel-report")
    fill_date(page, "report_date", date(2022, 9, 6))
    page.fill("#id_recommendations", "Review how calls are returned")
    submit(page, "Panel's report recorded")

    open_action(page, "panel-response")
    recommendation = case.stages.get(number=3).recommendations.get()
    fill_date(page, "response_date", date(2022, 9, 20))
    page.check(f"#id_finding_{points[0].pk}_1")
    page.check(f"#id_finding_{points[1].pk}_2")
    page.check(f"#id_recommendation_{recommendation.pk}_1")  # followed
    assert_accessible(page)
    submit(page, "Response to the review panel recorded: partly upheld")

    # Answering the last stage of the procedure closes the complaint (the services' rule); reopening is offered.
    case.refresh_from_db()
    assert case.status == "closed"
    assert case.closed_date == date(2022, 9, 20)
    assert "Closed" in page.inner_text("h1 + p")
    assert page.get_by_role("link", name="Reopen the complaint").is_visible()
    timeline = page.inner_text("#timeline ~ ol")
    assert timeline.index("Response to the review panel sent") < timeline.index("Complaint registered")
    assert_accessible(page)  # the closed case page
