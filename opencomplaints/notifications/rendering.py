"""Filling in ``((placeholder))`` personalisation the way GOV.UK Notify does, so a template reads the same whether
Notify or this service fills it in."""

import re
from collections.abc import Mapping

from opencomplaints.common.errors import DomainError
from opencomplaints.notifications import errors

PLACEHOLDER = re.compile(r"\(\(\s*([A-Za-z0-9_]+)\s*\)\)")


def placeholders(text: str) -> list[str]:
    """The names ``text`` asks for, in order, each once."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def render(text: str, personalisation: Mapping[str, object], *, template: str) -> str:
    """``text`` with every ``((name))`` replaced by ``personalisation[name]``. A missing name is a ``DomainError``:
    a message is never sent with a gap where a reference or a date should be."""
    for name in placeholders(text):
        if name not in personalisation:
            raise DomainError(errors.PLACEHOLDER_MISSING.format(template=template, name=name), field="personalisation")
    return PLACEHOLDER.sub(lambda match: str(personalisation[match.group(1)]), text)
