"""The point-by-point pages: points of complaint added, changed and removed at stage 1, the stage 1 response given
point by point with the outcome derived (or another with a reason), and the council's response to a stage 2
recommendation with its follow-up (issue 15, item 4)."""

from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Recommendation, Stage
from opencomplaints.cases.services import complaint_point_add
from opencomplaints.cases.tests import factories as f
from opencomplaints.casework.tests.test_actions import assert_done, assert_refused, day, text, url

pytestmark = pytest.mark.django_db


def test_stage_1_answered_point_by_point_through_the_pages(officer_client, stage1, issue):
    case = stage1.case
    page = text(officer_client.get(url("case-detail", case)))
    assert url("complaint-point-add", case) in page

    add = url("complaint-point-add", case)
    assert "What is the complainant unhappy about?" in text(officer_client.get(add))
    assert_refused(officer_client.post(add, {"description": " "}), "Enter the point of complaint")
    for words in ("Calls were not returned", "The visit was cancelled", "A typo"):
        data = {"description": words, "issue": issue.pk if words.startswith("Calls") else ""}
        assert_done(officer_client, officer_client.post(add, data), case, "added")
    one, two, three = case.points.order_by("number")
    assert one.issue == issue

    change = url("complaint-point-change", case, two)
    assert "The visit was cancelled" in text(officer_client.get(change))
    data = {"description": "The visit on 1 June was cancelled", "issue": ""}
    assert_done(officer_client, officer_client.post(change, data), case, "Point 2 changed")
    remove = url("complaint-point-remove", case, three)
    assert_done(officer_client, officer_client.post(remove, {}), case, "Point 3 removed")
    assert case.points.count() == 2

    respond = url("stage-respond", case, stage1)
    form = text(officer_client.get(respond))
    assert "Findings and response on each point" in form
    assert "How was the response sent?" in form
    base = {
        **day("response_date", date(2022, 6, 8)),
        f"finding_{one.pk}": c.Finding.UPHELD,
        f"finding_{two.pk}": c.Finding.NOT_UPHELD,
        f"response_{one.pk}": "We are sorry that your calls were not returned.",
        "response_sent_via": c.ResponseSentVia.POST,
    }
    missing = {k: v for k, v in base.items() if k != f"finding_{two.pk}"}
    assert_refused(officer_client.post(respond, missing), "Select the finding on point 2")
    other = {**base, "outcome": c.Outcome.UPHELD}
    assert_refused(officer_client.post(respond, other), "give partly upheld, not upheld")
    done = officer_client.post(respond, base)
    assert_done(officer_client, done, case, "Stage 1 response recorded: partly upheld")

    stage1.refresh_from_db()
    # Posted on Wednesday 8 June 2022: taken to arrive on Friday 10 June (R1.29).
    assert stage1.response_received_date == date(2022, 6, 10)
    page = text(officer_client.get(url("case-detail", case)))
    assert "We are sorry that your calls were not returned." in page
    assert "taken to arrive 10 June 2022" in page
    assert url("complaint-point-change", case, one) not in page


def test_another_outcome_with_a_reason_is_kept(officer_client, stage1):
    case = stage1.case
    add = url("complaint-point-add", case)
    assert_done(officer_client, officer_client.post(add, {"description": "No reply to emails"}), case, "added")
    point = case.points.get()
    data = {
        **day("response_date", date(2022, 6, 8)),
        f"finding_{point.pk}": c.Finding.UPHELD,
        "outcome": c.Outcome.RESOLVED_INFORMALLY,
        "outcome_reason": "Settled on the telephone with the complainant.",
    }
    response = officer_client.post(url("stage-respond", case, stage1), data)
    assert_done(officer_client, response, case, "resolved informally")
    page = text(officer_client.get(url("case-detail", case)))
    assert "Not the outcome the findings give: Settled on the telephone" in page


def test_the_council_responds_to_a_stage_2_recommendation(officer_client, stage3):
    case = stage3.case
    stage2 = case.stages.get(number=2)
    rec = Recommendation.objects.create(stage=stage2, number=1, text="Return calls within a working day")
    page = text(officer_client.get(url("case-detail", case)))
    target = url("recommendation-respond", case, rec)
    assert target in page

    assert_refused(officer_client.post(target, {"accepted": "no"}), "explain why")
    data = {
        "accepted": "yes",
        "follow_up_action": "Remind the team at the next meeting",
        **day("follow_up_due_date", date(2022, 9, 1)),
    }
    assert_done(officer_client, officer_client.post(target, data), case, "Response to recommendation 1 recorded")
    page = text(officer_client.get(url("case-detail", case)))
    assert "Remind the team at the next meeting, by 1 September 2022" in page
    done = url("recommendation-done", case, rec)
    assert done in page
    response = officer_client.post(done, day("done_date", date(2022, 8, 30)))
    assert_done(officer_client, response, case, "Follow-up of recommendation 1 recorded as done")
    rec.refresh_from_db()
    assert rec.follow_up_done_date == date(2022, 8, 30)


def test_another_cases_point_is_not_found(officer_client, stage1, council, complaints_manager):
    other = f.accepted(council, complaints_manager)
    point = complaint_point_add(case=other, acting_user=complaints_manager, description="Elsewhere")
    response = officer_client.get(url("complaint-point-change", stage1.case, point))
    assert response.status_code == 404


def test_the_earlier_case_is_changed_and_warned_about(officer_client, complaint, stage3):
    earlier = stage3.case
    Stage.objects.filter(pk=stage3.pk).update(response_date=date(2022, 10, 10), outcome=c.Outcome.NOT_UPHELD)
    change = url("case-linked-change", complaint)
    assert change in text(officer_client.get(url("case-detail", complaint)))
    assert_refused(officer_client.post(change, {"linked_reference": "NOPE-1"}), "There is no case NOPE-1")
    response = officer_client.post(change, {"linked_reference": earlier.reference})
    assert_done(officer_client, response, complaint, "Earlier case changed")
    page = text(officer_client.get(url("case-detail", complaint)))
    assert "which this complaint follows, was considered at every stage" in page


def test_people_pickers_offer_only_the_right_roles(officer_client, stage2, complaints_officer, independent_person):
    # Issue 15, item 6: an independent person is not on the council's staff (R1.3); the officer is not offered.
    page = text(officer_client.get(url("stage2-appoint", stage2.case, stage2)))
    independent = page.split('name="independent_person"')[1].split("</select>")[0]
    assert f'value="user:{independent_person.pk}"' in independent
    assert f'value="user:{complaints_officer.pk}"' not in independent
    officer = page.split('name="investigating_officer"')[1].split("</select>")[0]
    assert f'value="user:{independent_person.pk}"' not in officer
