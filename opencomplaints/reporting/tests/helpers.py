"""Hand-built records and report inputs for the metric and renderer tests (no database)."""

import itertools
from datetime import date
from decimal import Decimal

from opencomplaints.deadlines import england_and_wales_calendar
from opencomplaints.records import Record
from opencomplaints.reporting.metrics.trends import merge_trends
from opencomplaints.reporting.periods import reporting_year, trend_years
from opencomplaints.reporting.report import Quote, ReportInputs

CALENDAR = england_and_wales_calendar()
YEAR = reporting_year(2023)  # 1 April 2023 to 31 March 2024
_refs = itertools.count(1)


def rec(**fields) -> Record:
    """A record with sensible defaults: a stage 1 children's statutory complaint received 3 April 2023."""
    fields.setdefault("ref", f"R{next(_refs)}")
    fields.setdefault("kind", "complaint")
    if fields["kind"] == "complaint":
        fields.setdefault("procedure", "children_statutory")
        fields.setdefault("stage", 1)
    fields.setdefault("received", date(2023, 4, 3))
    if isinstance(fields.get("compensation"), (int, str)):
        fields["compensation"] = Decimal(fields["compensation"])
    return Record(**fields)


def inputs(records, *, quotes=(), learning=(), context=None, names=frozenset(), historic=None, first_data_year=2023):
    years = trend_years(YEAR, count=3)
    trend = merge_trends(years=years, computed={}, historic=historic or {}, first_data_year=first_data_year)
    return ReportInputs(
        council_names=("Borough of Exampleton",),
        period=YEAR,
        procedure="children_statutory",
        records=records,
        calendar=CALENDAR,
        trend=trend,
        context=context or {},
        quotes=[Quote(text=q) if isinstance(q, str) else q for q in quotes],
        learning=learning,
        names=names,
    )


def sample_records() -> list[Record]:
    """A small year of every kind of record, enough to fill every section of the report."""
    records = []
    for n in range(12):
        received = date(2023, 4 + n % 9, 3 + n)
        records.append(
            rec(
                case_ref=f"C{n}",
                received=received,
                responded=date(received.year, received.month, received.day + 7),
                outcome=("upheld", "partly_upheld", "not_upheld", "withdrawn")[n % 4],
                teams=("Assessment Team",) if n % 2 else ("Assessment Team", "Fostering"),
                service_area="Localities" if n % 3 else "Children in Care",
                issues=("Communication", "Delay") if n % 2 else ("Delay",),
                complainant_type="child_young_person" if n % 5 == 0 else "parent_relative",
                received_via="email",
                support_category="cin",
                child_age=n,
                child_sex="female" if n % 2 else "male",
                child_ethnicity="WBRI",
                complainant_age=30 + n,
                compensation="100.00" if n == 3 else None,
                remedies=("apology",) if n % 2 else (),
            )
        )
    records.append(
        rec(
            case_ref="C0",
            ref="C0/2",
            stage=2,
            received=date(2023, 5, 1),
            stage2_start=date(2023, 5, 10),
            responded=date(2023, 6, 30),
            outcome="partly_upheld",
            compensation="250.00",
        )
    )
    records.append(
        rec(
            kind="ombudsman",
            received=date(2023, 6, 1),
            responded=date(2023, 9, 1),
            lgsco_decision="upheld_fault_injustice",
            compensation="300.00",
            topic="Delay in assessment",
        )
    )
    for kind in ("potential_complaint", "query", "mp_enquiry", "member_enquiry", "compliment"):
        records.append(rec(kind=kind, received=date(2023, 7, 3), responded=date(2023, 7, 10), topic="Housing"))
    return records
