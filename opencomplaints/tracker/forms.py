"""The tracker's POST forms: giving the selected cases to an officer, and saving the filters as a view."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from opencomplaints.common.forms import gds_helper
from opencomplaints.tracker.models import SAVED_VIEW_NAME_LENGTH

__all__ = ["NO_ONE", "AllocationForm", "SavedViewForm"]

# The owner choice for "no one": the cases go back to the unallocated list.
NO_ONE = "none"
ALLOCATE_CHOOSE_OWNER = "Select who to give the cases to"
ALLOCATE_CHOOSE_CASES = "Select the cases to give to the officer"
ALLOCATE_REASON = "Enter why the cases are being given to the officer"
ALLOCATE_UNKNOWN_CASES = "Select the cases from the list: some of those selected are no longer there"


class AllocationForm(forms.Form):
    """The officer and the reason; the cases are the table's checkboxes (``cases``, one per row, with the
    ``version-<id>`` each row was read at)."""

    owner = forms.ChoiceField(
        label="Give the selected cases to",
        error_messages={"required": ALLOCATE_CHOOSE_OWNER, "invalid_choice": ALLOCATE_CHOOSE_OWNER},
    )
    reason = forms.CharField(
        label="Why are they being given to them?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, sharing out the week's new cases, or someone on leave.",
        error_messages={"required": ALLOCATE_REASON},
    )

    # The tracker's filters have an owner field too: the prefix keeps the two apart (names and ids).
    prefix = "allocate"

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose an officer"), *[(str(pk), label) for pk, label in owners], (NO_ONE, "No one")]
        self.fields["owner"].choices = choices  # type: ignore[attr-defined]
        self.helper = gds_helper(Field.select("owner"), Field.textarea("reason", rows=2))

    def case_ids(self) -> list[int]:
        """The ticked cases' ids, each once, in the order of the page."""
        values = self.data.getlist("cases") if hasattr(self.data, "getlist") else []
        return list(dict.fromkeys(int(v) for v in values if str(v).isdigit()))

    def versions(self) -> dict[int, int]:
        found: dict[int, int] = {}
        for pk in self.case_ids():
            value = self.data.get(f"version-{pk}", "")
            if str(value).isdigit():
                found[pk] = int(value)
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.case_ids():
            self.add_error(None, ALLOCATE_CHOOSE_CASES)
        return cleaned

    def owner_id(self) -> int | None:
        value = self.cleaned_data.get("owner") or NO_ONE
        return None if value == NO_ONE else int(value)


class SavedViewForm(forms.Form):
    name = forms.CharField(
        label="Name this view",
        max_length=SAVED_VIEW_NAME_LENGTH,
        help_text="Save the filters and order above, to open them again from this page.",
        error_messages={
            "required": "Enter a name for the view",
            "max_length": f"The name must be {SAVED_VIEW_NAME_LENGTH} characters or fewer",
        },
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.text("name", field_width=20), Field("query"))
