"""What the admin pages share: asking a service whether it would accept a form (and rolling the answer back), and
handing the row a service saved back to the admin.

The admin saves only after its form is valid, and a service refusing in ``save_model`` would be a server error, so
a form's ``clean`` asks the service itself (:func:`check_with_service`) rather than repeating its rules. No models
are registered here.
"""

from collections.abc import Callable

from django import forms
from django.db import models, transaction

from opencomplaints.common.errors import DomainError

__all__ = ["check_with_service", "copy_saved"]


class _RollBack(Exception):
    """Raised inside the dry run's transaction to undo what the service did."""


def check_with_service(form: forms.BaseForm, service_call: Callable[[], object]) -> None:
    """Run ``service_call`` and roll it back, turning its :class:`DomainError` into a form error (on the field it
    names, where the form has that field)."""
    try:
        with transaction.atomic():
            service_call()
            raise _RollBack
    except _RollBack:
        pass
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)


def copy_saved(*, target: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved instance the row a service created, so the admin's own follow-up (inlines, the
    history entry, the redirect) works on the saved row."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db
