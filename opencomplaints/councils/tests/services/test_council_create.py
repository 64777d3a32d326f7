"""council_create: a new council has everything it needs before its first case (§7, R3.5-R3.7, R4.5)."""

import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.defaults import DEFAULT_ISSUE_CATEGORIES
from opencomplaints.councils.models import CorporateProcedure, Council, IssueCategory, RemedyType
from opencomplaints.councils.services import council_create
from opencomplaints.councils.services.councils import (
    COUNCIL_NAME_TAKEN,
    COUNCIL_NEEDS_NAME,
    COUNCIL_PREFIX_INVALID,
    COUNCIL_SLUG_INVALID,
    COUNCIL_SLUG_TAKEN,
)

pytestmark = pytest.mark.django_db

SECTION_7_ISSUES = {
    "Communication or lack of it",
    "Staff attitude or behaviour",
    "Delay",
    "Quality of assessment or report",
    "Inaccurate information or records",
    "Decision disputed",
    "Service not provided, cancelled or withdrawn",
    "Contact arrangements",
    "Placement",
    "Finance or allowances",
    "Data breach or confidentiality",
    "Discrimination",
    "Complaint handling",
}


def create(**overrides):
    values = {"name": "Borough of Exampleton", "slug": "exampleton", "reference_prefix": "CSC", "acting_user": None}
    return council_create(**{**values, **overrides})


def test_creates_the_council(system_administrator):
    council = create(name="  Borough of Exampleton ", reference_prefix=" csc ", acting_user=system_administrator)

    council.refresh_from_db()
    assert (council.name, council.slug, council.reference_prefix) == ("Borough of Exampleton", "exampleton", "CSC")


def test_seeds_the_section_7_issue_categories():
    council = create()

    names = set(IssueCategory.objects.filter(council=council).values_list("name", flat=True))
    assert names == SECTION_7_ISSUES
    assert len(DEFAULT_ISSUE_CATEGORIES) == 13
    assert not IssueCategory.objects.filter(council=council, is_active=False).exists()


def test_seeds_the_remedy_types_with_their_interchange_codes():
    council = create()

    rows = {r.code: r for r in RemedyType.objects.filter(council=council)}
    assert set(rows) == {
        "apology",
        "explanation",
        "financial",
        "service_provided",
        "procedure_change",
        "training",
        "other",
    }
    assert [code for code, r in rows.items() if r.is_financial] == ["financial"]
    assert rows["apology"].name == "Apology"
    assert rows["financial"].name == "Financial remedy"
    assert rows["procedure_change"].name == "Change to policy, procedure or practice"


def test_seeds_the_complaint_handling_code_as_the_default_corporate_procedure():
    council = create()

    procedure = CorporateProcedure.objects.get(council=council)
    assert procedure.is_default
    assert (
        procedure.acknowledge_days,
        procedure.stage1_days,
        procedure.stage1_extension_days,
        procedure.stage2_acknowledge_days,
        procedure.stage2_days,
        procedure.stage2_extension_days,
        procedure.escalation_window_days,
    ) == (5, 10, 10, 5, 20, 20, 20)


def test_each_council_gets_its_own_defaults():
    first = create()
    second = create(name="Northby District Council", slug="northby", reference_prefix="NBY")

    assert first.issue_categories.count() == second.issue_categories.count() == 13
    assert first.remedy_types.count() == second.remedy_types.count() == 7
    assert CorporateProcedure.objects.filter(council__in=[first, second]).count() == 2


def test_records_one_audit_event_with_the_defaults(system_administrator):
    council = create(acting_user=system_administrator)

    event = AuditEvent.objects.get()
    assert event.event_type == AuditEventType.COUNCIL_CREATED
    assert event.acting_user == system_administrator
    assert (event.subject_type, event.subject_id) == ("councils.council", str(council.pk))
    assert event.after["slug"] == "exampleton"
    assert event.after["remedy_types"] == [
        "apology",
        "explanation",
        "financial",
        "service_provided",
        "procedure_change",
        "training",
        "other",
    ]
    assert len(event.after["issue_categories"]) == 13
    assert event.after["corporate_procedure"]["stage2_days"] == 20


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"name": "  "}, COUNCIL_NEEDS_NAME, "name"),
        ({"slug": "Exampleton"}, COUNCIL_SLUG_INVALID, "slug"),
        ({"slug": "example ton"}, COUNCIL_SLUG_INVALID, "slug"),
        ({"slug": "example_ton"}, COUNCIL_SLUG_INVALID, "slug"),
        ({"reference_prefix": "CS-C"}, COUNCIL_PREFIX_INVALID, "reference_prefix"),
        ({"reference_prefix": ""}, COUNCIL_PREFIX_INVALID, "reference_prefix"),
        ({"reference_prefix": "ABCDEFGHIJK"}, COUNCIL_PREFIX_INVALID, "reference_prefix"),
    ],
)
def test_refuses_invalid_values_and_saves_nothing(overrides, message, field):
    with pytest.raises(DomainError) as raised:
        create(**overrides)

    assert (raised.value.message, raised.value.field) == (message, field)
    assert not Council.objects.exists()
    assert not AuditEvent.objects.exists()


def test_refuses_a_name_already_used_whatever_its_case():
    create()

    with pytest.raises(DomainError) as raised:
        create(name="BOROUGH OF EXAMPLETON", slug="exampleton-2")
    assert raised.value.message == COUNCIL_NAME_TAKEN.format(name="BOROUGH OF EXAMPLETON")


def test_refuses_a_slug_already_used():
    create()

    with pytest.raises(DomainError) as raised:
        create(name="Exampleton Children's Trust")
    assert raised.value.message == COUNCIL_SLUG_TAKEN.format(slug="exampleton")
    assert Council.objects.count() == 1


def test_a_too_long_slug_is_refused_with_the_model_message():
    with pytest.raises(DomainError) as raised:
        create(slug="x" * 61)
    assert raised.value.field == "slug"
    assert "at most 60 characters" in raised.value.message
