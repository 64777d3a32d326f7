"""``{% case_correspondence case permissions %}``: the case page's list of letters and emails, sent and received
(a template tag, so the case page includes it without casework importing correspondence)."""

from __future__ import annotations

from typing import Any

from django import template

from opencomplaints.cases.models import Case
from opencomplaints.correspondence.selectors import case_correspondence as items_for

register = template.Library()


@register.inclusion_tag("correspondence/_case_correspondence.html")
def case_correspondence(case: Case, permissions: Any) -> dict[str, Any]:
    return {
        "case": case,
        "correspondence": items_for(case),
        "can_compose": bool(permissions.allows("letter-compose")),
    }
