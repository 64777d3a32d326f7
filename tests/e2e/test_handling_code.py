"""The Complaint Handling Code in the browser: the self-assessment and the Ombudsman's letter reconciled, with axe
reporting no WCAG 2.2 AA violation on either page or on a provision's answer."""

from datetime import date

import pytest
from django.utils import timezone

from opencomplaints.handlingcode import selectors, services
from opencomplaints.handlingcode.metrics import measure_all
from opencomplaints.handlingcode.reconciliation import LetterCase, LetterData
from opencomplaints.reporting.periods import reporting_year
from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR = 2024
QUERY = f"?council=exampleton&year={YEAR}"


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], "; ".join(f"{v['id']}: {v['help']}" for v in violations)


@pytest.fixture
def assessed(council, complaints_manager):
    data = selectors.code_data(councils=[council], period=reporting_year(YEAR))
    services.self_assessment_start(
        council=council,
        year=YEAR,
        code="lgsco",
        measures=measure_all(data.inputs),
        acting_user=complaints_manager,
        now=timezone.now(),
    )
    letter = LetterData(
        summary={"decided": 1, "upheld": 0},
        cases=(LetterCase(lgsco_reference="24 000 001", decision="not_upheld", decision_date=date(2024, 6, 3)),),
    )
    services.ombudsman_letter_save(
        council=council, year=YEAR, data=letter, acting_user=complaints_manager, now=timezone.now()
    )


def test_the_self_assessment_and_the_reconciliation_pages_are_accessible(page, complaints_manager, assessed):
    sign_in(page, complaints_manager)
    page.goto(f"/complaint-handling-code/{QUERY}")
    page.wait_for_selector("text=Self-assessment against the Complaint Handling Code")
    assert "Draft" in page.inner_text("main")
    assert_accessible(page)

    page.get_by_role("link", name="Answer provision 1.2").click()
    page.wait_for_selector("text=Does the council comply?")
    assert_accessible(page)
    page.get_by_label("Compliant", exact=True).check()
    page.get_by_label("Commentary").fill("The policy uses the Code's definition.")
    page.get_by_role("button", name="Save the answer").click()
    page.wait_for_selector("text=Provision 1.2 has been answered.")
    assert "The policy uses the Code's definition." in page.inner_text("main")

    page.goto(f"/complaint-handling-code/ombudsman-letter/{QUERY}")
    page.wait_for_selector("text=Differences from the council's records (1)")
    assert "A decision the council never recorded" in page.inner_text("main")
    assert_accessible(page)
