"""Council-edited words with ``{{ field }}`` merge fields: checked before they are saved, filled in by plain
substitution. No template engine runs on them, so no tag, filter or attribute lookup can be written into a letter:
anything in braces other than a declared merge field is refused."""

from __future__ import annotations

import re
from collections.abc import Mapping

from opencomplaints.correspondence.fields import SHAREABLE_NAMES

__all__ = ["MERGE_FIELD", "fields_used", "merge", "template_problems"]

MERGE_FIELD = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
_TEMPLATE_CODE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")

UNKNOWN_FIELD = "{{{{ {name} }}}} is not a merge field you can use. Use only the fields listed"
TEMPLATE_CODE = "Write merge fields as {{ field_name }}, with nothing else inside the braces"
EMPTY = "Enter the {part} of the letter"


def fields_used(text: str) -> list[str]:
    return list(dict.fromkeys(MERGE_FIELD.findall(text)))


def template_problems(text: str, *, part: str) -> list[str]:
    """What stops ``text`` being saved as the ``part`` ("subject" or "words") of a template: blank, a merge field
    not on the shareable list, or braces that are not a merge field (a tag, a filter, a comment)."""
    if not text.strip():
        return [EMPTY.format(part=part)]
    problems = [UNKNOWN_FIELD.format(name=name) for name in fields_used(text) if name not in SHAREABLE_NAMES]
    if _TEMPLATE_CODE.search(MERGE_FIELD.sub("", text)):
        problems.append(TEMPLATE_CODE)
    return problems


def merge(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{{ field }}`` replaced by its value. A field with no value for this case is left out
    (an empty string); the officer sees that in the editor before anything is sent."""
    return MERGE_FIELD.sub(
        lambda match: values.get(match.group(1), "") if match.group(1) in SHAREABLE_NAMES else "", text
    )
