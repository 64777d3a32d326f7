"""The trackers' filter forms and the search form (GET forms in the GOV.UK style, rendered by crispy-forms-gds).

A filter the user got wrong is reported on its field and left out; the others still apply, so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.layout import Div, Field
from django import forms

from opencomplaints.cases import constants as c
from opencomplaints.common.forms import gds_helper
from opencomplaints.tracker.selectors import (
    FilterOptions,
    LearningActionFilters,
    LearningStatusFilter,
    OmbudsmanFilters,
    OmbudsmanStatusFilter,
    StageFilter,
    TrackerFilters,
    TrackerSort,
)

# The owner filter's value for cases (or actions) nobody owns yet.
UNASSIGNED = "none"
SEARCH_MAX_LENGTH = 200

SEARCH_REQUIRED = "Enter a reference, a name or words from the case"
SEARCH_TOO_LONG = f"Search must be {SEARCH_MAX_LENGTH} characters or fewer"
SEARCH_NO_WORDS = "Enter a reference, a name or words: the search has only punctuation"


def _column(*fields: Any, width: str = "one-quarter") -> Div:
    return Div(*fields, css_class=f"govuk-grid-column-{width}")


def _owner_choices(officers: list[tuple[int, str]], *, anyone: str) -> list[tuple[str, str]]:
    return [("", anyone), (UNASSIGNED, "Not assigned")] + [(str(pk), label) for pk, label in officers]


def _owner(cleaned: dict[str, Any]) -> tuple[int | None, bool]:
    value = cleaned.get("owner") or ""
    if value == UNASSIGNED:
        return None, True
    return (int(value), False) if value else (None, False)


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class _FilterForm(forms.Form):
    """A GET form of optional filters."""

    def cleaned(self) -> dict[str, Any]:
        """The valid filters (an unbound form has none); a filter with an error is left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return dict(self.cleaned_data)

    def params(self) -> dict[str, object]:
        """The valid filters as query-string values, for links that keep them (pages, sorting, export)."""
        cleaned = self.cleaned()
        return {name: cleaned.get(name) for name in self.fields if name != "sort"}


class TrackerFilterForm(_FilterForm):
    """Narrows the tracker; on "My cases" the owner filter is left out."""

    procedure = forms.ChoiceField(
        label="Procedure",
        required=False,
        choices=[("", "Any procedure"), *c.Procedure.choices],
        error_messages={"invalid_choice": "Select a procedure from the list"},
    )
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[("", "Any stage")] + [(stage.value, stage.label) for stage in StageFilter],
        error_messages={"invalid_choice": "Select a stage from the list"},
    )
    team = forms.ChoiceField(
        label="Team",
        required=False,
        error_messages={"invalid_choice": "Select a team from the list"},
    )
    owner = forms.ChoiceField(
        label="Case owner",
        required=False,
        error_messages={"invalid_choice": "Select a case owner from the list"},
    )
    overdue = forms.BooleanField(label="Only overdue cases", required=False)
    due_this_week = forms.BooleanField(label="Only cases due this week", required=False)
    leave_out_on_hold = forms.BooleanField(
        label="Leave out cases on hold",
        required=False,
        help_text="A hold does not move the date the response is due by law, so a case on hold can be overdue.",
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, options: FilterOptions, mine: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mine = mine
        _choice_field(self, "team").choices = [("", "Any team")] + [(str(pk), label) for pk, label in options.teams]
        first_row: list[Any] = [
            _column(Field.select("procedure")),
            _column(Field.select("stage")),
            _column(Field.select("team")),
        ]
        if mine:
            del self.fields["owner"]
        else:
            _choice_field(self, "owner").choices = _owner_choices(options.officers, anyone="Anyone")
            first_row.append(_column(Field.select("owner")))
        self.helper = gds_helper(
            Div(*first_row, css_class="govuk-grid-row"),
            Div(
                _column(Field.checkbox("overdue", small=True), width="one-third"),
                _column(Field.checkbox("due_this_week", small=True), width="one-third"),
                _column(Field.checkbox("leave_out_on_hold", small=True), width="one-third"),
                css_class="govuk-grid-row",
            ),
            Field("sort"),
        )

    def clean_sort(self) -> str:
        # The sort comes from a column heading, never from typing: anything else falls back to the default.
        value: str = self.cleaned_data.get("sort") or ""
        return value if value in TrackerSort._value2member_map_ else TrackerSort.DUE.value

    def filters(self) -> TrackerFilters:
        cleaned = self.cleaned()
        owner_id, unassigned = _owner(cleaned)
        stage = cleaned.get("stage") or ""
        team = cleaned.get("team") or ""
        return TrackerFilters(
            procedure=cleaned.get("procedure") or "",
            stage=StageFilter(stage) if stage else None,
            team_id=int(team) if team else None,
            owner_id=owner_id,
            unassigned=unassigned,
            overdue=bool(cleaned.get("overdue")),
            mine=self.mine,
            due_this_week=bool(cleaned.get("due_this_week")),
            leave_out_on_hold=bool(cleaned.get("leave_out_on_hold")),
        )

    def sort_order(self) -> TrackerSort:
        return TrackerSort(self.cleaned().get("sort") or TrackerSort.DUE.value)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search cases",
        help_text="A reference, the name of a complainant or child, or words from the summary or topic",
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"required": SEARCH_REQUIRED, "max_length": SEARCH_TOO_LONG},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The label is the page's heading, as the Design System does for a page with one question.
        self.helper = gds_helper(Field.text("q", label_size="xl", label_tag="h1"))

    def clean_q(self) -> str:
        value: str = self.cleaned_data["q"]
        if not any(ch.isalnum() for ch in value):
            raise forms.ValidationError(SEARCH_NO_WORDS)
        return value


class LearningActionFilterForm(_FilterForm):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[(status.value, status.label) for status in LearningStatusFilter],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    owner = forms.ChoiceField(
        label="Owner",
        required=False,
        error_messages={"invalid_choice": "Select an owner from the list"},
    )
    overdue = forms.BooleanField(label="Only overdue actions", required=False)

    def __init__(self, *args: Any, options: FilterOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "owner").choices = _owner_choices(options.officers, anyone="Anyone")
        self.helper = gds_helper(
            Div(_column(Field.select("status")), _column(Field.select("owner")), css_class="govuk-grid-row"),
            Div(_column(Field.checkbox("overdue", small=True), width="full"), css_class="govuk-grid-row"),
        )

    def filters(self) -> LearningActionFilters:
        cleaned = self.cleaned()
        owner_id, unassigned = _owner(cleaned)
        status = cleaned.get("status") or LearningStatusFilter.OPEN.value
        return LearningActionFilters(
            status=LearningStatusFilter(status),
            owner_id=owner_id,
            unassigned=unassigned,
            overdue=bool(cleaned.get("overdue")),
        )


class OmbudsmanFilterForm(_FilterForm):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[(status.value, status.label) for status in OmbudsmanStatusFilter],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    overdue = forms.BooleanField(label="Only cases with a reply or remedy overdue", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Div(_column(Field.select("status")), css_class="govuk-grid-row"),
            Div(_column(Field.checkbox("overdue", small=True), width="full"), css_class="govuk-grid-row"),
        )

    def filters(self) -> OmbudsmanFilters:
        cleaned = self.cleaned()
        status = cleaned.get("status") or OmbudsmanStatusFilter.OPEN.value
        return OmbudsmanFilters(status=OmbudsmanStatusFilter(status), overdue=bool(cleaned.get("overdue")))
