"""The web import's job on the ``background`` task backend: queued when the confirmation commits, safe to run
twice, failing cleanly, closing its connections on the thread pool, and the rule that fails an import whose
process died."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.tasks import TaskResultStatus
from django.tasks.signals import task_enqueued
from django.urls import reverse
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case
from opencomplaints.interchange import runs
from opencomplaints.interchange.models import ImportRun
from opencomplaints.interchange.progress import WebProgress, web_progress
from opencomplaints.interchange.runs import (
    STALLED_AFTER,
    import_run_confirm,
    import_run_create,
    import_run_fail_stalled,
)
from opencomplaints.interchange.tasks import records_import_run
from opencomplaints.interchange.tests.conftest import HAND_BUILT, TODAY
from opencomplaints.jobs.tests.redis import reset_task_backends

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def ready_run(structured_council, complaints_manager):
    run = import_run_create(
        council=structured_council,
        acting_user=complaints_manager,
        filename="records.csv",
        data=HAND_BUILT.encode(),
        today=TODAY,
    )
    assert run.status == "ready"
    return run


@pytest.fixture
def running_run(ready_run, complaints_manager, django_capture_on_commit_callbacks):
    """A confirmed run whose job has not run yet (the commit's callbacks are held back)."""
    with django_capture_on_commit_callbacks(execute=False):
        return import_run_confirm(run=ready_run, acting_user=complaints_manager, today=TODAY)


def job(run, user):
    return records_import_run.call(run.pk, user.pk, TODAY.isoformat())


def test_confirming_queues_the_job_on_the_background_backend_once_committed(
    client, ready_run, complaints_manager, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    enqueued = []

    def receiver(sender, task_result, **kwargs):
        enqueued.append(task_result)

    task_enqueued.connect(receiver)
    client.force_login(complaints_manager)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(reverse("interchange:import-confirm", args=[ready_run.pk]))
        # The request returns with the run marked running and nothing queued until the commit.
        assert response.url == reverse("interchange:import-progress", args=[ready_run.pk])
        ready_run.refresh_from_db()
        assert ready_run.status == "running"
        assert enqueued == []
        assert not Case.objects.exists()
        for callback in callbacks:
            callback()
    finally:
        task_enqueued.disconnect(receiver)
    (result,) = enqueued
    assert (result.backend, result.task.name) == ("background", "records_import_run")
    assert result.args == [ready_run.pk, complaints_manager.pk, TODAY.isoformat()]
    assert result.status == TaskResultStatus.SUCCESSFUL
    ready_run.refresh_from_db()
    assert (ready_run.status, ready_run.created, ready_run.stored_file) == ("completed", 8, "")
    assert Case.objects.count() == 6
    assert web_progress(ready_run.pk) == (8, 8)
    status = client.get(reverse("interchange:import-status", args=[ready_run.pk])).json()
    assert (status["status"], status["percent"]) == ("completed", 100)


def test_the_job_run_twice_imports_once(running_run, complaints_manager):
    assert job(running_run, complaints_manager) == {"run": running_run.pk, "status": "completed"}
    cases = set(Case.objects.values_list("pk", "updated_at"))
    # A retry, or the same job queued twice: the run is no longer running, so it is left alone.
    assert job(running_run, complaints_manager) == {"run": running_run.pk, "status": "completed"}
    assert set(Case.objects.values_list("pk", "updated_at")) == cases
    assert AuditEvent.objects.filter(event_type=AuditEventType.IMPORT_COMPLETED).count() == 1


class Killed(BaseException):
    """Stands in for the process dying: no ``except Exception`` sees it, so nothing marks the run."""


def test_a_run_still_running_after_an_attempt_died_is_imported_by_the_next(
    running_run, complaints_manager, monkeypatch
):
    def killed(**kwargs):
        raise Killed

    # The first attempt dies after writing every case, inside the import's transaction: nothing of it is kept and
    # the run is still running, so the retry imports the file from the start, once.
    monkeypatch.setattr("opencomplaints.interchange.importer._record_run", killed)
    with pytest.raises(Killed):
        job(running_run, complaints_manager)
    running_run.refresh_from_db()
    assert running_run.status == "running"
    assert not Case.objects.exists()
    monkeypatch.undo()
    assert job(running_run, complaints_manager)["status"] == "completed"
    assert Case.objects.count() == 6
    assert AuditEvent.objects.filter(event_type=AuditEventType.IMPORT_COMPLETED).count() == 1


def test_an_import_that_raises_marks_the_run_failed_and_leaves_nothing(running_run, complaints_manager, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("The database went away")

    # Every case is written, then recording the run fails: the whole import is rolled back.
    monkeypatch.setattr("opencomplaints.interchange.importer._record_run", broken)
    stored = running_run.stored_file
    result = records_import_run.enqueue(running_run.pk, complaints_manager.pk, TODAY.isoformat())
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class is RuntimeError
    running_run.refresh_from_db()
    assert (running_run.status, running_run.failure_reason) == ("failed", runs.BROKE)
    assert running_run.finished_at is not None
    assert not Case.objects.exists()
    # The file holds personal data and the run is over: it is not kept.
    assert running_run.stored_file == ""
    assert not default_storage.exists(stored)
    # The backend's retry finds the run failed and leaves it alone.
    monkeypatch.undo()
    assert job(running_run, complaints_manager) == {"run": running_run.pk, "status": "failed"}
    assert not Case.objects.exists()


def test_a_failing_import_shows_why_on_the_page(client, running_run, complaints_manager, monkeypatch):
    monkeypatch.setattr("opencomplaints.interchange.runs.records_import", lambda **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        job(running_run, complaints_manager)
    client.force_login(complaints_manager)
    page = client.get(reverse("interchange:import-progress", args=[running_run.pk]), follow=True).content.decode()
    assert "The import did not finish" in page
    assert "The import stopped because of an unexpected error. Nothing has been imported." in page
    assert reverse("interchange:import-create") in page


def test_a_file_gone_before_the_job_started_fails_the_run(running_run, complaints_manager):
    default_storage.delete(running_run.stored_file)
    assert job(running_run, complaints_manager)["status"] == "failed"
    running_run.refresh_from_db()
    assert running_run.failure_reason == runs.FILE_LOST
    assert not Case.objects.exists()


def test_a_run_that_no_longer_exists_is_left_alone(complaints_manager):
    assert records_import_run.call(999_999, complaints_manager.pk, TODAY.isoformat()) == {
        "run": 999_999,
        "status": "missing",
    }


def test_a_queue_that_does_not_answer_fails_the_run_at_once(
    ready_run, complaints_manager, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, task, args, kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("django.tasks.backends.immediate.ImmediateBackend.enqueue", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        import_run_confirm(run=ready_run, acting_user=complaints_manager, today=TODAY)
    ready_run.refresh_from_db()
    assert (ready_run.status, ready_run.failure_reason) == ("failed", runs.NOT_QUEUED)


# -- an import whose process died --------------------------------------------------------------------------------


def test_a_running_import_is_stalled_once_silent_for_ten_minutes(running_run):
    now = timezone.now()
    WebProgress(running_run.pk)(2000, 8000)
    assert import_run_fail_stalled(run=running_run, now=now + STALLED_AFTER).status == "running"
    stored = running_run.stored_file
    stalled = import_run_fail_stalled(run=running_run, now=now + STALLED_AFTER + timedelta(seconds=5))
    assert stalled.status == "failed"
    assert stalled.failure_reason == runs.STALLED.format(minutes=10)
    assert stalled.stored_file == ""
    assert not default_storage.exists(stored)


def test_progress_written_keeps_a_long_import_alive(running_run):
    # Started an hour ago, still writing figures: it is running, however long it takes.
    started = timezone.now() - timedelta(hours=1)
    ImportRun.objects.filter(pk=running_run.pk).update(started_at=started, updated_at=started)
    running_run.refresh_from_db()
    WebProgress(running_run.pk)(50_000, 100_000)
    assert import_run_fail_stalled(run=running_run, now=timezone.now() + timedelta(minutes=9)).status == "running"


def test_without_figures_the_start_time_counts(running_run):
    # A cache in the memory of a web process that restarted has lost the figures along with the import.
    cache.clear()
    started = running_run.started_at
    assert import_run_fail_stalled(run=running_run, now=started + timedelta(minutes=9)).status == "running"
    assert import_run_fail_stalled(run=running_run, now=started + timedelta(minutes=11)).status == "failed"


def test_finished_runs_are_never_stalled(running_run, complaints_manager):
    job(running_run, complaints_manager)
    running_run.refresh_from_db()
    later = timezone.now() + timedelta(days=1)
    assert import_run_fail_stalled(run=running_run, now=later).status == "completed"
    assert import_run_fail_stalled(run=running_run, now=later).failure_reason == ""


def test_a_stalled_run_is_shown_failed_everywhere_and_its_late_job_does_nothing(
    client, running_run, complaints_manager
):
    started = timezone.now() - timedelta(minutes=30)
    ImportRun.objects.filter(pk=running_run.pk).update(started_at=started, updated_at=started)
    cache.clear()
    client.force_login(complaints_manager)
    status = client.get(reverse("interchange:import-status", args=[running_run.pk])).json()
    assert status["status"] == "failed"
    progress = client.get(reverse("interchange:import-progress", args=[running_run.pk]))
    assert progress.url == reverse("interchange:import-detail", args=[running_run.pk])
    detail = client.get(progress.url).content.decode()
    assert "The import did not finish" in detail
    assert "nothing was heard from it for 10 minutes" in detail
    history = client.get(reverse("interchange:import-list")).content.decode()
    assert "Not imported" in history
    assert "Importing" not in history
    # A queued job that starts after all (a worker back from an outage) finds the run failed and leaves it.
    assert job(running_run, complaints_manager)["status"] == "failed"
    assert not Case.objects.exists()


def test_the_history_fails_stalled_runs_it_lists(client, running_run, complaints_manager):
    started = timezone.now() - timedelta(minutes=30)
    ImportRun.objects.filter(pk=running_run.pk).update(started_at=started, updated_at=started)
    cache.clear()
    client.force_login(complaints_manager)
    assert "Not imported" in client.get(reverse("interchange:import-list")).content.decode()
    running_run.refresh_from_db()
    assert running_run.failure_reason == runs.STALLED.format(minutes=10)


# -- the thread pool used without Redis ----------------------------------------------------------------------------


@pytest.fixture
def thread_pool(settings):
    original = settings.TASKS
    settings.TASKS = {
        **original,
        "background": {
            "BACKEND": "django_tasks_local.ThreadPoolBackend",
            "QUEUES": ["long"],
            "OPTIONS": {"MAX_WORKERS": 1},
        },
    }
    reset_task_backends()
    yield
    settings.TASKS = original
    reset_task_backends()


@pytest.mark.django_db(transaction=True)
def test_on_the_thread_pool_the_request_returns_at_once_and_the_thread_closes_its_connections(
    thread_pool, ready_run, complaints_manager, monkeypatch
):
    import threading

    from django.db import connections

    closed_in = []
    close_all = connections.close_all

    def spy():
        closed_in.append(threading.current_thread().name)
        close_all()

    monkeypatch.setattr(connections, "close_all", spy)
    started = import_run_confirm(run=ready_run, acting_user=complaints_manager, today=TODAY)
    assert started.status in {"running", "completed"}
    # The pool has one thread, so this second job runs after the first; it finds the run imported.
    again = records_import_run.enqueue(ready_run.pk, complaints_manager.pk, TODAY.isoformat())
    deadline = time.monotonic() + 60
    while not again.is_finished and time.monotonic() < deadline:
        time.sleep(0.05)
        again.refresh()
    assert again.status == TaskResultStatus.SUCCESSFUL
    assert again.return_value == {"run": ready_run.pk, "status": "completed"}
    ready_run.refresh_from_db()
    assert (ready_run.status, ready_run.created) == ("completed", 8)
    assert len(closed_in) == 2
    assert all(name.startswith("ThreadPoolExecutor") for name in closed_in)


def test_on_the_immediate_backend_the_callers_connections_are_left_open(running_run, complaints_manager, monkeypatch):
    from django.db import connections

    calls = []
    monkeypatch.setattr(connections, "close_all", lambda: calls.append(1))
    job(running_run, complaints_manager)
    assert calls == []


def test_an_import_whose_process_has_ended_fails_at_once(running_run):
    import socket
    import subprocess
    import sys

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    ImportRun.objects.filter(pk=running_run.pk).update(worker=f"{socket.gethostname()}:{int(ended.stdout)}")
    running_run.refresh_from_db()
    failed = import_run_fail_stalled(run=running_run, now=timezone.now())
    assert (failed.status, failed.failure_reason, failed.stored_file) == ("failed", runs.DIED, "")


def test_an_import_running_in_a_live_process_or_elsewhere_is_left_running(running_run):
    import os
    import socket

    for worker in (f"{socket.gethostname()}:{os.getppid()}", "another-host:1", f"{socket.gethostname()}:{os.getpid()}"):
        ImportRun.objects.filter(pk=running_run.pk).update(worker=worker)
        running_run.refresh_from_db()
        assert import_run_fail_stalled(run=running_run, now=timezone.now()).status == "running"


def test_the_job_names_its_process(running_run, complaints_manager):
    import os
    import socket

    job(running_run, complaints_manager)
    running_run.refresh_from_db()
    assert running_run.worker == f"{socket.gethostname()}:{os.getpid()}"
