from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from opencomplaints.common.forms import GovukDateField

PROCEDURE_CHOICES = [
    ("children_statutory", "Children's statutory procedure"),
    ("corporate", "Corporate procedure (Complaint Handling Code)"),
    ("adults_statutory", "Adults' statutory procedure"),
]
STAGE_CHOICES = [("1", "Stage 1"), ("2", "Stage 2"), ("3", "Stage 3")]


class DeadlineCalculatorForm(forms.Form):
    procedure = forms.ChoiceField(
        label="Procedure",
        choices=PROCEDURE_CHOICES,
        initial="children_statutory",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the procedure"},
    )
    stage = forms.ChoiceField(
        label="Stage",
        choices=STAGE_CHOICES,
        initial="1",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the stage"},
    )
    received = GovukDateField(
        noun="the date received",
        label="Date received",
        help_text="Day 0: the date the complaint, or the request for this stage, arrived. For example, 26 5 2022",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.radios("procedure", legend_size=Size.MEDIUM),
            Field.radios("stage", legend_size=Size.MEDIUM, inline=True),
            Fieldset(Field("received"), legend="When was it received?", legend_size=Size.MEDIUM),
            Button("submit", "Work out the due dates"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        procedure, stage = cleaned.get("procedure"), cleaned.get("stage")
        if procedure == "adults_statutory" and stage and stage != "1":
            self.add_error("stage", "The adults' statutory procedure has one stage: select stage 1")
        if procedure == "corporate" and stage == "3":
            self.add_error("stage", "The corporate procedure has two stages: select stage 1 or 2")
        received = cleaned.get("received")
        if isinstance(received, date) and not 2000 <= received.year <= 2040:
            self.add_error("received", "Date received must be between 2000 and 2040")
        return cleaned
