"""Registering a complaint, another representation or an Ombudsman case."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from opencomplaints.audit.models import AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case
from opencomplaints.cases.services import ChildInput, PersonInput
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.tests.factories import CouncilMembershipFactory

pytestmark = pytest.mark.django_db

REGISTER = reverse("casework:complaint-register")


def day(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def text(response):
    return unescape(response.content.decode())


def management(prefix, total, minimum=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": str(minimum),
        f"{prefix}-MAX_NUM_FORMS": "10",
    }


def complaint_data(**extra):
    return {
        **management("complainant", 1, 1),
        **management("child", 1),
        **day("received_date", date(2022, 5, 26)),
        "received_time": "14:30",
        "received_via": c.ReceivedVia.EMAIL,
        "procedure": c.Procedure.CHILDREN_STATUTORY,
        "start_stage": "1",
        "summary": "The social worker did not return calls.",
        "complainant-0-first_name": "Jo",
        "complainant-0-last_name": "Marsh",
        "complainant-0-email": "jo.marsh@example.com",
        "complainant-0-complainant_type": c.ComplainantType.PARENT_RELATIVE,
        "complainant-0-eligibility_basis": c.EligibilityBasis.PARENT,
        "complainant-0-on_behalf_of_child": "yes",
        "complainant-0-child_consent": c.ChildConsent.GIVEN,
        "complainant-0-sex": "female",
        "complainant-0-ethnicity": "prefer_not_to_say",
        "complainant-0-sexual_orientation": c.SexualOrientation.PREFER_NOT_TO_SAY,
        "child-0-first_name": "Sam",
        "child-0-last_name": "Marsh",
        **day("child-0-date_of_birth", date(2012, 3, 4)),
        "child-0-support_category": c.SupportCategory.CIN,
        "advocacy_offered": "yes",
        "advocacy_provided": "no",
        **extra,
    }


def test_choose_what_to_register(officer_client):
    assert "What are you registering?" in text(officer_client.get(reverse("casework:register")))
    response = officer_client.post(reverse("casework:register"), {})
    assert response.status_code == 400
    assert "Select what you are registering" in text(response)
    assert 'href="#id_kind_1"' in text(response)
    expected = {
        "complaint": REGISTER,
        "ombudsman": reverse("casework:ombudsman-register"),
        "member_enquiry": reverse("casework:representation-register", args=["councillor-enquiry"]),
    }
    for kind, target in expected.items():
        assert officer_client.post(reverse("casework:register"), {"kind": kind}).url == target


def test_register_a_complaint(officer_client, council, issue, team, complaints_officer):
    page = text(officer_client.get(REGISTER))
    assert "Register a complaint" in page
    assert "Communication" in page
    assert "Assessment East" in page
    data = complaint_data(principal_issue=issue.pk, teams=[team.pk])
    response = officer_client.post(REGISTER, data)
    case = Case.objects.get()
    assert response.status_code == 302, text(response)[:4000]
    assert response.url == reverse("casework:case-detail", args=[case.pk])
    assert f"Complaint {case.reference} registered" in text(officer_client.get(response.url))
    assert case.status == c.CaseStatus.TRIAGE
    assert case.received_via == c.ReceivedVia.EMAIL
    assert case.received_at is not None
    assert case.received_at.hour == 13
    assert case.advocacy_offered is True
    assert case.advocacy_provided is False
    assert [i.name for i in case.issues.all()] == ["Communication"]
    assert list(case.teams.all()) == [team]
    complainant = case.complainants.select_related("person").get()
    assert complainant.on_behalf_of_child
    assert complainant.child_consent == c.ChildConsent.GIVEN
    assert complainant.person.ethnicity_scheme == "census_2021"
    assert complainant.person.ethnicity_code == "prefer_not_to_say"
    child = case.children.select_related("person").get()
    assert child.age_at_receipt == 10
    assert child.support_category == c.SupportCategory.CIN
    assert case.stages.get().number == 1
    # One change (the registration); following the redirect also recorded the officer viewing the case.
    assert list(case.audit_events.filter(acting_user=complaints_officer).values_list("event_type", flat=True)) == [
        AuditEventType.COMPLAINT_REGISTERED,
        AuditEventType.CASE_VIEWED,
    ]


def test_every_error_is_in_the_summary(officer_client, council):
    data = {**management("complainant", 1, 1), **management("child", 1), "received_time": "25:99"}
    data |= {"child-0-first_name": "Sam", "child-0-age_at_receipt": "30", "complainant-0-email": "not an email"}
    response = officer_client.post(REGISTER, data)
    assert response.status_code == 400
    page = text(response)
    assert page.count('class="govuk-error-summary"') == 1
    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    for message, anchor in [
        ("Enter the date received", "#id_received_date_0"),
        ("Select how the complaint was received", "#id_received_via_1"),
        ("Select the procedure the complaint follows", "#id_procedure_1"),
        ("Select the stage the complaint starts at", "#id_start_stage_1"),
        ("Enter a summary of the complaint", "#id_summary"),
        ("Enter the complainant's first name or last name", "#id_complainant-0-first_name"),
        ("Enter an email address in the correct format, like name@example.com", "#id_complainant-0-email"),
        ("A child or young person is 25 or under: enter an age of 25 or less", "#id_child-0-age_at_receipt"),
    ]:
        assert f'<a href="{anchor}">{message}</a>' in summary, message
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Error: Register a complaint" in page
    assert Case.objects.count() == 0


def test_time_received_must_be_a_time(officer_client, council):
    response = officer_client.post(REGISTER, complaint_data(received_time="half past two"))
    assert "Enter the time received like 14:30 or 2:30pm" in text(response)
    response = officer_client.post(REGISTER, complaint_data(received_time="2:30pm"))
    assert response.status_code == 302
    received_at = Case.objects.get().received_at
    assert received_at is not None
    assert received_at.hour == 13


def test_add_another_complainant_keeps_what_was_typed(officer_client, council):
    response = officer_client.post(REGISTER, complaint_data(add_complainant="1", summary=""))
    page = text(response)
    assert response.status_code == 200
    assert "Complainant 2" in page
    assert "govuk-error-message" not in page
    assert 'value="Jo"' in page
    assert "There is a problem" not in page
    data = complaint_data(**management("complainant", 2, 1))
    data |= {"complainant-1-first_name": "Lee", "complainant-1-last_name": "Marsh"}
    assert officer_client.post(REGISTER, data).status_code == 302
    assert Case.objects.get().complainants.count() == 2


def test_likely_duplicates_are_shown_before_registering(officer_client, council, complaints_manager):
    earlier = f.register(
        council,
        complaints_manager,
        received_date=date(2022, 1, 10),
        complainants=[f.complainant(first_name="Jo", last_name="Marsh")],
    )
    response = officer_client.post(REGISTER, complaint_data())
    page = text(response)
    assert response.status_code == 200
    assert "This may be a complaint already registered" in page
    assert reverse("casework:case-detail", args=[earlier.pk]) in page
    assert f"{earlier.reference} (opens in new tab)" in page
    assert 'name="register_anyway"' in page
    assert 'value="Jo"' in page
    assert Case.objects.count() == 1
    response = officer_client.post(REGISTER, complaint_data(register_anyway="1"))
    assert response.status_code == 302
    assert Case.objects.count() == 2


def test_a_child_seen_before_is_a_likely_duplicate(officer_client, council, complaints_manager):
    f.register(
        council,
        complaints_manager,
        received_date=date(2021, 9, 1),
        children=[ChildInput(person=PersonInput(first_name="Sam", last_name="Marsh", date_of_birth=date(2012, 3, 4)))],
    )
    response = officer_client.post(REGISTER, complaint_data(**{"complainant-0-last_name": "Okoro"}))
    assert "This may be a complaint already registered" in text(response)


def test_out_of_time_needs_the_discretion_decision(officer_client, council):
    late = complaint_data(**day("grounds_arose_date", date(2020, 1, 1)))
    response = officer_client.post(REGISTER, late)
    page = text(response)
    assert response.status_code == 400
    assert "more than 12 months after the grounds arose" in page
    assert 'href="#id_late_decision_1"' in page
    accepted = late | {
        "late_decision": "accept",
        "late_not_reasonable_reason": "In hospital",
        "late_still_possible_reason": "Records kept",
    }
    response = officer_client.post(REGISTER, accepted | {"late_still_possible_reason": ""})
    assert "both must be met" in text(response)
    assert officer_client.post(REGISTER, accepted).status_code == 302
    case = Case.objects.get()
    assert case.in_time is False
    assert case.late_acceptance_decided is True


def test_refused_late_complaint_is_registered_closed(officer_client, council):
    data = complaint_data(
        **day("grounds_arose_date", date(2020, 1, 1)),
        late_decision="refuse",
        late_not_reasonable_reason="They could have complained",
    )
    assert officer_client.post(REGISTER, data).status_code == 302
    case = Case.objects.get()
    assert case.status == c.CaseStatus.CLOSED
    assert case.decline_reason == c.DeclineReason.OUT_OF_TIME


def test_starting_at_stage_2_needs_a_reason(officer_client, council):
    response = officer_client.post(REGISTER, complaint_data(start_stage="2"))
    assert "Record why stage 1 is not being used before starting at stage 2." in text(response)
    response = officer_client.post(
        REGISTER, complaint_data(start_stage="2", stage1_skipped_reason="Senior staff involved")
    )
    assert response.status_code == 302
    assert Case.objects.get().stages.get().number == 2


def test_a_user_of_several_councils_chooses_one(client, council, other_council, complaints_officer):
    CouncilMembershipFactory.create(council=other_council, user=complaints_officer)
    client.force_login(complaints_officer)
    response = client.post(REGISTER, complaint_data())
    assert "Select the council" in text(response)
    assert client.post(REGISTER, complaint_data(council=other_council.pk)).status_code == 302
    assert Case.objects.get().council == other_council


def test_someone_of_no_council_is_told_so(client, system_administrator, django_user_model):
    user = django_user_model.objects.create_user(username="nobody", password="x" * 16)
    client.force_login(user)
    response = client.get(REGISTER)
    assert response.status_code == 403
    assert "You are not a member of any council with a role that registers cases" in text(response)


@pytest.mark.parametrize(
    ("slug", "extra", "kind"),
    [
        ("potential-complaint", {}, c.Kind.POTENTIAL_COMPLAINT),
        ("query", {}, c.Kind.QUERY),
        (
            "mp-enquiry",
            {"enquirer_name": "Ann Other MP", "constituency_or_ward": "Exampleton North"},
            c.Kind.MP_ENQUIRY,
        ),
        ("councillor-enquiry", {"enquirer_name": "Cllr Bea Hill"}, c.Kind.MEMBER_ENQUIRY),
        ("compliment", {"about_person": "A social worker", "quote": "Thank you"}, c.Kind.COMPLIMENT),
    ],
)
def test_register_a_representation(officer_client, council, slug, extra, kind):
    target = reverse("casework:representation-register", args=[slug])
    data = {**day("received_date", date(2022, 5, 26)), "received_via": "letter", "topic": "Respite care", **extra}
    response = officer_client.post(target, data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.kind == kind
    assert case.topic == "Respite care"
    assert f"{case.reference} registered" in text(officer_client.get(response.url))


def test_an_enquiry_needs_its_enquirer(officer_client, council):
    target = reverse("casework:representation-register", args=["mp-enquiry"])
    assert "Register an MP enquiry" in text(officer_client.get(target))
    response = officer_client.post(target, {**day("received_date", date(2022, 5, 26)), "received_via": "email"})
    page = text(response)
    assert response.status_code == 400
    assert "Enter the name of the MP" in page
    assert "Enter the subject" in page
    assert officer_client.get(reverse("casework:representation-register", args=["petition"])).status_code == 404


def test_register_an_ombudsman_case(officer_client, council, complaint):
    target = reverse("casework:ombudsman-register")
    assert complaint.reference in text(officer_client.get(f"{target}?complaint={complaint.pk}"))
    data = {**day("received_date", date(2022, 9, 1)), "lgsco_reference": "22 004 567", "complaint_reference": "NOPE-1"}
    assert "There is no case NOPE-1 at Borough of Exampleton" in text(officer_client.post(target, data))
    data["complaint_reference"] = complaint.reference.lower()
    data |= day("enquiry_due_date", date(2022, 9, 29))
    response = officer_client.post(target, data)
    assert response.status_code == 302
    case = Case.objects.get(kind=c.Kind.OMBUDSMAN)
    assert case.ombudsman.complaint == complaint
    assert case.next_due_date == date(2022, 9, 29)


def test_another_councils_complaint_cannot_be_named(client, council, complaint, other_council_officer):
    client.force_login(other_council_officer)
    data = {
        **day("received_date", date(2022, 9, 1)),
        "lgsco_reference": "22 004 567",
        "complaint_reference": complaint.reference,
    }
    assert "There is no case" in text(client.post(reverse("casework:ombudsman-register"), data))


def test_registering_needs_signing_in(client):
    for target in [reverse("casework:register"), REGISTER, reverse("casework:ombudsman-register")]:
        assert client.get(target).url.startswith(reverse("accounts:login"))
