"""Export → import into an empty installation → export gives the same bytes, in every format (interchange §1)."""

from datetime import date
from decimal import Decimal

import pytest

from opencomplaints.councils.models import Council
from opencomplaints.demo.builder import apply_plan
from opencomplaints.demo.scenario import plan_demo
from opencomplaints.interchange.exporter import records_export
from opencomplaints.interchange.importer import records_import
from opencomplaints.interchange.tests.conftest import HAND_BUILT, TODAY, records_csv
from opencomplaints.interchange.tests.helpers import empty_installation
from opencomplaints.records.selectors import records_for_councils
from opencomplaints.reporting.metrics.core_json import core_json
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.tests.helpers import CALENDAR

FORMATS = ["csv", "xlsx", "jsonl"]


def _export(fmt):
    data, _count = records_export(councils=list(Council.objects.order_by("slug")), fmt=fmt, acting_user=None)
    return data


def _reimport(data, fmt):
    empty_installation()
    outcome = records_import(data=data, filename=f"records.{fmt}", acting_user=None, today=TODAY, create_missing=True)
    assert outcome.errors == []
    assert outcome.created == outcome.rows
    return outcome


@pytest.fixture
def demo_data(db):
    """A year of a synthetic council built through the case services: every kind, stage, outcome and remedy."""
    apply_plan(plan_demo(seed=3, years=1, end_date=date(2024, 3, 31)))


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_built_records_round_trip_byte_for_byte(demo_data, fmt):
    first = _export(fmt)
    _reimport(first, fmt)
    assert _export(fmt) == first


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_hand_built_file_round_trips_after_its_first_import(structured_council, fmt):
    outcome = records_import(data=HAND_BUILT.encode(), filename="hand.csv", acting_user=None, today=TODAY)
    assert outcome.errors == []
    first = _export(fmt)
    _reimport(first, fmt)
    assert _export(fmt) == first


def test_the_hand_built_file_exports_as_its_canonical_form(structured_council):
    records_import(data=HAND_BUILT.encode(), filename="hand.csv", acting_user=None, today=TODAY)
    lines = _export("csv").decode("utf-8-sig").splitlines()
    assert lines[1].startswith(
        "exampleton,C1,C1,complaint,children_statutory,1,2023-04-03,,,yes,2023-05-02,2023-04-28,partly_upheld,"
        "Localities,Assessment East;MASH,Delay;Communication or lack of it,parent_relative,email,cin,9,female,WBRI,"
        "no,41,female,white_british,no,straight,yes,none,150.00,apology;financial,"
    )
    # The formula in the summary is neutralised in the file, and stored as it was written.
    assert lines[1].endswith(""""'=HYPERLINK(""http://x"")\"""")
    assert len(lines) == 9


# Complaints and a query naming a service area but no team, and complaints with topics on one or more stages.
WITHOUT_TEAMS = (
    ",T1,T1,complaint,,1,2023-06-01,,no,,2023-06-12,not_upheld,Front Door,,Delay,,,,,,,,,,,,,,,,,,,,,Contact visits,",
    ",T1/2,T1,complaint,,2,2023-06-20,,no,,2023-08-01,upheld,Front Door,,Delay,,,,,,,,,,,,,,,,,,,,,Transport,",
    ",T2,,complaint,corporate,1,2023-07-03,,,,,,Localities,,,,,,,,,,,,,,,,,,,,,,,School place,",
    ",T3,,query,,,2023-07-10,,,,2023-07-12,,Localities,,,,,,,,,,,,,,,,,,,,,,,Council tax,",
)


def _by_ref():
    return {r.ref: r for r in records_for_councils(councils=list(Council.objects.all()))}


def test_a_service_area_without_a_team_and_complaint_topics_are_exported(structured_council):
    assert (
        records_import(data=records_csv(*WITHOUT_TEAMS), filename="t.csv", acting_user=None, today=TODAY).errors == []
    )
    records = _by_ref()
    assert [(records[ref].service_area, records[ref].teams) for ref in ("T1", "T1/2", "T2", "T3")] == [
        ("Front Door", ()),
        ("Front Door", ()),
        ("Localities", ()),
        ("Localities", ()),
    ]
    # A case has one topic: the stages' topics are joined, and every stage's record carries it.
    assert records["T1"].topic == records["T1/2"].topic == "Contact visits\n\nTransport"
    assert (records["T2"].topic, records["T3"].topic) == ("School place", "Council tax")


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_areas_without_teams_and_topics_round_trip_byte_for_byte(structured_council, fmt):
    records_import(data=records_csv(*WITHOUT_TEAMS), filename="t.csv", acting_user=None, today=TODAY)
    first = _export(fmt)
    # Importing the export over the data it came from finds nothing to change.
    again = records_import(data=first, filename=f"records.{fmt}", acting_user=None, today=TODAY)
    assert (again.errors, again.unchanged, again.created, again.updated) == ([], 4, 0, 0)
    _reimport(first, fmt)
    assert _export(fmt) == first


def test_a_stage_imported_alone_keeps_the_topic_of_its_complaint_and_its_own_service_area(structured_council):
    records_import(data=records_csv(*WITHOUT_TEAMS[:1]), filename="t.csv", acting_user=None, today=TODAY)
    later = ",T1/2,T1,complaint,,2,2023-06-20,,no,,2023-08-01,upheld,,,,,,,,,,,,,,,,,,,,,,,,,"
    assert records_import(data=records_csv(later), filename="t.csv", acting_user=None, today=TODAY).errors == []
    records = _by_ref()
    assert [(records[ref].service_area, records[ref].topic) for ref in ("T1", "T1/2")] == [
        ("Front Door", "Contact visits"),
        (None, "Contact visits"),  # the service area belongs to each stage (§4); this row names none
    ]


def test_the_acknowledged_date_is_imported_onto_its_stage_and_exported(structured_council):
    from opencomplaints.cases.models import Stage
    from opencomplaints.interchange.tests.conftest import HEADER

    header = HEADER.replace(",received,", ",received,acknowledged,")
    rows = [
        ",A1,A1,complaint,,1,2023-04-03,2023-04-05" + ",,,,2023-04-20,upheld" + "," * 25,
        ",A1/2,A1,complaint,,2,2023-05-02,,2023-05-09,,,2023-06-01,not_upheld" + "," * 25,
    ]
    data = "\n".join([header, *rows]).encode()
    outcome = records_import(data=data, filename="ack.csv", acting_user=None, today=TODAY)
    assert outcome.errors == []
    acknowledged = dict(Stage.objects.values_list("number", "acknowledged_date"))
    assert acknowledged == {1: date(2023, 4, 5), 2: None}
    exported = _export("csv").decode("utf-8-sig").splitlines()
    assert exported[0].split(",")[6:8] == ["received", "acknowledged"]
    assert exported[1].split(",")[6:8] == ["2023-04-03", "2023-04-05"]
    assert exported[2].split(",")[6:8] == ["2023-05-02", ""]
    first = _export("jsonl")
    _reimport(first, "jsonl")
    assert _export("jsonl") == first


@pytest.mark.parametrize(
    ("acknowledged", "reason"),
    [
        ("2023-04-01", "The acknowledgement (01/04/2023) cannot be before the date received (03/04/2023)."),
        ("2030-01-01", "2030-01-01 is in the future"),
        ("31/02/2023", "31/02/2023 is not a real date."),
    ],
)
def test_a_wrong_acknowledged_date_is_refused(structured_council, acknowledged, reason):
    from opencomplaints.cases.models import Case
    from opencomplaints.interchange.tests.conftest import HEADER

    header = HEADER.replace(",received,", ",received,acknowledged,")
    data = "\n".join([header, f",A1,A1,complaint,,1,2023-04-03,{acknowledged}" + "," * 30]).encode()
    outcome = records_import(data=data, filename="ack.csv", acting_user=None, today=TODAY)
    assert [(e.line, e.column) for e in outcome.errors] == [(2, "acknowledged")]
    assert reason in outcome.errors[0].reason
    assert not Case.objects.exists()


# Two stages of one complaint that differ in every column a stage keeps for itself (interchange §4).
_TWO_STAGES = (
    ",D1,D,complaint,,1,2023-04-03,,no,,2023-04-14,not_upheld,Localities,Assessment East,Delay,parent_relative,"
    "phone,cin,9,female,WBRI,no,41,female,white_british,no,straight,no,resolved,50.00,apology,,,,,,",
    ",D1/2,D,complaint,,2,2023-05-02,2023-05-09,no,,2023-06-20,upheld,Front Door,MASH,"
    "Communication or lack of it;Delay,advocate,letter,cla,9,female,WBRI,no,41,female,white_british,no,straight,"
    "yes,none,200.00,explanation,,,,,,",
)


def test_two_stages_that_differ_are_imported_exported_and_counted_each_as_it_was(structured_council):
    outcome = records_import(data=records_csv(*_TWO_STAGES), filename="t.csv", acting_user=None, today=TODAY)
    assert outcome.errors == []

    def columns(ref):
        r = _by_ref()[ref]
        return (
            r.received_via, r.service_area, r.teams, r.issues, r.complainant_type, r.support_category,
            r.mediation, r.advocacy, r.outcome, r.compensation, r.remedies,
        )  # fmt: skip

    expected = {
        "D1": ("phone", "Localities", ("Assessment East",), ("Delay",), "parent_relative", "cin", "resolved", False,
               "not_upheld", Decimal("50.00"), ("apology", "financial")),
        "D1/2": ("letter", "Front Door", ("MASH",), ("Communication or lack of it", "Delay"), "advocate", "cla",
                 "none", True, "upheld", Decimal("200.00"), ("explanation", "financial")),
    }  # fmt: skip
    assert {ref: columns(ref) for ref in expected} == expected
    first = _export("csv")
    _reimport(first, "csv")
    assert _export("csv") == first
    assert {ref: columns(ref) for ref in expected} == expected

    report = core_json(
        records_for_councils(councils=list(Council.objects.all())), reporting_year(2023), "children_statutory",
        CALENDAR,
    )  # fmt: skip
    one, two = report["stages"]["1"], report["stages"]["2"]
    assert (one["by_received_via"], two["by_received_via"]) == ({"phone": 1}, {"letter": 1})
    assert (one["by_service_area"], two["by_service_area"]) == ({"Localities": 1}, {"Front Door": 1})
    assert (one["by_team"], two["by_team"]) == ({"Assessment East": 1}, {"MASH": 1})
    assert (one["by_principal_issue"], two["by_principal_issue"]) == ({"Delay": 1}, {"Communication or lack of it": 1})
    assert (one["by_complainant_type"], two["by_complainant_type"]) == ({"parent_relative": 1}, {"advocate": 1})
    assert report["compensation"]["by_stage"]["1"] == "50.00"
    assert report["compensation"]["by_stage"]["2"] == "200.00"
