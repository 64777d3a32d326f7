"""Point by point in the browser (issue 15, item 4): the pages to add a point, answer stage 1 point by point, set
the earlier case and respond to a recommendation, each with no axe-core violations (WCAG 2.2 AA)."""

from datetime import date

import pytest

from opencomplaints.cases.models import Recommendation
from opencomplaints.cases.services import complaint_point_add
from opencomplaints.cases.tests import factories as f
from tests.e2e.test_casework import assert_accessible, fill_date, sign_in, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_stage_1_answered_point_by_point(page, council, complaints_manager):
    case = f.accepted(council, complaints_manager)
    complaint_point_add(case=case, acting_user=complaints_manager, description="Calls were not returned")
    sign_in(page, complaints_manager)

    page.goto(f"/cases/{case.pk}/")
    page.locator(f"a[href='/cases/{case.pk}/points/new/']").first.click()
    page.wait_for_selector("h1")
    assert_accessible(page)
    page.fill("#id_description", "The assessment was late")
    submit(page, "Point 2 added")
    assert_accessible(page)

    page.locator("a[href*='/respond/']").first.click()
    page.wait_for_selector("h1")
    assert_accessible(page)
    fill_date(page, "response_date", date(2022, 6, 8))
    for point in case.points.order_by("number"):
        page.check(f"input[name='finding_{point.pk}'][value='upheld']")
    page.fill(f"#id_response_{case.points.get(number=1).pk}", "We are sorry that your calls were not returned.")
    page.check("input[name='response_sent_via'][value='post']")
    submit(page, "Stage 1 response recorded: upheld")
    assert "We are sorry that your calls were not returned." in page.inner_text("#points")
    assert_accessible(page)

    page.goto(f"/cases/{case.pk}/details/earlier-case/")
    assert_accessible(page)


def test_responding_to_a_recommendation(
    page, council, complaints_manager, investigating_officer, independent_person, adjudicator
):
    stage3 = f.at_stage3(
        council,
        complaints_manager,
        investigating_officer=investigating_officer,
        independent_person=independent_person,
        adjudicator=adjudicator,
    )
    rec = Recommendation.objects.create(stage=stage3.case.stages.get(number=2), number=1, text="Apologise in writing")
    sign_in(page, complaints_manager)
    page.goto(f"/cases/{stage3.case.pk}/recommendations/{rec.pk}/response/")
    assert_accessible(page)
    page.check("input[name='accepted'][value='yes']")
    page.fill("#id_follow_up_action", "The team manager writes to the family")
    submit(page, "Response to recommendation 1 recorded")
    assert_accessible(page)
