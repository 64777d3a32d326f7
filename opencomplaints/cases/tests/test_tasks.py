"""The daily closing job: JSON arguments, the clock read only at the edge, and run by the scheduler with the London
date of its slot."""

from datetime import date, datetime

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases.services import stage_respond
from opencomplaints.cases.tasks import complaints_close_after_window
from opencomplaints.cases.tests import factories as f
from opencomplaints.jobs.models import RunStatus, ScheduledRun
from opencomplaints.jobs.scheduler import LONDON, scheduled_jobs_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(complaint, complaints_manager):
    """Stage 1 answered on Friday 10 June 2022: the window for stage 2 ends on Friday 8 July."""
    stage_respond(
        stage=f.stage(complaint, 1),
        acting_user=complaints_manager,
        response_date=date(2022, 6, 10),
        outcome=c.Outcome.PARTLY_UPHELD,
    )
    return complaint


def test_the_job_takes_an_iso_date(answered):
    assert complaints_close_after_window.enqueue("2022-07-08").return_value == {"closed": 0}
    assert complaints_close_after_window.enqueue("2022-07-09").return_value == {"closed": 1}
    answered.refresh_from_db()
    assert answered.closed_date == date(2022, 7, 8)


def test_without_a_date_the_job_uses_todays_london_date(answered, monkeypatch):
    monkeypatch.setattr("opencomplaints.cases.tasks.timezone.localdate", lambda: date(2022, 7, 11))
    assert complaints_close_after_window.enqueue().return_value == {"closed": 1}


def test_the_scheduler_runs_it_daily_with_its_slots_date(answered):
    # At 06:30 on Monday 11 July 2022 that morning's 06:00 slot is due.
    scheduled_jobs_run(now=datetime(2022, 7, 11, 6, 30, tzinfo=LONDON))

    run = ScheduledRun.objects.get(name="close-after-window")
    assert (run.status, run.slot) == (RunStatus.SUCCEEDED, datetime(2022, 7, 11, 6, 0, tzinfo=LONDON))
    answered.refresh_from_db()
    assert (answered.status, answered.closed_date) == (c.CaseStatus.CLOSED, date(2022, 7, 8))
