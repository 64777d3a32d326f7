"""The schedule, at London times set in ``OPENCOMPLAINTS``: closing complaints whose request window has passed, the
daily deadline scan, the weekly digest, the daily backup, the daily retention job (personal data of cases past their
retention period, docs/adr/0006-retention.md) and deleting report files past their time.

``scheduled_jobs_run`` is what both the worker's scheduler loop and ``opencomplaints run-scheduled-jobs`` (for
cron) call. It enqueues each job whose latest due time has not yet been run, recording the run first under a
unique (job, time) constraint, so however many schedulers run, each slot fires once. A schedule that was missed
(the server was off at 06:00) fires on the next call, once, for the latest slot: the jobs themselves look at a
range of dates, so nothing is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus
from django.tasks.base import Task
from django.utils.module_loading import import_string

from opencomplaints.api.services.webhooks import webhooks_enabled
from opencomplaints.common.dates import LONDON
from opencomplaints.common.log_scrubbing import scrub
from opencomplaints.jobs.models import RunStatus, ScheduledRun

__all__ = ["LONDON", "Schedule", "latest_slot", "scheduled_jobs_run", "schedules"]

logger = logging.getLogger(__name__)

MAILBOX_POLL_TASK = "opencomplaints.correspondence.tasks.mailbox_poll_scheduled"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Schedule:
    """A job due every day at ``at`` (London time) or, with ``weekday`` (0 = Monday), every week."""

    name: str
    task_path: str
    at: time
    weekday: int | None = None
    # Instead of daily: every this many minutes (the shared mailbox).
    every_minutes: int | None = None


def _time(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


def _daily(name: str, task_path: str, at_setting: str) -> Schedule:
    """A job due every day at the London time the ``OPENCOMPLAINTS`` setting ``at_setting`` gives."""
    return Schedule(name=name, task_path=task_path, at=_time(settings.OPENCOMPLAINTS[at_setting]))


def _every(name: str, task_path: str, minutes: int) -> Schedule:
    return Schedule(name=name, task_path=task_path, at=time(0, 0), every_minutes=minutes)


def schedules() -> tuple[Schedule, ...]:
    config = settings.OPENCOMPLAINTS
    weekly_digest = Schedule(
        name="weekly-digest",
        task_path="opencomplaints.notifications.tasks.weekly_digest",
        at=_time(config["WEEKLY_DIGEST_AT"]),
        weekday=WEEKDAYS.index(config["WEEKLY_DIGEST_DAY"].strip().lower()),
    )
    # Webhooks (opencomplaints/api/tasks.py), while a subscription is enabled: deadlines due soon or passed, and
    # every minute the deliveries due again.
    webhooks = (
        _daily("webhook-deadlines", "opencomplaints.api.tasks.webhooks_deadlines", "DEADLINE_SCAN_AT"),
        _every("webhook-retry", "opencomplaints.api.tasks.webhooks_retry", 1),
    )
    # Email coming in: every IMAP_POLL_MINUTES while a shared mailbox is configured.
    poll = (
        (_every("mailbox-poll", MAILBOX_POLL_TASK, max(1, int(config["IMAP_POLL_MINUTES"]))),)
        if config["IMAP_HOST"]
        else ()
    )
    return (
        # First, so complaints whose request window has passed are closed before the scan and the digest count them.
        _daily("close-after-window", "opencomplaints.cases.tasks.complaints_close_after_window", "DEADLINE_SCAN_AT"),
        _daily("deadline-scan", "opencomplaints.notifications.tasks.deadline_scan", "DEADLINE_SCAN_AT"),
        weekly_digest,
        _daily("retention", "opencomplaints.retention.tasks.retention_anonymise", "RETENTION_RUN_AT"),
        # Database and documents into BACKUP_DIR, keeping the newest BACKUP_KEEP (nothing when BACKUP_DIR is unset).
        _daily("backup", "opencomplaints.backups.tasks.backup_scheduled", "BACKUP_AT"),
        # Beside the retention job: both delete what is no longer kept (report files after REPORT_FILE_DAYS).
        _daily("report-files-expire", "opencomplaints.reporting.tasks.report_files_expire", "RETENTION_RUN_AT"),
        _daily("export-files-expire", "opencomplaints.interchange.tasks.export_files_expire", "RETENTION_RUN_AT"),
        *(webhooks if webhooks_enabled() else ()),
        *poll,
    )


def latest_slot(schedule: Schedule, now: datetime) -> datetime:
    """The most recent London time at or before ``now`` when ``schedule`` was due (an aware datetime).

    Built from the London calendar date, so 06:00 stays 06:00 across the clock changes."""
    local = now.astimezone(LONDON)
    if schedule.every_minutes is not None:
        minutes = (local.hour * 60 + local.minute) // schedule.every_minutes * schedule.every_minutes
        return datetime.combine(local.date(), time(minutes // 60, minutes % 60), tzinfo=LONDON)
    day = local.date()
    if schedule.weekday is not None:
        day -= timedelta(days=(day.weekday() - schedule.weekday) % 7)
    slot = datetime.combine(day, schedule.at, tzinfo=LONDON)
    if slot > local:
        slot = datetime.combine(day - timedelta(days=7 if schedule.weekday is not None else 1), schedule.at, LONDON)
    return slot


def _retry_due(run: ScheduledRun, now: datetime, delays: Sequence[int]) -> bool:
    if run.status != RunStatus.FAILED or run.attempts > len(delays) or run.last_attempt_at is None:
        return False
    return now >= run.last_attempt_at + timedelta(seconds=delays[run.attempts - 1])


def _claim(schedule: Schedule, slot: datetime, now: datetime) -> ScheduledRun | None:
    """The run to start now for ``slot``: a new one, or one that failed in-process and whose retry time has come.
    ``None`` when another scheduler has it, or it has run."""
    delays: list[int] = settings.OPENCOMPLAINTS["JOB_RETRY_SECONDS"]
    try:
        with transaction.atomic():
            run, created = ScheduledRun.objects.select_for_update().get_or_create(name=schedule.name, slot=slot)
            if not created and not _retry_due(run, now, delays):
                return None
            run.attempts += 1
            run.last_attempt_at = now
            run.status = RunStatus.ENQUEUED
            run.save(update_fields=["attempts", "last_attempt_at", "status", "updated_at"])
            return run
    except IntegrityError:
        return None


def scheduled_jobs_run(*, now: datetime) -> list[ScheduledRun]:
    """Enqueue every scheduled job that is due at ``now`` and not yet run; returns the runs started."""
    started = []
    for schedule in schedules():
        slot = latest_slot(schedule, now)
        run = _claim(schedule, slot, now)
        if run is None:
            continue
        job: Task[..., object] = import_string(schedule.task_path)
        try:
            result = job.enqueue(slot.date().isoformat())
        except Exception as error:  # Redis unreachable: leave the slot to be tried again
            logger.exception("Could not enqueue %s", schedule.name)
            run.status, run.last_error = RunStatus.FAILED, scrub(f"{type(error).__name__}: {error}")
        else:
            run.result_id = result.id
            # The in-process backend has run the job already; with Redis the worker runs (and retries) it.
            if result.status == TaskResultStatus.SUCCESSFUL:
                run.status, run.last_error = RunStatus.SUCCEEDED, ""
            elif result.status == TaskResultStatus.FAILED:
                run.status = RunStatus.FAILED
                # Shown in the admin, where no case content may appear: a database error can quote a row's values.
                run.last_error = scrub(result.errors[-1].traceback[-2000:]) if result.errors else "Failed"
        run.save(update_fields=["status", "result_id", "last_error", "updated_at"])
        started.append(run)
    return started
