"""The service navigation offers each persona exactly the sections they may use: every link shown opens (200), and
every section hidden would have been refused (403 or 404; the home page, which is the tracker, sends a role that
sees no case to a page of its own instead), asked of the pages themselves and checked against the authorisation
matrix. Both come from ``web.context_processors.NAVIGATION``, so a new section is covered as soon as it is added
there (and, as a new URL, to the matrix).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client, RequestFactory
from django.urls import Resolver404, resolve, reverse

from opencomplaints.cases.tests.access_world import World, world_fixture
from opencomplaints.web.context_processors import NAVIGATION, service
from tests.test_authorisation_matrix import ANONYMOUS, EXPECTED, ROLES

pytestmark = pytest.mark.django_db

world = pytest.fixture(scope="module")(world_fixture)

HOME = "/"
REFUSED = {403, 404}
# The address a section's own page lives at (the service name in the header links home for everyone).
SECTIONS = {reverse(section.url_name): section.url_name for section in NAVIGATION}
# Every signed-in person's own account link, beside "Sign out": not a section, and never hidden.
SECURITY = reverse("accounts:security")
# The page every signed-in person may open, so the one to read their navigation from.
EVERYONE = reverse("web:deadline-calculator")
# Where the home page sends the personas whose role sees no case.
LANDING = {"report_viewer": reverse("reporting:report"), "system_administrator": reverse("admin:index")}


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    return client


def _menu(html: str) -> list[str]:
    """Every link in the header's menu: the sections, then the account's own."""
    menu = re.search(r'<ul class="govuk-service-navigation__list" id="navigation">(.*?)</ul>', html, re.S)
    return re.findall(r'<a class="govuk-service-navigation__link" href="([^"]+)"', menu.group(1)) if menu else []


def _navigation(html: str) -> list[str]:
    """The sections in the header's menu."""
    return [href for href in _menu(html) if href != SECURITY]


def _page_links(html: str) -> set[str]:
    """The other pages the home page links to (not its own sorting, filters and counts)."""
    paths = {urlsplit(href).path for href in re.findall(r'<a [^>]*href="([^"#]+)"', html)}
    return {path for path in paths if path and path != HOME and path.startswith("/")}


@pytest.mark.parametrize("role", ROLES)
def test_each_persona_is_offered_exactly_the_sections_they_may_use(world, role, settings):
    settings.MEDIA_ROOT = world.media_root
    client = _client(world, role)
    page = client.get(EVERYONE, follow=True)
    shown = _navigation(page.text)
    assert len(shown) == len(set(shown)), shown
    assert set(shown) <= set(SECTIONS), "a link in the navigation is not one of NAVIGATION's sections"
    problems = []
    for href, name in SECTIONS.items():
        response = client.get(href)
        status = response.status_code
        declared = EXPECTED[name][role]["any"]
        if href in shown and (status != 200 or declared != 200):
            problems.append(f"{name} is shown but answers {status} (the matrix says {declared})")
        # Hidden from someone who may not use it: refused, or for the home page a redirect to their own landing.
        refused = REFUSED | ({302} if href == HOME else set())
        # A system administrator may follow the first import of an empty installation (and only the runs they
        # started) without the section being theirs: the import list answers them, the navigation does not offer it.
        first_import = role == "system_administrator" and name == "interchange:import-list"
        if (
            href not in shown
            and role != ANONYMOUS
            and not first_import
            and (status not in refused or declared not in refused)
        ):
            problems.append(f"{name} is hidden but answers {status} (the matrix says {declared})")
        if href == HOME and status == 302 and role != ANONYMOUS and response["Location"] != LANDING.get(role):
            problems.append(f"the home page sends {role} to {response['Location']}, not {LANDING.get(role)}")
        if role == ANONYMOUS and status != 302:
            problems.append(f"{name} answers {status} to someone not signed in, not a redirect to sign in")
    assert not problems, f"{role}:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", [role for role in ROLES if role != ANONYMOUS])
def test_every_page_the_home_page_links_to_opens(world, role, settings):
    settings.MEDIA_ROOT = world.media_root
    client = _client(world, role)
    home = client.get(HOME, follow=True)
    assert home.status_code == 200
    # The tracker for a role that sees cases; for one that sees none, the page of their own it sends them to.
    assert home.redirect_chain == ([(LANDING[role], 302)] if role in LANDING else [])
    problems = []
    for path in sorted(_page_links(home.text)):
        try:
            resolve(path)
        except Resolver404:
            continue  # static files and the like
        status = client.get(path).status_code
        if status != 200:
            problems.append(f"{path} answers {status}")
    assert not problems, f"{role}:\n" + "\n".join(problems)


def test_someone_not_signed_in_is_offered_no_section(client, db):
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert _navigation(page.text) == []
    assert 'class="govuk-service-navigation__service-name"' in page.text


def test_the_navigation_costs_one_query_and_only_when_shown(world, django_assert_num_queries):
    request = RequestFactory().get(HOME)
    request.user = world.users["report_viewer"]
    with django_assert_num_queries(0):
        context = service(request)
    with django_assert_num_queries(1):
        first = [item["text"] for item in context["navigation"]]
    with django_assert_num_queries(0):
        again = [item["text"] for item in service(request)["navigation"]]
    # A report viewer sees no case: no case lists, only the calendar and the reports.
    assert first == again == ["Deadline calculator", "Reports", "Complaint Handling Code"]


@pytest.mark.parametrize("role", [role for role in ROLES if role != ANONYMOUS])
def test_every_signed_in_persona_has_two_factor_sign_in_and_sign_out(world, role):
    page = _client(world, role).get(EVERYONE)
    assert _menu(page.text)[-1] == SECURITY
    assert re.search(rf'href="{SECURITY}"[^>]*>\s*Two-factor sign-in\s*</a>', page.text)
    assert f'action="{reverse("accounts:logout")}"' in page.text
