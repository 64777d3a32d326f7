from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opencomplaints.jobs.runner import schedule_loop, schedule_tick, uses_redis

if TYPE_CHECKING:
    from rq import Worker


class Command(BaseCommand):
    help = (
        "Run the background jobs: the schedule (daily deadline scan, weekly digest, outbox retries) and, when "
        "REDIS_URL is set, the Redis queue worker. Without Redis, jobs run in this process."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--burst", action="store_true", help="Run what is due and queued now, then stop.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between scheduler ticks.")
        parser.add_argument("--no-scheduler", action="store_true", help="Only work the queue (another process ticks).")
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            metavar="NAME",
            help="Work only this queue (repeat for several): e.g. one worker for 'default' (messages and scheduled "
            "jobs) and another for 'long' (imports and report files). Default: every queue, 'default' first.",
        )
        parser.add_argument(
            "--simple",
            action="store_true",
            help="Run each job in the worker's own process instead of a forked one (for tests and debugging).",
        )

    def _report(self, started: list[str]) -> None:
        if started:
            self.stdout.write(f"Started: {', '.join(started)}")

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = not options["no_scheduler"]
        if not uses_redis():
            self._in_process(burst=options["burst"], interval=options["interval"], scheduler=scheduler)
            return
        self._redis(options, scheduler=scheduler)

    def _in_process(self, *, burst: bool, interval: float, scheduler: bool) -> None:
        if not scheduler:
            self.stdout.write("Jobs run in-process (REDIS_URL is not set): there is no queue to work.")
            return
        if burst:
            self._report(schedule_tick())
            return
        self.stdout.write(f"Running the schedule in-process every {interval:g} seconds (Ctrl+C to stop).")
        stop = threading.Event()

        def _stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        try:
            schedule_loop(stop, interval=interval, on_tick=self._report)
        except KeyboardInterrupt:
            stop.set()

    def _redis(self, options: dict[str, Any], *, scheduler: bool) -> None:
        from django_rq.utils import reset_db_connections

        if scheduler:
            if options["burst"]:
                self._report(schedule_tick())
            else:
                stop = threading.Event()
                thread = threading.Thread(
                    target=schedule_loop,
                    args=(stop,),
                    kwargs={"interval": options["interval"], "on_tick": self._report},
                    name="opencomplaints-scheduler",
                    daemon=True,
                )
                thread.start()
        worker = self._worker(self._queues(options["queues"]), simple=options["simple"])
        # A forked job must not share the parent's database connection.
        reset_db_connections()
        # The worker's own scheduler moves retried jobs back onto the queue when their delay is over.
        worker.work(burst=options["burst"], with_scheduler=True)

    def _worker(self, queues: list[str], *, simple: bool) -> Worker:
        """The RQ worker for ``queues``, looking for abandoned jobs every ``JOB_ABANDONED_CHECK_SECONDS``.

        A job whose worker was killed (or whose machine went away) stays in its queue's started registry until a
        worker cleans the registries and finds its heartbeat (90 seconds) lapsed; then RQ retries it, or fails it
        once its retries are used up, and the job, safe to run again, starts afresh. RQ cleans every 10 minutes,
        and an idle worker looks only between its waits for a job (405 seconds), so a report file whose worker
        died would stay "Preparing" for up to a quarter of an hour. Cleaning every ``JOB_ABANDONED_CHECK_SECONDS``
        (30) and waiting at most that long for a job retries it about two minutes after the kill
        (``scripts/production-smoke`` kills a worker in the middle of a report file and checks it)."""
        import django_rq

        check: int = settings.OPENCOMPLAINTS["JOB_ABANDONED_CHECK_SECONDS"]
        worker: Worker = django_rq.get_worker(
            *queues,
            job_class="django_tasks_rq.Job",
            worker_class="rq.SimpleWorker" if simple else None,
            maintenance_interval=check,
            # RQ waits for a job for worker_ttl - 15 seconds at a time and renews the worker's heartbeat between
            # waits, so the heartbeat /health/ready reads stays far fresher than its 7 minutes.
            worker_ttl=check + 15,
        )
        return worker

    def _queues(self, chosen: list[str] | None) -> list[str]:
        """The queues to work, in priority order: those of every RQ task backend, the default backend's first, so
        that while both have work, messages go before a long import."""
        names: list[str] = []
        tasks: dict[str, dict[str, Any]] = getattr(settings, "TASKS", {})
        for alias in ("default", *sorted(tasks)):
            config = tasks.get(alias, {})
            if config.get("BACKEND") == "django_tasks_rq.RQBackend":
                names += [name for name in config.get("QUEUES", ["default"]) if name not in names]
        if not chosen:
            return names
        unknown = ", ".join(sorted(set(chosen) - set(names)))
        if unknown:
            raise CommandError(f"No task backend uses the queue {unknown}: the queues are {', '.join(names)}")
        return [name for name in names if name in chosen]
