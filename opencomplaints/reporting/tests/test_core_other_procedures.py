"""The corporate and adults' report cores (interchange §4), each figure worked out by hand below.

Dates sit in June and July 2023, when England had no bank holiday, so a working-day count is a count of weekdays:
1 June 2023 is a Thursday. Corporate timescales are the Complaint Handling Code's (R3.5, R3.6); adults' are the
2009 Regulations' (R2.5, R2.6, R2.7).
"""

from datetime import date

import pytest

from opencomplaints.records import Record
from opencomplaints.reporting.metrics.core_json import core_json
from opencomplaints.reporting.tests.helpers import CALENDAR, YEAR, rec

JUNE_1 = date(2023, 6, 1)


def corporate(**fields):
    return rec(procedure="corporate", **fields)


def adults(**fields):
    return rec(procedure="adults_statutory", **fields)


def corporate_stage1() -> list[Record]:
    return [
        # a: 10 working days from the acknowledgement (11 from receipt): within the timescale (R3.5).
        corporate(received=JUNE_1, acknowledged=date(2023, 6, 2), responded=date(2023, 6, 16), outcome="upheld"),
        # b: no acknowledgement: timed from receipt, 10 working days: within; acknowledgement not recorded.
        corporate(received=JUNE_1, responded=date(2023, 6, 15), outcome="not_upheld"),
        # c: acknowledged after 6 working days (late); 20 working days from it with an extension: extended.
        corporate(
            received=JUNE_1,
            acknowledged=date(2023, 6, 9),
            extended=True,
            responded=date(2023, 7, 7),
            outcome="partly_upheld",
        ),
        # d: acknowledged after 5 working days (on time); 22 working days with an extension: late.
        corporate(
            received=JUNE_1,
            acknowledged=date(2023, 6, 8),
            extended=True,
            responded=date(2023, 7, 10),
            outcome="not_upheld",
        ),
        # e: withdrawn: completed and acknowledged, never assessed for timeliness.
        corporate(received=JUNE_1, acknowledged=JUNE_1, responded=date(2023, 6, 5), outcome="withdrawn"),
        # f: 11 working days from the acknowledgement with no extension: late.
        corporate(received=JUNE_1, acknowledged=date(2023, 6, 2), responded=date(2023, 6, 19), outcome="upheld"),
    ]


def corporate_stage2() -> list[Record]:
    return [
        # 20 working days from the acknowledgement (22 from the stage 2 start date, which corporate does not use).
        corporate(
            stage=2,
            received=JUNE_1,
            stage2_start=JUNE_1,
            acknowledged=date(2023, 6, 5),
            responded=date(2023, 7, 3),
            outcome="upheld",
        ),
        # No acknowledgement: 40 working days from receipt with an extension: within the extended timescale.
        corporate(stage=2, received=JUNE_1, extended=True, responded=date(2023, 7, 27), outcome="not_upheld"),
    ]


class TestCorporate:
    def core(self, records=None):
        return core_json(records or [*corporate_stage1(), *corporate_stage2()], YEAR, "corporate", CALENDAR)

    def test_two_stages_and_escalation_between_them_only(self):
        core = self.core()
        assert core["procedure"] == "corporate"
        assert set(core["stages"]) == {"1", "2"}
        # 2 stage 2 requests received ÷ 5 stage 1 records completed less withdrawn.
        assert core["escalation"] == {"stage1_to_stage2_percent": 40.0}
        assert set(core["compensation"]["by_stage"]) == {"1", "2", "ombudsman"}

    def test_stage1_timeliness_runs_from_the_acknowledgement(self):
        stage = self.core()["stages"]["1"]
        assert stage["timeliness"] == {"assessed": 5, "within_timescale": 2, "within_extended_timescale": 1, "late": 2}
        # Bands from the same start: a 10, b 10, c 20, d 22, f 11.
        assert stage["response_days_bands"] == {"1-10": 2, "11-20": 2, "21-40": 1, "41+": 0}

    def test_stage2_timeliness_runs_from_the_acknowledgement_not_the_start_date(self):
        stage = self.core()["stages"]["2"]
        assert stage["timeliness"] == {"assessed": 2, "within_timescale": 1, "within_extended_timescale": 1, "late": 0}
        assert stage["response_days_bands"] == {"1-10": 0, "11-20": 1, "21-40": 1, "41+": 0}

    def test_acknowledgement_within_five_working_days_over_the_records_received(self):
        stages = self.core()["stages"]
        assert stages["1"]["acknowledgement"] == {"assessed": 5, "on_time": 4, "late": 1, "not_recorded": 1}
        assert stages["2"]["acknowledgement"] == {"assessed": 1, "on_time": 1, "late": 0, "not_recorded": 1}

    def test_extended_counts_completed_records_less_withdrawn_and_not_accepted(self):
        withdrawn_extended = corporate(received=JUNE_1, extended=True, responded=date(2023, 6, 6), outcome="withdrawn")
        open_extended = corporate(received=JUNE_1, extended=True)
        core = self.core([*corporate_stage1(), withdrawn_extended, open_extended])
        assert core["stages"]["1"]["extended"] == 2  # c and d

    def test_a_record_responded_after_the_year_is_not_assessed(self):
        late = corporate(received=date(2024, 3, 1), acknowledged=date(2024, 3, 4), responded=date(2024, 4, 2))
        stage = self.core([late])["stages"]["1"]
        assert stage["timeliness"]["assessed"] == 0
        assert stage["acknowledgement"] == {"assessed": 1, "on_time": 1, "late": 0, "not_recorded": 0}
        assert stage["open_at_end"] == 1

    def test_children_s_records_do_not_count(self):
        children = rec(received=JUNE_1, responded=date(2023, 6, 15), outcome="upheld")
        core = self.core([*corporate_stage1(), children])
        assert core["stages"]["1"]["received"] == 6
        assert "acknowledgement" not in core_json([children], YEAR, "children_statutory", CALENDAR)["stages"]["1"]


class TestAdults:
    def core(self, records):
        return core_json(records, YEAR, "adults_statutory", CALENDAR)

    def test_one_stage_no_escalation(self):
        core = self.core([adults(received=JUNE_1)])
        assert set(core["stages"]) == {"1"}
        assert "escalation" not in core
        assert set(core["compensation"]["by_stage"]) == {"1", "ombudsman"}

    @pytest.mark.parametrize(
        ("received", "responded", "on_time"),
        [
            (date(2023, 4, 15), date(2023, 10, 14), True),  # six months beginning 15 April end on 14 October
            (date(2023, 4, 15), date(2023, 10, 16), False),
            (date(2023, 5, 31), date(2023, 11, 30), True),  # 31 May: November has no 31st, so its last day
            (date(2023, 5, 31), date(2023, 12, 1), False),
            (date(2023, 8, 31), date(2024, 2, 29), True),  # February 2024's last day (a leap year)
            (date(2023, 8, 31), date(2024, 3, 1), False),
        ],
    )
    def test_within_the_six_months_beginning_on_receipt(self, received, responded, on_time):
        """R2.6: the six months beginning on the day received."""
        record = adults(received=received, responded=responded, outcome="upheld")
        timeliness = self.core([record])["stages"]["1"]["timeliness"]
        assert timeliness == {
            "assessed": 1,
            "within_timescale": int(on_time),
            "within_extended_timescale": 0,
            "late": int(not on_time),
        }

    def test_an_agreed_response_date_replaces_the_six_months_earlier_or_later(self):
        """R2.5, R2.6: the period agreed with the complainant, whatever ``extended`` says."""
        later_kept = adults(
            received=JUNE_1, extended_due=date(2024, 1, 31), responded=date(2024, 1, 30), outcome="upheld"
        )
        earlier_missed = adults(
            received=JUNE_1, extended=False, extended_due=None, responded=date(2023, 7, 3), outcome="upheld"
        )
        earlier_agreed_missed = adults(
            received=JUNE_1, extended_due=date(2023, 7, 1), responded=date(2023, 7, 3), outcome="not_upheld"
        )
        timeliness = self.core([later_kept, earlier_missed, earlier_agreed_missed])["stages"]["1"]["timeliness"]
        assert timeliness == {"assessed": 3, "within_timescale": 2, "within_extended_timescale": 0, "late": 1}

    def test_bands_from_receipt_acknowledgement_in_three_working_days_and_well_founded(self):
        records = [
            adults(received=JUNE_1, acknowledged=date(2023, 6, 6), responded=date(2023, 6, 15), outcome="upheld"),
            adults(
                received=JUNE_1, acknowledged=date(2023, 6, 7), responded=date(2023, 6, 16), outcome="partly_upheld"
            ),
            adults(received=JUNE_1, responded=date(2023, 8, 1), outcome="not_upheld"),
            adults(received=JUNE_1, responded=date(2023, 6, 2), outcome="withdrawn"),
            adults(received=JUNE_1),
        ]
        stage = self.core(records)["stages"]["1"]
        # Receipt to response: 10, 11, 43 working days (the withdrawn one is not assessed).
        assert stage["response_days_bands"] == {"1-10": 1, "11-20": 1, "21-40": 0, "41+": 1}
        # 6 June is 3 working days after 1 June (on time, R2.5); 7 June is 4 (late).
        assert stage["acknowledgement"] == {"assessed": 2, "on_time": 1, "late": 1, "not_recorded": 3}
        assert stage["well_founded"] == 2  # R2.7: upheld or partly upheld, of those completed
        assert stage["extended"] == 0


class TestOmbudsmanByProcedure:
    def records(self):
        return [
            rec(kind="ombudsman", procedure="corporate", received=JUNE_1, responded=date(2023, 9, 1),
                lgsco_decision="upheld_fault_injustice", compensation="150"),
            rec(kind="ombudsman", procedure="adults_statutory", received=JUNE_1, responded=date(2023, 9, 1),
                lgsco_decision="not_upheld"),
            rec(kind="ombudsman", received=JUNE_1, responded=date(2023, 9, 1), lgsco_decision="premature",
                compensation="75"),
            rec(kind="ombudsman", procedure="children_statutory", received=JUNE_1, responded=date(2023, 9, 1),
                lgsco_decision="not_upheld"),
            rec(kind="compliment", received=JUNE_1),
        ]  # fmt: skip

    @pytest.mark.parametrize(
        ("procedure", "decided", "by_decision", "money"),
        [
            ("corporate", 1, {"upheld_fault_injustice": 1}, "150.00"),
            ("adults_statutory", 1, {"not_upheld": 1}, "0.00"),
            ("children_statutory", 2, {"premature": 1, "not_upheld": 1}, "75.00"),
        ],
    )
    def test_each_report_counts_only_its_own_ombudsman_records(self, procedure, decided, by_decision, money):
        core = core_json(self.records(), YEAR, procedure, CALENDAR)
        assert core["ombudsman"] == {"decided": decided, "by_decision": by_decision}
        assert core["compensation"]["by_stage"]["ombudsman"] == money
        # Other representations have no procedure: every report counts them.
        assert core["other_representations"]["compliment"] == 1
