from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django.core.exceptions import ValidationError


def gds_helper(*layout: Any) -> FormHelper:
    """The crispy-forms-gds helper of a form drawn inside a page's own ``<form>``: the template owns the form tag,
    its CSRF token (where it posts) and its button."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


class GovukDateField(DateInputField):  # type: ignore[misc]  # crispy-forms-gds ships no type hints
    """The GOV.UK date input (day, month, year) with error messages that name the date, as the Design System asks:
    "Enter the date received", "Date received must include a day, month and year"."""

    def __init__(self, *, noun: str, **kwargs: Any) -> None:
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        capitalised = noun[:1].upper() + noun[1:]
        self.error_messages.update(
            {
                "required": f"Enter {noun}",
                "incomplete": f"{capitalised} must include a day, month and year",
                "invalid": f"{capitalised} must be a real date",
            }
        )

    def compress(self, data_list: list[str]) -> date | None:
        # The library reports Python's own message ("day is out of range for month"); say it the GOV.UK way. A
        # number too large for a C integer (a year of 99999999999) raises OverflowError in ``date()``: the same
        # invalid date to the user, never a server error.
        try:
            result: date | None = super().compress(data_list)
        except (ValidationError, OverflowError) as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
        return result
