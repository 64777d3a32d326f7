"""Database → records and report inputs, against the database (SQLite and PostgreSQL)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.calendars.selectors import working_day_calendar
from opencomplaints.cases.models import Case, Person
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.tests.factories import CouncilFactory
from opencomplaints.records.selectors import records_for_councils
from opencomplaints.reporting.metrics.equality import ChildConcerned
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.selectors import (
    children_for_report,
    escalation_history,
    names_to_redact,
    records_for_report,
    report_inputs,
    trend_data,
)
from opencomplaints.reporting.services import context_figures_set, historic_figure_set
from opencomplaints.reporting.tests.builder import CaseBuilder, Child, S

pytestmark = pytest.mark.django_db
YEAR = reporting_year(2023)


@pytest.fixture
def built(council):
    b = CaseBuilder(council)
    b.complaint(
        S(1, date(2023, 4, 3), date(2023, 4, 14), "not_upheld", compensation="50.00", remedies=("apology",)),
        S(
            2,
            date(2023, 5, 2),
            date(2023, 7, 20),
            "partly_upheld",
            extended=True,
            statement_agreed=date(2023, 5, 9),
            compensation="200.00",
        ),
        teams=(("Referral and Assessment", "Front Door"), ("Fostering", "Children in Care")),
        issues=("Delay", "Communication"),
        complainant_type="parent_relative",
        complainant_born=date(1990, 4, 4),  # 32 on 3 April 2023, the day before the 33rd birthday
        complainant_sex="female",
        complainant_ethnicity="WBRI",
        child_age=9,
        support="cin",
        child_ethnicity="WBRI",
        advocacy=True,
        summary="Personal details",
    )
    b.other(
        "ombudsman",
        date(2023, 6, 1),
        responded=date(2023, 11, 1),
        decision="upheld_fault_injustice",
        decision_label="Upheld: fault and injustice",
        payment="300.00",
        topic="Delay",
    )
    b.other(
        "compliment",
        date(2023, 8, 1),
        responded=date(2023, 8, 2),
        quote="Thank you",
        teams=(("Fostering", "Children in Care"),),
    )
    b.complaint(S(1, date(2022, 5, 1), date(2022, 6, 1), "upheld"))  # closed before the year
    b.complaint(S(1, date(2022, 5, 1)))  # open all year: open at the end
    b.complaint(S(1, date(2024, 4, 1)))  # next year
    b.complaint(S(1, date(2023, 6, 1), date(2023, 6, 10), "upheld"), procedure="corporate")
    b.flush()
    return b


def test_a_complaint_gives_one_record_per_stage_mapped_as_the_interchange_format(council, built):
    records = [r for r in records_for_councils(councils=[council]) if r.kind == "complaint" and r.received.year == 2023]
    first, second = [r for r in records if r.procedure == "children_statutory"]
    reference = first.case_ref
    assert (first.ref, second.ref, second.case_ref) == (reference, f"{reference}/2", reference)
    assert (first.council, first.stage, second.stage) == ("exampleton", 1, 2)
    assert second.stage2_start == date(2023, 5, 9)
    assert first.stage2_start is None
    assert (second.extended, second.extended_due) == (True, date(2023, 7, 31))
    assert (first.responded, first.outcome) == (date(2023, 4, 14), "not_upheld")
    assert first.teams == ("Referral and Assessment", "Fostering")
    assert first.service_area == "Front Door"
    assert first.issues == ("Delay", "Communication")
    assert first.principal_issue == "Delay"
    assert (first.complainant_type, first.complainant_age, first.complainant_sex) == ("parent_relative", 32, "female")
    assert (first.complainant_ethnicity, first.child_ethnicity, first.child_age, first.support_category) == (
        "WBRI",
        "WBRI",
        9,
        "cin",
    )
    assert (first.compensation, first.remedies) == (Decimal("50.00"), ("financial", "apology"))
    assert (second.compensation, second.remedies) == (Decimal("200.00"), ("financial",))
    assert (first.advocacy, first.mediation, first.summary) == (True, "none", "Personal details")


def test_a_stage_with_its_own_reference_keeps_it(council):
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 4, 3), date(2023, 4, 14), "upheld"), S(2, date(2023, 5, 2)))
    (case,) = b.flush()
    case.stages.filter(number=2).update(reference="LEGACY-77")
    refs = sorted(r.ref for r in records_for_councils(councils=[council]))
    assert refs == sorted([case.reference, "LEGACY-77"])


def test_other_kinds(council, built):
    records = {r.kind: r for r in records_for_councils(councils=[council], kinds={"ombudsman", "compliment"})}
    ombudsman = records["ombudsman"]
    assert (ombudsman.responded, ombudsman.lgsco_decision, ombudsman.lgsco_decision_label) == (
        date(2023, 11, 1),
        "upheld_fault_injustice",
        "Upheld: fault and injustice",
    )
    assert (ombudsman.compensation, ombudsman.topic, ombudsman.stage) == (Decimal("300.00"), "Delay", None)
    assert records["compliment"].teams == ("Fostering",)
    assert records["compliment"].responded == date(2023, 8, 2)


def test_records_for_report_keeps_what_is_relevant_to_the_period(council, other_council, built):
    CaseBuilder(other_council).complaint(S(1, date(2023, 5, 1)))
    records = records_for_report(councils=[council], period=YEAR, procedure="children_statutory")
    complaints = sorted((r.received, r.stage) for r in records if r.kind == "complaint")
    assert complaints == [(date(2022, 5, 1), 1), (date(2023, 4, 3), 1), (date(2023, 5, 2), 2)]
    assert {r.council for r in records} == {"exampleton"}
    assert {r.kind for r in records} == {"complaint", "ombudsman", "compliment"}
    everything = records_for_report(councils=[council], period=YEAR, procedure="all")
    assert any(r.procedure == "corporate" for r in everything)


def test_the_london_date_received_decides_the_year_across_bst(council):
    # 23:30 UTC on 31 March 2023 was 00:30 BST on 1 April 2023: day 0 is 1 April, in 2023/24 (R5.12).
    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 4, 1)))
    (case,) = b.flush()
    Case.objects.filter(pk=case.pk).update(received_at=datetime(2023, 3, 31, 23, 30, tzinfo=UTC))
    records = records_for_report(councils=[council], period=YEAR, procedure="children_statutory")
    assert [r.received for r in records] == [date(2023, 4, 1)]


def test_queries_do_not_grow_with_the_number_of_records(council, django_assert_max_num_queries):
    b = CaseBuilder(council)
    for n in range(40):
        b.complaint(
            S(1, date(2023, 4, 3)),
            S(2, date(2023, 5, 3), date(2023, 6, 3), "upheld", compensation=n),
            teams=(("A", "Area"),),
            issues=("Delay",),
        )
        b.other("query", date(2023, 4, 10), topic="Schools")
    b.flush()
    # Ten: the stages, the other kinds, and one query per table of their details (a stage's teams and issues too).
    with django_assert_max_num_queries(10):
        records = records_for_councils(councils=[council])
    assert len(records) == 120


def test_trend_data_counts_by_year_in_the_database_and_prefers_historic_figures(council, built):
    historic_figure_set(council=council, year=2021, measure="stage1_received", value=90, acting_user=None)
    historic_figure_set(council=council, year=2022, measure="stage1_received", value=82, acting_user=None)
    trend = trend_data(councils=[council], period=YEAR, procedure="children_statutory", calendar=working_day_calendar())
    assert [trend.get("stage1_received", y) for y in (2020, 2021, 2022, 2023)] == [None, 90, 82, 1]
    assert trend.get("stage1_completed", 2022) == 1  # computed: the system holds 2022/23 and no figure overrides it
    assert trend.get("stage1_completed", 2023) == 1
    assert trend.get("stage1_not_upheld", 2023) == 1
    assert trend.get("stage2_received", 2023) == 1
    assert trend.get("ombudsman_decided", 2023) == 1
    assert trend.get("ombudsman_upheld", 2023) == 1
    assert trend.get("compliment_received", 2023) == 1
    assert trend.get("compensation_total", 2023) == Decimal("550.00")
    assert trend.get("stage1_on_time_percent", 2023) == Decimal("100.0")
    assert trend.get("stage1_to_stage2_percent", 2023) == Decimal("100.0")
    assert ("stage1_received", 2021) in trend.historic


def test_historic_figure_service_validates_and_removes(council):
    with pytest.raises(DomainError, match="not a measure"):
        historic_figure_set(council=council, year=2019, measure="nonsense", value=1, acting_user=None)
    historic_figure_set(council=council, year=2019, measure="query_received", value=5, acting_user=None)
    figure = historic_figure_set(council=council, year=2019, measure="query_received", value=6, acting_user=None)
    assert figure is not None
    assert figure.value == 6
    assert (
        historic_figure_set(council=council, year=2019, measure="query_received", value=None, acting_user=None) is None
    )
    assert not council.historic_figures.exists()


def test_historic_and_context_figures_are_audited(council, complaints_manager):
    historic_figure_set(council=council, year=2019, measure="query_received", value=5, acting_user=complaints_manager)
    historic_figure_set(council=council, year=2019, measure="query_received", value=5, acting_user=complaints_manager)
    historic_figure_set(council=council, year=2019, measure="query_received", value=7, acting_user=complaints_manager)
    historic_figure_set(council=council, year=2019, measure="query_received", value=None, acting_user=None)
    historic_figure_set(council=council, year=2018, measure="query_received", value=None, acting_user=None)
    events = list(AuditEvent.objects.filter(event_type=AuditEventType.HISTORIC_FIGURE_SET).order_by("id"))
    # Setting the same figure again changes nothing, and removing a figure that is not there writes nothing.
    assert [(e.before.get("value"), e.after.get("value")) for e in events] == [
        (None, "5.00"),
        ("5.00", "7.00"),
        ("7.00", None),
    ]
    assert [e.acting_user for e in events] == [complaints_manager, complaints_manager, None]
    assert events[1].summary == "Historic figure query_received for 2019/20 set to 7.00"
    assert events[2].summary == "Historic figure query_received for 2019/20 removed"
    assert events[2].before == {
        "council": council.pk,
        "year": 2019,
        "measure": "query_received",
        "value": "7.00",
        "note": "",
    }

    row = context_figures_set(council=council, year=2023, figures={"referrals": 3_000}, acting_user=complaints_manager)
    context_figures_set(council=council, year=2023, figures={"referrals": 3_000}, acting_user=complaints_manager)
    context_figures_set(
        council=council, year=2023, figures={"referrals": 3_100, "care_leavers": 40}, acting_user=complaints_manager
    )
    events = list(AuditEvent.objects.filter(event_type=AuditEventType.CONTEXT_FIGURES_SET).order_by("id"))
    assert [(e.before, e.after) for e in events] == [
        ({}, {"referrals": 3_000}),
        ({"referrals": 3_000, "care_leavers": None}, {"referrals": 3_100, "care_leavers": 40}),
    ]
    assert {e.subject_id for e in events} == {str(row.pk)}


def test_names_to_redact_finds_people_and_staff_named_in_the_texts(council):
    Person.objects.create(council=council, first_name="Imogen", last_name="Thackeray")
    Person.objects.create(council=council, first_name="Other", last_name="Person")
    UserFactory.create(username="sw", first_name="Bartholomew", last_name="Quill")
    names = names_to_redact(councils=[council], texts=["Thackeray and Bartholomew helped"])
    assert {"Imogen", "Thackeray", "Imogen Thackeray", "Bartholomew", "Quill"} <= names
    assert "Person" not in names


def test_report_inputs_gathers_everything_in_a_fixed_number_of_queries(council, built, django_assert_max_num_queries):
    context_figures_set(
        council=council, year=2023, figures={"population_0_17": 50_000, "referrals": 3_000}, acting_user=None
    )
    # 32: a fixed number, whatever the records (one places Ombudsman cases, two find names to redact, two read
    # the stages' own teams and issues, one the council's corporate timescales).
    # and one for the tables saved to the report; three for the trends by service area (the historic figures by
    # dimension, the stages by service area and year, the first year of case data).
    with django_assert_max_num_queries(36):
        inputs = report_inputs(councils=[council], period=YEAR, procedure="children_statutory")
    assert inputs.council_names == ("Borough of Exampleton",)
    assert inputs.context["population_0_17"] == 50_000
    assert inputs.previous_context["population_0_17"] is None
    assert [q.text for q in inputs.quotes] == ["Thank you"]
    assert inputs.team_service_areas["Fostering"] == "Children in Care"
    assert inputs.labels["outcome"]["partly_upheld"] == "Partly upheld"


def test_combined_councils(council):
    second = CouncilFactory.create(name="Second Borough", slug="second")
    for each in (council, second):
        builder = CaseBuilder(each)
        builder.complaint(S(1, date(2023, 5, 1)))
        builder.flush()
    inputs = report_inputs(councils=[second, council], period=YEAR, procedure="children_statutory")
    assert inputs.council_names == ("Borough of Exampleton", "Second Borough")
    assert sorted(r.council for r in inputs.records) == ["exampleton", "second"]


def test_children_for_report_gives_every_child_of_the_complaints_in_the_records(council):
    second = CouncilFactory.create(name="Second Borough", slug="second")
    b = CaseBuilder(council)
    b.complaint(
        S(1, date(2023, 5, 2)),
        children=(
            Child(age=3, sex="female", ethnicity="WBRI", disability="no", support="cin"),
            Child(age=11, sex="male", ethnicity="BAFR", disability="yes", support="cin"),
        ),
    )
    b.complaint(S(1, date(2022, 5, 2), date(2022, 5, 10), "upheld"), child_age=8)  # answered before the year
    b.complaint(S(1, date(2023, 6, 1)), with_child=False)
    b.flush()
    other = CaseBuilder(second)
    other.complaint(S(1, date(2023, 5, 2)), child_age=14)  # the same reference in another council
    other.flush()
    records = records_for_report(councils=[council], period=YEAR, procedure="children_statutory")
    children = children_for_report(councils=[council], records=records)
    reference = records[0].case_ref
    assert children == [
        ChildConcerned(
            council="exampleton",
            case_ref=reference,
            age=3,
            sex="female",
            ethnicity="WBRI",
            disability="no",
            support_category="cin",
        ),
        ChildConcerned(
            council="exampleton",
            case_ref=reference,
            age=11,
            sex="male",
            ethnicity="BAFR",
            disability="yes",
            support_category="cin",
        ),
    ]
    # The record carries only the first of them.
    assert (records[0].child_age, records[0].child_sex) == (3, "female")


def test_escalation_history_counts_each_earlier_year_by_service_area(council):
    b = CaseBuilder(council)
    front_door, in_care = ("Referral and Assessment", "Front Door"), ("Fostering", "Children in Care")
    b.complaint(S(1, date(2021, 5, 4), date(2021, 5, 14), "upheld"), S(2, date(2021, 6, 1)), teams=(front_door,))
    b.complaint(S(1, date(2021, 7, 5), date(2021, 7, 9), "not_upheld"), teams=(front_door, in_care))
    b.complaint(S(1, date(2021, 8, 2), date(2021, 8, 3), "withdrawn"), teams=(in_care,))  # not counted
    b.complaint(S(1, date(2022, 3, 1), date(2022, 4, 4), "upheld"), teams=(in_care,))  # completed in 2022/23
    b.complaint(S(1, date(2022, 9, 1), date(2022, 9, 9), "upheld"))  # no team
    b.complaint(S(1, date(2023, 5, 1), date(2023, 5, 9), "upheld"), teams=(in_care,))  # the year reported
    b.flush()
    history = escalation_history(councils=[council], period=YEAR, procedure="children_statutory")
    assert history == {
        2021: {"Front Door": (2, 1)},
        2022: {"Children in Care": (1, 0), "Not recorded": (1, 0)},
    }


def test_a_learning_action_entered_later_counts_from_the_complaint_it_came_from(council):
    from opencomplaints.cases.models import LearningAction
    from opencomplaints.reporting.selectors import learning_items

    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 5, 2), date(2023, 5, 12), "upheld"))
    b.flush()
    action = LearningAction.objects.create(council=council, finding="f", action="Check letters", status="in_progress")
    action.cases.set(Case.objects.filter(council=council))
    (item,) = learning_items(councils=[council], period=YEAR)
    assert item.recorded == date(2023, 5, 2)  # not the day it was entered (today)


def test_an_ombudsman_case_takes_its_service_area_from_the_complaint_it_looked_at(council):
    from opencomplaints.cases.models import OmbudsmanDetail

    b = CaseBuilder(council)
    b.complaint(S(1, date(2023, 5, 2), date(2023, 5, 12), "upheld"), teams=(("Fostering", "Children in Care"),))
    b.other("ombudsman", date(2023, 9, 1), responded=date(2023, 12, 1), decision="upheld_fault_injustice")
    b.flush()
    complaint = Case.objects.get(council=council, kind="complaint")
    OmbudsmanDetail.objects.filter(case__council=council).update(complaint=complaint)
    records = records_for_report(councils=[council], period=YEAR, procedure="children_statutory")
    (ombudsman,) = [r for r in records if r.kind == "ombudsman"]
    assert ombudsman.service_area == "Children in Care"
