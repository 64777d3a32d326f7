"""The Redis queue the production worker reads (RQ, through django-rq and django-tasks-rq).

django-tasks-rq creates each job without a retry policy, so a job that raised would be left failed. This queue
gives every job created without one ``OPENCOMPLAINTS["JOB_RETRY_SECONDS"]``: it is run again after each delay
before it is left failed. Every job is written to be safe to run again (see docs/adr/0004-background-jobs.md).
"""

from typing import Any

from django.conf import settings
from django_rq.queues import DjangoRQ
from rq.job import Job, Retry


class RetryingQueue(DjangoRQ):
    def create_job(self, *args: Any, **kwargs: Any) -> Job:
        if kwargs.get("retry") is None:
            delays: list[int] = settings.OPENCOMPLAINTS["JOB_RETRY_SECONDS"]
            if delays:
                kwargs["retry"] = Retry(max=len(delays), interval=delays)
        job: Job = super().create_job(*args, **kwargs)
        return job
