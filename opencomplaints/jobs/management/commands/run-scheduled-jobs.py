from typing import Any

from django.core.management.base import BaseCommand

from opencomplaints.jobs.runner import schedule_tick


class Command(BaseCommand):
    help = (
        "Enqueue the scheduled jobs that are due (daily deadline scan, weekly digest) and send the outbox. For cron, "
        "every few minutes, where `opencomplaints worker` does not run the schedule: each job runs once per slot."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = schedule_tick()
        self.stdout.write(f"Started: {', '.join(started)}" if started else "Nothing was due.")
