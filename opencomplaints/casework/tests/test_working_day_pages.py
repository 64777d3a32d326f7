"""The working day's pages: a save from a stale page, notes and contacts, and the Change link of every detail."""

import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.services import ChildInput, PersonInput, case_note_add
from opencomplaints.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


def page_url(case):
    return reverse("casework:case-detail", args=[case.pk])


def version_on(response):
    found = re.search(r'name="version" value="(\d+)"', response.content.decode())
    assert found is not None
    return int(found.group(1))


def support_post(version, **extra):
    data = {"mediation": c.Mediation.NONE, "advocacy_offered": "yes", "advocacy_provided": "yes",
            "advocate_name": "", "advocate_organisation": "", "version": version, **extra}  # fmt: skip
    return data


def test_two_people_saving_the_mediation_form_the_second_is_told_and_loses_nothing(
    client, complaints_officer, complaints_manager, council
):
    case = f.accepted(council, complaints_officer)
    url = reverse("casework:case-support", args=[case.pk])
    client.force_login(complaints_officer)
    first = version_on(client.get(url))
    client.force_login(complaints_manager)
    second = version_on(client.get(url))
    assert first == second

    client.force_login(complaints_officer)
    saved = client.post(url, support_post(first, advocate_name="Ann Advocate"))
    assert saved.status_code == 302, re.findall(r"govuk-error-summary__list.*?</ul>", text(saved), re.S)
    client.force_login(complaints_manager)
    stale = client.post(url, support_post(second, advocate_organisation="Voices for Children"))

    assert stale.status_code == 400
    page = text(stale)
    assert "Someone else changed this case since you opened the page" in page
    assert "What changed since you opened the page" in page
    assert "Mediation and advocacy recorded" in page
    assert 'value="Voices for Children"' in page  # nothing typed is lost
    case.refresh_from_db()
    assert case.advocate_name == "Ann Advocate"
    assert case.advocate_organisation == ""
    # Having seen the change, saving again succeeds: the page now carries the current version.
    again = client.post(url, support_post(version_on(stale), advocate_organisation="Voices for Children"))
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.advocate_organisation == "Voices for Children"


def test_a_stale_stage_action_is_refused_too(client, complaints_officer, council):
    case = f.accepted(council, complaints_officer)
    stage = case.stages.get()
    client.force_login(complaints_officer)
    url = reverse("casework:stage-acknowledge", args=[case.pk, stage.pk])
    opened = version_on(client.get(url))
    client.post(
        reverse("casework:case-summary-change", args=[case.pk]), {"summary": "Changed meanwhile", "version": opened}
    )
    response = client.post(url, {"acknowledged_date": "", "version": opened})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.stages.get().acknowledged_date is None


def test_a_call_is_logged_and_shown_on_the_timeline(client, complaints_officer, council):
    case = f.register(council, complaints_officer)
    client.force_login(complaints_officer)
    response = client.post(
        reverse("casework:case-note-add", args=[case.pk]),
        {"kind": "call", "occurred_on_0": "12", "occurred_on_1": "5", "occurred_on_2": "2022",
         "occurred_time": "10:30", "with_whom": "Mrs Jones", "direction": "in",
         "summary": "Asked when the visit will be", "version": case.version},
    )  # fmt: skip
    assert response.status_code == 302
    note = case.notes.get()
    assert note.occurred_at.astimezone(UTC) == datetime(2022, 5, 12, 9, 30, tzinfo=UTC)  # 10:30 in London (BST)
    page = text(client.get(page_url(case)))
    assert "Phone call, incoming with Mrs Jones" in page
    assert "Asked when the visit will be" in page
    assert reverse("casework:case-note-change", args=[case.pk, note.pk]) in page


def test_a_bad_time_is_refused_and_the_note_kept(client, complaints_officer, council):
    case = f.register(council, complaints_officer)
    client.force_login(complaints_officer)
    response = client.post(
        reverse("casework:case-note-add", args=[case.pk]),
        {"kind": "note", "occurred_on_0": "12", "occurred_on_1": "5", "occurred_on_2": "2022",
         "occurred_time": "25:99", "summary": "Keep these words"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Enter the time as hours and minutes" in text(response)
    assert "Keep these words" in text(response)
    assert not case.notes.exists()


def test_someone_elses_restricted_note_is_not_found(client, complaints_manager, complaints_officer, council):
    from opencomplaints.accounts.tests.personas import member
    from opencomplaints.councils.models import Role

    colleague = member(council, "colleague", "Sam", "Reed", Role.COMPLAINTS_OFFICER)
    case = f.register(council, complaints_officer)
    note = case_note_add(case=case, acting_user=complaints_manager, kind="note", summary="Private words",
                         occurred_at=datetime(2022, 5, 12, tzinfo=UTC), restricted=True)  # fmt: skip
    client.force_login(colleague)
    assert "Private words" not in text(client.get(page_url(case)))
    assert client.get(reverse("casework:case-note-change", args=[case.pk, note.pk])).status_code == 404


def test_every_change_link_answers_with_a_pre_filled_form(client, complaints_manager, council):
    child = ChildInput(person=PersonInput(first_name="Amy", last_name="Lee", date_of_birth=date(2012, 1, 1)))
    case = f.register(
        council, complaints_manager, children=[child], summary="About the visit",
        complainants=[f.complainant(first_name="Jhon", last_name="Smith", email="jhon@example.com")],
    )  # fmt: skip
    client.force_login(complaints_manager)
    page = client.get(page_url(case)).content.decode()
    links = set(re.findall(r'href="([^"]+)">Change<span class="govuk-visually-hidden">', page))
    assert len(links) >= 8
    for link in links:
        response = client.get(unescape(link))
        assert response.status_code == 200, link
        assert 'name="version"' in response.content.decode()
    name_form = text(
        client.get(reverse("casework:complainant-name-change", args=[case.pk, case.complainants.get().pk]))
    )
    assert 'value="Jhon"' in name_form


def test_a_mistyped_name_is_corrected_through_the_page(client, complaints_officer, council):
    case = f.register(council, complaints_officer, complainants=[f.complainant(first_name="Jhon", last_name="Smith")])
    complainant = case.complainants.get()
    client.force_login(complaints_officer)
    url = reverse("casework:complainant-name-change", args=[case.pk, complainant.pk])
    response = client.post(url, {"first_name": "John", "last_name": "Smith", "version": version_on(client.get(url))})
    assert response.status_code == 302
    assert "John Smith" in text(client.get(page_url(case)))
    assert AuditEvent.objects.filter(event_type=AuditEventType.COMPLAINANT_DETAILS_CHANGED, case=case).count() == 1


def test_correcting_the_date_received_works_the_due_dates_out_again(client, complaints_officer, council):
    case = f.accepted(council, complaints_officer, received_date=date(2022, 5, 3))
    due = case.next_due_date
    client.force_login(complaints_officer)
    url = reverse("casework:case-received-date-change", args=[case.pk])
    response = client.post(
        url,
        {"received_date_0": "10", "received_date_1": "5", "received_date_2": "2022",
         "reason": "Typed the wrong day", "version": version_on(client.get(url))},
    )  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.received_date == date(2022, 5, 10)
    assert case.next_due_date is not None
    assert due is not None
    assert case.next_due_date > due


@pytest.mark.parametrize("notes", [1, 12])
def test_the_case_page_reads_notes_in_a_fixed_number_of_queries(
    client, complaints_officer, council, notes, django_assert_num_queries
):
    from opencomplaints.casework.tests.test_case_detail import CASE_PAGE_QUERIES

    case = f.register(council, complaints_officer)
    for n in range(notes):
        case_note_add(case=case, acting_user=complaints_officer, kind="call", summary=f"Call {n}",
                      occurred_at=datetime(2022, 5, 12, tzinfo=UTC))  # fmt: skip
    client.force_login(complaints_officer)
    client.get(page_url(case))
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        assert client.get(page_url(case)).status_code == 200
