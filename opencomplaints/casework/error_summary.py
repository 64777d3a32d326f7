"""The GOV.UK error summary for one or more forms and formsets: every message, each linked to the input it is
about (the first radio or checkbox of a group, the day of a date), so selecting it moves focus to the answer to
fix. crispy-forms-gds's own ``error_summary`` links a radio group or a date to an id no element has, and covers
one form only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

__all__ = ["ErrorItem", "error_summary_items"]


@dataclass(frozen=True)
class ErrorItem:
    href: str
    message: str


def _anchor(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound.html_name}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound.auto_id}_0"
    return str(bound.auto_id)


def _form_items(form: forms.BaseForm) -> list[ErrorItem]:
    if not form.is_bound or not form.errors:
        return []
    fields = [form[name] for name in form.fields]
    first = _anchor(fields[0]) if fields else "main-content"
    items = [ErrorItem(f"#{first}", str(message)) for message in form.non_field_errors()]
    for bound in fields:
        items += [ErrorItem(f"#{_anchor(bound)}", str(message)) for message in bound.errors]
    return items


def error_summary_items(*forms_or_formsets: Any) -> list[ErrorItem]:
    """The error summary's entries, in page order, for forms and formsets shown on one page."""
    items: list[ErrorItem] = []
    for each in forms_or_formsets:
        if isinstance(each, forms.BaseFormSet):
            if not each.is_bound:
                continue
            each.is_valid()
            first = each.forms[0] if each.forms else None
            anchor = f"#{_anchor(first[next(iter(first.fields))])}" if first is not None else "#main-content"
            items += [ErrorItem(anchor, str(message)) for message in each.non_form_errors()]
            for form in each.forms:
                items += _form_items(form)
        else:
            items += _form_items(each)
    return items
