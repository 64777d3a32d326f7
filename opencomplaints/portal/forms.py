"""The portal's question pages: one question (or one small group of questions) per form, with the Design System's
error messages. The words for children and young people are short and friendly; the adults' are plain English."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from opencomplaints.cases import constants as c
from opencomplaints.common.forms import GovukDateField
from opencomplaints.portal.models import FeedbackRating

# A field no person sees (it is inside a hidden block) but that form-filling robots complete.
HONEYPOT_FIELD = "website"
TEXT_LIMIT = 5000


class PortalForm(forms.Form):
    """Every portal form: a honeypot, a GOV.UK button, and a layout built from ``layout_fields``."""

    button_text = "Continue"
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prepare_fields()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.layout_fields(), Button("continue", self.button_text))

    def prepare_fields(self) -> None:
        """Adjust ``self.fields`` before the layout is built."""

    def layout_fields(self) -> list[Any]:
        return [Field(name) for name in self.fields if name != HONEYPOT_FIELD]

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


def _radios(name: str) -> Any:
    return Field.radios(name, legend_size=Size.LARGE, legend_tag="h1")


def _long_text(name: str, *, heading: bool = False, rows: int = 6) -> Any:
    if heading:
        return Field.textarea(name, label_size=Size.LARGE, label_tag="h1", rows=rows, max_characters=TEXT_LIMIT)
    return Field.textarea(name, label_size=Size.MEDIUM, rows=rows, max_characters=TEXT_LIMIT)


def _text_limit(what: str) -> dict[str, str]:
    return {"max_length": f"{what} must be {TEXT_LIMIT} characters or fewer"}


# -- the adults' complaint -----------------------------------------------------------------------------------

RELATIONSHIPS = [
    Choice("young_person", "I am the child or young person the complaint is about"),
    Choice("parent", "I am their parent"),
    Choice("foster_carer", "I am their foster carer"),
    Choice("special_guardian", "I am their special guardian"),
    Choice("relative", "I am another relative or a family friend"),
    Choice("advocate", "I am their advocate"),
    Choice("other", "Someone else", hint="For example, a teacher or another professional."),
]


class RelationshipForm(PortalForm):
    relationship = forms.ChoiceField(
        label="Who are you?",
        choices=RELATIONSHIPS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who you are"},
    )

    def layout_fields(self) -> list[Any]:
        return [_radios("relationship")]


CONSENT_CHOICES = [
    Choice(c.ChildConsent.GIVEN, "Yes, they know and they agree"),
    Choice(c.ChildConsent.REFUSED, "No, they do not agree"),
    Choice(c.ChildConsent.NOT_SOUGHT, "I have not asked them yet"),
    Choice(
        c.ChildConsent.UNABLE,
        "They are not able to tell us what they think",
        hint="For example, because they are very young.",
    ),
]


class ConsentForm(PortalForm):
    consent = forms.ChoiceField(
        label="Does the child or young person know about this complaint, and do they agree to it?",
        help_text="We will check with them where we can, so the complaint says what they think. "
        "You can still complain if they do not agree.",
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child or young person agrees to the complaint"},
    )

    def layout_fields(self) -> list[Any]:
        return [_radios("consent")]


class ChildForm(PortalForm):
    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the child or young person's first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter the child or young person's last name"}
    )
    date_of_birth = GovukDateField(
        noun="their date of birth",
        label="Date of birth (optional)",
        help_text="For example, 27 3 2012",
        required=False,
    )

    def layout_fields(self) -> list[Any]:
        return [
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Fieldset(Field("date_of_birth"), legend="Date of birth (optional)", legend_size=Size.SMALL),
        ]


class ComplaintForm(PortalForm):
    what_happened = forms.CharField(
        label="What is your complaint about?",
        help_text="Tell us what happened, when it happened and who was involved, if you know.",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        error_messages={"required": "Enter what your complaint is about", **_text_limit("Your complaint")},
    )
    put_right = forms.CharField(
        label="What would you like us to do to put things right? (optional)",
        help_text="For example, an apology, or a change to how something is done.",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        required=False,
        error_messages=_text_limit("What you would like us to do"),
    )

    def layout_fields(self) -> list[Any]:
        return [_long_text("what_happened", heading=True, rows=8), _long_text("put_right", rows=4)]


ADVOCATE_CHOICES = [
    Choice("yes", "Yes, I would like help from an advocate"),
    Choice("have_one", "I already have an advocate"),
    Choice("no", "No, thank you"),
]


class AdvocateForm(PortalForm):
    """R1.17: the council offers help to get an advocate."""

    advocate = forms.ChoiceField(
        label="Would you like help from an advocate?",
        help_text="An advocate is someone independent of the council who can help you make your complaint and "
        "speak up for you or the child. It is free.",
        choices=ADVOCATE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you would like help from an advocate"},
    )
    advocate_name = forms.CharField(label="Your advocate's name (optional)", max_length=150, required=False)
    advocate_organisation = forms.CharField(
        label="The organisation they work for (optional)", max_length=150, required=False
    )

    def layout_fields(self) -> list[Any]:
        return [
            _radios("advocate"),
            Fieldset(
                Field.text("advocate_name", field_width=20),
                Field.text("advocate_organisation", field_width=20),
                legend="If you already have an advocate",
                legend_size=Size.SMALL,
            ),
        ]


CONTACT_CHOICES = [
    Choice("email", "By email"),
    Choice("post", "By post"),
    Choice(
        "anonymous",
        "I do not want to give my name",
        hint="We will still look into your complaint, but we will not be able to tell you what we find or "
        "send you a link to follow it.",
    ),
]


class ContactForm(PortalForm):
    contact = forms.ChoiceField(
        label="How should we contact you about your complaint?",
        choices=CONTACT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how we should contact you"},
    )

    def layout_fields(self) -> list[Any]:
        return [_radios("contact")]


class DetailsForm(PortalForm):
    """The complainant's name and the address they chose to be contacted at."""

    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter your first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=100, error_messages={"required": "Enter your last name"})
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        help_text="We will send your reference number and a link to follow your complaint to this address.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    address = forms.CharField(label="Address", widget=forms.Textarea(attrs={"rows": 3}), max_length=500, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    phone = forms.CharField(label="Phone number (optional)", max_length=40, required=False)

    ask_phone = True

    def __init__(self, *args: Any, contact: str = "email", **kwargs: Any) -> None:
        self.contact = contact
        super().__init__(*args, **kwargs)

    def prepare_fields(self) -> None:
        if self.contact == "post":
            del self.fields["email"]
        else:
            del self.fields["address"], self.fields["postcode"]
        if not self.ask_phone:
            del self.fields["phone"]

    def layout_fields(self) -> list[Any]:
        fields: list[Any] = [Field.text("first_name", field_width=20), Field.text("last_name", field_width=20)]
        if self.contact == "post":
            fields += [Field.textarea("address", rows=3), Field.text("postcode", field_width=10)]
        else:
            fields += [Field.text("email", field_width=30)]
        return [*fields, Field.text("phone", field_width=20)] if self.ask_phone else fields

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.contact == "post":
            if not cleaned.get("address", "").strip() and "address" not in self.errors:
                self.add_error("address", "Enter your address")
            if not cleaned.get("postcode", "").strip() and "postcode" not in self.errors:
                self.add_error("postcode", "Enter your postcode")
        elif not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter your email address")
        return cleaned


# -- the version for children and young people ---------------------------------------------------------------


class YoungPersonComplaintForm(PortalForm):
    what_happened = forms.CharField(
        label="What do you want to tell us?",
        help_text="Tell us what went wrong. You can write as much or as little as you like.",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        error_messages={"required": "Tell us what went wrong", **_text_limit("What you tell us")},
    )
    put_right = forms.CharField(
        label="What would make it better? (optional)",
        help_text="For example, someone saying sorry.",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        required=False,
        error_messages=_text_limit("What would make it better"),
    )

    def layout_fields(self) -> list[Any]:
        return [_long_text("what_happened", heading=True, rows=8), _long_text("put_right", rows=4)]


class YoungPersonHelpForm(PortalForm):
    """R1.17: a child making a complaint is offered help to get an advocate, first and plainly."""

    advocate = forms.ChoiceField(
        label="Would you like someone to help you?",
        help_text="An advocate is a grown-up who is on your side. They do not work for the council. They can help "
        "you say what you want to say. It is free.",
        choices=[Choice("yes", "Yes, please"), Choice("no", "No, thank you")],
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us if you would like someone to help you"},
    )

    def layout_fields(self) -> list[Any]:
        return [_radios("advocate")]


class YoungPersonContactForm(PortalForm):
    contact = forms.ChoiceField(
        label="How can we tell you what happens next?",
        choices=[
            Choice("email", "Send me an email"),
            Choice("post", "Send me a letter"),
            Choice(
                "anonymous",
                "I do not want to say who I am",
                hint="That is OK. We will still look into it, but we cannot tell you what happens.",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us how we can tell you what happens next"},
    )

    def layout_fields(self) -> list[Any]:
        return [_radios("contact")]


class YoungPersonDetailsForm(DetailsForm):
    age = forms.IntegerField(
        label="How old are you? (optional)",
        min_value=5,
        max_value=25,
        required=False,
        error_messages={
            "invalid": "Your age must be a number, like 12",
            "min_value": "Your age must be 5 or more",
            "max_value": "Your age must be 25 or less",
        },
    )

    ask_phone = False

    def prepare_fields(self) -> None:
        super().prepare_fields()
        self.fields["first_name"].error_messages["required"] = "Tell us your first name"
        self.fields["last_name"].error_messages["required"] = "Tell us your last name"
        if "email" in self.fields:
            self.fields["email"].help_text = "We will send you a number for your complaint and a link to check on it."

    def layout_fields(self) -> list[Any]:
        return [*super().layout_fields(), Field.text("age", field_width=3)]


# -- compliments ---------------------------------------------------------------------------------------------


class ComplimentForm(PortalForm):
    quote = forms.CharField(
        label="What would you like to tell us?",
        help_text="Tell us what went well and who helped.",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        error_messages={"required": "Enter your compliment", **_text_limit("Your compliment")},
    )
    about_person = forms.CharField(
        label="Who would you like to thank? (optional)",
        help_text="A person or a team.",
        max_length=150,
        required=False,
    )

    def layout_fields(self) -> list[Any]:
        return [_long_text("quote", heading=True), Field.text("about_person", field_width=30)]


class ComplimentContactForm(PortalForm):
    name = forms.CharField(label="Your name (optional)", max_length=200, required=False)
    email = forms.EmailField(
        label="Email address (optional)",
        help_text="If you would like us to reply.",
        max_length=254,
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )

    def layout_fields(self) -> list[Any]:
        return [Field.text("name", field_width=30), Field.text("email", field_width=30)]


# -- following a case ----------------------------------------------------------------------------------------


class CheckAnswersForm(PortalForm):
    button_text = "Send"


class DocumentForm(PortalForm):
    button_text = "Send document"
    file = forms.FileField(
        label="Choose a document",
        error_messages={"required": "Select a document to send", "empty": "The selected file is empty"},
    )
    description = forms.CharField(label="What is it? (optional)", max_length=300, required=False)

    def layout_fields(self) -> list[Any]:
        return [Field("file"), Field.text("description", field_width=30)]


class FeedbackForm(PortalForm):
    button_text = "Send feedback"
    rating = forms.ChoiceField(
        label="Overall, how do you feel about our reply?",
        choices=FeedbackRating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you feel about our reply"},
    )
    comments = forms.CharField(
        label="How could we improve? (optional)",
        help_text="Do not include personal details such as names or addresses.",
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        required=False,
        error_messages=_text_limit("How we could improve"),
    )

    def layout_fields(self) -> list[Any]:
        return [_radios("rating"), _long_text("comments", rows=5)]


class LinkRequestForm(PortalForm):
    button_text = "Send me a link"
    reference = forms.CharField(
        label="Reference number",
        help_text="It is in the email we sent you, for example CSC-2026-0001.",
        max_length=40,
        error_messages={"required": "Enter your reference number"},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="The address you gave us when you made your complaint.",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def layout_fields(self) -> list[Any]:
        return [Field.text("reference", field_width=20), Field.text("email", field_width=30)]
