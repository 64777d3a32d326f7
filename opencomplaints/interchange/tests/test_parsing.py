"""Reading and checking files (parse.py, validate.py), without a database: every bad input of issue 6, item 4."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from opencomplaints.interchange.mapping import _fixed
from opencomplaints.interchange.parse import FileRejected, label_key, neutralise, read_table, restore
from opencomplaints.interchange.tests.conftest import HEADER, TODAY, records_csv
from opencomplaints.interchange.validate import Councils, CouncilVocabulary, suggestions_for, validate_table

REMEDIES = {"apology": "Apology", "financial": "Financial remedy", "training": "Training or guidance"}
ETHNICITY = {"WBRI": "White British", "white_british": "English, Welsh, Scottish, Northern Irish or British"}
VOCABULARY = CouncilVocabulary(
    slug="exampleton",
    name="Borough of Exampleton",
    choices=_fixed(REMEDIES, {**ETHNICITY, "unknown": "Not known"}),
    names={
        "teams": {"assessment east": "Assessment East", "mash": "MASH"},
        "issues": {"delay": "Delay"},
        "service_area": {"localities": "Localities"},
    },
)
COUNCILS = Councils(known={"exampleton": VOCABULARY}, default=VOCABULARY)


def check(data, *, filename="records.csv", councils=COUNCILS):
    return validate_table(read_table(data, filename=filename), councils=councils, today=TODAY)


def reasons(result):
    return [(e.line, e.column, e.reason) for e in result.errors]


class TestReading:
    def test_a_byte_order_mark_is_accepted(self):
        result = check(b"\xef\xbb\xbf" + records_csv(",A1,,query,,,2024-01-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"))
        assert result.ok
        assert result.records[0][1].ref == "A1"

    def test_windows_1252_is_rejected_naming_the_line(self):
        data = records_csv(",A1,,query,,,2024-01-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,Café,").decode().encode("cp1252")
        with pytest.raises(FileRejected) as rejected:
            read_table(data, filename="records.csv")
        error = rejected.value.errors[0]
        assert error.line == 2
        assert "not in UTF-8: line 2" in error.reason
        assert "CSV UTF-8" in error.reason

    def test_utf16_is_rejected_with_what_to_do(self):
        with pytest.raises(FileRejected) as rejected:
            read_table(records_csv().decode().encode("utf-16"), filename="records.csv")
        assert "UTF-16" in rejected.value.errors[0].reason

    def test_a_missing_required_column_is_named(self):
        with pytest.raises(FileRejected) as rejected:
            read_table(b"ref,kind\nA1,query\n", filename="records.csv")
        assert [(e.column, e.reason) for e in rejected.value.errors] == [
            ("received", "The required column received is missing.")
        ]

    def test_an_unknown_column_lists_the_known_ones(self):
        with pytest.raises(FileRejected) as rejected:
            read_table(b"ref,kind,received,colour\nA1,query,2024-01-02,red\n", filename="records.csv")
        (error,) = rejected.value.errors
        assert (error.line, error.column) == (1, "colour")
        assert error.reason.startswith("colour is not a column of this format. The columns are: council, ref,")

    def test_a_file_over_the_limit_is_refused_before_it_is_read(self):
        with pytest.raises(FileRejected) as rejected:
            read_table(b"x" * 2048, filename="records.csv", max_bytes=1024)
        assert "the largest file that can be imported is 1 KB" in rejected.value.errors[0].reason

    def test_a_truncated_spreadsheet_is_reported_as_damaged(self):
        book = Workbook()
        book.active.append(["ref", "kind", "received"])
        buffer = io.BytesIO()
        book.save(buffer)
        with pytest.raises(FileRejected) as rejected:
            read_table(buffer.getvalue()[:-200], filename="records.xlsx")
        assert "damaged or incomplete" in rejected.value.errors[0].reason

    def test_a_spreadsheet_reads_the_records_sheet_and_real_dates(self):
        book = Workbook()
        book.active.title = "Notes"
        sheet = book.create_sheet("Records")
        sheet.append(["ref", "kind", "received", "child_age"])
        sheet.append(["A1", "query", date(2024, 1, 2), 9.0])
        buffer = io.BytesIO()
        book.save(buffer)
        result = check(buffer.getvalue(), filename="records.xlsx")
        assert result.ok
        record = result.records[0][1]
        assert (record.received, record.child_age) == (date(2024, 1, 2), 9)

    def test_json_lines_take_typed_values(self):
        line = {"ref": "A1", "kind": "complaint", "stage": 1, "received": "2024-01-02", "teams": ["MASH"]}
        result = check((json.dumps(line) + "\n").encode(), filename="records.jsonl")
        assert result.ok
        assert result.records[0][1].teams == ("MASH",)

    def test_a_line_that_is_not_json_is_reported(self):
        with pytest.raises(FileRejected) as rejected:
            read_table(b'{"ref": "A1"}\nnot json\n', filename="records.jsonl")
        assert rejected.value.errors[0].line == 2

    def test_semicolon_separated_files_are_explained(self):
        with pytest.raises(FileRejected) as rejected:
            read_table(b"ref;kind;received\nA1;query;2024-01-02\n", filename="records.csv")
        assert "semicolons" in rejected.value.errors[0].reason


class TestValidation:
    def test_month_first_dates_are_rejected_with_the_day_first_form(self):
        result = check(records_csv(",A1,,query,,,05/26/2023,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"))
        assert reasons(result) == [
            (
                2,
                "received",
                "05/26/2023 looks like a month-first date. Dates are day first: write it as 26/05/2023, or as "
                "2023-05-26.",
            )
        ]

    def test_day_first_dates_are_read(self):
        result = check(records_csv(",A1,,query,,,26/05/2023,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"))
        assert result.records[0][1].received == date(2023, 5, 26)

    def test_unknown_vocabulary_names_the_allowed_values_and_suggests_one(self):
        result = check(records_csv(",A1,,complaint,,1,2023-05-26,,,,2023-06-01,Partly Upheld,,,,,,,,,,,,,,,,,,,,,,,,,"))
        (error,) = result.errors
        assert error.column == "outcome"
        assert error.reason == (
            "Partly Upheld is not a valid outcome. Allowed values: upheld, partly_upheld, not_upheld, withdrawn, "
            "resolved_informally, not_accepted, not_answered_in_time. Did you mean partly_upheld?"
        )
        (unknown,) = result.unknown
        assert (unknown.column, unknown.label, unknown.suggestions[0], unknown.lines) == (
            "outcome",
            "Partly Upheld",
            "partly_upheld",
            (2,),
        )

    def test_vocabulary_is_case_insensitive(self):
        result = check(records_csv(",A1,,COMPLAINT,,1,2023-05-26,,,,2023-06-01,Upheld,,,,,,,,,,,,,,,,,,,,,,,,,"))
        assert result.ok
        assert result.records[0][1].outcome == "upheld"

    def test_a_mapping_turns_a_council_label_into_our_value(self):
        vocabulary = CouncilVocabulary(
            slug="exampleton",
            name="Borough of Exampleton",
            choices=VOCABULARY.choices,
            names=VOCABULARY.names,
            mappings={("support_category", label_key("Children Looked After")): "cla"},
        )
        result = check(
            records_csv(",A1,,complaint,,1,2023-05-26,,,,,,,,,,,Children Looked After,,,,,,,,,,,,,,,,,,,"),
            councils=Councils(known={}, default=vocabulary),
        )
        assert result.ok
        assert result.records[0][1].support_category == "cla"

    def test_dates_in_the_future_are_rejected(self):
        result = check(records_csv(",A1,,query,,,2024-06-29,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"))
        assert reasons(result) == [
            (2, "received", "2024-06-29 is in the future: this date records something that has already happened.")
        ]

    def test_stage_2_before_stage_1_is_rejected(self):
        result = check(
            records_csv(
                ",A1,A,complaint,,1,2023-05-26,,,,2023-06-01,upheld,,,,,,,,,,,,,,,,,,,,,,,,,",
                ",A2,A,complaint,,2,2023-05-20,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
            )
        )
        assert reasons(result) == [
            (
                3,
                "received",
                "Stage 2 of A was received (20/05/2023) before stage 1 (line 2, 26/05/2023). Check both dates.",
            )
        ]

    def test_a_response_before_receipt_and_stage2_start_before_receipt(self):
        result = check(
            records_csv(",A2,,complaint,,2,2023-05-26,2023-05-20,,,2023-05-01,upheld,,,,,,,,,,,,,,,,,,,,,,,,,")
        )
        assert {e.column for e in result.errors} == {"responded", "stage2_start"}

    def test_an_outcome_is_required_once_responded(self):
        result = check(records_csv(",A1,,complaint,,1,2023-05-26,,,,2023-06-01,,,,,,,,,,,,,,,,,,,,,,,,,,"))
        assert reasons(result) == [
            (2, "outcome", "Enter the outcome: a complaint record with a response date has one.")
        ]

    def test_every_invalid_row_is_listed(self):
        result = check(
            records_csv(
                ",A1,,query,,,2023-13-01,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
                ",A2,,query,,,2023-05-01,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
                ",A3,,nonsense,,,2023-05-01,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
                ",A2,,query,,,2023-05-02,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
            )
        )
        assert [(e.line, e.column) for e in result.errors] == [(2, "received"), (4, "kind"), (5, "ref")]
        assert "used twice: also on line 3" in result.errors[2].reason

    def test_stages_that_disagree_on_shared_values_are_rejected(self):
        result = check(
            records_csv(
                ",A1,A,complaint,,1,2023-05-01,,,,2023-05-10,upheld,,,,,,,,female,,,,,,,,,,,,,,,,,",
                ",A2,A,complaint,,2,2023-05-20,,,,,,,,,,,,,male,,,,,,,,,,,,,,,,,",
            )
        )
        assert [(e.line, e.column) for e in result.errors] == [(3, "child_sex")]

    def test_only_the_latest_stage_can_be_open(self):
        result = check(
            records_csv(
                ",A1,A,complaint,,1,2023-05-01,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
                ",A2,A,complaint,,2,2023-05-20,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
            )
        )
        assert [(e.line, e.column) for e in result.errors] == [(2, "responded")]

    def test_numbers_and_money(self):
        result = check(
            records_csv(
                ",A1,,query,,,2023-05-01,,,,,,,,,,,,x,,,,,,,,,,,-5,,,,,,,",
                ",A2,,query,,,2023-05-01,,,,,,,,,,,,30,,,,,,,,,,,12.345,,,,,,,",
                ',A3,,query,,,2023-05-01,,,,,,,,,,,,12,,,,,,,,,,,"£1,250.5",,,,,,,',
            )
        )
        assert [(e.line, e.column) for e in result.errors] == [
            (2, "child_age"),
            (2, "compensation"),
            (3, "child_age"),
            (3, "compensation"),
        ]
        assert result.records[0][1].compensation == Decimal("1250.50")

    def test_unknown_team_names_can_be_created(self):
        data = records_csv(",A1,,complaint,,1,2023-05-01,,,,,,,Leaving Care,,,,,,,,,,,,,,,,,,,,,,,")
        result = check(data)
        assert result.unknown[0].creatable
        creating = CouncilVocabulary(
            slug="exampleton",
            name="Borough of Exampleton",
            choices=VOCABULARY.choices,
            names=VOCABULARY.names,
            creating=frozenset({("teams", "leaving care")}),
        )
        assert check(data, councils=Councils(known={}, default=creating)).ok

    def test_several_councils_need_the_council_column(self):
        other = CouncilVocabulary(slug="northby", name="Northby", choices=VOCABULARY.choices, names=VOCABULARY.names)
        councils = Councils(known={"exampleton": VOCABULARY, "northby": other}, default=None)
        result = check(records_csv(",A1,,query,,,2023-05-01,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"), councils=councils)
        assert result.errors[0].column == "council"
        assert "exampleton, northby" in result.errors[0].reason
        assert check(records_csv("Northby,A1,,query,,,2023-05-01,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"), councils=councils).ok


class TestHelpers:
    @pytest.mark.parametrize("text", ["=SUM(A1)", "+44 20", "-1", "@cmd", "\tx", "\rx"])
    def test_formulae_are_neutralised_and_restored(self, text):
        assert neutralise(text) == "'" + text
        assert restore(neutralise(text)) == text

    def test_ordinary_text_is_left_alone(self):
        assert neutralise("O'Brien") == "O'Brien"
        assert restore("'quoted'") == "'quoted'"

    def test_suggestions_match_labels_and_close_spellings(self):
        options = {"cla": "Child looked after", "cin": "Child in need", "care_leaver": "Care leaver"}
        assert suggestions_for("Children Looked After", options)[0] == "cla"
        assert suggestions_for("care leaver", options)[0] == "care_leaver"

    def test_the_header_constant_is_the_v1_interchange_columns(self):
        from opencomplaints.records import INTERCHANGE_COLUMNS

        # The test files are v1 files: every column but the optional v1.1 ``acknowledged`` (interchange §4).
        assert tuple(HEADER.split(",")) == tuple(c for c in INTERCHANGE_COLUMNS if c != "acknowledged")
        assert INTERCHANGE_COLUMNS[6:8] == ("received", "acknowledged")
