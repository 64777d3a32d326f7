"""Acceptance: the tables of a London borough's 2021/22 children's social care annual complaints report
(reference report 003), rebuilt as case-level fixtures and reproduced by the generated report.

This council counts complaints in the year they are completed, so the report is asked to count breakdowns by
completed complaints (R1.41); earlier years come from historic summary figures. Where the published report
contradicts itself, the test says so and checks the consistent part:

- Table 3's total for quarter 4 is 21, but its rows add up to 22 (as Table 2 has it) and the year to 68.
- Section 7.1 gives the Advice, Support and Help service 18 complaints; Table 3's rows give it 17 (14 + 3).
- Footnote 2 has 85 stage 1 complaints received, 68 completed (4 of them from the year before) and 7 still open:
  85 - 64 leaves 21 open, not 7. Stage 2 (20 received, 22 completed of which 5 carried over, "10 open") and
  stage 3 (9 received, 6 completed of which 2 carried over, "2 open") disagree in the same way: here 3 and 5.
- Section 6.3 says six stage 1 complaints were withdrawn; Table 5 and section 11 say five.
- Table 6 prints 20% for 14 of 68 (20.6%).
- Section 8 describes 19 placement and 13 assessment complaints, against Table 4's 17 and 9; only the staff
  attitude figures (4 of 8 upheld or partly upheld, 50%) agree with the table and are checked.
- Section 13 counts the 88 children the 68 stage 1 complaints concerned (13.5). Its age paragraph (13.6, chart
  11) gives 34 aged 0 to 9, 24 aged 10 to 15 and 2 unknown, then "21 young people aged 18-25 ... and a further
  seven were aged 18 to 25": the same band twice. The 88 leave 28 for ages 16 to 25, which is what is checked
  (the fixture puts 7 at 16 to 17 and 21 at 18 to 25). Section 13.4's 17 disabled children are said to be "at
  all stages" while the other figures are of the stage 1 complaints; the fixture's stage 2 and 3 complaints
  stand alone (the report does not say which stage 1 complaints they followed) and record no child, so the 17
  are counted among the 88. Chart 12 (ethnicity) prints no figures, so only its total of 88 is checked.
"""

from datetime import date, timedelta

import pytest

from opencomplaints.councils.tests.factories import CouncilFactory
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.table import Suppressed
from opencomplaints.reporting.renderers.common import publishable
from opencomplaints.reporting.services import historic_figure_set
from opencomplaints.reporting.tests.acceptance.common import (
    CALENDAR,
    cached_report,
    expand,
    quarter_dates,
    working_days_before,
)
from opencomplaints.reporting.tests.builder import CaseBuilder, Child, S

CLA, FSDC, ASH = "Children Looked After", "Family Safeguarding and Disabled Children", "Advice, Support and Help"
TEAMS = {  # Table 3: (team, service area): completed by quarter
    ("Future First", CLA): (3, 3, 2, 5),
    ("CLA locality teams", CLA): (2, 3, 1, 3),
    ("SGO Assessment & Post Permanency", CLA): (0, 2, 0, 0),
    ("Family Safeguarding locality teams", FSDC): (4, 1, 4, 2),
    ("Disabled Children", FSDC): (2, 6, 2, 3),
    ("Referral & Assessment", ASH): (3, 3, 0, 8),
    ("MASH", ASH): (2, 0, 0, 1),
    ("Safeguarding", "Safeguarding Standards Service"): (0, 1, 1, 0),
    ("Business Support", "Business Resource"): (0, 1, 0, 0),
}
ISSUES = {  # Table 4: principal issue, completed by quarter
    "Placement issues/pathway planning": (3, 5, 3, 6),
    "Assessment: Quality and/or process": (4, 1, 1, 3),
    "Lack of support": (2, 3, 2, 2),
    "Staff attitude/conduct": (3, 0, 0, 5),
    "Delays/failure in service or procedures": (0, 3, 0, 4),
    "Communication issues": (3, 2, 1, 0),
    "Contact with looked after children": (1, 2, 1, 1),
    "Disputing professional decisions": (0, 1, 1, 1),
    "Financial issues": (0, 1, 1, 0),
    "Confidentiality": (0, 1, 0, 0),
    "Transition": (0, 1, 0, 0),
}
SUPPORT = {"cla": 16, "care_leaver": 15, "cin": 14, "cp": 12, "front_door": 11}  # Table 6
STAGE1_COMPLETED = (16, 20, 10, 22)  # Table 2
# Section 13: the young people's own complaints concern themselves (12.3: 11 young women and 5 young men, two
# aged 14 to 17 and the rest 17 to 24); the other 52 complaints concern 72 children: 36 one child, 12 two and 4
# three.
YOUNG_AGES = (15, 16, 17, 17, 18, 18, 19, 19, 20, 20, 21, 21, 22, 23, 24, 24)
YOUNG_SEXES = ("female",) * 11 + ("male",) * 5
FAMILY_SIZES = (1,) * 36 + (2,) * 12 + (3,) * 4
# Ages of the 72: 34 aged 0 to 9 in all (with none of the young people), 23 more aged 10 to 15 (24 with the young
# person of 15), 4 more at 16 to 17, 9 more at 18 to 25, and the 2 whose age is not known.
FAMILY_AGES: tuple[int | None, ...] = (
    (0,) * 3 + (3,) * 13 + (7,) * 18 + (12,) * 23 + (16,) * 4 + (19,) * 6 + (22,) * 3 + (None,) * 2
)
FAMILY_SEXES = ("female",) * 31 + ("male",) * 39 + ("unknown",) * 2
DISABILITY = ("yes",) * 17 + ("no",) * 60 + ("unknown",) * 11
ETHNICITY: tuple[str, ...] = (
    ("WBRI",) * 30 + ("WOTH",) * 10 + ("BAFR",) * 10 + ("BCRB",) * 8 + ("MWBC",) * 6 + ("AOTH",) * 6
)
ETHNICITY += ("OOTH",) * 6 + ("NOBT",) * 12


def _children(young: list[bool], support: list[str]) -> list[tuple[Child, ...]]:
    """The children of each of the 68 stage 1 complaints, in the order the complaints are built."""
    family_ages, family_sexes = iter(FAMILY_AGES), iter(FAMILY_SEXES)
    young_ages, young_sexes = iter(YOUNG_AGES), iter(YOUNG_SEXES)
    sizes = iter(FAMILY_SIZES)
    disability, ethnicity = iter(DISABILITY), iter(ETHNICITY)
    result = []
    for n, own in enumerate(young):
        people: list[tuple[int | None, str]] = [(next(young_ages), next(young_sexes))] if own else []
        people += [(next(family_ages), next(family_sexes)) for _ in range(0 if own else next(sizes))]
        result.append(
            tuple(
                Child(age=age, sex=sex, ethnicity=next(ethnicity), disability=next(disability), support=support[n])
                for age, sex in people
            )
        )
    return result


HISTORIC = {  # Table 1, years before the case data
    2017: (107, 15, 5),
    2018: (109, 15, 6),
    2019: (107, 13, 4),
    2020: (75, 10, 6),
}


def _stage1(b: CaseBuilder) -> None:
    teams_by_quarter = [expand({f"{t}|{a}": c[q] for (t, a), c in TEAMS.items()}) for q in range(4)]
    issues_by_quarter = [expand({i: c[q] for i, c in ISSUES.items()}) for q in range(4)]
    rows = []  # (responded, team, area, issue)
    for q in range(4):
        responded_dates = quarter_dates(
            2021, tuple(STAGE1_COMPLETED[i] if i == q else 0 for i in range(4)), last_day=28
        )
        for n, responded in enumerate(responded_dates):
            team, area = teams_by_quarter[q][n].split("|")
            rows.append((responded, team, area, issues_by_quarter[q][n]))
    # Table 5 outcomes; staff attitude complaints: 4 of 8 upheld or partly upheld.
    outcomes = {"upheld": 20, "partly_upheld": 20, "not_upheld": 23, "withdrawn": 5}
    staff = [
        "upheld",
        "partly_upheld",
        "upheld",
        "partly_upheld",
        "not_upheld",
        "not_upheld",
        "not_upheld",
        "not_upheld",
    ]
    for outcome in staff:
        outcomes[outcome] -= 1
    others = expand(outcomes)
    support = expand(SUPPORT)
    young = [True] * 16 + [False] * 52
    children = _children(young, support)
    carried = 0
    on_time_left = 35
    for n, (responded, team, area, issue) in enumerate(rows):
        outcome = staff.pop() if issue == "Staff attitude/conduct" else others.pop()
        if carried < 4 and responded.month in {4, 5}:
            received, carried = date(2021, 3, 22), carried + 1  # carried over from 2020/21
            responded = CALENDAR.add_working_days(received, 9)
            on_time_left -= outcome != "withdrawn"
        elif outcome != "withdrawn" and on_time_left > 0 and not (responded.month in {4, 5} and responded.day < 15):
            received, on_time_left = working_days_before(responded, 8), on_time_left - 1
        else:
            received = max(working_days_before(responded, 25), date(2021, 4, 1))
        b.complaint(
            S(1, received, responded, outcome),
            teams=((team, area),),
            issues=(issue,),
            complainant_type="child_young_person" if young[n] else "parent_relative",
            children=children[n],
        )
    for received in quarter_dates(2021, (0, 0, 6, 15)):  # received in the year and still open at its end
        b.complaint(S(1, received), with_child=False)


def _stage2(b: CaseBuilder) -> None:
    """22 completed (5 carried over), 5 withdrawn; of 17 assessed, 2 on time, 6 up to 10 days late, 2 up to 30,
    7 over 30 (section 11.8); all with an extension to 65 working days."""
    plan = (
        [(date(2021, 6, 10), 0, "partly_upheld")] * 2
        + [(date(2021, 6, 15), 0, "withdrawn")] * 3
        + [(date(2021, 9, 20), 5, "partly_upheld")] * 5
        + [
            (date(2021, 12, 10), 5, "partly_upheld"),
            (date(2021, 12, 10), 20, "upheld"),
            (date(2021, 12, 10), 20, "upheld"),
            (date(2021, 12, 10), 35, "partly_upheld"),
            (date(2021, 12, 10), 35, "partly_upheld"),
            (date(2021, 12, 13), 0, "withdrawn"),
            (date(2021, 12, 13), 0, "withdrawn"),
        ]
        + [(date(2022, 3, 15), 40, "partly_upheld")] * 5
    )
    for n, (responded, late_by, outcome) in enumerate(plan):
        if n < 2:
            start = date(2021, 3, 1)  # carried over from 2020/21, answered within 65 working days
            responded = CALENDAR.add_working_days(start, 60)
        elif n < 5:
            start = date(2021, 3, 1)  # carried over from 2020/21
        elif outcome == "withdrawn":
            start = responded - timedelta(days=30)
        else:
            start = working_days_before(responded, 65 + late_by)
        b.complaint(
            S(2, start - timedelta(days=3), responded, outcome, extended=True, statement_agreed=start),
            with_child=False,
        )
    for received in quarter_dates(2021, (0, 0, 0, 3)):
        b.complaint(S(2, received), with_child=False)


def _stage3(b: CaseBuilder) -> None:
    """6 completed (2 carried over): no panel on time; every response within 15 working days of the report."""
    for responded in (
        date(2021, 5, 20),
        date(2021, 6, 10),
        date(2021, 8, 20),
        date(2021, 9, 10),
        date(2021, 11, 20),
        date(2021, 12, 10),
    ):
        report = working_days_before(responded, 12)
        panel = working_days_before(report, 4)
        received = working_days_before(panel, 40)
        if responded.month > 6:
            received = max(received, date(2021, 4, 2))
        b.complaint(S(3, received, responded, "partly_upheld", panel=panel, panel_report=report), with_child=False)
    for received in quarter_dates(2021, (0, 0, 1, 4)):
        b.complaint(S(3, received), with_child=False)


def _build():
    council = CouncilFactory.create(name="London Borough of Acceptance W", slug="acceptance-w")
    b = CaseBuilder(council)
    _stage1(b)
    _stage2(b)
    _stage3(b)
    for n in range(11):
        b.other(
            "ombudsman",
            date(2021, 5, 1) + timedelta(days=9 * n),
            responded=date(2021, 9, 1) + timedelta(days=9 * n),
            decision="upheld_fault_injustice" if n < 5 else "closed_after_initial_enquiries",
        )
    b.flush()
    for year, counts in HISTORIC.items():
        for stage, value in enumerate(counts, start=1):
            historic_figure_set(
                council=council, year=year, measure=f"stage{stage}_completed", value=value, acting_user=None
            )
    for stage, value in enumerate((60, 15, 7), start=1):
        historic_figure_set(council=council, year=2020, measure=f"stage{stage}_received", value=value, acting_user=None)
    return [council]


@pytest.fixture
def report(db):
    return cached_report("wandsworth", _build, year=2021, procedure="children_statutory", basis=Basis.COMPLETED)


def test_table_1_complaints_by_year(report):
    completed = report.table("trend_completed")
    assert completed.row("2017/18")[1:] == (107, 15, 5, 127)
    assert completed.row("2018/19")[1:] == (109, 15, 6, 130)
    assert completed.row("2019/20")[1:] == (107, 13, 4, 124)
    assert completed.row("2020/21")[1:] == (75, 10, 6, 91)
    assert completed.row("2021/22")[1:] == (68, 22, 6, 96)
    received = report.table("trend_received")
    assert received.row("2020/21")[1:] == (60, 15, 7, 82)
    assert received.row("2021/22")[1:] == (85, 20, 9, 114)
    assert "historic summary figures" in completed.notes[0]


def test_table_2_completed_by_quarter_and_carried_over(report):
    table = report.table("completed_by_quarter")
    assert table.row("Stage 1")[1:] == (16, 20, 10, 22, 68)
    assert table.row("Stage 2")[1:] == (5, 5, 7, 5, 22)
    assert table.row("Stage 3")[1:] == (2, 2, 2, 0, 6)
    assert table.row("Total")[1:] == (23, 27, 19, 27, 96)
    volumes = report.table("stage_volumes")
    assert volumes.row("Stage 1")[3:] == (68, 4, 21)  # completed, of which carried over, open at end (see above)
    assert volumes.row("Stage 2")[3:5] == (22, 5)
    assert volumes.row("Stage 3")[3:5] == (6, 2)


def test_table_3_stage_1_completed_by_service_area_and_team(report):
    table = report.table("stage1_service_area_team_by_quarter")
    by_team = {row[1]: (row[0], row[2:]) for row in table.rows if row[0] != "Total"}
    for (team, area), quarters in TEAMS.items():
        assert by_team[team] == (area, (*quarters, sum(quarters)))
    assert table.rows[-1][2:] == (16, 20, 10, 22, 68)  # published: Q4 21 (its rows give 22)
    areas = report.table("service_area_by_stage")
    assert areas.row(CLA)[1] == 24
    assert areas.row(FSDC)[1] == 24
    assert areas.row(ASH)[1] == 17  # section 7.1 says 18


def test_table_4_principal_issues_by_quarter_and_staff_attitude_uphold_rate(report):
    table = report.table("stage1_principal_issue_by_quarter")
    for issue, quarters in ISSUES.items():
        assert table.row(issue)[1:] == (*quarters, sum(quarters))
    assert table.row("Total")[1:] == (16, 20, 10, 22, 68)
    issues = report.table("stage1_issues")
    assert issues.row("Staff attitude/conduct")[3:] == (8, 4, 50.0)


def test_table_5_stage_1_outcomes(report):
    table = report.table("outcomes")
    assert [table.cell(o, "Stage 1") for o in ("Upheld", "Partly upheld", "Not upheld", "Withdrawn")] == [20, 20, 23, 5]
    assert [table.cell(o, "Stage 1 %") for o in ("Upheld", "Partly upheld", "Not upheld", "Withdrawn")] == [
        29.4,
        29.4,
        33.8,
        7.4,
    ]


def test_section_11_response_times(report):
    stage1 = report.core["stages"]["1"]["timeliness"]
    assert stage1["assessed"] == 63
    assert stage1["within_timescale"] + stage1["within_extended_timescale"] == 35  # 56%
    assert stage1["late"] == 28
    lateness = report.table("stage2_lateness").as_dict("Number")
    assert lateness == {"on time": 2, "1-10 days late": 6, "11-30 days late": 2, "over 30 days late": 7, "Total": 17}
    stage3 = report.core["stages"]["3"]["timeliness"]
    assert stage3 == {"assessed": 6, "panel_on_time": 0, "panel_report_on_time": 6, "response_on_time": 6}


def test_sections_12_and_13_young_people_and_category_of_support(report):
    types = report.table("complainant_type_by_stage")
    assert types.row("Child or young person")[1] == 16
    assert types.row("Parent or relative")[1] == 52
    support = report.table("support_category_by_stage")
    assert [
        support.row(name)[1]
        for name in (
            "Child looked after",
            "Care leaver",
            "Child in need",
            "Child protection plan",
            "Front door / referral",
        )
    ] == [16, 15, 14, 12, 11]
    assert support.row("Total")[1] == 68


def test_section_15_ombudsman_and_the_counting_basis(report):
    assert report.core["ombudsman"]["decided"] == 11
    assert any("complaints completed (responded to) in the period" in s for s in report.counting_basis)
    # The JSON core keeps the contract's basis (received) whatever the report's breakdowns count.
    assert report.core["stages"]["1"]["received"] == 85


def test_section_13_the_88_children_the_stage_1_complaints_concerned(report):
    ages = report.table("equality_child_age").as_dict("Children")
    assert ages["Under 1"] + ages["1 to 4"] + ages["5 to 9"] == 34
    assert ages["10 to 15"] == 24
    assert ages["16 to 17"] + ages["18 to 20"] + ages["21 to 25"] == 28  # see the module docstring
    assert (ages["Not known"], ages["Total"]) == (2, 88)
    sexes = report.table("equality_child_sex").as_dict("Children")
    assert sexes == {"Male": 44, "Female": 42, "Not known": 2, "Total": 88}
    assert report.table("equality_child_disability").as_dict("Children")["Yes"] == 17
    ethnicity = report.table("equality_child_ethnicity").as_dict("Children")
    # One classification, the 2021 Census high-level groups: the DfE codes WBRI (30) and WOTH (10) are White.
    assert (ethnicity["White"], ethnicity["Total"]) == (40, 88)
    # The complainants are still counted once a complaint: 68 completed at stage 1, and the 28 at stages 2 and 3.
    assert report.table("equality_complainant_sex").as_dict("Complaints")["Total"] == 96


def test_section_13_children_tables_are_suppressed_when_published(report):
    published = publishable(report, min_cell=5)
    sexes = published.table("equality_child_sex").as_dict("Children")
    assert sexes["Not known"] == Suppressed(primary=True)
    assert sexes["Total"] == 88
    assert published.table("equality_child_age").as_dict("Children")["Under 1"] == Suppressed(primary=True)
