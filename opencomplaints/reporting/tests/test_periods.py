from datetime import date

import pytest

from opencomplaints.reporting.periods import (
    custom_period,
    quarter_of,
    reporting_quarter,
    reporting_year,
    reporting_year_label,
    reporting_year_of,
    trend_years,
)


class TestPeriods:
    def test_year_2023_is_1_april_2023_to_31_march_2024_half_open(self):
        year = reporting_year(2023)
        assert (year.start, year.end_exclusive, year.end, year.label) == (
            date(2023, 4, 1),
            date(2024, 4, 1),
            date(2024, 3, 31),
            "2023/24",
        )
        assert year.contains(date(2024, 3, 31))
        assert not year.contains(date(2024, 4, 1))
        assert not year.contains(date(2023, 3, 31))
        assert not year.contains(None)

    @pytest.mark.parametrize(
        ("day", "quarter"),
        [
            (date(2023, 4, 1), "Q1"),
            (date(2023, 6, 30), "Q1"),
            (date(2023, 7, 1), "Q2"),
            (date(2023, 9, 30), "Q2"),
            (date(2023, 10, 1), "Q3"),
            (date(2023, 12, 31), "Q3"),
            (date(2024, 1, 1), "Q4"),
            (date(2024, 3, 31), "Q4"),
        ],
    )
    def test_quarters_of_the_reporting_year(self, day, quarter):
        assert quarter_of(day) == quarter

    def test_reporting_year_of_and_labels(self):
        assert reporting_year_of(date(2024, 3, 31)) == 2023
        assert reporting_year_of(date(2024, 4, 1)) == 2024
        assert reporting_year_label(1999) == "1999/00"

    def test_quarter_periods(self):
        q4 = reporting_quarter(2023, "Q4")
        assert (q4.start, q4.end, q4.label) == (date(2024, 1, 1), date(2024, 3, 31), "Q4 2023/24")
        assert reporting_quarter(2023, "Q3").end == date(2023, 12, 31)
        with pytest.raises(ValueError, match="not a quarter"):
            reporting_quarter(2023, "Q5")

    def test_custom_period_recognises_years_and_quarters(self):
        assert custom_period(date(2023, 4, 1), date(2024, 3, 31)).label == "2023/24"
        assert custom_period(date(2023, 7, 1), date(2023, 9, 30)).label == "Q2 2023/24"
        other = custom_period(date(2023, 1, 1), date(2023, 12, 31))
        assert other.label == "1 January 2023 to 31 December 2023"
        assert other.end_exclusive == date(2024, 1, 1)

    def test_previous_period_is_a_year_earlier(self):
        assert reporting_year(2023).previous().label == "2022/23"
        assert reporting_quarter(2023, "Q2").previous().label == "Q2 2022/23"
        assert custom_period(date(2024, 2, 29), date(2024, 3, 31)).previous().start == date(2023, 2, 28)

    def test_trend_years_end_with_the_period(self):
        assert trend_years(reporting_year(2023)) == tuple(range(2014, 2024))

    def test_a_period_must_end_after_it_starts(self):
        with pytest.raises(ValueError, match="must end after"):
            custom_period(date(2023, 5, 1), date(2023, 4, 1))
