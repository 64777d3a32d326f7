"""Formatting for the casework pages, in the GOV.UK style: "13 June 2022", "2:30pm", "£1,250.00"."""

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

from opencomplaints.casework.selectors import StageView

register = template.Library()


@register.filter
def govuk_date(value: date | None) -> str:
    """``13 June 2022``; a date-time is shown as its London date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


@register.filter
def govuk_datetime(value: datetime | None) -> str:
    """``13 June 2022 at 2:30pm`` in London time."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    clock = f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"
    return f"{local.day} {local:%B %Y} at {clock}"


@register.filter
def pounds(value: Decimal | int | None) -> str:
    """``£1,250.00``."""
    if value is None:
        return ""
    return f"£{Decimal(value):,.2f}"


@register.filter
def yes_no(value: bool | None) -> str:
    if value is None:
        return "Not known"
    return "Yes" if value else "No"


@register.filter
def dict_get(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    """``mapping[key]``, or nothing when it is missing."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def finding_headers(stages: Iterable[StageView]) -> list[str]:
    """The points table's column headings for ``stages``: ``Stage 2 finding``."""
    return [f"Stage {view.stage.number} finding" for view in stages]


@register.filter
def paragraphs(text: str | None) -> list[str]:
    """``text`` split at its blank lines: a message's paragraphs, each shown with its own line breaks."""
    if not text:
        return []
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [block.strip("\n") for block in blocks if block.strip()]
