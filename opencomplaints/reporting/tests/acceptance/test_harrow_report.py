"""Acceptance: the tables of a London borough's 2022/23 children's services complaints report (reference report
000), rebuilt as case-level fixtures and reproduced by the generated report.

The council reports its statutory and corporate (education) complaints together, so the report is asked for
every procedure ("all"). Where the published tables contradict themselves, the test says so and checks the
consistent part:

- Table 2 gives 190 as the 2021/22 total, but its parts (27 + 6 + 0 + 3 + 121) add up to 157.
- Table 4 (outcomes by year) gives 23 "not upheld" in 2021/22, but its rows (5 + 17) add up to 22; the
  percentages printed for that year fit neither.
- Table 6 gives a 44% escalation rate for 2020/21, but 4 stage 2 requests against 10 stage 1 completions is 40%
  (Table 5's counts by service give the other rates it prints: 1 of 1 is 100% and 3 of 9 is 33%).
- Chart 4 counts 72 issues for the 69 stage 1 complaints; the report does not say how, and 72 fits complaints
  that may name more than one issue (here three name a second), counted once under each issue named.
"""

from datetime import date, timedelta

import pytest

from opencomplaints.councils.tests.factories import CouncilFactory
from opencomplaints.reporting.renderers.common import chart_data
from opencomplaints.reporting.tests.acceptance.common import cached_report, expand, quarter_dates
from opencomplaints.reporting.tests.builder import CaseBuilder, S

EDUCATION, SOCIAL_CARE = "Education/SEN", "Children's social care"
EDUCATION_TEAMS = {"Admissions/Education", "School Transport", "SENARS"}
# Table 4 (stage 1 received by team and quarter); teams in the order the council lists them.
TEAMS_BY_QUARTER = {
    "Children's Safeguarding": (0, 0, 0, 1),
    "Children Looked After": (0, 1, 2, 4),
    "CYAD": (1, 1, 3, 2),
    "MASH": (0, 1, 0, 1),
    "Admissions/Education": (0, 1, 1, 2),
    "School Transport": (0, 0, 2, 1),
    "SENARS": (5, 3, 4, 7),
    "Child in Need": (1, 3, 6, 10),
    "First Response Team": (1, 1, 3, 5),
    "Fostering": (0, 0, 1, 0),
}
STAGE1_BY_QUARTER = (7, 11, 21, 30)
# Table 1.
OTHER_BY_QUARTER = {
    "query": (52, 37, 10, 7),
    "mp_enquiry": (15, 8, 15, 13),
    "member_enquiry": (10, 16, 11, 8),
    "compliment": (4, 10, 2, 5),
}
OMBUDSMAN_BY_QUARTER = (0, 5, 1, 2)
STAGE2_BY_QUARTER = (2, 2, 1, 4)
# Table 8.
MP_TOPICS = {
    "School admission": 20,
    "Welfare/housing": 4,
    "Safeguarding": 2,
    "School Transport": 1,
    "School exclusions": 1,
    "Accommodation support": 1,
    "Deportation concern": 2,
    "School issues": 4,
    "Bullying in school": 1,
    "EHCP/SEN provision": 7,
    "Change of Social Worker": 1,
    "Social care support": 7,
}
MEMBER_TOPICS = {
    "School admission": 25,
    "Welfare/Housing": 5,
    "Social care support": 5,
    "School concerns": 1,
    "Unauthorised leave": 1,
    "Alleged harassment by social care staff": 1,
    "Weekend use of school facilities": 1,
    "OT provision": 1,
    "EHCP/SEN provision": 1,
    "s.7 court report": 1,
    "Early Years support": 1,
    "s.17/s47 Assessment": 2,
}
# Chart 4, "Nature of complaints": issues named by the stage 1 complaints received in 2022/23.
ISSUES = {
    "CS intervention": 5,
    "EHCP": 15,
    "Level of support": 10,
    "Individual staff": 12,
    "Request for support": 1,
    "SEN transport": 4,
    "School admissions": 3,
    "Delay": 3,
    "Assessment/Reports": 8,
    "Communication": 3,
    "Child protection/Welfare": 5,
    "Bias/Discrimination": 2,
    "Foster carer": 1,
}
# Table 4 (outcomes by year) and Table 5 (stage 2 by service): (not upheld, partly upheld, upheld), stage 2.
OUTCOMES = {
    2022: {EDUCATION: ((8, 1, 8), 2), SOCIAL_CARE: ((30, 8, 1), 7)},
    2021: {EDUCATION: ((5, 1, 1), 1), SOCIAL_CARE: ((17, 3, 0), 5)},
    2020: {EDUCATION: ((0, 1, 0), 1), SOCIAL_CARE: ((7, 2, 0), 3)},
}


def _area(team: str) -> str:
    return EDUCATION if team in EDUCATION_TEAMS else SOCIAL_CARE


def _stage1_2022(b: CaseBuilder) -> None:
    """69 stage 1 complaints received in 2022/23 with the teams of Table 4; 56 completed with Table 4's outcomes,
    35 of them on time (63%, section 4.1.3)."""
    complaints: list[list[str]] = []  # teams of each complaint, by quarter
    dates: list[date] = []
    for q, total in enumerate(STAGE1_BY_QUARTER):
        mentions = expand({t: c[q] for t, c in TEAMS_BY_QUARTER.items()})
        education = [t for t in mentions if t in EDUCATION_TEAMS]
        social = [t for t in mentions if t not in EDUCATION_TEAMS]
        n_social = total - len(education)
        quarter = [[t] for t in education] + [[t] for t in social[:n_social]]
        for extra in social[n_social:]:  # a complaint naming a second team
            next(c for c in quarter if c[0] not in EDUCATION_TEAMS and extra not in c).append(extra)
        complaints += quarter
        dates += quarter_dates(2022, tuple(len(quarter) if i == q else 0 for i in range(4)), last_day=18)
    rows = sorted(zip(dates, complaints, strict=True), key=lambda row: row[0])
    outcomes = {
        area: expand(dict(zip(("not_upheld", "partly_upheld", "upheld"), counts, strict=True)))
        for area, (counts, _) in OUTCOMES[2022].items()
    }
    mentions = expand(ISSUES)
    issues = [[issue] for issue in mentions[: len(rows)]]
    for n, second in enumerate(mentions[len(rows) :]):  # the issues beyond one a complaint are second issues
        issues[n].append(second)
    completed = 0
    for (received, teams), named in zip(rows, issues, strict=True):
        area = _area(teams[0])
        stage = S(1, received)
        if outcomes[area]:
            completed += 1
            late = completed <= 21  # the earliest 21 completed late, the other 35 on time
            stage = S(1, received, received + timedelta(days=35 if late else 7), outcomes[area].pop())
        b.complaint(
            stage,
            procedure="corporate" if area == EDUCATION else "children_statutory",
            teams=tuple((t, _area(t)) for t in teams),
            issues=tuple(named),
        )


def _other_2022(b: CaseBuilder) -> None:
    for kind, counts in OTHER_BY_QUARTER.items():
        topics = (
            expand(MP_TOPICS) if kind == "mp_enquiry" else expand(MEMBER_TOPICS) if kind == "member_enquiry" else []
        )
        for n, received in enumerate(quarter_dates(2022, counts)):
            b.other(kind, received, responded=received + timedelta(days=7), topic=topics[n] if topics else "")
    for received in quarter_dates(2022, OMBUDSMAN_BY_QUARTER):
        b.other("ombudsman", received)
    escalations = expand({area: s2 for area, (_, s2) in OUTCOMES[2022].items()})
    for area, received in zip(escalations, quarter_dates(2022, STAGE2_BY_QUARTER), strict=True):
        b.complaint(
            S(2, received),
            procedure="corporate" if area == EDUCATION else "children_statutory",
            teams=(("SENARS" if area == EDUCATION else "Child in Need", area),),
        )


def _earlier_year(b: CaseBuilder, year: int, *, queries: int, ombudsman: int, on_time: int) -> None:
    """Table 2 and Tables 4 and 6 for an earlier year: stage 1 received and completed in it, stage 2 requests."""
    n = 0
    for area, (counts, stage2) in OUTCOMES[year].items():
        team = "SENARS" if area == EDUCATION else "Child in Need"
        outcomes = expand(dict(zip(("not_upheld", "partly_upheld", "upheld"), counts, strict=True)))
        for outcome in outcomes:
            received = date(year, 5, 2) + timedelta(days=7 * n)
            days = 7 if n < on_time else 35
            n += 1
            b.complaint(
                S(1, received, received + timedelta(days=days), outcome),
                procedure="corporate" if area == EDUCATION else "children_statutory",
                teams=((team, area),),
            )
        for k in range(stage2):
            b.complaint(
                S(2, date(year, 9, 1) + timedelta(days=k)),
                procedure="corporate" if area == EDUCATION else "children_statutory",
                teams=((team, area),),
            )
    for k in range(queries):
        b.other("query", date(year, 6, 1) + timedelta(days=k % 200))
    for k in range(ombudsman):
        b.other("ombudsman", date(year, 7, 1) + timedelta(days=k))


@pytest.fixture
def report(db):
    def build():
        council = CouncilFactory.create(name="London Borough of Acceptance", slug="acceptance-h")
        b = CaseBuilder(council)
        _earlier_year(b, 2020, queries=85, ombudsman=1, on_time=5)
        _earlier_year(b, 2021, queries=121, ombudsman=3, on_time=15)
        _stage1_2022(b)
        _other_2022(b)
        b.flush()
        return [council]

    return cached_report("harrow", build, year=2022, procedure="all")


def test_table_1_representations_by_quarter(report):
    table = report.table("representations_by_quarter")
    assert table.row("Stage 1")[1:] == (7, 11, 21, 30, 69)
    assert table.row("Stage 2")[1:] == (2, 2, 1, 4, 9)
    assert table.row("Ombudsman case")[1:] == (0, 5, 1, 2, 8)
    assert table.row("Query")[1:] == (52, 37, 10, 7, 106)
    assert table.row("MP enquiry")[1:] == (15, 8, 15, 13, 51)
    assert table.row("Councillor enquiry")[1:] == (10, 16, 11, 8, 45)
    assert table.row("Compliment")[1:] == (4, 10, 2, 5, 21)
    assert table.row("Total")[1:] == (90, 89, 61, 69, 309)
    # Chart 2, the quarterly trend of stage 1 and 2 complaints: 9, 13, 22 and 34.
    assert [a + b for a, b in zip(table.row("Stage 1")[1:5], table.row("Stage 2")[1:5], strict=True)] == [9, 13, 22, 34]


def test_table_2_yearly_trends(report):
    received = report.table("trend_received").as_dict("Stage 1")
    assert received == {"2020/21": 10, "2021/22": 27, "2022/23": 69}
    assert report.table("trend_received").as_dict("Stage 2") == {"2020/21": 4, "2021/22": 6, "2022/23": 9}
    assert report.table("trend_received").as_dict("Stage 3") == {"2020/21": 0, "2021/22": 0, "2022/23": 0}
    other = report.table("trend_other")
    assert other.as_dict("Ombudsman received") == {"2020/21": 1, "2021/22": 3, "2022/23": 8}
    assert other.as_dict("Queries") == {"2020/21": 85, "2021/22": 121, "2022/23": 106}
    # The published totals: 2022/23 69 + 9 + 0 + 8 + 106 = 192 and 2020/21 100; 2021/22 is 157 (not 190).
    for year, total in (("2022/23", 192), ("2021/22", 157), ("2020/21", 100)):
        parts = [report.table("trend_received").as_dict(f"Stage {s}")[year] for s in (1, 2, 3)]
        assert sum(parts) + other.as_dict("Ombudsman received")[year] + other.as_dict("Queries")[year] == total


def test_table_4_stage_1_teams_by_quarter_counts_each_team_named(report):
    table = report.table("stage1_service_area_team_by_quarter")
    by_team = {row[1]: row[2:] for row in table.rows if row[0] != "Total"}
    for team, quarters in TEAMS_BY_QUARTER.items():
        assert by_team[team] == (*quarters, sum(quarters)), team
    assert table.rows[-1][2:] == (8, 11, 22, 33, 74)  # 74 team mentions for 69 complaints


def test_table_4_outcomes_by_service_and_chart_6_percentages(report):
    table = report.table("stage1_outcomes_by_service_area")
    columns = ("Not upheld", "Partly upheld", "Upheld", "Total completed")
    assert [table.cell(EDUCATION, c) for c in columns] == [8, 1, 8, 17]
    assert [table.cell(SOCIAL_CARE, c) for c in columns] == [30, 8, 1, 39]
    assert [table.cell("Total", c) for c in columns] == [38, 9, 9, 56]
    outcomes = report.table("outcomes")
    assert [outcomes.cell(o, "Stage 1 %") for o in ("Not upheld", "Partly upheld", "Upheld")] == [67.9, 16.1, 16.1]


def test_table_4_outcomes_by_year(report):
    table = report.table("trend_stage1_outcomes")
    assert table.row("2022/23")[1:4] == (9, 9, 38)
    assert table.row("2021/22")[1:4] == (1, 4, 22)  # the published 23 contradicts its own rows (5 + 17)
    assert table.row("2020/21")[1:4] == (0, 3, 7)


def test_tables_5_and_6_escalation(report):
    table = report.table("escalation_by_service_area")
    assert table.row(EDUCATION)[1:] == (17, 2, 11.8)  # published rounded: 12%
    assert table.row(SOCIAL_CARE)[1:] == (39, 7, 17.9)  # 18%
    assert table.row("Total")[1:] == (56, 9, 16.1)  # 16%
    by_year = report.table("trend_performance").as_dict("Escalation stage 1 to 2 %")
    assert by_year == {"2020/21": 40.0, "2021/22": 22.2, "2022/23": 16.1}  # published: 44% (contradiction), 22%, 16%


def test_stage_1_response_times_and_the_sentence_about_them(report):
    assert report.core["stages"]["1"]["timeliness"]["within_timescale"] == 35
    assert report.core["stages"]["1"]["timeliness"]["assessed"] == 56
    assert report.table("timeliness").cell("Within timescale", "Stage 1 %") == 62.5  # published: 63%
    summary = report.sections[0].sentences
    assert (
        "The proportion of stage 1 complaints answered on time rose by 7 percentage points, from 56% in 2021/22 "
        "to 63% in 2022/23."
    ) in summary  # the council wrote 55% for 2021/22 (15 of 27 is 55.6%)


def test_table_8_mp_and_member_enquiry_topics(report):
    mp = report.table("mp_enquiry_topics")
    assert mp.as_dict("Number") == {**dict(sorted(MP_TOPICS.items(), key=lambda i: (-i[1], i[0]))), "Total": 51}
    member = report.table("member_enquiry_topics")
    assert member.as_dict("Number")["School admission"] == 25
    assert member.as_dict("Number")["Total"] == 45


def test_the_report_states_its_counting_basis(report):
    about = report.sections[1]
    assert any("count the complaints received in the period" in s for s in about.sentences)
    assert report.core["procedure"] == "all"


def test_table_6_escalation_rates_by_service_and_year(report):
    table = report.table("escalation_by_service_area_by_year")
    years = ("2020/21", "2021/22", "2022/23")
    assert [table.cell(EDUCATION, f"{y} %") for y in years] == [100.0, 14.3, 11.8]  # published: 100%, 14%, 12%
    assert [table.cell(SOCIAL_CARE, f"{y} %") for y in years] == [33.3, 25.0, 17.9]  # 33%, 25%, 18%
    assert [table.cell("Total", f"{y} %") for y in years] == [40.0, 22.2, 16.1]  # 44% (see above), 22%, 16%
    assert [table.cell("Total", f"{y} stage 1") for y in years] == [10, 27, 56]
    assert [table.cell("Total", f"{y} stage 2") for y in years] == [4, 6, 9]
    # The period's own columns agree with Table 5, counted from the same records.
    this_year = report.table("escalation_by_service_area")
    assert table.row(EDUCATION)[-3:] == this_year.row(EDUCATION)[1:]
    chart = chart_data(table)
    assert chart is not None
    assert [name for name, _ in chart.series] == [f"{y} %" for y in years]
    assert dict(zip(chart.categories, chart.series[0][1], strict=True)) == {EDUCATION: 100.0, SOCIAL_CARE: 33.3}


def test_chart_4_issues_raised_in_stage_1_complaints(report):
    table = report.table("stage1_issues")
    named = table.as_dict("Complaints received naming it")
    assert named == ISSUES
    assert sum(named.values()) == 72  # for the 69 complaints
    assert sum(table.as_dict("As the principal issue").values()) == 69
    chart = chart_data(table)
    assert chart is not None
    name, values = chart.series[0]
    assert name == "Complaints received naming it"
    assert dict(zip(chart.categories, values, strict=True)) == {issue: float(n) for issue, n in ISSUES.items()}
    assert "EHCP: 15" in chart.alt_text
