"""The casework forms, in the GOV.UK style (crispy-forms-gds): they parse what was typed and say clearly what is
wrong with it. The rules of the procedure are the services' to apply: a ``DomainError`` they raise comes back to
the form through :meth:`CaseworkForm.add_domain_error`, on the field it is about."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.db.models import QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases import rules
from opencomplaints.cases.models import Case, ComplaintPoint, Recommendation, Stage
from opencomplaints.cases.services import (
    ChildInput,
    ComplainantInput,
    ComplimentInput,
    EnquirerInput,
    LateAcceptance,
    PersonInput,
    RecommendationResponse,
)
from opencomplaints.casework.models import DocumentKind
from opencomplaints.common.errors import DomainError
from opencomplaints.common.forms import GovukDateField
from opencomplaints.councils.models import Council, EqualityScheme, IssueCategory, RemedyType, Team
from opencomplaints.notifications.models import SentVia

LONDON = ZoneInfo("Europe/London")
LONG_TEXT = 5000
EARLIEST_YEAR = 2000
YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
TIME_PATTERN = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _noun(label: str) -> str:
    """A field's label as the subject of an error message: "Date paid (optional)" is "Date paid"."""
    return label.replace(" (optional)", "").rstrip("?")


def yes_no_value(value: str | None) -> bool | None:
    """``True`` for "yes", ``False`` for "no", ``None`` for anything else (not known, not stated, not chosen)."""
    return {"yes": True, "no": False}.get(value or "")


def _stage_label(stage: Stage) -> str:
    return f"Stage {stage.number}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def date_field(noun: str, label: str, *, required: bool = True, hint: str = "") -> GovukDateField:
    example = "For example, 27 3 2024"
    return GovukDateField(
        noun=noun, label=label, required=required, help_text=f"{hint} {example}".strip() if hint else example
    )


def radios(label: str, choices: Sequence[tuple[str, str]], error: str, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": error, "invalid_choice": error},
    )


def text_area(label: str, *, required: bool = True, error: str = "", hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=LONG_TEXT,
        help_text=hint,
        # crispy-forms-gds adds the character count's id to aria-describedby, and fails if the key is missing.
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": ""}),
        error_messages={
            "required": error,
            "max_length": f"{_capitalised(_noun(label))} must be {LONG_TEXT} characters or fewer",
        },
    )


def text_input(
    label: str, *, max_length: int, required: bool = False, error: str = "", hint: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=hint,
        error_messages={
            "required": error,
            "max_length": f"{_capitalised(_noun(label))} must be {max_length} characters or fewer",
        },
    )


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.job_title})" if obj.job_title else str(obj)


class CaseworkForm(forms.Form):
    """A form whose values go to one service call.

    ``service_fields`` maps the field names a service's ``DomainError`` uses to this form's fields, where they
    differ; an error on anything else is shown at the top of the page. ``past_dates`` name the dates of events,
    which cannot be in the future.
    """

    service_fields: ClassVar[dict[str, str]] = {}
    past_dates: ClassVar[tuple[str, ...]] = ()
    title: ClassVar[str] = ""
    submit_label: ClassVar[str] = "Save"
    warning: ClassVar[bool] = False
    # A sentence above the form saying what the action does, where the title alone does not.
    lede: ClassVar[str] = ""

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list[Any]:
        return [self._field(name) for name in self.fields]

    def _field(self, name: str) -> Any:
        field = self.fields[name]
        if isinstance(field.widget, forms.RadioSelect):
            return Field.radios(name, legend_size=Size.SMALL, inline=len(field.choices) <= 2)  # type: ignore[attr-defined]
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            return Field.checkboxes(name, legend_size=Size.SMALL, small=True)
        if isinstance(field, GovukDateField):
            return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})
        if isinstance(field.widget, forms.Textarea):
            return Field.textarea(name, label_size=Size.SMALL, rows=4, max_characters=field.max_length)  # type: ignore[attr-defined]
        if isinstance(field.widget, forms.Select):
            return Field.select(name)
        if isinstance(field, forms.DecimalField):
            return Field.text(name, label_size=Size.SMALL, field_width=10)
        return Field.text(name, label_size=Size.SMALL)

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal on the field it is about, or at the top of the form."""
        name = self.service_fields.get(error.field or "", error.field)
        self.add_error(name if name in self.fields else None, error.message)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.past_dates:
            value = cleaned.get(name)
            if not isinstance(value, date):
                continue
            label = _noun(str(self.fields[name].label))
            if value > self.today:
                self.add_error(name, f"{label} must be today or in the past")
            elif value.year < EARLIEST_YEAR:
                self.add_error(name, f"{label} must be in {EARLIEST_YEAR} or later")
        return cleaned


# -- registering -----------------------------------------------------------------------------------------------


REGISTER_KINDS = [
    ("complaint", "Complaint"),
    ("potential_complaint", "Potential complaint"),
    ("query", "Query"),
    ("mp_enquiry", "MP enquiry"),
    ("member_enquiry", "Councillor enquiry"),
    ("compliment", "Compliment"),
    ("ombudsman", "Ombudsman case"),
]


class RegisterChoiceForm(CaseworkForm):
    title = "What are you registering?"
    submit_label = "Continue"

    kind = radios("What are you registering?", REGISTER_KINDS, "Select what you are registering")

    def layout_fields(self) -> list[Any]:
        return [Field.radios("kind", legend_size=Size.LARGE, legend_tag="h1")]


class CouncilMixin:
    """Adds a choice of council when the user works for more than one."""

    fields: dict[str, forms.Field]

    def add_council_field(self, councils: Sequence[Council]) -> None:
        self.councils = list(councils)
        if len(self.councils) > 1:
            self.fields["council"] = forms.ModelChoiceField(
                label="Council",
                queryset=Council.objects.filter(pk__in=[x.pk for x in self.councils]),
                widget=forms.RadioSelect,
                empty_label=None,
                error_messages={"required": "Select the council", "invalid_choice": "Select the council"},
            )

    def chosen_council(self, cleaned: dict[str, Any]) -> Council:
        council: Council = cleaned.get("council") or self.councils[0]
        return council


def _received_at(received: date, typed: str) -> datetime | None:
    match = TIME_PATTERN.match(typed)
    if match is None:
        raise forms.ValidationError("Enter the time received like 14:30 or 2:30pm")
    hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise forms.ValidationError("Enter the time received like 14:30 or 2:30pm")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise forms.ValidationError("Time received must be a real time, like 14:30")
    return datetime.combine(received, time(hour, minute), tzinfo=LONDON)


def _ethnicity_choices(scheme: str, categories: Iterable[tuple[str, str, str]]) -> list[tuple[str, str]]:
    choices = [("", "Not recorded")]
    choices += [(code, name) for row_scheme, code, name in categories if row_scheme == scheme]
    return choices


SEX_CHOICES = [("unknown", "Not known or prefer not to say"), ("female", "Female"), ("male", "Male")]
DISABILITY_CHOICES = [("unknown", "Not known or prefer not to say"), ("yes", "Yes"), ("no", "No")]
ORIENTATION_CHOICES = [
    ("unknown", "Not known"),
    *[(v, str(label)) for v, label in c.SexualOrientation.choices if v != c.SexualOrientation.UNKNOWN],
]


def _select(label: str, choices: Sequence[tuple[str, str]], *, initial: str = "", hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        required=False,
        initial=initial,
        help_text=hint,
        error_messages={"invalid_choice": "Select one of the options in the list"},
    )


class PersonFields(forms.Form):
    """The name, contact and equality monitoring details of a complainant or child."""

    role: ClassVar[str] = "person"
    ethnicity_scheme: ClassVar[str] = EqualityScheme.CENSUS_2021

    def __init__(self, *args: Any, ethnicity: Sequence[tuple[str, str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ethnicity"].choices = _ethnicity_choices(self.ethnicity_scheme, ethnicity)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("first_name") and not cleaned.get("last_name"):
            self.add_error("first_name", f"Enter the {self.role}'s first name or last name")
        return cleaned

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        ethnicity = data.get("ethnicity") or ""
        return PersonInput(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data.get("date_of_birth"),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            address=data.get("address", ""),
            postcode=data.get("postcode", "").upper(),
            sex=data.get("sex") or c.Sex.UNKNOWN,
            ethnicity_scheme=self.ethnicity_scheme if ethnicity else "",
            ethnicity_code=ethnicity,
            disability=data.get("disability") or c.YesNoUnknown.UNKNOWN,
            sexual_orientation=data.get("sexual_orientation") or c.SexualOrientation.UNKNOWN,
            religion=data.get("religion", ""),
        )


class ComplainantForm(PersonFields):
    role = "complainant"

    first_name = text_input("First name", max_length=100)
    last_name = text_input("Last name", max_length=100)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = text_input("Phone number (optional)", max_length=40)
    address = forms.CharField(label="Address (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = text_input("Postcode (optional)", max_length=10)
    complainant_type = _select("Who are they?", c.ComplainantType.choices, initial=c.ComplainantType.UNKNOWN)
    eligibility_basis = _select(
        "Why may they complain under the children's statutory procedure?",
        c.EligibilityBasis.choices,
        initial=c.EligibilityBasis.NOT_APPLICABLE,
        hint="Their eligibility basis (R1.8). A sufficient-interest basis needs a decision before the complaint is "
        "accepted (R1.9).",
    )
    on_behalf_of_child = radios(
        "Are they complaining on behalf of a child?",
        [("no", "No"), ("yes", "Yes")],
        "Select whether they are complaining on behalf of a child",
        required=False,
    )
    child_consent = _select(
        "If so, is the child happy for them to complain on their behalf?",
        [(v, str(label)) for v, label in c.ChildConsent.choices if v != c.ChildConsent.NOT_APPLICABLE],
        initial=c.ChildConsent.NOT_SOUGHT,
        hint="Confirm where possible that the complaint reflects the child's views (R1.10).",
    )
    sex = _select("Sex (optional)", SEX_CHOICES, initial="unknown")
    ethnicity = _select("Ethnic group (optional)", [])
    disability = _select("Do they consider themselves disabled? (optional)", DISABILITY_CHOICES, initial="unknown")
    sexual_orientation = _select("Sexual orientation (optional)", ORIENTATION_CHOICES, initial="unknown")
    religion = text_input("Religion or belief (optional)", max_length=100, hint="Leave blank if not known.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field.text("email", field_width=30, autocomplete="off", spellcheck="false"),
            Field.text("phone", field_width=20, autocomplete="off"),
            Field.textarea("address", rows=3),
            Field.text("postcode", field_width=10, autocomplete="off"),
            Field.select("complainant_type"),
            Field.select("eligibility_basis"),
            Field.radios("on_behalf_of_child", legend_size=Size.SMALL, inline=True),
            Field.select("child_consent"),
            Fieldset(
                Field.select("sex"),
                Field.select("ethnicity"),
                Field.select("disability"),
                Field.select("sexual_orientation"),
                Field.text("religion", field_width=20),
                legend="Equality monitoring (optional)",
                legend_size=Size.SMALL,
            ),
        )

    def complainant_input(self) -> ComplainantInput:
        data = self.cleaned_data
        on_behalf = data.get("on_behalf_of_child") == "yes"
        return ComplainantInput(
            person=self.person_input(),
            complainant_type=data.get("complainant_type") or c.ComplainantType.UNKNOWN,
            eligibility_basis=data.get("eligibility_basis") or c.EligibilityBasis.NOT_APPLICABLE,
            on_behalf_of_child=on_behalf,
            child_consent=(data.get("child_consent") or c.ChildConsent.NOT_SOUGHT)
            if on_behalf
            else c.ChildConsent.NOT_APPLICABLE,
        )


class ChildForm(PersonFields):
    role = "child"
    ethnicity_scheme = EqualityScheme.DFE_CSC

    first_name = text_input("First name", max_length=100)
    last_name = text_input("Last name", max_length=100)
    date_of_birth = date_field("the child's date of birth", "Date of birth (optional)", required=False)
    age_at_receipt = forms.IntegerField(
        label="Age when the complaint was received (optional)",
        help_text="Only if the date of birth is not known.",
        required=False,
        min_value=0,
        max_value=25,
        error_messages={
            "invalid": "Enter the age as a whole number, like 12",
            "min_value": "Age must be 0 or more",
            "max_value": "A child or young person is 25 or under: enter an age of 25 or less",
        },
    )
    support_category = _select("What support do they have?", c.SupportCategory.choices, initial="unknown")
    sex = _select("Sex (optional)", SEX_CHOICES, initial="unknown")
    ethnicity = _select("Ethnicity (optional)", [])
    disability = _select("Is the child disabled? (optional)", DISABILITY_CHOICES, initial="unknown")

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field("date_of_birth", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("age_at_receipt", field_width=3, inputmode="numeric"),
            Field.select("support_category"),
            Fieldset(
                Field.select("sex"),
                Field.select("ethnicity"),
                Field.select("disability"),
                legend="Equality monitoring (optional)",
                legend_size=Size.SMALL,
            ),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        born = cleaned.get("date_of_birth")
        if isinstance(born, date) and self.today is not None and born > self.today:
            self.add_error("date_of_birth", "Date of birth must be in the past")
        return cleaned

    def child_input(self) -> ChildInput:
        data = self.cleaned_data
        return ChildInput(
            person=self.person_input(),
            age_at_receipt=data.get("age_at_receipt"),
            support_category=data.get("support_category") or c.SupportCategory.UNKNOWN,
        )


ComplainantFormSet = forms.formset_factory(
    ComplainantForm, extra=0, min_num=1, validate_min=True, max_num=10, validate_max=True
)
ChildFormSet = forms.formset_factory(ChildForm, extra=0, min_num=0, max_num=10, validate_max=True)

LATE_CHOICES = [
    ("accept", "Yes: it was not reasonable to expect it in time, and it can still be considered fairly"),
    ("refuse", "No: register it as not accepted, out of time"),
]
START_STAGE_CHOICES = [("1", "Stage 1: local resolution"), ("2", "Stage 2: investigation")]


class ComplaintRegisterForm(CouncilMixin, CaseworkForm):
    """The complaint itself; its complainants and children are formsets beside it."""

    title = "Register a complaint"
    submit_label = "Register the complaint"
    past_dates = ("received_date", "grounds_arose_date")
    service_fields: ClassVar[dict[str, str]] = {
        "late_acceptance": "late_decision",
        "corporate_procedure": "procedure",
        "received_at": "received_time",
    }

    received_date = date_field("the date received", "Date received", hint="Day 0 of the first stage.")
    received_time = text_input(
        "Time received (optional)", max_length=20, hint="Use the 24-hour clock or am and pm, like 14:30 or 2:30pm."
    )
    received_via = radios("How was it received?", c.ReceivedVia.choices, "Select how the complaint was received")
    procedure = radios(
        "Which procedure does it follow?",
        [(v, str(label)) for v, label in c.Procedure.choices],
        "Select the procedure the complaint follows",
    )
    summary = text_area(
        "Summary of the complaint", error="Enter a summary of the complaint", hint="Personal data: never published."
    )
    principal_issue = forms.ModelChoiceField(
        label="Principal issue (optional)",
        queryset=IssueCategory.objects.none(),
        required=False,
        empty_label="Not chosen yet",
        error_messages={"invalid_choice": "Select the principal issue from the list"},
    )
    other_issues = forms.ModelMultipleChoiceField(
        label="Other issues (optional)",
        queryset=IssueCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select the other issues from the list"},
    )
    teams = forms.ModelMultipleChoiceField(
        label="Teams it is about (optional)",
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select the teams from the list"},
    )
    grounds_arose_date = date_field(
        "the date the grounds arose",
        "When did the grounds for the complaint arise? (optional)",
        required=False,
        hint="A complaint must be made within a year of this date (R1.12).",
    )
    late_decision = radios(
        "If it was made more than a year later, will it be considered?",
        LATE_CHOICES,
        "Select whether the late complaint will be considered",
        required=False,
    )
    late_not_reasonable_reason = text_area(
        "Why was it not reasonable to expect the complaint to be made in time?", required=False
    )
    late_still_possible_reason = text_area(
        "Why is it still possible to consider it effectively and fairly?", required=False
    )
    start_stage = radios(
        "Which stage does it start at?", START_STAGE_CHOICES, "Select the stage the complaint starts at"
    )
    stage1_skipped_reason = text_area(
        "If it starts at stage 2, why is stage 1 not appropriate?",
        required=False,
        hint="Record the reason for starting at stage 2 (R1.23).",
    )
    advocacy_offered = radios(
        "Was advocacy offered?", YES_NO_UNKNOWN, "Select whether advocacy was offered", required=False
    )
    advocacy_provided = radios(
        "Is an advocate helping them?", YES_NO_UNKNOWN, "Select whether an advocate is helping", required=False
    )
    advocate_name = text_input("Advocate's name (optional)", max_length=150)
    advocate_organisation = text_input("Advocate's organisation (optional)", max_length=150)

    def __init__(
        self,
        *args: Any,
        councils: Sequence[Council],
        issues: QuerySet[IssueCategory],
        teams: QuerySet[Team],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"start_stage": "1", "procedure": c.Procedure.CHILDREN_STATUTORY})
        super().__init__(*args, **kwargs)
        self.add_council_field(councils)
        self.fields["principal_issue"].queryset = issues  # type: ignore[attr-defined]
        self.fields["other_issues"].queryset = issues  # type: ignore[attr-defined]
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]
        self.helper.layout = Layout(*self.layout_fields())
        self.details_helper = FormHelper()
        self.details_helper.form_tag = False
        self.details_helper.disable_csrf = True
        self.details_helper.layout = self.details_layout()

    def layout_fields(self) -> list[Any]:
        council = [Field.radios("council", legend_size=Size.MEDIUM)] if "council" in self.fields else []
        return [
            *council,
            Fieldset(
                Field("received_date", context={"legend_size": Size.for_legend(Size.SMALL)}),
                Field.text("received_time", field_width=5),
                Field.radios("received_via", legend_size=Size.SMALL, small=True),
                legend="When and how it arrived",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field.radios("procedure", legend_size=Size.SMALL),
                Field.radios("start_stage", legend_size=Size.SMALL),
                Field.textarea("stage1_skipped_reason", label_size=Size.SMALL, rows=3),
                legend="Procedure",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
        ]

    def details_layout(self) -> Layout:
        """The fields after the complainants and children: what it is about, timing and advocacy."""
        return Layout(
            Fieldset(
                Field.textarea("summary", label_size=Size.SMALL, rows=5, max_characters=LONG_TEXT),
                Field.select("principal_issue"),
                Field.checkboxes("other_issues", legend_size=Size.SMALL, small=True),
                Field.checkboxes("teams", legend_size=Size.SMALL, small=True),
                legend="What it is about",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field("grounds_arose_date", context={"legend_size": Size.for_legend(Size.SMALL)}),
                Field.radios("late_decision", legend_size=Size.SMALL),
                Field.textarea("late_not_reasonable_reason", label_size=Size.SMALL, rows=3),
                Field.textarea("late_still_possible_reason", label_size=Size.SMALL, rows=3),
                legend="Time limit (R1.12)",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field.radios("advocacy_offered", legend_size=Size.SMALL, inline=True),
                Field.radios("advocacy_provided", legend_size=Size.SMALL, inline=True),
                Field.text("advocate_name", field_width=20),
                Field.text("advocate_organisation", field_width=20),
                legend="Advocacy (R1.17)",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        typed = (cleaned.get("received_time") or "").strip()
        received = cleaned.get("received_date")
        cleaned["received_at"] = None
        if typed and isinstance(received, date):
            try:
                cleaned["received_at"] = _received_at(received, typed)
            except forms.ValidationError as error:
                self.add_error("received_time", error)
        return cleaned

    def late_acceptance(self) -> LateAcceptance | None:
        decision = self.cleaned_data.get("late_decision")
        if not decision:
            return None
        return LateAcceptance(
            accepted=decision == "accept",
            not_reasonable_to_expect_reason=self.cleaned_data.get("late_not_reasonable_reason", ""),
            still_possible_reason=self.cleaned_data.get("late_still_possible_reason", ""),
        )

    def issues_in_order(self) -> list[IssueCategory]:
        principal = self.cleaned_data.get("principal_issue")
        others = [i for i in self.cleaned_data.get("other_issues") or [] if i != principal]
        return ([principal] if principal else []) + others

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        start_stage = int(data["start_stage"])
        return {
            "received_date": data["received_date"],
            "received_at": data.get("received_at"),
            "received_via": data["received_via"],
            "procedure": data["procedure"],
            "summary": data["summary"],
            "teams": list(data.get("teams") or []),
            "issues": self.issues_in_order(),
            "grounds_arose_date": data.get("grounds_arose_date"),
            "late_acceptance": self.late_acceptance(),
            "start_stage": start_stage,
            "stage1_skipped_reason": data.get("stage1_skipped_reason", "") if start_stage == 2 else "",
            "advocacy_offered": yes_no_value(data.get("advocacy_offered")),
            "advocacy_provided": yes_no_value(data.get("advocacy_provided")),
            "advocate_name": data.get("advocate_name", ""),
            "advocate_organisation": data.get("advocate_organisation", ""),
        }


REPRESENTATION_SLUGS = {
    "potential-complaint": c.Kind.POTENTIAL_COMPLAINT,
    "query": c.Kind.QUERY,
    "mp-enquiry": c.Kind.MP_ENQUIRY,
    "councillor-enquiry": c.Kind.MEMBER_ENQUIRY,
    "compliment": c.Kind.COMPLIMENT,
}
# What each kind is called on its registration page: the noun with its article.
REPRESENTATION_NAMES: dict[str, tuple[str, str]] = {
    c.Kind.POTENTIAL_COMPLAINT: ("a", "potential complaint"),
    c.Kind.QUERY: ("a", "query"),
    c.Kind.MP_ENQUIRY: ("an", "MP enquiry"),
    c.Kind.MEMBER_ENQUIRY: ("a", "councillor enquiry"),
    c.Kind.COMPLIMENT: ("a", "compliment"),
}
ENQUIRER_TYPES: dict[str, str] = {
    c.Kind.MP_ENQUIRY: c.EnquirerType.MP,
    c.Kind.MEMBER_ENQUIRY: c.EnquirerType.COUNCILLOR,
}


class RepresentationRegisterForm(CouncilMixin, CaseworkForm):
    """A potential complaint, query, MP or councillor enquiry, or compliment."""

    submit_label = "Register"
    past_dates = ("received_date",)
    service_fields: ClassVar[dict[str, str]] = {"enquirer": "enquirer_name", "compliment": "about_person"}

    received_date = date_field("the date received", "Date received")
    received_via = radios("How was it received?", c.ReceivedVia.choices, "Select how it was received")
    topic = text_input("Subject", max_length=200, required=True, error="Enter the subject")
    summary = text_area("Summary (optional)", required=False, hint="Personal data: never published.")
    teams = forms.ModelMultipleChoiceField(
        label="Teams it is about (optional)",
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select the teams from the list"},
    )

    def __init__(
        self, *args: Any, kind: str, councils: Sequence[Council], teams: QuerySet[Team], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.add_council_field(councils)
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]
        if kind in ENQUIRER_TYPES:
            who = "MP" if kind == c.Kind.MP_ENQUIRY else "councillor"
            self.fields["enquirer_name"] = text_input(
                f"Name of the {who}", max_length=150, required=True, error=f"Enter the name of the {who}"
            )
            self.fields["constituency_or_ward"] = text_input(
                "Constituency" if kind == c.Kind.MP_ENQUIRY else "Ward", max_length=150
            )
        if kind == c.Kind.COMPLIMENT:
            self.fields["about_team"] = forms.ModelChoiceField(
                label="Which team is it about? (optional)",
                queryset=teams,
                required=False,
                empty_label="Not a particular team",
                error_messages={"invalid_choice": "Select the team from the list"},
            )
            self.fields["about_person"] = text_input("Who is it about? (optional)", max_length=150)
            self.fields["quote"] = text_area(
                "What did they say? (optional)", required=False, hint="Names are taken out before a quote is published."
            )
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list[Any]:
        fields = super().layout_fields()
        council = [f for f in fields if f.fields == ["council"]]
        return council + [f for f in fields if f.fields != ["council"]]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments: dict[str, Any] = {
            "kind": self.kind,
            "received_date": data["received_date"],
            "received_via": data["received_via"],
            "topic": data["topic"],
            "summary": data.get("summary", ""),
            "teams": list(data.get("teams") or []),
        }
        if self.kind in ENQUIRER_TYPES:
            arguments["enquirer"] = EnquirerInput(
                enquirer_type=ENQUIRER_TYPES[self.kind],
                name=data["enquirer_name"],
                constituency_or_ward=data.get("constituency_or_ward", ""),
            )
        if self.kind == c.Kind.COMPLIMENT:
            arguments["compliment"] = ComplimentInput(
                about_team=data.get("about_team"),
                about_person=data.get("about_person", ""),
                quote=data.get("quote", ""),
            )
        return arguments


class OmbudsmanRegisterForm(CouncilMixin, CaseworkForm):
    title = "Register an Ombudsman case"
    submit_label = "Register the Ombudsman case"
    past_dates = ("received_date",)
    service_fields: ClassVar[dict[str, str]] = {"complaint": "complaint_reference"}

    received_date = date_field("the date received", "Date received", hint="When the Ombudsman's first letter came.")
    lgsco_reference = text_input(
        "Ombudsman's reference",
        max_length=40,
        required=True,
        error="Enter the Ombudsman's reference",
        hint="For example, 24 001 234.",
    )
    complaint_reference = text_input(
        "Our complaint reference (optional)",
        max_length=40,
        hint="The council complaint the Ombudsman is looking at, like CSC-2024-0012.",
    )
    enquiry_due_date = date_field(
        "the date the reply is due",
        "When is the reply to the Ombudsman's enquiries due? (optional)",
        required=False,
    )
    summary = text_area("Summary (optional)", required=False, hint="Personal data: never published.")

    def __init__(self, *args: Any, councils: Sequence[Council], cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = cases
        self.add_council_field(councils)
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list[Any]:
        fields = super().layout_fields()
        council = [f for f in fields if f.fields == ["council"]]
        return council + [f for f in fields if f.fields != ["council"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        reference = (cleaned.get("complaint_reference") or "").strip()
        cleaned["complaint"] = None
        if reference:
            council = self.chosen_council(cleaned)
            complaint = self.cases.filter(council=council, reference__iexact=reference).first()
            if complaint is None:
                self.add_error("complaint_reference", f"There is no case {reference} at {council.name}")
            cleaned["complaint"] = complaint
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "received_date": data["received_date"],
            "lgsco_reference": data["lgsco_reference"],
            "complaint": data.get("complaint"),
            "enquiry_due_date": data.get("enquiry_due_date"),
            "summary": data.get("summary", ""),
        }


# -- actions on a stage ----------------------------------------------------------------------------------------


class CaseForm(CaseworkForm):
    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)


class StageForm(CaseworkForm):
    """An action on one stage; ``stage.case`` is the case."""

    def __init__(self, *args: Any, stage: Stage, **kwargs: Any) -> None:
        self.stage = stage
        super().__init__(*args, **kwargs)


class StageExtendForm(StageForm):
    title = "Extend the timescale"
    submit_label = "Extend the timescale"
    past_dates = ("notified_date",)

    extended_due_date = date_field("the new due date", "New due date")
    reason = text_area("Why is more time needed?", error="Enter why more time is needed")
    notified_date = date_field(
        "the date the complainant was told", "When was the complainant told?", hint="They must be told of the new date."
    )


class StageHoldForm(StageForm):
    title = "Put the stage on hold"
    submit_label = "Put on hold"
    past_dates = ("start_date",)

    start_date = date_field("the date the hold starts", "Date the hold starts")
    reason = radios("Why is it on hold?", c.HoldReason.choices, "Select why the stage is on hold")
    note = text_area("Notes (optional)", required=False)


class StageResumeForm(StageForm):
    title = "Resume the stage"
    submit_label = "Resume"
    past_dates = ("end_date",)

    end_date = date_field("the date work resumed", "Date work resumed")


class StageAcknowledgeForm(StageForm):
    title = "Record the acknowledgement"
    submit_label = "Record the acknowledgement"
    past_dates = ("acknowledged_date",)

    acknowledged_date = date_field("the date it was acknowledged", "Date acknowledged")


class FindingsMixin:
    """One finding per point of complaint (R1.25), as radios named ``finding_<point id>``."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_finding_fields(self, points: Sequence[ComplaintPoint], *, required: bool) -> None:
        self.points = list(points)
        suffix = "" if required else " (optional)"
        for point in self.points:
            self.fields[f"finding_{point.pk}"] = radios(
                f"Point {point.number}: {point.description}{suffix}",
                c.Finding.choices,
                f"Select the finding on point {point.number}",
                required=required,
            )

    def findings(self) -> dict[ComplaintPoint, str]:
        return {
            p: self.cleaned_data[f"finding_{p.pk}"] for p in self.points if self.cleaned_data.get(f"finding_{p.pk}")
        }

    def finding_layout(self) -> list[Any]:
        return [Field.radios(f"finding_{p.pk}", legend_size=Size.SMALL, small=True) for p in self.points]


class StageRespondForm(FindingsMixin, StageForm):
    title = "Record the response"
    submit_label = "Record the response"
    past_dates = ("response_date",)

    response_date = date_field("the date of the response", "Date of the response")

    def __init__(self, *args: Any, points: Sequence[ComplaintPoint] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = rules.RESPONSE_OUTCOMES.get(self.stage.number, frozenset())
        self.fields["outcome"] = radios(
            "What was the outcome?",
            [(v, str(label)) for v, label in c.Outcome.choices if v in allowed],
            "Select the outcome of the stage",
            required=not points,
        )
        self.add_finding_fields(points, required=False)
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list[Any]:
        if "outcome" not in self.fields:
            return []
        return [self._field("response_date"), Field.radios("outcome", legend_size=Size.SMALL), *self.finding_layout()]


class ComplaintEscalateForm(CaseForm):
    title = "Open the next stage"
    submit_label = "Open the next stage"
    lede = "A request after the window is never refused without a decision: record whether it is accepted, and why."
    past_dates = ("request_received_date",)

    request_received_date = date_field(
        "the date the request was received", "When did the complainant ask for the next stage?"
    )
    late_request_accepted = radios(
        "If the request was late, is it accepted?",
        [("yes", "Yes, accept the late request"), ("no", "No, record the next stage as not accepted")],
        "Select whether the late request is accepted",
        required=False,
    )
    late_request_reason = text_area("Reason for the decision on a late request", required=False)

    def __init__(self, *args: Any, window_end: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if window_end is not None:
            self.fields["request_received_date"].help_text = (
                f"The window to ask ends on {window_end.day} {window_end:%B %Y}: a request after it needs a decision "
                "(R1.22, R1.29). For example, 27 3 2024"
            )


class Stage2AppointForm(StageForm):
    title = "Appoint the investigation"
    submit_label = "Save the appointments"
    past_dates = ("appointed_date",)

    appointed_date = date_field("the date of the appointment", "Date appointed")
    investigating_officer = UserChoiceField(
        label="Investigating officer",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not appointed yet",
        error_messages={"invalid_choice": "Select the investigating officer from the list"},
    )
    independent_person = UserChoiceField(
        label="Independent person",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not appointed yet",
        help_text="Someone not employed by the council, who must not be the investigating officer (R1.25).",
        error_messages={"invalid_choice": "Select the independent person from the list"},
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigating_officer"].queryset = members  # type: ignore[attr-defined]
        self.fields["independent_person"].queryset = members  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.update(
                investigating_officer=self.stage.investigating_officer_id,
                independent_person=self.stage.independent_person_id,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            "investigating_officer" in cleaned
            and not cleaned.get("investigating_officer")
            and not cleaned.get("independent_person")
        ):
            self.add_error("investigating_officer", "Select the investigating officer, the independent person or both")
        return cleaned


class Stage2StatementForm(StageForm):
    title = "Agree the statement of complaint"
    submit_label = "Save the statement"
    past_dates = ("agreed_date",)

    agreed_date = date_field(
        "the date the statement was agreed", "Date agreed", hint="Stage 2's 25 working days run from this date (R1.26)."
    )
    points = text_area(
        "Points of complaint",
        error="Enter at least one point of complaint",
        hint="Write each point on its own line (R1.24).",
    )

    def __init__(self, *args: Any, points: Sequence[ComplaintPoint] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and points:
            self.initial["points"] = "\n".join(p.description for p in points)

    def point_list(self) -> list[str]:
        return _lines(self.cleaned_data["points"])


class Stage2ReportForm(StageForm):
    title = "Record the investigation report"
    submit_label = "Record the report"
    past_dates = ("report_date",)

    report_date = date_field("the date the report was received", "Date the report was received")


class Stage2AdjudicateForm(FindingsMixin, StageForm):
    title = "Record the adjudication"
    submit_label = "Record the adjudication"
    past_dates = ("adjudication_date",)

    adjudicator = UserChoiceField(
        label="Who adjudicated?",
        queryset=User.objects.none(),
        empty_label="Choose the adjudicator",
        error_messages={
            "required": "Select who adjudicated",
            "invalid_choice": "Select the adjudicator from the list",
        },
    )
    adjudication_date = date_field("the date of the adjudication", "Date of the adjudication response")
    recommendations = text_area(
        "Recommendations (optional)", required=False, hint="Write each recommendation on its own line."
    )

    def __init__(self, *args: Any, members: QuerySet[User], points: Sequence[ComplaintPoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adjudicator"].queryset = members  # type: ignore[attr-defined]
        self.add_finding_fields(points, required=True)
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list[Any]:
        if not hasattr(self, "points"):
            return []
        return [
            self._field("adjudicator"),
            self._field("adjudication_date"),
            Fieldset(*self.finding_layout(), legend="Findings on each point (R1.25)", legend_size=Size.MEDIUM),
            self._field("recommendations"),
        ]

    def recommendation_list(self) -> list[str]:
        return _lines(self.cleaned_data.get("recommendations", ""))


class Stage3PanelAppointForm(StageForm):
    title = "Appoint the review panel"
    submit_label = "Save the panel"
    service_fields: ClassVar[dict[str, str]] = {"chair": "chair"}

    chair = UserChoiceField(
        label="Who chairs the panel?",
        queryset=User.objects.none(),
        empty_label="Choose the chair",
        help_text="An independent person (R1.30).",
        error_messages={"required": "Select the chair", "invalid_choice": "Select the chair from the list"},
    )
    members = forms.ModelMultipleChoiceField(
        label="The other two members",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select two people. The stage 2 independent person may not sit on the panel (R1.30).",
        error_messages={
            "required": "Select the other two members of the panel",
            "invalid_choice": "Select the members from the list",
        },
    )

    def __init__(self, *args: Any, members: QuerySet[User], current: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = members  # type: ignore[attr-defined]
        self.fields["members"].queryset = members  # type: ignore[attr-defined]
        self.fields["members"].label_from_instance = UserChoiceField.label_from_instance.__get__(self.fields["chair"])  # type: ignore[attr-defined]
        if not self.is_bound and current:
            self.initial["chair"] = next((m.user_id for m in current if m.role == c.PanelRole.CHAIR), None)
            self.initial["members"] = [m.user_id for m in current if m.role != c.PanelRole.CHAIR]


class Stage3PanelRecordForm(StageForm):
    title = "Record the panel meeting"
    submit_label = "Record the meeting"
    past_dates = ("panel_date",)

    panel_date = date_field("the date the panel met", "Date the panel met")


class Stage3ReportForm(StageForm):
    title = "Record the panel's report"
    submit_label = "Record the report"
    past_dates = ("report_date",)

    report_date = date_field("the date of the panel's report", "Date of the panel's report")
    recommendations = text_area(
        "The panel's recommendations (optional)", required=False, hint="Write each recommendation on its own line."
    )

    def recommendation_list(self) -> list[str]:
        return _lines(self.cleaned_data.get("recommendations", ""))


class Stage3RespondForm(FindingsMixin, StageForm):
    title = "Record the council's response to the panel"
    submit_label = "Record the response"
    past_dates = ("response_date",)
    service_fields: ClassVar[dict[str, str]] = {"recommendation_responses": "response_date"}

    response_date = date_field("the date of the response", "Date of the council's response")

    def __init__(
        self,
        *args: Any,
        points: Sequence[ComplaintPoint],
        recommendations: Sequence[Recommendation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.recommendations = list(recommendations)
        for rec in self.recommendations:
            self.fields[f"recommendation_{rec.pk}"] = radios(
                f"Recommendation {rec.number}: {rec.text}",
                [("yes", "The council will follow it"), ("no", "The council will not follow it")],
                f"Select whether the council follows recommendation {rec.number}",
            )
            self.fields[f"recommendation_{rec.pk}_reason"] = text_area(
                f"If the council will not follow recommendation {rec.number}, why not?",
                required=False,
                hint="The council must give its reasons (R1.33).",
            )
        self.add_finding_fields(points, required=True)
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list[Any]:
        if not hasattr(self, "points"):
            return []
        recommendations = [
            item
            for rec in self.recommendations
            for item in (
                Field.radios(f"recommendation_{rec.pk}", legend_size=Size.SMALL),
                Field.textarea(f"recommendation_{rec.pk}_reason", label_size=Size.SMALL, rows=3),
            )
        ]
        layout = [self._field("response_date")]
        if self.points:
            layout.append(Fieldset(*self.finding_layout(), legend="Findings on each point", legend_size=Size.MEDIUM))
        if recommendations:
            layout.append(
                Fieldset(*recommendations, legend="The panel's recommendations (R1.33)", legend_size=Size.MEDIUM)
            )
        return layout

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for rec in self.recommendations:
            if cleaned.get(f"recommendation_{rec.pk}") == "no" and not cleaned.get(f"recommendation_{rec.pk}_reason"):
                self.add_error(
                    f"recommendation_{rec.pk}_reason",
                    f"Enter why the council will not follow recommendation {rec.number}",
                )
        return cleaned

    def responses(self) -> dict[Recommendation, RecommendationResponse]:
        data = self.cleaned_data
        return {
            rec: RecommendationResponse(
                accepted=data[f"recommendation_{rec.pk}"] == "yes",
                reason=data.get(f"recommendation_{rec.pk}_reason", "")
                if data[f"recommendation_{rec.pk}"] == "no"
                else "",
            )
            for rec in self.recommendations
        }


# -- actions on a case -----------------------------------------------------------------------------------------


class ComplaintAcceptForm(CaseForm):
    title = "Accept the complaint"
    submit_label = "Accept the complaint"
    lede = (
        "Accept it if the complainant is eligible and it is a matter the procedure covers (R1.7 to R1.14). "
        "Its stage can then be answered. Every sufficient-interest decision must be made first (R1.9)."
    )


class ComplaintDeclineForm(CaseForm):
    title = "Do not accept the complaint"
    submit_label = "Record the decision"
    warning = True
    past_dates = ("decided_date",)

    reason = radios("Why is it not accepted?", c.DeclineReason.choices, "Select why the complaint is not accepted")
    decided_date = date_field("the date of the decision", "Date of the decision")
    redirected_to = radios(
        "Where does it go instead? (optional)",
        c.Route.choices,
        "Select where the complaint goes instead",
        required=False,
    )
    note = text_area("Notes (optional)", required=False)


class ComplaintWithdrawForm(CaseForm):
    title = "Record a withdrawal"
    submit_label = "Record the withdrawal"
    warning = True
    lede = "The open stage ends as withdrawn and the complaint closes (R1.36). It can be reopened later."
    past_dates = ("withdrawn_date",)

    withdrawn_date = date_field("the date it was withdrawn", "Date withdrawn")
    note = text_area("Notes (optional)", required=False)


class ComplaintCloseForm(CaseForm):
    title = "Close the complaint"
    submit_label = "Close the complaint"
    lede = "Close it when the complainant has not asked for the next stage and nothing more is to be done."
    past_dates = ("closed_date",)

    closed_date = date_field("the date it was closed", "Date closed")


def _yes_no_unknown(value: bool | None) -> str:
    if value is None:
        return "unknown"
    return "yes" if value else "no"


class CaseSupportForm(CaseForm):
    title = "Record mediation and advocacy"
    submit_label = "Save mediation and advocacy"
    lede = "The annual report counts advocacy offered and provided (R1.17) and complaints resolved by mediation."

    mediation = radios(
        "Was mediation used?",
        [(value, label) for value, label in c.Mediation.choices],
        "Select whether mediation was used",
    )
    advocacy_offered = radios("Was advocacy offered?", YES_NO_UNKNOWN, "Select whether advocacy was offered")
    advocacy_provided = radios("Was an advocate provided?", YES_NO_UNKNOWN, "Select whether an advocate was provided")
    advocate_name = text_input("Advocate's name (optional)", max_length=150)
    advocate_organisation = text_input(
        "Advocacy organisation (optional)", max_length=150, hint="For example, the council's advocacy provider"
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "mediation": case.mediation,
                "advocacy_offered": _yes_no_unknown(case.advocacy_offered),
                "advocacy_provided": _yes_no_unknown(case.advocacy_provided),
                "advocate_name": case.advocate_name,
                "advocate_organisation": case.advocate_organisation,
            },
        )
        super().__init__(*args, case=case, **kwargs)


class ComplaintReopenForm(CaseForm):
    title = "Reopen the complaint"
    submit_label = "Reopen the complaint"
    past_dates = ("reopened_date",)

    reason = text_area("Why is it being reopened?", error="Enter why the complaint is being reopened")
    reopened_date = date_field("the date it was reopened", "Date reopened")
    reopen_stage = radios(
        "Reopen the last stage too?",
        [
            ("yes", "Yes, its response and outcome are cleared"),
            ("no", "No, keep the stages as answered, for example to accept a late request for the next stage"),
        ],
        "Select whether to reopen the last stage",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"reopen_stage": "yes"})
        super().__init__(*args, **kwargs)


class ComplainantInterestForm(CaseForm):
    title = "Decide on sufficient interest"
    submit_label = "Record the decision"
    past_dates = ("decided_date", "notified_date")

    has_interest = radios(
        "Do they have sufficient interest in the child's welfare?",
        YES_NO,
        "Select whether they have sufficient interest",
    )
    decided_date = date_field("the date of the decision", "Date of the decision")
    child_consulted = radios(
        "Were the child's views taken into account?", YES_NO, "Select whether the child's views were taken into account"
    )
    notified_date = date_field(
        "the date they were told",
        "If not, when were they told? (optional)",
        required=False,
        hint="A person without sufficient interest must be told (R1.9).",
    )


class RemedyRecordForm(CaseForm):
    title = "Record a remedy"
    submit_label = "Record the remedy"
    past_dates = ("agreed_date", "paid_date")

    remedy_type = forms.ModelChoiceField(
        label="What kind of remedy?",
        queryset=RemedyType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the kind of remedy", "invalid_choice": "Select the kind of remedy"},
    )
    stage: forms.ModelChoiceField[Stage] = forms.ModelChoiceField(
        label="Which stage is it from? (optional)",
        queryset=None,
        required=False,
        empty_label="Not a particular stage",
        error_messages={"invalid_choice": "Select the stage from the list"},
    )
    description = text_area("Description (optional)", required=False)
    amount = forms.DecimalField(
        label="Amount in pounds (optional)",
        help_text="Only for a financial remedy, for example 250 or 250.50 (R4.5).",
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the amount in pounds, like 250 or 250.50",
            "min_value": "Amount must be 0 or more",
            "max_digits": "Amount must be less than £100,000,000",
            "max_decimal_places": "Amount must have no more than 2 numbers after the decimal point",
        },
    )
    agreed_date = date_field("the date it was agreed", "Date agreed (optional)", required=False)
    paid_date = date_field("the date it was paid", "Date paid (optional)", required=False)

    def __init__(self, *args: Any, remedy_types: QuerySet[RemedyType], stages: QuerySet[Stage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remedy_type"].queryset = remedy_types  # type: ignore[attr-defined]
        self.fields["stage"].queryset = stages  # type: ignore[attr-defined]
        self.fields["stage"].label_from_instance = _stage_label  # type: ignore[attr-defined]


class LearningActionForm(CaseForm):
    title = "Add a learning action"
    submit_label = "Save the learning action"
    service_fields: ClassVar[dict[str, str]] = {"action_text": "action"}

    finding = text_area("What did the complaint show?", error="Enter what the complaint showed")
    action = text_area("What will change?", error="Enter what will change")
    owner = UserChoiceField(
        label="Who owns it? (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="No one yet",
        error_messages={"invalid_choice": "Select the owner from the list"},
    )
    team = forms.ModelChoiceField(
        label="Which team? (optional)",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No particular team",
        error_messages={"invalid_choice": "Select the team from the list"},
    )
    due_date = date_field("the date it is due", "When is it due? (optional)", required=False)

    def __init__(self, *args: Any, members: QuerySet[User], teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class LearningActionUpdateForm(LearningActionForm):
    title = "Change the learning action"
    submit_label = "Save the changes"

    status = radios(
        "Where is it?",
        [(c.LearningActionStatus.PLANNED, "Planned"), (c.LearningActionStatus.IN_PROGRESS, "In progress")],
        "Select where the learning action is",
    )


class LearningActionCompleteForm(CaseForm):
    title = "Record a learning action as implemented"
    submit_label = "Record as implemented"
    past_dates = ("implemented_date",)

    implemented_date = date_field("the date it was implemented", "Date implemented")
    evidence = text_area("How do we know it was implemented?", error="Enter the evidence that it was implemented")


class LearningActionNotImplementedForm(CaseForm):
    title = "Record a learning action as not implemented"
    submit_label = "Record as not implemented"

    reason = text_area("Why was it not implemented?", error="Enter why it was not implemented")


REPRESENTATION_OUTCOMES = [
    ("", "No outcome to record"),
    (c.Outcome.RESOLVED_INFORMALLY, "Resolved informally"),
    (c.Outcome.UPHELD, "Upheld"),
    (c.Outcome.PARTLY_UPHELD, "Partly upheld"),
    (c.Outcome.NOT_UPHELD, "Not upheld"),
]


class RepresentationRespondForm(CaseForm):
    title = "Record the response"
    submit_label = "Record the response"
    past_dates = ("responded_date",)

    responded_date = date_field("the date of the response", "Date of the response")
    outcome = radios("Outcome (optional)", REPRESENTATION_OUTCOMES, "Select the outcome", required=False)


TRI_STATE = [("yes", "Yes"), ("no", "No"), ("", "Not stated")]


class OmbudsmanDecisionForm(CaseForm):
    title = "Record the Ombudsman's decision"
    submit_label = "Record the decision"
    past_dates = ("decision_date",)

    decision = radios(
        "What did the Ombudsman decide?",
        [(v, str(label)) for v, label in c.LgscoDecision.choices if v != c.LgscoDecision.IN_PROGRESS],
        "Select the Ombudsman's decision",
    )
    decision_date = date_field("the date of the decision", "Date of the decision")
    decision_label = text_input("The Ombudsman's own wording (optional)", max_length=300)
    fault_found = radios("Did it find fault?", TRI_STATE, "Select whether fault was found", required=False)
    injustice_found = radios("Did it find injustice?", TRI_STATE, "Select whether injustice was found", required=False)
    recommended_payment = forms.DecimalField(
        label="Payment recommended, in pounds (optional)",
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the payment in pounds, like 250 or 250.50",
            "min_value": "Payment must be 0 or more",
            "max_digits": "Payment must be less than £100,000,000",
            "max_decimal_places": "Payment must have no more than 2 numbers after the decimal point",
        },
    )
    compliance_due_date = date_field(
        "the date the remedy is due",
        "When must the council comply with the remedy? (optional)",
        required=False,
        hint="Leave blank if there is no remedy: the case then closes.",
    )


class OmbudsmanComplianceForm(CaseForm):
    title = "Record compliance with the Ombudsman's remedy"
    submit_label = "Record compliance"
    past_dates = ("complied_date",)

    complied_date = date_field("the date the council complied", "Date the council complied")


class OmbudsmanEnquiryRespondForm(CaseForm):
    title = "Record the reply to the Ombudsman's enquiries"
    submit_label = "Record the reply"
    past_dates = ("responded_date",)

    responded_date = date_field("the date of the reply", "Date of the reply")


class DocumentUploadForm(CaseForm):
    title = "Upload a document"
    submit_label = "Upload"

    file = forms.FileField(
        label="Choose a file",
        help_text="PDF, DOCX, DOC, XLSX, ODT, PNG, JPEG, TXT, EML or MSG, smaller than 20 MB.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    kind = radios("What is it?", DocumentKind.choices, "Select what kind of document it is")
    description = text_input("Description (optional)", max_length=500)
    stage: forms.ModelChoiceField[Stage] = forms.ModelChoiceField(
        label="Which stage is it about? (optional)",
        queryset=None,
        required=False,
        empty_label="The whole case",
        error_messages={"invalid_choice": "Select the stage from the list"},
    )

    def __init__(self, *args: Any, stages: QuerySet[Stage], limit_text: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"PDF, DOCX, DOC, XLSX, ODT, PNG, JPEG, TXT, EML or MSG, smaller than {limit_text}."
        self.fields["stage"].queryset = stages  # type: ignore[attr-defined]
        self.fields["stage"].label_from_instance = _stage_label  # type: ignore[attr-defined]


# -- messages that could not be sent ----------------------------------------------------------------------------


class MessageRetryForm(CaseForm):
    title = "Try sending the message again"
    submit_label = "Try sending again"
    lede = (
        "It goes back in the queue and is sent in the next few minutes, to the same recipient with the same words. "
        "Check first that the reason it was not sent has been put right, or it may fail again."
    )


class MessageMarkSentForm(CaseForm):
    title = "Mark the message as sent by hand"
    submit_label = "Mark as sent"
    lede = (
        "Record that it went out another way, for example printed and posted. It will then never be sent automatically."
    )
    past_dates = ("sent_date",)
    service_fields: ClassVar[dict[str, str]] = {"sent_at": "sent_date"}

    sent_date = date_field("the date it was sent", "Date sent", hint="The day it was posted, emailed or handed over.")
    sent_via = radios("How was it sent?", SentVia.choices, "Select how it was sent")


# -- who may see a restricted case (docs/adr/0005-roles-and-access.md) -----------------------------------------


class UserMultipleChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.job_title})" if obj.job_title else str(obj)


class CaseRestrictForm(CaseForm):
    title = "Restrict who can see this case"
    submit_label = "Restrict the case"
    warning = True
    lede = (
        "Only the people you name, and you, will see the case, as their role allows. Restrict a case about someone "
        "who could otherwise read it, such as a member of the complaints team or a senior officer."
    )
    service_fields: ClassVar[dict[str, str]] = {"named_users": "named_users"}

    reason = text_area("Why is the case restricted?", error="Enter why the case is restricted")
    named_users = UserMultipleChoiceField(
        label="Who else needs to see it? (optional)",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select people from the list", "invalid_pk_value": "Select people"},
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_users"].queryset = members  # type: ignore[attr-defined]


class CaseUnrestrictForm(CaseForm):
    title = "Lift the restriction"
    submit_label = "Lift the restriction"
    lede = "Everyone whose role allows will see the case again. Who was named on it stays on its record."

    reason = text_area(
        "Why is the restriction no longer needed?", error="Enter why the restriction is no longer needed"
    )


class CaseAccessGrantForm(CaseForm):
    title = "Name someone on this restricted case"
    submit_label = "Name them on the case"
    service_fields: ClassVar[dict[str, str]] = {"named_users": "user"}

    user = UserChoiceField(
        label="Who needs to see the case?",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Select who needs to see the case", "invalid_choice": "Select a person"},
    )
    reason = text_area("Why do they need to see it?", error="Enter why they need to see the case")

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members  # type: ignore[attr-defined]


class CaseAccessRevokeForm(CaseForm):
    title = "Remove someone from this restricted case"
    submit_label = "Remove their access"
    warning = True

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lede = f"{person} will no longer see the case. That they could see it until now stays on its record."  # type: ignore[misc]  # the lede names the person


class BreakGlassForm(CaseForm):
    title = "Get emergency access to a restricted case"
    submit_label = "Get emergency access"
    warning = True

    reason = text_area(
        "Why do you need to see this case now?",
        error="Enter why you need to see this case now",
        hint="Your reason is recorded with your name, and the other complaints managers can see it.",
    )
