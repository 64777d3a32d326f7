"""The forms of the publication pages: starting a report, a section's narrative, the year's context figures and a
manager's comment when returning a report."""

from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from opencomplaints.councils.models import Council
from opencomplaints.reporting.metrics.benchmarking import CONTEXT_FIELDS
from opencomplaints.reporting.metrics.selection import ALL_PROCEDURES
from opencomplaints.reporting.models import PROCEDURE_CHOICES
from opencomplaints.reporting.periods import reporting_year_label, reporting_year_of

__all__ = ["ContextFiguresForm", "DraftStartForm", "NarrativeForm", "QuoteReviewForm", "ReturnForm"]

#: A draft is for one procedure, or the combined council-wide report; "all procedures together" is not published.
DRAFT_PROCEDURES = [(code, name) for code, name in PROCEDURE_CHOICES if code != ALL_PROCEDURES]


class DraftStartForm(forms.Form):
    council = forms.ChoiceField(label="Council", error_messages={"required": "Select the council"})
    procedure = forms.ChoiceField(
        label="Procedure",
        choices=DRAFT_PROCEDURES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the procedure"},
    )
    year = forms.TypedChoiceField(
        label="Reporting year", coerce=int, error_messages={"required": "Select the reporting year"}
    )

    def __init__(self, *args: Any, councils: list[Council], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.councils = {c.slug: c for c in councils}
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ChoiceField)  # noqa: S101 - declared above
        council_field.choices = [(c.slug, c.name) for c in councils]
        if len(councils) == 1:
            council_field.initial = councils[0].slug
            council_field.widget = forms.HiddenInput()
        latest = reporting_year_of(today)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)  # noqa: S101 - declared above
        year_field.choices = [(y, reporting_year_label(y)) for y in range(latest, latest - 6, -1)]
        year_field.initial = latest - 1
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("council") if len(councils) > 1 else Field("council"),
            Field.radios("procedure", legend_size=Size.SMALL),
            Field.select("year"),
            Button("submit", "Start the report"),
        )

    def chosen_council(self) -> Council:
        return self.councils[self.cleaned_data["council"]]


class NarrativeForm(forms.Form):
    section = forms.CharField(max_length=40, widget=forms.HiddenInput)
    text = forms.CharField(required=False, widget=forms.Textarea)
    note = forms.CharField(required=False, widget=forms.Textarea)


class ContextFiguresForm(forms.Form):
    """The year's context figures; a blank box clears a figure."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, description in CONTEXT_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=description,
                required=False,
                min_value=0,
                max_value=10_000_000,
                error_messages={
                    "invalid": f"{description} must be a whole number, like 4100",
                    "min_value": f"{description} cannot be negative",
                    "max_value": f"{description} must be 10,000,000 or fewer",
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
            )

    def figures(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name, _ in CONTEXT_FIELDS}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What needs changing",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what needs changing before the report is approved"},
    )


class QuoteReviewForm(forms.Form):
    """A reviewer's decision on one quote: approve it as redacted, approve the words as they changed them, or
    reject it."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("edit", "Approve my changes"), ("reject", "Reject")],
        error_messages={"required": "Choose whether to approve or reject the quote"},
    )
    text = forms.CharField(required=False, max_length=2000, strip=True)
