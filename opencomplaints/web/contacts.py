"""The council's contacts page (docs/adr/0032-contacts-without-accounts.md): the people outside the council it
appoints without an account, as independent persons, review panel members and chairs, or investigating officers.
Its complaints managers and system administrators list, add, change and deactivate them
(``CouncilPurpose.CONTACTS``); the services check the same and audit each change."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.cases.purposes import purpose_required
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Contact, ContactCapacity, Council
from opencomplaints.councils.selectors import contact_list as contacts_of
from opencomplaints.councils.services import ContactDetails, contact_create, contact_deactivate, contact_update

__all__ = ["contact_add", "contact_change", "contact_deactivate_view", "contact_list"]

ATTESTATION = "I confirm this person is independent of the council: they are neither a member nor an officer of it"


class ContactForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the contact's name"})
    organisation = forms.CharField(label="Organisation (optional)", max_length=200, required=False)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        help_text="Review panel members are told of the meeting at this address.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = forms.CharField(label="Telephone (optional)", max_length=40, required=False)
    capacities = forms.MultipleChoiceField(
        label="What may they act as?",
        choices=ContactCapacity.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one thing they may act as"},
    )
    independent_of_council = forms.BooleanField(
        label=ATTESTATION,
        required=False,
        help_text="Needed for an independent person and for a review panel's members and chair.",
    )

    def __init__(self, *args: Any, submit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("organisation"),
            Field.text("email", field_width=20),
            Field.text("phone", field_width=20),
            Field.checkboxes("capacities", legend_size=Size.SMALL),
            Field.checkbox("independent_of_council"),
            Button("submit", submit),
        )

    @staticmethod
    def initial_for(contact: Contact) -> dict[str, Any]:
        return {
            "name": contact.name,
            "organisation": contact.organisation,
            "email": contact.email,
            "phone": contact.phone,
            "capacities": [capacity.value for capacity in contact.capacities],
            "independent_of_council": contact.independent_of_council,
        }

    def details(self) -> ContactDetails:
        data = self.cleaned_data
        chosen = set(data["capacities"])
        flags = {field: capacity.value in chosen for capacity, field in Contact.CAPACITY_FIELDS.items()}
        return ContactDetails(
            name=data["name"],
            organisation=data["organisation"],
            email=data["email"],
            phone=data["phone"],
            independent_of_council=data["independent_of_council"],
            **flags,
        )

    def add_domain_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind purpose_required
    return user


def _councils(request: HttpRequest) -> list[Council]:
    return list(councils_for_purpose(user=_user(request), purpose=CouncilPurpose.CONTACTS).order_by("name"))


def _council(request: HttpRequest) -> tuple[Council, list[Council]]:
    councils = _councils(request)
    slug = request.GET.get("council") or councils[0].slug
    council = next((x for x in councils if x.slug == slug), None)
    if council is None:
        raise Http404("Choose one of your councils.")
    return council, councils


def _contact(request: HttpRequest, contact_id: int) -> Contact:
    """One of the contacts of a council the user keeps them for; any other is not found, never forbidden."""
    contact = Contact.objects.filter(pk=contact_id, council__in=_councils(request)).select_related("council").first()
    if contact is None:
        raise Http404("There is no such contact.")
    return contact


def _list_url(council: Council, several: bool) -> str:
    url = reverse("web:contact-list")
    return f"{url}?council={council.slug}" if several else url


@purpose_required(CouncilPurpose.CONTACTS)
def contact_list(request: HttpRequest) -> HttpResponse:
    """The council's contacts, active first, each with what they may act as and whether attested independent."""
    council, councils = _council(request)
    context = {
        "council": council,
        "councils": councils,
        "several": len(councils) > 1,
        "contacts": contacts_of(council=council, include_inactive=True).select_related("independence_attested_by"),
    }
    return render(request, "web/contact_list.html", context)


@purpose_required(CouncilPurpose.CONTACTS)
@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest) -> HttpResponse:
    council, councils = _council(request)
    form = ContactForm(request.POST or None, submit="Add the contact")
    if request.method == "POST" and form.is_valid():
        try:
            contact = contact_create(council=council, details=form.details(), acting_user=_user(request),
                                     now=timezone.now())  # fmt: skip
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{contact.name} was added to the contacts.")
            return redirect(_list_url(council, len(councils) > 1))
    context = {"form": form, "council": council, "title": "Add a contact",
               "back": _list_url(council, len(councils) > 1)}  # fmt: skip
    return render(request, "web/contact_form.html", context, status=400 if form.errors else 200)


@purpose_required(CouncilPurpose.CONTACTS)
@require_http_methods(["GET", "POST"])
def contact_change(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(request, contact_id)
    several = len(_councils(request)) > 1
    initial = ContactForm.initial_for(contact)
    form = ContactForm(request.POST or None, initial=initial, submit="Save the changes")
    if request.method == "POST" and form.is_valid():
        try:
            contact_update(contact=contact, details=form.details(), acting_user=_user(request), now=timezone.now())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{form.cleaned_data['name']}'s details were saved.")
            return redirect(_list_url(contact.council, several))
    context = {"form": form, "council": contact.council, "contact": contact, "title": f"Change {contact.name}",
               "back": _list_url(contact.council, several)}  # fmt: skip
    return render(request, "web/contact_form.html", context, status=400 if form.errors else 200)


@purpose_required(CouncilPurpose.CONTACTS)
@require_POST
def contact_deactivate_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Take a contact off the people pickers; the cases that named them keep their name."""
    contact = _contact(request, contact_id)
    try:
        contact_deactivate(contact=contact, acting_user=_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{contact.name} was deactivated: they can no longer be appointed.")
    return redirect(_list_url(contact.council, len(_councils(request)) > 1))
