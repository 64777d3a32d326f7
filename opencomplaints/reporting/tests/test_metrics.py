"""Unit tests of every counting rule of interchange §2, on hand-built records."""

import importlib
from datetime import date
from decimal import Decimal

from opencomplaints.reporting.metrics import (
    benchmarking,
    breakdowns,
    compensation,
    equality,
    escalation,
    ombudsman,
    outcomes,
    representations,
    timeliness,
    trends,
    volumes,
)
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.learning import LearningItem, learning_tables
from opencomplaints.reporting.metrics.selection import completed_in, open_at_end, open_at_start, received_in
from opencomplaints.reporting.metrics.table import Suppressed
from opencomplaints.reporting.periods import reporting_year
from opencomplaints.reporting.suppression import suppress_table
from opencomplaints.reporting.tests.helpers import CALENDAR, YEAR, rec

PROC = "children_statutory"


class TestVolumes:
    def test_received_completed_open_and_carried_over(self):
        records = [
            rec(received=date(2023, 3, 20), responded=date(2023, 4, 5), outcome="upheld"),  # carried in, completed
            rec(received=date(2023, 3, 20)),  # carried in, still open
            rec(received=date(2023, 4, 1), responded=date(2024, 3, 31), outcome="withdrawn"),  # both ends
            rec(received=date(2024, 3, 31), responded=date(2024, 4, 1), outcome="upheld"),  # open at end
            rec(received=date(2024, 4, 1)),  # next year
            rec(received=date(2022, 5, 1), responded=date(2022, 6, 1), outcome="upheld"),  # long gone
        ]
        v = volumes.stage_volumes(records, YEAR, PROC, 1)
        assert (v.open_at_start, v.received, v.completed, v.completed_carried_over, v.open_at_end) == (2, 2, 2, 1, 2)
        assert v.received_by_quarter == {"Q1": 1, "Q2": 0, "Q3": 0, "Q4": 1}
        assert v.completed_by_quarter == {"Q1": 1, "Q2": 0, "Q3": 0, "Q4": 1}

    def test_selection_boundaries_are_half_open(self):
        inside, after = rec(received=date(2024, 3, 31)), rec(received=date(2024, 4, 1))
        assert received_in([inside, after], YEAR) == [inside]
        assert completed_in([rec(responded=date(2024, 4, 1), outcome="upheld")], YEAR) == []
        assert open_at_end([rec(received=date(2024, 3, 31), responded=date(2024, 4, 1), outcome="upheld")], YEAR)
        assert open_at_start([rec(received=date(2023, 3, 31), responded=date(2023, 4, 1), outcome="upheld")], YEAR)
        assert not open_at_start([rec(received=date(2023, 3, 30), responded=date(2023, 3, 31), outcome="upheld")], YEAR)

    def test_other_procedures_and_stages_are_kept_apart(self):
        records = [rec(), rec(procedure="corporate"), rec(stage=2), rec(procedure=None)]  # blank = statutory
        assert volumes.stage_volumes(records, YEAR, PROC, 1).received == 2
        assert volumes.stage_volumes(records, YEAR, "all", 1).received == 3
        assert volumes.stage_volumes(records, YEAR, PROC, 2).received == 1

    def test_representations_by_quarter_counts_every_kind_by_received(self):
        records = [
            rec(),
            rec(kind="query", received=date(2023, 7, 1)),
            rec(kind="compliment", received=date(2024, 1, 2)),
        ]
        table = volumes.representations_by_quarter_table(records, YEAR, PROC, {})
        assert table.row("Stage 1")[1:] == (1, 0, 0, 0, 1)
        assert table.row("Query")[1:] == (0, 1, 0, 0, 1)
        assert table.row("Total")[1:] == (1, 1, 0, 1, 3)


class TestOutcomes:
    def test_outcomes_count_completed_records_with_every_key(self):
        records = [
            rec(responded=date(2023, 5, 1), outcome="upheld"),
            rec(responded=date(2023, 5, 1), outcome="withdrawn"),
            rec(received=date(2023, 3, 1), responded=date(2023, 5, 1), outcome="not_upheld"),
            rec(responded=None),
            rec(received=date(2023, 3, 1), responded=date(2023, 3, 10), outcome="upheld"),
        ]
        counts = outcomes.outcome_counts(completed_in(records, YEAR))
        assert counts == {
            "upheld": 1,
            "partly_upheld": 0,
            "not_upheld": 1,
            "withdrawn": 1,
            "resolved_informally": 0,
            "not_accepted": 0,
        }
        table = outcomes.outcomes_table(records, YEAR, PROC, {"outcome": {"upheld": "Upheld"}})
        assert table.row("Upheld")[1:3] == (1, 33.3)
        assert table.row("Total completed")[1] == 3

    def test_uphold_rate_includes_partly_upheld_over_all_completed(self):
        completed = [rec(outcome=o, responded=date(2023, 5, 1)) for o in ("upheld", "partly_upheld", "withdrawn")]
        assert outcomes.uphold_rate(completed) == 66.7
        assert outcomes.uphold_rate([]) is None


class TestTimeliness:
    def test_stage1_within_extended_and_late_with_and_without_extension(self):
        received = date(2023, 4, 3)  # Monday; Good Friday (7 April) and Easter Monday (10 April) follow (R1.2)
        day10 = date(2023, 4, 19)
        assert CALENDAR.add_working_days(received, 10) == day10
        day11, day21 = CALENDAR.add_working_days(received, 11), CALENDAR.add_working_days(received, 21)
        records = [
            rec(received=received, responded=day10, outcome="upheld"),  # 10 WD: within
            rec(received=received, responded=day11, outcome="upheld", extended=True),  # 11: extended
            rec(received=received, responded=day11, outcome="upheld"),  # 11, no extension: late
            rec(received=received, responded=day21, outcome="upheld", extended=True),  # 21 WD: late
            rec(received=received, responded=date(2023, 4, 4), outcome="withdrawn"),  # not assessed
            rec(received=received, responded=date(2023, 4, 4), outcome="not_accepted"),  # not assessed
        ]
        t = timeliness.stage_timeliness(records, YEAR, PROC, 1, CALENDAR)
        assert (t.assessed, t.within_timescale, t.within_extended_timescale, t.late) == (4, 1, 1, 2)
        assert t.bands == {"1-10": 1, "11-20": 2, "21-40": 1, "41+": 0}
        assert t.on_time_percent == 50.0

    def test_bank_holidays_are_not_working_days(self):
        # Received Thursday 4 May 2023; 8 May (coronation) and 29 May were bank holidays (R5.4).
        responded = date(2023, 5, 19)  # 10 working days after 4 May, skipping the coronation holiday
        record = rec(received=date(2023, 5, 4), responded=responded, outcome="upheld")
        assert CALENDAR.working_days_between(date(2023, 5, 4), responded) == 10
        assert timeliness.stage_timeliness([record], YEAR, PROC, 1, CALENDAR).within_timescale == 1

    def test_same_day_response_is_in_the_first_band(self):
        record = rec(received=date(2023, 4, 3), responded=date(2023, 4, 3), outcome="upheld")
        assert timeliness.stage_timeliness([record], YEAR, PROC, 1, CALENDAR).bands["1-10"] == 1

    def test_stage2_runs_from_the_start_date_and_bands_lateness(self):
        start = date(2023, 6, 1)
        on_time = CALENDAR.add_working_days(start, 25)
        records = [
            rec(stage=2, received=date(2023, 5, 1), stage2_start=start, responded=on_time, outcome="upheld"),
            rec(
                stage=2,
                received=date(2023, 5, 1),
                stage2_start=start,
                extended=True,
                responded=CALENDAR.add_working_days(start, 60),
                outcome="upheld",
            ),
            rec(
                stage=2,
                received=date(2023, 5, 1),
                stage2_start=start,
                extended=True,
                responded=CALENDAR.add_working_days(start, 70),
                outcome="upheld",
            ),  # 5 beyond 65
            rec(
                stage=2,
                received=date(2023, 5, 1),
                stage2_start=start,
                responded=CALENDAR.add_working_days(start, 60),
                outcome="upheld",
            ),  # 35 beyond 25
        ]
        t = timeliness.stage_timeliness(records, YEAR, PROC, 2, CALENDAR)
        assert (t.within_timescale, t.within_extended_timescale, t.late) == (1, 1, 2)
        assert t.lateness == {"on time": 2, "1-10 days late": 1, "11-30 days late": 0, "over 30 days late": 1}
        # Without a start date, stage 2 runs from the date received.
        late = rec(stage=2, received=date(2023, 5, 1), responded=on_time, outcome="upheld")
        assert timeliness.stage_timeliness([late], YEAR, PROC, 2, CALENDAR).late == 1

    def test_stage3_three_checks(self):
        received = date(2023, 6, 1)
        panel = CALENDAR.add_working_days(received, 30)
        report = CALENDAR.add_working_days(panel, 6)  # one day late
        response = CALENDAR.add_working_days(report, 15)
        records = [
            rec(
                stage=3,
                received=received,
                panel_date=panel,
                panel_report_date=report,
                responded=response,
                outcome="not_upheld",
            ),
            rec(stage=3, received=received, responded=response, outcome="upheld"),  # no panel dates recorded
        ]
        checks = timeliness.stage3_checks(records, YEAR, PROC, CALENDAR)
        assert (checks.assessed, checks.panel_on_time, checks.panel_report_on_time, checks.response_on_time) == (
            2,
            1,
            0,
            1,
        )
        table = timeliness.stage3_checks_table(records, YEAR, PROC, CALENDAR)
        assert table.rows[0][1:] == (1, 2, 50.0)


class TestBreakdowns:
    def test_teams_and_issues_count_once_per_name_and_principal_once(self):
        records = [
            rec(teams=("A", "B"), issues=("Delay", "Communication")),
            rec(teams=("A", "A"), issues=("Communication", "Communication")),
            rec(teams=(), issues=()),
            rec(received=date(2023, 3, 1), teams=("A",)),  # not received in the period
        ]
        result = breakdowns.breakdowns(received_in(records, YEAR))
        assert result["by_team"] == {"A": 2, "B": 1}
        assert result["by_issue"] == {"Communication": 2, "Delay": 1}
        assert result["by_principal_issue"] == {"Communication": 1, "Delay": 1}
        assert sum(result["by_team"].values()) > 2  # several teams per record may exceed the records
        assert result["by_service_area"] == {}  # none recorded is not counted

    def test_vocabulary_breakdowns_use_codes_and_leave_out_unrecorded(self):
        records = [rec(complainant_type="parent_relative", received_via="email"), rec(complainant_type=None)]
        result = breakdowns.breakdowns(records)
        assert result["by_complainant_type"] == {"parent_relative": 1}
        assert result["by_received_via"] == {"email": 1}

    def test_stage_table_adds_a_not_recorded_row_so_totals_add_up(self):
        records = [rec(service_area="Localities"), rec(service_area=None), rec(stage=2, service_area="Localities")]
        table = breakdowns.breakdown_by_stage_table("by_service_area", records, YEAR, PROC, {}, Basis.RECEIVED)
        assert table.row("Localities")[1:] == (1, 1, 0, 2)
        assert table.row("Not recorded")[1:] == (1, 0, 0, 1)
        assert table.row("Total")[1:] == (2, 1, 0, 3)

    def test_completed_basis_counts_records_completed_in_the_period(self):
        records = [
            rec(received=date(2023, 3, 1), responded=date(2023, 4, 5), outcome="upheld", teams=("A",)),
            rec(received=date(2023, 5, 1), teams=("B",)),
        ]
        table = breakdowns.team_by_quarter_table(records, YEAR, PROC, Basis.COMPLETED, {"A": "Area"})
        assert table.rows[0][:3] == ("Area", "A", 1)
        assert len(table.rows) == 2  # team A and the total

    def test_issue_uphold_rate(self):
        records = [
            rec(issues=("Delay",), responded=date(2023, 5, 1), outcome="upheld"),
            rec(issues=("Delay", "Communication"), responded=date(2023, 5, 1), outcome="not_upheld"),
        ]
        table = breakdowns.issues_table(records, YEAR, PROC, Basis.RECEIVED)
        assert table.row("Delay")[1:] == (2, 2, 2, 1, 50.0)
        assert table.row("Communication")[1:] == (1, 0, 1, 0, 0.0)


class TestEscalation:
    def test_rates_divide_next_stage_received_by_completed_less_withdrawn(self):
        records = [
            *(rec(responded=date(2023, 5, 1), outcome="not_upheld") for _ in range(8)),
            rec(responded=date(2023, 5, 1), outcome="withdrawn"),
            *(rec(stage=2, received=date(2023, 6, 1)) for _ in range(2)),
            rec(stage=2, received=date(2023, 3, 1), responded=date(2023, 5, 1), outcome="upheld"),
        ]
        e1 = escalation.escalation(records, YEAR, PROC, 1)
        assert (e1.completed_less_withdrawn, e1.escalated, e1.rate) == (8, 2, 25.0)
        e2 = escalation.escalation(records, YEAR, PROC, 2)
        assert (e2.completed_less_withdrawn, e2.escalated, e2.rate) == (1, 0, 0.0)
        assert escalation.escalation([], YEAR, PROC, 1).rate is None


class TestMoneyAndOmbudsman:
    def test_compensation_by_stage_counts_responded_records_with_an_amount(self):
        records = [
            rec(responded=date(2023, 5, 1), outcome="upheld", compensation="100.50"),
            rec(responded=date(2023, 5, 1), outcome="upheld", compensation="0"),
            rec(stage=3, responded=date(2023, 5, 1), outcome="upheld", compensation="250"),
            rec(responded=None, compensation="999"),
            rec(kind="ombudsman", responded=date(2023, 9, 1), lgsco_decision="not_upheld", compensation="50"),
        ]
        c = compensation.compensation(records, YEAR, PROC)
        assert c.by_stage == {
            "1": Decimal("100.50"),
            "2": Decimal("0.00"),
            "3": Decimal("250"),
            "ombudsman": Decimal("50"),
        }
        assert (c.total, c.records) == (Decimal("400.50"), 3)

    def test_ombudsman_decided_leaves_out_in_progress(self):
        records = [
            rec(kind="ombudsman", responded=date(2023, 9, 1), lgsco_decision="premature"),
            rec(kind="ombudsman", responded=date(2023, 9, 1), lgsco_decision="in_progress"),
            rec(kind="ombudsman", responded=None, lgsco_decision="in_progress"),
            rec(kind="ombudsman", responded=date(2023, 9, 1), lgsco_decision="upheld_fault_injustice"),
        ]
        assert ombudsman.ombudsman_by_decision(records, YEAR) == {"premature": 1, "upheld_fault_injustice": 1}
        summary = ombudsman.ombudsman_summary_table(records, YEAR)
        assert summary.row("Upheld (fault found)")[1:] == (1, 50.0)


class TestRepresentationsAndEquality:
    def test_other_representations_are_counted_by_received_with_every_key(self):
        records = [rec(kind="query"), rec(kind="query"), rec(kind="compliment", received=date(2024, 4, 1))]
        assert representations.other_representations(records, YEAR) == {
            "potential_complaint": 0,
            "query": 2,
            "mp_enquiry": 0,
            "member_enquiry": 0,
            "compliment": 0,
        }

    def test_complaints_counted_once_across_stages(self):
        records = [rec(case_ref="A", ref="A"), rec(case_ref="A", ref="A/2", stage=2, advocacy=True), rec(case_ref="B")]
        assert len(representations.complaints_received_once(records, YEAR, PROC)) == 2
        table = representations.advocacy_table(records, YEAR, PROC)
        assert table.row("All complaints")[1:3] == (2, 0)  # stage 1 of A is the one counted

    def test_age_bands(self):
        assert [equality.age_band(a, equality.CHILD_AGE_BANDS) for a in (0, 4, 5, 15, 16, 18, 25, 26, None)] == [
            "Under 1",
            "1 to 4",
            "5 to 9",
            "10 to 15",
            "16 to 17",
            "18 to 20",
            "21 to 25",
            "Not known",
            "Not known",
        ]
        assert equality.age_band(24, equality.ADULT_AGE_BANDS) == "18 to 24"
        assert equality.age_band(70, equality.ADULT_AGE_BANDS) == "65 and over"

    def test_equality_tables_show_not_known_and_names(self):
        records = [rec(child_ethnicity="WBRI", child_sex="male"), rec(child_ethnicity=None, child_sex="unknown")]
        tables = {t.key: t for t in equality.equality_tables(records, YEAR, PROC, {"sex": {"male": "Male"}})}
        assert tables["equality_child_ethnicity"].as_dict("Children") == {
            "White": 1,
            "Not known": 1,
            "Total": 2,
        }
        assert tables["equality_child_sex"].as_dict("Children") == {"Male": 1, "Not known": 1, "Total": 2}
        assert all(t.sensitive for t in tables.values())

    def test_ethnicity_is_one_classification_whatever_scheme_it_was_recorded_in(self):
        # R6.2, R6.3: the DfE codes and the 2021 Census categories are counted together under the Census's five
        # high-level groups, never as rows of two schemes side by side; a value of no known scheme is not known.
        codes = [
            "WBRI",
            "white_british",
            "irish",
            "WIRI",
            "CHNE",
            "chinese",
            "BAFR",
            "african",
            "other_mixed",
            "MOTH",
            "arab",
            "OOTH",
            "REFU",
            "prefer_not_to_say",
            None,
            "Z9-LOCAL",
        ]
        records = [
            rec(case_ref=f"E{n}", ref=f"E{n}", child_sex="female", child_ethnicity=code, complainant_ethnicity=code)
            for n, code in enumerate(codes)
        ]
        tables = {t.key: t for t in equality.equality_tables(records, YEAR, PROC, {})}
        expected = {
            "Asian, Asian British or Asian Welsh": 2,
            "Black, Black British, Black Welsh, Caribbean or African": 2,
            "Mixed or Multiple ethnic groups": 2,
            "White": 4,
            "Other ethnic group": 2,
            "Not known": 4,
            "Total": 16,
        }
        for key, unit in (("equality_child_ethnicity", "Children"), ("equality_complainant_ethnicity", "Complaints")):
            table = tables[key]
            assert table.as_dict(unit) == expected
            assert [row[0] for row in table.rows][:-2] == list(equality.ETHNIC_GROUPS)
            assert equality.UNMAPPED_NOTE in table.notes
            assert equality.GROUPS_NOTE in table.notes
        known = [rec(case_ref="K", ref="K", child_ethnicity="WBRI", complainant_ethnicity="white_british")]
        plain = {t.key: t for t in equality.equality_tables(known, YEAR, PROC, {})}
        assert equality.UNMAPPED_NOTE not in plain["equality_complainant_ethnicity"].notes
        assert plain["equality_child_ethnicity"].as_dict("Children") == {"White": 1, "Total": 1}

    def test_every_seeded_ethnicity_category_has_a_group(self):
        # Every category of both seeded schemes (councils migration 0003) maps to a group or to not known, and a
        # DfE code to the group of the 2021 Census category with the same name where the Census has one.
        seeded = importlib.import_module("opencomplaints.councils.migrations.0003_seed_ethnicity_categories")
        for rows in seeded.SCHEMES.values():
            for code, _name, _broad in rows:
                assert equality.ethnic_group(code) is not None, code
        census = {name: equality.ethnic_group(code) for code, name, _ in seeded.CENSUS_2021_GROUPS}
        assert equality.ethnic_group("AIND") == census["Indian"]
        assert equality.ethnic_group("CHNE") == census["Chinese"]
        assert equality.ethnic_group("MWBA") == census["White and Black African"]

    def test_children_tables_count_every_child_of_each_complaint_counted(self):
        records = [
            rec(case_ref="A", ref="A", responded=date(2023, 4, 20), outcome="upheld"),
            rec(case_ref="A", ref="A/2", stage=2, received=date(2023, 5, 2)),
            rec(case_ref="B", ref="B", received=date(2023, 3, 1), responded=date(2023, 4, 5), outcome="upheld"),
            rec(case_ref="C", ref="C"),
        ]
        children = [
            equality.ChildConcerned(case_ref="A", age=0, sex="female", ethnicity="WBRI", disability="yes"),
            equality.ChildConcerned(case_ref="A", age=7, sex="male", ethnicity="BAFR", disability="no"),
            equality.ChildConcerned(case_ref="A", age=None, sex="unknown", ethnicity=None, disability="unknown"),
            equality.ChildConcerned(case_ref="B", age=17, sex="male", ethnicity="WBRI", disability="no"),
            equality.ChildConcerned(case_ref="Z", age=3, sex="male"),  # not a complaint of the period
        ]
        labels = {"sex": {"female": "Female", "male": "Male"}, "yes_no": {"yes": "Yes", "no": "No"}}

        def tables(basis):
            built = equality.children_tables(children, records, YEAR, PROC, labels, basis)
            return {t.key: t for t in built}

        # Received in the year: A (twice, counted once) and C, which records no child; A's three children count.
        received = tables(Basis.RECEIVED)
        assert received["equality_child_age"].as_dict("Children") == {
            "Under 1": 1,
            "5 to 9": 1,
            "Not known": 1,
            "Total": 3,
        }
        assert received["equality_child_sex"].as_dict("Children") == {
            "Female": 1,
            "Male": 1,
            "Not known": 1,
            "Total": 3,
        }
        assert received["equality_child_disability"].as_dict("Children")["Yes"] == 1
        assert received["equality_child_ethnicity"].as_dict("%") == {
            "Black, Black British, Black Welsh, Caribbean or African": 33.3,
            "White": 33.3,
            "Not known": 33.3,
            "Total": 100.0,
        }
        assert "complaint about several children counts once for each" in received["equality_child_age"].notes[0]
        # Completed in the year: A's stage 1 and B, answered in April although received the year before.
        completed = tables(Basis.COMPLETED)
        assert completed["equality_child_sex"].as_dict("Children") == {
            "Male": 2,
            "Female": 1,
            "Not known": 1,
            "Total": 4,
        }

    def test_children_tables_are_suppressed_when_published(self):
        records = [rec(case_ref=f"K{n}", ref=f"K{n}") for n in range(8)]
        children = [
            equality.ChildConcerned(case_ref=f"K{n}", sex="female" if n < 6 else "male", age=n) for n in range(8)
        ]
        built = equality.children_tables(children, records, YEAR, PROC, {"sex": {"female": "Female", "male": "Male"}})
        sex = suppress_table(next(t for t in built if t.key == "equality_child_sex"), 5)
        assert sex.as_dict("Children")["Male"] == Suppressed(primary=True)
        assert sex.as_dict("Children")["Female"] == Suppressed(primary=False)  # or the total would reveal Male
        assert sex.as_dict("Children")["Total"] == 8

    def test_without_children_the_first_child_of_each_record_is_used(self):
        records = [
            rec(case_ref="A", ref="A", child_sex="female", child_age=4),
            rec(case_ref="A", ref="A/2", stage=2, child_sex="female", child_age=4),
            rec(case_ref="B", ref="B"),  # no child described
        ]
        assert equality.children_from_records(records) == [equality.ChildConcerned(case_ref="A", age=4, sex="female")]


class TestTrendsAndContext:
    def test_historic_figures_take_precedence_and_percentages_are_derived(self):
        trend = trends.merge_trends(
            years=(2021, 2022, 2023),
            computed={
                "stage1_received": {2022: 5, 2023: 41},
                "stage1_completed": {2023: 40},
                "stage1_withdrawn": {2023: 0},
                "stage2_received": {2023: 8},
                "stage1_assessed": {2023: 40},
                "stage1_on_time": {2023: 33},
            },
            historic={("stage1_received", 2021): Decimal(90), ("stage1_received", 2022): Decimal(82)},
            first_data_year=2022,
        )
        assert [trend.get("stage1_received", y) for y in (2021, 2022, 2023)] == [90, 82, 41]
        assert trend.get("stage1_to_stage2_percent", 2023) == Decimal("20.0")
        assert trend.get("stage1_on_time_percent", 2023) == Decimal("82.5")
        tables = {t.key: t for t in trends.trend_tables(trend)}
        assert tables["trend_received"].as_dict("Stage 1") == {"2021/22": 90, "2022/23": 82, "2023/24": 41}
        assert "2021/22, 2022/23" in tables["trend_received"].notes[0]

    def test_years_before_the_case_data_without_historic_figures_are_left_out(self):
        trend = trends.merge_trends(
            years=(2021, 2022), computed={"stage1_received": {2021: 0, 2022: 3}}, historic={}, first_data_year=2022
        )
        assert trend.get("stage1_received", 2021) is None

    def test_rates_per_10000_children(self):
        assert benchmarking.rate(24, 77_113, 10_000) == 3.1
        assert benchmarking.rate(24, None, 10_000) is None
        table = benchmarking.rates_table(
            {"Ombudsman cases received": 24}, {"population_0_17": 77_113, "referrals": 3777}, "2023/24"
        )
        assert table.rows[0][1:] == (24, 3.1, 6.4)


class TestLearning:
    def test_implemented_not_implemented_and_in_progress(self):
        items = [
            LearningItem(action="Done", status="implemented", recorded=date(2023, 5, 1), implemented=date(2023, 9, 1)),
            LearningItem(action="Later", status="implemented", recorded=date(2023, 5, 1), implemented=date(2024, 6, 1)),
            LearningItem(
                action="No", status="not_implemented", recorded=date(2023, 5, 1), not_implemented_reason="Cost"
            ),
            LearningItem(action="Open", status="planned", recorded=date(2024, 1, 1), due=date(2024, 6, 1)),
            LearningItem(action="Future", status="planned", recorded=date(2024, 5, 1)),
        ]
        summary, done, not_done, open_ = learning_tables(items, reporting_year(2023))
        assert [r[1] for r in summary.rows] == [1, 1, 2]
        assert done.rows[0][0] == "Done"
        assert not_done.rows[0] == ("No", "", "Cost")
        assert {r[0] for r in open_.rows} == {"Later", "Open"}


def test_trend_titles_name_only_the_years_with_figures():
    from opencomplaints.reporting.metrics.trends import TrendData, trend_tables

    years = tuple(range(2016, 2026))
    values: dict[str, dict[int, Decimal | int]] = {
        "stage1_received": {2023: 10, 2024: 12, 2025: 9},
        "stage2_received": {2023: 1, 2024: 2, 2025: 0},
    }
    trend = TrendData(years=years, values=values, historic=frozenset())
    received = next(t for t in trend_tables(trend) if t.key == "trend_received")
    assert [row[0] for row in received.rows] == ["2023/24", "2024/25", "2025/26"]
    assert received.title == "Complaints received by year, 2023/24 to 2025/26"
    assert "2016/17" not in (received.chart.title if received.chart else "")


def test_learning_in_progress_at_the_end_counts_what_was_still_open_then():
    from opencomplaints.reporting.metrics.learning import LearningItem, learning_tables
    from opencomplaints.reporting.periods import reporting_year

    year = reporting_year(2023)
    items = [
        LearningItem(action="a", status="in_progress", recorded=date(2023, 6, 1)),
        LearningItem(action="b", status="implemented", recorded=date(2023, 6, 1), implemented=date(2024, 6, 1)),
        LearningItem(
            action="c",
            status="not_implemented",
            recorded=date(2023, 6, 1),
            due=date(2024, 9, 1),
            not_implemented_reason="r",
        ),
        LearningItem(action="d", status="implemented", recorded=date(2023, 6, 1), implemented=date(2023, 9, 1)),
        LearningItem(action="e", status="planned", recorded=date(2024, 5, 1)),  # recorded after the period
    ]
    summary = learning_tables(items, year)[0]
    assert summary.cell("In progress at the end of the period", "Actions") == 3
    assert summary.cell("Implemented in the period", "Actions") == 1
