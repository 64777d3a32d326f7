"""The form for a new personal API token, on the token page."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from opencomplaints.api.models import TokenScope
from opencomplaints.api.services.tokens import MAX_DAYS
from opencomplaints.councils.models import Council


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, the nightly load into the data warehouse. You will see this name in the list.",
        max_length=100,
        error_messages={"required": "Enter what the token is for"},
    )
    scope = forms.ChoiceField(
        label="What may it do?",
        choices=[(TokenScope.READ, "Read cases only"), (TokenScope.WRITE, "Read cases and change them")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the token may do"},
    )
    councils = forms.ModelMultipleChoiceField(
        label="Which councils? (optional)",
        help_text="Leave all unticked for every council you belong to.",
        queryset=Council.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expires = forms.IntegerField(
        label="How many days should it last?",
        help_text=f"From 1 to {MAX_DAYS} days. It stops working after that.",
        min_value=1,
        max_value=MAX_DAYS,
        initial=90,
        error_messages={
            "required": "Enter how many days the token should last",
            "invalid": "Enter a whole number of days, like 90",
            "min_value": f"A token lasts from 1 to {MAX_DAYS} days",
            "max_value": f"A token lasts from 1 to {MAX_DAYS} days",
        },
    )

    def __init__(self, *args: Any, councils: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["councils"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - declared above
        field.queryset = councils
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name"),
            Field.radios("scope", legend_size="m"),
            *((Field.checkboxes("councils", legend_size="m"),) if councils.count() > 1 else ()),
            Field.text("expires", field_width=3),
            Button("submit", "Create token"),
        )
