"""Templates a council edits: every step has words for an adult and a young person, only shareable fields can be
merged (a test for every template proves nothing internal reaches a letter), and every saved version is kept."""

from datetime import date

import pytest
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import PointFinding
from opencomplaints.common.errors import DomainError
from opencomplaints.correspondence import selectors, services
from opencomplaints.correspondence.defaults import DEFAULT_WORDS
from opencomplaints.correspondence.fields import MERGE_FIELDS, NEVER_MERGED, SHAREABLE_NAMES
from opencomplaints.correspondence.models import LetterTemplateVersion
from opencomplaints.correspondence.rendering import fields_used, merge, template_problems
from opencomplaints.correspondence.steps import STEPS, Audience, StepKey
from opencomplaints.correspondence.tests.conftest import SECRETS

TODAY = date(2022, 6, 8)
EVERY_TEMPLATE = [(step.key, audience) for step in STEPS for audience in step.audiences]


def test_every_step_of_every_kind_has_standard_words_for_each_audience():
    assert set(DEFAULT_WORDS) == set(EVERY_TEMPLATE)
    assert {step.key for step in STEPS} == set(StepKey)
    assert len(EVERY_TEMPLATE) == 2 * len(STEPS) - 1  # the Ombudsman's reply is written to an office only


def test_no_internal_detail_is_a_merge_field():
    assert not (SHAREABLE_NAMES & NEVER_MERGED)
    assert len(SHAREABLE_NAMES) == len(MERGE_FIELDS)


@pytest.mark.parametrize(("step", "audience"), EVERY_TEMPLATE)
def test_every_standard_template_uses_only_shareable_fields(step, audience):
    subject, body = DEFAULT_WORDS[(step, audience)]
    assert template_problems(subject, part="subject") == []
    assert template_problems(body, part="words") == []
    assert set(fields_used(subject + body)) <= SHAREABLE_NAMES


@pytest.mark.django_db
@pytest.mark.parametrize(("step", "audience"), EVERY_TEMPLATE)
def test_no_template_lets_an_internal_detail_into_the_letter(step, audience, adult_case):
    """Filled in for a case whose extension reason, hold note, decline note, summary, finding note and child's name
    are markers: none of them appears, while the shareable details do."""
    subject, body = DEFAULT_WORDS[(step, audience)]
    values = selectors.letter_values(case=adult_case, today=TODAY)
    letter = merge(subject, values) + "\n" + merge(body, values)
    for secret in SECRETS.values():
        assert secret not in letter
    assert "{{" not in letter
    assert adult_case.reference in letter or "{{ reference }}" not in subject + body


@pytest.mark.django_db
def test_the_merge_values_hold_the_shareable_details_and_no_internal_one(adult_case):
    values = selectors.letter_values(case=adult_case, today=TODAY, officer_name="Alex Morgan")
    assert set(values) == SHAREABLE_NAMES
    assert values["greeting"] == "Dear Jordan Price"
    assert values["extended_due_date"] == "4 July 2022"
    assert values["hold_start_date"] == "2 June 2022"
    assert values["points"] == "1. The social worker did not call back."
    joined = "\n".join(values.values())
    for secret in SECRETS.values():
        assert secret not in joined


@pytest.mark.parametrize("name", sorted(NEVER_MERGED))
def test_a_template_naming_an_internal_detail_cannot_be_saved(name):
    assert template_problems(f"Because {{{{ {name} }}}}.", part="words") == [
        f"{{{{ {name} }}}} is not a merge field you can use. Use only the fields listed"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "{% load static %}Hello",
        "{{ reference|upper }}",
        "{{ case.extension_reason }}",
        "{# a comment #}",
        "Hello {{ reference",
    ],
)
def test_template_code_other_than_a_merge_field_is_refused(text):
    assert "Write merge fields as {{ field_name }}, with nothing else inside the braces" in template_problems(
        text, part="words"
    )


def test_a_field_not_on_the_list_merges_as_nothing():
    assert merge("Reason: {{ extension_reason }}.", {"extension_reason": "secret"}) == "Reason: ."


@pytest.mark.django_db
def test_saving_keeps_every_version_and_the_latest_is_used(council, complaints_manager):
    now = timezone.now()
    first = services.letter_template_save(
        council=council,
        step=StepKey.ACKNOWLEDGEMENT,
        audience=Audience.ADULT,
        subject="Complaint {{ reference }} received",
        body="{{ greeting }},\n\nWe have your complaint.",
        acting_user=complaints_manager,
        now=now,
    )
    second = services.letter_template_save(
        council=council,
        step=StepKey.ACKNOWLEDGEMENT,
        audience=Audience.ADULT,
        subject="Complaint {{ reference }} received",
        body="{{ greeting }},\n\nThank you. We have your complaint.",
        acting_user=complaints_manager,
        now=now,
    )
    assert (first.number, second.number) == (1, 2)
    words = selectors.template_words(council=council, step=StepKey.ACKNOWLEDGEMENT, audience=Audience.ADULT)
    assert words.version == second
    assert "Thank you." in words.body
    assert list(selectors.template_versions(council=council, step="acknowledgement", audience="adult")) == [
        second,
        first,
    ]
    event = AuditEvent.objects.filter(event_type=AuditEventType.LETTER_TEMPLATE_SAVED).last()
    assert event is not None
    assert event.after["version"] == 2
    # Other councils and the young person's version still use the standard words.
    young = selectors.template_words(council=council, step=StepKey.ACKNOWLEDGEMENT, audience=Audience.YOUNG_PERSON)
    assert young.version is None
    assert (young.subject, young.body) == DEFAULT_WORDS[(StepKey.ACKNOWLEDGEMENT, Audience.YOUNG_PERSON)]


@pytest.mark.django_db
def test_a_template_with_an_unknown_field_saves_nothing(council, complaints_manager):
    with pytest.raises(DomainError, match="extension_reason") as raised:
        services.letter_template_save(
            council=council,
            step=StepKey.EXTENSION,
            audience=Audience.ADULT,
            subject="More time",
            body="Because {{ extension_reason }}",
            acting_user=complaints_manager,
            now=timezone.now(),
        )
    assert raised.value.field == "body"
    assert not LetterTemplateVersion.objects.exists()


@pytest.mark.django_db
def test_the_ombudsman_reply_has_no_young_persons_version(council, complaints_manager):
    with pytest.raises(DomainError, match="no young person"):
        services.letter_template_save(
            council=council,
            step=StepKey.OMBUDSMAN_ENQUIRY_REPLY,
            audience=Audience.YOUNG_PERSON,
            subject="Reply",
            body="Words",
            acting_user=complaints_manager,
            now=timezone.now(),
        )


@pytest.mark.django_db
def test_the_young_persons_version_is_chosen_for_a_child(adult_case, child_case):
    assert selectors.audience_for_case(case=adult_case, today=TODAY) == Audience.ADULT
    assert selectors.audience_for_case(case=child_case, today=TODAY) == Audience.YOUNG_PERSON


@pytest.mark.django_db
def test_a_complainant_under_18_by_date_of_birth_gets_the_young_persons_version(adult_case):
    person = adult_case.complainants.get().person
    person.date_of_birth = date(2007, 6, 9)
    person.save()
    assert selectors.audience_for_case(case=adult_case, today=date(2025, 6, 8)) == Audience.YOUNG_PERSON
    assert selectors.audience_for_case(case=adult_case, today=date(2025, 6, 9)) == Audience.ADULT


@pytest.mark.django_db
def test_letter_settings_are_merged_and_kept(council, complaints_manager, child_case):
    services.letter_settings_save(
        council=council,
        acting_user=complaints_manager,
        letterhead="Children's complaints\nCounty Hall",
        signature="Complaints manager",
        advocacy="Call our advocacy service on 01234 567890.",
        support="Talk to Childline on 0800 1111.",
        ombudsman="The Ombudsman: 0300 061 0614.",
    )
    values = selectors.letter_values(case=child_case, today=TODAY)
    assert values["support"] == "Talk to Childline on 0800 1111."
    assert values["advocacy"] == "Call our advocacy service on 01234 567890."
    assert selectors.letter_settings_for(council).letterhead.startswith("Children's complaints")


def test_the_response_letter_gives_each_point_with_its_outcome_and_the_councils_words(adult_case):
    # Point by point (issue 15, item 4): what the council says on a point reaches the letter; its working note never.
    finding = PointFinding.objects.get(point__case=adult_case)
    finding.response = "We are sorry: the social worker should have called you back the same day."
    finding.save(update_fields=["response"])

    values = selectors.letter_values(case=adult_case, today=TODAY)

    assert values["points_with_outcomes"] == (
        "1. The social worker did not call back. Upheld.\n"
        "We are sorry: the social worker should have called you back the same day."
    )
    assert SECRETS["finding_note"] not in values["points_with_outcomes"]
