"""Redacting personal names from text before it is published (R1.39: the report must not identify anyone).

Quotes from compliments and other free text officers wrote are published only after every name found is replaced
by ``[name]``: the names of the people and staff in the council's records that appear in the text, names after a
title ("Mrs Smith", "Dr A Patel"), and capitalised first names from a list of common British first names. Email
addresses and telephone numbers are replaced by ``[contact details]``. Redaction errs towards removing too much:
a capitalised word that is also a first name ("Hope", "Grace") is removed too. It never removes an ordinary word
or the name of a role ("the", "team", "social worker", "manager"), even when a record names someone by their role
("the social worker in the Fostering Team"), and a name from the records is matched only where it is written as a
name (capitalised), so a surname such as "Young" leaves "young people" alone.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Collection, Iterable

__all__ = [
    "COMMON_WORDS",
    "NAME",
    "Segment",
    "candidate_words",
    "common_first_names",
    "is_name",
    "marked",
    "name_parts",
    "redact",
]

NAME = "[name]"
CONTACT = "[contact details]"

_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Cllr|Councillor|Rev|Father|Sister)"
_CAPITALISED = r"[A-Z][a-zA-Z'\u2019\-]+"
_TITLED = re.compile(rf"\b{_TITLES}\.?\s+(?:[A-Z]\.?\s+)*{_CAPITALISED}(?:\s+{_CAPITALISED})?")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<!\w)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\w)")
_WORD = re.compile(r"\b[A-Z][a-zA-Z'\u2019\-]+\b")
# Words that are first names but so often capitalised for other reasons that removing them would garble text.
_NOT_NAMES = frozenset({"May", "June", "April", "August", "Will", "Bill", "Mark", "Grant", "Rich", "Sunday"})


#: Words that are never a name to redact: ordinary English words and the roles and teams compliments mention.
_COMMON_WORDS = """
    a about after all also an and any are as at be been before but by can child children council day did do
    for from had has have he her him his how i if in into is it its me mine more most mr mrs ms my no not of on
    one or our out she so some such than thank thanks that the their them then there these they this those to
    too up us very was we were what when where which who why will with would yes you your
    team teams service services worker workers social manager managers officer officers practitioner lead head
    director assistant senior principal deputy family families support supported staff member members carer
    carers foster fostering adoption care leaving leaver leavers young person people parent parents mother father
    mum dad nan grandmother grandfather sister brother son daughter advocate advocacy independent reviewing
    visitor panel chair chairperson complaints complaint customer contact centre front door duty assessment
    safeguarding early help hub unit office district north south east west central locality localities children's
"""
COMMON_WORDS = frozenset(_COMMON_WORDS.split())


def is_name(word: str) -> bool:
    """Whether ``word`` (a name, or one part of it, from the records) can be redacted: not an ordinary word or a
    role, and more than one letter."""
    stripped = word.strip()
    return len(stripped) > 1 and any(c.isalpha() for c in stripped) and stripped.casefold() not in COMMON_WORDS


def name_parts(full_name: str) -> set[str]:
    """``full_name`` and each of its parts that is a name, e.g. ``"the social worker Sam Okafor"`` → the parts
    ``Sam`` and ``Okafor`` and ``"Sam Okafor"`` (ordinary words and roles are left out)."""
    parts = [p for p in full_name.split() if p[:1].isupper() and is_name(p)]
    joined = " ".join(parts)
    return {*parts, *([joined] if len(parts) > 1 else [])}


@functools.cache
def common_first_names() -> frozenset[str]:
    """Common British first names (from the Faker ``en_GB`` lists), to catch names the records do not hold."""
    from faker.providers.person.en_GB import Provider

    names: set[str] = set()
    for attribute in ("first_names_female", "first_names_male", "first_names"):
        value = getattr(Provider, attribute, ())
        names.update(value.keys() if isinstance(value, dict) else value)
    return frozenset(n for n in names if n not in _NOT_NAMES)


def candidate_words(texts: Iterable[str]) -> set[str]:
    """The capitalised words in ``texts``: the only ones that need looking up in the council's records."""
    return {word for text in texts for word in _WORD.findall(text)}


def _replace_name(match: re.Match[str], *, distinctive: bool) -> str:
    return NAME if distinctive or match.group(0)[:1].isupper() else match.group(0)


def redact(text: str, names: Collection[str] = ()) -> str:
    """``text`` with every name replaced by ``[name]`` and contact details by ``[contact details]``.

    ``names`` are the first names, surnames and full names of people and staff in the council's records (the
    selector finds those that appear in the text); common first names are added here."""
    result = _EMAIL.sub(CONTACT, text)
    result = _PHONE.sub(CONTACT, result)
    result = _TITLED.sub(NAME, result)
    known = {n.strip() for n in names if n and is_name(n)}
    # Longest first, so "Jo Bloggs" goes as one name before "Jo" alone is considered.
    for name in sorted(known, key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w\[]){re.escape(name)}(?!\w)", flags=re.IGNORECASE)
        # A distinctive name ("Okonkwo-Bell") goes however it is written; a plain one only written as a name.
        distinctive = any(c in name for c in "-'\u2019") or " " in name
        result = pattern.sub(functools.partial(_replace_name, distinctive=distinctive), result)
    first_names = common_first_names()
    result = _WORD.sub(lambda m: NAME if m.group(0) in first_names else m.group(0), result)
    # "[name] [name]" (a first name and a surname found separately) reads as one name.
    return re.sub(r"\[name\](?:\s+\[name\])+", NAME, result)


#: A run of text and whether redaction changed it (taken out of the words as written, or put in their place).
type Segment = tuple[str, bool]
# Words (an email address is one), spaces and punctuation; the redaction marks are one token each.
_TOKEN = re.compile(r"\[name\]|\[contact details\]|\w[\w@.'\u2019+\-]*\w|\w|\s+|[^\w\s]")


def _joined(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for text, changed in segments:
        if text and out and out[-1][1] == changed:
            out[-1] = (out[-1][0] + text, changed)
        elif text:
            out.append((text, changed))
    return out


def marked(original: str, redacted: str) -> tuple[list[Segment], list[Segment]]:
    """``original`` and its ``redacted`` version cut into segments, each marked where they differ: in the words
    as written, what redaction took out; in the redacted words, what it put in their place (``[name]``). For a
    reviewer to see each redaction (the texts are compared word by word)."""
    before, after = _TOKEN.findall(original), _TOKEN.findall(redacted)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        left.append(("".join(before[i1:i2]), changed))
        right.append(("".join(after[j1:j2]), changed))
    return _joined(left), _joined(right)
