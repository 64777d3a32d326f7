"""The "forbidden" page every council-wide page shares (``cases.purposes.purpose_required``): one per purpose, saying
why and offering the person's own start page; it records nothing."""

import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "persona", "title", "start"),
    [
        ("reporting:report", "investigating_manager", "You cannot see reports", "/"),
        ("reporting:report-file-list", "independent_person", "You cannot see reports", "/"),
        ("interchange:import-list", "complaints_officer", "You cannot import or export records", "/"),
        ("interchange:records-export", "report_viewer", "You cannot import or export records", "/reports/"),
    ],
)
def test_a_role_without_the_purpose_is_told_why_and_where_to_go(client, request, url_name, persona, title, start):
    client.force_login(request.getfixturevalue(persona))
    before = AuditEvent.objects.count()
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert f"<title>{title} " in response.text
    assert f'<a class="govuk-link" href="{start}">Go to your start page</a>' in response.text
    assert AuditEvent.objects.count() == before
