"""The Ombudsman's letter reconciled case by case, and its CSV read back as written."""

from datetime import date
from decimal import Decimal

import pytest

from opencomplaints.handlingcode.reconciliation import (
    CouncilDecision,
    LetterCase,
    LetterData,
    LetterFileError,
    letter_csv,
    parse_letter_csv,
    reconcile,
)

DECISIONS = frozenset({"not_upheld", "upheld_fault_injustice", "premature"})


def ours(ref, decision, *, due=None, complied=None, in_period=True):
    return CouncilDecision(
        case_id=1,
        case_reference=f"EXA-{ref}",
        lgsco_reference=ref,
        decision=decision,
        decision_date=date(2024, 6, 1),
        compliance_due=due,
        complied=complied,
        in_period=in_period,
    )


def test_every_kind_of_difference_is_listed_once_and_agreement_is_not():
    letter = [
        LetterCase(lgsco_reference="A", decision="not_upheld"),  # agrees
        LetterCase(lgsco_reference="B", decision="upheld_fault_injustice"),  # we said not upheld
        LetterCase(lgsco_reference="C", decision="not_upheld"),  # we have nothing
        LetterCase(lgsco_reference="D", decision="premature"),  # we never recorded the decision
        LetterCase(lgsco_reference="E", decision="upheld_fault_injustice", complied_on_time=True),
    ]
    council = [
        ours("A", "not_upheld"),
        ours("B", "not_upheld"),
        ours("D", None),
        ours("E", "upheld_fault_injustice", due=date(2024, 8, 1), complied=date(2024, 9, 1)),
        ours("F", "premature"),  # decided in the year, not in the letter
        ours("G", "premature", in_period=False),  # another year: not a difference
    ]
    found = [(d.kind, d.lgsco_reference) for d in reconcile(letter, council)]
    assert found == [
        ("different_outcome", "B"),
        ("not_recorded", "C"),
        ("not_recorded", "D"),
        ("compliance_missed", "E"),
        ("not_in_letter", "F"),
    ]


def test_references_match_whatever_their_case_and_spacing():
    assert reconcile([LetterCase(lgsco_reference=" a ", decision="not_upheld")], [ours("A", "not_upheld")]) == []


def test_the_csv_round_trips():
    data = LetterData(
        summary={
            "decided": 2,
            "upheld": 1,
            "upheld_rate": Decimal("50.0"),
            "compliance_rate": Decimal("100.0"),
            "satisfactory_remedy": 0,
            "average_upheld_rate": Decimal("78.0"),
            "average_compliance_rate": None,
            "average_satisfactory_remedy_rate": None,
        },
        cases=(
            LetterCase(lgsco_reference="24 001", decision="not_upheld", decision_date=date(2024, 5, 2)),
            LetterCase(lgsco_reference="24 002", decision="upheld_fault_injustice", complied_on_time=False),
        ),
        letter_date=date(2025, 7, 1),
    )
    assert parse_letter_csv(letter_csv(data).encode(), decisions=DECISIONS) == data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"upheld,1\n", "The file has no decided figure."),
        (b"decided,two\nupheld,1\n", "The decided must be a number, not 'two'."),
        (b"decided,1.5\nupheld,1\n", "The decided must be a whole number."),
        (b"colour,blue\n", "Line 1: 'colour' is not a figure of the letter."),
        (
            b"decided,1\nupheld,0\n\nlgsco_reference,decision,decision_date,complied_on_time\nX,maybe,,\n",
            "Line 5: 'maybe' is not one of the Ombudsman's decisions.",
        ),
        (
            b"decided,1\nupheld,0\nlgsco_reference,decision,decision_date,complied_on_time\nX,premature,,\nx,premature,,\n",
            "Line 5: x is listed twice.",
        ),
        (b"\xff\xfe", "The file must be a CSV file saved as UTF-8."),
    ],
)
def test_a_bad_file_says_what_is_wrong(content, message):
    with pytest.raises(LetterFileError) as error:
        parse_letter_csv(content, decisions=DECISIONS)
    assert str(error.value) == message
