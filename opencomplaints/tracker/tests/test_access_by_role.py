"""Who may use the case lists (``CouncilPurpose.CASES``, ``LEARNING`` and ``OMBUDSMAN`` in ``cases.access``): the
others get the "forbidden" page, which records and changes nothing, and the home page sends a role that sees no case
to a page of its own. The whole grid of roles and URLs is ``tests/test_authorisation_matrix.py``."""

import pytest
from django.urls import reverse

from opencomplaints.accounts.tests.personas import member
from opencomplaints.accounts.tests.two_factor import confirmed_device, current_code
from opencomplaints.audit.models import AuditEvent
from opencomplaints.councils.models import Role
from opencomplaints.tracker.tests.conftest import complaint

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"  # the user factory's

HOME = reverse("tracker:case-list")
CASE_LISTS = [
    reverse("tracker:my-cases"),
    reverse("tracker:search") + "?q=Smith",
    reverse("tracker:case-export"),
]
LEARNING = reverse("tracker:learning-action-list")
OMBUDSMAN = reverse("tracker:ombudsman-list")


@pytest.fixture
def administrator(council):
    """A system administrator who is not staff: no case, no report and no admin site."""
    return member(council, "admin.ash", "Ash", "Thornbury", Role.SYSTEM_ADMINISTRATOR)


def _refused(response, title):
    assert response.status_code == 403
    assert f"<title>{title} " in response.text
    assert f'<h1 class="govuk-heading-l">{title}</h1>' in response.text
    assert "ask your complaints manager" in response.text


@pytest.mark.parametrize("url", CASE_LISTS)
@pytest.mark.parametrize("persona", ["report_viewer", "administrator", "system_administrator"])
def test_a_role_that_sees_no_case_is_refused_the_case_lists(client, council, complaints_officer, request, persona, url):
    complaint(council, complaints_officer, name=("Alex", "Smith"))
    before = AuditEvent.objects.count()
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    _refused(response, "You cannot see cases")
    assert "Smith" not in response.text
    # Nothing was searched or exported, so nothing is on the trail.
    assert AuditEvent.objects.count() == before


def test_the_refusal_offers_the_persons_own_start_page(client, report_viewer):
    client.force_login(report_viewer)
    response = client.get(reverse("tracker:search"))
    assert f'<a class="govuk-link" href="{reverse("reporting:report")}">Go to your start page</a>' in response.text
    # The navigation offers only what opens: the calendar and the reports.
    assert f'href="{reverse("tracker:search")}"' not in response.text


@pytest.mark.parametrize("persona", ["investigating_officer", "independent_person", "report_viewer"])
def test_learning_actions_are_refused_to_roles_without_them(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    _refused(client.get(LEARNING), "You cannot see learning actions")


@pytest.mark.parametrize("persona", ["adjudicator", "investigating_officer", "report_viewer"])
def test_ombudsman_cases_are_refused_to_roles_that_never_see_one(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    _refused(client.get(OMBUDSMAN), "You cannot see Ombudsman cases")


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("investigating_manager", {LEARNING, OMBUDSMAN}),
        ("adjudicator", {LEARNING}),
        ("investigating_officer", set()),
    ],
)
def test_roles_that_see_cases_have_the_case_lists(client, request, persona, allowed):
    client.force_login(request.getfixturevalue(persona))
    for url in [HOME, *CASE_LISTS]:
        assert client.get(url).status_code == 200, url
    for url in (LEARNING, OMBUDSMAN):
        assert client.get(url).status_code == (200 if url in allowed else 403), url


def test_the_home_page_sends_a_report_viewer_to_the_reports(client, report_viewer):
    client.force_login(report_viewer)
    response = client.get(HOME, follow=True)
    assert response.redirect_chain == [(reverse("reporting:report"), 302)]
    assert response.status_code == 200


def test_the_home_page_sends_a_superuser_with_no_role_to_the_admin_site(client, system_administrator):
    client.force_login(system_administrator)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_the_home_page_sends_someone_with_nothing_else_to_the_deadline_calculator(client, administrator):
    client.force_login(administrator)
    response = client.get(HOME, follow=True)
    assert response.redirect_chain == [(reverse("web:deadline-calculator"), 302)]
    assert response.status_code == 200
    # Their navigation is that page and their own account; the service name still links home.
    assert 'href="/reports/"' not in response.text
    assert f'href="{reverse("accounts:security")}"' in response.text


def test_signing_in_lands_a_report_viewer_on_the_reports(client, report_viewer):
    device = confirmed_device(report_viewer)
    signed_in = client.post(reverse("accounts:login"), {"username": report_viewer.username, "password": PASSWORD})
    response = client.post(signed_in["Location"], {"code": current_code(device)}, follow=True)
    assert [url for url, _ in response.redirect_chain] == [HOME, reverse("reporting:report")]
    assert response.status_code == 200


def test_someone_not_signed_in_is_sent_to_sign_in_not_refused(client):
    for url in [HOME, *CASE_LISTS, LEARNING, OMBUDSMAN]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
