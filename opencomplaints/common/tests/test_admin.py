"""The admin helpers the councils and calendar admins share: a service asked in a dry run leaves nothing behind and
its refusal lands on the form; only a signed-in user acts; the saved row is handed back to the admin."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from opencomplaints.accounts.models import User
from opencomplaints.accounts.requests import acting_user
from opencomplaints.accounts.tests.factories import UserFactory
from opencomplaints.common.admin import check_with_service, copy_saved
from opencomplaints.common.errors import DomainError


class NameForm(forms.Form):
    name = forms.CharField()


def valid_form() -> NameForm:
    form = NameForm({"name": "Exampleton"})
    assert form.is_valid()
    return form


@pytest.mark.django_db
def test_a_dry_run_leaves_nothing_behind():
    form = valid_form()

    check_with_service(form, lambda: User.objects.create(username="dry-run"))

    assert form.errors == {}
    assert not User.objects.filter(username="dry-run").exists()


@pytest.mark.django_db
def test_a_refusal_is_shown_on_the_field_it_names():
    form = valid_form()

    def refuse() -> None:
        User.objects.create(username="refused")
        raise DomainError("There is already a council called Exampleton", field="name")

    check_with_service(form, refuse)

    assert form.errors == {"name": ["There is already a council called Exampleton"]}
    assert not User.objects.filter(username="refused").exists()


@pytest.mark.django_db
def test_a_refusal_about_a_field_the_form_does_not_have_is_shown_above_the_form():
    form = valid_form()

    def refuse() -> None:
        raise DomainError("The reference prefix is taken", field="reference_prefix")

    check_with_service(form, refuse)

    assert form.non_field_errors() == ["The reference prefix is taken"]


@pytest.mark.django_db
def test_other_errors_are_not_swallowed():
    form = valid_form()

    def fail() -> None:
        raise ValueError("a programming error")

    with pytest.raises(ValueError, match="a programming error"):
        check_with_service(form, fail)


@pytest.mark.django_db
def test_the_acting_user_is_the_signed_in_user():
    request = RequestFactory().get("/")
    request.user = UserFactory.create()
    assert acting_user(request) == request.user

    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        acting_user(request)


@pytest.mark.django_db
def test_copy_saved_makes_the_admins_instance_the_saved_row():
    saved = UserFactory.create(username="saved")
    target = User(username="saved")

    copy_saved(target=target, saved=saved)

    assert (target.pk, target.date_joined, target._state.adding, target._state.db) == (
        saved.pk,
        saved.date_joined,
        False,
        "default",
    )
