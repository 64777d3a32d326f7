"""The long-job check of ``scripts/production-smoke``: a report file (the annual report as a tagged PDF, made on
the ``long`` queue) whose worker is killed while it is being made must be made again by a fresh worker, once.

Run with the production settings; it talks to the orchestrating script over its standard streams:

1. asks for the file through the same service as the report page's button (as the demonstration's complaints
   manager), then waits for the worker to start making it (the file's row says "preparing") and prints
   ``RUNNING <report file id> <RQ job id>``;
2. the script kills the worker and its work horse (SIGKILL), starts a fresh one, and writes ``KILLED``;
3. checks the file is still not made, then waits for it, and checks that it was made exactly once: the row is ready
   with one stored PDF, no second row or file, and RQ ran the job again exactly once (one retry used) and holds it
   nowhere else (not started, failed or scheduled), and it stays that way. Prints ``OK …`` or ``FAILED …`` lines
   and exits 0 or 1.

It only reads RQ's registries without cleaning them (``cleanup=False``): finding the abandoned job is the
workers' work, which is what is being checked."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any


def say(line: str) -> None:
    print(line, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=240, help="Seconds to wait for the retried file.")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opencomplaints.config.settings.production")
    import django

    django.setup()

    import django_rq
    from django.core.files.storage import default_storage
    from django.utils import timezone
    from rq.job import Job, JobStatus
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

    from opencomplaints.accounts.models import User
    from opencomplaints.demo.builder import demo_councils
    from opencomplaints.reporting.models import ReportFile
    from opencomplaints.reporting.periods import reporting_year, reporting_year_of
    from opencomplaints.reporting.services.files import FILES_DIRECTORY, report_file_request

    queue = django_rq.get_queue("long")
    redis = queue.connection
    started_registry = StartedJobRegistry(queue=queue)
    manager = User.objects.get(username="manager")
    council = demo_councils()[0]
    period = reporting_year(reporting_year_of(timezone.localdate()) - 1)
    # The demonstration data has report files of its own (an integration's finished report job): only the files
    # stored after this request count.
    stored_before = set(_stored_files(default_storage, FILES_DIRECTORY))
    report_file = report_file_request(
        acting_user=manager,
        councils=[council],
        period=period,
        procedure="children_statutory",
        basis="received",
        file_format="pdf",
        now=timezone.now(),
    )
    asked = time.monotonic()

    def status() -> str:
        return str(ReportFile.objects.values_list("status", flat=True).get(pk=report_file.pk))

    while status() == ReportFile.Status.QUEUED:
        if time.monotonic() - asked > 120:
            say("FAILED the long worker did not start the report file within 2 minutes")
            return 1
        time.sleep(0.05)
    running = list(started_registry.get_job_ids(cleanup=False))
    if status() != ReportFile.Status.PREPARING or len(running) != 1:
        say(f"FAILED the report file was {status()} (jobs running: {len(running)}) before the worker was killed")
        return 1
    job_id = running[0]
    retries_at_start = Job.fetch(job_id, connection=redis).retries_left
    say(f"RUNNING {report_file.pk} {job_id}")
    if sys.stdin.readline().strip() != "KILLED":
        say("FAILED the script did not say the worker was killed")
        return 1
    killed = time.monotonic()
    if status() != ReportFile.Status.PREPARING:
        say(f"FAILED the report file was already {status()} when its worker was killed: nothing was interrupted")
        return 1
    say(f"OK the worker was killed {killed - asked:.1f} s after the file was asked for, while it was being made")

    while status() in (ReportFile.Status.QUEUED, ReportFile.Status.PREPARING):
        if time.monotonic() - killed > args.timeout:
            say(f"FAILED the report file was still {status()} {args.timeout:.0f} s after its worker was killed")
            return 1
        time.sleep(0.5)
    done = time.monotonic()
    report_file.refresh_from_db()
    problems: list[str] = []
    if report_file.status != ReportFile.Status.READY:
        problems.append(f"the report file ended {report_file.status}: {report_file.error_message}")
    else:
        say(f"OK the report file was made {done - killed:.1f} s after the kill ({report_file.size:,} bytes)")
    time.sleep(5)  # anything that would run it a third time has had its chance
    problems += _made_once(
        report_file=ReportFile.objects.get(pk=report_file.pk),
        rows=ReportFile.objects.filter(requested_by=manager, file_format="pdf").count(),
        stored=sorted(set(_stored_files(default_storage, FILES_DIRECTORY)) - stored_before),
        job=Job.fetch(job_id, connection=redis),
        retries_at_start=retries_at_start,
        elsewhere=[
            name
            for name, registry in (
                ("started", started_registry),
                ("failed", FailedJobRegistry(queue=queue)),
                ("scheduled", ScheduledJobRegistry(queue=queue)),  # type: ignore[no-untyped-call]
            )
            if job_id in registry.get_job_ids(cleanup=False)
        ]
        + (["queued"] if job_id in queue.get_job_ids() else []),
        finished=JobStatus.FINISHED,
    )
    for problem in problems:
        say(f"FAILED {problem}")
    if not problems:
        say("OK made exactly once: one ready PDF, one stored file, one retry, nothing left queued or running")
    return 1 if problems else 0


def _stored_files(storage: Any, directory: str) -> list[str]:
    try:
        _directories, names = storage.listdir(directory)
    except FileNotFoundError:
        return []
    return [f"{directory}/{name}" for name in names]


def _made_once(
    *,
    report_file: Any,
    rows: int,
    stored: list[str],
    job: Any,
    retries_at_start: int | None,
    elsewhere: list[str],
    finished: str,
) -> list[str]:
    problems = []
    if report_file.status != "ready":
        problems.append(f"the report file changed to {report_file.status} after it was ready")
    if rows != 1:
        problems.append(f"{rows} report files were made for the one request")
    if stored != [report_file.stored_file]:
        problems.append(f"the files stored since the request are {stored}, not just {report_file.stored_file!r}")
    else:
        with open(Path(os.environ["MEDIA_ROOT"]) / report_file.stored_file, "rb") as handle:
            if handle.read(5) != b"%PDF-":
                problems.append("the stored file is not a PDF")
    if job.get_status(refresh=True) != finished:
        problems.append(f"the RQ job is {job.get_status()}, not finished")
    if retries_at_start is None or job.retries_left != retries_at_start - 1:
        problems.append(f"the job had {retries_at_start} retries left before the kill and {job.retries_left} after")
    if elsewhere:
        problems.append(f"the job is still {', '.join(elsewhere)}")
    return problems


if __name__ == "__main__":
    raise SystemExit(main())
