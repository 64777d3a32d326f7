"""The pieces every casework form is made of, in the GOV.UK style (crispy-forms-gds): they parse what was typed
and say clearly what is wrong with it. The rules of the procedure are the services' to apply: a ``DomainError``
they raise comes back to the form through :meth:`CaseworkForm.add_domain_error`, on the field it is about."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.db.models import QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases.models import Stage
from opencomplaints.common.errors import DomainError
from opencomplaints.common.forms import GovukDateField, gds_helper
from opencomplaints.councils.models import Contact

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


def date_field(noun: str, label: str, *, required: bool = True, hint: str = "", past: bool = False) -> GovukDateField:
    """A GOV.UK date; ``past`` marks the date of an event, which cannot be in the future."""
    example = "For example, 27 3 2024"
    field = GovukDateField(
        noun=noun, label=label, required=required, help_text=f"{hint} {example}".strip() if hint else example
    )
    field.past = past
    return field


def event_date(noun: str, label: str, *, required: bool = True, hint: str = "") -> GovukDateField:
    """The date something happened: never in the future."""
    return date_field(noun, label, required=required, hint=hint, past=True)


def record_choice(
    label: str, error: str, *, empty: str, queryset: QuerySet[Any] | None, hint: str = ""
) -> forms.ModelChoiceField[Any]:
    """An optional pick of one of the council's records (a team, an issue, a stage); ``empty`` names choosing none.
    The records are usually known only for the form's case, so the form sets the queryset then."""
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        empty_label=empty,
        help_text=hint,
        error_messages={"invalid_choice": error},
    )


def record_checkboxes(label: str, error: str, *, queryset: QuerySet[Any]) -> forms.ModelMultipleChoiceField[Any]:
    """Optional checkboxes of the council's records (the form sets the queryset for its case)."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": error},
    )


def yes_no(
    label: str, error: str, *, choices: Sequence[tuple[str, str]] = YES_NO, required: bool = True
) -> forms.TypedChoiceField:
    """Radios whose value is ``True``, ``False`` or ``None`` (not known, not stated, not chosen)."""
    return forms.TypedChoiceField(
        label=label,
        choices=list(choices),
        coerce=yes_no_value,
        empty_value=None,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": error, "invalid_choice": error},
    )


class LinesField(forms.CharField):
    """A text area whose value is its non-blank lines: one point or recommendation a line."""

    def clean(self, value: Any) -> list[str]:
        return _lines(super().clean(value) or "")


def lines(label: str, *, required: bool = True, error: str = "", hint: str = "") -> LinesField:
    return text_area(label, required=required, error=error, hint=hint, kind=LinesField)  # type: ignore[return-value]


MONEY_PATTERN = re.compile(r"^\d+(\.\d{1,2})?$")
# The most a remedy or a recommended payment can sensibly be: more is taken for a typing mistake.
MONEY_LIMIT = Decimal("1000000")


class MoneyField(forms.DecimalField):
    """Pounds and pence as people write them ("250", "250.50", "£1,250"); not "1e5", "NaN" or "250.505"."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # the stubs say int
        typed = str(value or "").strip().removeprefix("£").replace(",", "").strip()
        if not typed:
            return None
        if not MONEY_PATTERN.match(typed):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(typed)


def money(label: str, noun: str, *, hint: str = "") -> forms.DecimalField:
    """An optional amount in pounds and pence, from £0 to £1,000,000."""
    return MoneyField(
        label=label,
        help_text=hint,
        required=False,
        min_value=Decimal("0"),
        max_value=MONEY_LIMIT,
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": f"Enter the {noun.lower()} in pounds, like 250 or 250.50",
            "min_value": f"{noun} must be 0 or more",
            "max_value": f"{noun} must be £1,000,000 or less",
        },
    )


def radios(label: str, choices: Sequence[tuple[str, str]], error: str, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": error, "invalid_choice": error},
    )


def text_area(
    label: str, *, required: bool = True, error: str = "", hint: str = "", kind: type[forms.CharField] = forms.CharField
) -> forms.CharField:
    return kind(
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


def notes() -> forms.CharField:
    return text_area("Notes (optional)", required=False)


def email(label: str) -> forms.EmailField:
    """An optional email address."""
    return forms.EmailField(
        label=label,
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.job_title})" if obj.job_title else str(obj)


type Person = User | Contact


def person_label(person: Person) -> str:
    """How a people picker names someone: a user with their job title, a contact as a contact without an account."""
    if isinstance(person, Contact):
        return f"{person} (contact without an account)"
    return f"{person} ({person.job_title})" if person.job_title else str(person)


class PeopleChoiceMixin:
    """Offers both the council's members with the right role and its active contacts who may take the part
    (docs/adr/0032-contacts-without-accounts.md). A choice's value is ``user:<id>`` or ``contact:<id>``, since
    users and contacts are numbered apart; the cleaned value is the person itself, as the services take it."""

    empty: str = ""
    people: dict[str, Person]
    choices: Any

    @staticmethod
    def key(value: Any) -> Any:
        """A bare number names a user, as the pickers posted before there were contacts (and clients still may)."""
        return f"user:{value}" if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else value

    def offer(self, users: Iterable[User], contacts: Iterable[Contact]) -> None:
        self.people = {f"user:{u.pk}": u for u in users} | {f"contact:{c.pk}": c for c in contacts}
        offered = [(key, person_label(person)) for key, person in self.people.items()]
        self.choices = [("", self.empty), *offered] if self.empty else offered


class PersonChoiceField(PeopleChoiceMixin, forms.ChoiceField):
    """A pick of one person (a user or a contact) for a part in a case; ``empty`` names choosing no one."""

    def __init__(self, *, empty: str, **kwargs: Any) -> None:
        super().__init__(choices=[], **kwargs)
        self.empty, self.people = empty, {}

    def clean(self, value: Any) -> Person | None:
        key = super().clean(self.key(value))
        return self.people.get(key) if key else None


class PeopleMultipleChoiceField(PeopleChoiceMixin, forms.MultipleChoiceField):
    """Checkboxes of people (users and contacts) for the parts several people take: a panel's members."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[], widget=forms.CheckboxSelectMultiple, **kwargs)
        self.people = {}

    def clean(self, value: Any) -> list[Person]:
        keys = [self.key(v) for v in value] if isinstance(value, list | tuple) else value
        return [self.people[key] for key in super().clean(keys)]


def person_choice(label: str, empty: str, error: str, *, required: str = "", hint: str = "") -> PersonChoiceField:
    """A picker of one person, user or contact; ``required`` is the message when no one is chosen (empty:
    optional). The form offers the people for its case (``PeopleChoiceMixin.offer``)."""
    return PersonChoiceField(
        label=label, empty=empty, required=bool(required), help_text=hint,
        error_messages={"invalid_choice": error, "required": required},
    )  # fmt: skip


VERSION_FIELD = "version"


def keep_typed_with_version(form: forms.Form, version: int) -> None:
    """After a save from a stale page: keep everything typed, and carry the version now stored, so saving again
    (having seen what changed) succeeds."""
    data = form.data.copy()  # type: ignore[attr-defined]  # a bound form's data is a QueryDict
    data[VERSION_FIELD] = str(version)
    form.data = data


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
        self.prepare()
        self.helper = gds_helper(*self.layout_fields())

    def add_version(self, version: int) -> None:
        """Carry the version of the case the form was read at (cases.concurrency), in a hidden field."""
        self.fields[VERSION_FIELD] = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
        self.initial.setdefault(VERSION_FIELD, version)

    def prepare(self) -> None:
        """Fit the fields to the record (choices, labels, what is shown first), before the layout is made."""

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
        past = [name for name, field in self.fields.items() if getattr(field, "past", False)]
        for name in (*self.past_dates, *past):
            value = cleaned.get(name)
            if not isinstance(value, date):
                continue
            label = _noun(str(self.fields[name].label))
            if value > self.today:
                self.add_error(name, f"{label} must be today or in the past")
            elif value.year < EARLIEST_YEAR:
                self.add_error(name, f"{label} must be in {EARLIEST_YEAR} or later")
        return cleaned
