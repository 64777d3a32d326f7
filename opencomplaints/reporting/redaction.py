"""Redacting personal names from text before it is published (R1.39: the report must not identify anyone).

Quotes from compliments and other free text officers wrote are published only after every name found is replaced
by ``[name]``: the names of the people and staff in the council's records that appear in the text, names after a
title ("Mrs Smith", "Dr A Patel"), and capitalised first names from a list of common British first names. Email
addresses and telephone numbers are replaced by ``[contact details]``. Redaction errs towards removing too much:
a capitalised word that is also a first name ("Hope", "Grace") is removed too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable

__all__ = ["NAME", "candidate_words", "common_first_names", "redact"]

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


def redact(text: str, names: Collection[str] = ()) -> str:
    """``text`` with every name replaced by ``[name]`` and contact details by ``[contact details]``.

    ``names`` are the first names, surnames and full names of people and staff in the council's records (the
    selector finds those that appear in the text); common first names are added here."""
    result = _EMAIL.sub(CONTACT, text)
    result = _PHONE.sub(CONTACT, result)
    result = _TITLED.sub(NAME, result)
    known = {n.strip() for n in names if n and len(n.strip()) > 1}
    # Longest first, so "Jo Bloggs" goes as one name before "Jo" alone is considered.
    for name in sorted(known, key=len, reverse=True):
        result = re.sub(rf"(?<![\w\[]){re.escape(name)}(?!\w)", NAME, result, flags=re.IGNORECASE)
    first_names = common_first_names()
    result = _WORD.sub(lambda m: NAME if m.group(0) in first_names else m.group(0), result)
    # "[name] [name]" (a first name and a surname found separately) reads as one name.
    return re.sub(r"\[name\](?:\s+\[name\])+", NAME, result)
