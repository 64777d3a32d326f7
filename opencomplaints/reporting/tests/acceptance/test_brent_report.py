"""Acceptance: the tables of a London borough's 2023/24 children's social care statutory complaints report
(reference report 002), rebuilt as case-level fixtures and reproduced by the generated report. The year before
comes from historic summary figures, as it would for a council that started using the system in 2023/24.

Where the published report contradicts itself, the test says so and checks the consistent part:

- Section 8.3 says 42 stage 1 complaints were due a response and 33 answered on time (79%), but section 9.2
  says 41 were closed, one of them withdrawn, which leaves 40 to assess: 33 of 40 is 82.5%.
- Section 8.3 says 5 of 7 stage 2 responses were on time, but section 9.2 says 6 stage 2 complaints were closed:
  5 of 6 here.
- The method-of-receipt percentages (73%, 22%, 5%) are 30, 9 and 2 of the 41 complaints.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from opencomplaints.councils.tests.factories import CouncilFactory
from opencomplaints.reporting.services import context_figures_set, historic_figure_set
from opencomplaints.reporting.suppression import suppress_table
from opencomplaints.reporting.tests.acceptance.common import CALENDAR, cached_report, expand, quarter_dates
from opencomplaints.reporting.tests.builder import CaseBuilder, S

LOCALITIES, LAC, EARLY_HELP = "Localities", "Looked After Children and Permanency", "Early Help"
# Stage 1 received by team (sections 5.2 to 5.5): 22 Localities, 18 Looked After Children, 1 Early Help.
STAGE1_TEAMS = {
    ("Children with Disabilities", LOCALITIES): 14,
    ("Family Front Door/MASH/NRPF", LOCALITIES): 6,
    ("East Localities", LOCALITIES): 1,
    ("West Localities", LOCALITIES): 1,
    ("Care Planning", LAC): 10,
    ("Young People in Care", LAC): 8,
    ("Early Years", EARLY_HELP): 1,
}
VIA = {"email": 30, "online": 9, "phone": 2}  # section 6.1
# Section 6.4: 14 complainants gave their ethnicity (2021 Census codes).
ETHNICITY = {
    "any_other_ethnic_group": 1,
    "indian": 2,
    "other_asian": 1,
    "pakistani": 2,
    "african": 2,
    "caribbean": 2,
    "other_mixed": 1,
    "arab": 1,
    "white_british": 1,
    "other_white": 1,
}
# Section 12: compensation by stage.
STAGE1_MONEY = ("2000", "1500", "800")
STAGE2_MONEY = ("95", "300", "300", "350", "300")
STAGE3_MONEY = ("250", "200")
# Section 11.1: the Ombudsman's 22 decisions.
DECISIONS = {"closed_after_initial_enquiries": 13, "incomplete_invalid": 2, "premature": 4, "upheld_fault_injustice": 3}
HISTORIC_2022 = {
    "stage1_received": 82,
    "stage2_received": 6,
    "stage3_received": 5,
    "compensation_total": 13800,
    "ombudsman_received": 9,
    "ombudsman_decided": 11,
    "ombudsman_upheld": 2,
    "compliment_received": 16,
    "stage1_on_time_percent": 85,
}


def _build():
    council = CouncilFactory.create(name="London Borough of Acceptance B", slug="acceptance-b")
    b = CaseBuilder(council)
    teams = expand({f"{t}|{a}": n for (t, a), n in STAGE1_TEAMS.items()})
    vias = expand(VIA)
    ethnicities = expand(ETHNICITY) + [""] * 27
    ages = [date(1999, 1, 10), date(1998, 1, 10)] + [date(1975, 1, 10)] * 15 + [None] * 24  # 24, 25, 15 aged 35+
    outcomes = ["upheld"] * 10 + ["partly_upheld"] * 15 + ["not_upheld"] * 15 + ["withdrawn"]
    money = list(STAGE1_MONEY) + [None] * 38
    received_dates = quarter_dates(2023, (10, 10, 11, 10), last_day=12)
    for n, received in enumerate(received_dates):
        team, area = teams[n].split("|")
        late = n < 7  # the earliest 7 late, 33 on time, 1 withdrawn
        responded = CALENDAR.add_working_days(received, 25 if late else 8)
        b.complaint(
            S(1, received, responded, outcomes[n], compensation=money[n]),
            teams=((team, area),),
            received_via=vias[n],
            complainant_ethnicity=ethnicities[n],
            complainant_born=ages[n],
            complainant_type="child_young_person" if area == LAC else "parent_relative",
        )
    # Stage 2: 7 requests (5 Looked After Children, 2 Children with Disabilities); 6 closed, 5 on time.
    stage2_teams = [("Care Planning", LAC)] * 5 + [("Children with Disabilities", LOCALITIES)] * 2
    stage2_outcomes = ["partly_upheld"] * 4 + ["not_upheld"] * 2
    for n, (team, area) in enumerate(stage2_teams):
        received = date(2023, 5, 2) + timedelta(days=30 * n)
        start = received + timedelta(days=7)
        if n < 6:
            responded = CALENDAR.add_working_days(start, 20 if n < 5 else 30)
            stage = S(
                2,
                received,
                responded,
                stage2_outcomes[n],
                statement_agreed=start,
                compensation=STAGE2_MONEY[n] if n < 5 else None,
            )
        else:
            stage = S(2, received, statement_agreed=start)
        b.complaint(stage, teams=((team, area),))
    # Stage 3: 3 panels, 1 partly upheld, 2 not upheld.
    for n, outcome in enumerate(("partly_upheld", "not_upheld", "not_upheld")):
        received = date(2023, 6, 1) + timedelta(days=60 * n)
        b.complaint(
            S(3, received, received + timedelta(days=60), outcome, compensation=STAGE3_MONEY[n] if n < 2 else None),
            teams=(("Care Planning", LAC),),
        )
    # The Ombudsman: 24 received in the year, 22 decisions made in it.
    decisions = expand(DECISIONS)
    for n in range(24):
        received = date(2023, 4, 10) + timedelta(days=10 * n)
        if n < 22:
            b.other("ombudsman", received, responded=received + timedelta(days=40), decision=decisions[n])
        else:
            b.other("ombudsman", received)
    for received in quarter_dates(2023, (16, 16, 17, 16)):
        b.other("compliment", received)
    b.flush()
    for measure, value in HISTORIC_2022.items():
        historic_figure_set(council=council, year=2022, measure=measure, value=value, acting_user=None)
    context_figures_set(
        council=council,
        year=2023,
        figures={
            "referrals": 3777,
            "assessments": 3226,
            "children_in_need": 2729,
            "child_protection_plans": 361,
            "children_looked_after": 307,
            "care_leavers": 612,
            "population_0_17": 77113,
        },
        acting_user=None,
    )
    return [council]


@pytest.fixture
def report(db):
    return cached_report("brent", _build, year=2023, procedure="children_statutory")


def test_headlines_as_sentences(report):
    summary = report.sections[0].sentences
    assert "Stage 1 complaints fell by 50%, from 82 in 2022/23 to 41 in 2023/24." in summary
    assert "Stage 2 complaints rose by 17%, from 6 in 2022/23 to 7 in 2023/24." in summary
    assert "Stage 3 complaints fell by 40%, from 5 in 2022/23 to 3 in 2023/24." in summary
    assert "Compensation paid or offered fell by 56%, from £13,800 in 2022/23 to £6,095 in 2023/24." in summary


def test_section_5_complaints_received_by_service_area_and_team(report):
    areas = report.table("service_area_by_stage")
    assert areas.row(LOCALITIES)[1:3] == (22, 2)
    assert areas.row(LAC)[1:3] == (18, 5)
    assert areas.row(EARLY_HELP)[1:3] == (1, 0)
    assert report.core["stages"]["1"]["by_team"]["Children with Disabilities"] == 14
    assert report.core["stages"]["3"]["received"] == 3


def test_section_6_method_of_contact_and_complainants(report):
    assert report.core["stages"]["1"]["by_received_via"] == {"email": 30, "online": 9, "phone": 2}
    via = report.table("received_via_by_stage")
    assert round(30 / 41 * 100) == 73
    assert via.row("Email")[1] == 30
    ages = report.table("equality_complainant_age").as_dict("Complaints")
    assert ages["18 to 24"] == 1
    assert ages["25 to 34"] == 1
    assert ages["45 to 54"] == 15  # all aged 35 or over
    # Equality counts each complaint once: the 24 stage 1 complainants who gave no age, and the 10 stage 2 and 3
    # fixtures, which carry no personal details here.
    assert ages["Not known"] == 34


def test_section_6_4_complainant_ethnicity_exact_and_suppressed_when_published(report):
    table = report.table("equality_complainant_ethnicity")
    counts = table.as_dict("Complaints")
    # The 2021 Census high-level groups: Indian, Pakistani and other Asian are Asian; Arab and any other, Other.
    assert counts["Asian, Asian British or Asian Welsh"] == 5
    assert counts["Other ethnic group"] == 2
    assert sum(v for k, v in counts.items() if k not in {"Not known", "Total"}) == 14
    published = suppress_table(table)
    small = [row for row in published.rows[:-2] if 0 < counts[str(row[0])] < 5]
    assert len(small) == 4  # Black, Mixed, White and Other
    assert all(str(row[1]) in {"<5", "c"} for row in small)


def test_sections_8_and_9_timeliness_and_outcomes(report):
    stage1 = report.core["stages"]["1"]
    assert stage1["outcomes"]["upheld"] + stage1["outcomes"]["partly_upheld"] == 25
    assert (stage1["outcomes"]["not_upheld"], stage1["outcomes"]["withdrawn"], stage1["completed"]) == (15, 1, 41)
    on_time = stage1["timeliness"]["within_timescale"] + stage1["timeliness"]["within_extended_timescale"]
    assert (on_time, stage1["timeliness"]["assessed"]) == (33, 40)  # published: 33 of 42 (see the docstring)
    stage2 = report.core["stages"]["2"]
    assert (stage2["completed"], stage2["outcomes"]["partly_upheld"], stage2["outcomes"]["not_upheld"]) == (6, 4, 2)
    assert stage2["timeliness"]["within_timescale"] == 5
    stage3 = report.core["stages"]["3"]["outcomes"]
    assert (stage3["partly_upheld"], stage3["not_upheld"]) == (1, 2)


def test_section_11_ombudsman(report):
    assert report.core["ombudsman"] == {"decided": 22, "by_decision": DECISIONS | {}}
    summary = report.table("ombudsman_summary")
    assert summary.row("Received")[1] == 24
    assert summary.row("Upheld (fault found)")[1:] == (3, 13.6)  # published: 14%
    assert report.table("trend_performance").rows  # the year before comes from historic figures


def test_section_12_compensation(report):
    assert report.core["compensation"] == {
        "total": "6095.00",
        "by_stage": {"1": "4300.00", "2": "1345.00", "3": "450.00", "ombudsman": "0.00"},
        "records": 10,
    }
    assert report.table("compensation").row("Total")[1:] == (Decimal("6095.00"), 10)


def test_section_13_benchmarking_and_section_4_context(report):
    rates = report.table("benchmarking")
    ombudsman = rates.row("Ombudsman cases received")
    assert ombudsman[1:3] == (24, 3.1)  # published per 100,000 children: 31.1
    context = report.table("context")
    assert context.row("Referrals to children's social care")[1] == 3777
    assert context.row("Population aged 0 to 17")[1] == 77113


def test_section_14_compliments(report):
    assert report.core["other_representations"]["compliment"] == 65
    other = report.table("trend_other").as_dict("Compliments")
    assert other == {"2022/23": 16, "2023/24": 65}
