"""The question pages of each journey, in order, with the answers that decide which apply, and the session store
that keeps the answers between pages until they are sent (nothing is written to the database before then).

Three journeys: the complaint in plain English for adults, the complaint for children and young people (fewer,
shorter questions, with help from an advocate offered first, R1.17), and a compliment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from opencomplaints.portal import forms as f
from opencomplaints.portal.services import ADULT, YOUNG_PERSON, ComplaintSubmission, ComplimentSubmission

__all__ = ["FLOWS", "Flow", "Step", "WizardStore"]

Answers = dict[str, dict[str, Any]]
DATE_FIELDS = frozenset({"date_of_birth"})


def _always(answers: Answers) -> bool:
    return True


def _answer(answers: Answers, step: str, name: str, default: Any = None) -> Any:
    return answers.get(step, {}).get(name, default)


def _on_behalf(answers: Answers) -> bool:
    return _answer(answers, "who", "relationship") not in (None, "young_person")


def _named(answers: Answers) -> bool:
    return _answer(answers, "contact", "contact") in ("email", "post")


def _contact_kwargs(answers: Answers) -> dict[str, Any]:
    return {"contact": _answer(answers, "contact", "contact", "email")}


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type[f.PortalForm]
    title: str
    applies: Callable[[Answers], bool] = _always
    form_kwargs: Callable[[Answers], dict[str, Any]] = field(default=lambda answers: {})


@dataclass(frozen=True)
class Flow:
    name: str
    kind: str  # "complaint" or "compliment"
    title: str
    steps: tuple[Step, ...]

    def step(self, slug: str) -> Step | None:
        return next((s for s in self.steps if s.slug == slug), None)

    def applicable(self, answers: Answers) -> list[Step]:
        return [s for s in self.steps if s.applies(answers)]

    def first_unanswered(self, answers: Answers) -> Step | None:
        return next((s for s in self.applicable(answers) if s.slug not in answers), None)

    def next_after(self, slug: str, answers: Answers) -> Step | None:
        steps = self.applicable(answers)
        slugs = [s.slug for s in steps]
        if slug not in slugs:
            return self.first_unanswered(answers)
        later = steps[slugs.index(slug) + 1 :]
        return later[0] if later else None

    def previous(self, slug: str, answers: Answers) -> Step | None:
        steps = self.applicable(answers)
        slugs = [s.slug for s in steps]
        if slug not in slugs or slugs.index(slug) == 0:
            return None
        return steps[slugs.index(slug) - 1]


ADULT_FLOW = Flow(
    name=ADULT,
    kind="complaint",
    title="Make a complaint about children's social care",
    steps=(
        Step("who", f.RelationshipForm, "Who are you?"),
        Step("agreement", f.ConsentForm, "Does the child or young person agree?", applies=_on_behalf),
        Step("child", f.ChildForm, "About the child or young person", applies=_on_behalf),
        Step("complaint", f.ComplaintForm, "What is your complaint about?"),
        Step("advocate", f.AdvocateForm, "Would you like help from an advocate?"),
        Step("contact", f.ContactForm, "How should we contact you?"),
        Step("details", f.DetailsForm, "Your details", applies=_named, form_kwargs=_contact_kwargs),
    ),
)

YOUNG_PERSON_FLOW = Flow(
    name=YOUNG_PERSON,
    kind="complaint",
    title="Tell us what is wrong",
    steps=(
        Step("help", f.YoungPersonHelpForm, "Would you like someone to help you?"),
        Step("complaint", f.YoungPersonComplaintForm, "What do you want to tell us?"),
        Step("contact", f.YoungPersonContactForm, "How can we tell you what happens next?"),
        Step("details", f.YoungPersonDetailsForm, "About you", applies=_named, form_kwargs=_contact_kwargs),
    ),
)

COMPLIMENT_FLOW = Flow(
    name="compliment",
    kind="compliment",
    title="Give a compliment",
    steps=(
        Step("compliment", f.ComplimentForm, "What would you like to tell us?"),
        Step("contact", f.ComplimentContactForm, "Would you like us to reply?"),
    ),
)

FLOWS = {flow.name: flow for flow in (ADULT_FLOW, YOUNG_PERSON_FLOW, COMPLIMENT_FLOW)}
# The version names used in addresses (/complain/<council>/young-person/...).
URL_VERSIONS = {"adult": ADULT, "young-person": YOUNG_PERSON}


def to_session(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """Cleaned form data as the session can keep it (JSON): dates as ISO text, without the honeypot."""
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in cleaned.items()
        if name != f.HONEYPOT_FIELD
    }


def from_session(stored: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: date.fromisoformat(value) if name in DATE_FIELDS and value else value for name, value in stored.items()
    }


class WizardStore:
    """The answers of one journey for one council, in the session."""

    KEY = "portal"

    def __init__(self, session: SessionBase, *, flow: Flow, council_slug: str) -> None:
        self.session = session
        self.flow = flow
        self.key = f"{flow.name}:{council_slug}"

    @property
    def answers(self) -> Answers:
        stored: dict[str, Answers] = self.session.get(self.KEY, {})
        return {step: dict(values) for step, values in stored.get(self.key, {}).items()}

    def save(self, step: str, cleaned: Mapping[str, Any]) -> Answers:
        everything: dict[str, Answers] = self.session.get(self.KEY, {})
        answers = everything.get(self.key, {})
        answers[step] = to_session(cleaned)
        # Answers to questions that no longer apply (the person changed who they are) are dropped.
        applicable = {s.slug for s in self.flow.applicable(answers)}
        everything[self.key] = {slug: values for slug, values in answers.items() if slug in applicable}
        self.session[self.KEY] = everything
        return everything[self.key]

    def clear(self) -> None:
        everything: dict[str, Answers] = self.session.get(self.KEY, {})
        everything.pop(self.key, None)
        self.session[self.KEY] = everything


def complaint_submission(flow: Flow, answers: Answers) -> ComplaintSubmission:
    def value(step: str, name: str, default: Any = "") -> Any:
        return from_session(answers.get(step, {})).get(name, default)

    young = flow.name == YOUNG_PERSON
    named = _named(answers)
    return ComplaintSubmission(
        version=flow.name,
        relationship="young_person" if young else value("who", "relationship", "young_person"),
        consent=value("agreement", "consent", "not_applicable") if _on_behalf(answers) else "not_applicable",
        child_first_name=value("child", "first_name"),
        child_last_name=value("child", "last_name"),
        child_date_of_birth=value("child", "date_of_birth", None),
        what_happened=value("complaint", "what_happened"),
        put_right=value("complaint", "put_right"),
        advocate=value("help" if young else "advocate", "advocate", "no"),
        advocate_name=value("advocate", "advocate_name"),
        advocate_organisation=value("advocate", "advocate_organisation"),
        contact=value("contact", "contact", "anonymous"),
        first_name=value("details", "first_name") if named else "",
        last_name=value("details", "last_name") if named else "",
        email=value("details", "email") if named else "",
        address=value("details", "address") if named else "",
        postcode=value("details", "postcode") if named else "",
        phone=value("details", "phone") if named else "",
        age=value("details", "age", None) if named else None,
    )


def compliment_submission(answers: Answers) -> ComplimentSubmission:
    compliment, contact = answers.get("compliment", {}), answers.get("contact", {})
    return ComplimentSubmission(
        quote=compliment.get("quote", ""),
        about_person=compliment.get("about_person", ""),
        name=contact.get("name", ""),
        email=contact.get("email", ""),
    )
