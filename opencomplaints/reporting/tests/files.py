"""Report files for tests elsewhere (the authorisation matrix): asked for and made as the page and the job do."""

from collections.abc import Sequence

from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.councils.models import Council
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.models import ReportFile
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.services import report_file_build, report_file_request


def ready_report_file(
    user: User, councils: Sequence[Council], *, file_format: str = "json", year: int = 2022, reuse: bool = False
) -> ReportFile:
    """A file of the ``year`` report on ``councils`` that ``user`` asked for, made and ready to download (with
    ``reuse``, the first such file of theirs if there is one). The job is run here: inside a test's transaction
    nothing is queued on commit."""
    if reuse:
        existing = ReportFile.objects.filter(requested_by=user, status=ReportFile.Status.READY).first()
        if existing is not None:
            return existing
    report_file = report_file_request(
        acting_user=user,
        councils=councils,
        period=reporting_year(year),
        procedure="children_statutory",
        basis=Basis.RECEIVED,
        file_format=file_format,
        query=f"council={councils[0].slug}&year={year}&procedure=children_statutory&basis=received",
        now=timezone.now(),
    )
    made = report_file_build(report_file_id=report_file.pk)
    assert made is not None
    assert made.status == ReportFile.Status.READY, made.error_message
    return made
