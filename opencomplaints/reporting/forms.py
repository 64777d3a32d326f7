from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.http import QueryDict

from opencomplaints.cases.kinds import Shape, all_kinds
from opencomplaints.common.forms import GovukDateField
from opencomplaints.councils.models import Council
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.crosstab import (
    DIMENSIONS,
    MEASURES,
    STAGE3_MEASURES,
    TableQuery,
    TableQueryError,
    validate,
)
from opencomplaints.reporting.metrics.selection import COMBINED
from opencomplaints.reporting.models import BASIS_CHOICES, PROCEDURE_CHOICES, ReportFile
from opencomplaints.reporting.periods import QUARTERS, Period, custom_period, reporting_quarter, reporting_year

ALL = "all"


class ReportForm(forms.Form):
    """Which report to produce: council (when the user has several), period, procedure and counting basis."""

    council = forms.ChoiceField(label="Council", error_messages={"required": "Select the council"})
    year = forms.TypedChoiceField(
        label="Reporting year",
        coerce=int,
        help_text="1 April to 31 March.",
        error_messages={"required": "Select the reporting year"},
    )
    quarter = forms.ChoiceField(
        label="Part of the year",
        required=False,
        choices=[("", "The whole year"), *((q, q) for q in QUARTERS)],
    )
    start = GovukDateField(noun="the first day", label="First day", required=False)
    end = GovukDateField(noun="the last day", label="Last day", required=False)
    procedure = forms.ChoiceField(
        label="Procedure", choices=PROCEDURE_CHOICES, initial="children_statutory", widget=forms.RadioSelect
    )
    basis = forms.ChoiceField(
        label="Count breakdowns by", choices=BASIS_CHOICES, initial=Basis.RECEIVED.value, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, councils: list[Council], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.councils = {c.slug: c for c in councils}
        council_choices = [(c.slug, c.name) for c in councils]
        if len(councils) > 1:
            council_choices.append((ALL, "All my councils, combined"))
        council_field = self.fields["council"]
        assert isinstance(council_field, forms.ChoiceField)  # noqa: S101 - declared above
        council_field.choices = council_choices
        if len(councils) == 1:
            council_field.initial = councils[0].slug
            council_field.widget = forms.HiddenInput()
        latest = today.year if today.month >= 4 else today.year - 1
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)  # noqa: S101 - declared above
        year_field.choices = [(y, f"{y}/{(y + 1) % 100:02d}") for y in range(latest, 2004, -1)]
        year_field.initial = latest - 1 if today.month < 7 else latest
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("council") if len(councils) > 1 else Field("council"),
            Field.select("year"),
            Field.select("quarter"),
            Fieldset(
                Field("start"),
                Field("end"),
                legend="Or any other period",
                legend_size=Size.SMALL,
            ),
            Field.radios("procedure", legend_size=Size.SMALL),
            Field.radios("basis", legend_size=Size.SMALL),
            Button("submit", "Show the report"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if bool(start) != bool(end):
            self.add_error("end" if start else "start", "Enter both the first and the last day, or neither")
        elif start and end and end < start:
            self.add_error("end", "The last day must be on or after the first day")
        return cleaned

    def period(self) -> Period:
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return custom_period(data["start"], data["end"])
        if data.get("quarter"):
            return reporting_quarter(data["year"], data["quarter"])
        return reporting_year(data["year"])

    def chosen_councils(self) -> list[Council]:
        slug = self.cleaned_data["council"]
        return list(self.councils.values()) if slug == ALL else [self.councils[slug]]

    def query_string(self) -> str:
        """The choice as the report page's query string, with this form's own fields only (a date's day, month
        and year are ``start_0``, ``start_1``, ``start_2``)."""
        kept = QueryDict(mutable=True)
        if isinstance(self.data, QueryDict):
            for key, values in self.data.lists():
                if key in self.fields or key.rpartition("_")[0] in self.fields:
                    kept.setlist(key, values)
        return kept.urlencode()


class ReportFileForm(forms.Form):
    """A "Download" button of the report page: the report (the page's query string) and the file's format."""

    query = forms.CharField(max_length=1000, required=False)
    format = forms.ChoiceField(choices=ReportFile.FileFormat.choices)

    def report_data(self) -> QueryDict:
        return QueryDict(self.cleaned_data["query"])


def _name(code: str) -> str:
    return code.replace("_", " ").capitalize()


#: What a table counts: a stage of a complaint, or a kind of other representation.
SUBJECT_CHOICES = [
    ("stage:1", "Stage 1 complaints"),
    ("stage:2", "Stage 2 complaints"),
    ("stage:3", "Stage 3 complaints"),
    # Every kind of other representation the registry holds (cases.kinds), a council's own included.
    *((f"kind:{k.value}", k.plural[:1].upper() + k.plural[1:]) for k in all_kinds() if k.shape == Shape.REPRESENTATION),
]
MEASURE_NAMES = {
    "received": "Received",
    "completed": "Completed",
    "open_at_end": "Open at the end of the period",
    "assessed": "Assessed for timeliness",
    "within_timescale": "Answered within the timescale",
    "within_extended_timescale": "Answered within an agreed extended timescale",
    "late": "Answered late",
    "upheld": "Upheld",
    "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld",
    "withdrawn": "Withdrawn",
    "resolved_informally": "Resolved informally",
    "not_accepted": "Not accepted",
    "compensation": "Compensation paid or offered (£)",
    "panel_on_time": "Review panel met on time",
    "panel_report_on_time": "Panel report sent on time",
    "response_on_time": "Council responded to the panel on time",
}


class TableBuilderForm(ReportForm):
    """A table by any dimension: the report's council and period, then the procedure, what to count, the
    measure, the rows, the columns and a service area to limit it to."""

    subject = forms.ChoiceField(label="What to count", choices=SUBJECT_CHOICES, initial="stage:1")
    measure = forms.ChoiceField(
        label="Measure", choices=[(m, MEASURE_NAMES[m]) for m in (*MEASURES, *STAGE3_MEASURES)], initial="received"
    )
    rows = forms.ChoiceField(label="Rows", choices=[(d, _name(d)) for d in DIMENSIONS], initial="service_area")
    columns = forms.ChoiceField(
        label="Columns", required=False, choices=[("", "None"), *((d, _name(d)) for d in DIMENSIONS)]
    )
    service_area = forms.ChoiceField(label="Service area", required=False)

    def __init__(self, *args: Any, service_areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["basis"]
        procedure = self.fields["procedure"]
        assert isinstance(procedure, forms.ChoiceField)  # noqa: S101 - declared by ReportForm
        procedure.choices = [c for c in PROCEDURE_CHOICES if c[0] not in (ALL, COMBINED)]
        area = self.fields["service_area"]
        assert isinstance(area, forms.ChoiceField)  # noqa: S101 - declared above
        area.choices = [("", "Every service area"), *((a, a) for a in service_areas)]
        council_field = self.fields["council"]
        self.helper.layout = Layout(
            Field.select("council") if not isinstance(council_field.widget, forms.HiddenInput) else Field("council"),
            Field.select("year"),
            Field.select("quarter"),
            Fieldset(Field("start"), Field("end"), legend="Or any other period", legend_size=Size.SMALL),
            Field.radios("procedure", legend_size=Size.SMALL),
            Field.select("subject"),
            Field.select("measure"),
            Field.select("rows"),
            Field.select("columns"),
            Field.select("service_area"),
            Button("submit", "Show the table"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            validate(self.query())
        except TableQueryError as error:
            self.add_error("measure" if "measure" in error.message.lower() else "columns", error.message)
        return cleaned

    def query(self) -> TableQuery:
        data = self.cleaned_data
        what, _, value = data["subject"].partition(":")
        return TableQuery(
            measure=data["measure"],
            rows=data["rows"],
            columns=data.get("columns") or None,
            stage=int(value) if what == "stage" else None,
            kind=value if what == "kind" else None,
            procedure=data["procedure"],
        )


class SaveTableForm(forms.Form):
    """Save the table shown to the council's annual report."""

    title = forms.CharField(
        label="Title of the table in the report",
        max_length=200,
        error_messages={"required": "Enter a title for the table"},
    )
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)
