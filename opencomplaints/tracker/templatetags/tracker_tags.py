"""Template helpers for the trackers: links to case pages, and the colour of each flag's tag."""

from django import template
from django.urls import reverse

from opencomplaints.tracker.selectors import Flag

register = template.Library()

# GOV.UK Frontend 6's plain tag is blue, so the "awaiting" flags need no modifier class.
FLAG_CLASSES = {
    Flag.OVERDUE: "govuk-tag--red",
    Flag.DUE_SOON: "govuk-tag--orange",
    Flag.ON_HOLD: "govuk-tag--grey",
    Flag.AWAITING_REPORT: "",
    Flag.AWAITING_ADJUDICATION: "",
    Flag.EMAIL_NOT_SENT: "govuk-tag--purple",
}


@register.filter
def case_url(case_id: int) -> str:
    """The case page's address."""
    return reverse("casework:case-detail", kwargs={"case_id": case_id})


@register.filter
def flag_class(flag: Flag) -> str:
    return FLAG_CLASSES.get(flag, "")
