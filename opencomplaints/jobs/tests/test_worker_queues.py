"""Which queues `opencomplaints worker` works: every RQ task backend's, the default backend's first."""

import pytest
from django.core.management.base import CommandError

from opencomplaints.jobs.management.commands.worker import Command

RQ = "django_tasks_rq.RQBackend"


@pytest.fixture
def production_tasks(settings):
    settings.TASKS = {
        "background": {"BACKEND": RQ, "QUEUES": ["long"]},
        "default": {"BACKEND": RQ, "QUEUES": ["default"]},
    }


def test_every_queue_is_worked_and_messages_come_first(production_tasks):
    assert Command()._queues(None) == ["default", "long"]


def test_one_queue_can_be_chosen(production_tasks):
    assert Command()._queues(["long"]) == ["long"]


def test_an_unknown_queue_is_refused_with_the_names_of_the_real_ones(production_tasks):
    with pytest.raises(CommandError, match="No task backend uses the queue reports: the queues are default, long"):
        Command()._queues(["reports"])


def test_backends_that_run_in_process_have_no_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "background": {"BACKEND": "django_tasks_local.ThreadPoolBackend", "QUEUES": ["long"]},
    }
    assert Command()._queues(None) == []
