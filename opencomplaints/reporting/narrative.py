"""Factual sentences drafted from the figures, in British English, for officers to keep, edit or replace.

Only figures go into these sentences: never a name, never an opinion. Changes are described as "rose", "fell"
or "stayed the same"; percentage changes are of the earlier figure, rounded half up to a whole number; changes
between two percentages are in percentage points, so "on time" figures are never compared as a percentage of a
percentage.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "change_sentence",
    "count_phrase",
    "escalation_sentence",
    "format_money",
    "format_number",
    "format_percent",
    "percentage_point_sentence",
    "plain_paragraphs",
    "share_sentence",
]

type Number = int | float | Decimal


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def format_number(value: Number) -> str:
    """``1234`` → ``"1,234"``; a fractional figure keeps one decimal place."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):,}"


def format_money(value: Number) -> str:
    """``Decimal("6095")`` → ``"£6,095"``; pence are shown only when there are any: ``"£1,345.50"``."""
    number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if number == number.to_integral_value():
        return f"£{int(number):,}"
    return f"£{number:,.2f}"


def format_percent(value: Number) -> str:
    """A percentage rounded half up to a whole number: ``62.5`` → ``"63%"``."""
    return f"{_whole(Decimal(str(value)))}%"


def count_phrase(count: int, singular: str, plural: str | None = None) -> str:
    """``count_phrase(1, "complaint")`` → ``"1 complaint"``; ``count_phrase(3, "complaint")`` → ``"3 complaints"``."""
    noun = singular if count == 1 else (plural or f"{singular}s")
    return f"{format_number(count)} {noun}"


def change_sentence(
    subject: str,
    previous: Number | None,
    current: Number,
    previous_label: str,
    current_label: str,
    *,
    money: bool = False,
) -> str:
    """A sentence comparing two figures, e.g. "Stage 1 complaints fell by 50%, from 82 in 2022/23 to 41 in
    2023/24". With no earlier figure it states the current one; from zero it gives no percentage."""
    show = format_money if money else format_number
    if previous is None:
        return f"{subject}: {show(current)} in {current_label}; there is no figure for {previous_label} to compare."
    before, after = Decimal(str(previous)), Decimal(str(current))
    if before == after:
        return f"{subject} stayed the same: {show(current)} in {previous_label} and in {current_label}."
    verb = "rose" if after > before else "fell"
    if before == 0:
        return f"{subject} {verb} from {show(previous)} in {previous_label} to {show(current)} in {current_label}."
    change = _whole(abs(after - before) * 100 / before)
    return (
        f"{subject} {verb} by {change}%, from {show(previous)} in {previous_label} to {show(current)} in "
        f"{current_label}."
    )


def percentage_point_sentence(
    subject: str, previous: Number | None, current: Number, previous_label: str, current_label: str
) -> str:
    """A sentence comparing two percentages in percentage points, e.g. "The proportion of stage 1 complaints
    answered on time rose by 6 percentage points, from 55% in 2021/22 to 61% in 2022/23"."""
    if previous is None:
        return f"{subject} was {format_percent(current)} in {current_label}."
    before, after = _whole(Decimal(str(previous))), _whole(Decimal(str(current)))
    if before == after:
        return f"{subject} stayed the same: {before}% in {previous_label} and in {current_label}."
    verb = "rose" if after > before else "fell"
    points = abs(after - before)
    unit = "percentage point" if points == 1 else "percentage points"
    return f"{subject} {verb} by {points} {unit}, from {before}% in {previous_label} to {after}% in {current_label}."


def share_sentence(part: int, whole: int, description: str) -> str:
    """E.g. ``share_sentence(33, 42, "stage 1 complaints were answered on time")`` → "33 of 42 stage 1
    complaints were answered on time (79%)."; with nothing to share of, says so."""
    if whole == 0:
        return f"There were no {description.split(' were ')[0].split(' was ')[0]} to report."
    share = _whole(Decimal(part) * 100 / Decimal(whole))
    return f"{format_number(part)} of {format_number(whole)} {description} ({share}%)."


def escalation_sentence(lower_stage: int, escalated: int, completed_less_withdrawn: int) -> str:
    """E.g. "Escalation from stage 1 to stage 2: 9 received at stage 2, against 56 completed at stage 1 (less
    withdrawn), a rate of 16%." """
    upper = lower_stage + 1
    if not completed_less_withdrawn:
        return (
            f"Escalation from stage {lower_stage} to stage {upper}: no stage {lower_stage} complaints were "
            "completed, so there is no rate."
        )
    rate = Decimal(escalated) * 100 / Decimal(completed_less_withdrawn)
    return (
        f"Escalation from stage {lower_stage} to stage {upper}: {format_number(escalated)} received at stage "
        f"{upper}, against {format_number(completed_less_withdrawn)} completed at stage {lower_stage} (less "
        f"withdrawn), a rate of {format_percent(rate)}."
    )


_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s*")
_LIST_MARK = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+")
_QUOTE_MARK = re.compile(r"^\s*(?:>\s?)+")
_RULE_LINE = re.compile(r"^\s*([-*_=])(?:\s*\1){2,}\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])")
_CODE = re.compile(r"`+([^`]*)`+")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def _plain_line(line: str) -> str:
    line = _HEADING_MARK.sub("", _QUOTE_MARK.sub("", line))
    line = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(2) and m.group(1) else m.group(1), line)
    line = _STRONG.sub(r"\2", line)
    line = _EMPHASIS.sub(r"\2", line)
    line = _CODE.sub(r"\1", line)
    return _TAG.sub("", line).replace("\\", "")


def plain_paragraphs(text: str) -> tuple[str, ...]:
    """An officer's narrative as the plain paragraphs a report publishes: paragraphs are separated by a blank
    line, each list item is a paragraph of its own, and Markdown or HTML marks are taken out (a heading mark, a
    list bullet, emphasis, a link's brackets, a quote's ``>``), so none of them reaches the published text."""
    paragraphs: list[str] = []
    current: list[str] = []

    def close() -> None:
        joined = " ".join(" ".join(current).split())
        if joined:
            paragraphs.append(joined)
        current.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip() or _RULE_LINE.match(raw):
            close()
            continue
        starts_item = bool(_LIST_MARK.match(raw) or _HEADING_MARK.match(raw))
        if starts_item:
            close()
        current.append(_plain_line(_LIST_MARK.sub("", raw)))
        if _HEADING_MARK.match(raw):
            close()
    close()
    return tuple(paragraphs)
