from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from opencomplaints.jobs.models import RunStatus, ScheduledRun
from opencomplaints.jobs.scheduler import LONDON, Schedule, latest_slot, scheduled_jobs_run
from opencomplaints.notifications.triggers import ScanResult

UTC = ZoneInfo("UTC")
DAILY = Schedule(name="daily", task_path="x", at=time(6, 0))
WEEKLY = Schedule(name="weekly", task_path="x", at=time(7, 0), weekday=0)


@pytest.mark.parametrize(
    ("now", "slot"),
    [
        # Before 06:00 London the latest slot is yesterday's.
        (datetime(2026, 3, 10, 5, 59, tzinfo=LONDON), datetime(2026, 3, 9, 6, 0, tzinfo=LONDON)),
        (datetime(2026, 3, 10, 6, 0, tzinfo=LONDON), datetime(2026, 3, 10, 6, 0, tzinfo=LONDON)),
        # British Summer Time: 05:30 UTC is 06:30 London.
        (datetime(2026, 6, 10, 5, 30, tzinfo=UTC), datetime(2026, 6, 10, 6, 0, tzinfo=LONDON)),
        # The night the clocks go forward (29 March 2026) 06:00 is still 06:00 London time.
        (datetime(2026, 3, 29, 5, 30, tzinfo=UTC), datetime(2026, 3, 29, 6, 0, tzinfo=LONDON)),
    ],
)
def test_daily_slot(now, slot):
    assert latest_slot(DAILY, now) == slot


@pytest.mark.parametrize(
    ("now", "slot"),
    [
        (datetime(2026, 3, 11, 12, 0, tzinfo=LONDON), datetime(2026, 3, 9, 7, 0, tzinfo=LONDON)),  # Wednesday
        (datetime(2026, 3, 9, 6, 59, tzinfo=LONDON), datetime(2026, 3, 2, 7, 0, tzinfo=LONDON)),  # Monday, too early
        (datetime(2026, 3, 9, 7, 0, tzinfo=LONDON), datetime(2026, 3, 9, 7, 0, tzinfo=LONDON)),
    ],
)
def test_weekly_slot(now, slot):
    assert latest_slot(WEEKLY, now) == slot


@pytest.mark.django_db
def test_each_slot_runs_once_however_often_the_scheduler_ticks():
    now = datetime(2026, 3, 10, 9, 0, tzinfo=LONDON)
    first = scheduled_jobs_run(now=now)
    assert sorted(run.name for run in first) == [
        "backup",
        "close-after-window",
        "deadline-scan",
        "export-files-expire",
        "report-files-expire",
        "retention",
        "weekly-digest",
    ]
    assert all(run.status == RunStatus.SUCCEEDED for run in first)
    assert scheduled_jobs_run(now=now + timedelta(minutes=5)) == []
    # The next morning, the daily jobs run again; the digest waits for Monday.
    assert sorted(run.name for run in scheduled_jobs_run(now=now + timedelta(days=1))) == [
        "backup",
        "close-after-window",
        "deadline-scan",
        "export-files-expire",
        "report-files-expire",
        "retention",
    ]
    assert ScheduledRun.objects.count() == 13


@pytest.mark.django_db
def test_the_scan_is_given_the_london_date_of_its_slot(monkeypatch):
    seen = []

    def scan(*, today):
        seen.append(today)
        return ScanResult(reminders=0, overdue_alerts=0)

    monkeypatch.setattr("opencomplaints.notifications.triggers.deadline_scan", scan)
    scheduled_jobs_run(now=datetime(2026, 6, 10, 5, 30, tzinfo=UTC))
    assert [d.isoformat() for d in seen] == ["2026-06-10"]


@pytest.mark.django_db
def test_a_job_that_failed_in_process_is_retried_after_its_delay(monkeypatch, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"JOB_RETRY_SECONDS": [60]}
    calls = []

    def scan(*, today):
        calls.append(today)
        if len(calls) == 1:
            raise RuntimeError("database restarting")
        return ScanResult(reminders=0, overdue_alerts=0)

    monkeypatch.setattr("opencomplaints.notifications.triggers.deadline_scan", scan)
    now = datetime(2026, 3, 10, 9, 0, tzinfo=LONDON)
    scheduled_jobs_run(now=now)
    run = ScheduledRun.objects.get(name="deadline-scan")
    assert (run.status, run.attempts) == (RunStatus.FAILED, 1)
    assert "database restarting" in run.last_error
    scheduled_jobs_run(now=now + timedelta(seconds=59))
    assert len(calls) == 1
    scheduled_jobs_run(now=now + timedelta(seconds=60))
    run.refresh_from_db()
    assert (run.status, run.attempts, len(calls)) == (RunStatus.SUCCEEDED, 2, 2)
    # No more retries after success, nor beyond the configured number.
    scheduled_jobs_run(now=now + timedelta(hours=1))
    assert len(calls) == 2


@pytest.mark.django_db
def test_run_scheduled_jobs_command(capsys):
    call_command("run-scheduled-jobs")
    assert "Started: close-after-window, deadline-scan, weekly-digest, retention, backup" in capsys.readouterr().out
    call_command("run-scheduled-jobs")
    assert "Nothing was due." in capsys.readouterr().out


@pytest.mark.django_db
def test_the_worker_runs_in_process_without_redis(capsys):
    call_command("worker", "--burst")
    assert "Started: close-after-window, deadline-scan, weekly-digest, retention, backup" in capsys.readouterr().out
    assert ScheduledRun.objects.filter(status=RunStatus.SUCCEEDED).count() == 7


@pytest.mark.django_db
def test_the_daily_scan_job_queues_reminders(council, complaints_manager, complaints_officer):
    from opencomplaints.cases.tests import factories as f
    from opencomplaints.notifications.models import Message
    from opencomplaints.notifications.tasks import deadline_scan

    f.accepted(council, complaints_manager, owner=complaints_officer)
    result = deadline_scan.enqueue("2022-06-08")
    assert result.return_value == {"reminders": 1, "overdue_alerts": 0}
    assert Message.objects.get().recipient == complaints_officer.email


def test_jobs_run_in_process_by_default():
    from opencomplaints.jobs.runner import uses_redis

    assert uses_redis() is False


@pytest.mark.django_db
def test_a_failed_jobs_error_keeps_no_personal_data(monkeypatch):
    def scan(*, today):
        raise RuntimeError("duplicate key: email=alex.morgan@example.com, postcode SW1A 1AA")

    monkeypatch.setattr("opencomplaints.notifications.triggers.deadline_scan", scan)
    scheduled_jobs_run(now=datetime(2026, 3, 10, 9, 0, tzinfo=LONDON))
    error = ScheduledRun.objects.get(name="deadline-scan").last_error
    assert "RuntimeError: duplicate key" in error
    assert "alex.morgan" not in error
    assert "SW1A" not in error
