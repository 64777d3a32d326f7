import pytest

from opencomplaints.common import dispatch
from opencomplaints.interchange.runs import RECORDS_IMPORT_RUN
from opencomplaints.notifications.services import OUTBOX_SEND
from opencomplaints.reporting.services.files import REPORT_FILE_BUILD


def test_a_job_asked_for_by_name_is_queued_with_its_arguments(monkeypatch):
    monkeypatch.setattr(dispatch, "_jobs", {})
    queued: list[tuple[object, ...]] = []

    def job(*args: object) -> str:
        queued.append(args)
        return "result"

    dispatch.job_provide("test.job", job)
    assert dispatch.job_enqueue("test.job", 7, "2026-01-05") == "result"
    assert queued == [(7, "2026-01-05")]


def test_a_job_nobody_provided_is_an_error_not_dropped(monkeypatch):
    monkeypatch.setattr(dispatch, "_jobs", {})
    with pytest.raises(dispatch.JobNotProvided, match=r"test\.missing"):
        dispatch.job_enqueue("test.missing")


@pytest.mark.parametrize("name", [RECORDS_IMPORT_RUN, OUTBOX_SEND, REPORT_FILE_BUILD])
def test_the_task_modules_provide_the_jobs_their_services_ask_for(name):
    assert dispatch.job_provided(name)
