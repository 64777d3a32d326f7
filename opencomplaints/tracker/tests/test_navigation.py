"""The service navigation: every section, the current one marked by its address, and links to case pages."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from opencomplaints.web.context_processors import NAVIGATION, _active

pytestmark = pytest.mark.django_db


def navigation(response):
    return re.findall(r'<a class="govuk-service-navigation__link" href="([^"]+)"( aria-current="page")?', response.text)


def test_every_section_is_in_a_complaints_managers_navigation(client, complaints_manager):
    # A complaints manager may use every section; who sees which is tests/test_navigation_by_role.py.
    client.force_login(complaints_manager)
    hrefs = [href for href, _ in navigation(client.get(reverse("tracker:case-list")))]
    expected = []
    for section in NAVIGATION:
        try:
            expected.append(reverse(section.url_name))
        except NoReverseMatch:
            continue
    # Then the person's own account: two-factor sign-in (and the "Sign out" button).
    assert hrefs == [*expected, reverse("accounts:security")]
    assert '<a href="/" class="govuk-service-navigation__link">' in client.get(reverse("tracker:search")).text


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/", "/"),
        ("/my-cases/", "/my-cases/"),
        ("/search/", "/search/"),
        ("/learning-actions/", "/learning-actions/"),
        ("/ombudsman/", "/ombudsman/"),
        ("/deadlines/", "/deadlines/"),
        ("/reports/", None),
    ],
)
def test_the_current_section_is_the_longest_address_the_page_starts_with(path, section):
    hrefs = ["/", "/my-cases/", "/search/", "/learning-actions/", "/ombudsman/", "/deadlines/"]
    assert _active(path, hrefs) == section


def test_the_current_section_is_marked_for_assistive_technology(client, complaints_officer):
    client.force_login(complaints_officer)
    current = [href for href, marked in navigation(client.get(reverse("tracker:search"))) if marked]
    assert current == [reverse("tracker:search")]


def test_two_factor_sign_in_is_marked_on_its_own_page(client, complaints_officer):
    client.force_login(complaints_officer)
    security = reverse("accounts:security")
    links = navigation(client.get(security))
    assert [href for href, marked in links if marked] == [security]
    assert [href for href, marked in navigation(client.get(reverse("tracker:search"))) if href == security] == [
        security
    ]
