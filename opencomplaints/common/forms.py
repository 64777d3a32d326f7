from typing import Any

from crispy_forms_gds.fields import DateInputField


class GovukDateField(DateInputField):
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
