"""The registration forms: a complaint with its complainants and children, another representation, an Ombudsman
case."""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping, Sequence
from datetime import date, datetime, time
from typing import Any, ClassVar

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.db.models import QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases.kinds import kind_choices, kind_of
from opencomplaints.cases.models import Case
from opencomplaints.cases.services import (
    ChildInput,
    ComplainantInput,
    ComplimentInput,
    EnquirerInput,
    LateAcceptance,
    PersonInput,
)
from opencomplaints.casework.fields import (
    LONG_TEXT,
    TIME_PATTERN,
    YES_NO_UNKNOWN,
    CaseworkForm,
    UserChoiceField,
    date_field,
    email,
    radios,
    record_checkboxes,
    record_choice,
    text_area,
    text_input,
    yes_no_value,
)
from opencomplaints.common.dates import LONDON
from opencomplaints.common.forms import gds_helper
from opencomplaints.councils.models import Council, EqualityScheme, IssueCategory, Team

# -- registering -----------------------------------------------------------------------------------------------


class RegisterChoiceForm(CaseworkForm):
    title = "What are you registering?"
    submit_label = "Continue"

    kind = radios("What are you registering?", [], "Select what you are registering")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()  # type: ignore[attr-defined]

    def layout_fields(self) -> list[Any]:
        return [Field.radios("kind", legend_size=Size.LARGE, legend_tag="h1")]


class CouncilMixin:
    """A registration form's choice of council, when the user works for more than one, and of the new case's owner,
    when ``owners`` are given. The form adds them in its ``prepare``, where they fall in its layout."""

    fields: dict[str, forms.Field]
    initial: MutableMapping[str, Any]
    cleaned_data: dict[str, Any]

    def __init__(
        self,
        *args: Any,
        councils: Sequence[Council],
        owners: QuerySet[User] | None = None,
        user: User | None = None,
        **kwargs: Any,
    ) -> None:
        self.councils, self.owners, self.registering_user = list(councils), owners, user
        super().__init__(*args, **kwargs)

    def add_council_field(self) -> None:
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

    def add_owner_field(self) -> None:
        """Who owns the new case: the officer registering it unless they choose someone else (or no one yet). The
        choices are the people who may own cases in the user's councils; the service checks the council chosen."""
        owners, user = self.owners, self.registering_user
        if owners is None:
            return
        self.fields["owner"] = UserChoiceField(
            label="Who owns the case?",
            queryset=owners,
            required=False,
            empty_label="No one yet",
            help_text="The owner sees it in their cases, reminders and digests. You can change this later.",
            error_messages={"invalid_choice": "Select the owner from the list"},
        )
        if user is not None and owners.filter(pk=user.pk).exists():
            self.initial.setdefault("owner", user.pk)

    def owner_argument(self) -> dict[str, Any]:
        return {"owner": self.cleaned_data.get("owner")} if "owner" in self.fields else {}


def _section(legend: str, *fields: Any) -> Fieldset:
    """A part of a registration page under its own heading."""
    return Fieldset(*fields, legend=legend, legend_size=Size.MEDIUM, legend_tag="h2")


def _council_first(layout: list[Any]) -> list[Any]:
    council = [f for f in layout if f.fields == ["council"]]
    return council + [f for f in layout if f.fields != ["council"]]


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
    email = email("Email address (optional)")
    phone = text_input("Phone number (optional)", max_length=40)
    address = forms.CharField(label="Address (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = text_input("Postcode (optional)", max_length=10)
    complainant_type = _select("Who are they?", c.ComplainantType.choices, initial=c.ComplainantType.UNKNOWN)
    eligibility_basis = _select(
        "Why may they complain under the children's statutory procedure?",
        c.EligibilityBasis.choices,
        initial=c.EligibilityBasis.NOT_APPLICABLE,
        hint="Their eligibility basis. A sufficient-interest basis needs a decision before the complaint is "  # R1.8
        "accepted.",  # R1.9
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
        hint="Confirm where possible that the complaint reflects the child's views.",  # R1.10
    )
    sex = _select("Sex (optional)", SEX_CHOICES, initial="unknown")
    ethnicity = _select("Ethnic group (optional)", [])
    disability = _select("Do they consider themselves disabled? (optional)", DISABILITY_CHOICES, initial="unknown")
    sexual_orientation = _select("Sexual orientation (optional)", ORIENTATION_CHOICES, initial="unknown")
    religion = text_input("Religion or belief (optional)", max_length=100, hint="Leave blank if not known.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
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
        self.helper = gds_helper(
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

TEAM_ERROR = "Select the team from the list"


def _teams() -> forms.ModelMultipleChoiceField[Team]:
    return record_checkboxes(
        "Teams it is about (optional)", "Select the teams from the list", queryset=Team.objects.none()
    )


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
    principal_issue = record_choice(
        "Principal issue (optional)", "Select the principal issue from the list", empty="Not chosen yet",
        queryset=IssueCategory.objects.none(),
    )  # fmt: skip
    other_issues = record_checkboxes(
        "Other issues (optional)", "Select the other issues from the list", queryset=IssueCategory.objects.none()
    )
    teams = _teams()
    grounds_arose_date = date_field(
        "the date the grounds arose",
        "When did the grounds for the complaint arise? (optional)",
        required=False,
        hint="A complaint must be made within a year of this date.",  # R1.12
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
        hint="Record the reason for starting at stage 2.",  # R1.23
    )
    advocacy_offered = radios(
        "Was advocacy offered?", YES_NO_UNKNOWN, "Select whether advocacy was offered", required=False
    )
    advocacy_provided = radios(
        "Is an advocate helping them?", YES_NO_UNKNOWN, "Select whether an advocate is helping", required=False
    )
    advocate_name = text_input("Advocate's name (optional)", max_length=150)
    advocate_organisation = text_input("Advocate's organisation (optional)", max_length=150)

    def __init__(self, *args: Any, issues: QuerySet[IssueCategory], teams: QuerySet[Team], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start_stage": "1", "procedure": c.Procedure.CHILDREN_STATUTORY})
        self.issue_choices, self.team_choices = issues, teams
        super().__init__(*args, **kwargs)
        self.details_helper = gds_helper(*self.details_layout())

    def prepare(self) -> None:
        self.add_council_field()
        self.add_owner_field()
        self.fields["principal_issue"].queryset = self.issue_choices  # type: ignore[attr-defined]
        self.fields["other_issues"].queryset = self.issue_choices  # type: ignore[attr-defined]
        self.fields["teams"].queryset = self.team_choices  # type: ignore[attr-defined]

    def layout_fields(self) -> list[Any]:
        council = [Field.radios("council", legend_size=Size.MEDIUM)] if "council" in self.fields else []
        return [
            *council,
            _section(
                "When and how it arrived",
                Field("received_date", context={"legend_size": Size.for_legend(Size.SMALL)}),
                Field.text("received_time", field_width=5),
                Field.radios("received_via", legend_size=Size.SMALL, small=True),
            ),
            _section(
                "Procedure",
                Field.radios("procedure", legend_size=Size.SMALL),
                Field.radios("start_stage", legend_size=Size.SMALL),
                Field.textarea("stage1_skipped_reason", label_size=Size.SMALL, rows=3),
            ),
            *([Field.select("owner")] if "owner" in self.fields else []),
        ]

    def details_layout(self) -> list[Any]:
        """The fields after the complainants and children: what it is about, timing and advocacy."""
        return [
            _section(
                "What it is about",
                Field.textarea("summary", label_size=Size.SMALL, rows=5, max_characters=LONG_TEXT),
                Field.select("principal_issue"),
                Field.checkboxes("other_issues", legend_size=Size.SMALL, small=True),
                Field.checkboxes("teams", legend_size=Size.SMALL, small=True),
            ),
            _section(
                "Time limit",  # R1.12
                Field("grounds_arose_date", context={"legend_size": Size.for_legend(Size.SMALL)}),
                Field.radios("late_decision", legend_size=Size.SMALL),
                Field.textarea("late_not_reasonable_reason", label_size=Size.SMALL, rows=3),
                Field.textarea("late_still_possible_reason", label_size=Size.SMALL, rows=3),
            ),
            _section(
                "Advocacy",  # R1.17
                Field.radios("advocacy_offered", legend_size=Size.SMALL, inline=True),
                Field.radios("advocacy_provided", legend_size=Size.SMALL, inline=True),
                Field.text("advocate_name", field_width=20),
                Field.text("advocate_organisation", field_width=20),
            ),
        ]

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
            **self.owner_argument(),
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
    teams = _teams()

    def __init__(self, *args: Any, kind: str, teams: QuerySet[Team], **kwargs: Any) -> None:
        self.kind, self.team_choices = kind, teams
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        kind, teams = self.kind, self.team_choices
        self.add_council_field()
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]
        if kind_of(kind).enquirer_type:
            who = "MP" if kind == c.Kind.MP_ENQUIRY else "councillor"
            self.fields["enquirer_name"] = text_input(
                f"Name of the {who}", max_length=150, required=True, error=f"Enter the name of the {who}"
            )
            self.fields["constituency_or_ward"] = text_input(
                "Constituency" if kind == c.Kind.MP_ENQUIRY else "Ward", max_length=150
            )
        if kind == c.Kind.COMPLIMENT:
            self.fields["about_team"] = record_choice(
                "Which team is it about? (optional)", TEAM_ERROR, empty="Not a particular team", queryset=teams
            )
            self.fields["about_person"] = text_input("Who is it about? (optional)", max_length=150)
            self.fields["quote"] = text_area(
                "What did they say? (optional)", required=False, hint="Names are taken out before a quote is published."
            )
        self.add_owner_field()

    def layout_fields(self) -> list[Any]:
        return _council_first(super().layout_fields())

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments: dict[str, Any] = {
            "kind": self.kind,
            "received_date": data["received_date"],
            "received_via": data["received_via"],
            "topic": data["topic"],
            "summary": data.get("summary", ""),
            "teams": list(data.get("teams") or []),
            **self.owner_argument(),
        }
        if kind_of(self.kind).enquirer_type:
            arguments["enquirer"] = EnquirerInput(
                enquirer_type=kind_of(self.kind).enquirer_type,
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

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        self.cases = cases
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        self.add_council_field()
        self.add_owner_field()

    def layout_fields(self) -> list[Any]:
        return _council_first(super().layout_fields())

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
            **self.owner_argument(),
        }
