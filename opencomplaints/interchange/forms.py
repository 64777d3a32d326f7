from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from opencomplaints.councils.models import Council
from opencomplaints.interchange.runs import CREATE

ALL = "all"
FORMAT_CHOICES = [
    ("csv", "CSV (opens in Excel; UTF-8)"),
    ("xlsx", "Excel workbook (XLSX)"),
    ("jsonl", "JSON Lines, for other systems"),
    # docs/archive.md: not the records file but everything the council holds, to move it or to leave.
    ("zip", "Whole-history archive (ZIP): every case with all its details, documents, letters and settings"),
]
ARCHIVE = "zip"
WHAT = {"teams": "team", "issues": "issue category", "service_area": "service area"}


def _council_field(form: forms.Form, councils: list[Council], *, allow_all: bool) -> None:
    field = form.fields["council"]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared on the form
    choices = [(c.slug, c.name) for c in councils]
    if allow_all and len(councils) > 1:
        choices.append((ALL, "All my councils"))
    field.choices = choices
    if len(councils) == 1:
        field.initial = councils[0].slug
        field.widget = forms.HiddenInput()
        field.required = False


class ImportUploadForm(forms.Form):
    council = forms.ChoiceField(label="Council", error_messages={"required": "Select the council"})
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV (UTF-8), Excel (.xlsx) or JSON Lines (.jsonl) file in the interchange format, smaller "
        "than 50 MB.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args: Any, councils: list[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.councils = {c.slug: c for c in councils}
        _council_field(self, councils, allow_all=False)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("council") if len(councils) > 1 else Field("council"),
            Field("file"),
            Button("submit", "Upload and check the file"),
        )

    def chosen_council(self) -> Council:
        slug = self.cleaned_data["council"] or next(iter(self.councils))
        return self.councils[slug]


class FirstImportForm(forms.Form):
    """The upload form of an installation with no council yet, for a system administrator: the import creates the
    council (interchange §1)."""

    council_name = forms.CharField(
        label="Name of the council",
        help_text="The import sets up this council with the records, for example London Borough of Exampleton.",
        max_length=200,
        error_messages={"required": "Enter the name of the council"},
    )
    create_missing = forms.BooleanField(
        label="Create the service areas, teams and issue categories the file names",
        required=False,
        initial=True,
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV (UTF-8), Excel (.xlsx) or JSON Lines (.jsonl) file in the interchange format, smaller "
        "than 50 MB.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("council_name"),
            Field.checkbox("create_missing"),
            Field("file"),
            Button("submit", "Upload and check the file"),
        )


class MappingForm(forms.Form):
    """One question per label the council has not mapped: which of our values it means, or (for a team, issue
    category or service area) to create it."""

    def __init__(
        self,
        *args: Any,
        unknown: list[dict[str, Any]],
        options: dict[str, dict[str, str]],
        action: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.labels: dict[str, tuple[str, str]] = {}
        names = []
        for number, item in enumerate(unknown, start=1):
            name = f"label_{number}"
            column, label = item["column"], item["label"]
            allowed = options.get(column, {})
            suggested = [(code, f"{allowed.get(code, code)} ({code})") for code in item["suggestions"]]
            rest = [(code, f"{text} ({code})") for code, text in allowed.items() if code not in item["suggestions"]]
            choices: list[tuple[str, str]] = [("", "Choose what it means")]
            if item["creatable"]:
                choices.append((CREATE, f"Create a new {WHAT[column]} called “{label}”"))
            choices += suggested + rest
            self.fields[name] = forms.ChoiceField(
                label=f"“{label}” in {column}",
                help_text=f"Found on {item['count']} {'row' if item['count'] == 1 else 'rows'}.",
                choices=choices,
                required=False,
            )
            if item["suggestions"]:
                self.fields[name].initial = item["suggestions"][0]
            self.labels[name] = (column, label)
            names.append(Field.select(name))
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.layout = Layout(*names, Button("submit", "Save what these labels mean"))

    def choices(self) -> dict[tuple[str, str], str]:
        return {self.labels[name]: value for name, value in self.cleaned_data.items() if value}


class ExportForm(forms.Form):
    council = forms.ChoiceField(label="Council", error_messages={"required": "Select the council"})
    format = forms.ChoiceField(
        label="Format",
        choices=FORMAT_CHOICES,
        initial="csv",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the format"},
    )

    def __init__(self, *args: Any, councils: list[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.councils = {c.slug: c for c in councils}
        _council_field(self, councils, allow_all=True)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("council") if len(councils) > 1 else Field("council"),
            Field.radios("format", legend_size=Size.MEDIUM),
            Button("submit", "Download the records"),
        )

    def chosen_councils(self) -> list[Council]:
        slug = self.cleaned_data["council"] or next(iter(self.councils))
        return list(self.councils.values()) if slug == ALL else [self.councils[slug]]


class SubjectAccessForm(forms.Form):
    person = forms.IntegerField(
        label="Person number",
        help_text="The number of the complainant or child, as shown on their record.",
        min_value=1,
        error_messages={
            "required": "Enter the person number",
            "invalid": "Person number must be a whole number, like 1234",
            "min_value": "Person number must be a whole number, like 1234",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.text("person", field_width=10), Button("submit", "Download their data"))


class ArchiveImportForm(forms.Form):
    """Upload a whole-history archive (docs/archive.md), for a system administrator."""

    file = forms.FileField(
        label="Upload an archive",
        help_text="A .zip file exported from OpenComplaints as a whole-history archive.",
        error_messages={"required": "Select an archive", "empty": "The selected file is empty"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field("file"), Button("submit", "Check and import the archive"))
