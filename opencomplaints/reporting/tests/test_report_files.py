"""Report files: asked for from the report page, made by a background job, downloaded by the person who asked
while they may still see reports for its councils, and deleted by the daily job."""

import io
import os
import re
import zipfile
from datetime import date, timedelta
from urllib.parse import urlencode

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.tasks import task_backends
from django.urls import reverse
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.common import dispatch
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import CouncilMembership, Role
from opencomplaints.councils.tests.factories import CouncilMembershipFactory
from opencomplaints.jobs.scheduler import scheduled_jobs_run
from opencomplaints.reporting import tasks
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.models import ReportFile
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.renderers import render
from opencomplaints.reporting.report import build_report
from opencomplaints.reporting.selectors import report_inputs
from opencomplaints.reporting.services import files
from opencomplaints.reporting.tests.builder import CaseBuilder, S
from opencomplaints.reporting.tests.files import ready_report_file

pytestmark = pytest.mark.django_db

QUERY = {"council": "exampleton", "year": "2023", "procedure": "children_statutory", "basis": "received"}
DUMMY = {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["long"]}


@pytest.fixture
def data(council):
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 4, 3), date(2023, 4, 14), "upheld"), teams=(("Fostering", "Children in Care"),))
    b.complaint(S(1, date(2023, 10, 3)))
    b.other("query", date(2023, 7, 1), topic="Schools")
    b.flush()


@pytest.fixture
def queued(settings):
    """Jobs on the ``background`` backend are kept, not run: the test runs them when it chooses."""
    settings.TASKS = {**settings.TASKS, "background": DUMMY}
    return task_backends["background"]


def ask(client, fmt="json", query=None):
    return client.post(reverse("reporting:report-file-request"), {"query": urlencode(query or QUERY), "format": fmt})


def only_file() -> ReportFile:
    return ReportFile.objects.get()


def stored_names() -> list[str]:
    try:
        return sorted(default_storage.listdir(files.FILES_DIRECTORY)[1])
    except FileNotFoundError:
        return []


def download(client, report_file):
    return client.get(reverse("reporting:report-file-download", args=[report_file.pk]))


# -- asking, making, downloading ----------------------------------------------------------------------------------


def test_asked_for_made_and_downloaded_as_the_report_renders_it(
    client, council, complaints_manager, data, django_capture_on_commit_callbacks
):
    client.force_login(complaints_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "json")
    report_file = only_file()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report-file-detail", args=[report_file.pk])
    assert report_file.status == ReportFile.Status.READY
    assert report_file.requested_by == complaints_manager
    assert list(report_file.councils.all()) == [council]
    assert (report_file.period_start, report_file.period_end) == (date(2023, 4, 1), date(2024, 3, 31))
    assert report_file.query == urlencode(QUERY)

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"Your file is ready" in page.content
    assert reverse("reporting:report-file-download", args=[report_file.pk]).encode() in page.content

    got = download(client, report_file)
    assert got.status_code == 200
    assert got["Content-Type"] == "application/json"
    assert got["Content-Disposition"] == 'attachment; filename="complaints-report-borough-of-exampleton-2023-24.json"'
    inputs = report_inputs(councils=[council], period=reporting_year(2023), procedure="children_statutory")
    direct = render(build_report(inputs, generated_on=timezone.localdate(), basis=Basis.RECEIVED), "json")
    assert b"".join(got.streaming_content) == direct
    assert report_file.size == len(direct)

    asked = AuditEvent.objects.get(event_type=AuditEventType.REPORT_GENERATED)
    assert asked.acting_user == complaints_manager
    assert asked.after == {
        "councils": ["exampleton"],
        "format": "json",
        "query": urlencode(QUERY),
        "report_file": report_file.pk,
    }
    downloaded = AuditEvent.objects.get(event_type=AuditEventType.REPORT_FILE_DOWNLOADED)
    assert downloaded.acting_user == complaints_manager
    assert (downloaded.subject_type, downloaded.subject_id) == ("reporting.reportfile", str(report_file.pk))
    assert downloaded.after["file_name"] == "complaints-report-borough-of-exampleton-2023-24.json"


@pytest.mark.parametrize(("fmt", "magic"), [("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_every_format_is_made_by_the_report_renderers(council, complaints_manager, data, fmt, magic):
    report_file = ready_report_file(complaints_manager, [council], file_format=fmt, year=2023)
    with default_storage.open(report_file.stored_file, "rb") as handle:
        content = handle.read()
    assert content.startswith(magic)
    assert report_file.file_name == f"complaints-report-borough-of-exampleton-2023-24.{fmt}"
    assert report_file.stored_file.startswith(f"{files.FILES_DIRECTORY}/")
    if fmt == "docx":
        paragraphs = docx.Document(io.BytesIO(content)).paragraphs
        headings = [p.text for p in paragraphs if p.style is not None and p.style.name == "Heading 1"]
        assert "1. Summary" in headings
    if fmt == "xlsx":
        assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(content)).namelist()


def test_preparing_then_ready_with_and_without_javascript(
    client, complaints_manager, data, queued, django_capture_on_commit_callbacks
):
    client.force_login(complaints_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "xlsx")
    report_file = only_file()
    assert report_file.status == ReportFile.Status.QUEUED
    # The job is given the row's id alone (tasks take JSON): it reads the rest from the row.
    [result] = queued.results
    assert (result.task.name, result.args, result.task.backend) == ("report_file_build", [report_file.pk], "background")

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Preparing your file" in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html  # without JavaScript
    assert "reporting/report_file_progress.js" in html  # with it
    status_url = reverse("reporting:report-file-status", args=[report_file.pk])
    assert f'data-status-url="{status_url}"' in html
    assert client.get(status_url).json() == {"status": "queued", "in_progress": True}
    # Not ready: the download goes to the file's page.
    assert download(client, report_file)["Location"] == response["Location"]

    outcome = tasks.report_file_build.call(report_file.pk)
    assert outcome == {"report_file": report_file.pk, "status": "ready"}
    assert client.get(status_url).json() == {"status": "ready", "in_progress": False}
    page = client.get(response["Location"]).content.decode()
    assert "Your file is ready" in page
    assert "<noscript>" not in page
    assert download(client, report_file).status_code == 200


def test_a_second_press_while_it_is_made_gives_the_same_file_and_there_is_a_limit(
    client, complaints_manager, data, queued
):
    client.force_login(complaints_manager)
    first = ask(client, "docx")
    assert ask(client, "docx")["Location"] == first["Location"]
    assert ReportFile.objects.count() == 1
    for year in range(2019, 2023):
        ask(client, "docx", {**QUERY, "year": str(year)})
    assert ReportFile.objects.count() == files.MAX_IN_PROGRESS
    refused = ask(client, "pdf")
    assert refused.status_code == 302
    assert refused["Location"] == f"{reverse('reporting:report')}?{urlencode(QUERY)}"
    assert ReportFile.objects.count() == files.MAX_IN_PROGRESS
    page = client.get(refused["Location"]).content.decode()
    assert "You already have 5 report files being prepared" in page


def test_the_request_is_refused_for_a_report_not_theirs(client, other_council_officer, council, data, queued):
    client.force_login(other_council_officer)
    response = ask(client, "json")
    # Their report page, which says the choice is not theirs to make; nothing is asked for.
    assert response["Location"].startswith(reverse("reporting:report"))
    assert not ReportFile.objects.exists()
    with pytest.raises(DomainError, match="You cannot see reports for Borough of Exampleton"):
        files.report_file_request(
            acting_user=other_council_officer,
            councils=[council],
            period=reporting_year(2023),
            procedure="children_statutory",
            basis=Basis.RECEIVED,
            file_format="json",
            now=timezone.now(),
        )


def test_a_format_that_is_not_offered_is_refused(client, complaints_manager, council):
    client.force_login(complaints_manager)
    assert ask(client, "html").status_code == 404
    with pytest.raises(DomainError, match="Choose the format of the file"):
        files.report_file_request(
            acting_user=complaints_manager,
            councils=[council],
            period=reporting_year(2023),
            procedure="children_statutory",
            basis=Basis.RECEIVED,
            file_format="html",
            now=timezone.now(),
        )
    assert not ReportFile.objects.exists()


def test_asking_needs_a_post(client, complaints_manager):
    client.force_login(complaints_manager)
    assert client.get(reverse("reporting:report-file-request")).status_code == 405


def test_the_expiry_follows_the_setting(complaints_manager, council, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"REPORT_FILE_DAYS": 2}
    now = timezone.now()
    report_file = files.report_file_request(
        acting_user=complaints_manager,
        councils=[council],
        period=reporting_year(2023),
        procedure="children_statutory",
        basis=Basis.RECEIVED,
        file_format="json",
        now=now,
    )
    assert report_file.expires_at == now + timedelta(days=2)


# -- who may see a file -----------------------------------------------------------------------------------------


def _urls(report_file):
    return [
        reverse(f"reporting:report-file-{name}", args=[report_file.pk]) for name in ("detail", "status", "download")
    ]


def test_only_the_person_who_asked_may_see_or_download_it(
    client, council, complaints_manager, report_viewer, other_council_officer, data
):
    report_file = ready_report_file(complaints_manager, [council])
    for someone in (report_viewer, other_council_officer):  # reports for the council, or for another
        client.force_login(someone)
        assert [client.get(url).status_code for url in _urls(report_file)] == [404, 404, 404]
        listing = client.get(reverse("reporting:report-file-list")).content.decode()
        assert reverse("reporting:report-file-detail", args=[report_file.pk]) not in listing
    client.force_login(complaints_manager)
    assert [client.get(url).status_code for url in _urls(report_file)] == [200, 200, 200]
    assert (
        reverse("reporting:report-file-detail", args=[report_file.pk])
        in client.get(reverse("reporting:report-file-list")).content.decode()
    )
    assert AuditEvent.objects.filter(event_type=AuditEventType.REPORT_FILE_DOWNLOADED).count() == 1


def test_a_person_who_loses_the_reports_role_loses_their_files(client, council, complaints_manager, data):
    report_file = ready_report_file(complaints_manager, [council])
    CouncilMembership.objects.filter(user=complaints_manager).update(role=Role.INVESTIGATING_OFFICER)
    client.force_login(complaints_manager)
    assert [client.get(url).status_code for url in _urls(report_file)] == [404, 404, 404]
    assert client.get(reverse("reporting:report-file-list")).status_code == 403
    assert not AuditEvent.objects.filter(event_type=AuditEventType.REPORT_FILE_DOWNLOADED).exists()


def test_a_combined_report_needs_every_one_of_its_councils(client, council, other_council, complaints_manager, data):
    CouncilMembershipFactory.create(council=other_council, user=complaints_manager, role=Role.REPORT_VIEWER)
    combined = ready_report_file(complaints_manager, [council, other_council])
    own = ready_report_file(complaints_manager, [council])
    assert combined.council_names == "Borough of Exampleton, Northby District Council"
    client.force_login(complaints_manager)
    assert client.get(_urls(combined)[0]).status_code == 200
    CouncilMembership.objects.filter(user=complaints_manager, council=other_council).delete()
    assert [client.get(url).status_code for url in _urls(combined)] == [404, 404, 404]
    assert [client.get(url).status_code for url in _urls(own)] == [200, 200, 200]
    listing = client.get(reverse("reporting:report-file-list")).content.decode()
    assert reverse("reporting:report-file-detail", args=[own.pk]) in listing
    assert reverse("reporting:report-file-detail", args=[combined.pk]) not in listing


def test_no_file_is_made_for_someone_who_lost_the_role_before_the_job_ran(client, complaints_manager, data, queued):
    client.force_login(complaints_manager)
    ask(client, "json")
    CouncilMembership.objects.filter(user=complaints_manager).update(role=Role.PANEL_MEMBER)
    tasks.report_file_build.call(only_file().pk)
    report_file = only_file()
    assert report_file.status == ReportFile.Status.FAILED
    assert report_file.error_message == (
        "The file was not made because you can no longer see reports for Borough of Exampleton"
    )
    assert stored_names() == []


# -- failures, retries, stalls ------------------------------------------------------------------------------------


def test_a_failure_is_recorded_shown_and_can_be_asked_for_again(
    client, complaints_manager, data, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(report, fmt):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(files, "render", broken)
    client.force_login(complaints_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "xlsx")
    failed = only_file()
    assert failed.status == ReportFile.Status.FAILED
    assert failed.error_message == files.BROKE
    assert failed.finished_at is not None
    assert stored_names() == []

    html = client.get(response["Location"]).content.decode()
    assert "Your file could not be made" in html
    assert files.BROKE in html
    again = re.search(r'<form method="post" action="([^"]+)" novalidate>(.*?)</form>', html, re.DOTALL)
    assert again is not None
    assert again.group(1) == reverse("reporting:report-file-request")
    assert 'name="csrfmiddlewaretoken"' in again.group(2)
    assert 'name="format" value="xlsx"' in again.group(2)
    assert "Ask for the file again" in again.group(2)
    assert download(client, failed)["Location"] == response["Location"]

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        retried = ask(client, "xlsx")
    assert retried["Location"] != response["Location"]
    assert ReportFile.objects.get(pk=failed.pk).status == ReportFile.Status.FAILED
    assert ReportFile.objects.exclude(pk=failed.pk).get().status == ReportFile.Status.READY


def test_running_the_job_again_changes_nothing(complaints_manager, council, data, monkeypatch):
    made = ready_report_file(complaints_manager, [council])
    rendered = []

    def counting(report, fmt):
        rendered.append(fmt)
        return b"{}"

    monkeypatch.setattr(files, "render", counting)
    assert tasks.report_file_build.call(made.pk) == {"report_file": made.pk, "status": "ready"}
    again = ReportFile.objects.get(pk=made.pk)
    assert (again.stored_file, again.finished_at, again.size) == (made.stored_file, made.finished_at, made.size)
    assert rendered == []  # a ready file is not made again
    assert stored_names() == [made.stored_file.rpartition("/")[2]]


def test_a_job_run_again_after_it_raised_leaves_the_failure_for_the_person(
    complaints_manager, council, data, monkeypatch, queued
):
    report_file = files.report_file_request(
        acting_user=complaints_manager,
        councils=[council],
        period=reporting_year(2023),
        procedure="children_statutory",
        basis=Basis.RECEIVED,
        file_format="json",
        now=timezone.now(),
    )
    calls = []

    def broken(report, fmt):
        calls.append(fmt)
        raise RuntimeError("out of memory")

    monkeypatch.setattr(files, "render", broken)
    # The error reaches the task backend (RQ records it and runs the job again later).
    with pytest.raises(RuntimeError, match="out of memory"):
        files.report_file_build(report_file_id=report_file.pk)
    assert tasks.report_file_build.call(report_file.pk)["status"] == "failed"
    assert calls == ["json"]


def test_a_job_that_finishes_second_keeps_nothing(complaints_manager, council, data, monkeypatch):
    first = ready_report_file(complaints_manager, [council])
    # A second run of the job that claimed the file while the first was still making it.
    claimed = ReportFile.objects.get(pk=first.pk)
    claimed.status = ReportFile.Status.PREPARING
    monkeypatch.setattr(files, "_claim", lambda report_file_id: claimed)
    second = files.report_file_build(report_file_id=first.pk)
    assert second is not None
    assert (second.status, second.stored_file, second.finished_at) == ("ready", first.stored_file, first.finished_at)
    assert stored_names() == [first.stored_file.rpartition("/")[2]]


def test_a_file_that_never_finished_is_failed_when_looked_at(client, complaints_manager, data, queued):
    client.force_login(complaints_manager)
    response = ask(client, "json")
    report_file = only_file()
    assert b"Preparing your file" in client.get(response["Location"]).content
    ReportFile.objects.filter(pk=report_file.pk).update(
        updated_at=timezone.now() - files.STALLED_AFTER - timedelta(minutes=1)
    )
    html = client.get(response["Location"]).content.decode()
    assert "Your file could not be made" in html
    assert files.STALLED in html
    # A job that starts after all finds it failed and makes nothing.
    assert tasks.report_file_build.call(report_file.pk)["status"] == "failed"


def test_a_queue_that_does_not_answer_fails_the_file_at_once(
    client, complaints_manager, data, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args):
        raise ConnectionError("Redis is not answering")

    monkeypatch.setitem(dispatch._jobs, files.REPORT_FILE_BUILD, down)
    client.force_login(complaints_manager)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "json")
    assert (only_file().status, only_file().error_message) == (ReportFile.Status.FAILED, files.NOT_QUEUED)


# -- the daily clean-up -------------------------------------------------------------------------------------------


def test_the_daily_job_deletes_files_whose_time_is_up(client, council, complaints_manager, data):
    old = ready_report_file(complaints_manager, [council])
    new = ready_report_file(complaints_manager, [council], file_format="xlsx")
    ReportFile.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    summary = files.report_files_expire(now=timezone.now())
    assert (summary.expired, summary.stalled, summary.orphans) == (1, 0, 0)
    old.refresh_from_db()
    assert (old.status, old.stored_file) == (ReportFile.Status.EXPIRED, "")
    assert stored_names() == [new.stored_file.rpartition("/")[2]]
    assert files.report_files_expire(now=timezone.now()).expired == 0  # once

    client.force_login(complaints_manager)
    html = client.get(reverse("reporting:report-file-detail", args=[old.pk])).content.decode()
    assert "Your file has been deleted" in html
    assert "Ask for the file again" in html
    assert download(client, old).status_code == 302
    assert "Deleted" in client.get(reverse("reporting:report-file-list")).content.decode()


def test_the_daily_job_fails_stalled_files_and_removes_files_no_row_names(complaints_manager, council):
    stalled = files.report_file_request(
        acting_user=complaints_manager,
        councils=[council],
        period=reporting_year(2023),
        procedure="children_statutory",
        basis=Basis.RECEIVED,
        file_format="pdf",
        now=timezone.now(),
    )
    ReportFile.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    left = default_storage.save(f"{files.FILES_DIRECTORY}/left-behind.pdf", ContentFile(b"%PDF"))
    an_hour_ago = (timezone.now() - timedelta(hours=1)).timestamp()
    os.utime(default_storage.path(left), (an_hour_ago, an_hour_ago))
    just_stored = default_storage.save(f"{files.FILES_DIRECTORY}/being-finished.pdf", ContentFile(b"%PDF"))
    summary = files.report_files_expire(now=timezone.now())
    assert (summary.expired, summary.stalled, summary.orphans) == (0, 1, 1)
    assert ReportFile.objects.get(pk=stalled.pk).status == ReportFile.Status.FAILED
    assert stored_names() == [just_stored.rpartition("/")[2]]


def test_the_clean_up_is_scheduled_daily(complaints_manager, council, data):
    made = ready_report_file(complaints_manager, [council])
    ReportFile.objects.filter(pk=made.pk).update(expires_at=timezone.now() - timedelta(days=1))
    runs = scheduled_jobs_run(now=timezone.now())
    assert "report-files-expire" in [run.name for run in runs]
    assert ReportFile.objects.get(pk=made.pk).status == ReportFile.Status.EXPIRED
    assert tasks.report_files_expire.call("2026-01-05") == {"expired": 0, "stalled": 0, "orphans": 0}


# -- the database keeps the rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"status": "ready", "stored_file": ""},  # ready, with nothing to download
        {"status": "failed"},  # failed, without saying why
        {"status": "expired"},  # deleted, yet naming a file
        {"status": "lost"},
        {"file_format": "html"},
        {"period_end": date(2020, 1, 1)},
    ],
)
def test_the_database_refuses_a_row_that_breaks_the_rules(complaints_manager, council, data, change):
    made = ready_report_file(complaints_manager, [council])
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFile.objects.filter(pk=made.pk).update(**change)


# -- the pages ----------------------------------------------------------------------------------------------------


def test_the_report_page_offers_each_format_as_a_button_that_posts(client, complaints_manager, data):
    client.force_login(complaints_manager)
    html = client.get(reverse("reporting:report"), QUERY).content.decode()
    forms = re.findall(r'<form method="post" action="([^"]+)" novalidate>(.*?)</form>', html, re.DOTALL)
    assert [action for action, _ in forms] == [reverse("reporting:report-file-request")] * 4
    query = urlencode(QUERY).replace("&", "&amp;")
    for (_, body), fmt in zip(forms, ("docx", "pdf", "xlsx", "json"), strict=True):
        assert 'name="csrfmiddlewaretoken"' in body
        assert f'<input type="hidden" name="query" value="{query}">' in body
        assert f'<input type="hidden" name="format" value="{fmt}">' in body
        assert re.search(r'<button type="submit" class="govuk-button govuk-button--secondary"', body)
    assert '<span class="govuk-visually-hidden">Download this report: </span>PDF</button>' in html
    assert "format=" not in html  # no download link of the old kind
    assert reverse("reporting:report-file-list") in html


def test_the_list_of_files_is_a_govuk_table(client, council, complaints_manager, data):
    client.force_login(complaints_manager)
    assert b"You have not asked for any report files yet" in client.get(reverse("reporting:report-file-list")).content
    made = ready_report_file(complaints_manager, [council], year=2023)
    html = client.get(reverse("reporting:report-file-list")).content.decode()
    assert '<table class="govuk-table">' in html
    assert '<caption class="govuk-table__caption govuk-table__caption--m">' in html
    assert html.count('<th scope="col" class="govuk-table__header">') == 5
    assert "Borough of Exampleton: 2023/24" in html
    assert '<strong class="govuk-tag govuk-tag--green">Ready</strong>' in html
    assert timezone.localtime(made.expires_at).strftime("%-d %b %Y") in html


def test_the_pages_need_a_signed_in_user(client, council, complaints_manager, data):
    made = ready_report_file(complaints_manager, [council])
    for url in [reverse("reporting:report-file-list"), reverse("reporting:report-file-request"), *_urls(made)]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
