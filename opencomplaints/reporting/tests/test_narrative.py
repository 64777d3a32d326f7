from decimal import Decimal

from opencomplaints.reporting import narrative


def test_fall_with_percentage():
    assert (
        narrative.change_sentence("Stage 1 complaints", 82, 41, "2022/23", "2023/24")
        == "Stage 1 complaints fell by 50%, from 82 in 2022/23 to 41 in 2023/24."
    )


def test_rise_rounds_half_up():
    assert (
        narrative.change_sentence("Compliments", 16, 65, "2022/23", "2023/24")
        == "Compliments rose by 306%, from 16 in 2022/23 to 65 in 2023/24."
    )
    assert narrative.change_sentence("X", 8, 9, "a", "b") == "X rose by 13%, from 8 in a to 9 in b."  # 12.5 → 13


def test_unchanged_from_zero_and_no_previous_figure():
    assert narrative.change_sentence("Stage 3 complaints", 0, 0, "2022/23", "2023/24") == (
        "Stage 3 complaints stayed the same: 0 in 2022/23 and in 2023/24."
    )
    assert narrative.change_sentence("Stage 3 complaints", 0, 3, "2022/23", "2023/24") == (
        "Stage 3 complaints rose from 0 in 2022/23 to 3 in 2023/24."
    )
    assert "no figure for 2022/23" in narrative.change_sentence("Queries", None, 4, "2022/23", "2023/24")


def test_money():
    assert (
        narrative.change_sentence(
            "Compensation", Decimal("13800"), Decimal("6095.00"), "2022/23", "2023/24", money=True
        )
        == "Compensation fell by 56%, from £13,800 in 2022/23 to £6,095 in 2023/24."
    )
    assert narrative.format_money(Decimal("1345.5")) == "£1,345.50"


def test_percentage_points():
    assert narrative.percentage_point_sentence("The proportion on time", 55, 61.4, "2021/22", "2022/23") == (
        "The proportion on time rose by 6 percentage points, from 55% in 2021/22 to 61% in 2022/23."
    )
    assert "by 1 percentage point," in narrative.percentage_point_sentence("P", 50, 49, "a", "b")


def test_shares_counts_and_escalation():
    assert narrative.share_sentence(33, 42, "stage 1 complaints were answered on time") == (
        "33 of 42 stage 1 complaints were answered on time (79%)."
    )
    assert narrative.count_phrase(1, "decision") == "1 decision"
    assert narrative.count_phrase(1200, "decision") == "1,200 decisions"
    assert narrative.escalation_sentence(1, 9, 56) == (
        "Escalation from stage 1 to stage 2: 9 received at stage 2, against 56 completed at stage 1 (less "
        "withdrawn), a rate of 16%."
    )


def test_plain_paragraphs_take_out_markdown_and_html_marks():
    from opencomplaints.reporting.narrative import plain_paragraphs

    text = (
        "# Summary\n\nThe **year** was _busy_: see [the plan](https://example.gov.uk/plan).\n"
        "- fewer late responses\n* more advocacy\n\n---\n> A `quoted` <b>line</b>\r\n1. first step\n\n\n"
    )
    assert plain_paragraphs(text) == (
        "Summary",
        "The year was busy: see the plan (https://example.gov.uk/plan).",
        "fewer late responses",
        "more advocacy",
        "A quoted line",
        "first step",
    )
    assert plain_paragraphs("  \n\n ") == ()
    assert plain_paragraphs("Rates per 10,000 children rose.\nThey are 3*4 = 12.") == (
        "Rates per 10,000 children rose. They are 3*4 = 12.",
    )
